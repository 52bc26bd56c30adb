"""The documents tab's logic: list, upload (with progress) and delete, per collection.

Each takes the signed-in user's ``Scope`` (``ui.conversations.SignIns``): a user whose API key
is limited to some collections is offered only those, and anything else is refused.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import gradio as gr

from rag.config import EVERY_COLLECTION, Scope
from rag.errors import InvalidInput, UnknownCollection, UnknownDocument
from rag.service import RagService
from ui import render


def refusal(service: RagService, collection: str | None, scope: Scope) -> str | None:
    """Why this user may not use ``collection`` (empty: the default one), or None."""
    why = scope.refusal(collection or None, service.settings.collection)
    return f"{why[0].upper()}{why[1:]}: pick one from the Collection list." if why else None


def collection_choices(
    service: RagService, current: str | None, scope: Scope = EVERY_COLLECTION
) -> Any:
    """The collection dropdown, refreshed; a name typed but not created yet stays selected.
    A scoped user is offered the collections of their key (those not created yet too, since
    an upload creates them) and starts in one of them.

    The value is sent only when it changes (``current`` is empty, or not the user's to use):
    the reply to a refresh sent when the page loaded, if slow, arrived after the user had
    typed another collection's name, and put the old name back."""
    names = {*scope.visible(service.collections()), *(scope.collections or ())}
    value: str | None = current or service.settings.collection
    if value is not None and not scope.allows(value):
        default = service.settings.collection
        value = default if scope.allows(default) else min(names, default=None)
    choices = sorted({*names, value} if value else names)
    return (
        gr.update(choices=choices) if value == current else gr.update(choices=choices, value=value)
    )


def _documents(service: RagService, name: str) -> list[Any]:
    try:
        return service.documents(name)
    except (UnknownCollection, InvalidInput):
        return []


def listing(
    service: RagService, collection: str | None, scope: Scope = EVERY_COLLECTION
) -> tuple[str, Any]:
    """The documents table and the delete picker for one collection."""
    why = refusal(service, collection, scope)
    if why:
        return render.status_line(why, error=True), gr.update(choices=[], value=None)
    name = collection or service.settings.collection
    docs = _documents(service, name)
    picker = [(f"{d.source} ({d.chunks} chunks)", d.id) for d in docs]
    return render.documents_html(docs, name), gr.update(choices=picker, value=None)


def about(service: RagService, collection: str | None, scope: Scope = EVERY_COLLECTION) -> str:
    """The "what's in this collection" line above the tabs."""
    why = refusal(service, collection, scope)
    if why:
        return render.status_line(why, error=True)
    name = collection or service.settings.collection
    return render.collection_line(_documents(service, name), name)


def viewer(
    service: RagService, request: str, collection: str | None, scope: Scope = EVERY_COLLECTION
) -> str:
    """The source viewer for what "Open document" sent: ``{"ref": "doc_id|chunk_id|hash|
    source", "marks": [the sentences highlighted in that source]}`` (JSON). A document
    replaced by a new version since (a new id, the same file name) opens in that version."""
    why = refusal(service, collection, scope)
    if why:
        return render.status_line(why, error=True)
    try:
        asked = json.loads(request or "{}")
        doc_id, chunk_id, doc_hash, source = str(asked.get("ref", "")).split("|", 3)
        marks = [str(m) for m in asked.get("marks", [])]
    except (ValueError, AttributeError):
        return render.status_line("Could not open that document.", error=True)
    name = collection or service.settings.collection
    now = next((d.id for d in _documents(service, name) if d.source == source), doc_id)
    for wanted in dict.fromkeys([doc_id, now]):
        try:
            passages = service.document_passages(wanted, name)
        except (UnknownDocument, UnknownCollection, InvalidInput):
            continue
        return render.document_view_html(passages, chunk_id, marks, doc_hash)
    return render.document_view_html([], chunk_id, marks, doc_hash)


status = render.status_block


# How an upload went, as the status line says it (``UploadResult.status``).
UPLOADED = {"added": "Added", "replaced": "Replaced (new version)", "unchanged": "Unchanged"}


def upload(
    service: RagService,
    files: list[str] | None,
    collection: str | None,
    progress: gr.Progress | None = None,
    scope: Scope = EVERY_COLLECTION,
) -> tuple[str, str, Any, Any, None]:
    """Ingest uploaded files one by one; returns status, table, picker, collections, cleared
    file input."""
    why = refusal(service, collection, scope)
    if why:
        table, picker = listing(service, collection, scope)
        return status([render.escape(why)], True), table, picker, gr.skip(), None
    name = collection or service.settings.collection
    lines: list[str] = []
    failed = False
    paths = [Path(f) for f in files or []]
    for i, path in enumerate(paths):
        if progress is not None:
            progress((i, len(paths)), desc=f"Ingesting {path.name}", unit="files")
        try:  # the service checks name, type and size, as for POST /v1/documents
            result = service.upload(path.name, path.read_bytes(), name)
            verb = {"added": "Added", "replaced": "Replaced", "unchanged": "Unchanged"}
            lines.append(
                f"{verb[result.status]} {render.escape(result.source)}: {result.chunks} chunks"
            )
        except Exception as exc:  # one bad file must not stop the others
            failed = True
            lines.append(f"Could not add {render.escape(path.name)}: {render.escape(str(exc))}")
    table, picker = listing(service, name)
    # The picker shows the collection written to (the default one, for an empty name).
    choices = collection_choices(service, collection, scope)
    return status(lines, failed), table, picker, choices, None


def delete(
    service: RagService,
    doc_id: str | None,
    collection: str | None,
    scope: Scope = EVERY_COLLECTION,
) -> tuple[str, str, Any]:
    why = refusal(service, collection, scope)
    if why:
        return status([render.escape(why)], True), *listing(service, collection, scope)
    name = collection or service.settings.collection
    if not doc_id:
        return status(["Pick a document to delete first."], True), *listing(service, name)
    known = {d.id: d.source for d in _documents(service, name)}
    shown = render.escape(known.get(doc_id, doc_id))
    try:
        removed = service.delete(doc_id, name).chunks_removed
        message, failed = f"Deleted {shown} ({removed} chunks)", False
    except (UnknownDocument, UnknownCollection):
        message, failed = f"No document {shown} in “{render.escape(name)}”", True
    return status([message], failed), *listing(service, name)
