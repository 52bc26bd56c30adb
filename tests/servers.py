"""Real servers for tests, on 127.0.0.1, each stopped by its own PID."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx


def wait_for(url: str, proc: subprocess.Popen[bytes], timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited early with code {proc.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} not ready after {timeout} s")


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()


@contextmanager
def llama_cpp_server(model: Path, port: int, n_ctx: int = 2048) -> Iterator[str]:
    """llama-cpp-python's OpenAI-compatible server on loopback; yields its ``…/v1`` URL."""
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            str(model),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--n_ctx",
            str(n_ctx),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=dict(os.environ),
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/v1/models", proc, timeout=120)
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        stop(proc)


@contextmanager
def rag_server(port: int, data_dir: Path, cwd: Path, **env: str) -> Iterator[str]:
    """`rag serve` on loopback over ``data_dir`` (extra ``RAG_*`` settings in ``env``); yields
    its base URL once /healthz answers."""
    with rag_server_process(port, data_dir, cwd, None, **env) as (base, _):
        yield base


@contextmanager
def rag_server_process(
    port: int, data_dir: Path, cwd: Path, log: Path | None = None, **env: str
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`rag_server`, also yielding the process (for its PID: memory, signals); its console
    output goes to ``log`` when given (to read after a failure), else nowhere."""
    rag = str(Path(sys.executable).parent / "rag")
    with open(log or os.devnull, "wb") as out:
        proc = subprocess.Popen(
            [rag, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env={**os.environ, "RAG_DATA_DIR": str(data_dir), **env},
            cwd=cwd,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_for(f"{base}/healthz", proc)
            yield base, proc
        finally:
            stop(proc)


@contextmanager
def chroma_server(path: Path, port: int) -> Iterator[int]:
    """A real `chroma run` on loopback storing under ``path``; yields its port once it beats."""
    chroma = str(Path(sys.executable).parent / "chroma")
    proc = subprocess.Popen(
        [chroma, "run", "--host", "127.0.0.1", "--port", str(port), "--path", str(path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/api/v2/heartbeat", proc, timeout=60)
        yield port
    finally:
        stop(proc)
