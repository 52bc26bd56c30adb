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

# Texts handed to the ONNX embedder per call (it encodes each alone, so memory stays that of
# one text: ONNX Runtime keeps its largest pass, ~450 MB for 32 texts of 256 tokens at once).
ONNX_BATCH = 8

if TYPE_CHECKING:
    from llama_index.core.base.embeddings.base import BaseEmbedding


def embedder_for(settings: Settings) -> BaseEmbedding:
    """The configured embedder (cached per process)."""
    return get_embedder(
        settings.resolved_embed_model(),
        settings.embed_device,
        settings.embed_batch_size,
        settings.embed_backend,
        settings.model_cache_dir,
    )


@lru_cache(maxsize=4)
def get_embedder(
    model: str,
    device: str = "cpu",
    batch_size: int = 32,
    backend: str = "torch",
    cache_dir: Path | None = None,
) -> BaseEmbedding:
    """The llama-index embedding model: sentence-transformers on torch, or the same model
    exported to ONNX Runtime (``rag.embedding_onnx``); cached per model and backend."""
    apply_offline_env()
    if backend in ("onnx", "onnx-int8"):
        from rag.embedding_onnx import OnnxEmbedding, ensure_onnx
        from rag.modelfiles import default_cache_dir

        onnx_file = ensure_onnx(
            Path(model), cache_dir or default_cache_dir(), backend == "onnx-int8"
        )
        # Each text is encoded alone (``OnnxEmbedding.encode``); the batch size only sets how
        # many texts ingest hands over between its checks for a cancel.
        batch = min(batch_size, ONNX_BATCH)
        return OnnxEmbedding(Path(model), onnx_file, max_tokens(model) + 2, batch)
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

    return HuggingFaceEmbedding(
        model_name=model, device=device, embed_batch_size=batch_size, normalize=True
    )


def embedding_key(settings: Settings) -> str:
    """Names the vectors these settings make: the model and, unless torch, the backend (int8
    vectors differ slightly, so caches and content hashes must not mix them)."""
    name = Path(settings.resolved_embed_model()).name
    if settings.embed_backend == "torch":
        return name
    # ":alone": int8 vectors made one text at a time (``OnnxEmbedding.encode``) differ from
    # those made in batches before; stored ones are made again, never mixed with them.
    alone = ":alone" if settings.embed_backend == "onnx-int8" else ""
    return f"{name}:{settings.embed_backend}{alone}"


def query_text(question: str) -> str:
    """What is embedded for a question: the same however it was typed at its end and in its
    apostrophes ("Syria's record?" and "syria’s record" — the model is uncased), so that a
    casual twin of a question gets its vector, and its passages."""
    return " ".join(question.replace("'", "’").split()).rstrip(" ?!.")


def query_vector(settings: Settings, question: str) -> np.ndarray:
    """The question's MiniLM vector (cached: retrieval and the answer path both need it)."""
    vector = _query_vector(
        settings.resolved_embed_model(),
        settings.embed_device,
        settings.embed_batch_size,
        settings.embed_backend,
        settings.model_cache_dir,
        query_text(question),
    )
    return np.asarray(vector, dtype=np.float32)


@lru_cache(maxsize=256)
def _query_vector(
    model: str, device: str, batch_size: int, backend: str, cache_dir: Path | None, question: str
) -> tuple[float, ...]:
    embedder = get_embedder(model, device, batch_size, backend, cache_dir)
    return tuple(embedder.get_query_embedding(question))


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
