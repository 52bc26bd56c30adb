"""Rated answers as candidate gold items: the loop from real use back to the regression set.

``rag eval --export-feedback FILE`` writes one gold-set line (``eval.gold.GoldItem``'s
fields) per rated turn, for a person to check before it joins ``eval/gold/``:

- thumbs up on an answer: the answer (markers removed), its short phrase as the key fact, the
  cited documents and the passage sentences that back it as evidence;
- thumbs up on an abstention: an unanswerable item;
- thumbs down with a correct answer: that answer, with the retrieved sentences sharing most
  of its words as candidate evidence;
- thumbs down without one: the question, marked as needing its answer.

Each line also carries ``feedback`` (rating, note, the answer given, the turn's ids) and
``review`` (what the reviewer must still do). The split follows a hash of the id; re-split
with ``eval.gold.stratified_splits`` when the items join the set.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from eval.gold import SPLITS, GoldItem, ItemType
from rag.schemas import Passage, StoredTurn
from rag.text.markers import MARKER
from rag.text.questions import answer_shape
from rag.text.support import claims_by_passage, supporting_spans

SHAPE_TYPES: dict[str, ItemType] = {
    "fact": "single-fact",
    "explain": "explanation",
    "list": "list",
    "compare": "comparison",
    "summary": "summary",
}


def plain(answer: str) -> str:
    """The answer text without its markers."""
    return " ".join(MARKER.sub("", answer).split())


def _quotes(passages: list[Passage], claims_for: dict[int, list[str]]) -> tuple[list, list]:
    """(sources, evidence quotes): for each passage, its sentences that back its claims."""
    sources: list[str] = []
    evidence: list[str] = []
    for p in passages:
        spans = supporting_spans(p.text, claims_for.get(p.id, []))
        for start, end in spans:
            quote = p.text[start:end].strip()
            if quote and quote not in evidence:
                evidence.append(quote)
        if spans and p.source not in sources:
            sources.append(p.source)
    return sources, evidence


def candidate(turn: StoredTurn) -> dict[str, Any]:
    """One rated turn as a candidate gold item (a dict with GoldItem's fields and more)."""
    r, fb = turn.response, turn.feedback
    assert fb is not None, "only rated turns are exported"
    item_id = f"fb-{turn.id[:12]}"
    kind: ItemType = "multi-turn" if turn.history else SHAPE_TYPES[answer_shape(turn.question)]
    answerable, answer, key_facts = True, "", []
    sources: list[str] = []
    evidence: list[str] = []
    if fb.correct_answer:
        answer = fb.correct_answer.strip()
        every = {p.id: [answer] for p in r.passages}
        sources, evidence = _quotes(r.passages, every)
        review = "check the evidence quotes (chosen by word overlap) and add key facts"
    elif fb.rating == "up" and r.abstained:
        answerable, kind = False, "unanswerable"
        review = "confirm that the documents do not hold the answer"
    elif fb.rating == "up":
        answer = plain(r.answer)
        key_facts = [r.short_answer] if r.short_answer else []
        sources, evidence = _quotes(r.citations, claims_by_passage(r))
        review = "check the key facts" if key_facts else "add key facts"
    else:
        review = "write the correct answer, key facts and evidence"
    item = GoldItem(
        id=item_id,
        question=turn.question,
        answerable=answerable,
        answer=answer,
        key_facts=key_facts,
        sources=sources,
        evidence=evidence,
        type=kind,
        split=SPLITS[int(hashlib.sha1(item_id.encode()).hexdigest(), 16) % 2],
        history=turn.history,
    )
    return {
        **item.model_dump(exclude={"variant_of"}),
        "feedback": {
            "rating": fb.rating,
            "note": fb.note,
            "answer_given": r.answer,
            "abstained": r.abstained,
            "turn_id": turn.id,
            "conversation_id": turn.conversation_id,
            "settings": turn.settings,
        },
        "review": review,
    }


def export_feedback(turns: list[StoredTurn], path: Path) -> int:
    """Write the candidates as JSONL; the number written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(candidate(t), ensure_ascii=False) for t in turns if t.feedback]
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return len(lines)
