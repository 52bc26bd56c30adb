"""eval.gold: the gold set is well-formed, its evidence is verbatim from the sources, and its
dev/test split follows the stratified rule."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import get_args

import pytest

from eval.gold import DEFAULT_GOLD, ItemType, load_gold, stratified_splits
from tests.conftest import SEEDS

KEYS = {
    "id",
    "question",
    "answerable",
    "answer",
    "key_facts",
    "sources",
    "evidence",
    "type",
    "split",
}
OPTIONAL = {"history", "variant_of"}
# Kinds the answer issue asks the set to hold, and at least how many of each.
MINIMUM = {
    "unanswerable": 8,
    "off-topic": 8,
    "false-premise": 3,
    "explanation": 6,
    "multi-doc": 8,
    "two-hop": 4,
    "list": 4,
    "comparison": 4,
    "summary": 4,
    "multi-turn": 6,
    "casual": 10,
}


TYPED_DEV = DEFAULT_GOLD.parent / "typed-dev.jsonl"
HAND_TYPED = DEFAULT_GOLD.parent / "typed-dev2.jsonl"
FRESH = DEFAULT_GOLD.parent / "typed-dev3.jsonl"
FRESH2 = DEFAULT_GOLD.parent / "typed-dev4.jsonl"
CASUAL_DEV = DEFAULT_GOLD.parent / "casual-dev.jsonl"
CASUAL_DEV2 = DEFAULT_GOLD.parent / "casual-dev2.jsonl"


def items(path: Path = DEFAULT_GOLD) -> list[dict]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line]


def test_gold_set_shape_and_coverage() -> None:
    gold = items()
    assert len(gold) >= 84
    assert len({g["id"] for g in gold}) == len(gold)
    for g in gold:
        assert KEYS <= set(g) <= KEYS | OPTIONAL, g["id"]
        assert g["type"] in get_args(ItemType), g["id"]
        assert (g["type"] not in ("unanswerable", "off-topic")) == g["answerable"], g["id"]
    counts = Counter(g["type"] for g in gold)
    for kind, least in MINIMUM.items():
        assert counts[kind] >= least, kind


def test_the_split_is_the_stratified_rule_and_keeps_variants_with_their_originals() -> None:
    gold = load_gold()
    assert {i.id: i.split for i in gold} == stratified_splits(gold)
    by_id = {i.id: i for i in gold}
    for item in gold:
        if item.variant_of is not None:
            original = by_id[item.variant_of]
            assert original.answerable and original.split == item.split, item.id
            assert (item.key_facts, item.evidence) == (original.key_facts, original.evidence)
    for split in ("dev", "test"):
        kinds = Counter(i.type for i in gold if i.split == split)
        assert all(kinds[k] for k in MINIMUM), (split, kinds)


def test_multi_turn_items_carry_the_conversation_before_the_question() -> None:
    for item in load_gold():
        assert bool(item.history) == (item.type == "multi-turn"), item.id
        roles = [t.role for t in item.history]
        assert roles == ["user", "assistant"] * (len(roles) // 2), item.id


@pytest.mark.parametrize(
    ("path", "size"), [(TYPED_DEV, 45), (HAND_TYPED, 155), (FRESH, 78), (FRESH2, 40)]
)
def test_the_typed_dev_sets_are_all_dev_and_of_the_gold_sets_kinds(path: Path, size: int) -> None:
    typed = load_gold(path)
    assert len(typed) == size and {i.split for i in typed} == {"dev"}
    others = load_gold() + [
        i
        for other in (TYPED_DEV, HAND_TYPED, FRESH, FRESH2)
        if other != path
        for i in load_gold(other)
    ]
    assert not {i.id for i in typed} & {i.id for i in others}
    for item in typed:
        assert bool(item.history) == (item.type == "multi-turn"), item.id
        assert (item.type not in ("unanswerable", "off-topic")) == item.answerable, item.id


@pytest.mark.parametrize("path", [CASUAL_DEV, CASUAL_DEV2], ids=lambda p: p.stem)
def test_the_casual_dev_sets_pair_dev_questions_with_how_people_type_them(path: Path) -> None:
    """Each original is a dev item of the gold set (or, in the second set, of the typed dev
    set) as it is; each variant asks the same, typed casually, with the original's key facts
    and evidence."""
    pairs = load_gold(path)
    gold = {i.id: i for i in load_gold() + load_gold(TYPED_DEV)}
    originals = {i.id: i for i in pairs if i.variant_of is None}
    variants = [i for i in pairs if i.variant_of is not None]
    assert len(variants) == len(originals) >= 30
    assert all(o == gold[o.id] and o.split == "dev" for o in originals.values())
    for v in variants:
        o = originals[v.variant_of]
        assert (v.type, v.split, v.answerable) == ("casual", "dev", o.answerable), v.id
        assert (v.key_facts, v.evidence) == (o.key_facts, o.evidence), v.id
        assert v.question != o.question and v.id not in gold, v.id


@pytest.mark.parametrize(
    "item",
    items() + items(TYPED_DEV) + items(HAND_TYPED) + items(FRESH) + items(FRESH2),
    ids=lambda g: g["id"],
)
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
    for g in items() + items(TYPED_DEV) + items(HAND_TYPED) + items(FRESH) + items(FRESH2):
        assert set(g["sources"]) <= names, g["id"]
