"""Metrics: plain functions over plain data, each one documented with what it measures.

- Answers: SQuAD v2's official normalisation, exact match and token F1; key-fact recall.
- Retrieval: the rank of the first passage holding gold evidence (→ hit@k, MRR); source recall.
- Citations, ALCE-style: a sentence is *supported* by a passage when the passage contains most
  of the sentence's content words (a lexical proxy for entailment, no judge needed).
  Citation recall = share of answer sentences with at least one supporting citation;
  citation precision = share of (sentence, cited passage) pairs where the passage supports it.
"""

from __future__ import annotations

import collections
import re
import string
from collections.abc import Iterable, Sequence

from rag.text.markers import MARKER, marker_ids
from rag.text.markers import strip_markers as _strip_markers
from rag.text.sentences import answer_sentences
from rag.text.words import STOP_WORDS, squash

_ARTICLES = re.compile(r"\b(a|an|the)\b", re.UNICODE)
_PUNCT = set(string.punctuation) | {"“", "”", "’", "‘", "–", "—"}
# A passage supports a sentence when it holds at least this share of the sentence's words.
# The metric's own bar, on purpose not ``TUNING.support_threshold``: tuning the system's
# citation check must not move the measure that judges it.
SUPPORT_THRESHOLD = 0.6


def normalize_answer(text: str) -> str:
    """SQuAD v2 official normalisation: lower case, no punctuation, no articles, one space."""
    text = "".join(ch for ch in text.lower() if ch not in _PUNCT)
    return " ".join(_ARTICLES.sub(" ", text).split())


def strip_markers(text: str) -> str:
    return _strip_markers(text).strip()


def exact_match(prediction: str, golds: Sequence[str]) -> float:
    """Official SQuAD v2 EM: max over gold answers; an empty gold list means "no answer"."""
    golds = list(golds) or [""]
    return max(float(normalize_answer(prediction) == normalize_answer(g)) for g in golds)


def _f1(prediction: str, gold: str) -> float:
    pred, ref = normalize_answer(prediction).split(), normalize_answer(gold).split()
    if not pred or not ref:
        return float(pred == ref)
    common = collections.Counter(pred) & collections.Counter(ref)
    same = sum(common.values())
    if same == 0:
        return 0.0
    precision, recall = same / len(pred), same / len(ref)
    return 2 * precision * recall / (precision + recall)


def token_f1(prediction: str, golds: Sequence[str]) -> float:
    """Official SQuAD v2 token F1: max over gold answers."""
    return max(_f1(prediction, g) for g in (list(golds) or [""]))


def key_fact_recall(answer: str, key_facts: Sequence[str]) -> float:
    """Share of key facts found in the answer (normalised substring match)."""
    if not key_facts:
        return 1.0
    norm = normalize_answer(strip_markers(answer))
    return sum(normalize_answer(f) in norm for f in key_facts) / len(key_facts)


def holds_evidence(passage_text: str, quote: str) -> bool:
    """A passage holds a quote if it contains it, or most of it when a chunk edge cuts it."""
    flat_passage, flat_quote = squash(passage_text).lower(), squash(quote).lower()
    if flat_quote in flat_passage:
        return True
    words = content_words(quote)
    return bool(words) and len(words & content_words(passage_text)) / len(words) >= 0.8


def evidence_rank(passages: Sequence[str], evidence: Sequence[str]) -> int | None:
    """1-based rank of the first passage holding any evidence quote (None if none does)."""
    for rank, text in enumerate(passages, start=1):
        if any(holds_evidence(text, quote) for quote in evidence):
            return rank
    return None


def source_recall(retrieved_sources: Iterable[str], gold_sources: Sequence[str]) -> float:
    if not gold_sources:
        return 1.0
    got = set(retrieved_sources)
    return sum(s in got for s in gold_sources) / len(gold_sources)


def content_words(text: str) -> set[str]:
    words = normalize_answer(strip_markers(text)).split()
    return {w for w in words if w not in STOP_WORDS}


def support(sentence: str, passage_text: str) -> float:
    """Share of the sentence's content words that the passage contains (0..1)."""
    words = content_words(sentence)
    if not words:
        return 1.0
    return len(words & content_words(passage_text)) / len(words)


def citation_scores(answer: str, passages: dict[int, str]) -> tuple[float | None, float | None]:
    """(citation precision, citation recall) of an answer; None when there is nothing to score.

    ``passages`` maps marker numbers to passage texts (the passages the user can see).
    """
    precision_hits = precision_total = recall_hits = 0
    sentences = answer_sentences(answer)
    for sentence in sentences:
        cited = [n for m in MARKER.finditer(sentence) for n in marker_ids(m)]
        supported = False
        for n in cited:
            precision_total += 1
            if n in passages and support(sentence, passages[n]) >= SUPPORT_THRESHOLD:
                precision_hits += 1
                supported = True
        recall_hits += supported
    precision = precision_hits / precision_total if precision_total else None
    recall = recall_hits / len(sentences) if sentences else None
    return precision, recall


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (q in 0..100); None for no values."""
    data = sorted(v for v in values if v is not None)
    if not data:
        return None
    pos = (len(data) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(data) - 1)
    return data[low] + (data[high] - data[low]) * (pos - low)


def mean(values: Iterable[float | None]) -> float | None:
    data = [v for v in values if v is not None]
    return sum(data) / len(data) if data else None
