"""Settings: typed, from the environment, every field documented in .env.example."""

from __future__ import annotations

import re

import pytest
from pydantic import ValidationError

from rag.config import EVERY_COLLECTION, Scope, Settings
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


def test_api_keys_may_be_scoped_to_collections(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAG_API_KEYS", " key-1 , key-2:team-a,key-3 : team-a + team-b.x ,, key-1")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.api_key_list() == ["key-1", "key-2", "key-3"]  # as before: the bare keys
    scopes = {entry.key: entry.scope for entry in settings.api_key_entries()}
    assert scopes["key-1"] == EVERY_COLLECTION and not scopes["key-1"].limited
    assert scopes["key-2"] == Scope(frozenset({"team-a"}))
    assert scopes["key-3"].visible(["default", "team-b.x", "team-a"]) == ["team-b.x", "team-a"]
    assert "key-2" not in repr(settings.api_key_entries())  # keys stay out of logs
    monkeypatch.delenv("RAG_API_KEYS")
    assert Settings(_env_file=None).api_key_entries() == []  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("secret-one,secret-two:", "entry 2: an empty collection name"),
        ("secret-one,:team-a", "entry 2: no key before ':'"),
        ("secret-one:team-a+", "entry 1: an empty collection name"),
        ("secret-one:team-a++team-b", "entry 1: an empty collection name"),
        ("secret-one:team/a", "entry 1: invalid collection name 'team/a'"),
        ("secret-one:ab", "entry 1: invalid collection name 'ab'"),
        ("secret-one:team-a:team-b", "entry 1: invalid collection name 'team-a:team-b'"),
        ("secret-one:team-a,secret-one:team-b", "entry 2: the same key as entry 1"),
        ("secret-one,secret-one:team-b", "entry 2: the same key as entry 1"),
    ],
)
def test_a_malformed_api_key_entry_stops_the_settings(
    monkeypatch: pytest.MonkeyPatch, value: str, says: str
) -> None:
    monkeypatch.setenv("RAG_API_KEYS", value)
    with pytest.raises(ValidationError) as caught:
        Settings(_env_file=None)  # type: ignore[call-arg]
    message = str(caught.value)
    assert "RAG_API_KEYS " + says in message
    assert "secret" not in message  # the error never shows a key
