"""`rag check [--repair]`: does a collection hold together after a crash, a kill -9 or a hand
edit? Chroma is the record; everything else is checked against it.

- every chunk belongs to a document (``doc_id`` and ``doc_hash`` in its metadata);
- every document is whole: one version (one ``doc_hash``), chunks numbered 0..n-1 without a
  gap (an ingest killed between its delete and its add, or mid-add, leaves one);
- every document's file is still there (uploads are kept under the data dir), and its
  chunks were made from it as it is now, by this pipeline and these settings (the stored
  ``doc_hash``: an earlier ``PIPELINE_VERSION``, other chunk sizes or another embedder, or a
  file edited since, leave a stale document);
- the BM25 index (``rag.retrieval.lexical``) holds exactly Chroma's chunks, in their versions;
- every chunk's sentences have vectors in the sentence cache;
- no stored upload lies in the data dir without a document (an upload killed before its
  chunks were written).

``--repair`` mends what can be mended: a broken or stale document is re-ingested from its file (or
removed when its file is gone: nothing could rebuild it), stray chunks are deleted, the BM25
index is re-synced, missing sentence vectors are computed, stray uploads are deleted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rag.config import Settings
from rag.ingest.chunking import content_hash
from rag.ingest.pipeline import ingest_file, remove_document
from rag.retrieval.lexical import stored_index
from rag.store.chunks import list_documents
from rag.store.sentence_vectors import sentence_vectors
from rag.text.sentences import split_sentences

_PAGE = 1000  # chunks read from Chroma at a time


@dataclass
class Finding:
    kind: str  # chunk_without_document | broken_document | stale_document | file_missing
    #           | lexical_out_of_step | sentence_vectors_missing | stray_upload
    detail: str
    repaired: bool = False


@dataclass
class CheckReport:
    collection: str
    documents: int = 0
    chunks: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing is wrong now (every finding repaired, or none)."""
        return all(f.repaired for f in self.findings)


@dataclass
class _Document:
    source: str
    path: str | None
    hashes: set[str] = field(default_factory=set)
    numbers: list[int] = field(default_factory=list)


@dataclass
class _Scan:
    """One paged read of the collection: everything the checks need."""

    documents: dict[str, _Document] = field(default_factory=dict)
    strays: list[str] = field(default_factory=list)  # chunks that name no document
    hashes: dict[str, str] = field(default_factory=dict)  # chunk id -> doc hash (as the index)
    missing: list[str] = field(default_factory=list)  # sentences without a stored vector


def _scan(collection: Any, settings: Settings) -> _Scan:
    cache = sentence_vectors(settings)
    scan, offset = _Scan(), 0
    while True:
        got = collection.get(include=["metadatas", "documents"], limit=_PAGE, offset=offset)
        for cid, meta in zip(got["ids"], got["metadatas"], strict=True):
            meta = meta or {}
            doc_id, doc_hash = str(meta.get("doc_id") or ""), str(meta.get("doc_hash") or "")
            scan.hashes[cid] = doc_hash
            if not doc_id or not doc_hash:
                scan.strays.append(cid)
                continue
            doc = scan.documents.setdefault(
                doc_id, _Document(str(meta.get("source") or ""), meta.get("path"))
            )
            doc.hashes.add(doc_hash)
            number = cid.removeprefix(f"{doc_id}-")
            doc.numbers.append(int(number) if number.isdigit() else -1)
        sentences = dict.fromkeys(s for t in got["documents"] for s in split_sentences(t))
        scan.missing += cache.missing(list(sentences))
        if len(got["ids"]) < _PAGE:
            return scan
        offset += _PAGE


def _stale(doc: _Document, settings: Settings) -> bool:
    """Whether the document's chunks were made from another version of its file, or by
    another pipeline or other settings (its stored hash is not the file's hash now)."""
    return content_hash(Path(str(doc.path)).read_bytes(), settings) not in doc.hashes


def _whole(doc: _Document) -> bool:
    return len(doc.hashes) == 1 and sorted(doc.numbers) == list(range(len(doc.numbers)))


def stray_uploads(
    collection: Any, settings: Settings, documents: dict[str, Any] | None = None
) -> list[Path]:
    """Stored uploads of the collection that no document uses (``documents``: the
    collection's documents by id, when already read; each has a ``path``)."""
    folder = settings.uploads_dir / collection.name
    if not folder.is_dir():
        return []
    docs = list_documents(collection) if documents is None else documents
    known = {str(Path(str(d.path)).resolve()) for d in docs.values() if d.path}
    return sorted(p for p in folder.iterdir() if p.is_file() and str(p.resolve()) not in known)


def check(collection: Any, settings: Settings, repair: bool = False) -> CheckReport:
    """Check one collection (and repair it when asked); see the module docstring. Everything
    is found first, against the collection as it is; then mended in an order where each step
    leaves the next what it needs (documents, then the index and vectors derived from them)."""
    scan = _scan(collection, settings)
    report = CheckReport(collection.name, len(scan.documents), len(scan.hashes))
    found = report.findings
    if scan.strays:
        found.append(
            Finding("chunk_without_document", f"{len(scan.strays)} chunks: {scan.strays[:5]}")
        )
    broken: dict[str, Finding] = {}
    for doc_id, doc in sorted(scan.documents.items(), key=lambda kv: kv[1].source):
        exists = bool(doc.path) and Path(str(doc.path)).exists()
        if _whole(doc):
            if doc.path and not exists:
                found.append(Finding("file_missing", f"{doc.source} ({doc_id}): {doc.path}"))
            elif exists and _stale(doc, settings):
                broken[doc_id] = Finding(
                    "stale_document",
                    f"{doc.source} ({doc_id}): its chunks were made by an earlier pipeline, "
                    "other chunk or embedding settings, or from an earlier version of its file",
                )
                found.append(broken[doc_id])
            continue
        versions = f"{len(doc.hashes)} versions, " if len(doc.hashes) > 1 else ""
        numbers = sorted(doc.numbers)
        broken[doc_id] = Finding(
            "broken_document",
            f"{doc.source} ({doc_id}): {versions}{len(numbers)} chunks numbered {numbers[:8]}"
            f"{'…' if len(numbers) > 8 else ''}",
        )
        found.append(broken[doc_id])
    if stored_index(settings, collection.name).hashes() != scan.hashes:
        found.append(Finding("lexical_out_of_step", "the BM25 index differs from Chroma"))
    if scan.missing:
        found.append(Finding("sentence_vectors_missing", f"{len(scan.missing)} sentences"))
    strays = stray_uploads(collection, settings, scan.documents)
    found += [Finding("stray_upload", f"{p.name}: no document uses it") for p in strays]
    if repair and found:
        _mend(collection, settings, report, scan, broken, strays)
    return report


def _mend(
    collection: Any,
    settings: Settings,
    report: CheckReport,
    scan: _Scan,
    broken: dict[str, Finding],
    strays: list[Path],
) -> None:
    if scan.strays:
        collection.delete(ids=scan.strays)
    for doc_id, finding in broken.items():
        doc = scan.documents[doc_id]
        remove_document(collection, settings, doc_id)
        if doc.path and Path(str(doc.path)).exists():  # the file is the truth: ingest it again
            path = Path(str(doc.path))
            ingest_file(path, collection, settings, source=doc.source, doc_id=doc_id)
        finding.repaired = True
    index = stored_index(settings, collection.name)
    index.sync(collection)
    sentence_vectors(settings).restore(_scan(collection, settings).missing)
    for stored in strays:
        stored.unlink(missing_ok=True)
    now = _scan(collection, settings)
    for f in report.findings:
        if f.kind in ("chunk_without_document", "stray_upload"):
            f.repaired = True
        elif f.kind == "lexical_out_of_step":
            f.repaired = index.hashes() == now.hashes
        elif f.kind == "sentence_vectors_missing":
            f.repaired = not now.missing
    report.documents, report.chunks = len(now.documents), len(now.hashes)
