"""Verifying an answer: every marker must name a visible passage that holds its claim.

``verify`` splits the answer into claims (``rag.text.markers.split_claims``), checks that each
claim's markers name passages holding ``TUNING.support_threshold`` of its content words (the
title, byline and date count, as the user sees them), re-points a marker to the visible passage
that does, and reports the support of every claim. ``assemble`` turns the checked text into
the contract's answer: unknown markers dropped, unsupported claims dropped when supported
ones remain (a part said to be missing is kept), citations in order of first mention,
abstention detected.
"""

from __future__ import annotations

import re

from rag.answer.prompts import NOT_FOUND
from rag.schemas import Passage, SentenceSupport
from rag.text.markers import (
    SPACED_MARKER,
    cited_ids,
    drop_unknown_markers,
    marker_ids,
    split_claims,
)
from rag.text.words import support_terms
from rag.tuning import TUNING

_ABSTAIN = re.compile(
    r"(documents|passages|context|text)s? (do|does) not (say|mention|contain|provide|specify)"
    r"|not (in|found in|mentioned in) the (documents|passages|context)"
    r"|no (information|mention) (about|of|on)"
    r"|cannot (be )?(answer|determine|find)",
    re.IGNORECASE,
)


def support_score(sentence: str, passage_words: set[str]) -> float:
    """Share of the claim's content words among the passage's (``support_terms``), 0..1."""
    words = support_terms(SPACED_MARKER.sub(" ", sentence))
    if not words:
        return 1.0
    return len(words & passage_words) / len(words)


def shown_text(p: Passage) -> str:
    """What the user sees of a passage: its text with its document's title, author and
    date."""
    return " ".join(x for x in (p.title, p.author, p.published, p.text) if x)


def verify(answer: str, passages: list[Passage]) -> tuple[str, list[SentenceSupport]]:
    """Re-point or drop markers so each one names a visible passage that supports its claim.

    Returns the corrected answer and the support of each claim. A claim whose cited passage
    does not hold it is re-pointed to the visible passage that holds it best (if one reaches
    the threshold); markers naming no visible passage are removed.
    """
    threshold = TUNING.support_threshold
    by_id = {p.id: p for p in passages}
    shown = {p.id: support_terms(shown_text(p)) for p in passages}  # once per answer
    out_claims: list[str] = []
    report: list[SentenceSupport] = []
    for claim in split_claims(answer):
        cited = [n for m in SPACED_MARKER.finditer(claim) for n in marker_ids(m)]
        bare = SPACED_MARKER.sub("", claim).strip()
        cited = [n for n in dict.fromkeys(cited) if n in by_id]
        scores = {n: support_score(bare, shown[n]) for n in by_id}
        good = [n for n in cited if scores[n] >= threshold]
        if cited and not good and scores:
            best = max(scores, key=lambda n: scores[n])
            if scores[best] >= threshold:
                good = [best]  # re-pointed to the passage that holds the claim
        if not good:
            good = cited  # keep what the model cited; reported as unsupported below
        best_score = max((scores[n] for n in good), default=0.0)
        markers = f" [{', '.join(map(str, good))}]" if good else ""
        tail = bare[-1] if bare and bare[-1] in ".!?" else ""
        text = (bare[:-1] if tail else bare).rstrip() + markers + tail
        out_claims.append(text)
        report.append(
            SentenceSupport(
                sentence=text,
                citations=good,
                supported=bool(good) and best_score >= threshold,
                score=round(best_score, 3),
            )
        )
    return " ".join(out_claims), report


def is_abstention(answer: str) -> bool:
    """True when the answer says the documents do not hold the answer."""
    text = answer.strip()
    if not text:
        return True
    # A refusal that also cites passages is a partial answer ("... [2]. The documents do
    # not say: who travelled with him?"); keep it as an answer.
    if cited_ids(text):
        return False
    return NOT_FOUND.lower().rstrip(".") in text.lower() or bool(_ABSTAIN.search(text))


def assemble(
    answer: str, passages: list[Passage]
) -> tuple[str, bool, list[Passage], list[SentenceSupport]]:
    """Return ``(clean answer, abstained, citations, per-claim support)``."""
    by_id = {p.id: p for p in passages}
    text = drop_unknown_markers(answer, set(by_id))
    if not passages or is_abstention(text):
        return NOT_FOUND, True, [], []
    text, support = verify(text, passages)
    if any(s.supported for s in support) and not all(s.supported for s in support):
        # Unsupported claims go; a part said to be missing stays (partial abstention).
        support = [s for s in support if s.supported or is_abstention(s.sentence)]
        text = " ".join(s.sentence for s in support)
    citations = [by_id[n] for n in cited_ids(text)]
    return text, False, citations, support
