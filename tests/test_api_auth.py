"""API keys (and the collections each may use), the loopback-only rule for a server without
keys, the UI behind the keys, CORS."""

from __future__ import annotations

import hmac
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from rag.api import auth, create_app
from rag.api.auth import bind_refusal, is_loopback, key_matches, matching_key
from rag.cli import app as cli
from rag.config import Scope, parse_api_keys
from rag.service import RagService
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


# --- keys scoped to collections (RAG_API_KEYS=KEY:team-a+team-new) ----------------------------
ADMIN = "admin-key-0123456789"  # no scope: every collection
TEAM_A = "team-a-key-0123456789"
TEAM_B = "team-b-key-0123456789"
SCOPED_KEYS = f"{ADMIN}, {TEAM_A}:team-a+team-new, {TEAM_B}:team-b"
DEFAULT = "shared-shelf"  # RAG_COLLECTION here; in no team key's scope
NOTES = {
    DEFAULT: "The default shelf keeps the Quillon ledger of 1911. ",
    "team-a": "Team A's launch code word is Marigold, chosen in March. ",
    "team-b": "Team B's launch code word is Peppercorn, chosen in May. ",
}


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def scoped(tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, str]]]:
    """A server with an unscoped key and two team keys, over three collections of one
    document each; yields the client and each collection's document id."""
    settings = make_settings(
        tmp_path / "data", api_keys=SCOPED_KEYS, seeds_dir=tmp_path / "no-seeds", collection=DEFAULT
    )
    service = RagService(settings)
    ids = {
        name: service.upload(f"{name}.txt", (text * 3).encode(), name).id
        for name, text in NOTES.items()
    }
    with TestClient(create_app(settings, service, mount_ui=False)) as test_client:
        yield test_client, ids


def names_of(client: TestClient, key: str) -> list[str]:
    response = client.get("/v1/collections", headers=bearer(key))
    assert response.status_code == 200, response.text
    return [c["name"] for c in response.json()["collections"]]


def assert_forbidden(response: Any, asked: str | None = None) -> str:
    """A 403 in the API's error shape whose message names no collection but ``asked``."""
    assert response.status_code == 403, response.text
    body = response.json()
    assert body["error"]["type"] == "forbidden" and set(body) == {"error"}
    message = str(body["error"]["message"])
    for name in {*NOTES, "team-new"} - {asked}:
        assert name not in message, message
    return message


def test_a_scoped_key_queries_only_its_collections(
    scoped: tuple[TestClient, dict[str, str]],
) -> None:
    client, _ = scoped
    query = {"question": "What is the launch code word?", "generate": False}
    mine = client.post("/v1/query", json={**query, "collection": "team-a"}, headers=bearer(TEAM_A))
    assert mine.status_code == 200, mine.text
    assert {p["source"] for p in mine.json()["passages"]} == {"team-a.txt"}
    theirs = client.post(
        "/v1/query", json={**query, "collection": "team-b"}, headers=bearer(TEAM_A)
    )
    assert_forbidden(theirs, "team-b")
    # The default collection is not team A's: naming none is refused, saying what to do.
    unnamed = assert_forbidden(client.post("/v1/query", json=query, headers=bearer(TEAM_A)))
    assert "default collection" in unnamed and "GET /v1/collections" in unnamed
    streamed = client.post(
        "/v1/query", json={**query, "collection": "team-b", "stream": True}, headers=bearer(TEAM_A)
    )
    assert_forbidden(streamed, "team-b")
    # The unscoped key still reaches every collection, the default one included.
    for body in (query, {**query, "collection": "team-b"}):
        assert client.post("/v1/query", json=body, headers=bearer(ADMIN)).status_code == 200


def test_an_out_of_scope_name_cannot_be_probed(scoped: tuple[TestClient, dict[str, str]]) -> None:
    """An existing collection of another team and a name that exists nowhere get the same
    answer, on every kind of endpoint."""
    client, _ = scoped

    def refusals(name: str) -> list[tuple[int, str]]:
        calls = [
            client.post(
                "/v1/query", json={"question": "q", "collection": name}, headers=bearer(TEAM_A)
            ),
            client.get("/v1/documents", params={"collection": name}, headers=bearer(TEAM_A)),
            client.delete("/v1/documents/abc", params={"collection": name}, headers=bearer(TEAM_A)),
            client.post("/v1/collections", json={"name": name}, headers=bearer(TEAM_A)),
            client.delete(f"/v1/collections/{name}", headers=bearer(TEAM_A)),
        ]
        return [(r.status_code, assert_forbidden(r, name).replace(name, "NAME")) for r in calls]

    assert refusals("team-b") == refusals("no-such-team")


def test_chat_completions_respect_the_scope(scoped: tuple[TestClient, dict[str, str]]) -> None:
    client, _ = scoped
    body = {"model": "rag", "messages": [{"role": "user", "content": "What is the code word?"}]}
    mine = client.post(
        "/v1/chat/completions", json={**body, "collection": "team-a"}, headers=bearer(TEAM_A)
    )
    assert mine.status_code == 200, mine.text
    assert {c["source"] for c in mine.json()["citations"]} <= {"team-a.txt"}
    for name, stream in (("team-b", False), ("team-b", True), (None, False)):
        extra = {"collection": name, "stream": stream} if name else {}
        refused = client.post(
            "/v1/chat/completions", json={**body, **extra}, headers=bearer(TEAM_A)
        )
        assert_forbidden(refused, name)


def test_documents_are_listed_and_uploaded_only_in_scope(
    scoped: tuple[TestClient, dict[str, str]],
) -> None:
    client, ids = scoped
    listed = client.get("/v1/documents", params={"collection": "team-a"}, headers=bearer(TEAM_A))
    assert [d["id"] for d in listed.json()["documents"]] == [ids["team-a"]]
    assert_forbidden(
        client.get("/v1/documents", params={"collection": "team-b"}, headers=bearer(TEAM_A)),
        "team-b",
    )
    assert_forbidden(client.get("/v1/documents", headers=bearer(TEAM_A)))  # the default

    note = {"file": ("new.txt", b"A note about the spring rota, written by team A. " * 3)}
    refused = client.post(
        "/v1/documents", files=note, data={"collection": "team-b"}, headers=bearer(TEAM_A)
    )
    assert_forbidden(refused, "team-b")
    assert_forbidden(client.post("/v1/documents", files=note, headers=bearer(TEAM_A)))
    team_b = client.get("/v1/documents", params={"collection": "team-b"}, headers=bearer(ADMIN))
    assert [d["id"] for d in team_b.json()["documents"]] == [ids["team-b"]]  # nothing added
    # A listed collection that does not exist yet is created by an upload into it.
    created = client.post(
        "/v1/documents", files=note, data={"collection": "team-new"}, headers=bearer(TEAM_A)
    )
    assert created.status_code == 201, created.text
    assert names_of(client, TEAM_A) == ["team-a", "team-new"]


def test_delete_without_collection_searches_only_the_keys_collections(
    scoped: tuple[TestClient, dict[str, str]],
) -> None:
    client, ids = scoped
    # Team A knows (or guesses) the id of team B's document: it is not found, and stays.
    for doc_id in (ids["team-b"], ids[DEFAULT]):
        missing = client.delete(f"/v1/documents/{doc_id}", headers=bearer(TEAM_A))
        assert missing.status_code == 404, missing.text
        assert "team-b" not in missing.text and DEFAULT not in missing.text
    assert_forbidden(
        client.delete(
            f"/v1/documents/{ids['team-b']}",
            params={"collection": "team-b"},
            headers=bearer(TEAM_A),
        ),
        "team-b",
    )
    for name in ("team-b", DEFAULT):
        left = client.get("/v1/documents", params={"collection": name}, headers=bearer(ADMIN))
        assert [d["id"] for d in left.json()["documents"]] == [ids[name]]
    # Its own document is found without naming the collection.
    own = client.delete(f"/v1/documents/{ids['team-a']}", headers=bearer(TEAM_A))
    assert own.status_code == 200 and own.json()["collection"] == "team-a"
    # The unscoped key still finds a document in any collection.
    other = client.delete(f"/v1/documents/{ids['team-b']}", headers=bearer(ADMIN))
    assert other.status_code == 200 and other.json()["collection"] == "team-b"


def test_collections_are_listed_created_and_deleted_only_in_scope(
    scoped: tuple[TestClient, dict[str, str]],
) -> None:
    client, _ = scoped
    assert names_of(client, TEAM_A) == ["team-a"]
    assert names_of(client, TEAM_B) == ["team-b"]
    assert names_of(client, ADMIN) == [DEFAULT, "team-a", "team-b"]

    for name in ("team-b", "elsewhere"):
        refused = client.post("/v1/collections", json={"name": name}, headers=bearer(TEAM_A))
        assert_forbidden(refused, name)
    assert_forbidden(client.delete("/v1/collections/team-b", headers=bearer(TEAM_A)), "team-b")
    assert "team-b" in names_of(client, ADMIN)

    made = client.post("/v1/collections", json={"name": "team-new"}, headers=bearer(TEAM_A))
    assert made.status_code == 201, made.text
    again = client.post("/v1/collections", json={"name": "team-new"}, headers=bearer(TEAM_A))
    assert again.status_code == 409
    assert names_of(client, TEAM_A) == ["team-a", "team-new"]
    assert client.delete("/v1/collections/team-new", headers=bearer(TEAM_A)).status_code == 200
    assert names_of(client, ADMIN) == [DEFAULT, "team-a", "team-b"]


def test_conversations_follow_the_keys_current_scope(tmp_path: Path) -> None:
    """A key asked in team-b, then lost team-b from its scope: that conversation is no
    longer listed, shown, renamed, deleted or continued."""
    data, key = tmp_path / "data", "shared-key-0123456789"
    ask = {"question": "What is the launch code word?"}

    def server(keys: str) -> TestClient:
        settings = make_settings(data, api_keys=keys, seeds_dir=tmp_path / "no-seeds")
        return TestClient(create_app(settings, mount_ui=False))

    service = RagService(make_settings(data, seeds_dir=tmp_path / "no-seeds"))
    for name in ("team-a", "team-b"):
        service.upload(f"{name}.txt", (NOTES[name] * 3).encode(), name)
    with server(f"{key}:team-a+team-b") as client:
        asked = client.post("/v1/query", json={**ask, "collection": "team-b"}, headers=bearer(key))
        kept = client.post("/v1/query", json={**ask, "collection": "team-a"}, headers=bearer(key))
        assert asked.status_code == kept.status_code == 200, asked.text
    old, mine = asked.json()["conversation_id"], kept.json()["conversation_id"]

    with server(f"{key}:team-a") as client:
        listed = client.get("/v1/conversations", headers=bearer(key)).json()["conversations"]
        assert [c["id"] for c in listed] == [mine]
        assert client.get(f"/v1/conversations/{mine}", headers=bearer(key)).status_code == 200
        assert_forbidden(client.get(f"/v1/conversations/{old}", headers=bearer(key)))
        renamed = client.patch(f"/v1/conversations/{old}", json={"title": "x"}, headers=bearer(key))
        assert_forbidden(renamed)
        assert_forbidden(client.delete(f"/v1/conversations/{old}", headers=bearer(key)))
        continued = client.post(
            "/v1/query",
            json={**ask, "collection": "team-a", "conversation_id": old},
            headers=bearer(key),
        )
        assert_forbidden(continued)
    with server(key) as client:  # unscoped again: all of it is there
        listed = client.get("/v1/conversations", headers=bearer(key)).json()["conversations"]
        assert {c["id"] for c in listed} == {old, mine}


def test_scoped_keys_are_still_compared_in_constant_time(
    scoped: tuple[TestClient, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every key is compared with ``hmac.compare_digest``, even when the first one matches."""
    client, _ = scoped
    compared: list[bytes] = []
    real = hmac.compare_digest

    def counting(a: bytes, b: bytes) -> bool:
        compared.append(b)
        return real(a, b)

    monkeypatch.setattr(auth.hmac, "compare_digest", counting)
    entries = parse_api_keys(SCOPED_KEYS)
    found = matching_key(ADMIN, entries)
    assert found is not None and not found.scope.limited and len(compared) == 3
    compared.clear()
    found = matching_key(TEAM_B, entries)
    assert found is not None and found.scope == Scope(frozenset({"team-b"}))
    assert len(compared) == 3
    compared.clear()
    assert matching_key(TEAM_A[:-1], entries) is None and len(compared) == 3
    compared.clear()
    assert client.get("/v1/collections", headers=bearer(ADMIN)).status_code == 200
    assert sorted(compared) == sorted(e.key.encode() for e in entries)


def test_the_ui_offers_a_scoped_user_only_their_collections(tmp_path: Path) -> None:
    """Through the mounted UI's own API, signed in: the page's handlers use the key the user
    signed in with (the handlers themselves are tested in tests/test_ui_documents.py)."""
    settings = make_settings(
        tmp_path / "data", api_keys=SCOPED_KEYS, seeds_dir=tmp_path / "no-seeds", collection=DEFAULT
    )
    service = RagService(settings)
    for name, text in NOTES.items():
        service.upload(f"{name}.txt", (text * 3).encode(), name)

    def call(client: TestClient, handler: str, *data: Any) -> Any:
        started = client.post(f"/gradio_api/call/{handler}", json={"data": list(data)})
        assert started.status_code == 200, started.text
        events = client.get(f"/gradio_api/call/{handler}/{started.json()['event_id']}").text
        done = events.split("event: complete\ndata: ", 1)[1]
        return json.loads(done.split("\n", 1)[0])

    with TestClient(create_app(settings, service)) as client:
        form = {"username": "alice", "password": TEAM_A}
        assert client.post("/login", data=form).status_code == 200
        picked, table, _ = call(client, "refresh_all", DEFAULT)  # the page's first load
        assert (picked["choices"], picked["value"]) == (
            [["team-a", "team-a"], ["team-new", "team-new"]],
            "team-a",
        )
        assert "team-a.txt" in table
        for name in ("team-b", DEFAULT):
            table, _ = call(client, "show_listing", name)
            assert "may not use" in table and f"{name}.txt" not in table
        # Another user name, the unscoped key: everything.
        client.cookies.clear()
        assert (
            client.post("/login", data={"username": "root", "password": ADMIN}).status_code == 200
        )
        picked, table, _ = call(client, "refresh_all", DEFAULT)
        assert [v for v, _ in picked["choices"]] == [DEFAULT, "team-a", "team-b"]
        assert f"{DEFAULT}.txt" in table
