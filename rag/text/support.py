"""Where in a passage an answer's claim comes from: the claims each marker vouches for, and the
passage sentences that back them. The UI highlights these sentences; ``rag eval`` exports them
as the evidence quotes of a rated answer."""

from __future__ import annotations

from collections.abc import Iterable

from rag.schemas import QueryResponse
from rag.text.markers import MARKER, marker_ids
from rag.text.sentences import sentence_spans
from rag.text.words import support_terms, terms
from rag.tuning import TUNING


def supporting_spans(passage_text: str, claims: Iterable[str]) -> list[tuple[int, int]]:
    """For each claim, the passage sentence sharing most of its content words (if enough do).

    Words are counted as the citation check counts them (``rag.text.words.support_terms``), so
    a possessive ("Iran’s") matches its noun here too."""
    spans = sentence_spans(passage_text)
    sentence_terms = [support_terms(passage_text[a:b]) for a, b in spans]
    found: set[tuple[int, int]] = set()
    for claim in claims:
        wanted = support_terms(claim)
        if not wanted or not spans:
            continue
        overlaps = [len(wanted & have) / len(wanted) for have in sentence_terms]
        best = max(range(len(spans)), key=overlaps.__getitem__)
        if overlaps[best] >= TUNING.highlight_overlap:
            found.add(spans[best])
    return sorted(found)


def claims_by_passage(response: QueryResponse) -> dict[int, list[str]]:
    """Answer sentences (markers removed) per passage number they cite.

    Uses the engine's per-sentence ``support`` when it is there, else reads the answer.
    """
    pairs = (
        [(s.sentence, s.citations) for s in response.support]
        if response.support
        else answer_claims(response.answer)
    )
    claims: dict[int, list[str]] = {}
    for sentence, ids in pairs:
        for n in ids:
            claims.setdefault(n, []).append(MARKER.sub("", sentence))
    return claims


def answer_claims(answer: str) -> list[tuple[str, list[int]]]:
    """What each marker vouches for: the last sentence before it, back to the previous marker.

    Handles both "It rained [1]. It snowed [2]." and "It rained. [1] It snowed. [2]"; markers
    side by side ("[1][2]") share one claim.
    """
    pairs: list[tuple[str, list[int]]] = []
    claim, at = "", 0
    for match in MARKER.finditer(answer):
        segment = answer[at : match.start()]
        spans = [(a, b) for a, b in sentence_spans(segment) if terms(segment[a:b])]
        if spans:
            claim = segment[spans[-1][0] : spans[-1][1]].strip()
        pairs.append((claim, marker_ids(match)))
        at = match.end()
    return pairs
