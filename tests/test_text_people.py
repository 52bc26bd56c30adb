"""rag.text.people: people as the documents introduce them."""

from __future__ import annotations

from rag.text.people import introduces


def test_a_person_is_introduced_by_a_role_before_or_after_the_name() -> None:
    meeting = "This came during a meeting between Khaji and Syrian Foreign Minister Faisal Mekdad."
    assert introduces(meeting, "mekdad") and introduces(meeting, "Faisal Mekdad")
    assert not introduces(meeting, "khaji")  # named, not introduced
    lund = "Aaron Lund, an expert on Syrian affairs at the Century Foundation, does not believe it."
    assert introduces(lund, "aaron lund") and introduces(lund, "lund")
    assert not introduces(lund, "century foundation")  # an institution, not a person
    assert not introduces("The discussions between Khaji and Mekdad went on.", "mekdad")
    assert not introduces(meeting, "")
