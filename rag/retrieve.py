"""Retrieval: question → the best passages of a collection, as contract ``Passage``s.

``dense``: MiniLM vectors through llama-index's ``VectorIndexRetriever`` over Chroma.
``hybrid`` (default): the dense ranking and a BM25 ranking (bm25s over the collection's chunk
texts) fused by reciprocal rank, so exact names and numbers that MiniLM blurs still surface.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
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


@lru_cache(maxsize=8)
def _bm25(fingerprint: str, ids: tuple[str, ...], texts: tuple[str, ...]) -> Any:
    """A BM25 index over chunk texts, cached by the collection's content fingerprint."""
    import bm25s

    index = bm25s.BM25()
    index.index([bm25_terms(t) or ["_"] for t in texts], show_progress=False)
    return index


def bm25_ranking(question: str, collection: Any, depth: int) -> tuple[list[str], dict[str, Any]]:
    """Chunk ids ranked by BM25, and every chunk's (text, metadata) by id."""
    got = collection.get(include=["documents", "metadatas"])
    ids, texts = tuple(got["ids"]), tuple(got["documents"])
    chunks = {i: (t, m) for i, t, m in zip(ids, texts, got["metadatas"], strict=True)}
    fingerprint = hashlib.sha1("\x1f".join(ids + texts).encode()).hexdigest()
    index = _bm25(fingerprint, ids, texts)
    query = [t for t in bm25_terms(question) if t in index.vocab_dict]
    if not query:
        return [], chunks
    found, scores = index.retrieve([query], k=min(depth, len(ids)), show_progress=False)
    ranked = [ids[int(i)] for i, score in zip(found[0], scores[0], strict=True) if score > 0]
    return ranked, chunks


def fuse(rankings: list[list[str]]) -> list[tuple[str, float]]:
    """Reciprocal-rank fusion: ids by descending sum of 1 / (RRF_K + rank)."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, chunk_id in enumerate(ranking, start=1):
            scores[chunk_id] = scores.get(chunk_id, 0.0) + 1.0 / (RRF_K + rank)
    return sorted(scores.items(), key=lambda kv: -kv[1])


def hybrid(question: str, collection: Any, settings: Settings, top_k: int) -> list[Any]:
    """Dense + BM25 fused by reciprocal rank, as llama-index ``NodeWithScore``s."""
    from llama_index.core.schema import NodeWithScore, TextNode

    depth = max(FUSION_DEPTH, top_k)
    dense = dense_retriever(collection, settings, depth).retrieve(question)
    lexical, chunks = bm25_ranking(question, collection, depth)
    fused = fuse([[hit.node.node_id for hit in dense], lexical])[:top_k]
    return [
        NodeWithScore(
            node=TextNode(id_=cid, text=chunks[cid][0], metadata=chunks[cid][1]), score=score
        )
        for cid, score in fused
        if cid in chunks
    ]


def retrieve(question: str, collection: Any, settings: Settings, top_k: int) -> list[Passage]:
    if top_k <= 0 or collection.count() == 0:
        return []
    if settings.retrieval == "hybrid":
        return to_passages(hybrid(question, collection, settings, top_k))
    return to_passages(dense_retriever(collection, settings, top_k).retrieve(question))


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
