"""Small builders shared by the unit tests."""

from __future__ import annotations

from rag.schemas import Passage


def passage(
    pid: int,
    text: str,
    doc: str | None = None,
    author: str | None = None,
    title: str | None = None,
) -> Passage:
    """A retrieved passage numbered ``pid`` (document ``doc``, default one per passage)."""
    doc = doc or f"d{pid}"
    return Passage(
        id=pid,
        source=f"{doc}.txt",
        chunk_id=f"{doc}-{pid}",
        text=text,
        score=0.5,
        title=title,
        author=author,
        doc_id=doc,
    )
