"""``retrieve``: the retrieval mode chosen by ``Settings.retrieval``, in one registry."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rag.config import Settings
from rag.retrieval.dense import dense, to_passages
from rag.retrieval.fusion import hybrid, rrf
from rag.schemas import Passage

Retriever = Callable[[str, Any, Settings, int], list[Any]]
RETRIEVERS: dict[str, Retriever] = {"hybrid": hybrid, "rrf": rrf, "dense": dense}


def retrieve(question: str, collection: Any, settings: Settings, top_k: int) -> list[Passage]:
    """The ``top_k`` best passages for the question, numbered 1..n."""
    if top_k <= 0 or collection.count() == 0:
        return []
    return to_passages(RETRIEVERS[settings.retrieval](question, collection, settings, top_k))
