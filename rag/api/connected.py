"""Blocking work that ends early when its HTTP client goes away."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

import anyio
from fastapi import Request

from rag.api.errors import call_service

T = TypeVar("T")

# How often a request waiting or working checks that its client is still connected.
POLL_S = 0.25


async def while_connected(http: Request, work: Callable[[Callable[[], bool]], T]) -> T:
    """Run ``work(stop)`` in a worker thread; ``stop()`` turns True once the client has gone,
    so the work can end early (an upload waiting for its turn, or being embedded)."""
    gone = threading.Event()

    async def watch() -> None:
        while not await http.is_disconnected():
            await anyio.sleep(POLL_S)
        gone.set()

    outcome: list[T] = []
    failure: list[Exception] = []

    async def run() -> None:
        try:
            outcome.append(await call_service(work, gone.is_set))
        except Exception as exc:  # raised below, as itself (not in an exception group)
            failure.append(exc)
        finally:
            watching.cancel_scope.cancel()  # the watcher is not needed any more

    async with anyio.create_task_group() as watching:
        watching.start_soon(watch)
        watching.start_soon(run)
    if failure:
        raise failure[0]
    return outcome[0]
