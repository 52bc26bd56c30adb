"""Sentence vectors and sentence scores: the unit that answers a question is a sentence.

Retrieval ranks chunks by their best sentence and evidence selection picks sentences, so both
need a MiniLM vector per sentence. Embedding them per question would cost ~1 s; instead they
are computed once (at ingest, or on first sight) and kept in a small SQLite file under the data
dir, keyed by the embedder and a hash of the sentence text. It is a cache of derived data:
deleting it loses nothing, and several processes may share it (SQLite locks).

A sentence's score for a question is 0.5 × MiniLM cosine + 0.5 × the IDF-weighted share of the
question's terms it contains — measured on the gold set and SQuAD against cosine-only and
term-only scores (see ``rag.retrieve``).
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from rag.config import Settings
from rag.evidence import ScoreFn, sentence_score, term_share


class SentenceVectors:
    """MiniLM vectors for sentences: memory, then SQLite, then the embedder."""

    def __init__(self, path: Path | None, embedder: Any, model_key: str):
        self.embedder = embedder
        self.model_key = model_key
        self.path = path
        self._memory: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            with self._connect() as db:
                db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB)")

    def _connect(self) -> sqlite3.Connection:
        assert self.path is not None
        return sqlite3.connect(self.path, timeout=30)

    def _key(self, text: str) -> str:
        return hashlib.sha1(f"{self.model_key}\x1f{text}".encode()).hexdigest()

    def get(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors (rows, L2-normalised) for ``texts``, embedding only the unseen ones."""
        keys = [self._key(t) for t in texts]
        with self._lock:
            missing = [k for k in dict.fromkeys(keys) if k not in self._memory]
            if missing and self.path is not None:
                with self._connect() as db:
                    for start in range(0, len(missing), 500):
                        part = missing[start : start + 500]
                        rows = db.execute(
                            "SELECT key, vector FROM vectors WHERE key IN "
                            f"({','.join('?' * len(part))})",
                            part,
                        ).fetchall()
                        for key, blob in rows:
                            self._memory[key] = np.frombuffer(blob, dtype=np.float32)
            todo = {k: t for k, t in zip(keys, texts, strict=True) if k not in self._memory}
            if todo:
                vectors = self.embedder.get_text_embedding_batch(list(todo.values()))
                fresh = {
                    k: np.asarray(v, dtype=np.float32) for k, v in zip(todo, vectors, strict=True)
                }
                self._memory.update(fresh)
                if self.path is not None:
                    with self._connect() as db:
                        db.executemany(
                            "INSERT OR REPLACE INTO vectors VALUES (?, ?)",
                            [(k, v.tobytes()) for k, v in fresh.items()],
                        )
            if not keys:
                return np.zeros((0, 0), dtype=np.float32)
            return np.stack([self._memory[k] for k in keys])


_VECTORS: dict[tuple[str, str], SentenceVectors] = {}
_VECTORS_LOCK = threading.Lock()


def sentence_vectors(settings: Settings) -> SentenceVectors:
    """The process-wide sentence-vector cache for these settings' data dir and embedder."""
    from rag.embedding import embedder_for

    model = settings.resolved_embed_model()
    # With a Chroma server the API process is meant to be stateless (one of several replicas):
    # the cache then lives in memory only and fills on first sight of a chunk.
    path = None if settings.chroma_host else settings.data_dir / "cache" / "sentence-vectors.sqlite"
    key = (str(path.resolve()) if path else f"memory:{settings.chroma_host}", model)
    with _VECTORS_LOCK:
        if key not in _VECTORS:
            _VECTORS[key] = SentenceVectors(path, embedder_for(settings), Path(model).name)
        return _VECTORS[key]


@dataclass
class SentenceScorer:
    """Scores sentences against one question (see the module docstring)."""

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


def sentence_score_fn(settings: Settings) -> ScoreFn:
    """MiniLM cosine between a question and sentences (vectors from the sentence cache)."""
    from rag.embedding import query_vector

    vectors = sentence_vectors(settings)

    def score(question: str, texts: list[str]) -> list[float]:
        return [float(x) for x in vectors.get(texts) @ query_vector(settings, question)]

    return score
