"""The smoke evaluation: passes on the real pipeline, fails on a deliberately broken one."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

import rag.service
from eval.smoke import run_smoke
from rag.config import Settings
from rag.service import RagService
from tests.conftest import SEEDS, make_settings


def test_smoke_passes_with_the_extractive_generator(seeded_settings: Settings) -> None:
    result, failures = run_smoke(RagService(seeded_settings))
    assert failures == [], result["summary"]


@pytest.mark.integration
def test_smoke_passes_with_the_default_model(seeded_dir: Path) -> None:
    settings = make_settings(seeded_dir, generator="llama_cpp")
    result, failures = run_smoke(RagService(settings))
    assert failures == [], result["summary"]


def test_smoke_fails_when_the_retriever_returns_nothing(
    seeded_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rag.service, "retrieve", lambda *args, **kwargs: [])
    _, failures = run_smoke(RagService(seeded_settings))
    assert any(f.startswith("hit@5") for f in failures)


def test_smoke_fails_on_a_shuffled_index(tmp_path: Path) -> None:
    """Same chunks, but each vector moved to another chunk: dense retrieval becomes noise.

    (The default hybrid mode re-scores BM25 and vector candidates by their sentences, so it
    survives a shuffled chunk index; the gate must still catch a broken vector search.)"""
    settings = make_settings(tmp_path / "data", retrieval="dense")
    service = RagService(settings)
    service.ingest([SEEDS])
    coll = service.collection()
    got = coll.get(include=["embeddings", "documents", "metadatas"])
    vectors = list(got["embeddings"])
    random.Random(7).shuffle(vectors)
    coll.update(ids=got["ids"], embeddings=vectors)
    _, failures = run_smoke(service)
    assert any(f.startswith(("hit@5", "source_recall@5")) for f in failures), failures
