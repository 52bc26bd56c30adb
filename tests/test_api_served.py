"""The API as clients meet it: a real ``rag serve`` process on loopback with API keys, driven
by the official ``openai`` client and by plain HTTP; the scale-out path (a real LLM server
behind ``model="openai"``, a real ``chroma run`` store); and a schemathesis run over the
OpenAPI spec that must find no server error."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import openai
import pytest
from fastapi.testclient import TestClient
from openai import OpenAI

from rag.api import create_app
from tests.api_support import parse_sse
from tests.conftest import SEEDS, TARGET_QUESTION, free_port, make_settings, smollm2_path
from tests.servers import chroma_server, rag_server

pytestmark = pytest.mark.integration
BIN = Path(sys.executable).parent
KEY = "served-test-key-0123456789"
AUTH = {"Authorization": f"Bearer {KEY}"}
QUESTION = [{"role": "user", "content": TARGET_QUESTION}]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, llm_server: str) -> Iterator[str]:
    """`rag serve` with keys, the extractive generator by default, the real LLM server behind
    ``model="openai"``, and SmolLM2 as its llama_cpp model (so no request loads the 1.5B)."""
    home = tmp_path_factory.mktemp("served")
    with rag_server(
        free_port(),
        home / "data",
        home,
        RAG_SEEDS_DIR=str(SEEDS),
        RAG_GENERATOR="extractive",
        RAG_API_KEYS=KEY,
        RAG_LLM_BASE_URL=llm_server,
        RAG_LLM_MAX_TOKENS="32",
        RAG_LLM_MODEL_PATH=str(smollm2_path()),
    ) as base:
        yield base


@pytest.fixture
def client(served: str) -> OpenAI:
    return OpenAI(base_url=f"{served}/v1", api_key=KEY, max_retries=0, timeout=120)


def test_openai_client_gets_a_cited_answer(client: OpenAI) -> None:
    completion = client.chat.completions.create(model="rag", messages=QUESTION)  # type: ignore[arg-type]
    answer = completion.choices[0].message.content or ""
    extra = completion.model_extra or {}
    assert extra["abstained"] is False and extra["citations"]
    assert "001_f4cdcd2d35e961d2.txt" in {c["source"] for c in extra["citations"]}
    for citation in extra["citations"]:
        assert f"[{citation['id']}]" in answer


def test_openai_client_streams_with_citations_in_the_last_chunk(client: OpenAI) -> None:
    chunks = list(
        client.chat.completions.create(model="rag", messages=QUESTION, stream=True)  # type: ignore[arg-type]
    )
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text.strip()
    carrying = [c for c in chunks if "citations" in (c.model_extra or {})]
    assert carrying == [chunks[-1]]
    final = chunks[-1].model_extra or {}
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert final["citations"] and not final["abstained"]
    assert all(f"[{c['id']}]" in final["answer"] for c in final["citations"])


def test_model_openai_answers_through_the_llm_server(client: OpenAI) -> None:
    """The scale-out LLM path: our API → an OpenAI-compatible server (llama_cpp.server with
    SmolLM2, plumbing not quality), streamed token by token."""
    assert {"rag", "extractive", "openai"} <= {m.id for m in client.models.list()}
    chunks = list(
        client.chat.completions.create(model="openai", messages=QUESTION, stream=True)  # type: ignore[arg-type]
    )
    deltas = [
        c.choices[0].delta.content for c in chunks if c.choices and c.choices[0].delta.content
    ]
    assert len(deltas) > 1, "the LLM server streamed no tokens"
    assert "citations" in (chunks[-1].model_extra or {})


def test_openai_client_sees_clear_errors(served: str, client: OpenAI) -> None:
    wrong = OpenAI(base_url=f"{served}/v1", api_key="not-a-key", max_retries=0)
    with pytest.raises(openai.AuthenticationError):
        wrong.chat.completions.create(model="rag", messages=QUESTION)  # type: ignore[arg-type]
    with pytest.raises(openai.NotFoundError, match="unknown collection"):
        client.chat.completions.create(
            model="rag",
            messages=QUESTION,  # type: ignore[arg-type]
            extra_body={"collection": "no-such-collection"},
        )
    with pytest.raises(openai.UnprocessableEntityError, match="no user message"):
        client.chat.completions.create(model="rag", messages=[{"role": "system", "content": "hi"}])


def test_query_streams_server_sent_events_over_http(served: str) -> None:
    body = {"question": TARGET_QUESTION, "stream": True}
    with httpx.stream("POST", f"{served}/v1/query", json=body, headers=AUTH, timeout=120) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        events = parse_sse(r.read().decode())
    assert events[0][0] == "passages" and events[-1][0] == "done"
    assert events[-1][1]["passages"][0]["source"] == "001_f4cdcd2d35e961d2.txt"
    unauthorised = httpx.post(f"{served}/v1/query", json=body, timeout=30)
    assert unauthorised.status_code == 401


def test_documents_over_http(served: str) -> None:
    note = b"The Andean condor census of 2031 counted 6,700 condors in Peru."
    up = httpx.post(
        f"{served}/v1/documents",
        files={"file": ("condors.txt", note, "text/plain")},
        data={"collection": "birds"},
        headers=AUTH,
        timeout=120,
    )
    assert up.status_code == 201, up.text
    doc = up.json()
    listed = httpx.get(f"{served}/v1/documents?collection=birds", headers=AUTH).json()
    assert [(d["id"], d["chunks"]) for d in listed["documents"]] == [(doc["id"], doc["chunks"])]
    answer = httpx.post(
        f"{served}/v1/query",
        json={"question": "How many condors were counted?", "collection": "birds"},
        headers=AUTH,
        timeout=120,
    ).json()
    assert "6,700" in answer["answer"]
    assert httpx.delete(f"{served}/v1/documents/{doc['id']}", headers=AUTH).status_code == 200
    assert httpx.delete(f"{served}/v1/collections/birds", headers=AUTH).status_code == 200


def test_the_ui_is_behind_the_key(served: str) -> None:
    assert httpx.get(f"{served}/", timeout=30).status_code == 200  # the login page
    assert httpx.get(f"{served}/config", timeout=30).status_code == 401


def test_api_over_a_chroma_server(tmp_path: Path) -> None:
    """The scale-out store: API replicas share a real `chroma run`; ingest + query via HTTP,
    and readiness (and every store call) says 503 when that server goes away."""
    store = ExitStack()
    port = store.enter_context(chroma_server(tmp_path / "chroma-server", free_port()))
    with store:
        replicas = [
            make_settings(tmp_path / name, chroma_host="127.0.0.1", chroma_port=port)
            for name in ("replica-a", "replica-b")
        ]
        with (
            TestClient(create_app(replicas[0], mount_ui=False)) as a,
            TestClient(create_app(replicas[1], mount_ui=False)) as b,
        ):
            assert a.get("/readyz").status_code == 200
            # Replica A seeded the shared store on first start; replica B found it full.
            assert b.get("/v1/collections").json()["collections"][0]["documents"] == 5
            note = b"The Andean condor census of 2031 counted 6,700 condors in Peru."
            doc = a.post("/v1/documents", files={"file": ("condors.txt", note)}).json()
            answer = b.post("/v1/query", json={"question": "How many condors were counted?"})
            assert answer.json()["passages"][0]["source"] == "condors.txt"
            assert b.delete(f"/v1/documents/{doc['id']}").status_code == 200
            assert doc["id"] not in {d["id"] for d in a.get("/v1/documents").json()["documents"]}

            store.close()  # the shared store goes down
            assert a.get("/readyz").json()["error"]["type"] == "store_unavailable"
            down = a.post("/v1/query", json={"question": "condors?", "generate": False})
            assert down.status_code == 503 and "unreachable" in down.json()["error"]["message"]
            assert a.get("/healthz").status_code == 200  # alive, just not ready
        assert not (tmp_path / "replica-a" / "chroma").exists()  # no local store was made


def test_schemathesis_finds_no_server_error(served: str, tmp_path: Path) -> None:
    """Property-based requests generated from /openapi.json (valid and invalid): no 5xx, and
    statuses, content types and bodies as documented. Runs last: it creates and deletes."""
    report = tmp_path / "schemathesis.json"
    result = subprocess.run(
        [
            str(BIN / "schemathesis"),
            "run",
            f"{served}/openapi.json",
            "--header",
            f"Authorization: Bearer {KEY}",
            "--checks",
            "not_a_server_error,status_code_conformance,content_type_conformance,"
            "response_schema_conformance,response_headers_conformance",
            "--max-examples",
            "12",
            "--seed",
            "1",
            "--workers",
            "1",
            "--request-timeout",
            "120",
            "--report",
            "json",
            "--report-json-path",
            str(report),
        ],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
        cwd=tmp_path,  # its cache folder (.schemathesis/) lands here, not in the repo
    )
    figures = json.loads(report.read_text())
    operations, cases = figures["operations"], figures["test_cases"]
    print(  # the figures for the record (pytest -s shows them)
        f"schemathesis: {operations['tested']}/{operations['total']} operations, "
        f"{cases['generated']} cases, {len(figures['failures'])} failures, "
        f"{len(figures['errors'])} errors, {figures['running_time']:.0f} s"
    )
    assert result.returncode == 0, result.stdout[-6000:]
    assert figures["failures"] == [] and figures["errors"] == []
    assert operations["tested"] == operations["total"] >= 12
    assert cases["generated"] >= 500
