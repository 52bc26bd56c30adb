"""ui.render: the chat's HTML, escaped (tests/test_ui_browser.py drives a real browser)."""

from __future__ import annotations

import re

from rag.schemas import Passage, QueryResponse, SentenceSupport, Timings
from rag.text.support import answer_claims
from ui import render

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)> [link](javascript:alert(3)) $x$"


def passage(
    n: int, text: str, source: str = "doc.txt", title: str | None = None, author: str | None = None
) -> Passage:
    return Passage(
        id=n, source=source, chunk_id=f"c{n}", text=text, score=0.5 / n, title=title, author=author
    )


def response(
    answer: str, passages: list[Passage], cited: list[int], **extra: object
) -> QueryResponse:
    by_id = {p.id: p for p in passages}
    return QueryResponse(
        answer=answer,
        abstained=extra.pop("abstained", False),
        citations=[by_id[n] for n in cited],
        passages=passages,
        timings_ms=Timings(),
        **extra,
    )


def test_escape_leaves_no_tag_markdown_or_latex() -> None:
    out = render.escape(HOSTILE + "\n*b* `c` # d")
    assert out.count("<br>") == 1
    bare = re.sub(r"&#\d+;", "", out.replace("<br>", ""))  # what is left is plain letters
    for char in "<>[]()*`#$_":
        assert char not in bare


def test_markers_become_citations_that_hold_the_escaped_passage() -> None:
    passages = [
        passage(1, "Marta Furlan wrote it. Other text.", title="The Meeting", author="M. F."),
        passage(2, HOSTILE),
    ]
    html = render.answer_html(response("Furlan wrote it [1]. Odd [2]. Gone [9].", passages, [1, 2]))
    assert html.count('class="rag-cite"') == 2
    assert "<mark>Marta Furlan wrote it.</mark>" in html
    assert (
        'title="The Meeting by M. F. &#40;doc.txt&#41;: Marta Furlan wrote it. Other text.…"'
        in html
    )
    assert "<script" not in html and "<img" not in html and "href" not in html
    assert "&#60;script&#62;" in html
    assert "&#91;9&#93;" in html  # a marker naming no passage stays plain text
    assert "\n" not in html  # one HTML block: the Chatbot's Markdown leaves it alone


def test_one_marker_may_name_several_passages() -> None:
    passages = [passage(1, "Alpha beta gamma."), passage(2, "Alpha beta delta.")]
    html = render.answer_html(response("Alpha beta [1, 2].", passages, [1, 2]))
    assert html.count('class="rag-cite"') == 2


def test_claims_are_read_before_or_after_the_full_stop() -> None:
    assert answer_claims("It rained [1]. It snowed [2].") == [
        ("It rained", [1]),
        ("It snowed", [2]),
    ]
    assert answer_claims("Intro. It rained. [1] It snowed. [2][3]") == [
        ("It rained.", [1]),
        ("It snowed.", [2]),
        ("It snowed.", [3]),
    ]


def test_support_from_the_engine_picks_the_highlight() -> None:
    text = "Assad flew to Tehran in May. The talks covered trade and security."
    support = [SentenceSupport(sentence="They discussed trade.", citations=[1], supported=True)]
    got = response("They discussed trade [1].", [passage(1, text)], [1], support=support)
    assert "<mark>The talks covered trade and security.</mark>" in render.sources_html(got)


def test_unverified_citations_are_flagged() -> None:
    passages = [passage(1, "Alpha beta gamma."), passage(2, "Delta epsilon.")]
    support = [
        SentenceSupport(sentence="Alpha beta.", citations=[1], supported=True),
        SentenceSupport(sentence="Zeta.", citations=[2], supported=False),
    ]
    got = response("Alpha beta [1]. Zeta [2].", passages, [1, 2], support=support)
    assert render.weakly_supported(got) == {2}
    assert render.answer_html(got).count("rag-cite rag-cite-weak") == 1
    assert render.sources_html(got).count("weak support</span>") == 1


def test_sources_panel_lists_cited_first_and_folds_the_rest() -> None:
    passages = [passage(1, "One fact here."), passage(2, "Two facts here.", source="b.txt")]
    got = response("One fact here [2].", passages, [2], question="standalone question")
    html = render.sources_html(got, asked="follow-up")
    assert html.index("b.txt") < html.index("Also retrieved (1)")
    assert "Searched for: “standalone question”" in html
    assert "relevance 0.250" in html


def test_abstention_has_its_own_look() -> None:
    got = response("The documents do not say.", [passage(1, "Unrelated.")], [], abstained=True)
    html = render.answer_html(got)
    assert 'class="rag-abstain"' in html and "Not in the documents" in html
    assert "rag-cite" not in html
    assert "No passage supports an answer" in render.sources_html(got)


def test_documents_table_escapes_names() -> None:
    from rag.schemas import DocumentInfo

    docs = [DocumentInfo(id="abc", source="<b>x</b>.txt", title=HOSTILE, chunks=3)]
    html = render.documents_html(docs, "default")
    assert "<b>x" not in html and "<script" not in html and "3 chunks" in html


def test_a_pdf_passage_names_its_page() -> None:
    base = Passage(id=1, source="memo.pdf", chunk_id="m-1", text="x", score=1.0, title="Memo")
    assert render.document_name(base) == "Memo (memo.pdf)"
    on_three = base.model_copy(update={"page": 3, "last_page": 3})
    assert render.document_name(on_three) == "Memo (memo.pdf), p. 3"
    runs_on = base.model_copy(update={"page": 3, "last_page": 4})
    assert render.document_name(runs_on) == "Memo (memo.pdf), pp. 3–4"


def test_a_passage_names_its_author_and_date() -> None:
    """An answer cites them for who wrote a text and when: the reader sees them there."""
    p = Passage(id=1, source="a.txt", chunk_id="a-1", text="x", score=1.0, title="Talks")
    dated = p.model_copy(update={"author": "Marta Furlan", "published": "May 30, 2022"})
    assert render.document_name(dated) == "Talks by Marta Furlan, May 30, 2022 (a.txt)"


def test_markers_are_numbered_in_the_order_the_answer_cites_them() -> None:
    """Retrieval numbered them 3, 1; the reader meets [1] then [2], and every marker, the
    passages, the citations and the highlights follow; a marker naming nothing stays."""
    passages = [
        passage(1, "Tehran hosted the talks. More."),
        passage(2, "Nothing cited here."),
        passage(3, "Assad flew to Tehran in May."),
    ]
    answer = response(
        "Assad flew in May [3]. Talks were in Tehran [1, 3]. Stray [7].", passages, [3, 1]
    )
    shown = render.in_reading_order(answer)
    assert shown.answer == "Assad flew in May [1]. Talks were in Tehran [2, 1]. Stray [7]."
    assert [(p.id, p.text) for p in shown.passages] == [
        (1, "Assad flew to Tehran in May."),
        (2, "Tehran hosted the talks. More."),
        (3, "Nothing cited here."),
    ]
    assert [c.id for c in shown.citations] == [1, 2]
    assert render.in_reading_order(shown) == shown
    html = render.answer_html(answer)
    assert html.index("Assad flew to Tehran") < html.index("Tehran hosted the talks")
    panel = render.sources_html(answer)
    assert panel.index('data-n="1"') < panel.index('data-n="2"')
    assert "<mark>Assad flew to Tehran in May.</mark>" in panel


def test_the_source_viewer_joins_overlapping_chunks_and_marks_the_cited_one() -> None:
    """Chunks overlap (40 tokens here): the document reads once, pages where they begin,
    the cited chunk marked with its supporting sentence; a newer version is said to be."""
    first = "Iran backed Assad for years. Money and fighters went to Damascus. The ties held."
    second = "Money and fighters went to Damascus. The ties held. In 2024 the regime fell."
    doc = [
        passage(1, first).model_copy(update={"doc_id": "d", "page": 1, "doc_hash": "v2"}),
        passage(2, second).model_copy(update={"doc_id": "d", "page": 2, "doc_hash": "v2"}),
    ]
    html = render.document_view_html(doc, "c2", ["In 2024 the regime fell."], cited_hash="v2")
    assert html.count("Money and fighters went to Damascus.") == 1  # the overlap, once
    assert html.index("p. 1") < html.index("Iran backed") < html.index("p. 2")
    focus = html.split('id="rag-focus"')[1]
    assert "In 2024 the regime fell.</mark></span>" in focus  # marked, inside the focus
    assert "has changed since" not in html
    assert "has changed since" in render.document_view_html(doc, "c2", [], cited_hash="v1")
    hostile = [passage(1, "<script>alert(1)</script> text").model_copy(update={"doc_id": "d"})]
    assert "<script" not in render.document_view_html(hostile, "c1", [])
    assert "no longer in the collection" in render.document_view_html([], "c1", [])
    sources = render.sources_html(response("Fell [2].", doc, [2]))
    assert 'data-ref="d&#124;c2&#124;v2&#124;doc.txt"' in sources  # "d|c2|v2|doc.txt"
    assert "Open document" in sources
