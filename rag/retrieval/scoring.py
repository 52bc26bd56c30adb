"""Sentence scores: the unit that answers a question is a sentence.

A sentence's score for a question mixes its MiniLM cosine with the IDF-weighted share of the
question's terms it holds (``TUNING.dense_weight``). Retrieval ranks chunks by their best
sentence and evidence selection ranks sentences, both with ``sentence_score``.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from rag.config import Settings
from rag.embedding import query_vector
from rag.store.sentence_vectors import SentenceVectors, sentence_vectors
from rag.text.words import owner, stem_word, term_set, terms
from rag.tuning import TUNING

ScoreFn = Callable[[str, list[str]], list[float]]
"""``(question, sentences) → cosines``: the dense part of the sentence scores."""


def sentence_score(cosine: float, share: float) -> float:
    """A sentence's score for a question: retrieval and evidence selection both rank by it."""
    return round(TUNING.dense_weight * cosine + (1 - TUNING.dense_weight) * share, 4)


def idf_weights(
    question: str, doc_freq: Mapping[str, int], n_docs: int, mates: bool = False
) -> dict[str, float]:
    """IDF of each question term over ``n_docs`` texts (unknown terms weigh most). With
    ``mates``, a word of five letters or more that no text holds stands for the texts' word
    of its Snowball stem, if they hold one (``stem_mate``: "alawites" for "Alawite")."""
    n = max(n_docs, 1)
    weights: dict[str, float] = {}
    for t in set(terms(question)):
        if mates and not doc_freq.get(t) and len(t) >= 5:
            # a possessive the texts never write is its owner's word ("the un rapporteur's
            # name": "Rapporteur")
            noun = owner(t)
            if noun.isalpha():
                t = stem_mate(noun, doc_freq) or t
        weights[t] = math.log(1 + n / doc_freq.get(t, 0.5))
    return weights


def stem_mate(term: str, doc_freq: Mapping[str, int]) -> str | None:
    """The word of ``doc_freq`` sharing ``term``'s Snowball stem that most texts hold."""
    stem = stem_word(term)
    mates = [w for w, n in doc_freq.items() if n and stem_word(w) == stem]
    return max(mates, key=lambda w: (doc_freq[w], w)) if mates else None


# A question asks with "did": its verb comes in the base form ("who did khaji meet", "how
# much did iran spend", "when did assad visit"), the documents tell it in the past ("met",
# "spent", "visited"). A question's term counts as held in its past form too — not "say",
# the frame of "what does the mena paper say about X", which "said" in every quote matched.
_IRREGULAR_PAST = {
    "meet": "met",
    "spend": "spent",
    "tell": "told",
    "hold": "held",
    "lead": "led",
    "flee": "fled",
    "seek": "sought",
    "take": "took",
    "give": "gave",
    "come": "came",
    "make": "made",
    "pay": "paid",
    "send": "sent",
    "build": "built",
    "begin": "began",
    "win": "won",
    "lose": "lost",
    "leave": "left",
    "fall": "fell",
    "bring": "brought",
    "buy": "bought",
    "fight": "fought",
    "think": "thought",
    "teach": "taught",
    "catch": "caught",
    "sell": "sold",
    "find": "found",
    "keep": "kept",
    "know": "knew",
    "see": "saw",
    "write": "wrote",
    "speak": "spoke",
    "break": "broke",
    "choose": "chose",
    "rise": "rose",
    "drive": "drove",
    "steal": "stole",
    "grow": "grew",
    "draw": "drew",
    "throw": "threw",
    "stand": "stood",
    "understand": "understood",
    "feel": "felt",
    "sit": "sat",
    "set": "set",
    "put": "put",
    "cut": "cut",
    "hit": "hit",
    "become": "became",
    "run": "ran",
    "get": "got",
    "hear": "heard",
    "mean": "meant",
    "shoot": "shot",
    "strike": "struck",
    "swear": "swore",
    "wear": "wore",
    "sink": "sank",
}


@lru_cache(maxsize=8192)
def past_forms(term: str) -> frozenset[str]:
    """``term`` and, if it may be a verb's base form, its past form(s)."""
    if not term.isalpha() or len(term) < 3 or term == "say":
        return frozenset((term,))
    if term in _IRREGULAR_PAST:
        return frozenset((term, _IRREGULAR_PAST[term]))
    if term.endswith("e"):
        return frozenset((term, term + "d"))
    if term.endswith("y") and term[-2] not in "aeiou":
        return frozenset((term, term[:-1] + "ied"))
    return frozenset((term, term + "ed"))


def term_share(weights: Mapping[str, float], sentence: str) -> float:
    """The weighted share of the question's terms that ``sentence`` contains (0..1), a verb
    also in its past form (``past_forms``)."""
    total = sum(weights.values()) or 1.0
    present = term_set(sentence)
    return sum(w for t, w in weights.items() if not past_forms(t).isdisjoint(present)) / total


def lexical_scores(
    question: str, sentences: list[str], read: list[str] | None = None, mates: bool = False
) -> list[float]:
    """IDF-weighted share of the question's terms that each sentence contains (0..1), the IDF
    taken over these sentences; with ``read``, the share each of those texts holds instead
    (a sentence read with the one it leans on), the IDF still taken over the sentences.

    With ``mates``, a question's word these sentences never use is looked for as their word
    of its stem (``idf_weights``)."""
    doc_freq = Counter(t for s in sentences for t in set(terms(s)))
    weights = idf_weights(question, doc_freq, len(sentences), mates)
    return [term_share(weights, s) for s in (sentences if read is None else read)]


@dataclass
class SentenceScorer:
    """Scores sentences against one question, IDF taken over a collection's chunks."""

    question_vector: np.ndarray
    weights: dict[str, float]
    vectors: SentenceVectors
    _cache: dict[str, float] = field(default_factory=dict)

    def scores(self, sentences: Sequence[str]) -> list[float]:
        todo = [s for s in dict.fromkeys(sentences) if s not in self._cache]
        if todo:
            cosines = self.vectors.get(todo) @ self.question_vector
            for s, c in zip(todo, cosines, strict=True):
                self._cache[s] = sentence_score(float(c), term_share(self.weights, s))
        return [self._cache[s] for s in sentences]

    def best(self, sentences: Iterable[str]) -> float:
        values = self.scores(list(sentences))
        return max(values) if values else 0.0


def sentence_cosines(settings: Settings) -> ScoreFn:
    """MiniLM cosine between a question and sentences (vectors from the sentence cache)."""
    vectors = sentence_vectors(settings)

    def score(question: str, texts: list[str]) -> list[float]:
        return [float(x) for x in vectors.get(texts) @ query_vector(settings, question)]

    return score
