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
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
QUESTIONS = [
    "Who wrote the analysis of Assad's May 2022 trip to Tehran?",
    "why did iran back assad",
    "When did Assad visit Tehran before May 2022?",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


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
    while time.perf_counter() - began < 600:
        if proc.poll() is not None:
            raise SystemExit(f"rag serve exited with {proc.returncode}")
        try:
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                return proc, base, time.perf_counter() - began
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    stop(proc)
    raise SystemExit("rag serve was not ready within 600 s")


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        proc, base, first_start = start(data)
        try:
            for question in QUESTIONS:
                httpx.post(f"{base}/v1/query", json={"question": question}, timeout=120)
            rss = peak_rss_mb(proc.pid)
        finally:
            stop(proc)
        proc, base, second_start = start(data)
        stop(proc)
    print(
        json.dumps(
            {
                "ready_s_empty_data_dir": round(first_start, 1),
                "ready_s_existing_collection": round(second_start, 1),
                "peak_rss_mb_all_models_loaded": round(rss),
                "target_peak_rss_mb": 2500,
            }
        )
    )


if __name__ == "__main__":
    main()
