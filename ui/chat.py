"""The chat tab's logic: a question becomes a streamed, then verified, cited answer.

The conversation the model sees is kept apart from what the Chatbot shows: ``turns`` holds
the plain question and answer texts (no rendered markers or sources), so follow-ups send the
engine what was said, not our HTML.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import closing
from typing import Any

from pydantic import ValidationError

from rag.answer.generators import label
from rag.config import EVERY_COLLECTION, Scope
from rag.errors import RagError
from rag.schemas import (
    ChatTurn,
    DoneEvent,
    PassagesEvent,
    QueryRequest,
    QueryResponse,
    TokenEvent,
)
from rag.service import RagService
from rag.tuning import TUNING
from ui import documents, render

log = logging.getLogger(__name__)

EXAMPLES = [
    "Who wrote the analysis of Assad's May 2022 trip to Tehran?",
    "Why did Iran not defend the Assad regime in December 2024?",
    "What did Ali Asghar Khaji discuss in Damascus?",
]
# What to do next, by kind of error (``rag.errors``), where the message alone does not say.
NEXT_STEP = {"unknown_collection": "Upload a document in the Documents tab to create it."}
Message = dict[str, Any]
# The chat, the Sources panel, the plain history, the stored conversation's id, each answer's
# stored turn id (None where an answer failed).
Outputs = tuple[list[Message], str, list[dict[str, str]], str | None, list[str | None]]


def generator_choices(service: RagService) -> list[tuple[str, str]]:
    """Generators a user may pick: the ones a request may pick here, and the server's own."""
    names = service.generator_names()
    if service.generator.name not in names:
        names.append(service.generator.name)
    return [(label(n), n) for n in names]


def history(turns: list[dict[str, str]]) -> list[ChatTurn]:
    return [
        ChatTurn(role=t["role"], content=t["content"][: TUNING.history_turn_chars])
        for t in turns[-TUNING.history_turns :]
    ]


def build_request(
    service: RagService,
    question: str,
    turns: list[dict[str, str]],
    collection: str | None,
    top_k: float | None,
    generator: str | None,
    conversation_id: str | None = None,
) -> QueryRequest:
    """The engine request for the UI's settings; the server's own generator is sent as None.
    A stored conversation brings its own history; otherwise the page's turns are sent."""
    return QueryRequest(
        question=question,
        collection=collection or None,
        top_k=int(top_k) if top_k else None,
        history=[] if conversation_id else history(turns),
        generator=None if generator in (None, "", service.generator.name) else generator,
        conversation_id=conversation_id or None,
    )


def ask(message: str, chat: list[Message]) -> tuple[str, list[Message], str]:
    """First step of a send: show the question at once and clear the box."""
    question = (message or "").strip()
    if not question:
        return message, chat, ""
    return "", [*chat, {"role": "user", "content": render.question_html(question)}], question


STOPPED = "Stopped. Nothing was saved for this question."


class Stops:
    """Sessions whose answer the user asked to stop. The answer checks between streamed
    events and closes its stream, which ends the generation and frees the model (cancelling
    Gradio's task alone would leave the generator open, holding the model's turn)."""

    def __init__(self) -> None:
        self._asked: set[str] = set()
        self._lock = threading.Lock()

    def ask(self, session: str) -> None:
        with self._lock:
            self._asked.add(session)

    def clear(self, session: str) -> None:
        with self._lock:
            self._asked.discard(session)

    def asked(self, session: str) -> bool:
        with self._lock:
            return session in self._asked


def stopped(chat: list[Message], note: str) -> list[Message]:
    """The chat after Stop: the reply being written (if any) becomes ``note``."""
    if (
        chat
        and chat[-1].get("role") == "assistant"
        and "rag-streaming" in str(chat[-1].get("content", ""))
    ):
        return _reply(chat, render.status_line(note))
    if chat and chat[-1].get("role") == "user":  # stopped before the reply began
        return [*chat, {"role": "assistant", "content": render.status_line(note)}]
    return chat


def _reply(chat: list[Message], html: str) -> list[Message]:
    return [*chat[:-1], {"role": "assistant", "content": html}]


def friendly_error(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        return f"{where}: {first.get('msg', 'invalid input')}" if where else str(first)
    if isinstance(exc, RagError | ValueError):
        step = NEXT_STEP.get(getattr(exc, "kind", ""), "")
        return f"{exc} {step}".strip()
    log.exception("chat failed")
    return f"Something went wrong ({type(exc).__name__}): {exc}"


def answer(
    service: RagService,
    question: str,
    chat: list[Message],
    turns: list[dict[str, str]],
    collection: str | None,
    top_k: float | None,
    generator: str | None,
    conversation_id: str | None = None,
    turn_ids: list[str | None] | None = None,
    owner: str = "",
    stop: Callable[[], bool] = lambda: False,
    scope: Scope = EVERY_COLLECTION,
) -> Iterator[Outputs]:
    """Stream one answer into the last chat message and the Sources panel.

    Streamed tokens are shown as they come, labelled as a draft; the verified answer then
    replaces them, because verification may re-point or drop markers (an abstention after a
    draft says that the draft was withdrawn). The answer is stored as the next turn of
    ``conversation_id`` (or of a new conversation), whose id comes back with the turn's.
    When ``stop()`` turns true the stream is closed (nothing is stored) and the reply says so.
    A collection out of the user's ``scope`` is refused before anything is searched.
    """
    ids = list(turn_ids or [])
    if not question:
        yield chat, render.SOURCES_INTRO, turns, conversation_id, ids
        return
    refused = documents.refusal(service, collection, scope)
    if refused:
        chat = [*chat, {"role": "assistant", "content": render.error_html(refused)}]
        yield chat, render.SOURCES_INTRO, turns, conversation_id, [*ids, None]
        return
    chat = [*chat, {"role": "assistant", "content": render.status_html("Searching…")}]
    sources = render.SOURCES_INTRO
    yield chat, sources, turns, conversation_id, ids
    final: QueryResponse | None = None
    text = ""
    try:
        request = build_request(
            service, question, turns, collection, top_k, generator, conversation_id
        )
        with closing(service.stream_query(request, owner)) as events:
            for event in events:
                if stop():
                    yield stopped(chat, STOPPED), render.SOURCES_INTRO, turns, conversation_id, ids
                    return
                if isinstance(event, PassagesEvent):
                    sources = render.retrieved_html(event.passages, event.question, question)
                    chat = _reply(chat, render.status_html("Writing the answer…"))
                elif isinstance(event, TokenEvent):
                    text += event.text
                    chat = _reply(chat, render.streaming_html(text))
                elif isinstance(event, DoneEvent):
                    final = event.response
                    continue
                yield chat, sources, turns, conversation_id, ids
    except Exception as exc:  # shown in the chat rather than failing silently
        failed = _reply(chat, render.error_html(friendly_error(exc)))
        yield failed, sources, turns, conversation_id, [*ids, None]
        return
    assert final is not None  # stream_query always ends with a DoneEvent
    said = [{"role": "user", "content": question}, {"role": "assistant", "content": final.answer}]
    yield (
        _reply(chat, render.answer_html(final, withdrawn_draft=bool(text.strip()))),
        render.sources_html(final, question),
        [*turns, *said][-TUNING.history_turns :],  # only these are ever sent
        final.conversation_id or conversation_id,
        [*ids, final.turn_id],
    )
