"""Slow tests with real servers and the real models (marked ``integration``; `make test` runs
them). Every server binds to 127.0.0.1 on a free port and is stopped by its own PID."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from eval.gold import load_gold
from rag.config import Settings
from rag.modelfiles import model_path
from rag.retrieval.lexical import LexicalIndex, index_path
from rag.schemas import QueryRequest
from rag.service import RagService
from tests.conftest import REPO, SEEDS, TARGET_QUESTION, free_port, make_settings, smollm2_path
from tests.servers import chroma_server, rag_server

pytestmark = pytest.mark.integration
BIN = Path(sys.executable).parent


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    """`rag serve` on a fresh data dir: it must ingest the seeds on first start."""
    with rag_server(
        free_port(),
        tmp_path / "data",
        tmp_path,
        RAG_GENERATOR="extractive",
        RAG_SEEDS_DIR=str(SEEDS),
    ) as base:
        yield base


def test_serve_answers_and_shows_the_ui(served: str) -> None:
    body = httpx.post(f"{served}/v1/query", json={"question": TARGET_QUESTION}, timeout=120).json()
    assert body["passages"][0]["source"] == "001_f4cdcd2d35e961d2.txt"
    assert body["citations"]
    page = httpx.get(f"{served}/", timeout=30)
    assert page.status_code == 200 and "gradio" in page.text.lower()


def test_eval_through_the_api(served: str, tmp_path: Path) -> None:
    """`rag eval --api URL` scores a running server through POST /v1/query."""
    result = subprocess.run(
        [
            str(BIN / "rag"),
            "eval",
            "--api",
            served,
            "--out",
            str(tmp_path / "rep"),
            "--gold",
            str(REPO / "eval/gold/seeds.jsonl"),
            "--split",
            "test",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads((tmp_path / "rep" / "report.json").read_text())
    gold = report["results"]["gold"]
    tested = [i for i in load_gold() if i.split == "test"]
    assert gold["summary"]["items"] == len(tested) and gold["summary"]["hit@5"] >= 0.8
    assert list(gold["by_split"]) == ["test"]
    assert report["config_summary"] == f"API {served}"


def test_chroma_server_backend(tmp_path: Path) -> None:
    """The scale-out store: a real `chroma run` on loopback, through HttpClient."""
    with chroma_server(tmp_path / "chroma-server", free_port()) as port:
        settings = make_settings(tmp_path / "unused", chroma_host="127.0.0.1", chroma_port=port)
        service = RagService(settings)
        report = service.ingest([SEEDS])
        assert report.added == 5 and report.chunks > 20
        assert service.ingest([SEEDS]).unchanged == 5
        response = service.query(QueryRequest(question=TARGET_QUESTION))
        assert response.passages[0].source == "001_f4cdcd2d35e961d2.txt"
        # Chunks and their bookkeeping live on the server; locally there are only derived
        # caches (BM25 index, sentence vectors: deleting them loses nothing) and the
        # conversation store (RAG_CONVERSATIONS_DB), which holds the answered turn.
        local = {p.name for p in (tmp_path / "unused").iterdir()}
        assert local <= {"cache", *(f"conversations.sqlite{x}" for x in ("", "-wal", "-shm"))}
        stored = service.conversation(response.conversation_id)
        assert [t.question for t in stored.turns] == [TARGET_QUESTION]


def test_two_replicas_on_one_chroma_server_search_the_same_current_words(
    tmp_path: Path,
) -> None:
    """Scale-out: two `rag serve` replicas (data dirs of their own, as on two hosts) over one
    `chroma run`. A document uploaded through one is found by BM25 through the other within
    5 s, and a delete through the other is gone from the first's index as fast."""
    word = "zorblefluxite"  # no embedding knows it: only the lexical side can find it
    note = f"The harbour of Tartus stores {word} ore in its western warehouses since 2019.\n"
    with chroma_server(tmp_path / "chroma-server", free_port()) as port:
        env = {
            "RAG_GENERATOR": "extractive",
            "RAG_SEEDS_DIR": str(SEEDS),
            "RAG_CHROMA_HOST": "127.0.0.1",
            "RAG_CHROMA_PORT": str(port),
        }
        with (
            rag_server(free_port(), tmp_path / "a", tmp_path, **env) as a,
            rag_server(free_port(), tmp_path / "b", tmp_path, **env) as b,
        ):
            question = {"question": f"Where is {word} ore kept?", "generate": False}
            before = httpx.post(f"{b}/v1/query", json=question).json()["passages"]
            assert before and not any(word in p["text"].lower() for p in before)
            up = httpx.post(f"{a}/v1/documents", files={"file": ("note.txt", note.encode())})
            assert up.status_code == 201, up.text
            b_index = replica_index(tmp_path / "b", port)

            def seen_by_b() -> bool:
                found = httpx.post(f"{b}/v1/query", json=question, timeout=30).json()
                cited = any(p["source"] == "note.txt" for p in found["passages"])
                return cited and any(c.startswith(up.json()["id"]) for c in b_index.search(word, 5))

            assert within(5.0, seen_by_b), "replica b's BM25 did not find the new document"

            gone = httpx.delete(f"{b}/v1/documents/{up.json()['id']}")
            assert gone.status_code == 200, gone.text
            a_index = replica_index(tmp_path / "a", port)

            def gone_from_a() -> bool:
                httpx.post(f"{a}/v1/query", json=question, timeout=30)
                return a_index.search(word, 5) == []

            assert within(5.0, gone_from_a), "replica a's BM25 still finds the deleted document"


def replica_index(data_dir: Path, chroma_port: int) -> LexicalIndex:
    """The BM25 index a replica over ``data_dir`` searches for the default collection."""
    where = make_settings(data_dir, chroma_host="127.0.0.1", chroma_port=chroma_port)
    return LexicalIndex(index_path(where, "default"))


def within(seconds: float, check: Callable[[], bool]) -> bool:
    """Whether ``check`` turns true within ``seconds`` (polled)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return check()


def test_llama_cpp_plumbing_with_the_tiny_model(seeded_settings: Settings) -> None:
    """The real llama.cpp path end to end, with SmolLM2-135M for speed."""
    settings = seeded_settings.model_copy(
        update={"generator": "llama_cpp", "llm_model_path": smollm2_path(), "llm_max_tokens": 48}
    )
    response = RagService(settings).query(QueryRequest(question=TARGET_QUESTION, top_k=3))
    assert response.answer
    assert response.timings_ms.generate > 0
    visible = {p.id for p in response.passages}
    assert {c.id for c in response.citations} <= visible
    assert all(f"[{c.id}]" in response.answer for c in response.citations)
    # Read, not mapped (RAG_LLM_MMAP=false): llama.cpp holds its own repacked copy anyway.
    assert str(smollm2_path()) not in Path("/proc/self/maps").read_text()


def test_default_model_answers_the_author_question(seeded_dir: Path) -> None:
    """The README's promise, as a user runs it: `rag ask ... --json` with the default model."""
    assert model_path("qwen2.5-coder-1.5b").exists(), "run `make setup`"
    env = {**os.environ, "RAG_DATA_DIR": str(seeded_dir)}
    env.pop("RAG_GENERATOR", None)
    result = subprocess.run(
        [str(BIN / "rag"), "ask", TARGET_QUESTION, "--json"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert "Furlan" in body["answer"], body["answer"]
    assert not body["abstained"]
    assert "001_f4cdcd2d35e961d2.txt" in {c["source"] for c in body["citations"]}
    assert any(f"[{c['id']}]" in body["answer"] for c in body["citations"])
