"""The service that the CLI, the HTTP API and the UI all call: one object, built from settings.

It owns the Chroma client, the generators and the generation queue, and every use-case rule:
what an upload may be (and what a failed one leaves behind: nothing), what a delete removes,
which generators a request may pick, and who may generate now. Adapters translate; they decide
nothing. Models load lazily on first use and are cached per process.
"""

from __future__ import annotations

import logging
import shutil
import time
import unicodedata
import uuid
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path, PurePosixPath
from typing import Any

from rag.admission import Admission, Ticket
from rag.answer.generators import GENERATORS, SELECTABLE, build_generator
from rag.answer.pipeline import Generator, answer_events
from rag.check import CheckReport, stray_uploads
from rag.check import check as check_collection
from rag.config import Settings, apply_offline_env, validate_collection_name
from rag.errors import (
    CollectionExists,
    FileTooLarge,
    GeneratorUnavailable,
    InvalidInput,
    QuestionTooLong,
    StopCheck,
    UnknownCollection,
    UnknownDocument,
    go_on,
)
from rag.ingest.chunking import PIPELINE_VERSION, content_hash
from rag.ingest.loaders import kind_of
from rag.ingest.pipeline import ingest_file, ingest_paths, remove_document
from rag.retrieval.lexical import forget as forget_lexical
from rag.retrieval.lexical import in_step
from rag.retrieval.retrieve import document_passages
from rag.schemas import (
    ChatTurn,
    CollectionInfo,
    Conversation,
    ConversationInfo,
    DeletedConversation,
    DeletedDocument,
    DocumentInfo,
    DoneEvent,
    FeedbackRecord,
    FeedbackRequest,
    IngestReport,
    Passage,
    PassagesEvent,
    QueryEvent,
    QueryEvents,
    QueryRequest,
    QueryResponse,
    UploadResult,
)
from rag.store.chroma import collection_names, drop_collection, make_client, open_collection
from rag.store.chunks import (
    document_chunk_ids,
    document_meta,
    documents_named,
    list_documents,
)
from rag.store.conversations import ConversationStore, new_id
from rag.tuning import TUNING

log = logging.getLogger(__name__)

# How often an upload waiting for its turn asks whether its client is still there.
UPLOAD_POLL_S = 0.25


def final_response(events: Iterator[QueryEvent]) -> QueryResponse:
    """The response carried by the stream's closing ``DoneEvent``."""
    for event in events:
        if isinstance(event, DoneEvent):
            return event.response
    raise RuntimeError("the answer stream ended without a final response")


def upload_name(filename: str) -> str:
    """The client's file name as metadata: its last path part, never a path, without
    control and format characters. A right-to-left override would make "evil<U+202E>gpj.txt"
    show as "eviltxt.jpg"; zero-width characters would let two names look alike."""
    visible = "".join(
        c
        for c in unicodedata.normalize("NFC", filename)
        if unicodedata.category(c) not in {"Cc", "Cf"}
    )
    return PurePosixPath(visible.replace("\\", "/")).name


class RagService:
    def __init__(self, settings: Settings, generator: Generator | None = None):
        apply_offline_env()
        self.settings = settings
        self._client: Any = None
        self._conversations: ConversationStore | None = None
        self.generator = generator or build_generator(settings)
        self._generators: dict[str, Generator] = {self.generator.name: self.generator}
        self.admission = Admission(
            settings.max_concurrent_generations, settings.max_queued_generations
        )
        self.uploads = Admission(
            settings.max_concurrent_uploads,
            settings.max_queued_uploads,
            first_guess_s=10.0,
            what="uploads",
            hint="",
        )

    # --- generators ----------------------------------------------------------------------
    def generator_for(self, name: str | None) -> Generator:
        """The configured generator, or another one a request picked (built once, reused).

        A picked generator that cannot run here is bad input (``InvalidInput``); the
        configured one failing is the server's fault (``GeneratorUnavailable``)."""
        if name is None:
            return self.generator
        if name not in self._generators:
            try:
                self._generators[name] = build_generator(self.settings, name)
            except GeneratorUnavailable as exc:
                raise InvalidInput(f"generator {name!r} is not available here: {exc}") from exc
        return self._generators[name]

    def generator_names(self) -> list[str]:
        """Generators a request may pick on this server, in registry order."""
        return [
            n
            for n in SELECTABLE
            if n == self.generator.name or GENERATORS[n].available(self.settings)
        ]

    # --- admission -----------------------------------------------------------------------
    def generates(self, request: QueryRequest) -> bool:
        """True if the request needs a generator (and so a generation turn)."""
        return request.generate and self.generator_for(request.generator).name != "none"

    def admit(self, request: QueryRequest) -> Ticket | None:
        """A place in the generation queue (``Overloaded`` when full), or None when the
        request only retrieves. The caller waits on it and releases it."""
        return self.admission.enter() if self.generates(request) else None

    @contextmanager
    def generation_turn(self, request: QueryRequest) -> Iterator[None]:
        """Hold a generation turn for this request (blocking until one is free)."""
        ticket = self.admit(request)
        try:
            if ticket is not None:
                ticket.wait()
            yield
        finally:
            if ticket is not None:
                ticket.release()

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

    def collection_info(self, name: str) -> CollectionInfo:
        return CollectionInfo(
            name=name, documents=len(self.documents(name)), chunks=self.collection(name).count()
        )

    def create_collection(self, name: str) -> CollectionInfo:
        validate_collection_name(name)
        if name in self.collections():
            raise CollectionExists(f"collection {name!r} already exists")
        self.collection(name, create=True)
        return CollectionInfo(name=name, documents=0, chunks=0)

    def drop_collection(self, name: str) -> None:
        """Delete a collection, its chunks and its uploaded files."""
        drop_collection(self.client, name)
        forget_lexical(self.settings, name)
        shutil.rmtree(self.settings.uploads_dir / name, ignore_errors=True)

    # --- documents -----------------------------------------------------------------------
    def ingest(
        self,
        paths: Iterable[Path],
        collection: str | None = None,
        prune: bool = False,
        on_file: Callable[[Path, str], None] | None = None,
    ) -> IngestReport:
        coll = self.collection(collection, create=True)
        report = ingest_paths(paths, coll, self.settings, prune_missing=prune, on_file=on_file)
        in_step(coll, self.settings)  # catch up on a write an earlier, killed ingest left
        return report

    def ingest_seeds_if_empty(self) -> IngestReport | None:
        """First start: fill an empty default collection with the bundled corpus."""
        coll = self.collection(create=True)
        if coll.count() > 0 or not self.settings.seeds_dir.is_dir():
            return None
        return ingest_paths([self.settings.seeds_dir], coll, self.settings)

    def upload(
        self,
        filename: str,
        data: bytes,
        collection: str | None = None,
        stop: StopCheck | None = None,
    ) -> UploadResult:
        """Check an uploaded file, store it under a server-made name in the data dir, ingest it.

        The client's file name is metadata only (it becomes ``source``); it never shapes a
        path. A file that fails leaves nothing behind: no stored file, no chunks, and no
        collection created just for it. Uploads take turns (``self.uploads``: ``Overloaded``
        at once when the queue is full); ``stop`` is asked while waiting and between pieces of
        the work, and once it says True the upload ends in ``Cancelled``, leaving nothing.
        """
        name = collection or self.settings.collection
        try:
            validate_collection_name(name)
        except InvalidInput as exc:
            raise InvalidInput(f"collection: {exc}") from exc
        safe_name = upload_name(filename)
        kind_of(safe_name)  # refuse unsupported types before writing anything
        limit = self.settings.max_upload_bytes
        if len(data) > limit:
            raise FileTooLarge(f"file is larger than the limit of {limit} bytes")
        if not data:
            raise InvalidInput("file: the file is empty")
        ticket = self.uploads.enter()
        try:
            while not ticket.wait(timeout=UPLOAD_POLL_S):
                go_on(stop)
            go_on(stop)
            existed = name in self.collections()
            try:
                return self._store_and_ingest(safe_name, data, name, stop)
            except Exception:
                if not existed and name in self.collections() and not self.collection(name).count():
                    self.drop_collection(name)
                raise
        finally:
            ticket.release()

    def _store_and_ingest(
        self, safe_name: str, data: bytes, name: str, stop: StopCheck | None
    ) -> UploadResult:
        coll = self.collection(name, create=True)
        # Re-upload: the same content under the same name is the document already there; a
        # new version replaces the old one — after it is ingested, so a bad file loses nothing.
        same_name = documents_named(coll, safe_name)
        doc_hash = content_hash(data, self.settings)
        for old_id, old_hash in same_name.items():
            if old_hash == doc_hash:
                chunks = len(document_chunk_ids(coll, old_id))
                return UploadResult(id=old_id, source=safe_name, chunks=chunks, status="unchanged")
        folder = self.settings.uploads_dir / coll.name
        folder.mkdir(parents=True, exist_ok=True)
        doc_id = uuid.uuid4().hex[:16]
        stored = folder / f"{doc_id}{Path(safe_name).suffix.lower()}"
        stored.write_bytes(data)
        try:
            result = ingest_file(
                stored, coll, self.settings, source=safe_name, doc_id=doc_id, stop=stop
            )
        except Exception:
            stored.unlink(missing_ok=True)
            raise
        for old_id in same_name:
            self._delete_from(old_id, coll.name)
        return UploadResult(
            id=result.doc_id,
            source=result.source,
            chunks=result.chunks,
            status="replaced" if same_name else "added",
        )

    def remove_stray_uploads(self) -> int:
        """Delete stored uploads that no document uses: a server killed between storing an
        upload and writing its chunks leaves one (``rag serve`` calls this at start, when no
        upload of its own can be under way; the uploads dir is this replica's own)."""
        removed = 0
        if not self.settings.uploads_dir.is_dir():
            return removed
        for name in self.collections():
            for stored in stray_uploads(self.collection(name), self.settings):
                stored.unlink(missing_ok=True)
                removed += 1
        return removed

    def documents(self, collection: str | None = None) -> list[DocumentInfo]:
        docs = list_documents(self.collection(collection))
        return [
            DocumentInfo(
                id=doc_id, source=d.source, title=d.title or "", chunks=d.chunks, path=d.path
            )
            for doc_id, d in sorted(docs.items(), key=lambda kv: kv[1].source)
        ]

    def check(self, collection: str | None = None, repair: bool = False) -> CheckReport:
        """``rag check``: whether the collection holds together (``rag.check``)."""
        return check_collection(self.collection(collection), self.settings, repair)

    def document_passages(self, doc_id: str, collection: str | None = None) -> list[Passage]:
        """A document's chunks as passages, in the document's order (the source viewer reads
        them); ``UnknownDocument`` if ``collection`` holds no such document."""
        passages = document_passages(doc_id, self.collection(collection))
        if not passages:
            raise UnknownDocument(f"no document {doc_id!r} in {collection or 'the collection'}")
        return passages

    def delete(
        self, doc_id: str, collection: str | None = None, within: Collection[str] | None = None
    ) -> DeletedDocument:
        """Delete a document from ``collection``, or (None) from whichever collection holds it
        — the default collection is looked in first; ``within`` (an API key's scope) limits
        that search to those collections."""
        if collection is not None:
            names = [collection]
        else:
            default, present = self.settings.collection, self.collections()
            if within is not None:
                present = [name for name in present if name in within]
            others = [n for n in present if n != default]
            names = [default, *others] if default in present else others
        for name in names:
            removed = self._delete_from(doc_id, name)
            if removed is not None:
                return DeletedDocument(id=doc_id, collection=name, chunks_removed=removed)
        where = f"collection {collection!r}" if collection else "any collection"
        raise UnknownDocument(f"no document {doc_id!r} in {where}")

    def _delete_from(self, doc_id: str, name: str) -> int | None:
        coll = self.collection(name)
        meta = document_meta(coll, doc_id)
        if meta is None:
            return None
        removed = remove_document(coll, self.settings, doc_id)
        path = meta.get("path")
        uploads = self.settings.uploads_dir.resolve()
        if path and Path(path).resolve().is_relative_to(uploads):
            Path(path).unlink(missing_ok=True)  # only files we stored ourselves
        return removed

    # --- questions -----------------------------------------------------------------------
    def answer_events(
        self, request: QueryRequest, owner: str = "", record: bool = True
    ) -> Iterator[QueryEvent]:
        """The answer as events (passages, tokens, the verified answer), without a generation
        turn: for callers that take one themselves (``admit``), like the async API.

        A request naming a ``conversation_id`` gets that conversation's stored turns as its
        history; every answer (not retrieval-only requests) is stored as a turn of the named
        conversation, or of a new one, and the response carries both ids. ``owner`` is whose
        conversations these are (``rag.store.conversations.owner_for_key``); ``record=False``
        stores nothing (the warm-up question, in-process evaluation).

        Bad input (too long, unknown collection or conversation, an unavailable generator)
        raises here, at the call, not at the first ``next()``: callers can answer with an
        error status first.
        """
        if len(request.question) > self.settings.max_question_chars:
            raise QuestionTooLong(
                f"question is {len(request.question)} characters; "
                f"the limit is {self.settings.max_question_chars}"
            )
        coll = self.collection(request.collection)
        generator = self.generator_for(request.generator) if request.generate else None
        history = request.history
        if request.conversation_id is not None:
            if history:
                raise InvalidInput(
                    "history: send either history or conversation_id (whose stored turns are "
                    "the history), not both"
                )
            history = self.conversation_store().history(
                owner, request.conversation_id, TUNING.history_turns, TUNING.history_turn_chars
            )
        top_k = request.top_k or self.settings.top_k
        events = answer_events(
            request.question,
            history,
            coll,
            self.settings,
            top_k,
            generator,
            time.perf_counter(),
        )
        store = self.conversations
        if store is None or generator is None or not record:
            return events
        turn = {
            "collection": coll.name,
            "top_k": top_k,
            "retrieval": self.settings.retrieval,
            "generator": generator.name,
            "model": self._model_name(generator.name),
            "embed_model": Path(self.settings.resolved_embed_model()).name,
            "pipeline_version": PIPELINE_VERSION,
        }
        return self._recorded(events, store, owner, request, history, turn)

    def _model_name(self, generator: str) -> str | None:
        if generator == "llama_cpp":
            return self.settings.resolved_llm_path().name
        return self.settings.llm_model if generator == "openai" else None

    def _recorded(
        self,
        events: Iterator[QueryEvent],
        store: ConversationStore,
        owner: str,
        request: QueryRequest,
        history: list[ChatTurn],
        turn_settings: dict[str, Any],
    ) -> QueryEvents:
        """The events, with the answer stored as a turn once it is verified. An answer whose
        client went away before the end is not stored; a store that fails loses the record,
        not the answer."""
        ids = {"conversation_id": request.conversation_id or new_id(), "turn_id": new_id()}
        with closing(events):  # type: ignore[type-var]
            for event in events:
                if isinstance(event, PassagesEvent):
                    event = event.model_copy(update=ids)
                elif isinstance(event, DoneEvent):
                    response = event.response.model_copy(update=ids)
                    try:
                        store.add_turn(
                            owner,
                            ids["conversation_id"],
                            ids["turn_id"],
                            request.question,
                            history,
                            response,
                            turn_settings,
                        )
                    except Exception:
                        log.exception("could not store the turn; the answer is still given")
                        response = event.response
                    event = DoneEvent(response=response)
                yield event

    # --- conversations -------------------------------------------------------------------
    @property
    def conversations(self) -> ConversationStore | None:
        """The conversation store, or None when storing is off (``RAG_CONVERSATIONS``)."""
        path = self.settings.conversations_path
        if path is None:
            return None
        if self._conversations is None:
            self._conversations = ConversationStore(path)
        return self._conversations

    def conversation_store(self) -> ConversationStore:
        store = self.conversations
        if store is None:
            raise InvalidInput(
                "conversations are not stored on this server (RAG_CONVERSATIONS=false)"
            )
        return store

    def list_conversations(self, owner: str = "") -> list[ConversationInfo]:
        store = self.conversations
        return store.conversations(owner) if store is not None else []

    def conversation(self, conversation_id: str, owner: str = "") -> Conversation:
        return self.conversation_store().conversation(owner, conversation_id)

    def rename_conversation(
        self, conversation_id: str, title: str, owner: str = ""
    ) -> ConversationInfo:
        return self.conversation_store().rename(owner, conversation_id, title)

    def delete_conversation(self, conversation_id: str, owner: str = "") -> DeletedConversation:
        removed = self.conversation_store().delete(owner, conversation_id)
        return DeletedConversation(id=conversation_id, turns_removed=removed)

    def feedback(self, feedback: FeedbackRequest, owner: str = "") -> FeedbackRecord:
        return self.conversation_store().add_feedback(owner, feedback)

    def stream_query(
        self, request: QueryRequest, owner: str = "", record: bool = True
    ) -> QueryEvents:
        """The answer as events, holding a generation turn while it generates (the UI's way).
        Input errors raise at the call; ``Overloaded`` at the first ``next()``."""
        events = self.answer_events(request, owner, record)
        return self._in_turn(request, events)

    def _in_turn(self, request: QueryRequest, events: Iterator[QueryEvent]) -> QueryEvents:
        with self.generation_turn(request):
            yield from events

    def warm_up(self) -> QueryResponse | None:
        """Answer one question about the default collection, so that the first user does not
        wait for what the first answer loads: the embedder, the lexical index, the English
        word list of the spelling check, the sentence vectors and the model (its system
        prompt then sits in llama.cpp's prefix cache). None when the collection is empty."""
        try:
            coll = self.collection()
        except UnknownCollection:
            return None
        if not coll.count():
            return None
        docs = list_documents(coll)
        title = next((d.title for d in docs.values() if d.title), "the documents")
        return self.query(QueryRequest(question=f"Who wrote “{title}”?"), record=False)

    def query(self, request: QueryRequest, owner: str = "", record: bool = True) -> QueryResponse:
        """Answer a question in one go (the last event of ``stream_query``); the generation
        turn is given back as soon as the answer is there."""
        with closing(self.stream_query(request, owner, record)) as events:
            return final_response(events)
