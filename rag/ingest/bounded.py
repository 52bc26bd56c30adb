"""Parsing under time and memory bounds, so that one hostile or pathological file cannot stall
an ingest or exhaust the server's memory.

PDF and HTML go through parsers (pypdf, lxml/trafilatura) whose cost a small file can blow up:
a decompression bomb, a page tree that loops, markup that makes the parser backtrack. Such a
file is parsed in a child process that is killed after ``parse_timeout_s`` and may grow by at
most ``parse_memory_mb``; past either bound the file fails with that reason (a
``DocumentError``, so the CLI reports it in ``failed`` and the API answers 4xx) and the rest
of a batch goes on. Plain text is decoded in process: decoding and cleaning are linear in the
size, which the upload limit bounds (20 MB in about 4 s here).

The parsing runs in one worker process, started on first use (from a fork server that has the
parsers imported, never by forking the server itself: forking a process with running threads —
the encoder's, the web server's — can deadlock the child) and reused for the next file. A
worker that passes a bound is killed and the next file gets a fresh one.
"""

from __future__ import annotations

import multiprocessing
import resource
import threading
from functools import cache
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, cast

from rag.config import Settings
from rag.errors import DocumentError
from rag.ingest.loaders import CleanDocument, kind_of, load_file

BOUNDED_KINDS = frozenset({"pdf", "html"})
# Imported once by the fork server, so that a worker starts with them (the loaders import the
# parsers lazily).
PRELOAD = ["rag.ingest.loaders", "trafilatura", "pypdf", "charset_normalizer"]

# A peak this close to the memory limit means an allocation was refused.
LIMIT_SLACK = 16 * 1024 * 1024


@cache
def _forkserver() -> Any:
    """The fork-server context with its preload set (multiprocessing keeps one per process)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


def _address_space(field: str = "VmSize") -> int:
    """This process's virtual size in bytes (what ``RLIMIT_AS`` counts), or its peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) * 1024
    return 0


def _serve(conn: Connection, memory_mb: int) -> None:
    """The worker: bound its memory, then parse the files it is sent, one at a time, sending back
    ``(status, value, retiring)``. It retires (exits after answering) once a parse has left it
    holding half its budget, so that the next file gets the whole budget again."""
    baseline = _address_space()
    budget = memory_mb * 1024 * 1024
    limit = baseline + budget
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    too_much = ("error", f"parsing the file needed more than {memory_mb} MB")
    while True:
        try:
            path, max_bytes = conn.recv()
        except EOFError:  # the parent is gone or done
            return
        try:
            outcome: tuple[str, Any] = ("ok", load_file(Path(path), max_bytes))
        except MemoryError:
            outcome = too_much
        except DocumentError as exc:
            outcome = ("error", exc)
        except Exception as exc:  # a parser's own failure is a bad file, said in one line
            outcome = ("error", f"unreadable file: {exc or type(exc).__name__}")
        # Parsers that catch every exception (trafilatura) turn running out of memory into "no
        # text": a parse that reached the limit failed for memory, whatever it says.
        reached = _address_space("VmPeak") > limit - LIMIT_SLACK
        if reached and outcome[0] == "error":
            outcome = too_much
        retiring = reached or _address_space() - baseline > budget // 2
        try:
            conn.send((*outcome, retiring))
        except MemoryError:
            conn.send((*too_much, True))
            retiring = True
        if retiring:
            return


class _Worker:
    """The parent's side: one worker at a time, replaced when it passed a bound or retired."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: Any = None
        self._conn: Connection | None = None
        self._memory_mb = 0

    def _stop(self) -> None:
        if self._process is not None:
            if self._process.is_alive():
                self._process.kill()
            self._process.join()
        if self._conn is not None:
            self._conn.close()
        self._process = self._conn = None

    def _ready(self, memory_mb: int) -> Connection:
        alive = self._process is not None and self._process.is_alive()
        if not alive or self._memory_mb != memory_mb:
            self._stop()
            context = _forkserver()
            ours, theirs = context.Pipe()
            self._process = context.Process(target=_serve, args=(theirs, memory_mb), daemon=True)
            self._process.start()
            theirs.close()  # the worker holds the only other end: if it dies, recv sees EOF
            self._conn, self._memory_mb = ours, memory_mb
        assert self._conn is not None
        return self._conn

    def parse(self, path: Path, settings: Settings) -> CleanDocument:
        with self._lock:  # one file at a time through the worker
            conn = self._ready(settings.parse_memory_mb)
            conn.send((str(path), settings.max_upload_bytes))
            try:
                if not conn.poll(settings.parse_timeout_s):
                    self._stop()
                    raise DocumentError(
                        f"parsing the file took longer than {settings.parse_timeout_s:g} s "
                        "(RAG_PARSE_TIMEOUT_S); it was skipped"
                    )
                status, value, retiring = conn.recv()
            except EOFError:
                self._stop()
                raise DocumentError("the parser crashed on this file") from None
            if retiring:
                self._stop()
        if status == "ok":
            return cast(CleanDocument, value)
        raise value if isinstance(value, DocumentError) else DocumentError(str(value))


_worker = _Worker()


def load_bounded(path: Path, settings: Settings) -> CleanDocument:
    """``load_file``, with PDF and HTML parsed in the worker process under the settings' bounds;
    raise ``DocumentError`` saying which bound a file passed."""
    if kind_of(path.name) not in BOUNDED_KINDS:
        return load_file(path, settings.max_upload_bytes)
    return _worker.parse(path, settings)
