"""Condensing a follow-up: make "and when did he visit before that?" retrievable on its own.

A follow-up (``rag.text.questions.is_follow_up``) carries the previous question and the
previous answer's first claim (its short answer) along as context, then the names of the
earlier turns, newest first ("Assad" from two turns back, for "why was that country willing
to reconcile with him?"). This is done without the
model: rewriting with the small model would add seconds of prompt time to every turn, and
retrieval, which needs the names, gets them either way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from os.path import commonprefix

from rag.answer.prompts import NOT_FOUND
from rag.schemas import ChatTurn
from rag.text.casual import normalize_question
from rag.text.markers import strip_markers
from rag.text.questions import (
    Shape,
    answer_shape,
    asked_of_another,
    asks_again,
    asks_else,
    asks_itself,
    is_follow_up,
)
from rag.text.words import terms
from rag.tuning import TUNING

_FIRST_CLAIM = re.compile(r"(?<=\])")
# A name: capitalised words in a row ("Bashar al-Assad", "United Arab Emirates").
_NAME = re.compile(r"\b[A-Z][\w’'-]+(?:\s+(?:al-|el-|bin |of |the )?[A-Z][\w’'-]+)*")
_NOT_NAMES = frozenset(
    [
        "The",
        "A",
        "An",
        "He",
        "She",
        "It",
        "They",
        "His",
        "Her",
        "Their",
        "This",
        "That",
        "These",
        "Those",
        "What",
        "Which",
        "Who",
        "When",
        "Where",
        "Why",
        "How",
        "Did",
        "Does",
        "Do",
        "Is",
        "Was",
        "Were",
        "Are",
        "And",
        "But",
        "Also",
        "So",
        "In",
        "On",
        "At",
        "For",
        "After",
        "Before",
        "According",
        "During",
        "Since",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
)
CONTEXT = " (context: "


def own_words(standalone: str) -> str:
    """The user's question without the context a follow-up was given: what decides the
    answer's shape (the context is only there to be retrieved on)."""
    return standalone.split(CONTEXT, 1)[0]


def standalone_question(question: str, history: list[ChatTurn] | None) -> str:
    """The question, with the previous exchange attached when it is a follow-up."""
    turns = history or []
    last_user = next((t.content for t in reversed(turns) if t.role == "user"), None)
    if not last_user or not is_follow_up(question):
        return question
    if asks_again(question):
        # "and the eurasiapeace piece?": the last question itself (the newest one not asked
        # again), of that piece
        asked = (normalize_question(t.content) for t in reversed(turns) if t.role == "user")
        last = next((q for q in asked if not asks_again(q)), "")
        again = asked_of_another(question, last)
        if again:
            return again
    last_answer = next((t.content for t in reversed(turns) if t.role == "assistant"), "")
    # The answer's first claim only (up to its first marker: the short answer, e.g. a name a
    # "he" may refer to); the whole sentence would pull retrieval back to the last passage.
    first = _FIRST_CLAIM.split(last_answer.strip(), maxsplit=1)[0]
    first = strip_markers(first).strip()[: TUNING.answer_chars]
    if first.rstrip(".") == NOT_FOUND.rstrip(".") or asks_else(question):
        # "who else was there?" asks the last question again, not about what it was told
        first = ""
    leaned_on = [last_user.strip()]
    if not asks_itself(normalize_question(last_user)):
        # "what about russia" asked nothing of its own: the question it leaned on says what
        # is asked ("and turkeys trade with syria?" after it, and "how much does syria owe
        # iran", asks an amount: the model's "20 times more" had answered)
        users = (t.content for t in reversed(turns) if t.role == "user")
        asking = next((q for q in users if asks_itself(normalize_question(q))), "")
        leaned_on.append(asking.strip())
    context = " ".join(x for x in (*leaned_on, first) if x)
    earlier = [n for n in names(turns[:-2]) if n.lower() not in context.lower()]
    context = " ".join([context, *earlier])
    return f"{question}{CONTEXT}{context[: TUNING.context_chars]})"


def asked_shape(standalone: str, history: list[ChatTurn] | None) -> Shape:
    """The shape of answer the question asks for (``answer_shape``). A follow-up that asks
    the last question again about something else (``asks_again``) asks for the last one's:
    "and al-qirbi?" after "what does lund think" for his view, not a name (it was answered
    "Ahmed Al-Qirbi"); "and the mena paper?" after "summarize the algemeiner piece" for a
    summary. The last question is the newest user turn not itself asked again."""
    own = own_words(standalone)
    if own == standalone or not asks_again(own):
        return answer_shape(own)
    earlier = (t.content for t in reversed(history or []) if t.role == "user")
    asked = next((q for q in earlier if not asks_again(normalize_question(q))), None)
    return answer_shape(normalize_question(asked) if asked else own)


@dataclass(frozen=True)
class Context:
    """A follow-up's context, taken apart again (``read_context``)."""

    asked_before: str
    """The last question as the context carries it (with any older names after it)."""
    echo: str
    """What the follow-up's answer must not merely repeat (``read_context``)."""


# A last answer opening with more content words than this opened with a sentence, not with
# a short answer ("May 19", "Ali Asghar Khaji, a senior advisor to the foreign minister").
_SHORT_ANSWER_TERMS = 8


def read_context(standalone: str, earlier: tuple[str, ...]) -> Context:
    """The parts of a follow-up's context (``standalone_question``), found by where the last
    answer's opening (``earlier[0]``, its first sentence) sits in it.

    A phrase of the question and its context is no answer to it ("Aaron Lund" for "where
    does he work?" after "who is aaron lund"; "two-week" again for "who led it?" after "how
    long did the hts offensive take" → "two-week"), except a phrase the last answer's
    opening *sentence* held but did not answer: "where does he work?" after "Aaron Lund, an
    expert on Syrian affairs at the Century Foundation, ..." is answered by "Century
    Foundation" (it was refused). Who that sentence is about, its first name, stays an
    echo."""
    own, _, context = standalone.partition(CONTEXT)
    context = context[:-1]  # its closing parenthesis
    opening = " ".join(earlier[0].split()) if earlier else ""
    key = opening[:20].rstrip(". ")
    start = context.find(key) if len(key) >= 3 else -1
    if start < 0:
        return Context(context, standalone)
    # how far the opening runs on in the context (characters, not path components)
    end = start + len(commonprefix([context[start:], opening]))  # noqa: RUF071
    asked_before = context[:start].strip()
    if len(terms(opening)) <= _SHORT_ANSWER_TERMS:
        return Context(asked_before, standalone)
    about = names([ChatTurn(role="assistant", content=opening)])[:1]
    echo = " ".join([own, asked_before, *about, context[end:]])
    return Context(asked_before, echo)


def names(turns: list[ChatTurn]) -> list[str]:
    """The names the turns mention, newest turn first, each once."""
    found: list[str] = []
    for turn in reversed(turns):
        for m in _NAME.finditer(strip_markers(turn.content)):
            name = m.group(0)
            head, _, rest = name.partition(" ")
            if head in _NOT_NAMES:
                name = rest
            if name and name not in _NOT_NAMES and name not in found:
                found.append(name)
    return found
