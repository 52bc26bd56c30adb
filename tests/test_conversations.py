"""Stored conversations and feedback: the SQLite store, the service's use of it, the HTTP API
(conversations, feedback, owners by API key) and the export of rated answers as candidate
gold items — over a real store, embedder and the extractive generator."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from eval.feedback import export_feedback
from eval.gold import load_gold
from rag.api import create_app
from rag.config import Settings
from rag.errors import InvalidInput, UnknownConversation
from rag.schemas import FeedbackRequest, QueryRequest, QueryResponse, Timings
from rag.service import RagService
from rag.store.conversations import ConversationStore, owner_for_key, title_of
from tests.api_support import parse_sse
from tests.conftest import TARGET_QUESTION, make_settings

KHAJI = "Who did Iranian foreign ministry adviser Ali Asghar Khaji meet on his visit to Syria?"
FOLLOW_UP = "who else did he hold talks with there?"
PERU = "What is the capital of Peru?"


def stored_settings(seeded_dir: Path, tmp_path: Path, **overrides: object) -> Settings:
    """The shared seeded store, with a conversation file of this test's own."""
    return make_settings(
        seeded_dir, conversations_db=tmp_path / "conversations.sqlite", **overrides
    )


def answer(text: str) -> QueryResponse:
    return QueryResponse(
        answer=text, abstained=False, citations=[], passages=[], timings_ms=Timings()
    )


# --- the store ------------------------------------------------------------------------------
def test_store_keeps_turns_in_order_per_owner(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path / "c.sqlite")
    store.add_turn("a", "c1", "t1", "First question?", [], answer("One [1]."), {"top_k": 4})
    store.add_turn("a", "c1", "t2", "Second?", [], answer("Two [1]."), {})
    conversation = store.conversation("a", "c1")
    assert conversation.title == "First question?" and conversation.turn_count == 2
    assert [t.id for t in conversation.turns] == ["t1", "t2"]
    assert [t.position for t in conversation.turns] == [0, 1]
    assert conversation.turns[0].settings == {"top_k": 4}
    assert [t.content for t in store.history("a", "c1", 8, 4000)] == [
        "First question?",
        "One [1].",
        "Second?",
        "Two [1].",
    ]
    assert [t.content for t in store.history("a", "c1", 2, 3)] == ["Sec", "Two"]
    # Another owner sees nothing of it and can neither extend, rename, rate nor delete it.
    assert store.conversations("b") == []
    for call in (
        lambda: store.conversation("b", "c1"),
        lambda: store.rename("b", "c1", "mine"),
        lambda: store.delete("b", "c1"),
        lambda: store.add_turn("b", "c1", "t3", "Q?", [], answer("A"), {}),
        lambda: store.add_feedback("b", FeedbackRequest(turn_id="t1", rating="up")),
    ):
        with pytest.raises(UnknownConversation):
            call()
    assert store.conversation("a", "c1").turn_count == 2


def test_store_feedback_rename_delete_and_reopen(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    store = ConversationStore(path)
    store.add_turn("", "c1", "t1", "Q?", [], answer("A [1]."), {})
    store.add_feedback("", FeedbackRequest(turn_id="t1", rating="down", note="wrong"))
    store.add_feedback("", FeedbackRequest(turn_id="t1", rating="up"))  # the last one counts
    reopened = ConversationStore(path)  # another process, or after a restart
    turn = reopened.conversation("", "c1").turns[0]
    assert turn.feedback is not None and turn.feedback.rating == "up" and not turn.feedback.note
    assert [t.id for t in reopened.rated_turns()] == ["t1"]
    assert reopened.rename("", "c1", "Renamed").title == "Renamed"
    assert reopened.delete("", "c1") == 1
    assert reopened.conversations("") == [] and reopened.rated_turns() == []
    with pytest.raises(UnknownConversation):
        reopened.turn("", "t1")


def test_ui_user_names_stay_with_their_first_key(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path / "c.sqlite")
    alice, bob = owner_for_key("key-a"), owner_for_key("key-b")
    assert "key-a" not in alice and alice != bob
    assert store.claim_ui_user("ann", alice) and store.claim_ui_user("ann", alice)
    assert not store.claim_ui_user("ann", bob)  # another key cannot open ann's history
    assert store.ui_owner("ann") == alice and store.ui_owner("nobody") == ""


def test_titles_are_one_line_and_short() -> None:
    assert title_of("  What\nhappened?  ") == "What happened?"
    long = title_of("word " * 40)
    assert len(long) <= 81 and long.endswith("…") and not long.endswith(" …")


# --- the service ----------------------------------------------------------------------------
def test_answers_are_stored_and_a_conversation_id_brings_its_history(
    seeded_dir: Path, tmp_path: Path
) -> None:
    service = RagService(stored_settings(seeded_dir, tmp_path))
    first = service.query(QueryRequest(question=KHAJI))
    assert first.conversation_id and first.turn_id
    follow = service.query(QueryRequest(question=FOLLOW_UP, conversation_id=first.conversation_id))
    assert follow.conversation_id == first.conversation_id and follow.turn_id != first.turn_id
    assert "Khaji" in (follow.question or "")  # condensed with the stored turn
    stored = service.conversation(first.conversation_id)
    assert [t.question for t in stored.turns] == [KHAJI, FOLLOW_UP]
    second = stored.turns[1]
    assert [t.content for t in second.history] == [KHAJI, first.answer]
    assert second.response.answer == follow.answer
    assert second.response.passages and all(p.doc_hash for p in second.response.passages)
    assert second.settings["generator"] == "extractive"
    assert set(second.settings) >= {"collection", "top_k", "retrieval", "pipeline_version"}


def test_conversation_rules(seeded_dir: Path, tmp_path: Path) -> None:
    service = RagService(stored_settings(seeded_dir, tmp_path))
    with pytest.raises(UnknownConversation):
        service.query(QueryRequest(question="Who?", conversation_id="nope"))
    first = service.query(QueryRequest(question=KHAJI))
    with pytest.raises(InvalidInput, match="either history or conversation_id"):
        service.query(
            QueryRequest(
                question=FOLLOW_UP,
                conversation_id=first.conversation_id,
                history=[{"role": "user", "content": "Q"}],  # type: ignore[list-item]
            )
        )
    retrieval_only = service.query(QueryRequest(question=KHAJI, generate=False))
    assert retrieval_only.turn_id is None  # retrieval-only requests are not answers
    assert service.query(QueryRequest(question=KHAJI), record=False).turn_id is None
    assert [c.turn_count for c in service.list_conversations()] == [1]


def test_storing_can_be_switched_off(seeded_dir: Path, tmp_path: Path) -> None:
    service = RagService(stored_settings(seeded_dir, tmp_path, conversations=False))
    response = service.query(QueryRequest(question=KHAJI))
    assert response.answer and response.conversation_id is None and response.turn_id is None
    assert service.list_conversations() == []
    with pytest.raises(InvalidInput, match="not stored"):
        service.conversation("any")


# --- the HTTP API ---------------------------------------------------------------------------
@pytest.fixture
def client(seeded_dir: Path, tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(stored_settings(seeded_dir, tmp_path), mount_ui=False)) as c:
        yield c


def test_api_conversations_and_feedback(client: TestClient) -> None:
    first = client.post("/v1/query", json={"question": KHAJI}).json()
    cid, tid = first["conversation_id"], first["turn_id"]
    assert cid and tid
    follow = client.post("/v1/query", json={"question": FOLLOW_UP, "conversation_id": cid}).json()
    assert follow["conversation_id"] == cid
    listed = client.get("/v1/conversations").json()["conversations"]
    assert [(c["id"], c["turn_count"]) for c in listed] == [(cid, 2)]
    assert listed[0]["title"] == title_of(KHAJI) and KHAJI.startswith(listed[0]["title"][:-1])
    got = client.get(f"/v1/conversations/{cid}").json()
    assert [t["id"] for t in got["turns"]] == [tid, follow["turn_id"]]
    assert got["turns"][1]["response"]["question"] == follow["question"]
    assert got["turns"][0]["response"]["passages"][0]["text"] == first["passages"][0]["text"]

    rated = client.post(
        "/v1/feedback", json={"turn_id": tid, "rating": "down", "note": "incomplete"}
    )
    assert rated.status_code == 201 and rated.json()["rating"] == "down"
    turn = client.get(f"/v1/conversations/{cid}").json()["turns"][0]
    assert turn["feedback"] == {"rating": "down", "note": "incomplete", "correct_answer": None}
    for bad, status in (
        ({"turn_id": "nope", "rating": "up"}, 404),
        ({"turn_id": tid, "rating": "meh"}, 422),
        ({"rating": "up"}, 422),
    ):
        response = client.post("/v1/feedback", json=bad)
        assert response.status_code == status and response.json()["error"]["message"]

    renamed = client.patch(f"/v1/conversations/{cid}", json={"title": "Khaji's visit"})
    assert renamed.status_code == 200 and renamed.json()["title"] == "Khaji's visit"
    assert client.patch(f"/v1/conversations/{cid}", json={"title": "  "}).status_code == 422
    assert client.delete(f"/v1/conversations/{cid}").json() == {"id": cid, "turns_removed": 2}
    for method in ("get", "delete"):
        gone = getattr(client, method)(f"/v1/conversations/{cid}")
        assert gone.status_code == 404 and gone.json()["error"]["type"] == "unknown_conversation"
    unknown = client.post("/v1/query", json={"question": "Who?", "conversation_id": cid})
    assert unknown.status_code == 404


def test_streams_and_chat_completions_carry_the_ids(client: TestClient) -> None:
    streamed = client.post("/v1/query", json={"question": KHAJI, "stream": True})
    events = dict(parse_sse(streamed.text))
    cid = events["passages"]["conversation_id"]
    assert cid and events["done"]["conversation_id"] == cid
    assert events["done"]["turn_id"] == events["passages"]["turn_id"]
    chat = client.post(
        "/v1/chat/completions",
        json={
            "messages": [
                {"role": "user", "content": "ignored: the stored turns count"},
                {"role": "user", "content": FOLLOW_UP},
            ],
            "conversation_id": cid,
        },
    ).json()
    assert chat["conversation_id"] == cid and chat["turn_id"]
    chunks = client.post(
        "/v1/chat/completions",
        json={"messages": [{"role": "user", "content": KHAJI}], "stream": True},
    )
    last = [data for _, data in parse_sse(chunks.text) if data != "[DONE]"][-1]
    assert last["conversation_id"] and last["turn_id"]
    turns = client.get(f"/v1/conversations/{cid}").json()["turns"]
    assert [t["question"] for t in turns] == [KHAJI, FOLLOW_UP]
    assert "Khaji" in turns[1]["response"]["question"]


def test_each_key_sees_only_its_own_conversations(seeded_dir: Path, tmp_path: Path) -> None:
    settings = stored_settings(seeded_dir, tmp_path, api_keys="key-a,key-b")
    with TestClient(create_app(settings, mount_ui=False)) as client:
        a = {"Authorization": "Bearer key-a"}
        b = {"Authorization": "Bearer key-b"}
        mine = client.post("/v1/query", json={"question": KHAJI}, headers=a).json()
        cid, tid = mine["conversation_id"], mine["turn_id"]
        assert client.get("/v1/conversations", headers=b).json() == {"conversations": []}
        assert client.get(f"/v1/conversations/{cid}", headers=b).status_code == 404
        assert client.delete(f"/v1/conversations/{cid}", headers=b).status_code == 404
        taken = client.post(
            "/v1/query", json={"question": FOLLOW_UP, "conversation_id": cid}, headers=b
        )
        assert taken.status_code == 404
        rated = client.post("/v1/feedback", json={"turn_id": tid, "rating": "up"}, headers=b)
        assert rated.status_code == 404
        assert client.get("/v1/conversations").status_code == 401
        assert client.get(f"/v1/conversations/{cid}", headers=a).json()["turn_count"] == 1
    store_text = (tmp_path / "conversations.sqlite").read_bytes()
    assert b"key-a" not in store_text  # only a fingerprint of the key is stored


def test_conversations_survive_a_restart(seeded_dir: Path, tmp_path: Path) -> None:
    settings = stored_settings(seeded_dir, tmp_path)
    with TestClient(create_app(settings, mount_ui=False)) as client:
        cid = client.post("/v1/query", json={"question": KHAJI}).json()["conversation_id"]
    with TestClient(create_app(settings, mount_ui=False)) as client:
        again = client.post("/v1/query", json={"question": FOLLOW_UP, "conversation_id": cid})
        assert again.status_code == 200
        assert client.get(f"/v1/conversations/{cid}").json()["turn_count"] == 2


# --- rated answers as candidate gold items --------------------------------------------------
def test_rated_answers_export_as_candidate_gold_items(seeded_dir: Path, tmp_path: Path) -> None:
    service = RagService(stored_settings(seeded_dir, tmp_path))
    good = service.query(QueryRequest(question=TARGET_QUESTION))
    wrong = service.query(QueryRequest(question=KHAJI))
    follow = service.query(QueryRequest(question=FOLLOW_UP, conversation_id=wrong.conversation_id))
    unrated = service.query(QueryRequest(question="Who is Hussein Arnous?"))
    assert service.conversations is not None and not good.abstained
    abstention = answer("The documents do not say.").model_copy(update={"abstained": True})
    service.conversations.add_turn("", "c-peru", "t-peru", PERU, [], abstention, {})
    correction = "He met President Bashar Assad and Foreign Minister Faisal Mekdad."
    for turn_id, rating, fixed in (
        (good.turn_id, "up", None),
        ("t-peru", "up", None),
        (wrong.turn_id, "down", correction),
        (follow.turn_id, "down", None),
    ):
        assert turn_id
        service.feedback(FeedbackRequest(turn_id=turn_id, rating=rating, correct_answer=fixed))  # type: ignore[arg-type]
    out = tmp_path / "candidates.jsonl"
    assert export_feedback(service.conversations.rated_turns(), out) == 4
    items = {i.question: i for i in load_gold(out)}  # they parse as gold items
    assert unrated.turn_id and len(items) == 4

    ok = items[TARGET_QUESTION]
    assert ok.answerable and "Marta Furlan" in ok.answer and "[" not in ok.answer
    assert ok.sources == ["001_f4cdcd2d35e961d2.txt"]
    assert ok.evidence and all(q in " ".join(p.text for p in good.passages) for q in ok.evidence)
    assert not items[PERU].answerable and items[PERU].type == "unanswerable"
    fixed_item = items[KHAJI]
    assert fixed_item.answer == correction and fixed_item.evidence
    assert items[FOLLOW_UP].type == "multi-turn" and items[FOLLOW_UP].history
    raw = [json.loads(line) for line in out.read_text().splitlines()]
    assert {r["feedback"]["rating"] for r in raw} == {"up", "down"}
    assert all(r["review"] and r["feedback"]["turn_id"] for r in raw)
