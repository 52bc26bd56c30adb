"""`rag serve` start and memory: seconds from the command to ready (`/readyz`), on an empty
data dir (it ingests the seeds first) and again on the same dir (the collection exists), and
the server's peak RSS with every model loaded (the embedder, and the default LLM warmed up by
one answer at startup), after a few questions.

Run: ``.venv/bin/python bench/bench_serve.py`` (~3 min on 2 cores). The server binds to
127.0.0.1 on a free port and is stopped by its PID. Prints one JSON line; asserts nothing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.conftest import free_port  # noqa: E402
from tests.servers import stop, wait_for  # noqa: E402

QUESTIONS = [
    "Who wrote the analysis of Assad's May 2022 trip to Tehran?",
    "why did iran back assad",
    "When did Assad visit Tehran before May 2022?",
]


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def first_token(answer: dict[str, Any]) -> float | None:
    ms = answer["timings_ms"].get("first_token")
    return None if ms is None else round(ms / 1000, 2)


def start(data_dir: Path) -> tuple[subprocess.Popen[bytes], str, float]:
    """A `rag serve` over ``data_dir`` and the seconds it took to be ready."""
    port = free_port()
    rag = str(Path(sys.executable).parent / "rag")
    began = time.perf_counter()
    proc = subprocess.Popen(
        [rag, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env={**os.environ, "RAG_DATA_DIR": str(data_dir), "RAG_SEEDS_DIR": str(REPO / "seeds")},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/readyz", proc, timeout=600)
    except AssertionError:
        stop(proc)
        raise
    return proc, base, time.perf_counter() - began


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        proc, base, first_start = start(data)
        try:
            answers = [
                httpx.post(f"{base}/v1/query", json={"question": q}, timeout=120).json()
                for q in QUESTIONS
            ]
            rss = peak_rss_mb(proc.pid)
        finally:
            stop(proc)
        proc, base, second_start = start(data)
        stop(proc)
    print(
        json.dumps(
            {
                "label": "rag serve (default models)",
                "ready_s_empty_data_dir": round(first_start, 1),
                "ready_s_existing_collection": round(second_start, 1),
                "peak_rss_mb_all_models_loaded": round(rss),
                # the first question after ready: was the warm-up at start enough?
                "first_question_first_token_s": first_token(answers[0]),
                "first_question_total_s": round(answers[0]["timings_ms"]["total"] / 1000, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
