"""Citation markers: the one grammar of ``[n]`` and ``[n, m]``, and the claims they close.

A claim is the text up to its markers (and the sentence's full stop): "... in 2019 [2]. Next
...". Splitting claims on every full stop instead would cut "then-U.S. State Department" in
two.
"""

from __future__ import annotations

import re

MARKER = re.compile(r"\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]")
SPACED_MARKER = re.compile(r"\s*" + MARKER.pattern)  # with the space before it
# Only a marker closes a claim: a document's own "[sic]" or "[image: chart]" (``neutralise_markup``)
# quoted in an answer is part of its sentence.
_CLAIM_END = re.compile(MARKER.pattern + r"[.!?]?[\"”’)]*\s+(?=\S)")


def marker_ids(match: re.Match[str]) -> list[int]:
    """The passage numbers of one ``MARKER`` match: [2] → [2], [1, 3] → [1, 3]."""
    return [int(n) for n in match.group(1).split(",")]


def cited_ids(text: str) -> list[int]:
    """Passage numbers named by the markers in ``text``, in order of first mention."""
    return list(dict.fromkeys(n for m in MARKER.finditer(text) for n in marker_ids(m)))


def strip_markers(text: str) -> str:
    """The text without its markers (and the space before each)."""
    return SPACED_MARKER.sub("", text)


def drop_unknown_markers(answer: str, valid: set[int]) -> str:
    """Remove marker numbers that name no retrieved passage (and markers left empty), keeping
    the marker text as written otherwise."""

    def keep(match: re.Match[str]) -> str:
        ids = [p.strip() for p in match.group(1).split(",") if int(p) in valid]
        return f"[{', '.join(ids)}]" if ids else ""

    return re.sub(r"\s+([.,;:!?])", r"\1", MARKER.sub(keep, answer)).strip()


def split_claims(answer: str) -> list[str]:
    """The answer's claims: pieces of text that each end with their markers."""
    pieces = []
    last = 0
    text = answer.strip()
    for m in _CLAIM_END.finditer(text):
        pieces.append(text[last : m.end()].strip())
        last = m.end()
    pieces.append(text[last:].strip())
    return [p for p in pieces if p]


def neutralise_markers(text: str) -> str:
    """Document text with its own bracketed numbers as parentheses: "As shown in [7]" becomes
    "As shown in (7)", so that only markers the answer path writes can be citations. Same
    length, so offsets into the text still hold."""
    return MARKER.sub(lambda m: f"({m.group(1)})", text)


_MD_IMAGE = re.compile(r"!\[([^\]\n]*)\]\(\s*([^)\s]*)[^)\n]*\)")
_MD_LINK = re.compile(r"\[([^\]\n]+)\]\(\s*([^)\s]*)[^)\n]*\)")


# Raw HTML in a text or Markdown document (an HTML file's markup is gone after extraction).
_HTML_BLOCK = re.compile(r"<\s*(script|style)\b[^>]*>.*?(?:<\s*/\s*\1\s*>|$)", re.I | re.S)
_HTML_IMAGE = re.compile(r"<\s*img\b[^>]*?\bsrc\s*=\s*[\"']?([^\"'\s>]*)[^>]*>?", re.I)
# Tags that fetch, run, submit or navigate; harmless ones (<b>, <span>) stay as written.
_ACTIVE = "a|iframe|frame|object|embed|svg|math|video|audio|source|link|meta|base|form|input|button"
_HTML_TAG = re.compile(rf"<!--|-->|<\s*/?\s*(?:{_ACTIVE})\b[^<>]*>", re.I)


def neutralise_markup(text: str) -> str:
    """Document text whose Markdown images and links, and raw HTML, are plain words:
    ``![chart](http://x)`` becomes "[image: chart] (http://x)", ``[site](http://x)`` "site
    (http://x)", ``<img src=http://x>`` "[image: http://x]", a ``<script>`` block "[script]",
    and other active tags (links, frames, forms) and comment marks go (their text stays). So
    an answer quoting a document cannot make a client that renders Markdown or HTML fetch an
    outside URL (a document's way to exfiltrate what a reader asked) or run anything. Then its
    own markers are neutralised (``neutralise_markers``)."""
    text = _MD_IMAGE.sub(lambda m: f"[image: {m.group(1)}] ({m.group(2)})", text)
    text = _MD_LINK.sub(lambda m: f"{m.group(1)} ({m.group(2)})", text)
    text = _HTML_BLOCK.sub(lambda m: f"[{m.group(1).lower()}]", text)
    text = _HTML_IMAGE.sub(lambda m: f"[image: {m.group(1)}]", text)
    text = _HTML_TAG.sub("", text)
    return neutralise_markers(text)


def with_marker(sentence: str, passage_id: int) -> str:
    """``sentence`` with ``[passage_id]`` before its closing punctuation (a full stop if none)."""
    text = sentence.rstrip()
    end = text[-1] if text[-1] in ".!?" else "."
    body = text[:-1] if text[-1] in ".!?" else text
    return f"{body} [{passage_id}]{end}"
