"""HTTP-only shapes: the streaming switch, OpenAI-compatible chat, documents and collections.

The answer itself (``QueryResponse``, ``Passage``) is defined once, in ``rag.schemas``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from openai.types import Model as OpenAIModel
from openai.types.chat import ChatCompletion as OpenAIChatCompletion
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from rag.config import COLLECTION_PATTERN, validate_collection_name
from rag.schemas import CollectionInfo, Passage, QueryRequest, UploadResult

# Chroma's naming rule, for the OpenAPI schema; validation (with a clearer message than a
# regex mismatch, and the no-".." rule) is ``validate_collection_name``.
COLLECTION_SCHEMA = {"pattern": f"^{COLLECTION_PATTERN}$"}
CollectionName = Annotated[
    str,
    Field(json_schema_extra=COLLECTION_SCHEMA),
    AfterValidator(validate_collection_name),
]


class ErrorDetail(BaseModel):
    message: str
    type: str


class ErrorBody(BaseModel):
    error: ErrorDetail


class QueryHttpRequest(QueryRequest):
    """``POST /v1/query``: the contract's request plus ``stream`` (server-sent events)."""

    collection: CollectionName | None = None
    stream: bool = Field(
        False, description="true: text/event-stream of passages, token and done events."
    )


# --- OpenAI-compatible chat ---------------------------------------------------------------
class ChatContentPart(BaseModel):
    model_config = ConfigDict(extra="allow")
    type: str
    text: str | None = None


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[ChatContentPart] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):
            return "\n".join(p.text for p in self.content if p.type == "text" and p.text)
        return self.content or ""


class ChatCompletionRequest(BaseModel):
    """The OpenAI chat request. The last user message is the question, the messages before it
    the history. Sampling options are accepted and ignored: the server's settings decide."""

    model_config = ConfigDict(extra="allow")
    model: str = Field("rag", description="'rag' (the configured generator) or a generator name.")
    messages: list[ChatMessage] = Field(min_length=1, max_length=500)
    stream: bool = False
    n: int = Field(1, ge=1, le=1, description="Only one choice is generated.")
    temperature: float | None = None
    top_p: float | None = None
    max_tokens: int | None = None
    max_completion_tokens: int | None = None
    seed: int | None = None
    user: str | None = None
    stream_options: dict[str, bool] | None = None
    # Extensions (the openai client sends them with extra_body=...).
    collection: CollectionName | None = Field(None, description="Collection (extension).")
    top_k: int | None = Field(
        None, ge=1, le=50, strict=True, description="Passages retrieved (extension)."
    )
    conversation_id: str | None = Field(
        None,
        min_length=1,
        max_length=64,
        description="A stored conversation (extension): its turns are the history, and the "
        "messages before the last user message are then ignored.",
    )


class ChatCompletion(OpenAIChatCompletion):
    """The ``openai`` package's own ``chat.completion`` plus ``citations`` and ``abstained``
    (extensions)."""

    citations: list[Passage] = Field(description="The passages the [n] markers refer to.")
    abstained: bool = Field(description="True when the documents do not hold the answer.")
    conversation_id: str | None = Field(None, description="The stored conversation.")
    turn_id: str | None = Field(None, description="The stored turn (for POST /v1/feedback).")


class ModelCard(OpenAIModel):
    """The ``openai`` package's own model card."""

    created: int = 0
    object: Literal["model"] = "model"
    owned_by: str = "rag"


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]


# --- documents and collections ------------------------------------------------------------
class UploadedDocument(UploadResult):
    collection: str


class DocumentSummary(BaseModel):
    id: str
    source: str
    title: str = ""
    chunks: int


class DocumentList(BaseModel):
    collection: str
    documents: list[DocumentSummary]


class CollectionList(BaseModel):
    collections: list[CollectionInfo]


class NewCollection(BaseModel):
    name: CollectionName = Field(description="3-63 letters, digits, '.', '_' or '-'.")


class DeletedCollection(BaseModel):
    name: str
    deleted: bool = True
