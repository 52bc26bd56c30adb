"""Follow-up questions: make "and when did he visit before that?" retrievable on its own.

A follow-up leans on the conversation (a pronoun, "and ...", "what about ...", or too few words
of its own). It is condensed into a standalone question by carrying the previous question and
the previous answer's first claim (its short answer) along as context. This is done without
the model: rewriting with the 1.5B model costs ~2 s of prompt time per turn on 2 cores, and
retrieval, which needs the names, gets them either way.
"""

from __future__ import annotations

import re

from rag.evidence import terms
from rag.grounding import strip_markers
from rag.prompts import NOT_FOUND
from rag.schemas import ChatTurn

_LEANS_ON_HISTORY = re.compile(
    r"\b(he|she|it|they|him|her|them|his|hers|its|their|theirs|this|that|these|those|there"
    r"|then|the same|the former|the latter)\b|^\s*(and|but|also|so|what about|how about)\b",
    re.IGNORECASE,
)
_FIRST_CLAIM = re.compile(r"(?<=\])")
_CONTEXT_CHARS = 300
_ANSWER_CHARS = 100


def is_follow_up(question: str) -> bool:
    return bool(_LEANS_ON_HISTORY.search(question)) or len(terms(question)) < 2


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
    first = strip_markers(first).strip()[:_ANSWER_CHARS]
    if first.rstrip(".") == NOT_FOUND.rstrip("."):
        first = ""
    context = " ".join(x for x in (last_user.strip(), first) if x)
    return f"{question} (context: {context[:_CONTEXT_CHARS]})"
