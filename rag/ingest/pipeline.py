"""Ingesting files idempotently into a collection.

- unchanged file (same bytes, same chunking settings) → nothing is touched;
- changed file → its old chunks are deleted and the new ones added;
- ``prune`` → documents whose file is gone are removed.

The same logic works against a Chroma server shared by several API replicas, since the
content hashes live in the chunks' metadata (``rag.store.chunks``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from rag.config import Settings
from rag.embedding import embedder_for
from rag.errors import DocumentError
from rag.ingest.chunking import content_hash, make_nodes
from rag.ingest.loaders import SUPPORTED_SUFFIXES, load_file
from rag.retrieval.lexical import rows_of, updating
from rag.schemas import FailedFile, IngestReport
from rag.store.chunks import (
    add_nodes,
    delete_document,
    document_chunk_ids,
    document_meta,
    list_documents,
)
from rag.store.sentence_vectors import sentence_vectors
from rag.text.sentences import split_sentences

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


def ingest_file(
    path: Path,
    collection: Any,
    settings: Settings,
    *,
    source: str | None = None,
    doc_id: str | None = None,
) -> FileResult:
    """Ingest one file idempotently; raise ``DocumentError`` (or ``OSError``) if it is bad."""
    source = source or path.name
    doc_id = doc_id or doc_id_for(path)
    data = path.read_bytes()
    doc_hash = content_hash(data, settings)
    meta = document_meta(collection, doc_id)
    previous = str(meta.get("doc_hash")) if meta else None
    if previous == doc_hash:
        return FileResult("unchanged", doc_id, source, len(document_chunk_ids(collection, doc_id)))

    doc = load_file(path, settings.max_upload_bytes)
    nodes: list[Any] = list(
        embedder_for(settings)(make_nodes(doc, doc_id, source, path, doc_hash, settings))
    )
    # Sentence vectors too (retrieval ranks chunks by their best sentence): computed now so
    # the first questions do not pay for them.
    sentence_vectors(settings).get(
        [s for node in nodes for s in split_sentences(node.get_content(metadata_mode="none"))]
    )
    with updating(collection, settings) as lexical:
        removed = document_chunk_ids(collection, doc_id) if previous is not None else []
        if removed:
            delete_document(collection, doc_id)
        add_nodes(collection, nodes)
        lexical.apply(rows_of(nodes), removed)
    return FileResult("added" if previous is None else "updated", doc_id, source, len(nodes))


def prune(collection: Any, settings: Settings) -> int:
    """Remove documents whose file no longer exists; return how many were removed."""
    documents = list_documents(collection).items()
    gone = [d for d, doc in documents if doc.path and not Path(doc.path).exists()]
    for doc_id in gone:
        remove_document(collection, settings, doc_id)
    return len(gone)


def remove_document(collection: Any, settings: Settings, doc_id: str) -> int:
    """Remove a document's chunks from the collection and its lexical index; return how many
    there were."""
    with updating(collection, settings) as lexical:
        ids = document_chunk_ids(collection, doc_id)
        delete_document(collection, doc_id)
        lexical.apply([], ids)
    return len(ids)


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
        report.removed = prune(collection, settings)
    report.chunks = collection.count()
    return report
