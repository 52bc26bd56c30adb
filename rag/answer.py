"""Turn generated text into a contract answer: markers ↔ citations, abstention.

A marker may only point at a passage the user can see: markers with numbers outside the
retrieved passages are removed from the text, and ``citations`` lists exactly the passages
that the remaining markers name, in order of first mention.
"""

from __future__ import annotations

import re

from rag.grounding import MARKER, marker_ids, verify
from rag.prompts import NOT_FOUND
from rag.schemas import Passage, SentenceSupport

_ABSTAIN = re.compile(
    r"(documents|passages|context|text)s? (do|does) not (say|mention|contain|provide|specify)"
    r"|not (in|found in|mentioned in) the (documents|passages|context)"
    r"|no (information|mention) (about|of|on)"
    r"|cannot (be )?(answer|determine|find)",
    re.IGNORECASE,
)


def cited_ids(answer: str) -> list[int]:
    """Passage numbers named by markers ([2], [1, 3]) in order of first mention."""
    seen: list[int] = []
    for match in MARKER.finditer(answer):
        for n in marker_ids(match):
            if n not in seen:
                seen.append(n)
    return seen


def drop_unknown_markers(answer: str, valid: set[int]) -> str:
    """Remove marker numbers that name no retrieved passage (and empty markers left behind)."""

    def keep(match: re.Match[str]) -> str:
        ids = [p.strip() for p in match.group(1).split(",") if int(p) in valid]
        return f"[{', '.join(ids)}]" if ids else ""

    return re.sub(r"\s+([.,;:!?])", r"\1", MARKER.sub(keep, answer)).strip()


def is_abstention(answer: str) -> bool:
    """True when the answer says the documents do not hold the answer."""
    text = answer.strip()
    if not text:
        return True
    if NOT_FOUND.lower().rstrip(".") in text.lower():
        return True
    # A refusal that also cites passages is usually a partial answer; keep it as an answer.
    return bool(_ABSTAIN.search(text)) and not cited_ids(text)


def assemble(
    answer: str, passages: list[Passage]
) -> tuple[str, bool, list[Passage], list[SentenceSupport]]:
    """Return ``(clean answer, abstained, citations, per-sentence support)``.

    Markers are verified (``rag.grounding.verify``); a sentence no visible passage supports is
    dropped when other sentences are supported, so every claim left points at its evidence.
    """
    by_id = {p.id: p for p in passages}
    text = drop_unknown_markers(answer, set(by_id))
    if not passages or is_abstention(text):
        return NOT_FOUND, True, [], []
    text, support = verify(text, passages)
    if any(s.supported for s in support) and not all(s.supported for s in support):
        support = [s for s in support if s.supported]
        text = " ".join(s.sentence for s in support)
    citations = [by_id[n] for n in cited_ids(text)]
    return text, False, citations, support
