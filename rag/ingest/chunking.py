"""Chunking: a clean document → llama-index ``TextNode``s sized in the embedder's own tokens.

all-MiniLM-L6-v2 silently drops everything past 256 word pieces, so chunk sizes are counted
with its tokenizer, not tiktoken (llama-index's default). Only the title is embedded with a
chunk's text: paths and hashes are noise to the embedder, and an author name in every chunk
of a document made them all look alike and pushed the best chunk out of the top 4.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from rag.config import Settings
from rag.embedding import embedding_key, get_token_counter
from rag.ingest.loaders import CleanDocument

# Bump when cleaning or chunking changes in a way that should re-ingest every document.
PIPELINE_VERSION = "6"  # 4: PDF chunks carry their pages; 5: the masthead; 6: the date

NOT_EMBEDDED = [
    "source",
    "doc_id",
    "doc_hash",
    "path",
    "kind",
    "start",
    "end",
    "chunk_index",
    "author",
    "published",
    "masthead",
    "page",
    "last_page",
]


def content_hash(data: bytes, settings: Settings) -> str:
    """Hash of the bytes and of every setting that shapes the chunks and vectors."""
    digest = hashlib.sha256(data)
    config = f"{PIPELINE_VERSION}|{settings.chunk_tokens}|{settings.chunk_overlap}|" + (
        embedding_key(settings)
    )
    digest.update(config.encode())
    return digest.hexdigest()


def make_nodes(
    doc: CleanDocument, doc_id: str, source: str, path: Path, doc_hash: str, settings: Settings
) -> list[Any]:
    """Chunk a clean document into ``TextNode``s with stable ids and source offsets."""
    from llama_index.core import Document
    from llama_index.core.node_parser import SentenceSplitter

    splitter = SentenceSplitter(
        chunk_size=settings.chunk_tokens,
        chunk_overlap=settings.chunk_overlap,
        tokenizer=get_token_counter(settings.resolved_embed_model()),
        paragraph_separator="\n\n",
        include_prev_next_rel=False,
    )
    document = Document(
        id_=doc_id,
        text=doc.text,
        metadata={
            "source": source,
            "title": doc.title,
            "author": doc.author,
            "published": doc.published,
            "masthead": doc.masthead,
            "doc_id": doc_id,
            "doc_hash": doc_hash,
            "path": str(path.resolve()),
            "kind": doc.kind,
        },
        excluded_embed_metadata_keys=list(NOT_EMBEDDED),
        excluded_llm_metadata_keys=[*NOT_EMBEDDED, "title"],
    )
    nodes: list[Any] = list(splitter.get_nodes_from_documents([document]))
    for index, node in enumerate(nodes):
        node.id_ = f"{doc_id}-{index:04d}"
        start = node.start_char_idx if node.start_char_idx is not None else 0
        end = node.end_char_idx if node.end_char_idx is not None else start + len(node.text)
        node.metadata["start"] = doc.source_offset(start)
        node.metadata["end"] = doc.source_offset(max(start, end - 1)) + 1
        node.metadata["chunk_index"] = index
        page, last = doc.page_at(node.metadata["start"]), doc.page_at(node.metadata["end"] - 1)
        if page is not None and last is not None:
            node.metadata["page"] = page  # where the passage starts ...
            node.metadata["last_page"] = last  # ... and ends: a chunk may run on to the next
        node.excluded_embed_metadata_keys = list(NOT_EMBEDDED)
        node.excluded_llm_metadata_keys = [*NOT_EMBEDDED, "title"]
    return nodes
