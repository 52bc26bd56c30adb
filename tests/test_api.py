"""The HTTP API in-process (FastAPI TestClient) over a real store and embedder.

The extractive generator keeps these fast; the local model is exercised in
test_integration.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rag.api import create_app
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
