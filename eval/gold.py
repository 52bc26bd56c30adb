"""The gold question set: one JSON object a line (see eval/gold/seeds.jsonl).

Every item belongs to a split: ``dev`` (design and tuning) or ``test`` (reported, never tuned
on). The split is stored in the file and follows one rule, ``stratified_splits``: within each
question type, items ordered by a hash of their id alternate dev, test, dev, ...; a casual
variant goes where its clean original goes, so a test question is never tuned on in disguise.
A test keeps the file and the rule in step.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from rag.schemas import ChatTurn

GOLD_DIR = Path(__file__).resolve().parent / "gold"
DEFAULT_GOLD = GOLD_DIR / "seeds.jsonl"

ItemType = Literal[
    "single-fact",
    "numeric",
    "date",
    "multi-doc",
    "reasoning",
    "explanation",
    "two-hop",
    "list",
    "comparison",
    "summary",
    "multi-turn",
    "casual",
    "unanswerable",
    "off-topic",
    "false-premise",
]
Split = Literal["dev", "test"]
SPLITS: tuple[Split, ...] = ("dev", "test")


class GoldItem(BaseModel):
    id: str
    question: str
    answerable: bool
    answer: str
    key_facts: list[str]
    sources: list[str]
    evidence: list[str]
    type: ItemType
    split: Split
    # The turns before the question (multi-turn items); the question is the last user turn.
    history: list[ChatTurn] = Field(default_factory=list)
    # A casual or misspelt variant of another item: that item's id.
    variant_of: str | None = None


def load_gold(path: Path = DEFAULT_GOLD, split: Split | None = None) -> list[GoldItem]:
    """Parse a gold file (optionally one split); a bad line raises ValueError naming it."""
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            items.append(GoldItem.model_validate(json.loads(line)))
        except ValueError as exc:
            raise ValueError(f"{path}:{number}: {exc}") from exc
    return [i for i in items if split is None or i.split == split]


def stratified_splits(items: list[GoldItem]) -> dict[str, Split]:
    """The split each item belongs in (see the module docstring)."""
    by_type: dict[str, list[GoldItem]] = defaultdict(list)
    for item in items:
        if item.variant_of is None:
            by_type[item.type].append(item)
    splits: dict[str, Split] = {}
    for group in by_type.values():
        ordered = sorted(group, key=lambda i: hashlib.sha1(i.id.encode()).hexdigest())
        for n, item in enumerate(ordered):
            splits[item.id] = SPLITS[n % 2]
    for item in items:
        if item.variant_of is not None:
            splits[item.id] = splits[item.variant_of]
    return splits
