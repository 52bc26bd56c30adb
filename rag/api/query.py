"""``POST /v1/query``: the contract's answer as one JSON object, or as server-sent events.

Stream (``"stream": true``), ``text/event-stream``::

    event: passages   data: {"type": "passages", "question": str, "passages": [...]}
    event: token      data: {"type": "token", "text": str}          (zero or more)
    event: done       data: {...the same object the non-streaming call returns...}

``done.answer`` replaces the streamed text (markers may be re-pointed after checking). A
failure after the stream has started arrives as ``event: error`` with the usual error body.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Request

from rag.api.answering import Answering
from rag.api.schemas import ErrorBody, QueryHttpRequest
from rag.api.streaming import error_json, event_stream, sse, stream_doc
from rag.schemas import DoneEvent, QueryEvent, QueryResponse

ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "Unknown collection."},
    413: {"model": ErrorBody, "description": "Question or body too large."},
    422: {"model": ErrorBody, "description": "Invalid request."},
    429: {"model": ErrorBody, "description": "Too many answers queued; see Retry-After."},
    503: {"model": ErrorBody, "description": "Generator or store unavailable."},
}


async def sse_body(events: AsyncIterator[QueryEvent]) -> AsyncIterator[str]:
    try:
        async for event in events:
            if isinstance(event, DoneEvent):
                yield sse(event.response.model_dump_json(), "done")
            else:
                yield sse(event.model_dump_json(), event.type)
    except Exception as exc:
        yield sse(error_json(exc), "error")
    finally:
        await events.aclose()  # type: ignore[attr-defined]


def query_router(answering: Answering) -> APIRouter:
    router = APIRouter(tags=["answers"])

    @router.post(
        "/v1/query",
        response_model=QueryResponse,
        responses={**stream_doc(["passages", "token", "done", "error"]), **ERRORS},
        summary="Answer a question with cited passages",
    )
    async def query(body: QueryHttpRequest, request: Request) -> Any:
        """Retrieve passages and answer with inline [n] markers (``"generate": false``: retrieval
        only, never queued). ``"stream": true`` sends passages, tokens and the final answer as
        server-sent events."""
        if not body.stream:
            return await answering.answer(body, request)
        events = await answering.stream(body, request)
        return event_stream(sse_body(events))

    return router
