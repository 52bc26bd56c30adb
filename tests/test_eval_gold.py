"""The gold question set is well-formed and its evidence is verbatim from the sources."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from tests.conftest import REPO, SEEDS

GOLD = REPO / "eval" / "gold" / "seeds.jsonl"
KEYS = {"id", "question", "answerable", "answer", "key_facts", "sources", "evidence", "type"}
TYPES = {
    "single-fact",
    "numeric",
    "date",
    "multi-doc",
    "reasoning",
    "unanswerable",
    "false-premise",
}


def items() -> list[dict]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line]


def test_gold_set_shape_and_coverage() -> None:
    gold = items()
    assert len(gold) >= 40
    assert len({g["id"] for g in gold}) == len(gold)
    for g in gold:
        assert set(g) == KEYS, g["id"]
        assert g["type"] in TYPES, g["id"]
        assert (g["type"] != "unanswerable") == g["answerable"], g["id"]
    counts = Counter(g["type"] for g in gold)
    assert counts["unanswerable"] >= 8 and counts["false-premise"] >= 3
    assert all(counts[t] for t in TYPES)


@pytest.mark.parametrize("item", items(), ids=lambda g: g["id"])
def test_evidence_is_verbatim(item: dict) -> None:
    texts = {name: (SEEDS / name).read_text(encoding="utf-8") for name in item["sources"]}
    if not item["answerable"]:
        assert item["evidence"] == [] and item["sources"] == []
        return
    assert item["evidence"] and item["key_facts"]
    for quote in item["evidence"]:
        assert any(quote in text for text in texts.values()), quote
    if item["type"] == "multi-doc":
        assert len(item["sources"]) >= 2
        for text in texts.values():
            assert any(quote in text for quote in item["evidence"])
    blob = " ".join([item["answer"], *item["evidence"]]).lower()
    for fact in item["key_facts"]:
        assert fact.lower() in blob, fact


def test_sources_exist() -> None:
    names = {p.name for p in SEEDS.glob("*.txt")}
    for g in items():
        assert set(g["sources"]) <= names, g["id"]
