"""Back-pressure on request bodies: a body larger than its limit gets a JSON 413.

(Answer generation is bounded by the service's own queue, ``rag.admission``, which the UI
shares.)
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rag.api.errors import ApiError, error


class BodyLimit:
    """ASGI middleware: a request body larger than the limit ``limit_for(scope)`` gives (bytes,
    message) gets a JSON 413, at once when Content-Length says so, else as soon as the bytes
    read exceed it."""

    def __init__(self, app: ASGIApp, limit_for: Callable[[Scope], tuple[int, str] | None]):
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        rule = self.limit_for(scope) if scope["type"] == "http" else None
        if rule is None:
            await self.app(scope, receive, send)
            return
        limit, message = rule
        too_large = ApiError(413, message, "too_large")
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await error(too_large.status, too_large.message, too_large.kind)(scope, receive, send)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise too_large
            return message

        await self.app(scope, limited_receive, send)
