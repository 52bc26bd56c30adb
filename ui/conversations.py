"""The conversations panel's logic: list, reopen, rename, delete stored conversations, and
rate answers. The store is the service's (``RagService.conversations``); this module only
turns it into what the Chatbot and the panel show.

Whose conversations a page sees: on a server with API keys, the key its user signed in
with (the sign-in binds a user name to one key, ``SignIns``); without keys, everyone's — the
same rule as the API's. That key also says which collections the page may use.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from typing import Any

from rag.api.auth import conversation_permitted, owner_scope
from rag.config import EVERY_COLLECTION, Scope
from rag.errors import RagError
from rag.schemas import Conversation, FeedbackRequest
from rag.service import RagService
from rag.store.conversations import owner_for_key
from rag.tuning import TUNING
from ui import render

log = logging.getLogger(__name__)
Message = dict[str, Any]


def owner(service: RagService, user: str | None) -> str:
    """The store owner for a signed-in UI user name (``""`` on a server without keys)."""
    store = service.conversations
    if store is None or not service.settings.api_key_list():
        return ""
    return store.ui_owner(user)


class SignIns:
    """Which API key each UI user name signed in with, as the key's fingerprint
    (``owner_for_key``): a name is bound to the first key it signs in with, in the
    conversation store (so the binding lasts), or in this process when storing is off. The
    fingerprint says whose conversations the page shows and which collections it may use."""

    def __init__(self, service: RagService):
        self.service = service
        self._names: dict[str, str] = {}  # when storing is off
        self._lock = threading.Lock()

    def claim(self, user: str, key: str) -> bool:
        """Bind ``user`` to ``key`` (already checked); False if it is bound to another key."""
        store = self.service.conversations
        if store is not None:
            return store.claim_ui_user(user, owner_for_key(key))
        with self._lock:
            return self._names.setdefault(user, owner_for_key(key)) == owner_for_key(key)

    def owner(self, user: str | None) -> str:
        if self.service.conversations is not None:
            return owner(self.service, user)
        if not user or not self.service.settings.api_key_list():
            return ""
        with self._lock:
            return self._names.get(user, "")

    def scope(self, user: str | None) -> Scope:
        """The collections the user's key may use (every one on a server without keys)."""
        return owner_scope(self.service.settings, self.owner(user))


def when(timestamp: float, now: float | None = None) -> str:
    """A short local time for the list: "14:05" today, "3 Dec" this year, else "3 Dec 2025"."""
    moment = dt.datetime.fromtimestamp(timestamp)
    today = dt.datetime.fromtimestamp(now) if now is not None else dt.datetime.now()
    if moment.date() == today.date():
        return moment.strftime("%H:%M")
    if moment.year == today.year:
        return f"{moment.day} {moment:%b}"
    return f"{moment.day} {moment:%b %Y}"


def choices(
    service: RagService, who: str, scope: Scope = EVERY_COLLECTION
) -> list[tuple[str, str]]:
    """(label, id) of the owner's conversations (about collections in ``scope``), most
    recent first."""
    return [
        (f"{c.title} · {when(c.updated)}", c.id)
        for c in service.list_conversations(who)
        if conversation_permitted(scope, c)
    ]


def find(
    service: RagService, conversation_id: str | None, who: str, scope: Scope = EVERY_COLLECTION
) -> Conversation | None:
    """The stored conversation, or None when there is none of that id for this owner (it was
    deleted in another tab, or storing is off) or it asked about a collection out of
    ``scope``."""
    if not conversation_id or service.conversations is None:
        return None
    try:
        found = service.conversation(conversation_id, who)
    except RagError:
        return None
    return found if conversation_permitted(scope, found) else None


def shown(
    conversation: Conversation | None,
) -> tuple[list[Message], list[dict[str, str]], str, list]:
    """What the chat shows for a stored conversation: its messages, the plain history, the
    Sources panel of its last answer, and each answer's turn id (for ratings)."""
    if conversation is None or not conversation.turns:
        return [], [], render.SOURCES_INTRO, []
    messages: list[Message] = []
    said: list[dict[str, str]] = []
    for turn in conversation.turns:
        messages += [
            {"role": "user", "content": render.question_html(turn.question)},
            {"role": "assistant", "content": render.answer_html(turn.response)},
        ]
        said += [
            {"role": "user", "content": turn.question},
            {"role": "assistant", "content": turn.response.answer},
        ]
    last = conversation.turns[-1]
    return (
        messages,
        said[-TUNING.history_turns :],
        render.sources_html(last.response, last.question),
        [t.id for t in conversation.turns],
    )


def rename(service: RagService, conversation_id: str | None, title: str, who: str) -> str:
    """Rename; the status line to show."""
    if not conversation_id:
        return render.status_line("Ask a question first: a conversation starts with it.")
    try:
        info = service.rename_conversation(conversation_id, (title or "").strip(), who)
    except (RagError, ValueError) as exc:
        return render.status_line(f"Not renamed: {exc}", error=True)
    return render.status_line(f"Renamed to “{info.title}”.")


def delete(service: RagService, conversation_id: str | None, who: str) -> str:
    if not conversation_id:
        return render.status_line("Nothing to delete: this conversation is not saved yet.")
    try:
        title = service.conversation(conversation_id, who).title
        removed = service.delete_conversation(conversation_id, who)
    except RagError as exc:
        return render.status_line(f"Not deleted: {exc}", error=True)
    turns = "turn" if removed.turns_removed == 1 else "turns"
    return render.status_line(f"Deleted “{title}” ({removed.turns_removed} {turns}).")


def rate(
    service: RagService,
    turn_ids: list[str | None],
    index: int,
    liked: bool | None,
    who: str,
    note: str = "",
    correct_answer: str = "",
) -> str:
    """Store a thumbs up or down on the answer at chat message ``index``."""
    answer_number = index // 2  # messages alternate question, answer
    turn_id = turn_ids[answer_number] if 0 <= answer_number < len(turn_ids) else None
    if liked is None:
        return ""
    if turn_id is None:
        return render.status_line("This answer was not saved, so it cannot be rated.", error=True)
    try:
        service.feedback(
            FeedbackRequest(
                turn_id=turn_id,
                rating="up" if liked else "down",
                note=note.strip() or None,
                correct_answer=correct_answer.strip() or None,
            ),
            who,
        )
    except (RagError, ValueError) as exc:
        return render.status_line(f"Feedback not saved: {exc}", error=True)
    verdict = "helpful" if liked else "not helpful"
    return render.status_line(f"Thanks: answer {answer_number + 1} marked {verdict}.")
