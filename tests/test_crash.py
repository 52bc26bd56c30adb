"""Crash safety for real: `rag ingest` of 600 documents killed with SIGKILL mid-way, then run
again, ends identical to a clean ingest (the same chunk ids and texts, nothing twice, nothing
stray), and `rag check` finds the collection whole."""

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
import time
from contextlib import closing
from pathlib import Path

import pytest

from tests.conftest import SEEDS

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
