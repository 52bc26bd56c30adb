"""ui.chat: a question becomes a streamed, then verified, cited answer (handlers, no browser)."""

from __future__ import annotations

from pathlib import Path

from rag.config import Scope, Settings
from rag.service import RagService
from tests.conftest import TARGET_QUESTION, make_settings
from ui import chat, conversations, render


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
    final_chat, sources, turns, conversation_id, turn_ids = steps[-1]
    assert final_chat[-1]["content"].startswith('<div class="rag-answer">')
    assert "rag-cite" in final_chat[-1]["content"] and "<mark>" in sources
    assert turns[0] == {"role": "user", "content": TARGET_QUESTION}
    assert "<" not in turns[1]["content"] and "[1]" in turns[1]["content"]  # plain, for history
    assert conversation_id and len(turn_ids) == 1 and turn_ids[0]


def test_a_stored_conversation_reopens_and_takes_ratings(seeded_dir: Path, tmp_path: Path) -> None:
    service = RagService(make_settings(seeded_dir, conversations_db=tmp_path / "c.sqlite"))
    _, shown, question = chat.ask(TARGET_QUESTION, [])
    *_, (live_chat, _, _, cid, ids) = chat.answer(service, question, shown, [], None, 4, None)
    _, shown, question = chat.ask("and who published it first?", live_chat)
    *_, (live_chat, live_sources, _, again, ids) = chat.answer(
        service, question, shown, [], None, 4, None, cid, ids
    )
    assert again == cid and len(ids) == 2
    assert [c for _, c in conversations.choices(service, "")] == [cid]

    # A reload: the page shows what it showed, from the store alone.
    messages, said, sources, stored_ids = conversations.shown(conversations.find(service, cid, ""))
    assert messages == live_chat and sources == live_sources and stored_ids == ids
    assert [t["content"] for t in said][::2] == [TARGET_QUESTION, "and who published it first?"]

    assert "marked not helpful" in conversations.rate(service, ids, 3, False, "", "vague", "JISS")
    assert conversations.rate(service, ids, 3, None, "") == ""  # a rating taken back
    turn = service.conversation(cid).turns[1]
    assert turn.feedback is not None and turn.feedback.rating == "down"
    assert turn.feedback.correct_answer == "JISS" and turn.feedback.note == "vague"
    assert "cannot be rated" in conversations.rate(service, [None], 1, True, "")

    assert "Renamed" in conversations.rename(service, cid, "Furlan", "")
    assert "Deleted “Furlan” &#40;2 turns&#41;" in conversations.delete(service, cid, "")
    assert conversations.find(service, cid, "") is None
    assert conversations.shown(None)[0] == []


def test_answer_reports_errors_in_the_chat(seeded_settings: Settings) -> None:
    service = RagService(seeded_settings)
    *_, (shown, _, turns, _, ids) = chat.answer(
        service, "Q?", [], [], "no-such-collection", 4, None
    )
    assert (
        'class="rag-error"' in shown[-1]["content"] and "unknown collection" in shown[-1]["content"]
    )
    assert turns == [] and ids == [None]


def test_stop_closes_the_answer_and_stores_nothing(seeded_dir: Path, tmp_path: Path) -> None:
    """Stop asked while the answer streams: the stream is closed at the next event (the
    model's turn is freed), the reply says it stopped, and no turn is stored."""
    service = RagService(make_settings(seeded_dir, conversations_db=tmp_path / "c.sqlite"))
    stops = chat.Stops()
    _, shown, question = chat.ask(TARGET_QUESTION, [])
    steps = []
    for step in chat.answer(
        service, question, shown, [], None, 4, None, stop=lambda: stops.asked("s")
    ):
        steps.append(step)
        stops.ask("s")  # the user clicks Stop after the first update
    last_chat, sources, turns, _, ids = steps[-1]
    assert chat.STOPPED in last_chat[-1]["content"] and "rag-answer" not in last_chat[-1]["content"]
    assert turns == [] and ids == [] and sources == render.SOURCES_INTRO
    assert conversations.choices(service, "") == []  # nothing stored
    stops.clear("s")
    *_, (done_chat, _, _, cid, ids) = chat.answer(
        service, question, shown, [], None, 4, None, stop=lambda: stops.asked("s")
    )
    assert "rag-cite" in done_chat[-1]["content"] and cid and len(ids) == 1


def test_a_scoped_user_asks_only_in_their_collections(seeded_dir: Path, tmp_path: Path) -> None:
    """A user whose key may use team-a only: another collection, or the default one, is
    refused before anything is searched; a conversation about team-b (asked when the key
    still could) is not listed nor reopened."""
    service = RagService(make_settings(seeded_dir, conversations_db=tmp_path / "c.sqlite"))
    team_a = Scope(frozenset({"team-a"}))
    _, shown, question = chat.ask(TARGET_QUESTION, [])
    for collection in (None, "default", "team-b"):
        *_, (refused, sources, turns, cid, ids) = chat.answer(
            service, question, shown, [], collection, 4, None, scope=team_a
        )
        assert 'class="rag-error"' in refused[-1]["content"]
        assert "may not use" in refused[-1]["content"] and "team-a" not in refused[-1]["content"]
        assert sources == render.SOURCES_INTRO and turns == [] and cid is None and ids == [None]
    assert conversations.choices(service, "") == []  # nothing was asked, nothing stored

    *_, (_, _, _, cid, _) = chat.answer(service, question, shown, [], None, 4, None)
    assert cid and conversations.find(service, cid, "") is not None
    assert conversations.find(service, cid, "", team_a) is None
    assert conversations.choices(service, "", team_a) == []
    assert [c for _, c in conversations.choices(service, "", Scope(frozenset({"default"})))] == [
        cid
    ]
