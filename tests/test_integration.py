"""Slow tests with real servers and the real models (marked ``integration``; `make test` runs
them). Every server binds to 127.0.0.1 on a free port and is stopped by its own PID."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from eval.gold import load_gold
from rag.config import Settings
from rag.modelfiles import model_path
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
        assert not (tmp_path / "unused").exists()  # nothing written locally


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
