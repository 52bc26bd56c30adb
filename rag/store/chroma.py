"""Chroma: the one place the vector store is chosen, opened and its collections managed.

Embedded files (``PersistentClient`` under ``data_dir``) by default; a Chroma server
(``HttpClient``) when ``RAG_CHROMA_HOST`` is set — the scale-out path, since the embedded
store is not safe for several writer processes. Collections are created with cosine space and
with an embedding function that refuses to run: this project always passes its own vectors,
and Chroma's default function would try to download a model.
"""

from __future__ import annotations

from typing import Any

from rag.config import Settings, validate_collection_name
from rag.errors import UnknownCollection


class NoEmbeddingFunction:
    """Chroma embedding function that fails loudly instead of downloading a model."""

    def __call__(self, input: Any) -> Any:
        raise RuntimeError(
            "Chroma was asked to embed text itself; this project always supplies embeddings."
        )

    @staticmethod
    def name() -> str:
        return "rag-no-embedding"

    def get_config(self) -> dict[str, Any]:
        return {}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> NoEmbeddingFunction:
        return NoEmbeddingFunction()

    def is_legacy(self) -> bool:
        return False

    def default_space(self) -> str:
        return "cosine"

    def supported_spaces(self) -> list[str]:
        return ["cosine", "l2", "ip"]


def make_client(settings: Settings) -> Any:
    """Open Chroma as configured (telemetry off either way)."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_host:
        return chromadb.HttpClient(
            host=settings.chroma_host,
            port=settings.chroma_port,
            ssl=settings.chroma_ssl,
            settings=chroma_settings,
        )
    settings.chroma_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)


def collection_names(client: Any) -> list[str]:
    return [c if isinstance(c, str) else c.name for c in client.list_collections()]


def open_collection(client: Any, name: str, create: bool = False) -> Any:
    """Return collection ``name``; create it only when asked, else raise ``UnknownCollection``."""
    validate_collection_name(name)
    if create:
        return client.get_or_create_collection(
            name,
            embedding_function=NoEmbeddingFunction(),
            configuration={"hnsw": {"space": "cosine"}},
        )
    if name not in collection_names(client):
        raise UnknownCollection(name)
    return client.get_collection(name, embedding_function=NoEmbeddingFunction())


def drop_collection(client: Any, name: str) -> None:
    """Delete collection ``name`` (``UnknownCollection`` if there is none)."""
    if name not in collection_names(client):
        raise UnknownCollection(name)
    client.delete_collection(name)
