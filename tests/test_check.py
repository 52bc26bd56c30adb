"""`rag check [--repair]` on a real collection broken the ways a crash breaks one: a document
half written, a chunk without a document, the BM25 index behind Chroma, sentence vectors
lost, an upload stored but never ingested. Repaired, it matches a clean ingest exactly."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

from rag.retrieval.lexical import lexical_index
from rag.service import RagService
from tests.conftest import REPO, make_settings

BIN = Path(REPO) / ".venv" / "bin"
NOTE = b"The Velmora harbour master in 1911 was Ansgar Pellworm. He kept the harbour books. " * 30


def snapshot(service: RagService) -> tuple[list[str], list[str]]:
    """Chunk ids and texts: what a clean ingest makes."""
    got = service.collection().get(include=["documents"])
    pairs = sorted(zip(got["ids"], got["documents"], strict=True))
    return [i for i, _ in pairs], [t for _, t in pairs]


def test_a_clean_collection_checks_ok(seeds_copy: Path, tmp_path: Path) -> None:
    service = RagService(make_settings(tmp_path / "data"))
    service.ingest([seeds_copy])
    service.upload("velmora.txt", NOTE)
    report = service.check()
    assert report.ok and report.findings == [], report.findings
    assert report.documents == 6 and report.chunks == service.collection().count()


def test_repair_mends_what_a_crash_leaves(seeds_copy: Path, tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "data")
    clean = RagService(make_settings(tmp_path / "clean"))
    clean.ingest([seeds_copy])
    service = RagService(settings)
    service.ingest([seeds_copy])
    uploaded = service.upload("velmora.txt", NOTE)
    coll = service.collection()
    lexical_index(coll, settings)  # built and in step

    # A document half written: two of its chunks gone from Chroma only (as a kill -9 between
    # Chroma's write and the index's would leave it), a chunk naming no document, an upload
    # stored but never ingested, and the sentence vectors lost.
    doc = next(d for d in service.documents() if d.source != "velmora.txt")
    ids = sorted(coll.get(where={"doc_id": doc.id}, include=[])["ids"])
    coll.delete(ids=ids[1:3])
    coll.add(ids=["stray-0000"], documents=["half a chunk"], embeddings=[[0.0] * 384])
    stray = settings.uploads_dir / "default" / "0123456789abcdef.txt"
    stray.write_bytes(b"an upload whose ingest never ran")
    with sqlite3.connect(settings.sentence_cache_path) as db:
        db.execute("DELETE FROM vectors")

    found = service.check()
    kinds = {f.kind for f in found.findings}
    assert kinds == {
        "chunk_without_document",
        "broken_document",
        "lexical_out_of_step",
        "sentence_vectors_missing",
        "stray_upload",
    }, found.findings
    assert not found.ok and not any(f.repaired for f in found.findings)
    broken = next(f for f in found.findings if f.kind == "broken_document")
    assert doc.id in broken.detail and doc.source in broken.detail

    fixed = service.check(repair=True)
    assert fixed.ok and {f.kind for f in fixed.findings} == kinds
    assert service.check().findings == []
    upload_ids = set(coll.get(where={"doc_id": uploaded.id}, include=[])["ids"])
    ids_now, texts_now = snapshot(service)
    kept = [(i, t) for i, t in zip(ids_now, texts_now, strict=True) if i not in upload_ids]
    assert kept == list(zip(*snapshot(clean), strict=True))  # the seeds as a clean ingest
    assert len(upload_ids) == uploaded.chunks
    assert not stray.exists()


def test_a_document_made_from_another_version_of_its_file_is_stale(
    seeds_copy: Path, tmp_path: Path
) -> None:
    service = RagService(make_settings(tmp_path / "data"))
    service.ingest([seeds_copy])
    edited = sorted(seeds_copy.glob("*.txt"))[0]
    edited.write_text(edited.read_text() + "\n\nThe Velmora accord was signed in 2031.\n")
    found = service.check()
    assert [f.kind for f in found.findings] == ["stale_document"] and not found.ok
    assert edited.name in found.findings[0].detail
    fixed = service.check(repair=True)
    assert fixed.ok and service.check().findings == []
    texts = service.collection().get(include=["documents"])["documents"]
    assert any("Velmora accord" in t for t in texts)
    # other chunk settings (or a new pipeline version) make every document stale
    other = RagService(make_settings(tmp_path / "data").model_copy(update={"chunk_tokens": 128}))
    assert [f.kind for f in other.check().findings] == ["stale_document"] * 5


def test_the_command_exits_1_while_broken_and_0_once_repaired(
    seeds_copy: Path, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path / "data")
    RagService(settings).upload("velmora.txt", NOTE)
    stray = settings.uploads_dir / "default" / "0123456789abcdef.txt"
    stray.write_bytes(b"an upload whose ingest never ran")
    env = {"RAG_DATA_DIR": str(settings.data_dir), "PATH": str(BIN), "HOME": str(tmp_path)}
    run = [str(BIN / "rag"), "check", "--json"]
    before = subprocess.run(run, env=env, capture_output=True, text=True, timeout=300)
    assert before.returncode == 1, before.stderr
    report = json.loads(before.stdout)
    assert report["ok"] is False and [f["kind"] for f in report["findings"]] == ["stray_upload"]
    fixed = subprocess.run([*run, "--repair"], env=env, capture_output=True, text=True, timeout=300)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert not stray.exists()
    plain = subprocess.run(run[:2], env=env, capture_output=True, text=True, timeout=300)
    assert plain.returncode == 0 and "1 documents" in plain.stdout and "ok" in plain.stdout
