"""The generators, in one registry that settings, ``/v1/models``, the API and the UI all read.

A generator is what reads the evidence (stage 4 of ``rag.answer.pipeline``):

- ``llama_cpp`` (default): the local GGUF names the answer (``LlamaCppModel``);
- ``openai``: any OpenAI-compatible server does (``OpenAIModel``), the scale-out path;
- ``extractive``: no model, the best sentence verbatim;
- ``none``: retrieval only.

Adding one means a ``GeneratorSpec`` here (and its name in ``rag.config.GeneratorName``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import get_args

from rag.answer.models import LlamaCppModel, OpenAIModel, TextModel
from rag.answer.pipeline import Draft, Gathered, Generator, already_said, draft
from rag.config import GeneratorName, SelectableGenerator, Settings
from rag.schemas import ChatTurn


def drawn(
    model: TextModel | None,
    question: str,
    found: Gathered,
    history: list[ChatTurn] | None,
    settings: Settings,
) -> Draft:
    """The answer drafted from what stage 2 gathered, without what the last answer said."""
    earlier = already_said(history)
    return draft(
        model,
        question,
        found.passages,
        settings,
        earlier,
        found.named,
        found.reach,
        found.part_named,
        found.shape,
    )


@dataclass
class ModelGenerator:
    """A model names the answer; the pipeline selects, composes and checks around it."""

    name: str
    settings: Settings
    model: TextModel

    def stream(
        self, question: str, found: Gathered, history: list[ChatTurn] | None = None
    ) -> Draft:
        return drawn(self.model, question, found, history, self.settings)


@dataclass
class ExtractiveGenerator:
    settings: Settings
    name: str = "extractive"

    def stream(
        self, question: str, found: Gathered, history: list[ChatTurn] | None = None
    ) -> Draft:
        return drawn(None, question, found, history, self.settings)


@dataclass
class NoGenerator:
    name: str = "none"

    def stream(
        self, question: str, found: Gathered, history: list[ChatTurn] | None = None
    ) -> Draft:
        return iter(())


@dataclass(frozen=True)
class GeneratorSpec:
    label: str
    build: Callable[[Settings], Generator]
    available: Callable[[Settings], bool]
    """Whether a request may pick it on this server (the configured one always may)."""


GENERATORS: dict[str, GeneratorSpec] = {
    "llama_cpp": GeneratorSpec(
        "Local model (llama.cpp)",
        lambda s: ModelGenerator("llama_cpp", s, LlamaCppModel(s)),
        lambda s: s.resolved_llm_path().exists(),
    ),
    "openai": GeneratorSpec(
        "OpenAI-compatible server",
        lambda s: ModelGenerator("openai", s, OpenAIModel(s)),
        lambda s: bool(s.llm_base_url),
    ),
    "extractive": GeneratorSpec(
        "Extractive (quotes passages, no LLM)", ExtractiveGenerator, lambda s: True
    ),
    "none": GeneratorSpec("Retrieval only", lambda s: NoGenerator(), lambda s: False),
}
assert list(GENERATORS) == list(get_args(GeneratorName)), "GeneratorName and GENERATORS differ"
SELECTABLE: tuple[str, ...] = get_args(SelectableGenerator)


def build_generator(settings: Settings, name: str | None = None) -> Generator:
    """The generator ``name`` (default: the configured one), built from these settings."""
    return GENERATORS[name or settings.generator].build(settings)


def label(name: str) -> str:
    spec = GENERATORS.get(name)
    return spec.label if spec else name
