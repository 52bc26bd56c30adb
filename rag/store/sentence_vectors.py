"""The sentence-vector cache: a MiniLM vector per sentence, computed once.

Retrieval ranks chunks by their best sentence and evidence selection picks sentences, so both
need a vector per sentence; embedding them per question would cost about a second. They are
computed at ingest (or on first sight) and kept in memory and, where ``Settings`` gives a
path, in a small SQLite file keyed by the embedder and a hash of the sentence text. It is a
cache of derived data: deleting it loses nothing, and several processes may share it.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from rag.config import Settings
from rag.embedding import embedder_for, embedding_key
from rag.errors import StopCheck, go_on, piece_size


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

    def missing(self, texts: Sequence[str]) -> list[str]:
        """The texts without a stored vector (on disk when the cache is persisted: what a new
        process would find); nothing is embedded."""
        keys = {self._key(t): t for t in texts}
        with self._lock:
            if self.path is None:
                return [t for k, t in keys.items() if k not in self._memory]
            todo, stored = list(keys), set[str]()
            with self._connect() as db:
                for start in range(0, len(todo), 500):
                    part = todo[start : start + 500]
                    rows = db.execute(
                        f"SELECT key FROM vectors WHERE key IN ({','.join('?' * len(part))})",
                        part,
                    )
                    stored.update(row[0] for row in rows)
        return [t for k, t in keys.items() if k not in stored]

    def restore(self, texts: Sequence[str]) -> None:
        """Embed and store ``texts`` again (``rag check --repair``), whatever memory holds."""
        with self._lock:
            for t in texts:
                self._memory.pop(self._key(t), None)
        self.get(texts)

    def get(self, texts: Sequence[str], stop: StopCheck | None = None) -> np.ndarray:
        """Vectors (rows, L2-normalised) for ``texts``, embedding only the unseen ones;
        ``stop`` is asked between pieces of whole encoder batches (``Cancelled``)."""
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
            # Longest first: the encoder pads each batch to its longest text (see ingest).
            todo = dict(sorted(todo.items(), key=lambda kv: -len(kv[1])))
            if todo:
                values, vectors = list(todo.values()), []
                size = piece_size(self.embedder.embed_batch_size)
                for start in range(0, len(values), size):
                    go_on(stop)
                    vectors += self.embedder.get_text_embedding_batch(values[start : start + size])
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


_VECTORS: dict[tuple[str, str, str], SentenceVectors] = {}
_VECTORS_LOCK = threading.Lock()


def sentence_vectors(settings: Settings) -> SentenceVectors:
    """The process-wide cache for these settings' cache file (or memory) and embedder."""
    model = settings.resolved_embed_model()
    path = settings.sentence_cache_path
    key = (str(path.resolve()), model, settings.embed_backend)
    with _VECTORS_LOCK:
        if key not in _VECTORS:
            _VECTORS[key] = SentenceVectors(path, embedder_for(settings), embedding_key(settings))
        return _VECTORS[key]
