"""The Gradio UI over ``RagService``: a Chat tab and a Documents tab. ``mount`` is this
package's ``rag.ui`` entry point (``pyproject.toml``): ``rag serve`` calls it to put the UI at
``/`` of the HTTP app.

Layout and wiring only; the logic is in ``ui.chat`` and ``ui.documents``, the HTML in
``ui.render`` (which escapes every document, model and user text), the CSS in ``ui.style``.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, TypedDict

import gradio as gr
from fastapi import FastAPI

from rag.api.auth import key_matches
from rag.config import Scope, Settings
from rag.ingest.loaders import SUPPORTED_SUFFIXES
from rag.service import RagService
from ui import chat, conversations, documents, render
from ui.style import CSS

TITLE = "Ask the documents"
CANCELLED = "cancelled"  # what the delete confirmation sends when the user says no


class _Queue(TypedDict):
    """Where an event waits its turn (Gradio's concurrency group)."""

    concurrency_id: str
    concurrency_limit: int


# The one queue of the events that write the document list.
DOCUMENTS_QUEUE = _Queue(concurrency_id="documents", concurrency_limit=1)
# Runs once in the page: the question box takes the focus without scrolling the title away,
# Escape closes an opened citation, "Copy answer" and "Sources ↓" (phone) in an answer work,
# and chat messages get plain-text aria labels.
PAGE_JS = """() => {
  if (window.ragPageReady) return;
  window.ragPageReady = true;
  window.scrollTo(0, 0);
  document.querySelector('#rag-question textarea')?.focus({preventScroll: true});
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    const cite = document.activeElement?.closest?.('.rag-cite');
    if (cite) { cite.blur(); return; }
    document.querySelector('#rag-viewer .rag-viewer')?.classList.add('rag-viewer-closed');
  });
  const act = (event) => {
    const open = event.target.closest?.('.rag-open');
    if (open) {
      const marks = open.closest('.rag-source')?.querySelectorAll('mark') || [];
      window.ragOpen = {ref: open.dataset.ref, marks: Array.from(marks, (m) => m.textContent)};
      document.querySelector('#rag-open-doc')?.click();
    }
    const close = event.target.closest?.('.rag-close');
    if (close) { close.closest('.rag-viewer')?.classList.add('rag-viewer-closed'); }
    const jump = event.target.closest?.('.rag-to-sources');
    if (jump) { document.querySelector('#rag-sources')?.scrollIntoView({behavior: 'smooth'}); }
    const copy = event.target.closest?.('.rag-copy');
    if (copy) {
      const lines = copy.parentElement.querySelectorAll('.rag-copy-line');
      const text = Array.from(lines, (line) => line.textContent).join('\\n');
      const done = () => { copy.textContent = 'Copied'; };
      // The Clipboard API needs a secure context (localhost or https); a plain-http LAN
      // address gets the older way.
      const older = () => {
        const box = document.createElement('textarea');
        box.value = text;
        document.body.appendChild(box);
        box.select();
        if (document.execCommand('copy')) done();
        box.remove();
      };
      if (navigator.clipboard?.writeText) {
        navigator.clipboard.writeText(text).then(done, older);
      } else {
        older();
      }
      window.ragCopied = text;
    }
  };
  document.addEventListener('click', act);
  // Gradio labels each chat message with its raw HTML: a screen reader gets the words.
  const ours = '.rag-answer, .rag-question, .rag-abstain, .rag-error, .rag-status, .rag-hint';
  let queued = false;
  const plain = () => {
    queued = false;
    document.querySelectorAll('#rag-chatbot [aria-label]').forEach((el) => {
      const shown = el.querySelector(ours);
      const inner = [...el.querySelectorAll('[aria-label]')];
      if (!shown || inner.some((m) => m.querySelector(ours))) return;  // the whole chat
      const tools = shown.querySelector('.rag-tools')?.innerText || '';
      const words = (shown.innerText || '').replace(tools, '').trim().replace(/</g, '‹');
      if (el.getAttribute('aria-label') !== words) el.setAttribute('aria-label', words);
    });
  };
  new MutationObserver(() => {
    if (!queued) { queued = true; requestAnimationFrame(plain); }
  }).observe(document.body, {
    subtree: true, childList: true, characterData: true,
    attributes: true, attributeFilter: ['aria-label'],
  });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' || event.key === ' ') { act(event); }
  });
}"""
OPEN_JS = "(ref, name) => [JSON.stringify(window.ragOpen || {}), name]"
SCROLL_JS = "() => document.querySelector('#rag-focus')?.scrollIntoView({block: 'center'})"
FOCUS_JS = "() => document.querySelector('#rag-question textarea')?.focus({preventScroll: true})"
INTRO = (
    f"<h1>{TITLE}</h1><p>Answers cite the passages they come from: hover over a marker like "
    "<b>[1]</b> to preview the passage, click it to read it. The Sources panel shows each "
    "cited passage with the supporting sentence highlighted.</p>"
)


def _chat_tab(service: RagService) -> SimpleNamespace:
    settings = service.settings
    ui = SimpleNamespace()
    with gr.Row():
        with gr.Column(scale=3):
            with gr.Row():
                ui.picker = gr.Dropdown(
                    label="Saved conversations",
                    choices=[],
                    value=None,
                    info="Your saved conversations, most recent first: pick one to reopen it.",
                    scale=4,
                    elem_id="rag-conversations",
                )
                ui.clear = gr.Button(
                    "New conversation", size="sm", scale=0, min_width=160, elem_id="rag-new"
                )
            ui.chatbot = gr.Chatbot(
                label="Conversation",
                height=480,
                examples=[{"text": q} for q in chat.EXAMPLES],
                placeholder="Ask about the documents, or start with an example:",
                latex_delimiters=[],  # "$5 … $3" in a document is not LaTeX
                allow_tags=False,
                feedback_options=("Like", "Dislike"),
                buttons=[],  # Gradio's copy buttons would copy our HTML, not the answer text
                elem_id="rag-chatbot",
            )
            ui.question = gr.Textbox(
                label="Your question",
                placeholder="Ask a question (Enter sends, Shift+Enter adds a line)",
                lines=1,  # one line grows to 8; Gradio then sends on Enter, breaks on Shift+Enter
                max_lines=8,
                max_length=settings.max_question_chars,
                submit_btn="Ask",
                autofocus=False,  # it scrolled the title away; PAGE_JS focuses without scrolling
                elem_id="rag-question",
            )
            # Shown while an answer is being written (the question box is locked meanwhile).
            ui.stop = gr.Button(
                "Stop answering", variant="stop", size="sm", visible=False, elem_id="rag-stop"
            )
            ui.feedback_status = gr.HTML(elem_id="rag-feedback-status")
            with gr.Accordion("Rate the last answer in detail", open=False):
                ui.note = gr.Textbox(label="What was wrong or right? (optional)", lines=2)
                ui.correction = gr.Textbox(label="The correct answer (optional)", lines=2)
                with gr.Row():
                    ui.send_up = gr.Button("Helpful", size="sm")
                    ui.send_down = gr.Button("Not helpful", size="sm")
            with gr.Accordion("Manage this conversation", open=False):
                with gr.Row(equal_height=True):
                    ui.title = gr.Textbox(label="New title", scale=4, elem_id="rag-title")
                    ui.rename = gr.Button("Rename", size="sm", scale=0, min_width=100)
                ui.forget = gr.Button(
                    "Delete this conversation", variant="stop", size="sm", elem_id="rag-forget"
                )
                ui.manage_status = gr.HTML(elem_id="rag-manage-status")
            with gr.Accordion("Answer settings", open=False):
                ui.top_k = gr.Slider(
                    1,
                    20,
                    value=settings.top_k,
                    step=1,
                    label="Passages to retrieve (top-k)",
                    elem_id="rag-top-k",
                )
                ui.generator = gr.Radio(
                    chat.generator_choices(service),
                    value=service.generator.name,
                    label="Answer generator",
                    info="Extractive answers instantly by quoting sentences.",
                    elem_id="rag-generator",
                )
        with gr.Column(scale=2):
            ui.sources = gr.HTML(render.SOURCES_INTRO, elem_id="rag-sources")
            # The source viewer: "Open document" in the Sources panel sets window.ragOpen and
            # clicks the hidden button, whose handler renders the whole document here.
            ui.viewer = gr.HTML(elem_id="rag-viewer")
            ui.open_ref = gr.Textbox(elem_id="rag-open-ref", elem_classes="rag-hidden")
            ui.open_doc = gr.Button(
                "Open document", elem_id="rag-open-doc", elem_classes="rag-hidden"
            )
    return ui


def _documents_tab() -> SimpleNamespace:
    ui = SimpleNamespace()
    kinds = sorted(SUPPORTED_SUFFIXES)
    ui.files = gr.File(
        label=f"Add documents ({', '.join(kinds)})",
        file_count="multiple",
        file_types=kinds,
        elem_id="rag-upload",
    )
    ui.status = gr.HTML(elem_id="rag-upload-status")
    ui.listing = gr.HTML(elem_id="rag-doc-list")
    with gr.Row():
        ui.to_delete = gr.Dropdown(
            label="Document to delete", choices=[], scale=4, elem_id="rag-delete-pick"
        )
        ui.delete = gr.Button("Delete document", variant="stop", size="md", scale=0, min_width=200)
    return ui


def build_ui(service: RagService, sign_ins: conversations.SignIns | None = None) -> gr.Blocks:
    """The page. ``sign_ins`` (shared with the sign-in form) knows each user's API key, and
    so their conversations and the collections they may use."""
    users = sign_ins or conversations.SignIns(service)
    # Uploaded files land in Gradio's cache; clear what is older than an hour, hourly.
    with gr.Blocks(title=TITLE, delete_cache=(3600, 3600)) as demo:
        # The page CSS rides in <head> with this always-visible block, so the UI is styled
        # however it is mounted.
        gr.HTML(INTRO, head=f"<style>{CSS}</style>", elem_id="rag-intro")
        with gr.Row():
            collection = gr.Dropdown(
                choices=[service.settings.collection],
                value=service.settings.collection,
                label="Collection",
                info="Questions and uploads use this collection; type a new name to create one.",
                allow_custom_value=True,
                scale=4,
                elem_id="rag-collection",
            )
            refresh = gr.Button(
                "Refresh collections", size="sm", scale=0, min_width=180, elem_id="rag-refresh"
            )
        about = gr.HTML(elem_id="rag-about")  # what the collection holds, for a newcomer
        with gr.Tabs():
            with gr.Tab("Chat", id="chat"):
                talk = _chat_tab(service)
            with gr.Tab("Documents", id="documents"):
                docs = _documents_tab()
        _wire_chat(service, users, talk, collection, demo)
        _wire_documents(service, users, docs, collection, refresh, demo, about)
        demo.load(None, js=PAGE_JS)
    return demo


def _user(request: gr.Request | None) -> str | None:
    return getattr(request, "username", None)


def _wire_chat(
    service: RagService,
    users: conversations.SignIns,
    ui: SimpleNamespace,
    collection: gr.Dropdown,
    demo: gr.Blocks,
) -> None:
    pending = gr.State("")  # the question being answered
    stops = chat.Stops()
    turns = gr.State([])  # plain question/answer texts: the history the engine sees
    turn_ids = gr.State([])  # each answer's stored turn id, for ratings
    # The open conversation, kept in the browser so a reload (or a restart) reopens it; the
    # id is no secret (the server checks the owner), so the fixed key only makes it last.
    current = gr.BrowserState(None, storage_key="rag-conversation", secret="rag-conversation")
    opened = [ui.chatbot, turns, ui.sources, turn_ids, current, ui.picker]

    def who(request: gr.Request | None) -> str:
        return users.owner(_user(request))

    def scope(request: gr.Request | None) -> Scope:
        return users.scope(_user(request))

    def picker(request: gr.Request | None, value: str | None) -> Any:
        found = conversations.choices(service, who(request), scope(request))
        return gr.update(choices=found, value=value)

    def reopen(conversation_id: str | None, request: gr.Request) -> Any:
        found = conversations.find(service, conversation_id, who(request), scope(request))
        value = found.id if found else None
        return (*conversations.shown(found), value, picker(request, value))

    def answer(
        question: str,
        messages: list[Any],
        said: list[Any],
        name: str | None,
        top_k: float | None,
        generator: str | None,
        conversation_id: str | None,
        ids: list[Any],
        request: gr.Request,
    ) -> Any:
        owner, allowed = who(request), scope(request)
        if conversations.find(service, conversation_id, owner, allowed) is None:
            conversation_id = None  # deleted meanwhile (another tab), or storing is off
        session = request.session_hash or ""
        stops.clear(session)
        yield from chat.answer(
            service,
            question,
            messages,
            said,
            name,
            top_k,
            generator,
            conversation_id,
            ids,
            owner,
            stop=lambda: stops.asked(session),
            scope=allowed,
        )

    def listed(conversation_id: str | None, request: gr.Request) -> Any:
        return picker(request, conversation_id)

    def pick_example(messages: list[Any], evt: gr.SelectData) -> Any:
        return chat.ask(str(evt.value.get("text", "")), messages)

    def fresh() -> Any:
        return [], [], render.SOURCES_INTRO, [], None, gr.update(value=None)

    def rate(ids: list[Any], evt: gr.LikeData, request: gr.Request) -> Any:
        index = evt.index if isinstance(evt.index, int) else evt.index[0]
        liked = evt.liked if isinstance(evt.liked, bool) else None  # None: a rating taken back
        return conversations.rate(service, ids, index, liked, who(request))

    def rate_detail(liked: bool) -> Any:
        def send(ids: list[Any], note: str, correction: str, request: gr.Request) -> Any:
            last = 2 * (len(ids) - 1) + 1  # the last answer's message index
            status = conversations.rate(service, ids, last, liked, who(request), note, correction)
            return status, "", ""

        return send

    def rename(conversation_id: str | None, title: str, request: gr.Request) -> Any:
        status = conversations.rename(service, conversation_id, title, who(request))
        return status, picker(request, conversation_id)

    def forget(conversation_id: str | None, request: gr.Request) -> Any:
        if conversation_id == CANCELLED:
            return (gr.skip(),) * (1 + len(opened))
        status = conversations.delete(service, conversation_id, who(request))
        return status, *fresh()[:5], picker(request, None)

    then_answer: dict[str, Any] = {
        "fn": answer,
        "inputs": [
            pending,
            ui.chatbot,
            turns,
            collection,
            ui.top_k,
            ui.generator,
            current,
            turn_ids,
        ],
        "outputs": [ui.chatbot, ui.sources, turns, current, turn_ids],
    }

    def lock() -> Any:
        stop = gr.update(visible=True, interactive=True, value="Stop answering")
        return gr.update(interactive=False), stop

    def unlock() -> Any:
        return gr.update(interactive=True), gr.update(visible=False)

    def stop(request: gr.Request) -> Any:
        stops.ask(request.session_hash or "")  # the answer sees it at its next event
        return gr.update(interactive=False, value="Stopping…")

    asked = [ui.question, ui.chatbot, pending]
    busy = [ui.question, ui.stop]
    for sent in (
        ui.question.submit(chat.ask, [ui.question, ui.chatbot], asked),
        ui.chatbot.example_select(pick_example, [ui.chatbot], asked),
    ):
        # The box is locked while the answer is written, so a second question cannot be
        # sent into the middle of the first one's reply; Stop cancels the answer instead.
        writing = sent.then(lock, None, busy).then(**then_answer)
        writing.then(listed, [current], [ui.picker]).then(unlock, None, busy, js=FOCUS_JS)
    ui.stop.click(stop, None, [ui.stop])

    def view(ref: str, name: str | None, request: gr.Request) -> str:
        return documents.viewer(service, ref, name, scope(request))

    # OPEN_JS sends what "Open document" asked for in place of the hidden box's value (a
    # component the browser holds: a State's value never leaves the server).
    ui.open_doc.click(view, [ui.open_ref, collection], [ui.viewer], js=OPEN_JS).then(
        None, js=SCROLL_JS
    )
    demo.load(reopen, [current], opened)
    ui.picker.input(reopen, [ui.picker], opened)
    ui.clear.click(fresh, None, opened)
    ui.chatbot.clear(fresh, None, opened)
    ui.chatbot.like(rate, [turn_ids], [ui.feedback_status])
    for button, liked in ((ui.send_up, True), (ui.send_down, False)):
        button.click(
            rate_detail(liked),
            [turn_ids, ui.note, ui.correction],
            [ui.feedback_status, ui.note, ui.correction],
        )
    ui.rename.click(rename, [current, ui.title], [ui.manage_status, ui.picker])
    ui.forget.click(
        forget,
        [current],
        [ui.manage_status, *opened],
        js="(id) => confirm('Delete this conversation and its saved answers?') ? [id] : "
        f"['{CANCELLED}']",
    )


def _wire_documents(
    service: RagService,
    users: conversations.SignIns,
    ui: SimpleNamespace,
    collection: gr.Dropdown,
    refresh: gr.Button,
    demo: gr.Blocks,
    about: gr.HTML,
) -> None:
    lists = [ui.listing, ui.to_delete]

    def scope(request: gr.Request | None) -> Scope:
        return users.scope(_user(request))

    def describe(name: str | None, request: gr.Request) -> str:
        return documents.about(service, name, scope(request))

    def show_listing(name: str | None, request: gr.Request) -> Any:
        return documents.listing(service, name, scope(request))

    def refresh_all(name: str | None, request: gr.Request) -> Any:
        # A user whose key may not use the shown collection is moved to one it may use.
        choices = documents.collection_choices(service, name, scope(request))
        shown = choices.get("value", name)  # sent only when it changes
        return choices, *documents.listing(service, shown, scope(request))

    # Gradio finds its progress tracker by this default value.
    def upload(
        files: Any,
        name: str | None,
        request: gr.Request,
        progress: Any = gr.Progress(),  # noqa: B008
    ) -> Any:
        return documents.upload(service, files, name, progress, scope(request))

    def delete(doc_id: str | None, name: str | None, request: gr.Request) -> Any:
        if name == CANCELLED:
            return gr.skip(), gr.skip(), gr.skip()
        return documents.delete(service, doc_id, name, scope(request))

    # Every event that writes the document list runs in one queue, one at a time, in the
    # order sent: Gradio runs different listeners side by side, and a listing read before a
    # delete (the upload's new collection fires `collection.change`) and delivered after it
    # showed the deleted document again.
    refresh.click(refresh_all, [collection], [collection, *lists], **DOCUMENTS_QUEUE)
    # The page is built once for every user: on load, each one's own collections (the
    # "about" line waits for them, not to describe a collection the user may not use).
    demo.load(refresh_all, [collection], [collection, *lists], **DOCUMENTS_QUEUE).then(
        describe, [collection], [about]
    )
    collection.change(show_listing, [collection], lists, **DOCUMENTS_QUEUE).then(
        describe, [collection], [about]
    )
    ui.files.upload(
        upload, [ui.files, collection], [ui.status, *lists, collection, ui.files], **DOCUMENTS_QUEUE
    ).then(describe, [collection], [about])
    ui.delete.click(
        delete,
        [ui.to_delete, collection],
        [ui.status, *lists],
        **DOCUMENTS_QUEUE,
        # "No" is sent as the collection (a free-text field, so any value passes Gradio's
        # check; the document picker would refuse an unknown value).
        js="(id, name) => (!id || confirm('Delete this document from the collection?')) ? "
        f"[id, name] : [id, '{CANCELLED}']",
    ).then(describe, [collection], [about])


def mount(app: FastAPI, service: RagService, settings: Settings) -> None:
    """The UI at /. With API keys set it asks for one (as the password, any user name), so
    the UI is no way around the keys; a user name is bound to the first key that signs in
    with it, and sees that key's conversations and only the collections it may use."""
    keys = settings.api_key_list()
    sign_ins = conversations.SignIns(service)

    def sign_in(user: str, password: str) -> bool:
        # A user name stays with the key it first used: its conversations and collections.
        return key_matches(password, keys) and sign_ins.claim(user, password)

    auth = sign_in if keys else None
    gr.mount_gradio_app(
        app,
        build_ui(service, sign_ins),
        path="/",
        auth=auth,
        max_file_size=settings.max_upload_bytes,
        auth_message="Sign in with any user name and an API key (RAG_API_KEYS) as the password.",
    )
