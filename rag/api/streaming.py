"""Blocking event streams served without blocking the event loop.

``RagService.stream_query`` is a plain generator (retrieval and llama.cpp are blocking), so
each step runs in a worker thread; the generator is always closed at the end, also when the
client goes away mid-answer, which stops generation and frees the model.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncGenerator, AsyncIterator, Iterator
from typing import Any, TypeVar

import anyio
from fastapi.sse import format_sse_event
from starlette.responses import StreamingResponse

from rag.api.errors import from_exception

log = logging.getLogger("uvicorn.error")
T = TypeVar("T")
_END = object()

# Proxies (nginx) buffer responses unless told not to; caches must never keep a stream.
SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


async def in_thread(events: Iterator[T]) -> AsyncGenerator[T, None]:
    """Iterate ``events`` one step per worker-thread call; close it whatever happens."""
    try:
        while True:
            item = await anyio.to_thread.run_sync(next, events, _END)
            if item is _END:
                return
            yield item  # type: ignore[misc]  # not _END, so a T
    finally:
        close = getattr(events, "close", None)
        if close is not None:
            with anyio.CancelScope(shield=True):
                await anyio.to_thread.run_sync(close)


def stream_doc(events: list[str] | None) -> dict[int | str, dict[str, Any]]:
    """OpenAPI for a 200 that is JSON, or with "stream": true server-sent events; each event
    described by ``itemSchema`` (as FastAPI documents its own event streams)."""
    event: dict[str, Any] = {"type": "string", "enum": events} if events else {"type": "string"}
    item = {
        "type": "object",
        "properties": {"event": event, "data": {"type": "string"}},
        "required": ["data"],
    }
    return {
        200: {
            "description": 'The JSON response; with "stream": true, server-sent events.',
            "content": {"text/event-stream": {"itemSchema": item}},
        }
    }


def sse(data: str, event: str | None = None) -> str:
    """One server-sent event (FastAPI's framing); ``data`` is compact JSON or ``[DONE]``."""
    return format_sse_event(data_str=data, event=event).decode()


def error_json(exc: BaseException) -> str:
    """The JSON error for a failure after the stream has started (status already sent)."""
    mapped = from_exception(exc)
    if mapped is None:
        log.error("answer stream failed", exc_info=exc)
        message, kind = "internal server error (see the server log)", "internal_error"
    else:
        message, kind = mapped.message, mapped.kind
    return json.dumps({"error": {"message": message, "type": kind}})


def event_stream(body: AsyncIterator[str]) -> StreamingResponse:
    return StreamingResponse(body, media_type="text/event-stream", headers=SSE_HEADERS)
