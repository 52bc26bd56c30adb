"""rag.answer.generators and rag.answer.models: the registry, the OpenAI-compatible model
against a real llama_cpp.server on loopback (SmolLM2: plumbing, not quality), and per-request
choice through the service."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import pytest

from rag.answer.generators import GENERATORS, SELECTABLE, build_generator, label
from rag.answer.models import OpenAIModel
from rag.config import GeneratorName, Settings
from rag.errors import GeneratorUnavailable, InvalidInput
from rag.schemas import DoneEvent, PassagesEvent, QueryRequest, TokenEvent
from rag.service import RagService
from tests.conftest import free_port, make_settings


@pytest.mark.integration
def test_openai_generator_answers_through_a_real_server(
    llm_server: str, seeded_settings: Settings
) -> None:
    settings = seeded_settings.model_copy(
        update={"generator": "openai", "llm_base_url": llm_server, "llm_max_tokens": 48}
    )
    service = RagService(settings)
    assert service.generator.name == "openai"
    events = list(service.stream_query(QueryRequest(question="Who is Masoud Pezeshkian?")))
    assert isinstance(events[0], PassagesEvent) and events[0].passages
    tokens = [e.text for e in events if isinstance(e, TokenEvent)]
    assert tokens, "the server streamed no text"
    final = events[-1]
    assert isinstance(final, DoneEvent)
    assert final.response.answer
    assert final.response.timings_ms.first_token is not None


def test_the_registry_names_every_generator_of_the_settings_once() -> None:
    assert list(GENERATORS) == list(get_args(GeneratorName))
    assert set(SELECTABLE) == set(GENERATORS) - {"none"}
    assert label("extractive").startswith("Extractive") and label("unknown") == "unknown"


def test_built_generators_carry_their_registry_name(settings: Settings) -> None:
    for name in ("llama_cpp", "extractive", "none"):
        assert build_generator(settings, name).name == name


def test_openai_model_needs_a_url(seeded_settings: Settings) -> None:
    with pytest.raises(GeneratorUnavailable, match="RAG_LLM_BASE_URL"):
        OpenAIModel(seeded_settings.model_copy(update={"generator": "openai"}))


def test_a_generator_unavailable_here_is_bad_input_for_a_request(
    seeded_settings: Settings,
) -> None:
    service = RagService(seeded_settings)  # no RAG_LLM_BASE_URL
    assert "openai" not in service.generator_names()
    with pytest.raises(InvalidInput, match="not available here"):
        service.query(QueryRequest(question="Who is Masoud Pezeshkian?", generator="openai"))


def test_unreachable_server_is_a_clear_error(seeded_settings: Settings) -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"  # nothing listens there
    settings = seeded_settings.model_copy(
        update={"generator": "openai", "llm_base_url": url, "llm_timeout": 5}
    )
    with pytest.raises(GeneratorUnavailable, match=r"127\.0\.0\.1"):
        RagService(settings).query(QueryRequest(question="Who is Masoud Pezeshkian?"))


def test_generator_can_be_chosen_per_request(seeded_dir) -> None:  # type: ignore[no-untyped-def]
    service = RagService(make_settings(seeded_dir, generator="none"))
    question = "Who is Masoud Pezeshkian?"
    assert service.query(QueryRequest(question=question)).answer == ""
    chosen = service.query(QueryRequest(question=question, generator="extractive"))
    assert chosen.answer and chosen.citations
    assert service.generator_for("extractive") is service.generator_for("extractive")


@pytest.mark.parametrize(
    "question",
    [
        "Who won the 1998 World Cup?",
        "what is the boiling point of tungsten",
        "Who painted the Mona Lisa?",
    ],
)
def test_a_question_the_collection_does_not_cover_is_not_answered(
    seeded_dir: Path, question: str
) -> None:
    """The extractive generator has no model to say "none": the off-topic floor abstains for
    it (and spares the model a call). An on-topic question still gets its answer."""
    service = RagService(make_settings(seeded_dir, generator="extractive"))
    off = service.query(QueryRequest(question=question))
    assert off.abstained and not off.citations, off.answer
    on = service.query(QueryRequest(question="Who is Masoud Pezeshkian?"))
    assert not on.abstained and on.citations
