"""Ingestion: files → clean text → sentence-aware chunks → vectors → Chroma.

Chroma itself is the record of what is ingested: every chunk carries its document's id and
content hash, so re-ingesting compares hashes there (no side docstore to fall out of sync, and
the same logic works against a Chroma server shared by several API replicas).

- unchanged file (same bytes, same chunking settings) → nothing is touched;
- changed file → its old chunks are deleted and the new ones added;
- ``prune`` → documents whose file is gone are removed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from rag.config import Settings
from rag.documents import SUPPORTED_SUFFIXES, CleanDocument, DocumentError, load_file
from rag.schemas import FailedFile, IngestReport

# Bump when cleaning or chunking changes in a way that should re-ingest every document.
PIPELINE_VERSION = "3"

# Metadata kept out of the embedded text: paths and hashes are noise to the embedder.
# Only the title is embedded with the chunk (an author name in every chunk of a document made
# them all look alike to the embedder and pushed the best chunk out of the top 4).
_NOT_EMBEDDED = [
    "source",
    "doc_id",
    "doc_hash",
    "path",
    "kind",
    "start",
    "end",
    "chunk_index",
    "author",
]

Status = Literal["added", "updated", "unchanged"]


@dataclass
class FileResult:
    status: Status
    doc_id: str
    source: str
    chunks: int


def doc_id_for(path: Path) -> str:
    """Stable document id: a hash of the file's absolute path."""
    return hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:16]


def content_hash(data: bytes, settings: Settings) -> str:
    """Hash of the bytes and of every setting that shapes the chunks and vectors."""
    digest = hashlib.sha256(data)
    config = f"{PIPELINE_VERSION}|{settings.chunk_tokens}|{settings.chunk_overlap}|" + (
        Path(settings.resolved_embed_model()).name
    )
    digest.update(config.encode())
    return digest.hexdigest()


def iter_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Expand folders into their supported files (sorted, hidden files skipped)."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
                if child.is_file() and not hidden and child.suffix.lower() in SUPPORTED_SUFFIXES:
                    yield child
        else:
            yield path


def make_nodes(
    doc: CleanDocument, doc_id: str, source: str, path: Path, doc_hash: str, settings: Settings
) -> list[Any]:
    """Chunk a clean document into llama-index ``TextNode``s with ids and source offsets."""
    from llama_index.core import Document
    from llama_index.core.node_parser import SentenceSplitter

    from rag.embedding import get_token_counter

    embed_model = settings.resolved_embed_model()
    splitter = SentenceSplitter(
        chunk_size=settings.chunk_tokens,
        chunk_overlap=settings.chunk_overlap,
        tokenizer=get_token_counter(embed_model),
        paragraph_separator="\n\n",
        include_prev_next_rel=False,
    )
    document = Document(
        id_=doc_id,
        text=doc.text,
        metadata={
            "source": source,
            "title": doc.title,
            "author": doc.author,
            "doc_id": doc_id,
            "doc_hash": doc_hash,
            "path": str(path.resolve()),
            "kind": doc.kind,
        },
        excluded_embed_metadata_keys=list(_NOT_EMBEDDED),
        excluded_llm_metadata_keys=[*_NOT_EMBEDDED, "title"],
    )
    nodes: list[Any] = list(splitter.get_nodes_from_documents([document]))
    for index, node in enumerate(nodes):
        node.id_ = f"{doc_id}-{index:04d}"
        start = node.start_char_idx if node.start_char_idx is not None else 0
        end = node.end_char_idx if node.end_char_idx is not None else start + len(node.text)
        node.metadata["start"] = doc.source_offset(start)
        node.metadata["end"] = doc.source_offset(max(start, end - 1)) + 1
        node.metadata["chunk_index"] = index
        node.excluded_embed_metadata_keys = list(_NOT_EMBEDDED)
        node.excluded_llm_metadata_keys = [*_NOT_EMBEDDED, "title"]
    return nodes


def stored_hash(collection: Any, doc_id: str) -> str | None:
    got = collection.get(where={"doc_id": doc_id}, limit=1, include=["metadatas"])
    metadatas = got.get("metadatas") or []
    return str(metadatas[0].get("doc_hash")) if metadatas else None


def ingest_file(
    path: Path,
    collection: Any,
    settings: Settings,
    *,
    source: str | None = None,
    doc_id: str | None = None,
) -> FileResult:
    """Ingest one file idempotently; raise ``DocumentError`` (or ``OSError``) if it is bad."""
    from llama_index.vector_stores.chroma import ChromaVectorStore

    from rag.embedding import embedder_for
    from rag.evidence import split_sentences
    from rag.sentences import sentence_vectors

    source = source or path.name
    doc_id = doc_id or doc_id_for(path)
    data = path.read_bytes()
    doc_hash = content_hash(data, settings)
    previous = stored_hash(collection, doc_id)
    if previous == doc_hash:
        count = len(collection.get(where={"doc_id": doc_id}, include=[])["ids"])
        return FileResult("unchanged", doc_id, source, count)

    doc = load_file(path)
    nodes = make_nodes(doc, doc_id, source, path, doc_hash, settings)
    embedder = embedder_for(settings)
    nodes = list(embedder(nodes))
    # Sentence vectors too (retrieval ranks chunks by their best sentence): computed now so
    # the first questions do not pay for them.
    sentence_vectors(settings).get(
        [s for node in nodes for s in split_sentences(node.get_content(metadata_mode="none"))]
    )
    if previous is not None:
        collection.delete(where={"doc_id": doc_id})
    ChromaVectorStore(chroma_collection=collection).add(nodes)
    return FileResult("added" if previous is None else "updated", doc_id, source, len(nodes))


def list_documents(collection: Any) -> dict[str, dict[str, Any]]:
    """Every document in a collection: ``doc_id → {source, title, path, chunks}``."""
    docs: dict[str, dict[str, Any]] = {}
    got = collection.get(include=["metadatas"])
    for meta in got.get("metadatas") or []:
        doc_id = str(meta.get("doc_id"))
        entry = docs.setdefault(
            doc_id,
            {
                "source": meta.get("source", ""),
                "title": meta.get("title", ""),
                "path": meta.get("path"),
                "chunks": 0,
            },
        )
        entry["chunks"] += 1
    return docs


def delete_document(collection: Any, doc_id: str) -> int:
    """Remove a document's chunks; return how many there were."""
    ids = collection.get(where={"doc_id": doc_id}, include=[])["ids"]
    if ids:
        collection.delete(ids=ids)
    return len(ids)


def prune(collection: Any) -> int:
    """Remove documents whose file no longer exists; return how many were removed."""
    removed = 0
    for doc_id, info in list_documents(collection).items():
        path = info.get("path")
        if path and not Path(path).exists():
            delete_document(collection, doc_id)
            removed += 1
    return removed


def ingest_paths(
    paths: Iterable[Path],
    collection: Any,
    settings: Settings,
    *,
    prune_missing: bool = False,
    on_file: Callable[[Path, str], None] | None = None,
) -> IngestReport:
    """Ingest files and folders; a bad file is reported in ``failed`` and the rest go on."""
    report = IngestReport()
    for path in iter_files(paths):
        try:
            if not path.exists():
                raise DocumentError("no such file or directory")
            result = ingest_file(path, collection, settings)
        except (DocumentError, OSError, UnicodeError, ValueError) as exc:
            report.failed.append(FailedFile(path=str(path), error=str(exc) or type(exc).__name__))
            outcome = "failed"
        else:
            setattr(report, result.status, getattr(report, result.status) + 1)
            outcome = result.status
        if on_file:
            on_file(path, outcome)
    if prune_missing:
        report.removed = prune(collection)
    report.chunks = collection.count()
    return report
