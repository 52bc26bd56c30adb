"""The errors a use case can raise, each with a ``kind`` that adapters map once: the API to an
HTTP status (``rag.api.errors``), the UI and the CLI to a message with their own next step.

Every one is a user-facing reason: its message says what was wrong, not where it broke.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar


class RagError(Exception):
    """Base of the use-case errors."""

    kind: ClassVar[str] = "rag_error"


class InvalidInput(RagError, ValueError):
    """Input that breaks a rule (a bad collection name, an empty file)."""

    kind = "invalid_request"


class QuestionTooLong(InvalidInput):
    kind = "question_too_long"


class DocumentError(InvalidInput):
    """A file that cannot be turned into text; the message says why."""


class UnsupportedFileType(DocumentError):
    kind = "unsupported_file_type"


class FileTooLarge(DocumentError):
    kind = "file_too_large"


class UnknownCollection(RagError, LookupError):
    """A request names a collection that does not exist."""

    kind = "unknown_collection"

    def __init__(self, name: str):
        # The message names no other collection: with API keys, one team must not learn
        # another's collection names from a typo (GET /v1/collections lists them).
        self.name = name
        super().__init__(f"unknown collection {name!r} (GET /v1/collections lists them)")


class UnknownDocument(RagError, LookupError):
    kind = "unknown_document"


class UnknownConversation(RagError, LookupError):
    """No stored conversation (or turn) of that id that this caller may see."""

    kind = "unknown_conversation"


class CollectionExists(RagError):
    kind = "collection_exists"


class Cancelled(RagError):
    """Work stopped because whoever asked for it went away (an upload's client hung up)."""

    kind = "client_closed"


StopCheck = Callable[[], bool]
"""Asked between pieces of long work (an upload's embedding): True stops it (``Cancelled``)."""

# Texts encoded between two stop checks, rounded down to whole encoder batches (so that the
# batches, and with int8 quantization the vectors, are those of one call): seconds at most.
PIECE = 64


def go_on(stop: StopCheck | None) -> None:
    """Raise ``Cancelled`` if ``stop`` says so."""
    if stop is not None and stop():
        raise Cancelled("stopped: the client went away before the file was stored")


def piece_size(batch: int) -> int:
    """``PIECE`` rounded down to a whole number of encoder batches of ``batch``."""
    return max(1, PIECE // max(batch, 1)) * max(batch, 1)


class GeneratorUnavailable(RagError, RuntimeError):
    """The chosen generator cannot run (its model file is missing, its server is down)."""

    kind = "generator_unavailable"


class Overloaded(RagError):
    """Too many answers (or uploads) are running or waiting; ``retry_after`` estimates when to
    come back."""

    kind = "overloaded"

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after
