"""Evidence selection: the few sentences of the retrieved passages that matter for a question.

The default model prompt-processes ~85 tokens/s on 2 cores, so four whole passages (~1,000
tokens) cost 10-13 s before the first answer token; eight chosen sentences cost ~4 s. Each
sentence keeps the number of the passage it came from, so the model's [n] markers still point
at passages the user can see. Sentences are scored by 0.5 × MiniLM cosine + 0.5 × the
IDF-weighted share of question terms they contain.

Each document's byline (``"Title" was written by Author.``, from the document's metadata) is
offered too: authorship is rarely stated in the body text that retrieval ranks.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from rag.schemas import Passage

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
    ]
)
# Sentence ends: . ! ? (optionally closed by a quote or bracket) followed by a capital/digit.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[A-Z0-9“\"(])")
_MIN_WORDS = 4


@dataclass(frozen=True)
class Evidence:
    passage_id: int
    text: str
    score: float = 0.0
    byline: bool = False
    widened: bool = False  # joined with a neighbour sentence for the value the question asks


def terms(text: str) -> list[str]:
    """Lower-cased content words (stop words dropped)."""
    return [w.lower() for w in _WORD.findall(text) if w.lower() not in STOP_WORDS]


def split_sentences(text: str) -> list[str]:
    """Sentences of a passage; paragraphs (blank-line separated) never merge."""
    out = []
    for paragraph in text.split("\n\n"):
        for sentence in _SENTENCE_END.split(paragraph.strip()):
            sentence = " ".join(sentence.split())
            if len(sentence.split()) >= _MIN_WORDS:
                out.append(sentence)
    return out


# Weight of the MiniLM cosine in a sentence's score; the rest is the IDF-weighted term share.
DENSE_WEIGHT = 0.5


def sentence_score(cosine: float, share: float) -> float:
    """A sentence's score for a question: retrieval and evidence selection both rank by it."""
    return round(DENSE_WEIGHT * cosine + (1 - DENSE_WEIGHT) * share, 4)


def idf_weights(question: str, doc_freq: Mapping[str, int], n_docs: int) -> dict[str, float]:
    """IDF of each question term over ``n_docs`` texts (unknown terms weigh most)."""
    n = max(n_docs, 1)
    return {t: math.log(1 + n / doc_freq.get(t, 0.5)) for t in set(terms(question))}


def term_share(weights: Mapping[str, float], sentence: str) -> float:
    """The weighted share of the question's terms that ``sentence`` contains (0..1)."""
    total = sum(weights.values()) or 1.0
    present = set(terms(sentence))
    return sum(w for t, w in weights.items() if t in present) / total


def lexical_scores(question: str, sentences: list[str]) -> list[float]:
    """IDF-weighted share of the question's terms that each sentence contains (0..1), the IDF
    taken over these sentences."""
    doc_freq = Counter(t for s in sentences for t in set(terms(s)))
    weights = idf_weights(question, doc_freq, len(sentences))
    return [term_share(weights, s) for s in sentences]


def bylines(passages: list[Passage]) -> list[Evidence]:
    """One authorship sentence per document among the passages (first passage of each)."""
    seen: set[str] = set()
    out = []
    for p in passages:
        key = p.doc_id or p.source
        if p.author and key not in seen:
            seen.add(key)
            title = f"“{p.title}”" if p.title else p.source
            out.append(Evidence(p.id, f"{title} was written by {p.author}.", byline=True))
    return out


ScoreFn = Callable[[str, list[str]], list[float]]


def candidates(passages: list[Passage]) -> list[Evidence]:
    """Every sentence of the passages once, in passage order."""
    seen: set[str] = set()
    out: list[Evidence] = []
    for p in passages:
        for sentence in split_sentences(p.text):
            if sentence not in seen:
                seen.add(sentence)
                out.append(Evidence(p.id, sentence))
    return out


def rank_evidence(
    question: str, passages: list[Passage], score: ScoreFn | None = None
) -> list[Evidence]:
    """All passage sentences, best first. ``score(question, sentences)`` gives the dense part
    of the score (see ``rag.sentences``); without it sentences are ranked by terms alone."""
    found = candidates(passages)
    if not found:
        return []
    texts = [c.text for c in found]
    lexical = lexical_scores(question, texts)
    dense = score(question, texts) if score is not None else [0.0] * len(texts)
    scored = [
        Evidence(c.passage_id, c.text, sentence_score(d, lex))
        for c, d, lex in zip(found, dense, lexical, strict=True)
    ]
    return sorted(scored, key=lambda e: -e.score)


# A sentence opening like this leans on the one before it ("He added that ...").
_LEANS_BACK = re.compile(
    r"^(?:He|She|It|They|This|That|These|Those|His|Her|Their|However|But|Also|Additionally"
    r"|In addition|Moreover|Meanwhile|The (?:visit|trip|meeting|move|statement|report))\b"
)


def neighbours(e: Evidence, passages: list[Passage]) -> tuple[str | None, str | None]:
    """The sentences just before and after the one ``e.text`` ends with, in its passage."""
    for p in passages:
        if p.id != e.passage_id:
            continue
        sentences = split_sentences(p.text)
        for i, sentence in enumerate(sentences):
            if e.text.endswith(sentence):
                before = sentences[i - 1] if i > 0 else None
                after = sentences[i + 1] if i + 1 < len(sentences) else None
                return before, after
    return None, None


def with_context(evidence: Evidence, passages: list[Passage]) -> Evidence:
    """The sentence plus the one before it when it leans on it (a pronoun or connector)."""
    if not _LEANS_BACK.match(evidence.text):
        return evidence
    before, _ = neighbours(evidence, passages)
    if before is None:
        return evidence
    text = f"{before} {evidence.text}"
    return Evidence(evidence.passage_id, text, evidence.score, evidence.byline)
