"""Retrieval: reciprocal-rank fusion, BM25 terms, and hybrid vs dense on the seeds."""

from __future__ import annotations

from rag.config import Settings
from rag.retrieve import bm25_terms, collapse_duplicates, fuse, retrieve
from rag.service import RagService
from tests.conftest import TARGET_QUESTION


def test_fuse_rewards_agreement_between_rankings() -> None:
    fused = fuse([["a", "b", "c"], ["c", "a", "d"]])
    assert [cid for cid, _ in fused] == ["a", "c", "b", "d"]
    assert fused[0][1] == 1 / 61 + 1 / 62


def test_bm25_terms_drop_stop_words_plurals_and_possessives() -> None:
    assert bm25_terms("What did Iran's delegations discuss in the talks?") == [
        "iran",
        "delegation",
        "discuss",
        "talk",
    ]


def test_hybrid_and_dense_both_find_the_author_passage(seeded_settings: Settings) -> None:
    coll = RagService(seeded_settings).collection()
    for mode in ("hybrid", "dense"):
        settings = seeded_settings.model_copy(update={"retrieval": mode})
        passages = retrieve(TARGET_QUESTION, coll, settings, 4)
        assert len(passages) == 4, mode
        assert passages[0].source == "001_f4cdcd2d35e961d2.txt", mode
        assert [p.id for p in passages] == [1, 2, 3, 4]
        assert len({p.chunk_id for p in passages}) == 4


def test_hybrid_finds_an_exact_name_dense_ranks_low(seeded_settings: Settings) -> None:
    """A rare proper name: BM25 pins its chunk even though the question is short."""
    coll = RagService(seeded_settings).collection()
    passages = retrieve("Bassam al-Sabbagh", coll, seeded_settings, 3)
    assert any("Bassam al-Sabbagh" in p.text for p in passages)


def test_near_duplicate_chunks_collapse_into_the_better_ranked_one() -> None:
    texts = {
        "a": "Assad visited Tehran in 2019. He met Khamenei there. The talks were long.",
        "b": "Assad visited Tehran in 2019. He met Khamenei there. Reporters waited outside.",
        "c": "The weather in Damascus was mild. Markets were busy all week long.",
    }
    assert collapse_duplicates(["a", "b", "c"], texts) == ["a", "c"]
    assert collapse_duplicates(["c", "a"], texts) == ["c", "a"]


def test_seed_answers_carry_no_duplicate_passages(seeded_settings: Settings) -> None:
    """Two seed articles share whole paragraphs: only one copy is retrieved."""
    coll = RagService(seeded_settings).collection()
    for question in ("Why did Assad visit Tehran in May 2022?", TARGET_QUESTION):
        passages = retrieve(question, coll, seeded_settings, 8)
        for i, p in enumerate(passages):
            for q in passages[:i]:
                assert collapse_duplicates(
                    [q.chunk_id, p.chunk_id], {q.chunk_id: q.text, p.chunk_id: p.text}
                ) == [q.chunk_id, p.chunk_id]
