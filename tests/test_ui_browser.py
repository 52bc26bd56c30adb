"""The chat UI in a real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright;
no browser is ever downloaded) against a real `rag serve` on loopback.

Most tests use the extractive generator (fast, deterministic); one uses the default model.
Screenshots of every step land in test-artifacts/screenshots/.
"""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Dialog, FilePayload, Locator, Page, sync_playwright

from rag.modelfiles import model_path
from tests.conftest import REPO, SEEDS, TARGET_QUESTION, free_port
from tests.servers import rag_server

pytestmark = pytest.mark.integration

CHROMIUM = Path("/usr/bin/chromium")
# Headless and quiet: no GPU, no sandbox (root in a container), and none of the background
# services that would try to reach the network.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SHOTS = REPO / "test-artifacts" / "screenshots"
CHAT = "#rag-chatbot"
# A finished reply: the verified answer, an abstention or an error (never the streaming one).
FINISHED = f"{CHAT} .rag-answer:not(.rag-streaming), {CHAT} .rag-abstain, {CHAT} .rag-error"
DELETE_CONFIRM = "Delete this conversation and its saved answers?"
CONFIRMS = {DELETE_CONFIRM, "Delete this document from the collection?"}
HOSTILE_DOC = (
    b"# Quillmore memo\n\nThe Quillmore memo says the zebra escaped "
    b"<script>window.__pwned = 1; alert(1)</script> on Tuesday. "
    b'<img src=x onerror="window.__pwned = 2; alert(2)"> The zebra was found by '
    b"[a keeper](javascript:alert(3)) near the river.\n"
)


@pytest.fixture(scope="module")
def ui_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One `rag serve` for the module (extractive by default), seeded on first start."""
    folder = tmp_path_factory.mktemp("ui")
    with rag_server(
        free_port(), folder / "data", folder, RAG_GENERATOR="extractive", RAG_SEEDS_DIR=str(SEEDS)
    ) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} missing: `apt-get install -y chromium` (`make test` does it)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@contextmanager
def session(browser: Browser, url: str, **context: Any) -> Iterator[Page]:
    """A fresh browser session on the UI (``context``: viewport, color_scheme, ...); fails
    the test if any script opened a dialog other than the app's own confirmations."""
    context.setdefault("viewport", {"width": 1400, "height": 1000})
    ctx = browser.new_context(**context)
    page = ctx.new_page()
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        if dialog.type == "confirm" and dialog.message in CONFIRMS:
            return  # the app's own question: the test that deletes answers it
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto(url)
    page.wait_for_selector("#rag-question textarea")
    yield page
    ctx.close()
    assert not dialogs, f"a script ran in the page: {dialogs}"


@pytest.fixture
def page(browser: Browser, ui_url: str) -> Iterator[Page]:
    with session(browser, ui_url) as page:
        yield page


def shot(page: Page, name: str, full_page: bool = False) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def ask(page: Page, question: str, timeout_s: float = 90) -> Locator:
    """Type a question, press Enter, wait for the finished reply; return that reply."""
    finished = page.locator(FINISHED)
    before = finished.count()
    box = page.get_by_label("Your question")
    box.fill(question)
    box.press("Enter")
    page.wait_for_function(
        "([sel, n]) => document.querySelectorAll(sel).length > n",
        arg=[FINISHED, before],
        timeout=timeout_s * 1000,
    )
    return finished.last


def upload(page: Page, name: str, data: bytes) -> str:
    """Upload one file in the Documents tab; return the new status line."""
    page.get_by_role("tab", name="Documents").click()
    status = page.locator("#rag-upload-status [role=status]")
    before = status.inner_text() if status.count() else ""
    page.set_input_files(
        "#rag-upload input[type=file]",
        files=[FilePayload(name=name, mimeType="text/plain", buffer=data)],
    )
    page.wait_for_function(
        "(before) => { const s = document.querySelector('#rag-upload-status [role=status]');"
        " return s && s.innerText !== before; }",
        arg=before,
        timeout=90_000,
    )
    return str(status.inner_text())


def empty_collection(page: Page, name: str) -> None:
    """Make collection ``name`` and leave it empty (an upload creates it, then its one
    document is deleted: a "no" to the confirmation first deletes nothing)."""
    collection = page.get_by_label("Collection")
    collection.fill(name)
    collection.press("Enter")
    assert "Added" in upload(page, "brief.txt", b"A short note about nothing in particular.")
    page.get_by_label("Document to delete").click()
    page.get_by_role("option", name="brief.txt (1 chunks)").click()
    page.once("dialog", lambda dialog: dialog.dismiss())  # "no": nothing is deleted
    page.get_by_role("button", name="Delete document").click()
    page.wait_for_timeout(500)
    assert "brief.txt" in page.locator("#rag-doc-list").inner_text()
    assert page.locator(".toast-body, [data-testid=toast-body]").count() == 0  # no error
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete document").click()
    # 90 s like the other waits here: deleting re-reads the collection, which took over the
    # default 30 s once under a loaded CI run (51feb9e).
    page.locator("#rag-upload-status", has_text="Deleted brief.txt").wait_for(timeout=90_000)
    page.locator("#rag-doc-list", has_text="no documents yet").wait_for(timeout=90_000)


def test_example_question_gets_a_cited_answer(page: Page) -> None:
    examples = page.locator(f"{CHAT} button.example")
    assert examples.count() == 3
    shot(page, "01-first-load")
    page.get_by_text("Answer settings").click()
    # the accordion renders its controls after the click: wait for each (count() does not,
    # and once read 0 for the top-k slider under a loaded run)
    for label in ("Collection", "Your question", "Passages to retrieve (top-k)", "Extractive"):
        page.get_by_label(label).first.wait_for(state="attached", timeout=30_000)
        assert page.get_by_label(label).count() >= 1, label
    examples.first.click()
    page.wait_for_selector(FINISHED, timeout=90_000)
    answer = page.locator(f"{CHAT} .rag-answer").last
    assert answer.locator(".rag-cite").count() >= 1
    sources = page.locator("#rag-sources .rag-source")
    assert sources.count() >= 1
    assert page.locator("#rag-sources .rag-source mark").count() >= 1
    shot(page, "02-cited-answer")


def test_marker_opens_its_passage_and_follow_ups_keep_the_conversation(page: Page) -> None:
    reply = ask(page, TARGET_QUESTION)
    marker = reply.locator(".rag-cite").first
    pop = marker.locator(".rag-cite-pop")
    assert not pop.is_visible()
    assert "001_f4cdcd2d35e961d2.txt" in (marker.get_attribute("title") or "")  # hover preview
    marker.click()
    pop.wait_for(state="visible")
    number = marker.inner_text().split("]")[0] + "]"  # "[n]"
    source = page.locator("#rag-sources .rag-source").filter(
        has=page.locator(".rag-n", has_text=number)
    )
    passage = source.locator(".rag-passage").inner_text().strip()
    assert passage[:80] in pop.inner_text()
    shot(page, "03-citation-open")

    follow_up = ask(page, "When was his first visit to Tehran?")
    assert page.locator(f"{CHAT} .rag-question").count() == 2
    assert follow_up.inner_text().strip()
    shot(page, "04-follow-up")


def test_conversations_survive_a_reload_take_ratings_and_can_be_deleted(
    page: Page, ui_url: str
) -> None:
    ask(page, TARGET_QUESTION)
    ask(page, "When was his first visit to Tehran?")
    page.get_by_role("button", name="Like", exact=True).first.click()
    page.locator("#rag-feedback-status", has_text="marked helpful").wait_for()

    page.reload()  # the conversation comes back from the server, its Sources panel too
    page.locator(f"{CHAT} .rag-question").nth(1).wait_for()
    assert page.locator(f"{CHAT} .rag-answer .rag-cite").count() >= 1
    assert page.locator("#rag-sources .rag-source").count() >= 1
    picked = page.locator("#rag-conversations input")
    assert picked.input_value().startswith("Who wrote the analysis of Assad")  # "title · time"
    shot(page, "11-conversation-after-reload")
    stored = httpx.get(f"{ui_url}/v1/conversations").json()["conversations"]
    mine = next(c for c in stored if TARGET_QUESTION.startswith(c["title"].rstrip("…")))
    turns = httpx.get(f"{ui_url}/v1/conversations/{mine['id']}").json()["turns"]
    assert [t["feedback"] and t["feedback"]["rating"] for t in turns] == ["up", None]

    page.get_by_role("button", name="New conversation").click()
    page.locator(f"{CHAT} .rag-question").first.wait_for(state="detached")
    assert picked.input_value() == ""
    picked.click()  # reopen it from the list
    page.get_by_role("option", name=re.compile("^Who wrote the analysis")).first.click()
    page.locator(f"{CHAT} .rag-question").nth(1).wait_for()

    page.get_by_text("Manage this conversation").click()
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete this conversation").click()
    page.locator("#rag-manage-status", has_text="Deleted").wait_for()
    assert page.locator(f"{CHAT} .rag-question").count() == 0
    gone = httpx.get(f"{ui_url}/v1/conversations/{mine['id']}")
    assert gone.status_code == 404
    page.reload()
    page.wait_for_selector("#rag-question textarea")
    page.wait_for_timeout(1000)  # the page's load event has run: nothing comes back
    assert page.locator(f"{CHAT} .rag-question").count() == 0


def test_uploaded_document_is_cited_then_deleted(page: Page) -> None:
    note = (
        b"The Zarnovian lighthouse keeper is Ottilie Brannigan, who has kept the light since 1987."
    )
    assert "Added zarnovia.txt: 1 chunks" in upload(page, "zarnovia.txt", note)
    assert "zarnovia.txt" in page.locator("#rag-doc-list").inner_text()
    shot(page, "05-documents-uploaded")

    page.get_by_role("tab", name="Chat").click()
    reply = ask(page, "Who is the Zarnovian lighthouse keeper?")
    assert "Ottilie Brannigan" in reply.inner_text()
    cited = page.locator("#rag-sources .rag-source-list").first
    assert "zarnovia.txt" in cited.inner_text()
    shot(page, "06-upload-cited")

    page.get_by_role("tab", name="Documents").click()
    page.get_by_label("Document to delete").click()
    page.get_by_role("option", name="zarnovia.txt (1 chunks)").click()
    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Delete document").click()
    page.locator("#rag-upload-status", has_text="Deleted zarnovia.txt").wait_for()
    assert asked == ["Delete this document from the collection?"]
    assert "zarnovia.txt" not in page.locator("#rag-doc-list").inner_text()


def test_hostile_document_shows_as_text_and_never_runs(page: Page) -> None:
    assert "Added" in upload(page, "quillmore<img src=y onerror=alert(4)>.md", HOSTILE_DOC)
    page.get_by_role("tab", name="Chat").click()
    reply = ask(page, "What does the Quillmore memo say about the zebra?")
    reply.locator(".rag-cite").first.click()
    shot(page, "07-hostile-document")
    assert page.evaluate("window.__pwned") is None
    assert page.locator("img[src=x], img[src=y], a[href^=javascript]").count() == 0
    shown = page.locator("#rag-sources").inner_text()
    # The document's script, image and Markdown link arrive as plain words
    # (rag.text.markers.neutralise_markup).
    assert "[script] on Tuesday" in shown and "window.__pwned" not in shown
    assert "a keeper (javascript:alert(3))" in shown and "[a keeper](" not in shown
    assert "[image: x]" in reply.inner_text()
    # the dialog check in the `page` fixture proves no alert() ran


def test_shift_enter_adds_a_line_and_enter_sends(page: Page) -> None:
    box = page.get_by_label("Your question")
    box.click()
    page.keyboard.type("Who visited Tehran")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("in May 2022?")
    assert box.input_value() == "Who visited Tehran\nin May 2022?"
    assert page.locator(f"{CHAT} .rag-question").count() == 0
    shot(page, "08-shift-enter")
    page.keyboard.press("Enter")
    page.wait_for_selector(FINISHED, timeout=90_000)
    assert box.input_value() == ""
    question = page.locator(f"{CHAT} .rag-question").inner_html()
    assert question == "Who visited Tehran<br>in May 2022?"


def test_a_slow_page_load_does_not_undo_a_collection_typed_meanwhile(
    browser: Browser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page's first refresh (collections and documents) answered after the user had typed
    a new collection's name, and put the default back: the picker showed one collection while
    the next upload or delete went to another (the flaky wait in ``empty_collection``)."""
    from rag.service import RagService
    from tests.conftest import make_settings
    from ui import documents
    from ui.app import build_ui

    refresh = documents.collection_choices

    def slowly(*args: Any, **kwargs: Any) -> Any:
        time.sleep(3)
        return refresh(*args, **kwargs)

    monkeypatch.setattr(documents, "collection_choices", slowly)
    service = RagService(make_settings(tmp_path / "data", seeds_dir=tmp_path / "no-seeds"))
    demo = build_ui(service)
    demo.queue().launch(server_name="127.0.0.1", server_port=free_port(), prevent_thread_lock=True)
    try:
        with session(browser, demo.local_url) as page:
            collection = page.get_by_label("Collection")
            collection.fill("shelf-two")  # typed while the page's refresh is still running
            collection.press("Enter")
            page.get_by_role("tab", name="Documents").click()
            # The typed collection's listing is queued after the page's refresh, so by now
            # that refresh has answered.
            page.locator("#rag-doc-list", has_text="shelf-two").wait_for(timeout=30_000)
            assert collection.input_value() == "shelf-two"
            assert "Added brief.txt" in upload(page, "brief.txt", b"A short note on shelf two.")
            assert [d.source for d in service.documents("shelf-two")] == ["brief.txt"]
            assert collection.input_value() == "shelf-two"
    finally:
        demo.close()


def test_abstention_looks_different(page: Page) -> None:
    """An empty collection holds no answer: the reply is marked "Not in the documents"."""
    empty_collection(page, "empty-shelf")

    page.get_by_role("tab", name="Chat").click()
    reply = ask(page, "Who wrote the analysis of Assad's trip?")
    assert "rag-abstain" in (reply.get_attribute("class") or "")
    assert reply.locator(".rag-abstain-badge").text_content() == "Not in the documents"
    assert reply.locator(".rag-cite").count() == 0
    assert "No passages were retrieved" in page.locator("#rag-sources").inner_text()
    shot(page, "09-abstention")


def test_default_model_streams_a_cited_answer(page: Page) -> None:
    """The one test with the real 1.5B model: tokens arrive one by one, then the verified
    answer replaces them. Its screenshot is the README's (docs/screenshot.png)."""
    assert model_path("qwen2.5-coder-1.5b").exists(), "run `make setup`"
    page.get_by_text("Answer settings").click()
    page.get_by_label("Local model (llama.cpp)").check()
    page.get_by_text("Answer settings").click()
    # Record every text the streaming reply shows, as the browser renders it.
    page.evaluate(
        """() => {
        window.__streamed = [];
        new MutationObserver(() => {
            const live = document.querySelector('#rag-chatbot .rag-answer.rag-streaming');
            const text = live ? live.textContent : null;
            if (text && text !== window.__streamed.at(-1)) window.__streamed.push(text);
        }).observe(document.body, {subtree: true, childList: true, characterData: true});
    }"""
    )
    reply = ask(page, TARGET_QUESTION, timeout_s=300)
    streamed: list[str] = page.evaluate("window.__streamed")
    assert len(streamed) >= 3, streamed  # several partial texts, each extending the last
    assert all(b.startswith(a.rstrip("▍")) for a, b in itertools.pairwise(streamed))
    text = reply.inner_text()
    assert "Furlan" in text
    assert reply.locator(".rag-cite").count() >= 1
    assert page.locator(f"{CHAT} .rag-streaming").count() == 0
    reply.locator(".rag-cite").first.click()
    shot(page, "10-default-model-cited-answer", full_page=True)


# --- what a newcomer sees first, answering, reading and copying (issue 15) -----------------
CONTRAST_JS = """([selector, pseudo]) => {
    const el = document.querySelector(selector);
    if (!el) return null;
    const rgba = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
    const lum = ([r, g, b]) => {
        const f = (v) => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    let bg = null;
    for (let n = el; n && n.nodeType === 1; n = n.parentElement) {
        const c = rgba(getComputedStyle(n).backgroundColor);
        if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) { bg = c; break; }
    }
    const fg = rgba(getComputedStyle(el, pseudo).color);
    const [hi, lo] = [lum(fg), lum(bg || [255, 255, 255])].sort((a, b) => b - a);
    return (hi + 0.05) / (lo + 0.05);
}"""


def contrast(page: Page, selector: str, pseudo: str | None = None) -> float:
    ratio = page.evaluate(CONTRAST_JS, [selector, pseudo])
    assert ratio is not None, f"{selector} is not on the page"
    return float(ratio)


@pytest.mark.parametrize(
    ("name", "width", "height"), [("desktop", 1400, 1000), ("phone", 390, 844)]
)
def test_first_screen_shows_the_title_the_collection_and_the_question_box(
    browser: Browser, ui_url: str, name: str, width: int, height: int
) -> None:
    with session(browser, ui_url, viewport={"width": width, "height": height}) as page:
        about = page.locator("#rag-about", has_text=re.compile(r"holds \d+ documents"))
        about.wait_for()
        assert "Iran" in about.inner_text()  # the titles, not just a count
        page.wait_for_timeout(500)  # what the page does on load has run
        assert page.evaluate("window.scrollY") == 0
        title = page.get_by_role("heading", name="Ask the documents").bounding_box()
        assert title is not None and title["y"] >= 0
        box = page.locator("#rag-question textarea")
        where = box.bounding_box()
        assert where is not None and where["y"] + where["height"] <= height  # first screen
        assert page.locator("#rag-stop").is_hidden()  # only while answering
        assert page.evaluate("document.activeElement?.closest('#rag-question') !== null")
        shot(page, f"12-first-screen-{name}")
        if name == "phone":  # Sources one tap away from an answer
            ask(page, TARGET_QUESTION)
            jump = page.locator(f"{CHAT} .rag-to-sources").last
            assert jump.is_visible()
            jump.click()
            page.wait_for_function(
                "() => { const r = document.querySelector('#rag-sources').getBoundingClientRect();"
                " return r.top < innerHeight && r.bottom > 0; }"
            )
            shot(page, "13-phone-sources")


def test_markers_read_in_order_escape_closes_a_citation_and_copy_takes_the_sources(
    page: Page,
) -> None:
    reply = ask(page, "Why did Iran not defend the Assad regime in December 2024?")
    shown = reply.locator(".rag-cite").evaluate_all(
        "els => els.map(e => parseInt(e.firstChild.textContent.slice(1)))"
    )
    firsts = list(dict.fromkeys(shown))
    assert firsts == list(range(1, len(firsts) + 1)), shown  # [1] first, then [2], ...
    labels = page.locator(f"{CHAT} [aria-label]").evaluate_all(
        "els => els.map(e => e.getAttribute('aria-label'))"
    )
    assert not [a for a in labels if "<" in a], labels  # plain text, not our HTML

    marker = reply.locator(".rag-cite").first
    marker.click()
    pop = marker.locator(".rag-cite-pop")
    pop.wait_for(state="visible")
    page.keyboard.press("Escape")
    pop.wait_for(state="hidden")

    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    copy = reply.locator(".rag-copy")
    copy.click()
    page.wait_for_function("() => window.ragCopied !== undefined")
    copied = str(page.evaluate("window.ragCopied"))
    answer_text = copied.split("\n\nSources:\n")[0]
    assert answer_text.startswith(reply.inner_text().strip()[:30])
    assert "\n\nSources:\n[1] " in copied
    page.wait_for_function("() => document.querySelector('.rag-copy').textContent === 'Copied'")
    assert page.evaluate("navigator.clipboard.readText()") == copied  # what was copied
    shot(page, "14-reading-order-and-copy")


def test_the_box_is_locked_while_answering_and_stop_cancels(page: Page, ui_url: str) -> None:
    page.get_by_text("Answer settings").click()
    page.get_by_label("Local model (llama.cpp)").check()
    box = page.get_by_label("Your question")
    box.fill(TARGET_QUESTION)
    box.press("Enter")
    stop = page.locator("#rag-stop")
    stop.wait_for(state="visible")
    assert box.is_disabled()  # a second question cannot cut into this answer
    # Stop at once: on an idle machine the model answers within a couple of seconds, and a
    # screenshot first could let the answer finish before the click.
    stop.click()
    shot(page, "15-answering-locked")  # still locked while the stop takes effect
    page.locator(f"{CHAT} .rag-hint", has_text="Stopped").wait_for()
    page.wait_for_function("() => !document.querySelector('#rag-question textarea').disabled")
    stop.wait_for(state="hidden")
    assert page.locator(f"{CHAT} .rag-answer:visible").count() == 0  # no half-written text
    assert "Ask a question" in page.locator("#rag-sources").inner_text()
    shot(page, "16-stopped")
    page.get_by_label("Extractive").check()
    reply = ask(page, "When did Assad visit Tehran before May 2022?")
    assert reply.locator(".rag-cite").count() >= 1
    assert page.locator(f"{CHAT} .rag-question").count() == 2


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_stays_readable_in_both_themes(browser: Browser, ui_url: str, scheme: str) -> None:
    with session(browser, ui_url, color_scheme=scheme) as page:
        if scheme == "dark":
            assert page.evaluate("document.querySelector('.dark') !== null")
        page.locator("#rag-about", has_text="holds").wait_for()
        ask(page, TARGET_QUESTION)
        page.locator(f"{CHAT} .rag-cite").first.click()  # its passage, highlighted
        ratios = {"source relevance": contrast(page, "#rag-sources .rag-score")}
        empty_collection(page, f"empty-{scheme}")
        page.get_by_role("tab", name="Chat").click()
        abstained = ask(page, "Who wrote the analysis of Assad's trip?")
        assert "rag-abstain" in (abstained.get_attribute("class") or "")
        checks = {
            "collection line": ("#rag-about p", None),
            "placeholder": ("#rag-question textarea", "::placeholder"),
            "highlight": (f"{CHAT} .rag-cite-pop mark", None),
            "abstention": (f"{CHAT} .rag-abstain", None),
            "abstention hint": (f"{CHAT} .rag-abstain .rag-hint", None),
            "info line": ("#rag-collection .info-text", None),
        }
        ratios |= {name: contrast(page, *where) for name, where in checks.items()}
        shot(page, f"17-theme-{scheme}")
        assert all(r >= 4.5 for r in ratios.values()), {k: round(v, 2) for k, v in ratios.items()}


def test_open_document_shows_the_whole_pdf_at_the_cited_passage(page: Page) -> None:
    """The source viewer: the whole document, its pages named, scrolled to the cited passage
    with its sentence highlighted; Escape closes it."""
    from tests.test_ingest_loaders import minimal_pdf

    filler = " ".join(
        f"The {w} ledger lists grain, salt and timber for the winter."
        for w in ["first", "second", "third", "fourth", "fifth", "sixth", "seventh"] * 4
    )
    pdf = minimal_pdf(
        f"Harbour accounts of Velmora. {filler}",
        f"{filler} The Velmora harbour master in 1911 was Ansgar Pellworm.",
    )
    page.get_by_role("tab", name="Documents").click()
    page.set_input_files(
        "#rag-upload input[type=file]",
        files=[FilePayload(name="velmora.pdf", mimeType="application/pdf", buffer=pdf)],
    )
    page.locator("#rag-upload-status [role=status]", has_text="velmora.pdf").wait_for(
        timeout=90_000
    )
    page.get_by_role("tab", name="Chat").click()
    reply = ask(page, "Who was the Velmora harbour master in 1911?")
    assert "Pellworm" in reply.inner_text()
    source = page.locator("#rag-sources .rag-source").filter(has_text="Ansgar Pellworm").first
    assert "p. 2" in source.locator(".rag-source-head").inner_text()
    source.locator(".rag-open").click()
    viewer = page.locator("#rag-viewer .rag-viewer")
    viewer.wait_for()
    assert "velmora.pdf" in viewer.locator(".rag-viewer-head").inner_text()
    body = viewer.locator(".rag-viewer-body")
    assert body.inner_text().startswith("p. 1")
    assert "Harbour accounts of Velmora" in body.inner_text()
    assert viewer.locator(".rag-page").all_inner_texts()[-1] == "p. 2"
    focus = viewer.locator("#rag-focus")
    assert "Ansgar Pellworm" in focus.locator("mark").inner_text()
    page.wait_for_function(  # scrolled to the passage inside the viewer
        "() => { const f = document.querySelector('#rag-focus').getBoundingClientRect();"
        " const b = document.querySelector('#rag-viewer .rag-viewer-body')"
        ".getBoundingClientRect(); return f.top < b.bottom && f.bottom > b.top; }"
    )
    shot(page, "18-source-viewer-pdf")
    page.keyboard.press("Escape")
    viewer.wait_for(state="hidden")


def test_a_new_version_replaces_the_old_and_old_answers_keep_what_they_cited(
    page: Page,
) -> None:
    """Re-upload: the same content is unchanged, new content under the name replaces the
    document (one entry); the earlier answer, reopened, still shows the passage it cited,
    and its document viewer says the document has changed. The conversation is renamed."""
    old = b"The Tolvane census of 1902 counted 4,210 residents in the valley."
    new = b"The Tolvane census of 1902 counted 4,730 residents in the valley, revised."
    assert "Added tolvane.txt" in upload(page, "tolvane.txt", old)
    page.get_by_role("tab", name="Chat").click()
    reply = ask(page, "How many residents did the Tolvane census of 1902 count?")
    assert "4,210" in reply.inner_text()
    assert "Unchanged tolvane.txt" in upload(page, "tolvane.txt", old)
    assert "Replaced tolvane.txt" in upload(page, "tolvane.txt", new)
    assert page.locator("#rag-doc-list").inner_text().count("tolvane.txt") == 1
    shot(page, "19-new-version-replaces")

    page.get_by_role("tab", name="Chat").click()
    page.get_by_text("Manage this conversation").click()
    page.get_by_label("New title").fill("Tolvane census")
    page.get_by_role("button", name="Rename").click()
    page.locator("#rag-manage-status", has_text="Renamed").wait_for()
    page.reload()  # the stored turn: what the answer cited then
    page.locator(f"{CHAT} .rag-question").first.wait_for()
    assert page.locator("#rag-conversations input").input_value().startswith("Tolvane census")
    cited = page.locator("#rag-sources .rag-source").filter(has_text="Tolvane").first
    assert "4,210" in cited.inner_text() and "4,730" not in cited.inner_text()
    cited.locator(".rag-open").click()
    viewer = page.locator("#rag-viewer .rag-viewer")
    viewer.wait_for()
    assert "has changed since this answer" in viewer.inner_text()
    assert "4,730" in viewer.inner_text()  # the current version, said to be newer
    shot(page, "20-old-answer-after-new-version")
