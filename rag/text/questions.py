"""Question analysis: what a question asks for, read from its wording (no model call).

- ``expected_type`` / ``has_type``: a "how many" question needs a number in its answer, a
  "when" question a date. Unanswerable questions are often near misses (the topic is in the
  documents, the asked-for fact is not); the best sentence about the topic then lacks the
  asked-for kind of value, which this catches without asking the model.
- ``asks_why`` / ``asks_explanation`` / ``asks_author``: the shape the answer should take.
- ``is_follow_up``: the question leans on the conversation (a pronoun, "and ...", "what about
  ...", or too few words of its own).
"""

from __future__ import annotations

import re
from typing import Literal

from rag.text.words import terms

AnswerType = Literal["number", "percent", "date", "any"]

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_DATE = re.compile(
    rf"\b(?:{_MONTHS})\b|\b(?:1[89]|20)\d\d\b|\b(?:spring|summer|autumn|fall|winter) of\b"
    r"|\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b"
    r"|\b(?:yesterday|today|last (?:week|month|year))\b",
    re.IGNORECASE,
)
_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty"
    "|hundred|hundreds|thousand|thousands|million|millions|billion|billions|dozen|dozens"
)
_PERCENT = re.compile(r"\d+(?:[.,]\d+)?\s*(?:%|per ?cent\b)", re.IGNORECASE)
_NUMBER = re.compile(rf"\d|\b(?:{_NUMBER_WORDS})\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")

_ASKS_AUTHOR = re.compile(r"\b(wrote|written|writer|author|authored|byline)\b", re.IGNORECASE)
_ASKS_WHY = re.compile(r"^\s*(why|how(?! (many|much|long|old|far)))\b", re.I)
_ASKS_EXPLANATION = re.compile(_ASKS_WHY.pattern + r"|\band\b", re.I)
_LEANS_ON_HISTORY = re.compile(
    r"\b(he|she|it|they|him|her|them|his|hers|its|their|theirs|this|that|these|those|there"
    r"|then|the same|the former|the latter)\b|^\s*(and|but|also|so|what about|how about)\b",
    re.IGNORECASE,
)


def expected_type(question: str) -> AnswerType:
    """The kind of value the question asks for ("any" when it does not say)."""
    q = " ".join(question.lower().split())
    if re.search(r"\b(what|which) percentage\b|\bby what percent|\bhow much .*\bpercent", q):
        return "percent"
    if re.search(r"\bhow (many|much)\b|\b(total|what|the) number of\b", q):
        return "number"
    if re.search(
        r"^(when|since when)\b|\b(on|in) what (date|day|year|month)\b|^what (date|day|year|month)\b"
        r"|^(which|what) (year|month|day|date)\b|\bwhen (did|was|were|is|will|does|do)\b",
        q,
    ):
        return "date"
    return "any"


def has_type(text: str, kind: AnswerType) -> bool:
    """Whether ``text`` holds a value of the asked-for kind."""
    if kind == "percent":
        return bool(_PERCENT.search(text))
    if kind == "number":
        # A count or amount: a number that is not only a percentage or a year.
        return bool(_NUMBER.search(_YEAR.sub(" ", _PERCENT.sub(" ", text))))
    if kind == "date":
        return bool(_DATE.search(text))
    return True


def asks_author(question: str) -> bool:
    return bool(_ASKS_AUTHOR.search(question))


def asks_why(question: str) -> bool:
    """ "Why ..." or "how ..." (not "how many/much/long/old/far")."""
    return bool(_ASKS_WHY.search(question))


def asks_explanation(question: str) -> bool:
    """ "Why ...", "how ..." (not "how many") or "... and ...": worth a second sentence."""
    return bool(_ASKS_EXPLANATION.search(question))


def is_follow_up(question: str) -> bool:
    return bool(_LEANS_ON_HISTORY.search(question)) or len(terms(question)) < 2
