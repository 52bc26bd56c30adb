"""The BM25 index: built at ingest, persisted, kept in step with Chroma by the content stamp,
and read by a question without reading the whole collection."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable
from contextlib import closing
from functools import partial
from pathlib import Path
from typing import Any

from rag.config import Settings
from rag.retrieval.lexical import (
    LexicalIndex,
    Row,
    forget,
    index_path,
    lexical_index,
    updating,
)
from rag.retrieval.retrieve import retrieve
from rag.schemas import QueryRequest
from rag.service import RagService
from rag.store.chunks import chunk_hashes, content_stamp, set_content_stamp
from rag.text.words import terms
from tests.conftest import SEEDS, TARGET_QUESTION, make_settings

UNIQUE = "Zorblefluxite"
NOTE = f"The harbour of Tartus stores {UNIQUE} ore in its western warehouses since 2019.\n"


def index_contents(path: Path) -> tuple[dict[str, str], dict[str, int]]:
    """(chunk id → document hash, term → chunks holding it) of an index file."""
    index = LexicalIndex(path)
    freq, n = index.frequencies()
    hashes = index.hashes()
    assert n == len(hashes)
    return hashes, dict(freq)


class CountingCollection:
    """The real Chroma collection, with every ``get`` recorded (a spy, not a stand-in)."""

    def __init__(self, collection: Any):
        self._collection = collection
        self.gets: list[dict[str, Any]] = []

    def get(self, **kwargs: Any) -> Any:
        self.gets.append(kwargs)
        return self._collection.get(**kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._collection, name)


def test_the_index_is_built_at_ingest_and_matches_chroma(settings: Settings) -> None:
    service = RagService(settings)
    service.ingest([SEEDS])
    coll = service.collection()
    hashes, freq = index_contents(index_path(settings, coll.name))
    assert hashes == chunk_hashes(coll, 1000)  # every chunk, with its document's hash
    texts = coll.get(include=["documents"])["documents"]
    assert freq == Counter(t for text in texts for t in set(terms(text)))


def test_a_question_reads_only_its_candidates(seeded_settings: Settings) -> None:
    service = RagService(seeded_settings)
    spy = CountingCollection(service.collection())
    found = retrieve(TARGET_QUESTION, spy, seeded_settings, 5)
    assert found and found[0].source == "001_f4cdcd2d35e961d2.txt"
    assert spy.gets, "candidates are read from Chroma"
    for call in spy.gets:  # by id, a few at a time: never the whole collection
        assert call.get("ids") and len(call["ids"]) <= 40


def test_added_and_removed_documents_are_searched_at_once(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "data")
    service = RagService(settings)
    service.ingest([SEEDS])
    note = tmp_path / "note.txt"
    note.write_text(NOTE)
    service.ingest([note])
    coll = service.collection()
    index = lexical_index(coll, settings)
    hits = index.search(f"Where is {UNIQUE.lower()} ore kept?", 5)
    assert hits and hits[0].startswith(service.documents()[-1].id or "")
    assert index.frequencies()[0][UNIQUE.lower()] == 1

    note_id = next(d.id for d in service.documents() if d.source == "note.txt")
    service.delete(note_id)
    index = lexical_index(service.collection(), settings)
    assert index.search(UNIQUE, 5) == []
    assert UNIQUE.lower() not in index.frequencies()[0]
    assert index.frequencies()[1] == service.collection().count()


def test_a_write_the_index_missed_is_synced_from_chroma(tmp_path: Path) -> None:
    """A crash between the Chroma write and the index update, or another replica's write:
    the stamp differs, and the index catches up from Chroma in the background."""
    settings = make_settings(tmp_path / "data")
    service = RagService(settings)
    service.ingest([SEEDS])
    other = make_settings(tmp_path / "other")  # a second process's index of its own
    scratch = RagService(other)
    note = tmp_path / "note.txt"
    note.write_text(NOTE)
    scratch.ingest([note])
    nodes = scratch.collection().get(include=["documents", "metadatas", "embeddings"])
    coll = service.collection()
    set_content_stamp(coll)  # what a writer does first; then it dies before the index update
    coll.add(  # written behind the index's back
        ids=nodes["ids"],
        documents=nodes["documents"],
        metadatas=nodes["metadatas"],
        embeddings=nodes["embeddings"],
    )
    deadline = time.monotonic() + 5
    while not lexical_index(service.collection(), settings).search(UNIQUE, 3):
        assert time.monotonic() < deadline, "the index did not catch up within 5 s"
        time.sleep(0.1)
    answer = service.query(QueryRequest(question=f"where is the {UNIQUE} ore stored?"))
    assert any(p.source == "note.txt" for p in answer.passages)


def test_a_lost_index_is_rebuilt_the_same(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "data")
    service = RagService(settings)
    service.ingest([SEEDS])
    path = index_path(settings, settings.collection)
    before = index_contents(path)
    forget(settings, settings.collection)
    assert not path.exists()
    lexical_index(service.collection(), settings)  # built before the question, from Chroma
    assert index_contents(path) == before


def test_an_own_write_needs_no_resync(tmp_path: Path) -> None:
    """On the embedded store the writer's index is in step right after its write: the first
    question does not re-read the collection."""
    settings = make_settings(tmp_path / "data")
    service = RagService(settings)
    service.ingest([SEEDS])
    coll = service.collection()
    index = lexical_index(coll, settings)
    assert index.synced_stamp == content_stamp(coll) != ""


def test_common_terms_are_searched_only_when_the_rare_ones_find_too_few(tmp_path: Path) -> None:
    """A term in many chunks costs a pass over much of the index: searched first without it,
    and with it again when the selective terms alone fill fewer than ``depth`` places."""
    index = LexicalIndex(tmp_path / "lexical.sqlite")
    rows = [
        Row(f"c{i:02d}", "h", f"Syria and Iran talk trade number {i}{' with Russia' * (i < 10)}.")
        for i in range(30)
    ]
    rows += [Row("port", "h", "Syria leases the Tartus port to Russia.")]
    index.apply(rows, [])
    assert index.frequencies()[1] == 31
    question = "Tartus port of Syria for Russia"
    assert index.search(question, 1) == ["port"]  # "russia" (in 11 of 31) left out ...
    found = index.search(question, 10)  # ... until it is needed ("syria", in all, never)
    assert (
        found[0] == "port"
        and len(found) == 10
        and set(found[1:]) <= {f"c{i:02d}" for i in range(10)}
    )
    # A term in over half of the chunks weighs ~0 in BM25: nothing to rank by, nothing searched.
    assert index.search("Syria", 50) == []
    assert index.search("number 17", 50) == ["c17"]  # "number" is in all, "17" in one
    index.apply([], ["port"])
    assert index.search("Tartus", 5) == [] and index.frequencies()[1] == 30


def test_a_sync_during_another_writers_write_is_not_taken_for_its_result(
    tmp_path: Path,
) -> None:
    """Replica A syncs while replica B is between its first stamp and its Chroma write: A
    matched B's first stamp, but B's closing stamp sends A back to Chroma for the new chunks."""
    settings = make_settings(tmp_path / "data")
    service = RagService(settings)
    service.ingest([SEEDS])
    scratch = RagService(make_settings(tmp_path / "other"))
    note = tmp_path / "note.txt"
    note.write_text(NOTE)
    scratch.ingest([note])
    nodes = scratch.collection().get(include=["documents", "metadatas", "embeddings"])
    coll = service.collection()
    replica_b = make_settings(tmp_path / "b")  # its own index over the same Chroma collection
    with updating(coll, replica_b) as b_index:  # B's write: its first stamp is set
        lexical_index(coll, settings).sync(service.collection())  # A syncs in between
        coll.add(
            ids=nodes["ids"],
            documents=nodes["documents"],
            metadatas=nodes["metadatas"],
            embeddings=nodes["embeddings"],
        )
        b_index.apply(rows_of_chroma(nodes), [])
    deadline = time.monotonic() + 5
    while not lexical_index(service.collection(), settings).search(UNIQUE, 3):
        assert time.monotonic() < deadline, "A never looked again"
        time.sleep(0.1)


def rows_of_chroma(got: dict[str, Any]) -> list[Row]:
    return [
        Row(cid, str(meta["doc_hash"]), text)
        for cid, text, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
    ]


def test_writers_applying_the_same_chunks_at_once_both_succeed(tmp_path: Path) -> None:
    """An upload applies its chunks while a sync (background, or another process's) applies
    the same ones read from Chroma: each ``apply`` checks what is there and writes in one
    transaction, so neither fails on a chunk the other added after it looked."""
    index = LexicalIndex(tmp_path / "lexical.sqlite")
    failures: list[Exception] = []
    for round_ in range(20):
        rows = [
            Row(f"r{round_}-{i}", "h", f"Tartus report {round_} number {i}.") for i in range(40)
        ]
        failures += at_once(partial(index.apply, rows, []), 3)
    assert not failures, failures[:3]
    hashes, freq = index_contents(tmp_path / "lexical.sqlite")
    assert len(hashes) == 20 * 40 and freq["tartus"] == 20 * 40  # each chunk counted once


def test_processes_opening_an_index_of_an_old_schema_at_once_all_succeed(tmp_path: Path) -> None:
    """After an upgrade the index of the old schema is started over (to be re-synced from
    Chroma), also by replicas opening it at once: each in one transaction, so none reads a
    table another has just dropped. (The race a review reproduced by hand is not forced
    here: this is the upgrade path working, with company.)"""
    path = tmp_path / "lexical.sqlite"
    failures: list[Exception] = []
    for _ in range(10):
        LexicalIndex(path).apply([Row("c", "h", "Tartus port.")], [])
        with closing(sqlite3.connect(path)) as db, db:
            db.execute("UPDATE meta SET value = '4' WHERE key = 'schema'")
        failures += at_once(partial(LexicalIndex, path), 4)
    assert not failures, failures[:3]
    assert LexicalIndex(path).empty()  # started over, to be re-synced from Chroma


def at_once(call: Callable[[], object], threads: int) -> list[Exception]:
    """Run ``call`` in ``threads`` threads released together; what each of them raised."""
    start, failures = threading.Barrier(threads), []

    def run() -> None:
        start.wait()
        try:
            call()
        except Exception as exc:  # returned, for the test to assert on
            failures.append(exc)

    running = [threading.Thread(target=run) for _ in range(threads)]
    for thread in running:
        thread.start()
    for thread in running:
        thread.join()
    return failures
