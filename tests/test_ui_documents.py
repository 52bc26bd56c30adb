"""ui.documents: upload, list and delete through the service's rules (handlers, no browser)."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from rag.config import Settings
from rag.service import RagService
from tests.conftest import free_port, make_settings
from ui import conversations, documents, render


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


def test_the_collection_picker_is_set_only_when_its_value_changes(
    settings: Settings, tmp_path: Path
) -> None:
    """A refresh's reply that repeats the collection it was sent with leaves the picker's
    value alone: sent when the page loaded and answered late, it undid a name typed since."""
    service = RagService(settings)
    assert "value" not in documents.collection_choices(service, settings.collection)
    assert "value" not in documents.collection_choices(service, "shelf")  # typed, not created
    assert documents.collection_choices(service, None)["value"] == settings.collection
    note = tmp_path / "note.txt"
    note.write_text("The Zarnovian lighthouse keeper is Ottilie Brannigan. " * 3)
    *_, picked, _ = documents.upload(service, [str(note)], "shelf")
    assert "value" not in picked and "shelf" in picked["choices"]
    *_, picked, _ = documents.upload(service, [str(note)], "")  # an empty name: the default
    assert picked["value"] == settings.collection


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


@pytest.mark.parametrize("stored", [True, False], ids=["conversations-on", "conversations-off"])
def test_a_scoped_user_sees_and_uses_only_their_collections(tmp_path: Path, stored: bool) -> None:
    settings = make_settings(
        tmp_path / "data",
        api_keys="admin-key-0123456789,team-key-0123456789:team-a+team-new",
        seeds_dir=tmp_path / "no-seeds",
        conversations=stored,
    )
    service = RagService(settings)
    ids = {
        name: service.upload(
            f"{name}.txt", f"The {name} shelf holds the Quillon ledger. ".encode() * 3, name
        ).id
        for name in ("default", "team-a", "team-b")
    }
    users = conversations.SignIns(service)
    assert users.claim("alice", "team-key-0123456789")
    assert not users.claim("alice", "admin-key-0123456789")  # a name keeps its first key
    assert users.claim("root", "admin-key-0123456789")
    alice, root = users.scope("alice"), users.scope("root")
    assert not users.scope("mallory").visible(["default", "team-a"])  # never signed in

    # The picker offers the key's collections (one not created yet too) and starts in one.
    picked = documents.collection_choices(service, None, alice)
    assert (picked["choices"], picked["value"]) == (["team-a", "team-new"], "team-a")
    picked = documents.collection_choices(service, None, root)
    assert (picked["choices"], picked["value"]) == (["default", "team-a", "team-b"], "default")

    table, picker = documents.listing(service, "team-a", alice)
    assert "team-a.txt" in table and [v for _, v in picker["choices"]] == [ids["team-a"]]
    for name in ("team-b", None):  # another team's, and the default (not in the scope)
        table, picker = documents.listing(service, name, alice)
        assert "may not use" in table and picker["choices"] == []
        assert "may not use" in documents.about(service, name, alice)
    assert "team-a" not in documents.listing(service, "team-b", alice)[0]

    note = tmp_path / "note.txt"
    note.write_text("Team A's rota changes in spring. " * 3)
    status, *_ = documents.upload(service, [str(note)], "team-b", None, alice)
    assert "may not use" in status
    status, *_ = documents.delete(service, ids["team-b"], "team-b", alice)
    assert "may not use" in status
    assert [d.id for d in service.documents("team-b")] == [ids["team-b"]]  # untouched
    status, *_ = documents.upload(service, [str(note)], "team-new", None, alice)
    assert "Added note.txt" in status and "team-new" in service.collections()

    passage = service.document_passages(ids["team-b"], "team-b")[0]
    ref = json.dumps({"ref": f"{ids['team-b']}|{passage.chunk_id}|{passage.doc_hash}|team-b.txt"})
    shown = documents.viewer(service, ref, "team-b", alice)
    assert "may not use" in shown and "Quillon" not in shown
    assert "Quillon" in documents.viewer(service, ref, "team-b", root)


@pytest.mark.integration
def test_a_listing_read_before_a_delete_is_not_shown_after_it(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page's document events run through Gradio's real queue one at a time, in the order
    sent. Run side by side, a slow listing (read before the delete) arrived after the
    delete's and showed the deleted document again."""
    from gradio_client import Client

    from ui.app import build_ui

    service = RagService(settings)
    note = tmp_path / "note.txt"
    note.write_text("The Zarnovian lighthouse keeper is Ottilie Brannigan. " * 3)
    _, _, picker, _, _ = documents.upload(service, [str(note)], "shelf")
    doc_id = picker["choices"][0][1]

    read, remove = service.documents, service.delete
    slow = [True]  # only the first listing, the one sent before the delete, is slow
    reading = threading.Event()
    order: list[str] = []  # what the server did, in the order it did it

    def documents_slowly(name: str | None = None) -> Any:
        docs = read(name)
        if slow and slow.pop():
            reading.set()
            time.sleep(1.5)
            order.append("listing read")
        return docs

    def delete_noted(*args: Any, **kwargs: Any) -> Any:
        order.append("delete")
        return remove(*args, **kwargs)

    monkeypatch.setattr(service, "documents", documents_slowly)
    monkeypatch.setattr(service, "delete", delete_noted)
    demo = build_ui(service)
    demo.queue().launch(server_name="127.0.0.1", server_port=free_port(), prevent_thread_lock=True)
    try:
        client = Client(demo.local_url, verbose=False, download_files=False)
        listing = client.submit("shelf", api_name="/show_listing")
        # The delete is sent while the listing is reading (not after a guessed pause: on a
        # busy machine the listing may not have reached the server yet).
        assert reading.wait(timeout=60)
        deleting = client.submit(doc_id, "shelf", api_name="/delete")
        status, table, _ = deleting.result(timeout=60)
        assert "Deleted note.txt" in status and "no documents yet" in table
        assert "note.txt" in listing.result(timeout=60)[0]  # read before the delete
        # The delete waited for the listing, so the page ends on the delete's list.
        assert order == ["listing read", "delete"]
        client.close()
    finally:
        demo.close()
