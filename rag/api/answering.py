"""Starting an answer for an HTTP route: validate, take a generation turn, retrieve — then
stream or finish.

Everything that can go wrong with the input happens before a response starts (so it becomes
a normal JSON 4xx); only failures during generation reach an already-started stream. The
turn comes from the service's queue (``RagService.admit``), the same one the UI uses; here it
is awaited in a worker thread, checking meanwhile whether the client is still there.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator

import anyio
from fastapi import Request

from rag.admission import Ticket
from rag.api.auth import caller, conversation_permitted, forbidden, key_scope, permitted
from rag.api.connected import POLL_S
from rag.api.errors import ApiError, call_service, from_exception
from rag.api.streaming import in_thread
from rag.config import Scope
from rag.schemas import DoneEvent, QueryEvent, QueryRequest, QueryResponse
from rag.service import RagService


class Answering:
    def __init__(self, service: RagService):
        self.service = service

    async def _admit(self, request: QueryRequest, http: Request) -> Ticket | None:
        """Wait for a generation turn if the request needs one (429 at once when full)."""
        ticket = await call_service(self.service.admit, request)
        if ticket is None:
            return None
        try:
            while not await anyio.to_thread.run_sync(ticket.wait, POLL_S):
                if await http.is_disconnected():  # gave up waiting: do not generate for nobody
                    raise ApiError(499, "the client closed the request", "client_closed")
            if await http.is_disconnected():
                raise ApiError(499, "the client closed the request", "client_closed")
        except BaseException:
            ticket.release()
            raise
        return ticket

    async def _start(
        self, request: QueryRequest, http: Request
    ) -> tuple[AsyncGenerator[QueryEvent, None], Ticket | None]:
        """The answer's events (input validated first) and its generation turn."""
        settings = self.service.settings
        owner = caller(http, settings)
        scope = key_scope(http, settings)
        permitted(scope, request.collection, settings)
        if scope.limited and request.conversation_id is not None:
            await self._check_conversation(request.conversation_id, owner, scope)
        events = await call_service(self.service.answer_events, request, owner)  # validates
        ticket = await self._admit(request, http)
        return in_thread(events), ticket

    async def _check_conversation(self, conversation_id: str, owner: str, scope: Scope) -> None:
        """A continued conversation's stored turns become the history: they must come from
        collections the key may still use. An unknown one is left to ``answer_events``."""
        try:
            conversation = await call_service(self.service.conversation, conversation_id, owner)
        except ApiError:
            return
        if not conversation_permitted(scope, conversation):
            raise forbidden("this API key may no longer use the collection of that conversation")

    async def answer(self, request: QueryRequest, http: Request) -> QueryResponse:
        """The whole answer in one response. It is still produced event by event, so that a
        client that hangs up stops the generation (and frees the turn) at the next event
        instead of leaving the model writing for nobody."""
        steps, ticket = await self._start(request, http)
        try:
            async for event in steps:
                if isinstance(event, DoneEvent):
                    return event.response
                if await http.is_disconnected():
                    raise ApiError(499, "the client closed the request", "client_closed")
            raise RuntimeError("the answer stream ended without a final response")
        except Exception as exc:
            mapped = from_exception(exc)
            if mapped is not None and mapped is not exc:
                raise mapped from exc
            raise
        finally:
            await _close(steps, ticket)

    async def stream(self, request: QueryRequest, http: Request) -> AsyncIterator[QueryEvent]:
        """The answer's events; input errors, a full queue and retrieval errors raise here."""
        steps, ticket = await self._start(request, http)
        try:
            first = await anext(steps)  # retrieval
        except BaseException as exc:
            await _close(steps, ticket)
            mapped = from_exception(exc) if isinstance(exc, Exception) else None
            if mapped is not None:
                raise mapped from exc
            raise
        return self._held(first, steps, ticket)

    async def _held(
        self, first: QueryEvent, steps: AsyncGenerator[QueryEvent, None], ticket: Ticket | None
    ) -> AsyncIterator[QueryEvent]:
        try:
            yield first
            async for event in steps:
                yield event
        finally:
            await _close(steps, ticket)


async def _close(steps: AsyncGenerator[QueryEvent, None], ticket: Ticket | None) -> None:
    """End the answer's stream (the generator is closed: generation stops), then give the
    generation turn back."""
    try:
        await steps.aclose()
    finally:
        if ticket is not None:
            ticket.release()
