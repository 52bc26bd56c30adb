"""ui.chat: a question becomes a streamed, then verified, cited answer (handlers, no browser)."""

from __future__ import annotations

from pathlib import Path

from rag.config import Settings
from rag.service import RagService
from tests.conftest import TARGET_QUESTION, make_settings
from ui import chat


def test_request_carries_history_and_settings(settings: Settings) -> None:
    service = RagService(settings)  # extractive
    turns = [{"role": "user", "content": "Q1"}, {"role": "assistant", "content": "A1 [1]."}]
    request = chat.build_request(service, "And then?", turns, "other", 6.0, "extractive")
    assert [t.content for t in request.history] == ["Q1", "A1 [1]."]
    assert (request.collection, request.top_k, request.generator) == ("other", 6, None)
    assert chat.build_request(service, "Q", [], None, 4, "llama_cpp").generator == "llama_cpp"


def test_openai_is_offered_only_when_configured(tmp_path: Path) -> None:
    plain = RagService(make_settings(tmp_path))
    assert [v for _, v in chat.generator_choices(plain)] == ["llama_cpp", "extractive"]
    wired = RagService(make_settings(tmp_path, llm_base_url="http://127.0.0.1:9/v1"))
    assert "openai" in [v for _, v in chat.generator_choices(wired)]


def test_answer_streams_then_shows_the_verified_answer(seeded_settings: Settings) -> None:
    service = RagService(seeded_settings)
    box, shown, question = chat.ask(f"  {TARGET_QUESTION}  ", [])
    assert box == "" and question == TARGET_QUESTION and len(shown) == 1
    steps = list(chat.answer(service, question, shown, [], None, 4, None))
    kinds = [step[0][-1]["content"].split('"')[1] for step in steps]
    assert kinds[0] == "rag-status rag-streaming" and "rag-answer rag-streaming" in kinds
    final_chat, sources, turns = steps[-1]
    assert final_chat[-1]["content"].startswith('<div class="rag-answer">')
    assert "rag-cite" in final_chat[-1]["content"] and "<mark>" in sources
    assert turns[0] == {"role": "user", "content": TARGET_QUESTION}
    assert "<" not in turns[1]["content"] and "[1]" in turns[1]["content"]  # plain, for history


def test_answer_reports_errors_in_the_chat(seeded_settings: Settings) -> None:
    service = RagService(seeded_settings)
    *_, (shown, _, turns) = chat.answer(service, "Q?", [], [], "no-such-collection", 4, None)
    assert (
        'class="rag-error"' in shown[-1]["content"] and "unknown collection" in shown[-1]["content"]
    )
    assert turns == []
