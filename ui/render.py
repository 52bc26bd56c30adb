"""HTML for the chat: answers with clickable [n] markers, the Sources panel, abstentions.

Everything that comes from a document, the model or the user passes through ``escape``, which
turns HTML *and* Markdown syntax into character references, so a document holding
``<script>`` or ``[x](javascript:…)`` shows as text and never runs. The only tags in the
output are the ones written here. Chat messages are single-line HTML blocks (no blank lines),
so the Chatbot's Markdown renderer passes them through instead of re-parsing the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rag.schemas import DocumentInfo, Passage, QueryResponse
from rag.text.markers import MARKER, cited_ids, marker_ids, strip_markers
from rag.text.support import claims_by_passage, supporting_spans
from rag.text.words import squash

# HTML specials plus the characters Markdown, GFM and LaTeX rendering give meaning to.
_ENTITIES = str.maketrans({c: f"&#{ord(c)};" for c in "&<>\"'`*_[]()\\$~|#!{}"})
_TOOLTIP_CHARS = 280


def escape(text: str) -> str:
    """Text as inert HTML: no tags, no Markdown, line breaks kept as ``<br>``."""
    return "<br>".join(line.translate(_ENTITIES) for line in text.split("\n"))


# --- where in a passage a claim comes from ------------------------------------------------
def highlighted(passage_text: str, claims: Iterable[str]) -> str:
    """The passage, escaped, with the sentences that back ``claims`` wrapped in ``<mark>``."""
    out, at = [], 0
    for start, end in supporting_spans(passage_text, claims):
        out += [escape(passage_text[at:start]), f"<mark>{escape(passage_text[start:end])}</mark>"]
        at = end
    out.append(escape(passage_text[at:]))
    return "".join(out)


def weakly_supported(response: QueryResponse) -> set[int]:
    """Cited passages that verification found backing none of their sentences."""
    verdicts: dict[int, bool] = {}
    for s in response.support:
        for n in s.citations:
            verdicts[n] = verdicts.get(n, False) or s.supported
    return {n for n, ok in verdicts.items() if not ok}


def in_reading_order(response: QueryResponse) -> QueryResponse:
    """The response with its passages renumbered so that a reader meets [1] first, then [2]:
    cited passages 1..k in the order the answer first names them, the others after, in
    retrieval order. Markers in the answer and its per-sentence support follow. The API keeps
    retrieval's numbers; this is how the chat shows them (a no-op when already in order)."""
    retrieved = [p.id for p in response.passages]
    cited = [n for n in cited_ids(response.answer) if n in retrieved]  # a stray [9] stays
    order = list(dict.fromkeys([*cited, *retrieved]))
    new = {old: n for n, old in enumerate(order, start=1)}
    if all(old == n for old, n in new.items()):
        return response

    def markers(text: str) -> str:
        return MARKER.sub(
            lambda m: "[" + ", ".join(str(new.get(n, n)) for n in marker_ids(m)) + "]", text
        )

    def moved(p: Passage) -> Passage:
        return p.model_copy(update={"id": new.get(p.id, p.id)})

    return response.model_copy(
        update={
            "answer": markers(response.answer),
            "passages": sorted((moved(p) for p in response.passages), key=lambda p: p.id),
            "citations": sorted((moved(p) for p in response.citations), key=lambda p: p.id),
            "support": [
                s.model_copy(
                    update={
                        "sentence": markers(s.sentence),
                        "citations": [new.get(n, n) for n in s.citations],
                    }
                )
                for s in response.support
            ],
            "parts": [
                part.model_copy(update={"citations": [new.get(n, n) for n in part.citations]})
                for part in response.parts
            ],
        }
    )


# --- chat messages ------------------------------------------------------------------------
def document_name(p: Passage) -> str:
    """Title, byline, date, file and page: the byline and date matter, as answers cite them
    for authorship and for when the text was published; the page ("p. 3", "pp. 3–4" when the
    passage runs on) for a PDF."""
    byline = (f" by {p.author}" if p.author else "") + (f", {p.published}" if p.published else "")
    name = f"{p.title}{byline} ({p.source})" if p.title else f"{p.source}{byline}"
    if p.page is None:
        return name
    pages = (
        f"pp. {p.page}–{p.last_page}" if p.last_page and p.last_page > p.page else f"p. {p.page}"
    )
    return f"{name}, {pages}"


_WEAK = (
    ' <span class="rag-weak" title="Verification did not find this claim in the passage">'
    "weak support</span>"
)


def _passage_head(p: Passage, weak: bool = False) -> str:
    return (
        f'<span class="rag-n">[{p.id}]</span> <span class="rag-doc">{escape(document_name(p))}'
        f'</span> <span class="rag-score">relevance {p.score:.3f}</span>{_WEAK if weak else ""}'
    )


def _cite(p: Passage, claims: list[str], weak: bool) -> str:
    """A marker: hover shows a snippet (title), click or Tab+Enter opens the passage inline."""
    tip = escape(squash(f"{document_name(p)}: {p.text}")[:_TOOLTIP_CHARS] + "…")
    css = "rag-cite rag-cite-weak" if weak else "rag-cite"
    return (
        f'<span class="{css}" tabindex="0" role="button" title="{tip}">[{p.id}]'
        f'<span class="rag-cite-pop" role="note">{_passage_head(p, weak)}<br>'
        f'<span class="rag-passage">{highlighted(p.text, claims)}</span></span></span>'
    )


def answer_html(response: QueryResponse, withdrawn_draft: bool = False) -> str:
    """The verified answer with live markers, or the abstention look (saying so when a draft
    had been shown: ``withdrawn_draft``)."""
    if response.abstained:
        return abstention_html(response, withdrawn_draft)
    response = in_reading_order(response)
    by_id = {p.id: p for p in response.passages}
    claims, weak = claims_by_passage(response), weakly_supported(response)
    out, at = [], 0
    for match in MARKER.finditer(response.answer):
        out.append(escape(response.answer[at : match.start()]))
        for n in marker_ids(match):
            p = by_id.get(n)
            out.append(_cite(p, claims.get(n, []), n in weak) if p else escape(f"[{n}]"))
        at = match.end()
    out.append(escape(response.answer[at:]))
    return f'<div class="rag-answer">{"".join(out)}{_answer_tools(response)}</div>'


def copy_text(response: QueryResponse) -> str:
    """What "Copy answer" copies: the answer as shown, then its sources, one per marker."""
    sources = [f"[{p.id}] {document_name(p)}" for p in response.citations]
    return "\n".join([response.answer, *(["", "Sources:", *sources] if sources else [])])


def _answer_tools(response: QueryResponse) -> str:
    """Copy (the answer with its sources) and, on a phone, a jump to the Sources panel; both
    work by click or by keyboard (``ui.app.PAGE_JS``)."""
    # The text to copy rides along hidden, a line per element (the chat's sanitizer drops
    # data attributes).
    lines = "".join(
        f'<span class="rag-copy-line">{escape(line)}</span>'
        for line in copy_text(response).split("\n")
    )
    return (
        '<span class="rag-tools"><span class="rag-copy" role="button" tabindex="0">Copy answer'
        '</span> <span class="rag-to-sources" role="button" tabindex="0">Sources ↓</span>'
        f'<span class="rag-copy-text" aria-hidden="true">{lines}</span></span>'
    )


def abstention_html(response: QueryResponse, withdrawn_draft: bool = False) -> str:
    hint = (
        "The closest passages are listed under Sources. Try rephrasing, or pick another collection."
        if response.passages
        else "Nothing in this collection matched: is it empty?"
    )
    if withdrawn_draft:
        hint = f"The draft shown while writing did not hold up against the passages. {hint}"
    return (
        '<div class="rag-abstain" role="status"><span class="rag-abstain-badge">'
        "Not in the documents</span> "
        f"{escape(response.answer or 'The documents do not say.')}"
        f'<br><span class="rag-hint">{escape(hint)}</span></div>'
    )


DRAFT_BADGE = "Draft · checking it against the passages"
_PARTIAL_MARKER = re.compile(r"\s*\[[\d,\s]*$")  # "… [1" still arriving


def streaming_html(text: str) -> str:
    """Answer text as it arrives, labelled as a draft (the checks may still change or withdraw
    it) and without markers: they get their numbers, in reading order, in the checked
    answer that replaces the draft."""
    shown = strip_markers(_PARTIAL_MARKER.sub("", text)).rstrip()  # only ever grows
    return (
        f'<div class="rag-answer rag-streaming" aria-busy="true"><span class="rag-draft">'
        f"{DRAFT_BADGE}</span> {escape(shown)}"
        '<span class="rag-cursor" aria-hidden="true">▍</span></div>'
    )


def status_html(text: str) -> str:
    return f'<div class="rag-status rag-streaming" aria-busy="true">{escape(text)}</div>'


def error_html(text: str) -> str:
    return f'<div class="rag-error" role="alert">⚠ {escape(text)}</div>'


def question_html(text: str) -> str:
    return f'<div class="rag-question">{escape(text)}</div>'


# --- the Sources panel --------------------------------------------------------------------
_PANEL_OPEN = '<section class="rag-sources" aria-label="Sources"><h3>Sources</h3>'
SOURCES_INTRO = (
    f"{_PANEL_OPEN}"
    '<p class="rag-hint">Ask a question: the passages its answer cites appear here, with the '
    "supporting sentence highlighted.</p></section>"
)


def _open_control(p: Passage) -> str:
    """ "Open document": the source viewer (``ui.app``) shows the whole document there."""
    if not p.doc_id:
        return ""
    ref = escape(f"{p.doc_id}|{p.chunk_id}|{p.doc_hash or ''}|{p.source}")
    return (
        f' <span class="rag-open" role="button" tabindex="0" data-ref="{ref}" '
        f'data-n="{p.id}">Open document</span>'
    )


def _source_list(
    passages: list[Passage],
    claims: dict[int, list[str]],
    weak: set[int] | None = None,
    css: str = "rag-source-list",
) -> str:
    items = "".join(
        f'<div class="rag-source" role="listitem" data-n="{p.id}"><div class="rag-source-head">'
        f"{_passage_head(p, p.id in (weak or set()))}{_open_control(p)}</div>"
        f'<div class="rag-passage">{highlighted(p.text, claims.get(p.id, []))}</div></div>'
        for p in passages
    )
    return f'<div class="{css}" role="list">{items}</div>'


def _panel(*parts: str) -> str:
    return f"{_PANEL_OPEN}{''.join(parts)}</section>"


def _searched_for(standalone: str | None, asked: str | None) -> str:
    if not standalone or standalone == asked:
        return ""
    return f'<p class="rag-hint">Searched for: “{escape(standalone)}”</p>'


def sources_html(response: QueryResponse, asked: str | None = None) -> str:
    """Cited passages with their supporting sentences marked; the rest folded away."""
    response = in_reading_order(response)
    cited = {p.id for p in response.citations}
    others = [p for p in response.passages if p.id not in cited]
    if response.citations:
        main = _source_list(
            response.citations, claims_by_passage(response), weakly_supported(response)
        )
        fold = f'<details class="rag-others"><summary>Also retrieved ({len(others)})</summary>'
    elif response.passages:
        main = '<p class="rag-hint">No passage supports an answer. Closest passages:</p>'
        fold = f'<details class="rag-others" open><summary>Retrieved ({len(others)})</summary>'
    else:
        main, fold = '<p class="rag-hint">No passages were retrieved.</p>', ""
    rest = f"{fold}{_source_list(others, {})}</details>" if others else ""
    return _panel(_searched_for(response.question, asked), main, rest)


def retrieved_html(passages: list[Passage], standalone: str, asked: str) -> str:
    """The panel while the answer is being written: what retrieval found."""
    return _panel(
        _searched_for(standalone, asked),
        f'<p class="rag-hint">Retrieved {len(passages)} passages; writing the answer…</p>',
        _source_list(passages, {}, css="rag-source-list rag-pending"),
    )


# --- the source viewer --------------------------------------------------------------------
_MIN_OVERLAP = 20  # characters: a shorter match between two chunks is taken as chance


def _unseen(text_so_far: str, chunk: str) -> str:
    """The part of ``chunk`` not already at the end of ``text_so_far`` (chunks overlap)."""
    tail = text_so_far[-4000:]
    for i in range(max(0, len(tail) - len(chunk)), len(tail) - _MIN_OVERLAP + 1):
        if chunk.startswith(tail[i:]):
            return chunk[len(tail) - i :]
    return ("\n\n" if text_so_far else "") + chunk


def document_view_html(
    passages: list[Passage], focus_chunk: str, claims: list[str], cited_hash: str = ""
) -> str:
    """The whole document (its chunks joined where they overlap, page numbers where pages
    begin), the cited passage marked ``#rag-focus`` and its supporting sentences highlighted.
    ``cited_hash``: the version the answer cited; a newer one is said to be newer."""
    if not passages:
        return '<p class="rag-hint" role="status">That document is no longer in the collection.</p>'
    first = passages[0]
    name = f"{first.title} ({first.source})" if first.title else first.source
    newer = (
        '<p class="rag-hint">The document has changed since this answer: this is its current '
        "version; the passage as cited is in the Sources panel.</p>"
        if cited_hash and first.doc_hash and cited_hash != first.doc_hash
        else ""
    )
    out, text, page = [], "", None
    for p in passages:
        new = _unseen(text, p.text)
        text += new
        if p.page is not None and p.page != page:
            out.append(f'<span class="rag-page" role="note">p. {p.page}</span>')
            page = p.page
        if p.chunk_id == focus_chunk:
            out.append(f'<span id="rag-focus" class="rag-focus">{highlighted(new, claims)}</span>')
        else:
            out.append(escape(new))
    return (
        f'<section class="rag-viewer" aria-label="Document: {escape(name)}">'
        f'<div class="rag-viewer-head"><b>{escape(name)}</b> <span class="rag-close" '
        f'role="button" tabindex="0">Close</span></div>{newer}'
        f'<div class="rag-viewer-body">{"".join(out)}</div></section>'
    )


# --- status lines -------------------------------------------------------------------------
def status_block(lines_html: list[str], failed: bool = False) -> str:
    """A status line (lines already escaped), announced to screen readers."""
    css = "rag-error" if failed else "rag-hint"
    return f'<div class="{css}" role="status">{"<br>".join(lines_html)}</div>'


def status_line(text: str, error: bool = False) -> str:
    return status_block([escape(text)], error)


# --- the Documents tab --------------------------------------------------------------------
def collection_line(docs: list[DocumentInfo], collection: str, shown: int = 5) -> str:
    """One line for a newcomer: what the collection holds (count and the first titles)."""
    name = escape(collection)
    if not docs:
        return (
            f'<p class="rag-hint" role="status">Collection “{name}” has no documents yet: add '
            "some in the Documents tab.</p>"
        )
    titles = [escape(d.title or d.source) for d in docs[:shown]]
    more = f" and {len(docs) - shown} more" if len(docs) > shown else ""
    count = "1 document" if len(docs) == 1 else f"{len(docs)} documents"
    return (
        f'<p class="rag-hint" role="status">Collection “{name}” holds {count}: '
        f"{'; '.join(f'<i>{t}</i>' for t in titles)}{more}.</p>"
    )


def documents_html(docs: list[DocumentInfo], collection: str) -> str:
    if not docs:
        return (
            f'<p class="rag-hint">Collection “{escape(collection)}” has no documents yet: '
            "upload a file above.</p>"
        )
    rows = "".join(
        f"<tr><td>{escape(d.source)}</td><td>{escape(d.title)}</td>"
        f'<td class="rag-num">{d.chunks}</td><td><code>{escape(d.id)}</code></td></tr>'
        for d in docs
    )
    total = sum(d.chunks for d in docs)
    return (
        f'<table class="rag-docs"><caption>{len(docs)} documents, {total} chunks in '
        f"“{escape(collection)}”</caption><thead><tr><th>File</th><th>Title</th>"
        f"<th>Chunks</th><th>Id</th></tr></thead><tbody>{rows}</tbody></table>"
    )
