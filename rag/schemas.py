"""Plain data at the boundaries: the JSON shapes of ``../shared/CONTRACT.md``, made here only."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

from rag.config import SelectableGenerator
from rag.tuning import TUNING


class Passage(BaseModel):
    """A retrieved passage; ``id`` is the n of the marker [n] that refers to it."""

    id: int
    source: str
    chunk_id: str
    text: str
    start: int | None = None
    end: int | None = None
    score: float
    title: str | None = None
    author: str | None = None
    published: str | None = None
    """The date its document gives itself ("May 30, 2022"), when it gives one."""
    doc_id: str | None = None
    doc_hash: str | None = None
    """The version of the document the passage was read from (its content hash)."""
    page: int | None = None
    """1-based page where the passage starts in a paged document (PDF); None otherwise."""
    last_page: int | None = None
    """The page where it ends: a passage may run on past a page break."""


class Timings(BaseModel):
    retrieve: float = 0.0
    generate: float = 0.0
    total: float = 0.0
    first_token: float | None = None  # ms from the request to the first answer text, if any


class ChatTurn(BaseModel):
    role: Literal["user", "assistant"]
    content: str = Field(max_length=20_000)


class QueryRequest(BaseModel):
    question: str = Field(min_length=1)
    collection: str | None = None
    top_k: int | None = Field(None, ge=1, le=50, strict=True)  # "5" and true are refused
    history: list[ChatTurn] = Field(default_factory=list, max_length=TUNING.max_history_turns)
    generate: bool = True
    # Per-request choice of generator; None = the server's configured one (RAG_GENERATOR).
    generator: SelectableGenerator | None = None
    conversation_id: str | None = Field(
        None,
        min_length=1,
        max_length=64,
        description="A stored conversation: its turns are the history, the answer its next turn.",
    )

    @field_validator("question")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("question is empty")
        return value.strip()


class SentenceSupport(BaseModel):
    """How well one answer sentence is backed by the passages its markers name."""

    sentence: str
    citations: list[int] = Field(default_factory=list)  # marker numbers after verification
    supported: bool = False
    score: float = 0.0  # best support score (0-1) among the cited passages


class AnswerPart(BaseModel):
    """One part of a multi-part question: whether the documents answered it, and where. A
    claim the question reports before asking about it ("lund says friction is no big deal —
    does the mena paper agree") is a part too: where the documents tell it."""

    question: str
    answered: bool
    citations: list[int] = Field(default_factory=list)


class QueryResponse(BaseModel):
    answer: str
    abstained: bool
    citations: list[Passage]
    passages: list[Passage]
    timings_ms: Timings
    support: list[SentenceSupport] = Field(default_factory=list)
    question: str | None = None  # the standalone question retrieval used (after condensing)
    short_answer: str | None = None  # the answer phrase alone (no markers), when there is one
    parts: list[AnswerPart] = Field(default_factory=list)  # a multi-part question's parts
    conversation_id: str | None = None  # the stored conversation this answer is a turn of
    turn_id: str | None = None  # the stored turn (feedback names it); None when not stored


class PassagesEvent(BaseModel):
    """First event of a streamed answer: what retrieval found."""

    type: Literal["passages"] = "passages"
    question: str  # the standalone question used for retrieval
    passages: list[Passage]
    conversation_id: str | None = None  # where the answer will be stored, known from the start
    turn_id: str | None = None


class TokenEvent(BaseModel):
    """A piece of the answer text as it is generated (markers may still be re-pointed)."""

    type: Literal["token"] = "token"
    text: str


class DoneEvent(BaseModel):
    """Last event: the verified answer; its ``answer`` replaces the streamed text."""

    type: Literal["done"] = "done"
    response: QueryResponse


QueryEvent = PassagesEvent | TokenEvent | DoneEvent
QueryEvents = Generator[QueryEvent, None, None]  # a streamed answer, closed when abandoned


class FailedFile(BaseModel):
    path: str
    error: str


class IngestReport(BaseModel):
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    failed: list[FailedFile] = Field(default_factory=list)
    chunks: int = 0


class DocumentInfo(BaseModel):
    id: str
    source: str
    title: str = ""
    chunks: int
    path: str | None = None


class UploadResult(BaseModel):
    id: str
    source: str
    chunks: int
    status: Literal["added", "unchanged", "replaced"] = "added"
    """``unchanged``: the same content under the same name was there (no copy is made);
    ``replaced``: a new version of a document of that name took the old one's place."""


class DeletedDocument(BaseModel):
    id: str
    collection: str
    chunks_removed: int


class CollectionInfo(BaseModel):
    name: str
    documents: int
    chunks: int


# --- conversations and feedback -------------------------------------------------------------
Rating = Literal["up", "down"]


class Feedback(BaseModel):
    """A user's verdict on one answer; ``correct_answer`` is what it should have said."""

    rating: Rating
    note: str | None = Field(None, max_length=4_000)
    correct_answer: str | None = Field(None, max_length=20_000)


class FeedbackRequest(Feedback):
    """``POST /v1/feedback``: a rating for a stored turn (the last one given counts)."""

    turn_id: str = Field(min_length=1, max_length=64)


class FeedbackRecord(FeedbackRequest):
    created: float  # Unix seconds


class StoredTurn(BaseModel):
    """One answered question as it was: enough to see later what the answer was based on."""

    id: str
    conversation_id: str
    position: int  # 0-based order in the conversation
    question: str  # as the user typed it
    history: list[ChatTurn]  # the earlier turns the engine was given
    response: QueryResponse  # answer, support, the standalone question, every passage retrieved
    settings: dict[str, Any]  # collection, top_k, retrieval, generator, models, pipeline version
    created: float
    feedback: Feedback | None = None


class ConversationInfo(BaseModel):
    id: str
    title: str
    collection: str | None = None
    created: float
    updated: float
    turn_count: int = 0


class Conversation(ConversationInfo):
    turns: list[StoredTurn] = Field(default_factory=list)


class ConversationList(BaseModel):
    conversations: list[ConversationInfo]


class ConversationUpdate(BaseModel):
    """``PATCH /v1/conversations/{id}``: rename."""

    title: str = Field(min_length=1, max_length=200)

    @field_validator("title")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("title is empty")
        return value.strip()


class DeletedConversation(BaseModel):
    id: str
    turns_removed: int
