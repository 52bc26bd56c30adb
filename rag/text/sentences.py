"""Sentences: the one sentence splitter (answer evidence, retrieval scores, the UI highlight
and the eval metrics all use it; llama-index's splitter only sizes chunks at ingest).

A sentence ends at . ! or ? — perhaps closed by quotes or a bracket — before a capital, a
digit, an opening quote or a bracket; a blank line always ends one.
"""

from __future__ import annotations

import re

from rag.text.words import squash
from rag.tuning import TUNING

_SENTENCE_END = re.compile(r"(?<=[.!?])([\"”’)]*)\s+(?=[A-Z0-9“\"(])")
_PARAGRAPH = re.compile(r"\n\s*\n")


def sentence_spans(text: str, closers: bool = True) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence, as offsets into ``text``.

    ``closers``: a closing quote or bracket after the full stop belongs to its sentence (the
    UI highlights it); without, the sentence ends at its full stop.
    """
    spans: list[tuple[int, int]] = []
    breaks = list(_PARAGRAPH.finditer(text))
    starts = [0, *(m.end() for m in breaks)]
    ends = [*(m.start() for m in breaks), len(text)]
    for paragraph_start, paragraph_end in zip(starts, ends, strict=True):
        start = paragraph_start
        for match in _SENTENCE_END.finditer(text, paragraph_start, paragraph_end):
            spans.append((start, match.end(1) if closers else match.start()))
            start = match.end()
        spans.append((start, paragraph_end))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def split_sentences(text: str, min_words: int = TUNING.min_sentence_words) -> list[str]:
    """The sentences of a passage, whitespace squashed, without fragments of fewer words."""
    out = []
    for start, end in sentence_spans(text, closers=False):
        sentence = squash(text[start:end])
        if len(sentence.split()) >= min_words:
            out.append(sentence)
    return out


def answer_sentences(answer: str) -> list[str]:
    """An answer's sentences with their markers (what each one cites), closers kept."""
    text = answer.strip()
    return [text[a:b].strip() for a, b in sentence_spans(text)]
