"""Retrieval: question → the best passages of a collection, as contract ``Passage``s.

``hybrid`` (default): candidates are the top 20 chunks by MiniLM vector (llama-index's
``VectorIndexRetriever`` over Chroma) and the top 20 by BM25 (bm25s over the chunk texts);
each candidate is then scored by its best *sentence* (0.5 × cosine + 0.5 × IDF-weighted share
of question terms, see ``rag.sentences``) plus 0.2 × the whole chunk's cosine. Questions are
answered by a sentence, and a chunk-level vector blurs it with its neighbours.
Measured (``bench/bench_retrieval.py``): gold evidence hit@1/hit@5 0.771/0.943 → 0.886/1.000,
SQuAD-200 0.770/0.950 → 0.855/0.975 against reciprocal-rank fusion of the two rankings.
``rrf``: that reciprocal-rank fusion (the previous default). ``dense``: vectors only.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from rag.config import Settings
from rag.schemas import Passage


def dense_retriever(collection: Any, settings: Settings, top_k: int) -> Any:
    """A llama-index ``VectorIndexRetriever`` over the Chroma collection (MiniLM vectors)."""
    from llama_index.core import VectorStoreIndex
    from llama_index.vector_stores.chroma import ChromaVectorStore

    from rag.embedding import embedder_for

    embedder = embedder_for(settings)
    index = VectorStoreIndex.from_vector_store(
        ChromaVectorStore(chroma_collection=collection), embed_model=embedder
    )
    return index.as_retriever(similarity_top_k=top_k)


def to_passages(nodes_with_scores: list[Any]) -> list[Passage]:
    """Number retrieved nodes 1..n (the n of the marker [n]) in rank order."""
    passages = []
    for rank, hit in enumerate(nodes_with_scores, start=1):
        node, meta = hit.node, hit.node.metadata
        passages.append(
            Passage(
                id=rank,
                source=str(meta.get("source", "")),
                chunk_id=node.node_id,
                text=node.get_content(metadata_mode="none"),
                start=_int_or_none(meta.get("start")),
                end=_int_or_none(meta.get("end")),
                score=round(float(hit.score or 0.0), 6),
                title=str(meta.get("title") or "") or None,
                author=str(meta.get("author") or "") or None,
                doc_id=str(meta.get("doc_id") or "") or None,
            )
        )
    return passages


# Reciprocal-rank fusion constant (Cormack et al. 2009) and how deep each ranking is read.
RRF_K = 60
FUSION_DEPTH = 20


def bm25_terms(text: str) -> list[str]:
    """Lower-cased content words with a light plural strip (bm25 tokens for both sides)."""
    from rag.evidence import terms

    return [
        t[:-1] if len(t) > 4 and t.endswith("s") and not t.endswith("ss") else t
        for t in terms(re.sub(r"[’']s\b", "", text))
    ]


@dataclass(frozen=True)
class LexicalIndex:
    """BM25 over a collection's chunk texts, and in how many chunks each term occurs (for the
    sentence scores' IDF weights)."""

    bm25: Any
    doc_freq: Counter[str]
    n_chunks: int


# Built once per collection content (keyed by a hash of ids and texts), newest few kept.
_LEXICAL: dict[str, LexicalIndex] = {}
_LEXICAL_KEEP = 8


def lexical_index(ids: tuple[str, ...], texts: tuple[str, ...]) -> LexicalIndex:
    """The cached index for this content, built on first sight."""
    fingerprint = hashlib.sha1("\x1f".join(ids + texts).encode()).hexdigest()
    found = _LEXICAL.get(fingerprint)
    if found is None:
        import bm25s

        from rag.evidence import terms

        bm25 = bm25s.BM25()
        bm25.index([bm25_terms(t) or ["_"] for t in texts], show_progress=False)
        doc_freq = Counter(t for text in texts for t in set(terms(text)))
        found = _LEXICAL[fingerprint] = LexicalIndex(bm25, doc_freq, len(texts))
        for stale in list(_LEXICAL)[:-_LEXICAL_KEEP]:
            _LEXICAL.pop(stale, None)
    return found


def bm25_ranking(
    question: str, collection: Any, depth: int
) -> tuple[list[str], dict[str, Any], LexicalIndex]:
    """Chunk ids ranked by BM25, every chunk's (text, metadata) by id, and the lexical index
    (its document frequencies weight the sentence scores)."""
    got = collection.get(include=["documents", "metadatas"])
    ids, texts = tuple(got["ids"]), tuple(got["documents"])
    chunks = {i: (t, m) for i, t, m in zip(ids, texts, got["metadatas"], strict=True)}
    index = lexical_index(ids, texts)
    query = [t for t in bm25_terms(question) if t in index.bm25.vocab_dict]
    if not query:
        return [], chunks, index
    found, scores = index.bm25.retrieve([query], k=min(depth, len(ids)), show_progress=False)
    ranked = [ids[int(i)] for i, score in zip(found[0], scores[0], strict=True) if score > 0]
    return ranked, chunks, index


def fuse(rankings: list[list[str]]) -> list[tuple[str, float]]:
    """Reciprocal-rank fusion: ids by descending sum of 1 / (RRF_K + rank)."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, chunk_id in enumerate(ranking, start=1):
            scores[chunk_id] = scores.get(chunk_id, 0.0) + 1.0 / (RRF_K + rank)
    return sorted(scores.items(), key=lambda kv: -kv[1])


# A chunk whose sentences are mostly in a better-ranked chunk adds nothing the user or the
# model has not seen (two seed articles share whole paragraphs; overlapping chunks repeat).
DUPLICATE_SHARE = 0.6


def collapse_duplicates(ranked: list[str], texts: dict[str, str]) -> list[str]:
    """``ranked`` without near-duplicates of better-ranked chunks (order kept)."""
    from rag.evidence import split_sentences

    kept: list[str] = []
    seen: set[str] = set()
    for cid in ranked:
        sentences = set(split_sentences(texts[cid]))
        if sentences and len(sentences & seen) / len(sentences) >= DUPLICATE_SHARE:
            continue
        kept.append(cid)
        seen |= sentences
    return kept


def rrf_hybrid(question: str, collection: Any, settings: Settings, top_k: int) -> list[Any]:
    """Dense + BM25 fused by reciprocal rank, as llama-index ``NodeWithScore``s."""
    depth = max(FUSION_DEPTH, top_k)
    dense = dense_retriever(collection, settings, depth).retrieve(question)
    lexical, chunks, _ = bm25_ranking(question, collection, depth)
    fused = fuse([[hit.node.node_id for hit in dense], lexical])[:top_k]
    return [_node(cid, chunks, score) for cid, score in fused if cid in chunks]


def _node(cid: str, chunks: dict[str, Any], score: float) -> Any:
    """A chunk read from Chroma as a llama-index ``NodeWithScore`` (what ``to_passages`` takes)."""
    from llama_index.core.schema import NodeWithScore, TextNode

    text, metadata = chunks[cid]
    return NodeWithScore(node=TextNode(id_=cid, text=text, metadata=metadata), score=score)


# Weight of the whole chunk's cosine next to its best sentence's score (swept 0-0.3 on gold
# and two SQuAD samples; 0.2 was best on SQuAD hit@1 without losing gold hit@5).
CHUNK_WEIGHT = 0.2


def hybrid(question: str, collection: Any, settings: Settings, top_k: int) -> list[Any]:
    """Dense and BM25 candidates, ranked by best sentence + CHUNK_WEIGHT × chunk cosine."""
    import numpy as np
    from llama_index.core.schema import QueryBundle

    from rag.embedding import query_vector
    from rag.evidence import idf_weights, split_sentences
    from rag.sentences import SentenceScorer, sentence_vectors

    depth = max(FUSION_DEPTH, top_k)
    question_vector = query_vector(settings, question)
    bundle = QueryBundle(query_str=question, embedding=question_vector.tolist())
    dense = dense_retriever(collection, settings, depth).retrieve(bundle)
    lexical, chunks, index = bm25_ranking(question, collection, depth)
    candidates = [
        c for c in dict.fromkeys([h.node.node_id for h in dense] + lexical) if c in chunks
    ]
    if not candidates:
        return []
    got = collection.get(ids=candidates, include=["embeddings"])
    chunk_cos = {
        cid: float(np.asarray(vec, np.float32) @ question_vector)
        for cid, vec in zip(got["ids"], got["embeddings"], strict=True)
    }
    scorer = SentenceScorer(
        question_vector,
        idf_weights(question, index.doc_freq, index.n_chunks),
        sentence_vectors(settings),
    )
    scored = {
        cid: scorer.best(split_sentences(chunks[cid][0])) + CHUNK_WEIGHT * chunk_cos.get(cid, 0.0)
        for cid in candidates
    }
    ranked = sorted(candidates, key=lambda cid: -scored[cid])
    best = collapse_duplicates(ranked, {cid: chunks[cid][0] for cid in ranked})[:top_k]
    return [_node(cid, chunks, round(scored[cid], 6)) for cid in best]


def retrieve(question: str, collection: Any, settings: Settings, top_k: int) -> list[Passage]:
    if top_k <= 0 or collection.count() == 0:
        return []
    if settings.retrieval == "hybrid":
        return to_passages(hybrid(question, collection, settings, top_k))
    if settings.retrieval == "rrf":
        return to_passages(rrf_hybrid(question, collection, settings, top_k))
    return to_passages(dense_retriever(collection, settings, top_k).retrieve(question))


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
