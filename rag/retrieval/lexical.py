"""The lexical side: BM25 (bm25s) over a collection's chunk texts, and how many chunks each
term occurs in (the sentence scores' IDF weights).

Chroma's open-source server has no BM25, so the index is built here, once per collection
content: keyed by a hash of every chunk id and text, the newest few kept in memory.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from typing import Any

from rag.store.chunks import all_chunks
from rag.text.words import bm25_tokens, terms


@dataclass(frozen=True)
class LexicalIndex:
    bm25: Any
    doc_freq: Counter[str]
    n_chunks: int


_LEXICAL: dict[str, LexicalIndex] = {}
_LEXICAL_KEEP = 8


def lexical_index(ids: tuple[str, ...], texts: tuple[str, ...]) -> LexicalIndex:
    """The cached index for this content, built on first sight."""
    fingerprint = hashlib.sha1("\x1f".join(ids + texts).encode()).hexdigest()
    found = _LEXICAL.get(fingerprint)
    if found is None:
        import bm25s

        bm25 = bm25s.BM25()
        bm25.index([tokens or ["_"] for tokens in bm25_tokens(list(texts))], show_progress=False)
        doc_freq = Counter(t for text in texts for t in set(terms(text)))
        found = _LEXICAL[fingerprint] = LexicalIndex(bm25, doc_freq, len(texts))
        for stale in list(_LEXICAL)[:-_LEXICAL_KEEP]:
            _LEXICAL.pop(stale, None)
    return found


Chunks = dict[str, tuple[str, dict[str, Any]]]
"""Chunk id → (text, metadata)."""


def bm25_ranking(
    question: str, collection: Any, depth: int
) -> tuple[list[str], Chunks, LexicalIndex]:
    """Chunk ids ranked by BM25, every chunk's (text, metadata) by id, and the lexical index."""
    ids, texts, metadatas = all_chunks(collection)
    chunks = {i: (t, m) for i, t, m in zip(ids, texts, metadatas, strict=True)}
    index = lexical_index(ids, texts)
    query = [t for t in bm25_tokens([question])[0] if t in index.bm25.vocab_dict]
    if not query:
        return [], chunks, index
    found, scores = index.bm25.retrieve([query], k=min(depth, len(ids)), show_progress=False)
    ranked = [ids[int(i)] for i, score in zip(found[0], scores[0], strict=True) if score > 0]
    return ranked, chunks, index


def vocabulary(collection: Any) -> Counter[str]:
    """Every content word of the collection with how many chunks hold it (spelling
    correction of questions, ``rag.text.casual``)."""
    ids, texts, _ = all_chunks(collection)
    return lexical_index(ids, texts).doc_freq
