"""`rag check [--repair]`: does a collection hold together after a crash, a kill -9 or a hand
edit? Chroma is the record; everything else is checked against it.

- every chunk belongs to a document (``doc_id`` and ``doc_hash`` in its metadata);
- every document is whole: one version (one ``doc_hash``), chunks numbered 0..n-1 without a
  gap (an ingest killed between its delete and its add, or mid-add, leaves one);
- every document's file is still there (uploads are kept under the data dir);
- the BM25 index (``rag.retrieval.lexical``) holds exactly Chroma's chunks, in their versions;
- every chunk's sentences have vectors in the sentence cache;
- no stored upload lies in the data dir without a document (an upload killed before its
  chunks were written).

``--repair`` mends what can be mended: a broken document is re-ingested from its file (or
removed when its file is gone: nothing could rebuild it), stray chunks are deleted, the BM25
index is re-synced, missing sentence vectors are computed, stray uploads are deleted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rag.config import Settings
from rag.ingest.pipeline import ingest_file, remove_document
from rag.retrieval.lexical import stored_index
from rag.store.chunks import chunk_hashes
from rag.store.sentence_vectors import sentence_vectors
from rag.text.sentences import split_sentences

_PAGE = 1000  # chunks read from Chroma at a time


@dataclass
class Finding:
    kind: str  # chunk_without_document | broken_document | file_missing | lexical_out_of_step
    #           | sentence_vectors_missing | stray_upload
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


def _chunks(collection: Any) -> tuple[dict[str, _Document], list[str], int]:
    """The documents as their chunks describe them, the chunks that name none, the count."""
    documents: dict[str, _Document] = {}
    strays: list[str] = []
    count, offset = 0, 0
    while True:
        got = collection.get(include=["metadatas"], limit=_PAGE, offset=offset)
        for cid, meta in zip(got["ids"], got["metadatas"], strict=True):
            meta = meta or {}
            doc_id, doc_hash = str(meta.get("doc_id") or ""), str(meta.get("doc_hash") or "")
            count += 1
            if not doc_id or not doc_hash:
                strays.append(cid)
                continue
            doc = documents.setdefault(
                doc_id, _Document(str(meta.get("source") or ""), meta.get("path"))
            )
            doc.hashes.add(doc_hash)
            number = cid.removeprefix(f"{doc_id}-")
            doc.numbers.append(int(number) if number.isdigit() else -1)
        if len(got["ids"]) < _PAGE:
            return documents, strays, count
        offset += _PAGE


def _whole(doc: _Document) -> bool:
    return len(doc.hashes) == 1 and sorted(doc.numbers) == list(range(len(doc.numbers)))


def _missing_sentences(collection: Any, settings: Settings) -> list[str]:
    """The chunks' sentences without a vector in the sentence cache."""
    cache = sentence_vectors(settings)
    missing: list[str] = []
    offset = 0
    while True:
        got = collection.get(include=["documents"], limit=_PAGE, offset=offset)
        sentences = list(dict.fromkeys(s for t in got["documents"] for s in split_sentences(t)))
        missing += cache.missing(sentences)
        if len(got["ids"]) < _PAGE:
            return missing
        offset += _PAGE


def check(collection: Any, settings: Settings, repair: bool = False) -> CheckReport:
    """Check one collection (and repair it when asked); see the module docstring. Everything
    is found first, against the collection as it is; then mended in an order where each step
    leaves the next what it needs (documents, then the index and vectors derived from them)."""
    documents, strays, count = _chunks(collection)
    report = CheckReport(collection.name, len(documents), count)
    found = report.findings
    if strays:
        found.append(Finding("chunk_without_document", f"{len(strays)} chunks: {strays[:5]}"))
    broken: dict[str, Finding] = {}
    for doc_id, doc in sorted(documents.items(), key=lambda kv: kv[1].source):
        exists = bool(doc.path) and Path(str(doc.path)).exists()
        if _whole(doc):
            if doc.path and not exists:
                found.append(Finding("file_missing", f"{doc.source} ({doc_id}): {doc.path}"))
            continue
        versions = f"{len(doc.hashes)} versions, " if len(doc.hashes) > 1 else ""
        numbers = sorted(doc.numbers)
        broken[doc_id] = Finding(
            "broken_document",
            f"{doc.source} ({doc_id}): {versions}{len(numbers)} chunks numbered {numbers[:8]}"
            f"{'…' if len(numbers) > 8 else ''}",
        )
        found.append(broken[doc_id])
    index = stored_index(settings, collection.name)
    if index.hashes() != chunk_hashes(collection, _PAGE):
        found.append(Finding("lexical_out_of_step", "the BM25 index differs from Chroma"))
    missing = _missing_sentences(collection, settings)
    if missing:
        found.append(Finding("sentence_vectors_missing", f"{len(missing)} sentences"))
    folder = settings.uploads_dir / collection.name
    known = {str(Path(str(d.path)).resolve()) for d in documents.values() if d.path}
    uploads = sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
    stray_uploads = [p for p in uploads if str(p.resolve()) not in known]
    found += [Finding("stray_upload", f"{p.name}: no document uses it") for p in stray_uploads]
    if repair and found:
        _mend(collection, settings, report, strays, documents, broken, stray_uploads)
    return report


def _mend(
    collection: Any,
    settings: Settings,
    report: CheckReport,
    strays: list[str],
    documents: dict[str, _Document],
    broken: dict[str, Finding],
    stray_uploads: list[Path],
) -> None:
    if strays:
        collection.delete(ids=strays)
    for doc_id, finding in broken.items():
        doc = documents[doc_id]
        remove_document(collection, settings, doc_id)
        if doc.path and Path(str(doc.path)).exists():  # the file is the truth: ingest it again
            path = Path(str(doc.path))
            ingest_file(path, collection, settings, source=doc.source, doc_id=doc_id)
        finding.repaired = True
    index = stored_index(settings, collection.name)
    index.sync(collection)
    sentence_vectors(settings).restore(_missing_sentences(collection, settings))
    for stored in stray_uploads:
        stored.unlink(missing_ok=True)
    in_step = index.hashes() == chunk_hashes(collection, _PAGE)
    vectors_ok = not _missing_sentences(collection, settings)
    for f in report.findings:
        if f.kind in ("chunk_without_document", "stray_upload"):
            f.repaired = True
        elif f.kind == "lexical_out_of_step":
            f.repaired = in_step
        elif f.kind == "sentence_vectors_missing":
            f.repaired = vectors_ok
    documents_now, _, report.chunks = _chunks(collection)
    report.documents = len(documents_now)
