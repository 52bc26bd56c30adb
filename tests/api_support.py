"""Helpers for the API tests: an isolated copy of the seeded store, a server in a thread,
a deliberately slow generator, and a server-sent-events parser."""

from __future__ import annotations

import json
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI

from rag.answer.pipeline import Gathered
from rag.schemas import ChatTurn
from tests.conftest import free_port


def copy_store(seeded_dir: Path, target: Path) -> Path:
    """A private copy of the session's seeded data dir, so a test may change it freely."""
    shutil.copytree(seeded_dir, target)
    return target


@contextmanager
def serve_in_thread(app: FastAPI) -> Iterator[str]:
    """A real uvicorn server on 127.0.0.1 running ``app`` in a thread; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise AssertionError("the in-thread server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


class SlowGenerator:
    """A real generator that is slow on purpose (sleeps between words), to load the queue.

    It cites passage 1 so the answer is not an abstention, and records how each stream ended.
    """

    name = "slow"

    def __init__(self, words: int = 10, delay: float = 0.1):
        self.words = words
        self.delay = delay
        self.started = 0
        self.finished = 0
        self.abandoned = threading.Event()  # a stream was closed before its end

    def stream(
        self, question: str, found: Gathered, history: list[ChatTurn] | None = None
    ) -> Iterator[str]:
        self.started += 1
        completed = False
        try:
            for i in range(self.words):
                time.sleep(self.delay)
                yield f"word{i} "
            yield "is the answer [1]."
            completed = True
            self.finished += 1
        finally:
            if not completed:
                self.abandoned.set()


def parse_sse(text: str) -> list[tuple[str, Any]]:
    """``(event name, JSON data)`` for each event of a text/event-stream body."""
    events = []
    for block in text.strip().split("\n\n"):
        name, data = "message", []
        for line in block.splitlines():
            if line.startswith("event:"):
                name = line.removeprefix("event:").strip()
            elif line.startswith("data:"):
                data.append(line.removeprefix("data:").strip())
        payload = "\n".join(data)
        events.append((name, payload if payload == "[DONE]" else json.loads(payload)))
    return events
