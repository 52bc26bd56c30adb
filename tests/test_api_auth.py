"""API keys, the loopback-only rule for a server without keys, the UI behind the keys, CORS."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from rag.api import create_app
from rag.api.auth import bind_refusal, is_loopback, key_matches
from rag.cli import app as cli
from tests.conftest import TARGET_QUESTION, make_settings

KEYS = "first-key-0123456789,second-key-9876543210"
QUERY = {"question": TARGET_QUESTION, "generate": False}


@pytest.fixture
def client(seeded_dir: Path) -> Iterator[TestClient]:
    settings = make_settings(seeded_dir, api_keys=KEYS)
    with TestClient(create_app(settings, mount_ui=False)) as test_client:
        yield test_client


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        ({"Authorization": "Bearer wrong-key"}, 401),
        ({"Authorization": "Bearer first-key-012345678"}, 401),  # a prefix is not the key
        ({"Authorization": "Basic Zmlyc3Qta2V5OnB3"}, 401),
        ({"Authorization": "first-key-0123456789"}, 401),
        ({"Authorization": "Bearer first-key-0123456789"}, 200),
        ({"Authorization": "bearer second-key-9876543210"}, 200),
    ],
)
def test_v1_needs_a_valid_bearer_key(client: TestClient, headers: dict, status: int) -> None:
    response = client.post("/v1/query", json=QUERY, headers=headers)
    assert response.status_code == status, response.text
    if status == 401:
        assert response.headers["www-authenticate"] == "Bearer"
        assert response.json()["error"]["type"] == "unauthorized"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/v1/documents"),
        ("DELETE", "/v1/documents/abc"),
        ("GET", "/v1/collections"),
        ("POST", "/v1/collections"),
        ("DELETE", "/v1/collections/default"),
        ("GET", "/v1/models"),
        ("POST", "/v1/chat/completions"),
        ("POST", "/v1/documents"),
    ],
)
def test_every_v1_endpoint_is_guarded(client: TestClient, method: str, path: str) -> None:
    assert client.request(method, path).status_code == 401
    assert client.get("/v1/collections", headers={"Authorization": "Bearer x"}).status_code == 401
    # ...and nothing was deleted on the way.
    authorised = {"Authorization": "Bearer first-key-0123456789"}
    names = [
        c["name"] for c in client.get("/v1/collections", headers=authorised).json()["collections"]
    ]
    assert "default" in names


def test_health_and_docs_stay_open(client: TestClient) -> None:
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    spec = client.get("/openapi.json").json()
    assert "HTTPBearer" in spec["components"]["securitySchemes"]


def test_without_keys_the_spec_declares_no_auth(seeded_dir: Path) -> None:
    with TestClient(create_app(make_settings(seeded_dir), mount_ui=False)) as client:
        assert "securitySchemes" not in client.get("/openapi.json").json().get("components", {})


def test_keys_are_compared_whole() -> None:
    keys = ["alpha-key", "beta-key"]
    assert key_matches("beta-key", keys)
    assert not key_matches("beta-ke", keys) and not key_matches("beta-key ", keys)
    assert not key_matches("", keys) and not key_matches("x", [])
    assert key_matches("ключ-ü", ["ключ-ü"])  # non-ASCII keys work too


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.10", False),
        ("example.org", False),
    ],
)
def test_loopback_addresses(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_serving_beyond_loopback_needs_keys(tmp_path: Path) -> None:
    assert bind_refusal(make_settings(tmp_path)) is None
    assert "RAG_API_KEYS" in str(bind_refusal(make_settings(tmp_path, host="0.0.0.0")))
    assert bind_refusal(make_settings(tmp_path, host="0.0.0.0", api_keys="k")) is None
    assert bind_refusal(make_settings(tmp_path, host="0.0.0.0", api_keys=" , ")) is not None


def test_rag_serve_refuses_to_start_open_on_all_interfaces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.setenv("RAG_DATA_DIR", str(tmp_path / "data"))
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--port", "8999"])
    assert result.exit_code == 2
    assert "refusing to serve on 0.0.0.0 without API keys" in " ".join(result.output.split())
    assert not (tmp_path / "data").exists()  # it stopped before touching anything


def test_the_ui_asks_for_a_key_when_keys_are_set(seeded_dir: Path) -> None:
    settings = make_settings(seeded_dir, api_keys=KEYS)
    with TestClient(create_app(settings)) as client:
        assert client.get("/config").status_code == 401  # the UI's own API is closed
        assert client.post("/gradio_api/info").status_code in (401, 405)
        assert client.get("/gradio_api/info").status_code == 401
        bad = client.post("/login", data={"username": "me", "password": "wrong"})
        assert bad.status_code >= 400
        good = client.post("/login", data={"username": "me", "password": "second-key-9876543210"})
        assert good.status_code == 200
        assert client.get("/config").status_code == 200


def test_cors_is_off_by_default(seeded_dir: Path) -> None:
    with TestClient(create_app(make_settings(seeded_dir), mount_ui=False)) as client:
        response = client.get("/healthz", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in response.headers
        preflight = client.options(
            "/v1/query",
            headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
        )
        assert "access-control-allow-origin" not in preflight.headers


def test_cors_allows_the_configured_origins(seeded_dir: Path) -> None:
    settings = make_settings(seeded_dir, cors_origins="https://app.example, https://b.example")
    with TestClient(create_app(settings, mount_ui=False)) as client:
        preflight = client.options(
            "/v1/query",
            headers={
                "Origin": "https://app.example",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization, content-type",
            },
        )
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == "https://app.example"
        other = client.get("/healthz", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers
