"""Starting an answer for an HTTP route: validate, queue, retrieve — then stream or finish.

Everything that can go wrong with the input happens before a response starts (so it becomes
a normal JSON 4xx); only failures during generation reach an already-started stream.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator

from fastapi import Request

from rag.api.errors import ApiError, call_service, from_exception
from rag.api.limits import GenerationQueue
from rag.api.streaming import in_thread
from rag.schemas import QueryEvent, QueryRequest, QueryResponse
from rag.service import RagService, final_response


class Answering:
    def __init__(self, service: RagService, queue: GenerationQueue):
        self.service = service
        self.queue = queue

    async def generates(self, request: QueryRequest) -> bool:
        """True if the request needs the model (and so a place in the queue)."""
        if not request.generate:
            return False
        try:
            generator = await call_service(self.service.generator_for, request.generator)
        except ApiError as exc:
            if request.generator is None or exc.kind != "generator_unavailable":
                raise  # the server's own generator is broken: 503
            raise ApiError(
                422,
                f"generator {request.generator!r} is not available here: {exc.message}",
                "invalid_request",
            ) from exc
        return generator.name != "none"

    async def _admit(self, request: QueryRequest, http: Request) -> float | None:
        """Wait for a generation turn if needed; the start time to release it with."""
        if not await self.generates(request):
            return None
        started = await self.queue.acquire()
        if await http.is_disconnected():  # gave up while waiting: do not generate for nobody
            self.queue.release(started)
            raise ApiError(499, "the client closed the request", "client_closed")
        return started

    async def answer(self, request: QueryRequest, http: Request) -> QueryResponse:
        events = await call_service(self.service.stream_query, request)  # validates
        started = await self._admit(request, http)
        try:
            return await call_service(final_response, events)
        finally:
            if started is not None:
                self.queue.release(started)

    async def stream(self, request: QueryRequest, http: Request) -> AsyncIterator[QueryEvent]:
        """The answer's events; input errors, a full queue and retrieval errors raise here."""
        events = await call_service(self.service.stream_query, request)
        started = await self._admit(request, http)
        steps = in_thread(events)
        try:
            first = await anext(steps)  # retrieval
        except BaseException as exc:
            await steps.aclose()
            if started is not None:
                self.queue.release(started)
            mapped = from_exception(exc) if isinstance(exc, Exception) else None
            if mapped is not None:
                raise mapped from exc
            raise
        return self._held(first, steps, started)

    async def _held(
        self, first: QueryEvent, steps: AsyncGenerator[QueryEvent, None], started: float | None
    ) -> AsyncIterator[QueryEvent]:
        try:
            yield first
            async for event in steps:
                yield event
        finally:
            try:
                await steps.aclose()
            finally:
                if started is not None:
                    self.queue.release(started)
