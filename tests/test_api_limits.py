"""Back-pressure, for real: a uvicorn server in a thread, a deliberately slow generator, and
concurrent clients. Excess answers get 429 with Retry-After; retrieval-only requests and the
health check stay fast meanwhile; a client that hangs up mid-stream frees its turn. (The
queue itself is tested in test_admission.py.)"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from rag.api import create_app
from rag.service import RagService
from tests.api_support import SlowGenerator, serve_in_thread
from tests.conftest import TARGET_QUESTION, make_settings


def test_overload_gets_429_while_retrieval_stays_fast(seeded_dir: Path) -> None:
    settings = make_settings(seeded_dir, max_concurrent_generations=1, max_queued_generations=1)
    slow = SlowGenerator(words=30, delay=0.1)  # ~3 s per answer, ~6 s for the two admitted
    app = create_app(settings, RagService(settings, generator=slow), mount_ui=False)
    with serve_in_thread(app) as base, ThreadPoolExecutor(max_workers=5) as pool:

        def ask(body: dict) -> httpx.Response:
            return httpx.post(f"{base}/v1/query", json=body, timeout=60)

        ask({"question": TARGET_QUESTION, "generate": False})  # warm: embedder and BM25 loaded

        answers = [pool.submit(ask, {"question": TARGET_QUESTION}) for _ in range(5)]
        # All five have arrived when three are refused (one runs, one waits): polled, not a
        # guessed pause, which a busy machine can outrun.
        deadline = time.monotonic() + 30
        while sum(f.done() for f in answers) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        started = time.monotonic()
        retrieval = httpx.post(
            f"{base}/v1/query", json={"question": TARGET_QUESTION, "generate": False}, timeout=10
        )
        retrieval_s = time.monotonic() - started
        health_s = time.monotonic()
        assert httpx.get(f"{base}/healthz", timeout=5).status_code == 200
        health_s = time.monotonic() - health_s
        responses = [f.result() for f in answers]

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200, 200, 429, 429, 429], statuses
    for refused in (r for r in responses if r.status_code == 429):
        assert int(refused.headers["Retry-After"]) >= 1
        assert refused.json()["error"]["type"] == "overloaded"
    assert retrieval.status_code == 200 and retrieval.json()["passages"]
    assert retrieval_s < 2.0, f"retrieval-only took {retrieval_s:.2f} s under load"
    assert health_s < 1.0, f"health check took {health_s:.2f} s under load"
    assert slow.finished == 2


def test_a_client_that_hangs_up_mid_stream_stops_generation(seeded_dir: Path) -> None:
    settings = make_settings(seeded_dir, max_concurrent_generations=1, max_queued_generations=0)
    slow = SlowGenerator(words=100, delay=0.1)  # 10 s if nobody stopped it
    app = create_app(settings, RagService(settings, generator=slow), mount_ui=False)
    with serve_in_thread(app) as base:
        body = {"question": TARGET_QUESTION, "stream": True}
        with httpx.stream("POST", f"{base}/v1/query", json=body, timeout=30) as response:
            assert response.status_code == 200
            lines = response.iter_lines()
            assert next(lines) == "event: passages"
            while not next(lines).startswith("event: token"):
                pass
        # The connection is closed: the generator must be closed and the turn freed.
        assert slow.abandoned.wait(timeout=5), "generation went on after the client left"
        quick = SlowGenerator(words=1, delay=0)
        app.state.service.generator = quick
        app.state.service._generators[quick.name] = quick
        again = httpx.post(f"{base}/v1/query", json={"question": TARGET_QUESTION}, timeout=30)
        assert again.status_code == 200, again.text  # not 429: the slot was released


def test_a_client_that_hangs_up_on_a_plain_answer_stops_generation(seeded_dir: Path) -> None:
    """The same for a non-streaming answer: the client gives up after 1 s; the generation
    stops at its next token and the turn is free for the next request."""
    settings = make_settings(seeded_dir, max_concurrent_generations=1, max_queued_generations=0)
    slow = SlowGenerator(words=100, delay=0.1)  # 10 s if nobody stopped it
    app = create_app(settings, RagService(settings, generator=slow), mount_ui=False)
    with serve_in_thread(app) as base:
        httpx.post(f"{base}/v1/query", json={"question": TARGET_QUESTION, "generate": False})
        try:
            httpx.post(f"{base}/v1/query", json={"question": TARGET_QUESTION}, timeout=1.0)
        except httpx.ReadTimeout:
            pass  # the client gave up: its connection is closed
        else:
            raise AssertionError("the slow answer came back within 1 s")
        assert slow.abandoned.wait(timeout=5), "generation went on after the client left"
        quick = SlowGenerator(words=1, delay=0)
        app.state.service.generator = quick
        app.state.service._generators[quick.name] = quick
        again = httpx.post(f"{base}/v1/query", json={"question": TARGET_QUESTION}, timeout=30)
        assert again.status_code == 200, again.text  # not 429: the turn was given back
        assert again.json()["answer"]
