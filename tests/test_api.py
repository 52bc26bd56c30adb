"""The HTTP API in-process (FastAPI TestClient) over a real store and embedder.

The extractive generator keeps these fast; the local model is exercised in
test_integration.py.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rag.api import create_app
from rag.service import RagService
from tests.api_support import SlowGenerator
from tests.conftest import TARGET_QUESTION, make_settings


@pytest.fixture
def client(seeded_dir: Path) -> Iterator[TestClient]:
    with TestClient(create_app(make_settings(seeded_dir))) as test_client:
        yield test_client


def test_healthz(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}


def test_query_matches_the_contract(client: TestClient) -> None:
    body = client.post("/v1/query", json={"question": TARGET_QUESTION, "top_k": 4}).json()
    assert set(body) >= {"answer", "abstained", "citations", "passages", "timings_ms"}
    assert len(body["passages"]) == 4
    assert body["passages"][0]["source"] == "001_f4cdcd2d35e961d2.txt"
    assert [p["id"] for p in body["passages"]] == [1, 2, 3, 4]
    for passage in body["passages"]:
        assert set(passage) >= {"id", "source", "chunk_id", "text", "start", "end", "score"}
    assert body["answer"] and not body["abstained"]
    cited = {c["id"] for c in body["citations"]}
    assert cited and cited <= {p["id"] for p in body["passages"]}
    for marker in cited:
        assert f"[{marker}]" in body["answer"]
    assert set(body["timings_ms"]) >= {"retrieve", "generate", "total"}
    assert body["timings_ms"]["first_token"] is not None


def test_retrieval_only(client: TestClient) -> None:
    body = client.post("/v1/query", json={"question": TARGET_QUESTION, "generate": False}).json()
    assert body["answer"] == "" and body["citations"] == [] and body["passages"]


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        ({"question": ""}, 422),
        ({"question": "   "}, 422),
        ({}, 422),
        ({"question": 42}, 422),
        ({"question": "x", "top_k": 0}, 422),
        ({"question": "x", "top_k": 10_000}, 422),
        ({"question": "x", "top_k": "5"}, 422),  # no coercion: a string is not a number
        ({"question": "x", "top_k": True}, 422),
        ({"question": "x", "top_k": 4.0}, 422),
        ({"question": "x", "history": [{"role": "system", "content": "hi"}]}, 422),
        ({"question": "x", "collection": "no-such-collection"}, 404),
        ({"question": "x", "collection": "../../etc"}, 422),
        ({"question": "x" * 5000}, 413),
    ],
)
def test_bad_input_gets_a_json_4xx(client: TestClient, payload: dict, status: int) -> None:
    response = client.post("/v1/query", json=payload)
    assert response.status_code == status, response.text
    assert response.json()["error"]["message"]


def test_an_unknown_collection_names_no_other(client: TestClient) -> None:
    # The data dir is shared with other test modules: the collection is removed again.
    assert client.post("/v1/collections", json={"name": "team-b-secret"}).status_code == 201
    try:
        response = client.post("/v1/query", json={"question": "x", "collection": "team-a"})
        assert response.status_code == 404
        message = response.json()["error"]["message"]
        assert "team-a" in message and "team-b-secret" not in message
        assert "default" not in message
    finally:
        client.delete("/v1/collections/team-b-secret")


def test_malformed_json_is_422(client: TestClient) -> None:
    response = client.post(
        "/v1/query", content=b'{"question": ', headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert "error" in response.json()


def test_ui_is_mounted_at_root(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert "<html" in response.text.lower()


def test_first_start_ingests_seeds_into_an_empty_store(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "fresh")
    with TestClient(create_app(settings, mount_ui=False)) as fresh:
        body = fresh.post("/v1/query", json={"question": TARGET_QUESTION, "generate": False}).json()
    assert body["passages"][0]["source"] == "001_f4cdcd2d35e961d2.txt"


def test_readiness_checks_the_store(client: TestClient) -> None:
    assert client.get("/readyz").json() == {"status": "ready"}


def test_not_ready_until_started(tmp_path: Path) -> None:
    """Before the startup (first-start seed ingest) has finished, both checks say 503."""
    app = create_app(make_settings(tmp_path / "data"), mount_ui=False)
    not_started = TestClient(app)  # no `with`: the app's startup has not run
    assert not_started.get("/readyz").status_code == 503
    assert not_started.get("/healthz").status_code == 503


def test_openapi_docs_list_every_endpoint(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert {
        "/v1/query",
        "/v1/chat/completions",
        "/v1/models",
        "/v1/documents",
        "/v1/documents/{doc_id}",
        "/v1/collections",
        "/v1/collections/{name}",
        "/healthz",
        "/readyz",
    } <= set(paths)


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/v1/nothing-here", 404),
        ("POST", "/v1/documents/abc/extra", 404),
        ("GET", "/v1/query", 405),
        ("PUT", "/v1/documents", 405),
        ("GET", "/v1/documents/abc", 405),
        ("GET", "/v1", 404),
        ("POST", "/healthz", 405),
        ("DELETE", "/readyz", 405),
    ],
)
def test_unknown_routes_and_methods_get_json_errors(
    client: TestClient, method: str, path: str, status: int
) -> None:
    response = client.request(method, path)
    assert response.status_code == status
    assert response.json()["error"]["message"]
    if status == 405:
        assert response.headers["allow"]


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b'{"question": "x"}', "text/plain"),
        (b"question=x", "application/x-www-form-urlencoded"),
        (b"[1, 2]", "application/json"),
        (b'"a string"', "application/json"),
        (b"", "application/json"),
        (b"\xff\xfe\x00garbage", "application/json"),
    ],
)
def test_bodies_that_are_not_a_json_object_get_422(
    client: TestClient, content: bytes, content_type: str
) -> None:
    response = client.post("/v1/query", content=content, headers={"content-type": content_type})
    assert response.status_code == 422, response.text
    assert response.json()["error"]["type"] == "invalid_request"


def test_an_oversized_json_body_is_413(client: TestClient) -> None:
    huge = b'{"question": "' + b"x" * (5 * 1024 * 1024) + b'"}'
    response = client.post("/v1/query", content=huge, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json()["error"]["type"] == "too_large"


def test_startup_warms_up_before_it_is_ready(seeded_dir: Path) -> None:
    """With RAG_WARM_UP on, one answer runs at startup (so the first user does not wait for
    the model to load), and a warm-up that fails does not keep the server from starting."""
    settings = make_settings(seeded_dir, warm_up=True)
    counting = SlowGenerator(words=1, delay=0)
    with TestClient(create_app(settings, RagService(settings, counting), mount_ui=False)) as c:
        assert c.get("/readyz").json() == {"status": "ready"}
        assert counting.finished == 1

    class Failing(SlowGenerator):
        def stream(self, *args: object, **kwargs: object) -> Iterator[str]:
            raise RuntimeError("model file is corrupt")

    failing = RagService(settings, Failing())
    with TestClient(create_app(settings, failing, mount_ui=False)) as c:
        assert c.get("/readyz").json() == {"status": "ready"}


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        ({"question": "x", "top_k": -1}, 422),
        ({"question": "x", "top_k": 51}, 422),
        ({"question": "x", "top_k": 10**9}, 422),
        ({"question": "x" * 1_000_000}, 413),
        (
            {
                "question": "and then?",
                "history": [
                    {"role": "user" if i % 2 == 0 else "assistant", "content": "Assad in Tehran"}
                    for i in range(1000)
                ],
            },
            422,
        ),
        ({"question": "x", "history": [{"role": "tool", "content": "x"}]}, 422),
        ({"question": "who\x00\x07 wrote\x1b[31m it?"}, 200),  # answered, not a fault
        ({"question": "\u202eمن كتب 🤖 这篇文章?"}, 200),  # RTL override, Arabic, emoji, CJK
    ],
)
def test_hostile_questions_get_an_answer_or_a_clear_4xx_quickly(
    client: TestClient, payload: dict, status: int
) -> None:
    started = time.monotonic()
    response = client.post("/v1/query", json=payload)
    assert time.monotonic() - started < 30
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"]["message"] if status >= 400 else "answer" in body


def test_an_unknown_model_is_a_404_unless_configured_as_an_alias(seeded_dir: Path) -> None:
    messages = [{"role": "user", "content": "Who visited Tehran in May 2022?"}]
    settings = make_settings(seeded_dir, generator="none", model_aliases="gpt-4o-mini")
    with TestClient(create_app(settings, mount_ui=False)) as client:
        wrong = client.post("/v1/chat/completions", json={"model": "gpt-5", "messages": messages})
        assert wrong.status_code == 404, wrong.text
        assert wrong.json()["error"]["type"] == "model_not_found"
        assert "GET /v1/models" in wrong.json()["error"]["message"]
        for name in (
            "rag",
            "gpt-4o-mini",
            *[m["id"] for m in client.get("/v1/models").json()["data"]],
        ):
            ok = client.post("/v1/chat/completions", json={"model": name, "messages": messages})
            assert ok.status_code == 200, (name, ok.text)
