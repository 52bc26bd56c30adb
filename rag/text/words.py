"""Words: the one content-word tokenizer, and the variants derived from it for each use.

- ``terms``: lower-cased content words, stop words dropped (retrieval IDF, evidence scores,
  follow-up detection).
- ``support_terms``: ``terms`` with a possessive counted as its noun ("Iran’s" → "iran"), for
  the citation check and the UI highlight. Retrieval keeps "iran’s" as its own term: merging
  them there was measured to lose gold questions' evidence (see the README).
- ``bm25_tokens``: BM25 tokens for both the chunks and the question — bm25s's own tokenizer
  and English stop words with the Snowball stemmer (PyStemmer): "delegations" and
  "delegation" meet as "deleg".
- ``stems`` / ``holds``: a question's content words as BM25 stems, and whether a sentence
  holds them all ("what about the northeast?" is answered by a sentence naming the northeast).
- ``phrase_tokens`` / ``phrase_form``: a phrase's alphanumeric pieces, split at hyphens and
  dashes too ("20-30" → 20, 30), to check that a copied phrase occurs in a sentence.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "on",
        "for",
        "and",
        "or",
        "but",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "by",
        "with",
        "at",
        "from",
        "as",
        "that",
        "this",
        "these",
        "those",
        "it",
        "its",
        "what",
        "which",
        "who",
        "whom",
        "whose",
        "when",
        "where",
        "why",
        "how",
        "did",
        "do",
        "does",
        "has",
        "have",
        "had",
        "not",
        "no",
        "yes",
        "their",
        "his",
        "her",
        "they",
        "he",
        "she",
        "we",
        "you",
        "i",
        "about",
        "into",
        "than",
        "then",
        "there",
        "after",
        "before",
        # "what happened to haniyeh": the frame of a question, not what it is about ("what
        # happened between Saudi Arabia and Damascus" ranked above Haniyeh's killing)
        "happen",
        "happened",
        "happens",
    ]
)
_POSSESSIVE = re.compile(r"['’]s?$")
# An abbreviation written with dots: "Ph.D.", "U.N.", "e.g.".
_DOTTED = re.compile(r"\b(?:[A-Za-z]{1,2}\.){2,}")


def undotted(text: str) -> str:
    """``text`` with its dotted abbreviations written as one word, as people type them:
    "Ph.D." → "PhD" (a question's "phd" met "ph" and "d" before). "U.S." stays: "us" is the
    pronoun."""

    def join(m: re.Match[str]) -> str:
        word = m.group(0).replace(".", "")
        return m.group(0) if word.lower() == "us" else word

    return _DOTTED.sub(join, text) if "." in text else text


# An apostrophe inside a word that is neither a possessive nor a contraction ("Iran’s",
# "didn’t", "they’re", "we’ll", "I’ve" stay): "Shi’ite", "Ba’athist", "Hay’at".
_INNER_APOSTROPHE = re.compile(r"(?<=[A-Za-z])['’](?=[A-Za-z]{2})(?!(?:ll|re|ve)\b)")


def unapostrophed(text: str) -> str:
    """``text`` with the apostrophes inside its words dropped, as people type them:
    "Shi’ite" → "Shiite" (a question's "shiite" met "shi" and "ite" before; the texts also
    write "Hay’at Tahrir al-Sham" and "Hayat Tahrir al-Sham")."""
    return _INNER_APOSTROPHE.sub("", text) if "'" in text or "’" in text else text


# The United States as the texts and people write it: "U.S.", "US forces", "the us", and
# typed in lower case before what a country has ("us forces", "ex us ambassador", "us backed")
# — not the pronoun before anything else ("tell us about", "let us know", "for us").
_US_HAS = (
    r"forces|troops|military|army|navy|soldiers|bases?|sanctions|ambassadors?|envoys?"
    r"|officials?|diplomats?|government|administration|presidents?|secretary|defen[cs]e"
    r"|state\s+department|congress|senate|embassy|polic(?:y|ies)|presence|(?:air)?strikes?"
    r"|backed|led|allies|interests|withdrawal|intervention|involvement|intelligence"
)
_THE_US = re.compile(
    r"\bU\.S\.(?:A\.)?|\bUSA?\b|(?<=\bthe )us\b|(?<=\bThe )us\b"
    rf"|\b[Uu]s(?=[\s-]+(?:{_US_HAS})\b)"
)


def the_us_named(text: str) -> str:
    """``text`` with the United States written as one word, "USA": "us" is the pronoun, a
    stop word, so "how did the us approach assad" and "US-backed", "U.S. and Israel" held
    no word of the country."""
    return _THE_US.sub("USA", text) if "u" in text.lower() else text


def as_typed(text: str) -> str:
    """``text`` with dotted abbreviations and apostrophes inside words written as people
    type them (``undotted``, ``unapostrophed``) and the United States as one word
    (``the_us_named``): what words are read from."""
    return the_us_named(unapostrophed(undotted(text)))


def terms(text: str) -> list[str]:
    """Lower-cased content words (stop words dropped), in order."""
    return [w.lower() for w in _WORD.findall(as_typed(text)) if w.lower() not in STOP_WORDS]


@lru_cache(maxsize=65536)
def term_set(text: str) -> frozenset[str]:
    """``terms`` of a sentence as a set, remembered (retrieval scores the same sentences
    question after question)."""
    return frozenset(terms(text))


def owner(word: str) -> str:
    """A possessive's noun ("rapporteur’s" → "rapporteur"); any other word as it is."""
    return _POSSESSIVE.sub("", word)


def support_terms(text: str) -> set[str]:
    """Content words with possessives merged into their noun."""
    return {owner(t) for t in terms(text)} - {""}


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import Stemmer

    return Stemmer.Stemmer("english")


def stem_words(words: list[str]) -> list[str]:
    """Each word's Snowball stem ("citizens" → "citizen"), lower-cased words in."""
    return list(_stemmer().stemWords(words))


@lru_cache(maxsize=65536)
def stem_word(word: str) -> str:
    """One lower-cased word's Snowball stem, remembered (a passage's vocabulary is stemmed
    question after question: ``rag.retrieval.scoring.stem_mate``)."""
    return str(_stemmer().stemWord(word))


def bm25_tokens(texts: list[str]) -> list[list[str]]:
    """BM25 tokens of each text (bm25s tokenizer, English stop words, Snowball stems)."""
    import bm25s

    out = bm25s.tokenize(
        [as_typed(t) for t in texts],
        stopwords="en",
        stemmer=_stemmer(),
        return_ids=False,
        show_progress=False,
    )
    return [list(tokens) for tokens in out]


def stems(words: str) -> set[str]:
    """The stems of the content words of a question ("what about the northeast" → northeast;
    "attended" meets "attend")."""
    return set(bm25_tokens([" ".join(terms(words))])[0])


def holds(text: str, words: str) -> bool:
    """Whether ``text`` holds every content word of ``words`` (as stems)."""
    wanted = stems(words)
    return bool(wanted) and wanted <= set(bm25_tokens([text])[0])


# A piece of a lower-cased phrase: letters, digits and "%" ("20-30" → 20, 30).
PHRASE_TOKEN = re.compile(r"[a-z0-9%]+")


def phrase_tokens(text: str) -> set[str]:
    """Content pieces of a phrase, split on hyphens and dashes too ("20-30" → 20, 30)."""
    return {t for t in PHRASE_TOKEN.findall(text.lower()) if t not in STOP_WORDS}


# A piece of a phrase as ``phrase_form`` compares phrases: letters, digits, "%" and "$".
FORM_PIECE = re.compile(r"[a-z0-9%$]+", re.IGNORECASE)


def phrase_form(text: str) -> str:
    """A phrase reduced to its alphanumeric pieces, space-padded for containment checks."""
    return " " + " ".join(FORM_PIECE.findall(text.lower())) + " "


def squash(text: str) -> str:
    """Whitespace runs (line breaks included) as single spaces."""
    return " ".join(text.split())
