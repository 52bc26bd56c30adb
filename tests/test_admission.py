"""rag.admission: a bounded generation queue shared by every caller (threads)."""

from __future__ import annotations

import threading

import pytest

from rag.admission import Admission
from rag.errors import Overloaded


def test_admits_running_plus_waiting_then_refuses() -> None:
    queue = Admission(concurrent=1, waiting=1)
    first = queue.enter()
    assert first.wait(timeout=1)
    second = queue.enter()
    assert not second.wait(timeout=0.05)  # the one slot is taken
    assert queue.admitted == 2
    with pytest.raises(Overloaded) as refused:
        queue.enter()
    assert refused.value.retry_after >= 1
    first.release()
    assert second.wait(timeout=1)
    second.release()
    assert queue.admitted == 0


def test_giving_up_while_waiting_gives_the_place_back() -> None:
    queue = Admission(concurrent=1, waiting=1)
    first = queue.enter()
    first.wait()
    waiting = queue.enter()
    waiting.release()  # never got a slot
    waiting.release()  # a second release counts for nothing
    assert queue.admitted == 1
    first.release()
    again = queue.enter()
    assert again.wait(timeout=1)
    again.release()
    assert queue.admitted == 0


def test_a_waiting_thread_gets_the_slot_when_it_frees() -> None:
    queue = Admission(concurrent=1, waiting=1)
    first = queue.enter()
    first.wait()
    got = threading.Event()

    def wait_then_release() -> None:
        ticket = queue.enter()
        ticket.wait()
        got.set()
        ticket.release()

    thread = threading.Thread(target=wait_then_release)
    thread.start()
    assert not got.wait(0.1)
    first.release()
    thread.join(timeout=5)
    assert got.is_set() and queue.admitted == 0
