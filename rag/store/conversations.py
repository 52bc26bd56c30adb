"""Stored conversations: every answered turn, with what it was based on, and its feedback.

One SQLite file in the data dir (``Settings.conversations_path``), written in WAL mode so
several processes on one machine (API replicas, the CLI) can share it; each call opens its
own connection, so threads need no lock. Every read and write names an ``owner``: the
fingerprint of the caller's API key (``owner_for_key``), or ``""`` on a server without keys.
A conversation of another owner is reported as unknown, never as forbidden, so ids leak
nothing. A turn keeps the whole verified response (answer, per-sentence support, the
standalone question, every retrieved passage with its text, offsets and document version)
and the settings that produced it: a later re-upload of a document does not change what an
old turn shows it cited.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from rag.errors import UnknownConversation
from rag.schemas import (
    ChatTurn,
    Conversation,
    ConversationInfo,
    Feedback,
    FeedbackRecord,
    FeedbackRequest,
    QueryResponse,
    StoredTurn,
)

SCHEMA_VERSION = 1
TITLE_CHARS = 80
_SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY, owner TEXT NOT NULL, title TEXT NOT NULL, collection TEXT,
    created REAL NOT NULL, updated REAL NOT NULL);
CREATE INDEX IF NOT EXISTS conversations_by_owner ON conversations (owner, updated);
CREATE TABLE IF NOT EXISTS turns (
    id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    position INTEGER NOT NULL, question TEXT NOT NULL, record TEXT NOT NULL,
    created REAL NOT NULL, UNIQUE (conversation_id, position));
CREATE TABLE IF NOT EXISTS feedback (
    turn_id TEXT PRIMARY KEY REFERENCES turns (id) ON DELETE CASCADE,
    rating TEXT NOT NULL, note TEXT, correct_answer TEXT, created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS ui_users (name TEXT PRIMARY KEY, owner TEXT NOT NULL);
"""
# Conversations with their turn counts; turns with their feedback (if any).
_CONVERSATIONS = (
    "SELECT c.*, (SELECT COUNT(*) FROM turns t WHERE t.conversation_id = c.id) AS n "
    "FROM conversations c "
)
_TURNS = (
    "SELECT t.*, f.rating, f.note, f.correct_answer FROM turns t "
    "JOIN conversations c ON c.id = t.conversation_id "
    "LEFT JOIN feedback f ON f.turn_id = t.id "
)


def new_id() -> str:
    return uuid.uuid4().hex


def owner_for_key(key: str | None) -> str:
    """Whose conversations a caller sees: a fingerprint of the API key (never the key
    itself, so the file leaks no key), or ``""`` when the server has no keys."""
    if not key:
        return ""
    return "key:" + hashlib.sha256(key.encode()).hexdigest()[:24]


def title_of(question: str) -> str:
    """A new conversation's title: its first question, on one line, cut at a word."""
    line = " ".join(question.split())
    if len(line) <= TITLE_CHARS:
        return line
    return line[:TITLE_CHARS].rsplit(" ", 1)[0] + "…"


class ConversationStore:
    def __init__(self, path: Path):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._db() as db:
            db.executescript(_SCHEMA)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        """A connection in a transaction: committed on success, rolled back on error."""
        with closing(sqlite3.connect(self.path, timeout=30)) as db:
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA foreign_keys = ON")
            with db:
                yield db

    # --- conversations -------------------------------------------------------------------
    def conversations(self, owner: str) -> list[ConversationInfo]:
        """The owner's conversations, most recently updated first."""
        with self._db() as db:
            rows = db.execute(
                _CONVERSATIONS + "WHERE owner = ? ORDER BY updated DESC", (owner,)
            ).fetchall()
        return [_info(row) for row in rows]

    def info(self, owner: str, conversation_id: str) -> ConversationInfo:
        with self._db() as db:
            return _info(self._row(db, owner, conversation_id))

    def conversation(self, owner: str, conversation_id: str) -> Conversation:
        """A conversation with all its turns, in order, each with its feedback."""
        with self._db() as db:
            row = self._row(db, owner, conversation_id)
            turns = db.execute(
                _TURNS + "WHERE t.conversation_id = ? ORDER BY t.position", (conversation_id,)
            ).fetchall()
        return Conversation(**_info(row).model_dump(), turns=[_turn(t) for t in turns])

    def history(self, owner: str, conversation_id: str, turns: int, chars: int) -> list[ChatTurn]:
        """The last ``turns`` messages (questions and answers) as the engine's history."""
        said: list[ChatTurn] = []
        for turn in self.conversation(owner, conversation_id).turns:
            said.append(ChatTurn(role="user", content=turn.question[:chars]))
            said.append(ChatTurn(role="assistant", content=turn.response.answer[:chars]))
        return said[-turns:] if turns else []

    def rename(self, owner: str, conversation_id: str, title: str) -> ConversationInfo:
        with self._db() as db:
            self._row(db, owner, conversation_id)
            db.execute(
                "UPDATE conversations SET title = ?, updated = ? WHERE id = ?",
                (title, time.time(), conversation_id),
            )
            return _info(self._row(db, owner, conversation_id))

    def delete(self, owner: str, conversation_id: str) -> int:
        """Delete a conversation with its turns and their feedback; the turns removed."""
        with self._db() as db:
            self._row(db, owner, conversation_id)
            (count,) = db.execute(
                "SELECT COUNT(*) FROM turns WHERE conversation_id = ?", (conversation_id,)
            ).fetchone()
            db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))
        return int(count)

    def _row(self, db: sqlite3.Connection, owner: str, conversation_id: str) -> sqlite3.Row:
        row = db.execute(
            _CONVERSATIONS + "WHERE id = ? AND owner = ?", (conversation_id, owner)
        ).fetchone()
        if row is None:
            raise UnknownConversation(f"unknown conversation {conversation_id!r}")
        return row

    # --- turns ---------------------------------------------------------------------------
    def add_turn(
        self,
        owner: str,
        conversation_id: str,
        turn_id: str,
        question: str,
        history: list[ChatTurn],
        response: QueryResponse,
        settings: dict[str, Any],
    ) -> StoredTurn:
        """Append a turn, creating the conversation on its first turn (titled by the
        question). A conversation of another owner under that id is refused as unknown."""
        now = time.time()
        record = {
            "history": [t.model_dump() for t in history],
            "response": response.model_dump(mode="json"),
            "settings": settings,
        }
        with self._db() as db:
            db.execute("BEGIN IMMEDIATE")  # the position below is read and written at once
            row = db.execute(
                "SELECT owner FROM conversations WHERE id = ?", (conversation_id,)
            ).fetchone()
            if row is None:
                db.execute(
                    "INSERT INTO conversations VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        conversation_id,
                        owner,
                        title_of(question),
                        settings.get("collection"),
                        now,
                        now,
                    ),
                )
            elif row["owner"] != owner:
                raise UnknownConversation(f"unknown conversation {conversation_id!r}")
            (position,) = db.execute(
                "SELECT COALESCE(MAX(position) + 1, 0) FROM turns WHERE conversation_id = ?",
                (conversation_id,),
            ).fetchone()
            db.execute(
                "INSERT INTO turns VALUES (?, ?, ?, ?, ?, ?)",
                (turn_id, conversation_id, position, question, json.dumps(record), now),
            )
            db.execute("UPDATE conversations SET updated = ? WHERE id = ?", (now, conversation_id))
        return StoredTurn(
            id=turn_id,
            conversation_id=conversation_id,
            position=position,
            question=question,
            history=history,
            response=response,
            settings=settings,
            created=now,
        )

    def turn(self, owner: str, turn_id: str) -> StoredTurn:
        with self._db() as db:
            row = db.execute(_TURNS + "WHERE t.id = ? AND c.owner = ?", (turn_id, owner)).fetchone()
        if row is None:
            raise UnknownConversation(f"unknown turn {turn_id!r}")
        return _turn(row)

    # --- feedback ------------------------------------------------------------------------
    def add_feedback(self, owner: str, feedback: FeedbackRequest) -> FeedbackRecord:
        """Rate a turn; a later rating of the same turn replaces the earlier one."""
        self.turn(owner, feedback.turn_id)  # unknown to this owner: refused
        now = time.time()
        with self._db() as db:
            db.execute(
                "INSERT OR REPLACE INTO feedback VALUES (?, ?, ?, ?, ?)",
                (feedback.turn_id, feedback.rating, feedback.note, feedback.correct_answer, now),
            )
        return FeedbackRecord(**feedback.model_dump(), created=now)

    def rated_turns(self) -> list[StoredTurn]:
        """Every rated turn of every owner, oldest first (for ``rag eval --export-feedback``,
        run by whoever runs the server)."""
        with self._db() as db:
            rows = db.execute(_TURNS + "WHERE f.rating IS NOT NULL ORDER BY f.created").fetchall()
        return [_turn(row) for row in rows]

    # --- the UI's sign-in ----------------------------------------------------------------
    def claim_ui_user(self, name: str, owner: str) -> bool:
        """Bind a UI user name to the key it first signed in with. True if ``name`` is
        free or already bound to ``owner``: one name cannot open another key's history."""
        with self._db() as db:
            db.execute("INSERT OR IGNORE INTO ui_users VALUES (?, ?)", (name, owner))
            row = db.execute("SELECT owner FROM ui_users WHERE name = ?", (name,)).fetchone()
        return bool(row is not None and row["owner"] == owner)

    def ui_owner(self, name: str | None) -> str:
        if not name:
            return ""
        with self._db() as db:
            row = db.execute("SELECT owner FROM ui_users WHERE name = ?", (name,)).fetchone()
        return str(row["owner"]) if row is not None else ""


def _info(row: sqlite3.Row) -> ConversationInfo:
    return ConversationInfo(
        id=row["id"],
        title=row["title"],
        collection=row["collection"],
        created=row["created"],
        updated=row["updated"],
        turn_count=row["n"],
    )


def _turn(row: sqlite3.Row) -> StoredTurn:
    record = json.loads(row["record"])
    feedback = (
        Feedback(rating=row["rating"], note=row["note"], correct_answer=row["correct_answer"])
        if row["rating"]
        else None
    )
    return StoredTurn(
        id=row["id"],
        conversation_id=row["conversation_id"],
        position=row["position"],
        question=row["question"],
        history=[ChatTurn.model_validate(t) for t in record["history"]],
        response=QueryResponse.model_validate(record["response"]),
        settings=record["settings"],
        created=row["created"],
        feedback=feedback,
    )
