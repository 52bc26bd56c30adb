"""Sources that disagree: another document states the answer's statement with another value.

A factoid's answer is one value in one sentence ("The bridge opened in 1911 [1]."). When a
sentence of *another document*, offered for the same question and scored nearly as well, says
the same thing with a different value ("The bridge opened in 1913 [2]."), picking one would
hide a conflict the reader must know of. The answer then says so and cites both:
"The sources disagree: 1911 [1]; 1913 [2]." followed by both sentences.

"The same thing" is read off the words: the other sentence holds nearly all of the chosen
sentence's words but its value (``TUNING.disagree_frame``), does not hold that value, and
differs from it by a short span only — which, for a typed question (a date, a number), must
be of the asked-for kind. Two documents reporting two different events in the same words (a
visit in 2019 and one in 2022) read the same; a second document is required, not a second
sentence of the same one, which is usually the other event.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag.answer.evidence import Evidence, Plan
from rag.schemas import Passage
from rag.text.questions import AnswerType, values_of
from rag.text.words import phrase_form, phrase_tokens
from rag.tuning import TUNING

_TOKEN = re.compile(r"[A-Za-z0-9%$]+(?:[.,'’-][A-Za-z0-9]+)*")


@dataclass(frozen=True)
class Disagreement:
    other: Evidence  # the other document's sentence
    value: str  # the value it states instead


def first_value(text: str, kind: AnswerType) -> str | None:
    """The first value of a typed ``kind`` in ``text`` (None for "any", or if none)."""
    return next(iter(values_of(text, kind)), None)


def _typed_value(chosen: str, other: str, kind: AnswerType) -> str | None:
    """The first value of ``kind`` in ``other`` that ``chosen`` does not hold."""
    held = chosen.lower()
    return next((v for v in values_of(other, kind) if v.lower() not in held), None)


def _changed_run(chosen: str, value: str, other: str, longest: int) -> str | None:
    """The run of words of ``other`` that ``chosen`` lacks where ``chosen`` has ``value``:
    the only such run, or the one after the same word as ``value`` ("... is Okafor" / "... is
    Bonaparte"); at most ``longest`` content words, bare numbers at its ends left out."""
    mine = {m.group(0).lower() for m in _TOKEN.finditer(chosen)}
    at = chosen.lower().find(value.lower())
    before = [m.group(0).lower() for m in _TOKEN.finditer(chosen[: max(at, 0)])]
    anchor = before[-1] if at > 0 and before else None
    runs: list[tuple[str | None, list[re.Match[str]]]] = []
    previous: str | None = None
    last_new = False
    for m in _TOKEN.finditer(other):
        new = m.group(0).lower() not in mine
        if new and last_new:
            runs[-1][1].append(m)
        elif new:
            runs.append((previous, [m]))
        last_new, previous = new, m.group(0).lower()
    runs = [(a, [m for m in r if not m.group(0).isdigit()]) for a, r in runs]
    runs = [(a, r) for a, r in runs if r and phrase_tokens(" ".join(m.group(0) for m in r))]
    if len(runs) > 1:
        runs = [(a, r) for a, r in runs if anchor is not None and a == anchor]
    if len(runs) != 1:
        return None
    run = runs[0][1]
    if len(phrase_tokens(" ".join(m.group(0) for m in run))) > longest:
        return None
    return other[run[0].start() : run[-1].end()]


def other_value(chosen: str, value: str, other: str, kind: AnswerType) -> str | None:
    """The value ``other`` states in place of ``value``, if it is ``chosen``'s statement with
    that value changed; None otherwise."""
    mine, theirs = phrase_tokens(chosen), phrase_tokens(other)
    asked = phrase_tokens(value)
    frame = mine - asked
    if not asked or not frame or phrase_form(value) in phrase_form(other):
        return None
    if len(frame & theirs) / len(frame) < TUNING.disagree_frame:
        return None
    if kind != "any":
        return _typed_value(chosen, other, kind)
    return _changed_run(chosen, value, other, len(asked) + TUNING.disagree_extra_words)


def disagreement(
    value: str | None, chosen: Evidence, p: Plan, passages: list[Passage]
) -> Disagreement | None:
    """Another document's offered sentence that states ``chosen``'s statement with a value
    other than ``value`` (the answer's phrase), scored nearly as well; None if there is none."""
    if not value:
        return None
    doc = {q.id: q.doc_id or q.source for q in passages}
    floor = chosen.score * TUNING.disagree_share
    for e in p.offered:
        if e.byline or e.widened or e.score < floor or e.text in chosen.text:
            continue
        if doc.get(e.passage_id) == doc.get(chosen.passage_id):
            continue
        found = other_value(chosen.text, value, e.text, p.kind)
        if found is not None:
            return Disagreement(e, found)
    return None
