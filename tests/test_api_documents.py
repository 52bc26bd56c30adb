"""Documents and collections over HTTP, on a private copy of the seeded store: upload, list
with chunk counts, delete; size and type limits; broken files leave nothing behind."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from rag.api import create_app
from rag.config import Settings
from tests.api_support import copy_store
from tests.conftest import make_settings
from tests.test_ingest_loaders import minimal_pdf

NOTE = (
    b"# Llama census\n\nThe 2031 llama census of Puno counted 48,213 llamas grazing above "
    b"4,000 metres. The census was run by the regional herders' cooperative.\n"
)
LIMIT = 4096


@pytest.fixture
def settings(seeded_dir: Path, tmp_path: Path) -> Settings:
    return make_settings(copy_store(seeded_dir, tmp_path / "data"), max_upload_bytes=LIMIT)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings, mount_ui=False)) as test_client:
        yield test_client


def upload(client: TestClient, name: str, data: bytes, collection: str | None = None) -> Any:
    form = {"collection": collection} if collection else None
    return client.post("/v1/documents", files={"file": (name, data)}, data=form)


def listing(client: TestClient, collection: str | None = None) -> dict[str, dict]:
    params = {"collection": collection} if collection else None
    body = client.get("/v1/documents", params=params).json()
    return {d["id"]: d for d in body["documents"]}


def stored_files(settings: Settings) -> list[Path]:
    return sorted(p for p in settings.uploads_dir.rglob("*") if p.is_file())


def test_upload_list_query_delete(client: TestClient, settings: Settings) -> None:
    response = upload(client, "census.md", NOTE)
    assert response.status_code == 201, response.text
    doc = response.json()
    assert set(doc) >= {"id", "source", "chunks"}
    assert doc["source"] == "census.md" and doc["chunks"] >= 1
    assert doc["collection"] == "default"

    docs = listing(client)
    assert docs[doc["id"]]["chunks"] == doc["chunks"]
    assert len(docs) == 6 and all(d["chunks"] > 0 for d in docs.values())
    assert "path" not in docs[doc["id"]]  # server paths stay private
    [stored] = stored_files(settings)
    assert stored.name == f"{doc['id']}.md"  # a server-made name

    answer = client.post(
        "/v1/query", json={"question": "How many llamas did the Puno census count?"}
    ).json()
    assert answer["passages"][0]["source"] == "census.md"
    assert "48,213" in answer["answer"]

    chunks_before = client.get("/v1/collections").json()["collections"][0]["chunks"]
    deleted = client.delete(f"/v1/documents/{doc['id']}")
    assert deleted.status_code == 200
    assert deleted.json() == {"id": doc["id"], "collection": "default", "chunks_removed": 1}
    assert doc["id"] not in listing(client)
    after = client.get("/v1/collections").json()["collections"][0]["chunks"]
    assert after == chunks_before - doc["chunks"]
    assert stored_files(settings) == []
    assert client.delete(f"/v1/documents/{doc['id']}").status_code == 404


def test_a_re_upload_is_unchanged_and_a_new_version_replaces_the_old(
    client: TestClient, settings: Settings
) -> None:
    first = upload(client, "census.md", NOTE)
    assert first.status_code == 201 and first.json()["status"] == "added"
    again = upload(client, "census.md", NOTE)
    assert again.status_code == 200, again.text  # the same file again: no copy
    assert again.json()["id"] == first.json()["id"] and again.json()["status"] == "unchanged"
    assert [d["source"] for d in listing(client).values()].count("census.md") == 1
    assert len(stored_files(settings)) == 1

    newer = NOTE.replace(b"48,213", b"51,002")
    replaced = upload(client, "census.md", newer)
    assert replaced.status_code == 201 and replaced.json()["status"] == "replaced"
    docs = [d for d in listing(client).values() if d["source"] == "census.md"]
    assert [d["id"] for d in docs] == [replaced.json()["id"]] and len(stored_files(settings)) == 1
    body = client.post(
        "/v1/query", json={"question": "How many llamas did the census count?", "top_k": 3}
    ).json()
    shown = " ".join(p["text"] for p in body["passages"])
    assert "51,002" in shown and "48,213" not in shown

    # A bad new version loses nothing: the old one stays.
    assert upload(client, "census.md", b"\x00\x01" * 50).status_code == 422
    assert [d["id"] for d in listing(client).values() if d["source"] == "census.md"] == [
        replaced.json()["id"]
    ]


def test_upload_into_a_new_collection(client: TestClient) -> None:
    doc = upload(client, "census.md", NOTE, collection="herds").json()
    collections = {c["name"]: c for c in client.get("/v1/collections").json()["collections"]}
    assert collections["herds"] == {"name": "herds", "documents": 1, "chunks": doc["chunks"]}
    assert collections["default"]["documents"] == 5
    assert list(listing(client, "herds")) == [doc["id"]]
    body = client.post(
        "/v1/query", json={"question": "llama census", "collection": "herds", "generate": False}
    ).json()
    assert body["passages"][0]["source"] == "census.md"
    # Without a collection, delete finds the document wherever it is.
    assert client.delete(f"/v1/documents/{doc['id']}").json()["collection"] == "herds"


def test_a_file_name_is_metadata_only(client: TestClient, settings: Settings) -> None:
    doc = upload(client, "../../../outside\\evil.txt", b"Plain words about goats.").json()
    assert doc["source"] == "evil.txt"
    assert [p.name for p in stored_files(settings)] == [f"{doc['id']}.txt"]
    assert not (settings.data_dir.parent / "outside").exists()


@pytest.mark.parametrize(
    ("name", "data", "status", "says"),
    [
        ("big.txt", b"word " * LIMIT, 413, "limit"),
        ("tool.exe", b"MZ\x90\x00", 415, "unsupported file type '.exe'"),
        ("no-suffix", b"text", 415, "unsupported file type"),
        ("broken.pdf", b"%PDF-1.4 this is not really a pdf", 422, "PDF"),
        ("cut.pdf", minimal_pdf("A memo signed in Damascus.")[:150], 422, "PDF"),
        ("garbage.txt", bytes(range(256)) * 4, 422, "binary"),
        ("empty.md", b"", 422, "empty"),
        ("blank.txt", b"\n \n\t\n", 422, "no text"),
    ],
)
def test_bad_uploads_are_refused_and_leave_nothing_behind(
    client: TestClient, settings: Settings, name: str, data: bytes, status: int, says: str
) -> None:
    response = upload(client, name, data, collection="fresh-coll")
    assert response.status_code == status, response.text
    assert says in response.json()["error"]["message"]
    assert stored_files(settings) == []
    names = [c["name"] for c in client.get("/v1/collections").json()["collections"]]
    assert names == ["default"]  # no collection was created for a file that failed


def test_a_pdf_upload_is_ingested(client: TestClient) -> None:
    pdf = minimal_pdf("The memo was signed in Damascus in March 2021.")
    response = upload(client, "memo.pdf", pdf, collection="memos")
    assert response.status_code == 201 and response.json()["chunks"] == 1


def test_pdf_passages_carry_their_pages(client: TestClient) -> None:
    herds = " ".join(f"Herd {i} of the Puno cooperative grazes above the lake." for i in range(18))
    cranes = "The harbor of Zarnovia has exactly seventeen cranes, all of them painted blue."
    pdf = minimal_pdf(herds, cranes + " " + herds.replace("Puno", "Cusco"))
    assert upload(client, "ports.pdf", pdf, collection="ports").status_code == 201
    body = client.post(
        "/v1/query",
        json={
            "question": "How many cranes does the harbor of Zarnovia have?",
            "collection": "ports",
        },
    ).json()
    holding = [p for p in body["passages"] if "seventeen cranes" in p["text"]]
    assert holding and all(p["last_page"] == 2 and p["page"] in (1, 2) for p in holding)
    assert all(p["page"] is not None for p in body["passages"])  # a PDF: every passage has one
    cited = {c["id"]: c for c in body["citations"]}
    assert all(c["page"] in (1, 2) for c in cited.values())
    text_only = client.post("/v1/query", json={"question": "Who wrote the analysis?"}).json()
    assert all(p["page"] is None for p in text_only["passages"])  # text files have no pages


@pytest.mark.parametrize(
    ("request_kwargs", "status"),
    [
        ({"data": {"collection": "default"}}, 422),  # no file field
        ({"json": {"file": "text"}}, 422),
        ({"files": {"file": ("a.txt", b"words")}, "data": {"collection": "../etc"}}, 422),
        ({"files": {"other": ("a.txt", b"words")}}, 422),
    ],
)
def test_malformed_uploads_get_422(client: TestClient, request_kwargs: dict, status: int) -> None:
    response = client.post("/v1/documents", **request_kwargs)
    assert response.status_code == status, response.text
    assert response.json()["error"]["message"]


def test_collections_are_created_listed_and_deleted(client: TestClient, settings: Settings) -> None:
    assert client.post("/v1/collections", json={"name": "team-a"}).status_code == 201
    again = client.post("/v1/collections", json={"name": "team-a"})
    assert again.status_code == 409 and "exists" in again.json()["error"]["message"]
    assert client.post("/v1/collections", json={"name": "a"}).status_code == 422
    assert client.post("/v1/collections", json={}).status_code == 422
    upload(client, "census.md", NOTE, collection="team-a")
    assert (settings.uploads_dir / "team-a").is_dir()
    listed = client.get("/v1/collections").json()["collections"]
    assert [c["name"] for c in listed] == ["default", "team-a"]
    assert client.delete("/v1/collections/team-a").json() == {"name": "team-a", "deleted": True}
    assert not (settings.uploads_dir / "team-a").exists()
    assert client.delete("/v1/collections/team-a").status_code == 404
    missing = client.get("/v1/documents", params={"collection": "team-a"})
    assert missing.status_code == 404 and missing.json()["error"]["type"] == "unknown_collection"


def test_deleting_from_the_wrong_collection_is_404(client: TestClient) -> None:
    doc = upload(client, "census.md", NOTE).json()
    client.post("/v1/collections", json={"name": "other"})
    response = client.delete(f"/v1/documents/{doc['id']}", params={"collection": "other"})
    assert response.status_code == 404 and doc["id"] in listing(client)
    unknown = client.delete(f"/v1/documents/{doc['id']}", params={"collection": "nope-nope"})
    assert unknown.status_code == 404


def test_a_server_start_removes_uploads_that_no_document_uses(settings: Settings) -> None:
    """A server killed between storing an upload and writing its chunks leaves the stored
    file: the next start removes it, and keeps every upload a document uses."""
    with TestClient(create_app(settings, mount_ui=False)) as first:
        kept = upload(first, "census.md", b"The Tolvane census of 1902 counted 4,210 people.")
        assert kept.status_code == 201
    folder = settings.uploads_dir / "default"
    stray = folder / "0123456789abcdef.md"
    stray.write_bytes(b"stored, never ingested")
    with TestClient(create_app(settings, mount_ui=False)) as second:
        assert second.get("/readyz").status_code == 200
        assert not stray.exists()
        assert [p.stem for p in folder.iterdir()] == [kept.json()["id"]]
        listed = [d["id"] for d in second.get("/v1/documents").json()["documents"]]
        assert kept.json()["id"] in listed


def long_text(sentences: int) -> bytes:
    """A distinct document of ``sentences`` sentences: many chunks, seconds of embedding."""
    return " ".join(
        f"Survey {n} of the Tolvane valley counted {n * 37 % 1000} herders near lake {n % 17}."
        for n in range(sentences)
    ).encode()


def test_an_upload_stopped_mid_way_leaves_nothing(settings: Settings) -> None:
    from rag.errors import Cancelled
    from rag.service import RagService

    settings = settings.model_copy(update={"max_upload_bytes": 1 << 20})
    service = RagService(settings)
    before = {d.id for d in service.documents()}
    asked = 0

    def stop() -> bool:  # the client leaves once the embedding is under way
        nonlocal asked
        asked += 1
        return asked > 2

    with pytest.raises(Cancelled):
        service.upload("survey.txt", long_text(400), "fresh", stop=stop)
    assert asked > 2  # it was asked between pieces of work, not only at the start
    assert "fresh" not in service.collections()  # no collection made just for it
    with pytest.raises(Cancelled):
        service.upload("survey.txt", long_text(400), stop=lambda: True)
    assert {d.id for d in service.documents()} == before
    assert stored_files(settings) == []
    assert service.uploads.admitted == 0  # the turns were given back


@pytest.mark.integration
def test_uploads_take_turns_and_a_full_queue_gets_429(settings: Settings) -> None:
    import threading

    import httpx

    from tests.api_support import serve_in_thread

    settings = settings.model_copy(
        update={"max_upload_bytes": 1 << 20, "max_concurrent_uploads": 1, "max_queued_uploads": 0}
    )
    app = create_app(settings, mount_ui=False)
    with serve_in_thread(app) as url:
        service = app.state.service
        first: list[httpx.Response] = []
        worker = threading.Thread(
            target=lambda: first.append(
                httpx.post(
                    f"{url}/v1/documents", files={"file": ("a.txt", long_text(600))}, timeout=300
                )
            )
        )
        worker.start()
        deadline = time.monotonic() + 30
        while service.uploads.admitted == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        refused = httpx.post(f"{url}/v1/documents", files={"file": ("b.txt", NOTE)}, timeout=30)
        worker.join(timeout=300)
        assert refused.status_code == 429, refused.text
        assert int(refused.headers["Retry-After"]) >= 1
        assert "uploads" in refused.json()["error"]["message"]
        assert first[0].status_code == 201, first[0].text
        later = httpx.post(f"{url}/v1/documents", files={"file": ("b.txt", NOTE)}, timeout=30)
        assert later.status_code == 201  # the turn was given back


@pytest.mark.integration
def test_an_upload_whose_client_leaves_stops_and_leaves_nothing(settings: Settings) -> None:
    import httpx

    from tests.api_support import serve_in_thread

    settings = settings.model_copy(update={"max_upload_bytes": 1 << 20})
    app = create_app(settings, mount_ui=False)
    with serve_in_thread(app) as url:
        service = app.state.service
        before = {d.id for d in service.documents()}
        started = time.monotonic()
        with pytest.raises(httpx.ReadTimeout):  # seconds of embedding; the client gives up
            httpx.post(
                f"{url}/v1/documents", files={"file": ("big.txt", long_text(1500))}, timeout=2
            )
        while service.uploads.admitted and time.monotonic() - started < 60:
            time.sleep(0.05)
        stopped_after = time.monotonic() - started
        assert service.uploads.admitted == 0
        assert {d.id for d in service.documents()} == before
        assert stored_files(settings) == []
        # A whole ingest of this file takes far longer than the client waited.
        done = httpx.post(
            f"{url}/v1/documents", files={"file": ("big.txt", long_text(1500))}, timeout=300
        )
        assert done.status_code == 201
        assert stopped_after < (time.monotonic() - started - stopped_after), stopped_after
