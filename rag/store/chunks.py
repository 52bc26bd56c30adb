"""Chunk reads and writes on a Chroma collection: the only ``collection.get/add/delete`` calls.

Chroma itself is the record of what is ingested: every chunk carries its document's id and
content hash in its metadata, so there is no side docstore to fall out of sync.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

STAMP_KEY = "rag_content_stamp"
"""Collection metadata key of the content stamp: a new random value at every chunk write, so
whatever is derived from the chunks (``rag.retrieval.lexical``) can tell it is stale."""


@dataclass
class StoredDocument:
    """One document of a collection, as its chunks' metadata describe it."""

    doc_id: str
    source: str
    title: str
    path: str | None
    chunks: int = 0


def add_nodes(collection: Any, nodes: Sequence[Any]) -> None:
    """Store embedded llama-index nodes (text, vector, metadata) in the collection."""
    from llama_index.vector_stores.chroma import ChromaVectorStore

    ChromaVectorStore(chroma_collection=collection).add(list(nodes))


def document_meta(collection: Any, doc_id: str) -> dict[str, Any] | None:
    """The metadata of one chunk of the document, or None if it has no chunks."""
    got = collection.get(where={"doc_id": doc_id}, limit=1, include=["metadatas"])
    metadatas = got.get("metadatas") or []
    return dict(metadatas[0]) if metadatas else None


def documents_named(collection: Any, source: str) -> dict[str, str]:
    """The documents stored under file name ``source``: ``doc_id → doc_hash``."""
    got = collection.get(where={"source": source}, include=["metadatas"])
    return {str(m.get("doc_id")): str(m.get("doc_hash")) for m in got.get("metadatas") or []}


def document_chunk_ids(collection: Any, doc_id: str) -> list[str]:
    return list(collection.get(where={"doc_id": doc_id}, include=[])["ids"])


def document_chunks(collection: Any, doc_id: str) -> list[tuple[str, str, dict[str, Any]]]:
    """One document's chunks as ``(id, text, metadata)``, in the document's order."""
    got = collection.get(where={"doc_id": doc_id}, include=["documents", "metadatas"])
    rows = list(zip(got["ids"], got["documents"], got["metadatas"], strict=True))
    return sorted(rows, key=lambda r: (int(r[2].get("start") or 0), r[0]))


def delete_document(collection: Any, doc_id: str) -> list[str]:
    """Remove a document's chunks; return their ids."""
    ids = document_chunk_ids(collection, doc_id)
    if ids:
        collection.delete(ids=ids)
    return ids


def list_documents(collection: Any) -> dict[str, StoredDocument]:
    """Every document in a collection, by document id, with its chunk count."""
    docs: dict[str, StoredDocument] = {}
    for meta in collection.get(include=["metadatas"]).get("metadatas") or []:
        doc_id = str(meta.get("doc_id"))
        entry = docs.get(doc_id)
        if entry is None:
            entry = docs[doc_id] = StoredDocument(
                doc_id=doc_id,
                source=meta.get("source", ""),
                title=meta.get("title", ""),
                path=meta.get("path"),
            )
        entry.chunks += 1
    return docs


def content_stamp(collection: Any) -> str:
    """The collection's content stamp as of when it was opened ("" before any stamped write)."""
    return str((collection.metadata or {}).get(STAMP_KEY) or "")


def set_content_stamp(collection: Any) -> str:
    """Give the collection a new content stamp (other metadata kept); return it."""
    stamp = uuid.uuid4().hex
    collection.modify(metadata={**(collection.metadata or {}), STAMP_KEY: stamp})
    return stamp


def chunk_hashes(collection: Any, page: int) -> dict[str, str]:
    """Every chunk id with its document's content hash, read ``page`` chunks at a time."""
    hashes: dict[str, str] = {}
    offset = 0
    while True:
        got = collection.get(include=["metadatas"], limit=page, offset=offset)
        for cid, meta in zip(got["ids"], got["metadatas"], strict=True):
            hashes[cid] = str((meta or {}).get("doc_hash") or "")
        if len(got["ids"]) < page:
            return hashes
        offset += page


def chunks_by_id(collection: Any, ids: Sequence[str]) -> dict[str, tuple[str, dict[str, Any]]]:
    """These chunks' (text, metadata) by id, in the order asked (missing ids left out)."""
    return {cid: (text, meta) for cid, (text, meta, _) in chunks_read(collection, ids).items()}


def chunks_read(
    collection: Any, ids: Sequence[str], vectors: bool = False
) -> dict[str, tuple[str, dict[str, Any], Any]]:
    """These chunks' (text, metadata, stored vector or None) by id, in the order asked
    (missing ids left out): one Chroma read."""
    if not ids:
        return {}
    include = ["documents", "metadatas", *(["embeddings"] if vectors else [])]
    got = collection.get(ids=list(ids), include=include)
    embeddings = got["embeddings"] if vectors else [None] * len(got["ids"])
    found = {
        cid: (text, dict(meta or {}), vector)
        for cid, text, meta, vector in zip(
            got["ids"], got["documents"], got["metadatas"], embeddings, strict=True
        )
    }
    return {cid: found[cid] for cid in ids if cid in found}
