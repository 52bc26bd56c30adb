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
from collections.abc import Generator as PyGenerator
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from rag.compose import (
    asks_why,
    clean_phrase,
    compose,
    ground,
    plan,
    says_none,
)
from rag.config import Settings
from rag.prompts import NOT_FOUND, short_answer_messages
from rag.schemas import ChatTurn, Passage
from rag.sentences import sentence_score_fn


class GeneratorUnavailable(RuntimeError):
    """The configured generator cannot run (e.g. its model file is missing)."""


class Generator(Protocol):
    name: str

    def stream(
        self, question: str, passages: list[Passage], history: list[ChatTurn] | None = None
    ) -> Iterator[str | Final]:
        """Yield the answer text piece by piece, optionally ending with a ``Final``."""
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


@dataclass(frozen=True)
class Final:
    """A generator's last word: the answer text to keep (it replaces what was streamed, e.g.
    when a streamed phrase failed its checks) and the short answer, if there is one."""

    text: str
    short: str | None = None


class ChatGenerator:
    """An LLM behind a chat-completion call names the answer; ``rag.compose`` grounds it.

    Streams the model's phrase as it comes (after a few characters, so a "none" is never
    shown), then the sentence that holds it. Subclasses only say how to stream a completion.
    """

    name = "chat"

    def __init__(self, settings: Settings):
        self.settings = settings

    def complete(self, messages: list[dict[str, str]], max_tokens: int) -> PyGenerator[str]:
        raise NotImplementedError

    def stream(
        self, question: str, passages: list[Passage], history: list[ChatTurn] | None = None
    ) -> Iterator[str | Final]:
        p = plan(question, passages, sentence_score_fn(self.settings))
        if not p.offered:
            yield Final(NOT_FOUND)
            return
        messages = short_answer_messages(question, [e.text for e in p.offered])
        said, shown = "", False
        with closing(self.complete(messages, SHORT_ANSWER_TOKENS)) as pieces:
            for piece in pieces:
                said += piece
                if shown:
                    yield piece
                elif says_none(said.strip()):
                    break
                elif len(said.strip()) >= 6:
                    shown = True
                    yield said.lstrip()
        phrase: str | None = clean_phrase(said)
        chosen = ground(phrase or "", p)
        typed_miss = p.kind != "any" and not says_none(phrase or "") and not p.offered[0].widened
        if chosen is None and (asks_why(question) or typed_miss):
            # The offered sentences passed the checks that matter (a value of the asked-for
            # kind in a sentence about the question), but the phrase did not: the model
            # miscopied a number, or "why" had no phrase to copy and the model said "none".
            # Answer with the best sentence itself — unless its value came from a neighbour
            # sentence, which may be about something else.
            chosen, phrase = p.offered[0], None
        if chosen is None:
            yield Final(NOT_FOUND)
            return
        text = compose(phrase, chosen, p)
        if not shown:
            yield text
        else:
            head = said.strip()
            yield text[len(head) :] if text.lower().startswith(head.lower()) else ""
        yield Final(text, short=phrase)


# The phrase is short; a cap keeps a rambling model from holding the lock.
SHORT_ANSWER_TOKENS = 32


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

    def complete(self, messages: list[dict[str, str]], max_tokens: int) -> PyGenerator[str]:
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

    def complete(self, messages: list[dict[str, str]], max_tokens: int) -> PyGenerator[str]:
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


class ExtractiveGenerator:
    """No LLM: the best offered sentence of the asked-for kind, verbatim, with its marker."""

    name = "extractive"

    def __init__(self, settings: Settings):
        self.settings = settings

    def stream(
        self, question: str, passages: list[Passage], history: list[ChatTurn] | None = None
    ) -> Iterator[str | Final]:
        p = plan(question, passages, sentence_score_fn(self.settings))
        if not p.offered or (p.offered[0].score <= 0 and not p.offered[0].byline):
            yield Final(NOT_FOUND)
            return
        text = compose(None, p.offered[0], p)
        yield text
        yield Final(text)


class NoGenerator:
    name = "none"

    def stream(
        self, question: str, passages: list[Passage], history: list[ChatTurn] | None = None
    ) -> Iterator[str | Final]:
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
