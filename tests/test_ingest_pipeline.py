"""Ingestion into a real embedded Chroma with the real MiniLM embedder."""

from __future__ import annotations

import shutil
from pathlib import Path

from rag.config import Settings
from rag.embedding import get_token_counter, max_tokens
from rag.ingest.pipeline import ingest_paths
from rag.schemas import QueryRequest
from rag.service import RagService
from tests.conftest import SEEDS, make_settings


def test_reingest_is_a_no_op_and_counts_add_up(settings: Settings, seeds_copy: Path) -> None:
    service = RagService(settings)
    first = service.ingest([seeds_copy])
    assert (first.added, first.updated, first.unchanged, first.failed) == (5, 0, 0, [])
    assert first.chunks > 20
    second = service.ingest([seeds_copy])
    assert (second.added, second.updated, second.unchanged, second.removed) == (0, 0, 5, 0)
    assert second.chunks == first.chunks
    docs = service.documents()
    assert sorted(d.source for d in docs) == sorted(p.name for p in SEEDS.glob("*.txt"))
    assert sum(d.chunks for d in docs) == first.chunks


def test_changed_file_replaces_its_chunks_and_prune_removes_gone_files(
    settings: Settings, seeds_copy: Path
) -> None:
    service = RagService(settings)
    service.ingest([seeds_copy])
    target = seeds_copy / "004_0efd705b44b6c4ee.txt"
    target.write_text(
        "A Pragmatic Alliance?\n\nThe embassy reopened on 3 March 2025 after talks in Muscat.\n",
        encoding="utf-8",
    )
    report = service.ingest([seeds_copy])
    assert (report.added, report.updated, report.unchanged) == (0, 1, 4)
    coll = service.collection()
    texts = coll.get(where={"source": target.name}, include=["documents"])["documents"]
    assert len(texts) == 1 and "embassy reopened" in texts[0]
    assert not any("Araghchi" in t for t in texts)

    (seeds_copy / "003_fac2acfae8dc93a1.txt").unlink()
    pruned = service.ingest([], prune=True)
    assert pruned.removed == 1
    assert "003_fac2acfae8dc93a1.txt" not in {d.source for d in service.documents()}


def test_a_bad_file_is_reported_and_the_rest_still_ingest(
    settings: Settings, tmp_path: Path
) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    shutil.copy(SEEDS / "001_f4cdcd2d35e961d2.txt", folder)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7 garbage")
    (folder / "nul.txt").write_bytes(b"\x00" * 64)
    report = RagService(settings).ingest([folder, tmp_path / "missing.md"])
    assert report.added == 1
    failed = {Path(f.path).name: f.error for f in report.failed}
    assert set(failed) == {"broken.pdf", "nul.txt", "missing.md"}
    assert all(failed.values())


def test_chunks_fit_the_embedder_and_carry_offsets(seeded_settings: Settings) -> None:
    service = RagService(seeded_settings)
    got = service.collection().get(include=["documents", "metadatas"])
    model = seeded_settings.resolved_embed_model()
    count = get_token_counter(model)
    limit = max_tokens(model)
    sources = {p.name: p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")}
    for chunk_id, text, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True):
        # What is embedded is the title line plus the text: it must fit MiniLM's window.
        embedded = f"title: {meta['title']}\n\n{text}"
        assert len(count(embedded)) <= limit, chunk_id
        assert chunk_id == f"{meta['doc_id']}-{meta['chunk_index']:04d}"
        # Offsets bound the passage in the file; kept lines are verbatim, only the line
        # breaks between them may differ.
        span = " ".join(sources[meta["source"]][meta["start"] : meta["end"]].split())
        flat = " ".join(text.split())
        assert span.startswith(flat[:60]) and span.endswith(flat[-60:]), chunk_id
        assert "/" not in embedded.split("\n")[0] or "/" in meta["title"]


def test_chunk_ids_are_stable_across_collections(settings: Settings, seeds_copy: Path) -> None:
    service = RagService(settings)
    service.ingest([seeds_copy], collection="first")
    service.ingest([seeds_copy], collection="second")
    ids_a = sorted(service.collection("first").get(include=[])["ids"])
    ids_b = sorted(service.collection("second").get(include=[])["ids"])
    assert ids_a == ids_b


def test_small_files_are_embedded_and_written_in_batches(
    settings: Settings, tmp_path: Path
) -> None:
    """Forty one-paragraph files: one Chroma write for all of them (per-file writes cost
    ~17 ms each and left the encoder's batches nearly empty), a broken file among them
    reported alone, a file named twice stored once, progress heard for every file."""
    folder = tmp_path / "notes"
    folder.mkdir()
    for i in range(40):
        (folder / f"note{i:02d}.txt").write_text(
            f"Note {i}: the convoy {i} reached Homs at dawn.\n"
        )
    (folder / "broken.txt").write_bytes(bytes(range(256)) * 4)
    service = RagService(settings)
    coll = service.collection(create=True)
    adds: list[int] = []
    real_add = coll.add
    coll.add = lambda **kw: adds.append(len(kw["ids"])) or real_add(**kw)  # a spy on the real add
    heard: list[str] = []
    report = ingest_paths(
        [folder, folder / "note00.txt"], coll, settings, on_file=lambda p, o: heard.append(o)
    )
    assert (report.added, report.unchanged, len(report.failed)) == (40, 1, 1)
    assert "broken.txt" in report.failed[0].path
    assert adds == [40] and report.chunks == 40
    assert sorted(heard) == sorted(["added"] * 40 + ["failed", "unchanged"])
    question = QueryRequest(question="When did convoy 17 reach Homs?", generate=False)
    assert service.query(question).passages[0].source == "note17.txt"


def test_embedding_in_stoppable_pieces_gives_the_vectors_of_one_call(tmp_path: Path) -> None:
    """An upload embeds in pieces so that a client gone can stop it; the pieces are whole
    encoder batches of the one-call order, so the vectors (int8 quantization depends on the
    batch) are those the CLI's ingest of the same text would store."""
    import numpy as np

    from rag.embedding import embedder_for
    from rag.store.sentence_vectors import sentence_vectors

    settings = make_settings(tmp_path / "data")
    texts = [f"Survey {n} counted " + "herders and goats " * (n % 23) for n in range(150)]
    asked: list[int] = []

    def still_there() -> bool:
        asked.append(1)
        return False

    pieces = sentence_vectors(settings).get(texts, stop=still_there)
    assert len(asked) > 1  # asked between pieces
    longest_first = sorted(texts, key=lambda t: -len(t))
    one_call = embedder_for(settings).get_text_embedding_batch(longest_first)
    by_text = dict(zip(longest_first, one_call, strict=True))
    assert np.array_equal(pieces, np.array([by_text[t] for t in texts], dtype=np.float32))
