"""rag.service: the use-case rules every adapter shares — uploads (checks, storage, rollback),
deletes, collections, generator choice and generation admission."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from rag.config import Settings
from rag.errors import (
    CollectionExists,
    FileTooLarge,
    InvalidInput,
    Overloaded,
    UnknownDocument,
    UnsupportedFileType,
)
from rag.schemas import QueryRequest
from rag.service import RagService, upload_name
from tests.conftest import TARGET_QUESTION, make_settings

TEXT = b"The envoy arrived in Damascus on 2 June 2024 with a trade delegation."


def test_upload_never_writes_outside_the_data_dir(settings: Settings, tmp_path: Path) -> None:
    service = RagService(settings)
    text = b"The envoy arrived in Damascus on 2 June 2024 with a trade delegation."
    result = service.upload("../../outside/evil.txt", text)
    assert result.source == "evil.txt" and result.chunks == 1
    stored = list(settings.uploads_dir.rglob("*"))
    assert [p.name for p in stored if p.is_file()] == [f"{result.id}.txt"]
    assert not (tmp_path / "outside").exists()
    assert service.delete(result.id).chunks_removed == 1
    assert not any(p.is_file() for p in settings.uploads_dir.rglob("*"))


def test_upload_names_are_their_last_path_part() -> None:
    assert upload_name("C:\\Users\\me\\notes.txt") == "notes.txt"
    assert upload_name("../../a/b.md") == "b.md"


def test_upload_names_lose_what_would_disguise_them() -> None:
    """A right-to-left override (U+202E) shows "evil<RLO>gpj.txt" as "eviltxt.jpg"; what is stored
    and shown is what the type check read."""
    assert upload_name("evil\u202egpj.txt") == "evilgpj.txt"
    assert upload_name("re\u200bport\u2066.md\u2069") == "report.md"
    assert upload_name("tab\there\x00.txt") == "tabhere.txt"
    assert upload_name("cafe\u0301.txt") == "caf\u00e9.txt"  # one form of the same name


@pytest.mark.parametrize(
    ("filename", "data", "collection", "error"),
    [
        ("notes.exe", TEXT, None, UnsupportedFileType),
        ("notes.txt", b"", None, InvalidInput),
        ("notes.txt", TEXT, "a/b", InvalidInput),
        ("notes.txt", b"x" * 101, None, FileTooLarge),
    ],
)
def test_bad_uploads_are_refused_before_anything_is_written(
    tmp_path: Path, filename: str, data: bytes, collection: str | None, error: type
) -> None:
    settings = make_settings(tmp_path / "data", max_upload_bytes=100)
    service = RagService(settings)
    with pytest.raises(error):
        service.upload(filename, data, collection)
    assert service.collections() == []
    assert not settings.uploads_dir.exists()


def test_an_unreadable_upload_leaves_no_file_and_no_new_collection(settings: Settings) -> None:
    service = RagService(settings)
    with pytest.raises(InvalidInput, match="binary"):
        service.upload("photo.txt", b"\x00\x01\x02 not text", "fresh")
    assert "fresh" not in service.collections()
    assert not any(p.is_file() for p in settings.uploads_dir.rglob("*"))


def test_delete_looks_in_every_collection_unless_told(settings: Settings) -> None:
    service = RagService(settings)
    result = service.upload("a.txt", TEXT, "other")
    service.create_collection("empty")
    with pytest.raises(UnknownDocument, match="'empty'"):
        service.delete(result.id, "empty")
    deleted = service.delete(result.id)
    assert deleted.collection == "other" and deleted.chunks_removed == 1
    with pytest.raises(UnknownDocument, match="any collection"):
        service.delete(result.id)


def test_collections_are_created_once_and_described(settings: Settings) -> None:
    service = RagService(settings)
    assert service.create_collection("team-a").chunks == 0
    with pytest.raises(CollectionExists):
        service.create_collection("team-a")
    service.upload("a.txt", TEXT, "team-a")
    info = service.collection_info("team-a")
    assert (info.documents, info.chunks) == (1, 1)


def test_retrieval_only_requests_take_no_generation_turn(seeded_settings: Settings) -> None:
    service = RagService(seeded_settings)
    assert service.admit(QueryRequest(question=TARGET_QUESTION, generate=False)) is None
    assert service.admit(QueryRequest(question=TARGET_QUESTION)) is not None


def test_every_caller_shares_one_generation_queue(seeded_dir: Path) -> None:
    """The UI's way (``stream_query``) and the API's way (``admit``) take turns in the same
    queue: with one running and no room to wait, a second answer is refused."""
    settings = make_settings(seeded_dir, max_concurrent_generations=1, max_queued_generations=0)
    service = RagService(settings)
    request = QueryRequest(question=TARGET_QUESTION)
    holder = service.admit(request)
    assert holder is not None and holder.wait(timeout=1)
    with pytest.raises(Overloaded) as refused:
        next(service.stream_query(request))
    assert refused.value.retry_after >= 1
    holder.release()
    answered = threading.Event()

    def ask() -> None:
        service.query(request)
        answered.set()

    worker = threading.Thread(target=ask)
    worker.start()
    worker.join(timeout=60)
    assert answered.is_set() and service.admission.admitted == 0


def test_warm_up_answers_once_and_fills_the_caches(seeded_settings: Settings) -> None:
    """What the first answer loads is loaded at startup: the spelling check's word list and
    the retrieved sentences' vectors are in memory after it."""
    from rag.store.sentence_vectors import sentence_vectors
    from rag.text.casual import english

    response = RagService(seeded_settings).warm_up()
    assert response is not None and response.passages and not response.abstained
    assert english.cache_info().currsize == 1
    assert sentence_vectors(seeded_settings)._memory


def test_warm_up_skips_an_empty_collection(settings: Settings) -> None:
    assert RagService(settings).warm_up() is None


def test_a_word_only_a_documents_name_uses_is_not_spelled_away(seeded_settings: Settings) -> None:
    """ "MENA" is in the paper's masthead, never in its chunks: the spelling check would read a
    typed "mena" as the collection's "mean" and lose the paper."""
    from rag.retrieval.lexical import vocabulary
    from rag.retrieval.retrieve import naming_words

    service = RagService(seeded_settings)
    collection = service.collection()
    assert "mena" not in vocabulary(collection, seeded_settings)
    assert "mena" in naming_words(collection)
    response = service.query(QueryRequest(question="summarize the mena paper"), record=False)
    assert response.question == "summarize the mena paper"
    assert {p.source for p in response.passages} == {"002_a7f7d5f348e28b9b.txt"}


def test_a_documents_masthead_is_read_once_per_content_stamp(
    seeded_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every question naming a document compares the candidates' mastheads (and each part of
    a question naming its own again): they are read from Chroma once, until a write."""
    import rag.retrieval.retrieve as retrieve
    from rag.store.chunks import set_content_stamp

    service = RagService(seeded_settings)
    collection = service.collection()
    doc = next(d.id for d in service.documents() if d.source.startswith("002_"))
    reads: list[str] = []
    read = retrieve.document_chunks

    def counted(coll: Any, doc_id: str) -> Any:
        reads.append(doc_id)
        return read(coll, doc_id)

    monkeypatch.setattr(retrieve, "document_chunks", counted)
    monkeypatch.setattr(retrieve, "_MASTHEADS", {})  # as after a restart: nothing read yet
    first = retrieve.masthead(collection, doc)
    assert "MENA" in first
    assert retrieve.masthead(collection, doc) == first and reads == [doc]
    set_content_stamp(collection)  # what every write does first
    assert retrieve.masthead(service.collection(), doc) == first and reads == [doc, doc]
