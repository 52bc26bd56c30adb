"""Streaming answers (server-sent events) and the OpenAI-compatible chat endpoint, in-process
over the real seeded store with the extractive generator. The real ``openai`` client against a
real server is in test_api_served.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from rag.answer.pipeline import Gathered
from rag.api import create_app
from rag.errors import GeneratorUnavailable
from rag.schemas import ChatTurn
from rag.service import RagService
from tests.api_support import parse_sse
from tests.conftest import TARGET_QUESTION, make_settings


@pytest.fixture
def client(seeded_dir: Path) -> Iterator[TestClient]:
    with TestClient(create_app(make_settings(seeded_dir), mount_ui=False)) as test_client:
        yield test_client


def ask(client: TestClient, **body: object) -> list[tuple[str, Any]]:
    response = client.post("/v1/query", json={"question": TARGET_QUESTION, **body})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/event-stream")
    return parse_sse(response.text)


def test_stream_sends_passages_then_tokens_then_the_final_answer(client: TestClient) -> None:
    events = ask(client, stream=True, top_k=4)
    names = [name for name, _ in events]
    assert names[0] == "passages" and names[-1] == "done"
    assert set(names[1:-1]) == {"token"}, names
    passages = events[0][1]
    assert isinstance(passages, dict)
    assert [p["id"] for p in passages["passages"]] == [1, 2, 3, 4]
    done = events[-1][1]
    assert isinstance(done, dict)
    # The final event is exactly the contract's object, the same the non-streaming call gives.
    plain = client.post("/v1/query", json={"question": TARGET_QUESTION, "top_k": 4}).json()
    assert set(done) == set(plain)
    assert done["answer"] == plain["answer"] and done["citations"] == plain["citations"]
    assert done["passages"] == passages["passages"]
    streamed = "".join(str(data["text"]) for name, data in events if name == "token")
    assert streamed.strip() and done["answer"]


def test_stream_of_retrieval_only_has_no_tokens(client: TestClient) -> None:
    events = ask(client, stream=True, generate=False)
    assert [name for name, _ in events] == ["passages", "done"]
    assert events[-1][1]["answer"] == ""


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"question": "x", "collection": "no-such-collection"}, 404),
        ({"question": "x" * 5000}, 413),
        ({"question": "  "}, 422),
        ({"question": "x", "top_k": 0}, 422),
        ({"question": "x", "collection": "a/b"}, 422),
        ({"question": "x", "generator": "openai"}, 422),  # no RAG_LLM_BASE_URL here
    ],
)
def test_stream_errors_come_as_json_before_the_stream(
    client: TestClient, body: dict, status: int
) -> None:
    response = client.post("/v1/query", json={**body, "stream": True})
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.json()["error"]["message"]


class FailingGenerator:
    """A real generator whose model goes away after the first words."""

    name = "failing"

    def stream(
        self, question: str, found: Gathered, history: list[ChatTurn] | None = None
    ) -> Iterator[str]:
        yield "Half an answer"
        raise GeneratorUnavailable("the model server went away")


def test_a_failure_mid_stream_ends_with_an_error_event(seeded_dir: Path) -> None:
    settings = make_settings(seeded_dir)
    service = RagService(settings, generator=FailingGenerator())
    with TestClient(create_app(settings, service, mount_ui=False)) as client:
        events = ask(client, stream=True)
        assert [name for name, _ in events] == ["passages", "token", "error"]
        assert events[-1][1] == {
            "error": {"message": "the model server went away", "type": "generator_unavailable"}
        }
        # Not streaming, the same failure is a plain 503.
        response = client.post("/v1/query", json={"question": TARGET_QUESTION})
        assert response.status_code == 503


# --- OpenAI-compatible chat ---------------------------------------------------------------
def chat(client: TestClient, **body: object) -> Any:
    return client.post(
        "/v1/chat/completions",
        json={"model": "rag", "messages": [{"role": "user", "content": TARGET_QUESTION}], **body},
    )


def test_chat_completion_carries_the_answer_and_its_citations(client: TestClient) -> None:
    body = chat(client).json()
    assert body["object"] == "chat.completion" and body["model"] == "rag"
    message = body["choices"][0]["message"]
    assert message["role"] == "assistant" and body["choices"][0]["finish_reason"] == "stop"
    assert body["citations"] and body["abstained"] is False
    for citation in body["citations"]:
        assert f"[{citation['id']}]" in message["content"]
        assert set(citation) >= {"id", "source", "chunk_id", "text", "start", "end", "score"}


def test_chat_uses_the_last_user_message_and_the_history(client: TestClient) -> None:
    messages = [
        {"role": "system", "content": "You are helpful."},
        {"role": "user", "content": "Tell me about Assad's trip to Tehran."},
        {"role": "assistant", "content": "He met Khamenei in May 2022 [1]."},
        {"role": "user", "content": [{"type": "text", "text": TARGET_QUESTION}]},
    ]
    response = client.post("/v1/chat/completions", json={"model": "rag", "messages": messages})
    assert response.status_code == 200, response.text
    assert response.json()["citations"]


def test_chat_stream_sends_deltas_and_citations_once(client: TestClient) -> None:
    response = chat(client, stream=True)
    assert response.headers["content-type"].startswith("text/event-stream")
    events = parse_sse(response.text)
    assert events[-1] == ("message", "[DONE]")
    chunks = [data for _, data in events[:-1]]
    assert all(c["object"] == "chat.completion.chunk" for c in chunks)
    assert len({c["id"] for c in chunks}) == 1
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    with_citations = [c for c in chunks if "citations" in c]
    assert with_citations == [chunks[-1]], "citations must ride once, in the final chunk"
    final = chunks[-1]
    assert final["choices"][0]["finish_reason"] == "stop"
    assert final["citations"] and final["abstained"] is False
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks)
    assert text.strip()
    for citation in final["citations"]:
        assert f"[{citation['id']}]" in final["answer"]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"messages": []}, 422),
        ({"messages": [{"role": "system", "content": "only a system prompt"}]}, 422),
        ({"messages": [{"role": "wizard", "content": "hi"}]}, 422),
        ({"messages": [{"role": "user", "content": ""}]}, 422),
        ({"messages": [{"role": "user", "content": 7}]}, 422),
        ({"messages": "hello"}, 422),
        ({"messages": [{"role": "user", "content": "x"}], "n": 2}, 422),
        ({"messages": [{"role": "user", "content": "x"}], "collection": "nope-nope"}, 404),
        ({"messages": [{"role": "user", "content": "x"}], "top_k": 99}, 422),
        ({"messages": [{"role": "user", "content": "x" * 5000}]}, 413),
    ],
)
def test_chat_bad_input_gets_a_json_4xx(client: TestClient, body: dict, status: int) -> None:
    for stream in (False, True):
        response = client.post("/v1/chat/completions", json={**body, "stream": stream})
        assert response.status_code == status, response.text
        assert response.json()["error"]["message"]


def test_models_are_listed(client: TestClient) -> None:
    body = client.get("/v1/models").json()
    ids = [m["id"] for m in body["data"]]
    assert body["object"] == "list" and "rag" in ids and "extractive" in ids
    assert client.get("/v1/models/rag").json()["id"] == "rag"
    assert client.get("/v1/models/gpt-9").status_code == 404
