"""Combining the dense and lexical sides.

- ``rrf``: reciprocal-rank fusion of the two rankings.
- ``hybrid`` (default): the union of both candidate lists, each chunk scored by its best
  sentence plus ``TUNING.chunk_weight`` × the whole chunk's cosine (questions are answered by
  a sentence; a chunk-level vector blurs it with its neighbours), near-duplicates collapsed.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from rag.config import Settings
from rag.embedding import query_vector
from rag.retrieval.dense import as_node, dense_retriever
from rag.retrieval.lexical import lexical_index
from rag.retrieval.scoring import SentenceScorer, idf_weights
from rag.store.chunks import chunks_by_id, chunks_read
from rag.store.sentence_vectors import sentence_vectors
from rag.text.sentences import sentences_of, split_sentences
from rag.tuning import TUNING


def fuse(rankings: list[list[str]]) -> list[tuple[str, float]]:
    """Reciprocal-rank fusion: ids by descending sum of 1 / (rrf_k + rank)."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, chunk_id in enumerate(ranking, start=1):
            scores[chunk_id] = scores.get(chunk_id, 0.0) + 1.0 / (TUNING.rrf_k + rank)
    return sorted(scores.items(), key=lambda kv: -kv[1])


def collapse_duplicates(ranked: list[str], texts: dict[str, str]) -> list[str]:
    """``ranked`` without near-duplicates of better-ranked chunks (order kept): a chunk whose
    sentences are mostly in a better-ranked one adds nothing the reader has not seen (two seed
    articles share whole paragraphs; overlapping chunks repeat)."""
    kept: list[str] = []
    seen: set[str] = set()
    for cid in ranked:
        sentences = set(split_sentences(texts[cid]))
        if sentences and len(sentences & seen) / len(sentences) >= TUNING.duplicate_share:
            continue
        kept.append(cid)
        seen |= sentences
    return kept


Chunks = dict[str, tuple[str, dict[str, Any]]]
"""Chunk id → (text, metadata), for the candidates only."""


def _node(cid: str, chunks: Chunks, score: float) -> Any:
    text, metadata = chunks[cid]
    return as_node(cid, text, metadata, score)


def rrf(question: str, collection: Any, settings: Settings, top_k: int) -> list[Any]:
    """Dense + BM25 fused by reciprocal rank, as llama-index ``NodeWithScore``s."""
    depth = max(TUNING.fusion_depth, top_k)
    dense = dense_retriever(collection, settings, depth).retrieve(question)
    lexical = lexical_index(collection, settings).search(question, depth)
    fused = fuse([[hit.node.node_id for hit in dense], lexical])[:top_k]
    chunks = chunks_by_id(collection, [cid for cid, _ in fused])
    return [_node(cid, chunks, score) for cid, score in fused if cid in chunks]


def hybrid(question: str, collection: Any, settings: Settings, top_k: int) -> list[Any]:
    """Dense and BM25 candidates, ranked by best sentence + chunk_weight × chunk cosine."""
    from llama_index.core.schema import QueryBundle

    depth = max(TUNING.fusion_depth, top_k)
    question_vector = query_vector(settings, question)
    bundle = QueryBundle(query_str=question, embedding=question_vector.tolist())
    dense = dense_retriever(collection, settings, depth).retrieve(bundle)
    index = lexical_index(collection, settings)
    lexical = index.search(question, depth)
    found = [h.node.node_id for h in dense] + lexical
    read = chunks_read(collection, list(dict.fromkeys(found)), vectors=True)
    chunks = {cid: (text, meta) for cid, (text, meta, _) in read.items()}
    candidates = list(chunks)
    if not candidates:
        return []
    chunk_cos = {
        cid: float(np.asarray(vector, np.float32) @ question_vector)
        for cid, (_, _, vector) in read.items()
    }
    doc_freq, n_chunks = index.frequencies()
    scorer = SentenceScorer(
        question_vector,
        idf_weights(question, doc_freq, n_chunks),
        sentence_vectors(settings),
    )
    scored = {
        cid: scorer.best(sentences_of(chunks[cid][0]))
        + TUNING.chunk_weight * chunk_cos.get(cid, 0.0)
        for cid in candidates
    }
    ranked = sorted(candidates, key=lambda cid: -scored[cid])
    best = collapse_duplicates(ranked, {cid: chunks[cid][0] for cid in ranked})[:top_k]
    return [_node(cid, chunks, round(scored[cid], 6)) for cid in best]
