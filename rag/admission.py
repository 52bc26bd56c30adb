"""Admission for answer generation (and, in a queue of their own, uploads): a bounded number
run and wait, for every caller.

The local model answers one question at a time (llama.cpp contexts are not thread-safe), so
every answer that generates — from the API, the UI, the CLI or the eval harness — takes a
turn here: at most ``concurrent`` run, at most ``waiting`` wait, and any more are refused at
once with ``Overloaded`` and a retry estimate instead of piling up threads and memory.
Retrieval-only requests never take a turn.

Thread-safe (the UI and the API's worker threads share it); waiting is a blocking call with a
timeout, so an async caller can wait in a worker thread and still notice a client that left.
"""

from __future__ import annotations

import math
import threading
import time

from rag.errors import Overloaded

ANSWERS_HINT = '(retrieval-only requests, "generate": false, are not limited)'


class Admission:
    def __init__(
        self,
        concurrent: int,
        waiting: int,
        first_guess_s: float = 5.0,
        what: str = "answers",
        hint: str = ANSWERS_HINT,
    ):
        self.what = what
        self.hint = hint
        self.concurrent = concurrent
        self.capacity = concurrent + waiting
        self.admitted = 0  # running + waiting
        self._slots = threading.Semaphore(concurrent)
        self._lock = threading.Lock()
        self._average_s = first_guess_s  # moving average of how long an answer holds a slot

    def retry_after(self) -> int:
        """Seconds until a place in the queue is likely free: the next of the running ones to
        end, at the average pace (not the whole queue: a place opens when one ends)."""
        return max(1, math.ceil(self._average_s / self.concurrent))

    def enter(self) -> Ticket:
        """A place in the queue (not yet a slot), or ``Overloaded`` at once when it is full."""
        with self._lock:
            if self.admitted >= self.capacity:
                seconds = self.retry_after()
                raise Overloaded(
                    f"busy: {self.admitted} {self.what} running or waiting; retry in "
                    f"{seconds} s {self.hint}".rstrip(),
                    seconds,
                )
            self.admitted += 1
        return Ticket(self)

    def _finished(self, held_s: float | None) -> None:
        with self._lock:
            self.admitted -= 1
            if held_s is not None:
                self._average_s = 0.8 * self._average_s + 0.2 * held_s


class Ticket:
    """One answer's place: ``wait`` for a slot, ``release`` when done (or when giving up)."""

    def __init__(self, admission: Admission):
        self._admission = admission
        self._started: float | None = None
        self._released = False

    def wait(self, timeout: float | None = None) -> bool:
        """Block until a slot is free (True), or until ``timeout`` seconds pass (False)."""
        if self._started is not None:
            return True
        if not self._admission._slots.acquire(timeout=timeout):
            return False
        self._started = time.monotonic()
        return True

    def release(self) -> None:
        """Give the slot (or the place in the queue) back; only the first call counts."""
        if self._released:
            return
        self._released = True
        held = None
        if self._started is not None:
            self._admission._slots.release()
            held = time.monotonic() - self._started
        self._admission._finished(held)
