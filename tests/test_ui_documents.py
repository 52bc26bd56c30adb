"""ui.documents: upload, list and delete through the service's rules (handlers, no browser)."""

from __future__ import annotations

import json
from pathlib import Path

from rag.config import Settings
from rag.service import RagService
from ui import documents, render


def test_upload_list_and_delete(settings: Settings, tmp_path: Path) -> None:
    service = RagService(settings)
    note = tmp_path / "note.txt"
    note.write_text("The Zarnovian lighthouse keeper is Ottilie Brannigan. " * 3)
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * (settings.max_upload_bytes + 1))
    status, table, picker, _, cleared = documents.upload(service, [str(note), str(big)], "shelf")
    assert "Added note.txt" in status and "larger than the limit" in status and cleared is None
    assert "note.txt" in table and "big.txt" not in table
    doc_id = picker["choices"][0][1]
    status, table, _ = documents.delete(service, doc_id, "shelf")
    assert "Deleted" in status and "no documents yet" in table


def test_a_failed_upload_into_a_new_collection_leaves_no_collection(
    settings: Settings, tmp_path: Path
) -> None:
    service = RagService(settings)
    bad = tmp_path / "photo.txt"
    bad.write_bytes(b"\x00\x01 binary")
    status, _, _, _, _ = documents.upload(service, [str(bad)], "brand-new")
    assert "Could not add photo.txt" in status
    assert "brand-new" not in service.collections()


def test_the_viewer_opens_a_stored_document_and_refuses_what_is_not_there(
    seeded_settings: Settings,
) -> None:
    service = RagService(seeded_settings)
    doc = service.documents()[0]
    passages = service.document_passages(doc.id)
    ref = json.dumps({"ref": f"{doc.id}|{passages[1].chunk_id}|{passages[1].doc_hash}|x.txt"})
    html = documents.viewer(service, ref, None)
    assert 'id="rag-focus"' in html and render.escape(doc.source) in html
    assert html.count('class="rag-focus"') == 1
    gone = json.dumps({"ref": "nope|nope-0000||nope.txt", "marks": []})
    assert "no longer in the collection" in documents.viewer(service, gone, None)
    assert "Could not open" in documents.viewer(service, "{not json", None)
    assert "Could not open" in documents.viewer(service, json.dumps({"ref": 5}), None)
