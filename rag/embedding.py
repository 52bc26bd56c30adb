"""The embedder and its tokenizer, loaded once per process.

all-MiniLM-L6-v2 silently truncates input past 256 word pieces, so chunk sizes are counted
with this same tokenizer (not tiktoken, which llama-index uses by default).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from rag.config import Settings, apply_offline_env

if TYPE_CHECKING:
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding


def embedder_for(settings: Settings) -> HuggingFaceEmbedding:
    """The configured embedder (cached per process)."""
    return get_embedder(
        settings.resolved_embed_model(), settings.embed_device, settings.embed_batch_size
    )


@lru_cache(maxsize=4)
def get_embedder(model: str, device: str = "cpu", batch_size: int = 32) -> HuggingFaceEmbedding:
    """The llama-index embedding model over sentence-transformers (cached per model path)."""
    apply_offline_env()
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

    return HuggingFaceEmbedding(
        model_name=model, device=device, embed_batch_size=batch_size, normalize=True
    )


def query_vector(settings: Settings, question: str) -> np.ndarray:
    """The question's MiniLM vector (cached: retrieval and the answer path both need it)."""
    vector = _query_vector(
        settings.resolved_embed_model(), settings.embed_device, settings.embed_batch_size, question
    )
    return np.asarray(vector, dtype=np.float32)


@lru_cache(maxsize=256)
def _query_vector(model: str, device: str, batch_size: int, question: str) -> tuple[float, ...]:
    return tuple(get_embedder(model, device, batch_size).get_query_embedding(question))


@lru_cache(maxsize=4)
def get_token_counter(model: str) -> Callable[[str], list[int]]:
    """A ``text -> token ids`` function using the embedder's own tokenizer (no special tokens)."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(Path(model) / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()  # tokenizer.json ships with padding to 128 switched on

    def encode(text: str) -> list[int]:
        return tokenizer.encode(text, add_special_tokens=False).ids

    return encode


def max_tokens(model: str) -> int:
    """The model's maximum sequence length, minus the [CLS]/[SEP] special tokens."""
    config = Path(model) / "sentence_bert_config.json"
    if config.exists():
        return int(json.loads(config.read_text()).get("max_seq_length", 256)) - 2
    return 254
