"""Markers, citations and abstention (pure functions, no models)."""

from __future__ import annotations

from rag.answer import assemble, cited_ids, drop_unknown_markers, is_abstention
from rag.prompts import NOT_FOUND
from rag.schemas import Passage


def passages(n: int) -> list[Passage]:
    return [
        Passage(id=i, source=f"d{i}.txt", chunk_id=f"c{i}", text=f"text {i}", score=0.5)
        for i in range(1, n + 1)
    ]


def test_cited_ids_in_first_mention_order() -> None:
    assert cited_ids("A [2]. B [1, 3]. C [2].") == [2, 1, 3]


def test_unknown_markers_are_removed() -> None:
    assert drop_unknown_markers("A [7]. B [1, 9].", {1, 2}) == "A. B [1]."


def test_assemble_maps_markers_to_citations() -> None:
    text, abstained, citations, _ = assemble("Marta Furlan wrote it [2].", passages(3))
    assert not abstained
    assert text == "Marta Furlan wrote it [2]."
    assert [c.id for c in citations] == [2]


def test_refusals_abstain_with_no_citations() -> None:
    for reply in [NOT_FOUND, "The passages do not mention the population.", ""]:
        text, abstained, citations, _ = assemble(reply, passages(2))
        assert abstained and citations == [] and text == NOT_FOUND
    assert is_abstention("The documents do not say.")
    assert not is_abstention("Assad visited in 2019 [1].")


def test_no_passages_means_abstain() -> None:
    assert assemble("Anything [1].", [])[1] is True
