"""The answer's extractive core: which sentences may answer, and how an answer is written.

The small default model loses facts when it writes whole answers (key-fact recall 0.30 with
whole passages in the prompt) but copies a short phrase well when shown a few sentences. So:

1. ``plan``: rank the retrieved passages' sentences (MiniLM cosine + IDF term share), add the
   sentence before one that leans on it ("He added ..."), keep those holding the kind of value
   the question asks for (a number for "how many", a date for "when"), and offer the best few.
2. The model (or nothing, for the extractive generator) names the answer: a short phrase copied
   from those sentences, or "none".
3. ``ground``: the phrase must occur in an offered sentence, must not merely repeat the
   question, and must be of the asked-for kind; otherwise the answer is "not in the documents".
4. ``compose``: the phrase with its marker, then the sentence that holds it, verbatim, with its
   marker — a claim the user can check word for word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag.evidence import (
    STOP_WORDS,
    Evidence,
    bylines,
    neighbours,
    rank_evidence,
    with_context,
)
from rag.evidence import ScoreFn as ScoreFn
from rag.grounding import MARKER, AnswerType, expected_type, has_type
from rag.schemas import Passage

# Sentences offered to the model: each costs ~35 prompt tokens (~0.4 s on 2 cores).
OFFERED = 3
# A sentence holding the asked-for kind of value must score at least this share of the best
# sentence's score. On the gold set the answering typed sentence scored 0.92-1.0 of the best;
# the near misses' 0.41-0.79 ("May 8", the date of another visit, for "when did Khaji arrive").
TYPED_FLOOR = 0.85
_ASKS_AUTHOR = re.compile(r"\b(wrote|written|writer|author|authored|byline)\b", re.IGNORECASE)
_ASKS_WHY = re.compile(r"^\s*(why|how(?! (many|much|long|old|far)))\b", re.I)
_ASKS_EXPLANATION = re.compile(_ASKS_WHY.pattern + r"|\band\b", re.I)


@dataclass(frozen=True)
class Plan:
    question: str
    kind: AnswerType
    offered: list[Evidence]  # best first; empty = nothing of the asked-for kind was found


def plan(question: str, passages: list[Passage], score: ScoreFn | None) -> Plan:
    """Candidate sentences for the answer, best first (see the module docstring)."""
    kind = expected_type(question)
    ranked = [with_context(e, passages) for e in rank_evidence(question, passages, score)]
    if _ASKS_AUTHOR.search(question):
        ranked = bylines(passages) + ranked  # authorship lives in metadata, not body text
    typed: list[Evidence] = []
    best = max((e.score for e in ranked), default=0.0)
    floor = TYPED_FLOOR * best if kind != "any" else float("-inf")
    for e in ranked:
        if e.score < floor and not e.byline:
            continue  # a value of the right kind, but in a sentence about something else
        if not has_type(e.text, kind):
            e = widened(e, passages, kind)  # the date is often in the sentence before or after
        if has_type(e.text, kind) and all(e.text != t.text for t in typed):
            typed.append(e)
    return Plan(question, kind, typed[:OFFERED])


def widened(e: Evidence, passages: list[Passage], kind: AnswerType) -> Evidence:
    """The sentence with its neighbour (before, else after) that holds the asked-for kind."""
    before, after = neighbours(e, passages)
    if before is not None and has_type(before, kind) and before not in e.text:
        return Evidence(e.passage_id, f"{before} {e.text}", e.score, widened=True)
    if after is not None and has_type(after, kind):
        return Evidence(e.passage_id, f"{e.text} {after}", e.score, widened=True)
    return e


def clean_phrase(text: str) -> str:
    """The model's phrase without markers, quotes, a label or trailing punctuation."""
    text = MARKER.sub(" ", text)
    text = re.sub(r"^\s*(answer|short answer)\s*:\s*", "", text, flags=re.IGNORECASE)
    text = " ".join(text.split()).strip(" \"'“”‘’`*.,;:")
    return text


def says_none(text: str) -> bool:
    return bool(re.match(r"^\W*(none|no answer|not (stated|mentioned|given|found))\b", text, re.I))


def _flat(text: str) -> str:
    return " " + " ".join(re.findall(r"[a-z0-9%$]+", text.lower())) + " "


def _tokens(text: str) -> set[str]:
    """Content tokens, split on hyphens and dashes too ("20-30" → 20, 30)."""
    return {t for t in re.findall(r"[a-z0-9%]+", text.lower()) if t not in STOP_WORDS}


def ground(phrase: str, p: Plan) -> Evidence | None:
    """The offered sentence that holds ``phrase``, or None when the phrase is not an answer."""
    words = _tokens(phrase)
    if not phrase or says_none(phrase) or not has_type(phrase, p.kind):
        return None
    if words and words <= _tokens(p.question):
        return None  # it only repeats the question ("Saudi Arabia" for "who did Saudi ...")
    held = [e for e in p.offered if _flat(phrase) in _flat(e.text)]
    held += [e for e in p.offered if words and words <= _tokens(e.text) and e not in held]
    return held[0] if held else None  # copied exactly first, then with small changes


def asks_explanation(question: str) -> bool:
    """ "Why ...", "how ..." (not "how many") or "... and ...": worth a second sentence."""
    return bool(_ASKS_EXPLANATION.search(question))


def asks_why(question: str) -> bool:
    return bool(_ASKS_WHY.search(question))


def compose(phrase: str | None, chosen: Evidence, p: Plan) -> str:
    """``Phrase [n]. Sentence [n].`` — or just the sentence when there is no phrase. An
    explanation question ("why ...", "... and ...") also gets the next offered sentence."""
    parts = []
    if phrase and _flat(phrase) != _flat(chosen.text):
        parts.append(f"{phrase[0].upper()}{phrase[1:]} [{chosen.passage_id}].")
    parts.append(_with_marker(chosen))
    if asks_explanation(p.question):
        extra = next((e for e in p.offered if e.text != chosen.text and not e.byline), None)
        if extra is not None:
            parts.append(_with_marker(extra))
    return " ".join(parts)


def _with_marker(e: Evidence) -> str:
    text = e.text.rstrip()
    end = text[-1] if text[-1] in ".!?" else "."
    body = text[:-1] if text[-1] in ".!?" else text
    return f"{body} [{e.passage_id}]{end}"
