"""Dense retrieval through llama-index (``VectorIndexRetriever`` over the Chroma collection),
and the one conversion of retrieved nodes into numbered contract ``Passage``s."""

from __future__ import annotations

from typing import Any

from rag.config import Settings
from rag.embedding import embedder_for
from rag.schemas import Passage
from rag.text.markers import neutralise_markup


def dense_retriever(collection: Any, settings: Settings, top_k: int) -> Any:
    """A llama-index ``VectorIndexRetriever`` over the Chroma collection (MiniLM vectors)."""
    from llama_index.core import VectorStoreIndex
    from llama_index.vector_stores.chroma import ChromaVectorStore

    index = VectorStoreIndex.from_vector_store(
        ChromaVectorStore(chroma_collection=collection), embed_model=embedder_for(settings)
    )
    return index.as_retriever(similarity_top_k=top_k)


def dense(question: str, collection: Any, settings: Settings, top_k: int) -> list[Any]:
    """The ``top_k`` chunks nearest to the question's vector."""
    return list(dense_retriever(collection, settings, top_k).retrieve(question))


def as_node(chunk_id: str, text: str, metadata: dict[str, Any], score: float) -> Any:
    """A chunk read from Chroma as a llama-index ``NodeWithScore`` (what ``to_passages`` takes)."""
    from llama_index.core.schema import NodeWithScore, TextNode

    return NodeWithScore(node=TextNode(id_=chunk_id, text=text, metadata=metadata), score=score)


def to_passages(nodes_with_scores: list[Any]) -> list[Passage]:
    """Number retrieved nodes 1..n (the n of the marker [n]) in rank order; bracketed numbers,
    Markdown images and links in their text are neutralised (``rag.text.markers``)."""
    passages = []
    for rank, hit in enumerate(nodes_with_scores, start=1):
        node, meta = hit.node, hit.node.metadata
        passages.append(
            Passage(
                id=rank,
                source=str(meta.get("source", "")),
                chunk_id=node.node_id,
                # A document's own "[7]" must not read as a citation (to the model or the user),
                # nor its Markdown image or link be fetched by a client that renders the answer.
                text=neutralise_markup(node.get_content(metadata_mode="none")),
                start=_int_or_none(meta.get("start")),
                end=_int_or_none(meta.get("end")),
                score=round(float(hit.score or 0.0), 6),
                title=str(meta.get("title") or "") or None,
                author=str(meta.get("author") or "") or None,
                published=str(meta.get("published") or "") or None,
                doc_id=str(meta.get("doc_id") or "") or None,
                doc_hash=str(meta.get("doc_hash") or "") or None,
                page=_int_or_none(meta.get("page")),
                last_page=_int_or_none(meta.get("last_page")),
            )
        )
    return passages


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
