"""Back-pressure: request body sizes, and a bounded queue for answer generation.

The local model answers one question at a time (llama.cpp contexts are not thread-safe), so
requests that generate go through a bounded queue: at most ``concurrent`` run, at most
``waiting`` wait for a turn, and any more are refused at once with 429 and a ``Retry-After``
estimate instead of piling up threads and memory. Retrieval-only requests never enter it.

All bookkeeping happens on the event loop, so plain integers need no lock.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rag.api.errors import ApiError, error


class GenerationQueue:
    def __init__(self, concurrent: int, waiting: int, first_guess_s: float = 5.0):
        self.concurrent = concurrent
        self.capacity = concurrent + waiting
        self.admitted = 0  # running + waiting
        self._slots: asyncio.Semaphore | None = None
        self._average_s = first_guess_s  # moving average of how long a generation holds a slot

    @property
    def slots(self) -> asyncio.Semaphore:
        # Created on first use, inside the running loop that will use it.
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.concurrent)
        return self._slots

    def retry_after(self) -> int:
        """Seconds until a slot is likely free: the queue ahead, at the average pace."""
        rounds = self.admitted / self.concurrent
        return max(1, math.ceil(self._average_s * rounds))

    async def acquire(self) -> float:
        """Wait for a turn (or raise 429 at once when the queue is full); returns the start."""
        if self.admitted >= self.capacity:
            seconds = self.retry_after()
            raise ApiError(
                429,
                f"busy: {self.admitted} answers running or waiting; retry in {seconds} s "
                '(retrieval-only requests, "generate": false, are not limited)',
                "overloaded",
                headers={"Retry-After": str(seconds)},
            )
        self.admitted += 1
        try:
            await self.slots.acquire()
        except BaseException:  # cancelled while waiting: give the place back
            self.admitted -= 1
            raise
        return time.monotonic()

    def release(self, started: float) -> None:
        self.slots.release()
        self.admitted -= 1
        held = time.monotonic() - started
        self._average_s = 0.8 * self._average_s + 0.2 * held

    @asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        started = await self.acquire()
        try:
            yield
        finally:
            self.release(started)


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
