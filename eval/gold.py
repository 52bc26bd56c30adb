"""The gold question set: one JSON object a line (see eval/gold/seeds.jsonl)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

GOLD_DIR = Path(__file__).resolve().parent / "gold"
DEFAULT_GOLD = GOLD_DIR / "seeds.jsonl"

ItemType = Literal[
    "single-fact", "numeric", "date", "multi-doc", "reasoning", "unanswerable", "false-premise"
]


class GoldItem(BaseModel):
    id: str
    question: str
    answerable: bool
    answer: str
    key_facts: list[str]
    sources: list[str]
    evidence: list[str]
    type: ItemType


def load_gold(path: Path = DEFAULT_GOLD) -> list[GoldItem]:
    """Parse a gold file; a bad line raises ValueError naming the line."""
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            items.append(GoldItem.model_validate(json.loads(line)))
        except ValueError as exc:
            raise ValueError(f"{path}:{number}: {exc}") from exc
    return items
