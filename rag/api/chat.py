"""OpenAI-compatible ``POST /v1/chat/completions`` and ``GET /v1/models``.

The official ``openai`` client works against it, with and without ``stream=True``. The last
user message is the question and the messages before it the history; ``model`` picks the
generator ("rag" = the configured one, as do the names in ``RAG_MODEL_ALIASES``); any other
name is a 404 ``model_not_found``, as from OpenAI, rather than a silent stand-in.

Extensions: the response carries ``citations`` (the passages the [n] markers name),
``abstained``, and the stored ``conversation_id`` and ``turn_id``; a stream sends them once, in
its final chunk, together with ``answer`` (the checked answer text, which replaces the
streamed deltas if markers were re-pointed). A request's ``conversation_id`` (extra body) makes
the stored turns the history.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Request
from openai.types.chat import ChatCompletionChunk, ChatCompletionMessage
from openai.types.chat.chat_completion import Choice
from openai.types.chat.chat_completion_chunk import Choice as ChunkChoice
from openai.types.chat.chat_completion_chunk import ChoiceDelta
from pydantic import ValidationError

from rag.answer.generators import SELECTABLE
from rag.api.answering import Answering
from rag.api.errors import ApiError
from rag.api.query import ERRORS
from rag.api.schemas import (
    ChatCompletion,
    ChatCompletionRequest,
    ErrorBody,
    ModelCard,
    ModelList,
)
from rag.api.streaming import error_json, event_stream, sse, stream_doc
from rag.schemas import ChatTurn, DoneEvent, QueryEvent, QueryRequest, TokenEvent
from rag.service import RagService
from rag.tuning import TUNING

DEFAULT_MODEL = "rag"


def to_query(body: ChatCompletionRequest) -> QueryRequest:
    """The chat request as a question with history."""
    users = [i for i, m in enumerate(body.messages) if m.role == "user"]
    if not users:
        raise ApiError(
            422, "messages: no user message (the last one is the question)", "invalid_request"
        )
    last = users[-1]
    history = [
        {"role": m.role, "content": m.text()}
        for m in body.messages[:last]
        if m.role in ("user", "assistant") and m.text().strip()
    ][-TUNING.max_history_turns :]
    if body.conversation_id is not None:
        history = []  # the stored turns are the history; clients resend theirs anyway
    try:
        return QueryRequest(
            question=body.messages[last].text(),
            collection=body.collection,
            top_k=body.top_k,
            history=[ChatTurn.model_validate(turn) for turn in history],
            generator=body.model if body.model in SELECTABLE else None,
            conversation_id=body.conversation_id,
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        where = "messages" if first["loc"][:1] != ("question",) else f"messages[{last}].content"
        raise ApiError(422, f"{where}: {first['msg']}", "invalid_request") from exc


class ChunkWriter:
    """``chat.completion.chunk`` events of one streamed completion (the ``openai`` package's
    own chunk type, so the wire shape is the one its client parses)."""

    def __init__(self, model: str):
        self.id = f"chatcmpl-{uuid.uuid4().hex}"
        self.created = int(time.time())
        self.model = model

    def chunk(self, delta: ChoiceDelta, finish_reason: str | None = None, **extra: Any) -> str:
        body = ChatCompletionChunk(
            id=self.id,
            object="chat.completion.chunk",
            created=self.created,
            model=self.model,
            choices=[ChunkChoice(index=0, delta=delta, finish_reason=finish_reason, logprobs=None)],
            **extra,
        )
        return sse(body.to_json(indent=None))


async def chat_chunks(events: AsyncIterator[QueryEvent], model: str) -> AsyncIterator[str]:
    out = ChunkWriter(model)
    try:
        yield out.chunk(ChoiceDelta(role="assistant", content=""))
        async for event in events:
            if isinstance(event, TokenEvent):
                yield out.chunk(ChoiceDelta(content=event.text))
            elif isinstance(event, DoneEvent):
                final = event.response
                yield out.chunk(
                    ChoiceDelta(),
                    "stop",
                    citations=[c.model_dump() for c in final.citations],
                    abstained=final.abstained,
                    answer=final.answer,
                    conversation_id=final.conversation_id,
                    turn_id=final.turn_id,
                )
        yield sse("[DONE]")
    except Exception as exc:
        yield sse(error_json(exc))
    finally:
        await events.aclose()  # type: ignore[attr-defined]


def chat_router(answering: Answering, service: RagService) -> APIRouter:
    router = APIRouter(tags=["OpenAI-compatible"])

    def model_ids() -> list[str]:
        """ "rag" (the configured generator) plus every generator a request may pick here."""
        return [DEFAULT_MODEL, *service.generator_names()]

    @router.post(
        "/v1/chat/completions",
        response_model=ChatCompletion,
        responses={**stream_doc(None), **ERRORS},
        summary="OpenAI-compatible chat completion with citations",
    )
    async def chat_completions(body: ChatCompletionRequest, request: Request) -> Any:
        """Works with the official ``openai`` client (``base_url=http://HOST:PORT/v1``). Extra
        body fields ``collection`` and ``top_k`` choose where and how deep to search."""
        if body.model not in model_ids() and body.model not in service.settings.model_alias_list():
            raise ApiError(
                404,
                f"unknown model {body.model!r}: GET /v1/models lists this server's models "
                "(RAG_MODEL_ALIASES can name more for the configured one)",
                "model_not_found",
            )
        query = to_query(body)
        if body.stream:
            return event_stream(chat_chunks(await answering.stream(query, request), body.model))
        response = await answering.answer(query, request)
        return ChatCompletion(
            id=f"chatcmpl-{uuid.uuid4().hex}",
            object="chat.completion",
            created=int(time.time()),
            model=body.model,
            choices=[
                Choice(
                    index=0,
                    message=ChatCompletionMessage(role="assistant", content=response.answer),
                    finish_reason="stop",
                    logprobs=None,
                )
            ],
            citations=response.citations,
            abstained=response.abstained,
            conversation_id=response.conversation_id,
            turn_id=response.turn_id,
        )

    @router.get("/v1/models", response_model=ModelList, summary="Models (generators) on offer")
    async def models() -> ModelList:
        return ModelList(data=[ModelCard(id=name) for name in model_ids()])

    @router.get(
        "/v1/models/{model_id}",
        response_model=ModelCard,
        responses={404: {"model": ErrorBody}},
    )
    async def model(model_id: str) -> ModelCard:
        if model_id not in model_ids():
            raise ApiError(404, f"unknown model {model_id!r}", "model_not_found")
        return ModelCard(id=model_id)

    return router
