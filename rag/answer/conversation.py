"""Condensing a follow-up: make "and when did he visit before that?" retrievable on its own.

A follow-up (``rag.text.questions.is_follow_up``) carries the previous question and the
previous answer's first claim (its short answer) along as context. This is done without the
model: rewriting with the small model would add seconds of prompt time to every turn, and
retrieval, which needs the names, gets them either way.
"""

from __future__ import annotations

import re

from rag.answer.prompts import NOT_FOUND
from rag.schemas import ChatTurn
from rag.text.markers import strip_markers
from rag.text.questions import is_follow_up
from rag.tuning import TUNING

_FIRST_CLAIM = re.compile(r"(?<=\])")


def standalone_question(question: str, history: list[ChatTurn] | None) -> str:
    """The question, with the previous exchange attached when it is a follow-up."""
    turns = history or []
    last_user = next((t.content for t in reversed(turns) if t.role == "user"), None)
    if not last_user or not is_follow_up(question):
        return question
    last_answer = next((t.content for t in reversed(turns) if t.role == "assistant"), "")
    # The answer's first claim only (up to its first marker: the short answer, e.g. a name a
    # "he" may refer to); the whole sentence would pull retrieval back to the last passage.
    first = _FIRST_CLAIM.split(last_answer.strip(), maxsplit=1)[0]
    first = strip_markers(first).strip()[: TUNING.answer_chars]
    if first.rstrip(".") == NOT_FOUND.rstrip("."):
        first = ""
    context = " ".join(x for x in (last_user.strip(), first) if x)
    return f"{question} (context: {context[: TUNING.context_chars]})"
