"""Ingesting files idempotently into a collection.

- unchanged file (same bytes, same chunking settings) → nothing is touched;
- changed file → its old chunks are deleted and the new ones added;
- ``prune`` → documents whose file is gone are removed.

The same logic works against a Chroma server shared by several API replicas, since the
content hashes live in the chunks' metadata (``rag.store.chunks``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from rag.config import Settings
from rag.embedding import embedder_for
from rag.errors import DocumentError, StopCheck, go_on, piece_size
from rag.ingest.bounded import load_bounded
from rag.ingest.chunking import content_hash, make_nodes
from rag.ingest.loaders import SUPPORTED_SUFFIXES
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
from rag.text.sentences import leaning_readings, split_sentences

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


@dataclass
class Prepared:
    """A file read, checked and chunked, not yet embedded or written."""

    path: Path
    doc_id: str
    source: str
    previous: str | None  # the stored version's hash; None for a new document
    nodes: list[Any]


def prepare_file(
    path: Path,
    collection: Any,
    settings: Settings,
    *,
    source: str | None = None,
    doc_id: str | None = None,
) -> Prepared | FileResult:
    """Read and chunk one file, or its ``unchanged`` result when the same version is stored;
    raise ``DocumentError`` (or ``OSError``) if it is bad."""
    source = source or path.name
    doc_id = doc_id or doc_id_for(path)
    data = path.read_bytes()
    doc_hash = content_hash(data, settings)
    meta = document_meta(collection, doc_id)
    previous = str(meta.get("doc_hash")) if meta else None
    if previous == doc_hash:
        return FileResult("unchanged", doc_id, source, len(document_chunk_ids(collection, doc_id)))
    doc = load_bounded(path, settings)
    nodes = list(make_nodes(doc, doc_id, source, path, doc_hash, settings))
    return Prepared(path, doc_id, source, previous, nodes)


def pieces(items: Sequence[Any], size: int, stop: StopCheck | None) -> Iterator[Sequence[Any]]:
    """``items`` in runs of ``size``, asking ``stop`` before each one."""
    for start in range(0, len(items), size):
        go_on(stop)
        yield items[start : start + size]


def write_batch(
    batch: Sequence[Prepared], collection: Any, settings: Settings, stop: StopCheck | None = None
) -> None:
    """Embed the files' chunks together (full encoder batches across small files), and their
    sentences (retrieval ranks chunks by their best sentence: computed now so the first
    questions do not pay for them); then replace their stored versions in one write to Chroma
    and the lexical index. ``stop`` is asked between pieces of the embedding: once it says
    True, nothing is written."""
    # Longest first, as sentence-transformers orders a batch itself: the encoder pads each
    # batch of 32 to its longest text, so texts of like length go together.
    nodes = sorted(
        (n for prepared in batch for n in prepared.nodes),
        key=lambda n: -len(n.get_content(metadata_mode="none")),
    )
    embedder = embedder_for(settings)
    size = piece_size(settings.embed_batch_size)  # whole batches: the same vectors as one call
    embedded: list[Any] = [n for part in pieces(nodes, size, stop) for n in embedder(list(part))]
    texts = [n.get_content(metadata_mode="none") for n in embedded]
    vectors = sentence_vectors(settings)
    # Apart: the sentences' vectors should not depend on whether readings were embedded
    # beside them (the ONNX backends encode each text alone; torch pads each batch to its
    # longest text, which may move a vector's last bits).
    vectors.get([s for text in texts for s in split_sentences(text)], stop)
    vectors.get([r for text in texts for r in leaning_readings(text).values()], stop)
    go_on(stop)  # a last check: nothing is written for a client gone by now
    with updating(collection, settings) as lexical:
        removed: list[str] = []
        for prepared in batch:
            if prepared.previous is not None:
                removed += delete_document(collection, prepared.doc_id)
        add_nodes(collection, embedded)
        lexical.apply(rows_of(embedded), removed)


def ingest_file(
    path: Path,
    collection: Any,
    settings: Settings,
    *,
    source: str | None = None,
    doc_id: str | None = None,
    stop: StopCheck | None = None,
) -> FileResult:
    """Ingest one file idempotently; raise ``DocumentError`` (or ``OSError``) if it is bad,
    ``Cancelled`` if ``stop`` said so before its chunks were written."""
    prepared = prepare_file(path, collection, settings, source=source, doc_id=doc_id)
    if isinstance(prepared, FileResult):
        return prepared
    write_batch([prepared], collection, settings, stop)
    return result_of(prepared)


def result_of(prepared: Prepared) -> FileResult:
    status: Status = "added" if prepared.previous is None else "updated"
    return FileResult(status, prepared.doc_id, prepared.source, len(prepared.nodes))


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
        ids = delete_document(collection, doc_id)
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
    """Ingest files and folders; a bad file is reported in ``failed`` and the rest go on.

    Files are written in batches of about ``INGEST_BATCH_CHUNKS`` chunks, so memory is bounded
    by the batch, not the corpus; ``on_file`` hears of each file once its batch is stored.
    """
    report = IngestReport()
    batch: list[Prepared] = []

    def done(path: Path, outcome: str, error: str | None = None) -> None:
        if error is not None:
            report.failed.append(FailedFile(path=str(path), error=error))
        else:
            setattr(report, outcome, getattr(report, outcome) + 1)
        if on_file:
            on_file(path, outcome)

    def flush() -> None:
        try:
            write_batch(batch, collection, settings)
        except _FILE_ERRORS as exc:
            for prepared in batch:
                done(prepared.path, "failed", str(exc) or type(exc).__name__)
        else:
            for prepared in batch:
                done(prepared.path, result_of(prepared).status)
        batch.clear()

    for path in iter_files(paths):
        try:
            if not path.exists():
                raise DocumentError("no such file or directory")
            prepared = prepare_file(path, collection, settings)
        except _FILE_ERRORS as exc:
            done(path, "failed", str(exc) or type(exc).__name__)
            continue
        if isinstance(prepared, FileResult):
            done(path, prepared.status)
            continue
        if any(p.doc_id == prepared.doc_id for p in batch):  # the same file named twice
            done(path, "unchanged")
            continue
        batch.append(prepared)
        if sum(len(p.nodes) for p in batch) >= INGEST_BATCH_CHUNKS:
            flush()
    if batch:
        flush()
    if prune_missing:
        report.removed = prune(collection, settings)
    report.chunks = collection.count()
    return report


INGEST_BATCH_CHUNKS = 256
"""Chunks embedded and written together: eight full encoder batches of 32; a batch's nodes,
vectors and sentence vectors are all that an ingest holds in memory at once."""
_FILE_ERRORS = (DocumentError, OSError, UnicodeError, ValueError)
