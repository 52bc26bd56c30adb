"""The service that the CLI, the HTTP API and the UI all call: one object, built from settings.

It owns the Chroma client and the generator; models load lazily on first use and are cached
per process (see ``rag.embedding`` and ``rag.generate``).
"""

from __future__ import annotations

import shutil
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from rag.answer import assemble
from rag.config import Settings, apply_offline_env
from rag.conversation import standalone_question
from rag.documents import kind_of
from rag.generate import Final, Generator, build_generator
from rag.ingest import delete_document, ingest_file, ingest_paths, list_documents
from rag.retrieve import retrieve
from rag.schemas import (
    DocumentInfo,
    DoneEvent,
    IngestReport,
    Passage,
    PassagesEvent,
    QueryEvent,
    QueryRequest,
    QueryResponse,
    SentenceSupport,
    Timings,
    TokenEvent,
    UploadResult,
)
from rag.store import UnknownCollectionError, collection_names, make_client, open_collection


class QuestionTooLongError(ValueError):
    pass


def final_response(events: Iterator[QueryEvent]) -> QueryResponse:
    """The response carried by the stream's closing ``DoneEvent``."""
    for event in events:
        if isinstance(event, DoneEvent):
            return event.response
    raise RuntimeError("the answer stream ended without a final response")


class RagService:
    def __init__(self, settings: Settings, generator: Generator | None = None):
        apply_offline_env()
        self.settings = settings
        self._client: Any = None
        self.generator = generator or build_generator(settings)
        self._generators: dict[str, Generator] = {self.generator.name: self.generator}

    def generator_for(self, name: str | None) -> Generator:
        """The configured generator, or another one by name (built once, then reused)."""
        if name is None:
            return self.generator
        if name not in self._generators:
            self._generators[name] = build_generator(
                self.settings.model_copy(update={"generator": name})
            )
        return self._generators[name]

    # --- store ---------------------------------------------------------------------------
    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = make_client(self.settings)
        return self._client

    def collection(self, name: str | None = None, create: bool = False) -> Any:
        return open_collection(self.client, name or self.settings.collection, create=create)

    def collections(self) -> list[str]:
        return sorted(collection_names(self.client))

    # --- documents -----------------------------------------------------------------------
    def ingest(
        self,
        paths: Iterable[Path],
        collection: str | None = None,
        prune: bool = False,
        on_file: Callable[[Path, str], None] | None = None,
    ) -> IngestReport:
        coll = self.collection(collection, create=True)
        return ingest_paths(paths, coll, self.settings, prune_missing=prune, on_file=on_file)

    def ingest_seeds_if_empty(self) -> IngestReport | None:
        """First start: fill an empty default collection with the bundled corpus."""
        coll = self.collection(create=True)
        if coll.count() > 0 or not self.settings.seeds_dir.is_dir():
            return None
        return ingest_paths([self.settings.seeds_dir], coll, self.settings)

    def upload(self, filename: str, data: bytes, collection: str | None = None) -> UploadResult:
        """Store an uploaded file under a server-made name in the data dir, then ingest it.

        The client's file name is metadata only (it becomes ``source``); it never shapes a path.
        """
        safe_name = Path(filename.replace("\\", "/")).name or "upload"
        kind_of(safe_name)  # refuse unsupported types before writing anything
        suffix = Path(safe_name).suffix.lower()
        coll = self.collection(collection, create=True)
        folder = self.settings.uploads_dir / coll.name
        folder.mkdir(parents=True, exist_ok=True)
        doc_id = uuid.uuid4().hex[:16]
        stored = folder / f"{doc_id}{suffix}"
        stored.write_bytes(data)
        try:
            result = ingest_file(stored, coll, self.settings, source=safe_name, doc_id=doc_id)
        except Exception:
            stored.unlink(missing_ok=True)
            raise
        return UploadResult(id=result.doc_id, source=result.source, chunks=result.chunks)

    def documents(self, collection: str | None = None) -> list[DocumentInfo]:
        docs = list_documents(self.collection(collection))
        return [
            DocumentInfo(
                id=doc_id,
                source=d["source"],
                title=d["title"] or "",
                chunks=d["chunks"],
                path=d["path"],
            )
            for doc_id, d in sorted(docs.items(), key=lambda kv: kv[1]["source"])
        ]

    def delete(self, doc_id: str, collection: str | None = None) -> int:
        coll = self.collection(collection)
        found = coll.get(where={"doc_id": doc_id}, limit=1, include=["metadatas"])["metadatas"]
        if not found:
            raise KeyError(doc_id)
        removed = delete_document(coll, doc_id)
        path = found[0].get("path")
        uploads = self.settings.uploads_dir.resolve()
        if path and Path(path).resolve().is_relative_to(uploads):
            Path(path).unlink(missing_ok=True)  # only files we stored ourselves
        return removed

    def drop_collection(self, name: str) -> None:
        if name not in collection_names(self.client):
            raise UnknownCollectionError(name, collection_names(self.client))
        self.client.delete_collection(name)
        shutil.rmtree(self.settings.uploads_dir / name, ignore_errors=True)

    # --- questions -----------------------------------------------------------------------
    def query(self, request: QueryRequest) -> QueryResponse:
        """Answer a question in one go (the last event of ``stream_query``)."""
        return final_response(self.stream_query(request))

    def stream_query(self, request: QueryRequest) -> Iterator[QueryEvent]:
        """Answer a question as events: passages, then answer tokens, then the verified answer.

        Bad input (too long, unknown collection) raises here, at the call, not at the first
        ``next()``: callers can turn it into an error status before they start streaming.
        """
        if len(request.question) > self.settings.max_question_chars:
            raise QuestionTooLongError(
                f"question is {len(request.question)} characters; "
                f"the limit is {self.settings.max_question_chars}"
            )
        coll = self.collection(request.collection)
        return self._answer_events(request, coll, time.perf_counter())

    def _answer_events(
        self, request: QueryRequest, coll: Any, started: float
    ) -> Iterator[QueryEvent]:
        top_k = request.top_k or self.settings.top_k
        question = standalone_question(request.question, request.history)
        passages = retrieve(question, coll, self.settings, top_k)
        retrieved = time.perf_counter()
        yield PassagesEvent(question=question, passages=passages)
        answer, abstained, short = "", not passages, None
        citations: list[Passage] = []
        support: list[SentenceSupport] = []
        first_token: float | None = None
        generator = self.generator_for(request.generator) if request.generate else None
        if generator is not None and generator.name != "none":  # "none": retrieval only
            streamed, final = [], None
            for piece in generator.stream(question, passages, request.history):
                if isinstance(piece, Final):
                    final = piece
                    continue
                if first_token is None:
                    first_token = round((time.perf_counter() - started) * 1000, 1)
                streamed.append(piece)
                yield TokenEvent(text=piece)
            text = final.text if final is not None else "".join(streamed)
            answer, abstained, citations, support = assemble(text, passages)
            short = final.short if final is not None and not abstained else None
        done = time.perf_counter()
        yield DoneEvent(
            response=QueryResponse(
                answer=answer,
                abstained=abstained,
                citations=citations,
                passages=passages,
                question=question,
                support=support,
                short_answer=short,
                timings_ms=Timings(
                    retrieve=round((retrieved - started) * 1000, 1),
                    generate=round((done - retrieved) * 1000, 1),
                    total=round((done - started) * 1000, 1),
                    first_token=first_token,
                ),
            )
        )
