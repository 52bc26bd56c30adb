"""The lexical side: BM25 over a collection's chunks, and how many chunks hold each term (the
sentence scores' IDF weights and the vocabulary that casual typing is corrected against).

Chroma's open-source server has no BM25, so the index is ours: one SQLite file per collection
(``Settings.lexical_dir``) with an FTS5 table of each chunk's BM25 tokens (bm25s tokenizer,
English stop words, Snowball stems) ranked by FTS5's ``bm25()``, and a table of document
frequencies of ``terms``. It is built and updated at ingest, persisted, and a question reads
only the posting lists of its own terms: no step of a query reads the whole collection.

Chroma stays the record of what is ingested; the index is derived data, kept in step by a
version stamp in the Chroma collection's metadata (``rag.store.chunks.content_stamp``):

- every write (``updating``) sets a new stamp *before* it touches Chroma, applies its own
  chunks to this host's index, and — on the embedded store, where this process is the only
  writer — records the stamp as synced;
- an index whose synced stamp differs from the collection's (a crash mid-write, a write by
  another API replica on a shared Chroma server, an index file deleted) is re-synced by
  diffing its chunk ids and document hashes against Chroma's metadata: in the background while
  the old index keeps answering, or before the query when the index was never built.

Several processes on one host share the file (WAL mode; every call opens its connection, so
threads need no lock either: a write holds SQLite's write lock from its first read, so two
writers applying the same chunks take turns).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rag.config import Settings
from rag.store.chunks import (
    chunk_hashes,
    chunks_by_id,
    content_stamp,
    set_content_stamp,
)
from rag.text.words import bm25_tokens, terms
from rag.tuning import TUNING

log = logging.getLogger(__name__)

# 3: dotted abbreviations as one word ("Ph.D." → phd); 4: "Shi’ite" → shiite; 5: "U.S." → usa;
# 6: "us forces" → usa
SCHEMA_VERSION = "6"
_TABLES = ("meta", "chunks", "doc_freq", "stem_freq", "bm25")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS chunks (
    rowid INTEGER PRIMARY KEY, chunk_id TEXT UNIQUE NOT NULL, doc_hash TEXT NOT NULL,
    words TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS doc_freq (term TEXT PRIMARY KEY, n INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS stem_freq (term TEXT PRIMARY KEY, n INTEGER NOT NULL);
CREATE VIRTUAL TABLE IF NOT EXISTS bm25
    USING fts5(stems, tokenize = 'unicode61 remove_diacritics 0');
"""


def _create(db: sqlite3.Connection) -> None:
    """The tables, within the caller's transaction (``executescript`` would commit it)."""
    for statement in _SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)


_SYNC_PAGE = 2000
"""Chunks read from Chroma per call while re-syncing (bounds memory on large collections)."""


@dataclass(frozen=True)
class Row:
    """What the index needs of one chunk."""

    chunk_id: str
    doc_hash: str
    text: str


class LexicalIndex:
    """BM25 search and document frequencies of one collection, in one SQLite file."""

    def __init__(self, path: Path):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._freq: tuple[str, Counter[str], int] | None = None
        self._sync_lock = threading.Lock()
        self._syncing = False
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            # One transaction: processes starting together (after an upgrade) take turns, so
            # none reads a table another has just dropped.
            db.execute("BEGIN IMMEDIATE")
            _create(db)
            if self._meta(db, "schema") not in (None, SCHEMA_VERSION):  # built by another
                for table in _TABLES:  # version: derived data, so start over (and re-sync)
                    db.execute(f"DROP TABLE IF EXISTS {table}")
                _create(db)
            db.execute(
                "INSERT OR IGNORE INTO meta VALUES "
                "('schema', ?), ('version', '0'), ('chunks', '0')",
                (SCHEMA_VERSION,),
            )

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        with closing(sqlite3.connect(self.path, timeout=30)) as db, db:
            yield db

    def _meta(self, db: sqlite3.Connection, key: str) -> str | None:
        row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    # --- reading -------------------------------------------------------------------------
    @property
    def synced_stamp(self) -> str | None:
        """The collection stamp this index last matched (None: never built)."""
        with self._connect() as db:
            return self._meta(db, "stamp")

    def search(self, question: str, depth: int) -> list[str]:
        """Chunk ids ranked by BM25 for the question (only chunks holding a question token)."""
        tokens = list(dict.fromkeys(bm25_tokens([question])[0]))
        if not tokens or depth <= 0:
            return []
        with self._connect() as db:
            n = int(self._meta(db, "chunks") or 0)
            held = {
                t: int(c)
                for t in tokens
                for (c,) in db.execute("SELECT n FROM stem_freq WHERE term = ? AND n > 0", (t,))
            }
            # FTS5's BM25 gives a term in more than half of the chunks a weight of ~0: it would
            # rank nothing, only cost a pass over most of the index. The selective terms are
            # searched first, the informative ones when those find too few chunks.
            informative = [t for t in tokens if 0 < held.get(t, 0) <= n / 2]
            selective = [t for t in informative if held[t] <= TUNING.common_share * n]
            found: list[str] = []
            for query in ([selective] if 0 < len(selective) < len(informative) else []) + [
                informative
            ]:
                if not query:
                    break
                found = [r[0] for r in db.execute(_SEARCH, (_match(query), depth))]
                if len(found) >= depth:
                    break
        return found

    def frequencies(self) -> tuple[Counter[str], int]:
        """(chunks holding each term, number of chunks), cached until the index changes."""
        with self._connect() as db:
            version = self._meta(db, "version") or "0"
            cached = self._freq
            if cached is not None and cached[0] == version:
                return cached[1], cached[2]
            freq = Counter(dict(db.execute("SELECT term, n FROM doc_freq WHERE n > 0")))
            n = int(self._meta(db, "chunks") or 0)
        self._freq = (version, freq, int(n))
        return freq, int(n)

    def empty(self) -> bool:
        with self._connect() as db:
            return db.execute("SELECT 1 FROM chunks LIMIT 1").fetchone() is None

    def hashes(self) -> dict[str, str]:
        with self._connect() as db:
            return dict(db.execute("SELECT chunk_id, doc_hash FROM chunks"))

    # --- writing -------------------------------------------------------------------------
    def apply(self, added: Sequence[Row], removed: Iterable[str], stamp: str | None = None) -> None:
        """Remove chunks ``removed``, add (or replace) ``added``, in one transaction; record
        ``stamp`` as synced when given."""
        gone = list(dict.fromkeys(removed)) + [r.chunk_id for r in added]
        stems = bm25_tokens([r.text for r in added]) if added else []
        words_of = [sorted(set(terms(r.text))) for r in added]  # before taking the lock
        with self._connect() as db:
            # The write lock from the first read on: another thread or process applying the
            # same chunks (an upload and a sync of it) must not add one between our look and
            # our insert. It waits its turn (the connection's timeout) instead.
            db.execute("BEGIN IMMEDIATE")
            count = 0
            for chunk_id in gone:
                row = db.execute(
                    "SELECT c.rowid, c.words, b.stems FROM chunks c JOIN bm25 b "
                    "ON b.rowid = c.rowid WHERE c.chunk_id = ?",
                    (chunk_id,),
                ).fetchone()
                if row is None:
                    continue
                db.execute("DELETE FROM bm25 WHERE rowid = ?", (row[0],))
                db.execute("DELETE FROM chunks WHERE rowid = ?", (row[0],))
                _count(db, "doc_freq", row[1].split(), -1)
                _count(db, "stem_freq", set(row[2].split()), -1)
                count -= 1
            for r, tokens, words in zip(added, stems, words_of, strict=True):
                cur = db.execute(
                    "INSERT INTO chunks (chunk_id, doc_hash, words) VALUES (?, ?, ?)",
                    (r.chunk_id, r.doc_hash, " ".join(words)),
                )
                db.execute(
                    "INSERT INTO bm25 (rowid, stems) VALUES (?, ?)",
                    (cur.lastrowid, " ".join(tokens)),
                )
                _count(db, "doc_freq", words, 1)
                _count(db, "stem_freq", set(tokens), 1)
                count += 1
            db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'version'")
            db.execute(
                "UPDATE meta SET value = CAST(value AS INTEGER) + ? WHERE key = 'chunks'",
                (count,),
            )
            if stamp is not None:
                db.execute("INSERT OR REPLACE INTO meta VALUES ('stamp', ?)", (stamp,))

    def sync(self, collection: Any) -> None:
        """Bring the index in step with Chroma: re-read what changed, drop what is gone."""
        # The order matters. The stamp first: a write still under way sets another one when it
        # ends, so this sync cannot pass for its result. Then ours before theirs: a writer
        # stores a chunk in Chroma before it adds it here, so a chunk already here is already
        # in Chroma, and a write between the two reads is never mistaken for a removal.
        stamp = content_stamp(collection)
        ours = self.hashes()
        theirs = chunk_hashes(collection, _SYNC_PAGE)
        removed = [cid for cid, h in ours.items() if theirs.get(cid) != h]
        todo = [cid for cid, h in theirs.items() if ours.get(cid) != h]
        for start in range(0, len(todo), _SYNC_PAGE):
            got = chunks_by_id(collection, todo[start : start + _SYNC_PAGE])
            rows = [Row(cid, str(m.get("doc_hash") or ""), text) for cid, (text, m) in got.items()]
            self.apply(rows, removed if start == 0 else [])
        self.apply([], removed if not todo else [], stamp=stamp)
        log.info("lexical index of %s synced: +%d -%d", collection.name, len(todo), len(removed))

    def sync_in_background(self, collection: Any) -> None:
        """Start one re-sync unless one is running; queries go on with the current index."""
        with self._sync_lock:
            if self._syncing:
                return
            self._syncing = True

        def run() -> None:
            try:
                self.sync(collection)
            except Exception:  # a failed sync is retried on the next question
                log.exception("lexical index sync of %s failed", collection.name)
            finally:
                with self._sync_lock:
                    self._syncing = False

        threading.Thread(target=run, name=f"lexical-sync-{collection.name}", daemon=True).start()


_SEARCH = (
    "SELECT c.chunk_id FROM bm25 JOIN chunks c ON c.rowid = bm25.rowid "
    "WHERE bm25 MATCH ? ORDER BY bm25.rank LIMIT ?"
)


def _match(tokens: Iterable[str]) -> str:
    """An FTS5 query for any of the tokens (each quoted: no token is read as syntax)."""
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in tokens)


def _count(db: sqlite3.Connection, table: str, items: Iterable[str], step: int) -> None:
    """Add ``step`` to the chunk counts of ``items`` in a frequency table."""
    db.executemany(
        f"INSERT INTO {table} VALUES (?, ?) ON CONFLICT (term) DO UPDATE SET n = n + ?",
        [(t, step, step) for t in items],
    )


_INDEXES: dict[Path, LexicalIndex] = {}
_INDEXES_LOCK = threading.Lock()


def index_path(settings: Settings, name: str) -> Path:
    return settings.lexical_dir / f"{name}.sqlite"


def stored_index(settings: Settings, name: str) -> LexicalIndex:
    """The index file of collection ``name`` as it is (no sync: ``rag check`` reads it so)."""
    path = index_path(settings, name).resolve()
    with _INDEXES_LOCK:
        if path not in _INDEXES:
            _INDEXES[path] = LexicalIndex(path)
        return _INDEXES[path]


def in_step(collection: Any, settings: Settings) -> LexicalIndex:
    """The index brought in step with Chroma now, in the foreground (the end of an ingest:
    a write killed before it reached the index is caught up with here)."""
    index = stored_index(settings, collection.name)
    if index.synced_stamp != content_stamp(collection):
        index.sync(collection)
    return index


def lexical_index(collection: Any, settings: Settings) -> LexicalIndex:
    """This collection's index, in step with Chroma (see the module docstring)."""
    index = stored_index(settings, collection.name)
    synced = index.synced_stamp
    if synced is None:
        index.sync(collection)  # never built here: nothing to answer from until it is
    elif synced != content_stamp(collection):
        index.sync_in_background(collection)
    return index


def forget(settings: Settings, name: str) -> None:
    """Remove a dropped collection's index file."""
    path = index_path(settings, name).resolve()
    with _INDEXES_LOCK:
        _INDEXES.pop(path, None)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


_WRITE_LOCK = threading.Lock()


@contextmanager
def updating(collection: Any, settings: Settings) -> Iterator[LexicalIndex]:
    """Wrap a write to the collection's chunks: a new stamp first (so a crash mid-write leaves
    the index visibly stale), then the caller writes to Chroma and ``apply``s the same change
    to the yielded index, then a new stamp again (a replica that synced while the write was
    under way read the first one: it will look again). On the embedded store the last stamp is
    recorded as synced when the index was in step before; on a Chroma server other replicas
    may write at the same time, so the next question re-syncs by diff instead."""
    index = stored_index(settings, collection.name)
    with _WRITE_LOCK:
        before = content_stamp(collection)
        synced = index.synced_stamp
        # A new collection's first write starts an index that is in step by construction.
        fresh = synced is None and index.empty() and not collection.count()
        was_synced = synced == before or fresh
        set_content_stamp(collection)
        yield index
        stamp = set_content_stamp(collection)
        if was_synced and not settings.chroma_host:
            index.apply([], [], stamp=stamp)


def rows_of(nodes: Iterable[Any]) -> list[Row]:
    """Index rows of embedded llama-index nodes."""
    return [
        Row(n.node_id, str(n.metadata.get("doc_hash") or ""), n.get_content(metadata_mode="none"))
        for n in nodes
    ]


def vocabulary(collection: Any, settings: Settings) -> Counter[str]:
    """Every content word of the collection with how many chunks hold it (spelling
    correction of questions, ``rag.text.casual``)."""
    return lexical_index(collection, settings).frequencies()[0]
