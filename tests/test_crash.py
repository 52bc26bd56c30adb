"""Crash safety for real: `rag ingest` of 600 documents killed with SIGKILL mid-way, then run
again, ends identical to a clean ingest (the same chunk ids and texts, nothing twice, nothing
stray), and `rag check` finds the collection whole. The same for 600 uploads to `rag serve`
killed with SIGKILL mid-way."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import closing
from pathlib import Path

import httpx
import pytest

from tests.conftest import REPO, SEEDS, free_port
from tests.servers import rag_server_process

pytestmark = pytest.mark.integration
BIN = Path(sys.executable).parent
DOCUMENTS = 600


def corpus(folder: Path) -> Path:
    """600 short documents of the seeds' sentences, shuffled (deterministic)."""
    sentences = [
        s.strip() + "."
        for p in sorted(SEEDS.glob("*.txt"))
        for s in p.read_text(encoding="utf-8").split(". ")
        if len(s.split()) > 6
    ]
    rng = random.Random(13)
    folder.mkdir()
    for n in range(DOCUMENTS):
        text = " ".join(rng.sample(sentences, 4))
        (folder / f"doc{n:04d}.txt").write_text(f"Note {n}. {text}\n", encoding="utf-8")
    return folder


def env_for(data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAG_")}
    keep = os.environ.get("RAG_MODEL_CACHE_DIR")
    return {**env, "RAG_DATA_DIR": str(data), **({"RAG_MODEL_CACHE_DIR": keep} if keep else {})}


def ingest(folder: Path, data: Path) -> dict[str, object]:
    done = subprocess.run(
        [str(BIN / "rag"), "ingest", str(folder), "--json"],
        env=env_for(data),
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return dict(json.loads(done.stdout))


def check(data: Path) -> dict[str, object]:
    done = subprocess.run(
        [str(BIN / "rag"), "check", "--json"],
        env=env_for(data),
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.stdout, done.stderr[-2000:]
    return dict(json.loads(done.stdout))


def chunks(data: Path) -> list[tuple[str, str]]:
    """Every chunk's id and text, read from a copy of Chroma's own SQLite file (no client kept
    open; after a kill -9 its journal needs recovering, which a read-only open cannot do)."""
    db = next(data.rglob("chroma.sqlite3"))
    with tempfile.TemporaryDirectory() as tmp:
        for part in db.parent.glob(f"{db.name}*"):  # the file and its -wal/-shm/-journal
            shutil.copy2(part, Path(tmp) / part.name)
        with closing(sqlite3.connect(Path(tmp) / db.name)) as conn:
            rows = conn.execute(
                "SELECT e.embedding_id, m.string_value FROM embeddings e JOIN embedding_metadata"
                " m ON m.id = e.id WHERE m.key = 'chroma:document'"
            ).fetchall()
    return sorted(rows)


def vectors_stored(data: Path) -> int:
    cache = data / "cache" / "sentence-vectors.sqlite"
    if not cache.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{cache}?mode=ro", uri=True, timeout=1) as conn:
            return int(conn.execute("SELECT count(*) FROM vectors").fetchone()[0])
    except sqlite3.OperationalError:  # not created yet
        return 0


def test_an_ingest_killed_mid_way_then_run_again_equals_a_clean_one(tmp_path: Path) -> None:
    folder = corpus(tmp_path / "docs")
    clean = ingest(folder, tmp_path / "clean")
    assert clean["added"] == DOCUMENTS and not clean["failed"]
    assert len(chunks(tmp_path / "clean")) == clean["chunks"] >= DOCUMENTS

    data = tmp_path / "crashed"
    proc = subprocess.Popen(
        [str(BIN / "rag"), "ingest", str(folder), "--json"],
        env=env_for(data),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 600
    while vectors_stored(data) == 0 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)  # the first batch is embedded: its write to Chroma comes next
    time.sleep(0.3)
    assert proc.poll() is None, "the ingest ended before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    partial = chunks(data)  # empty when the kill came before the first batch reached Chroma
    assert len(partial) < len(chunks(tmp_path / "clean"))  # it was cut short

    again = ingest(folder, data)
    assert not again["failed"]
    assert chunks(data) == chunks(tmp_path / "clean")  # same ids and texts, no duplicates
    report = check(data)
    assert report["ok"] is True and report["findings"] == [], report["findings"]
    assert report["documents"] == DOCUMENTS


def chunk_texts(data: Path) -> list[tuple[str, str]]:
    """Every chunk's document name and text (upload ids are random: the names are what two
    ingests of the same files share), from a copy of Chroma's SQLite file as ``chunks``."""
    db = next(data.rglob("chroma.sqlite3"))
    with tempfile.TemporaryDirectory() as tmp:
        for part in db.parent.glob(f"{db.name}*"):
            shutil.copy2(part, Path(tmp) / part.name)
        with closing(sqlite3.connect(Path(tmp) / db.name)) as conn:
            rows = conn.execute(
                "SELECT s.string_value, d.string_value FROM embedding_metadata s JOIN"
                " embedding_metadata d ON d.id = s.id WHERE s.key = 'source'"
                " AND d.key = 'chroma:document'"
            ).fetchall()
    return sorted(rows)


SERVE = {"RAG_GENERATOR": "extractive", "RAG_WARM_UP": "false", "RAG_UI": "false"}


def upload_all(base: str, folder: Path, done: list[str]) -> None:
    """Upload every file of ``folder`` in order, appending each status; stops at the first
    connection error (the server was killed)."""
    with httpx.Client(base_url=base, timeout=120) as client:
        for path in sorted(folder.iterdir()):
            try:
                response = client.post(
                    "/v1/documents", files={"file": (path.name, path.read_bytes())}
                )
            except httpx.TransportError:
                return
            assert response.status_code in (200, 201), response.text
            done.append(response.json()["status"])


def test_uploads_to_a_server_killed_mid_way_then_sent_again_equal_a_clean_ingest(
    tmp_path: Path,
) -> None:
    folder = corpus(tmp_path / "docs")
    clean = ingest(folder, tmp_path / "clean")
    assert clean["added"] == DOCUMENTS
    data = tmp_path / "served"
    env = {**SERVE, "RAG_SEEDS_DIR": str(tmp_path / "no-seeds")}
    first: list[str] = []
    with rag_server_process(free_port(), data, REPO, **env) as (base, proc):
        uploader = threading.Thread(target=upload_all, args=(base, folder, first))
        uploader.start()
        deadline = time.monotonic() + 300
        while len(first) < DOCUMENTS // 4 and time.monotonic() < deadline:
            time.sleep(0.01)
        os.kill(proc.pid, signal.SIGKILL)  # uploads go back to back: one is under way
        proc.wait(timeout=30)
        uploader.join(timeout=120)
    assert DOCUMENTS // 4 <= len(first) < DOCUMENTS, len(first)

    again: list[str] = []
    with rag_server_process(free_port(), data, REPO, **env) as (base, proc):
        upload_all(base, folder, again)
    assert len(again) == DOCUMENTS
    # What was stored is whole and not done again (the upload under way at the kill may have
    # been written before its answer was sent).
    assert len(first) <= again.count("unchanged") <= len(first) + 1
    assert again.count("unchanged") + again.count("added") == DOCUMENTS
    assert chunk_texts(data) == chunk_texts(tmp_path / "clean")  # nothing twice, nothing lost
    report = check(data)
    assert report["ok"] is True and report["findings"] == [], report["findings"]
    assert report["documents"] == DOCUMENTS
    stored = [p for p in (data / "uploads").rglob("*") if p.is_file()]
    assert len(stored) == DOCUMENTS  # one stored file per document, no half-written upload
