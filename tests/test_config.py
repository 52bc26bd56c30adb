"""Settings: typed, from the environment, every field documented in .env.example."""

from __future__ import annotations

import re

import pytest

from rag.config import Settings
from rag.modelfiles import MODELS, default_cache_dir, sha256_of
from tests.conftest import REPO


def test_env_example_documents_every_setting() -> None:
    documented = set(re.findall(r"^#? ?RAG_([A-Z_]+)=", (REPO / ".env.example").read_text(), re.M))
    fields = {name.upper() for name in Settings.model_fields}
    assert fields == documented


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAG_TOP_K", "7")
    monkeypatch.setenv("RAG_GENERATOR", "extractive")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.top_k == 7 and settings.generator == "extractive"


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("RAG_TOP_K", "0"),
        ("RAG_GENERATOR", "gpt-9"),
        ("RAG_COLLECTION", "a/b"),
        ("RAG_CHUNK_TOKENS", "4096"),
    ],
)
def test_bad_settings_are_refused(monkeypatch: pytest.MonkeyPatch, key: str, value: str) -> None:
    monkeypatch.setenv(key, value)
    with pytest.raises(ValueError):
        Settings(_env_file=None)  # type: ignore[call-arg]


def test_offline_defaults_point_at_bundled_models() -> None:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.resolved_llm_path().parent == default_cache_dir()
    assert (settings.resolved_llm_path()).name == MODELS["qwen2.5-coder-1.5b"].filename
    assert "all_minilm_l6_v2" in settings.resolved_embed_model()


def test_assembled_test_model_matches_its_pinned_checksum() -> None:
    spec = MODELS["smollm2-135m"]
    path = default_cache_dir() / spec.filename
    assert path.exists(), "run `make setup`"
    assert sha256_of(path) == spec.sha256
