"""rag.retrieval: reciprocal-rank fusion, near-duplicate collapse, and the modes on the seeds."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rag.config import Settings
from rag.retrieval.fusion import collapse_duplicates, fuse
from rag.retrieval.retrieve import RETRIEVERS, retrieve
from rag.service import RagService
from tests.conftest import SEEDS, TARGET_QUESTION


def test_fuse_rewards_agreement_between_rankings() -> None:
    fused = fuse([["a", "b", "c"], ["c", "a", "d"]])
    assert [cid for cid, _ in fused] == ["a", "c", "b", "d"]
    assert fused[0][1] == 1 / 61 + 1 / 62


def test_near_duplicate_chunks_collapse_into_the_better_ranked_one() -> None:
    texts = {
        "a": "Assad visited Tehran in 2019. He met Khamenei there. The talks were long.",
        "b": "Assad visited Tehran in 2019. He met Khamenei there. Reporters waited outside.",
        "c": "The weather in Damascus was mild. Markets were busy all week long.",
    }
    assert collapse_duplicates(["a", "b", "c"], texts) == ["a", "c"]
    assert collapse_duplicates(["c", "a"], texts) == ["c", "a"]


@pytest.mark.parametrize("mode", sorted(RETRIEVERS))
def test_every_mode_finds_the_author_passage(seeded_settings: Settings, mode: str) -> None:
    coll = RagService(seeded_settings).collection()
    settings = seeded_settings.model_copy(update={"retrieval": mode})
    passages = retrieve(TARGET_QUESTION, coll, settings, 4)
    assert len(passages) == 4
    assert passages[0].source == "001_f4cdcd2d35e961d2.txt"
    assert [p.id for p in passages] == [1, 2, 3, 4]
    assert len({p.chunk_id for p in passages}) == 4


def test_hybrid_finds_an_exact_name(seeded_settings: Settings) -> None:
    """A rare proper name: BM25 pins its chunk even though the question is short."""
    coll = RagService(seeded_settings).collection()
    passages = retrieve("Bassam al-Sabbagh", coll, seeded_settings, 3)
    assert any("Bassam al-Sabbagh" in p.text for p in passages)


def test_a_document_stored_twice_is_retrieved_once(settings: Settings, tmp_path: Path) -> None:
    """A syndicated copy of an article (same text, another file) must not fill the top ranks
    with the same passages twice: each chunk of the copy duplicates one of the original."""
    folder = tmp_path / "docs"
    folder.mkdir()
    original = SEEDS / "001_f4cdcd2d35e961d2.txt"
    shutil.copy(original, folder / "original.txt")
    shutil.copy(original, folder / "syndicated-copy.txt")
    shutil.copy(SEEDS / "002_a7f7d5f348e28b9b.txt", folder / "other.txt")
    service = RagService(settings)
    service.ingest([folder])
    passages = retrieve(TARGET_QUESTION, service.collection(), settings, 6)
    texts = [p.text for p in passages]
    assert len(passages) == 6 and len(set(texts)) == len(texts)
    assert {"original.txt", "syndicated-copy.txt"} & {p.source for p in passages[:1]}
