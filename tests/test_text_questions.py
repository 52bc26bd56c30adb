"""rag.text.questions: what a question asks for, from its wording."""

from __future__ import annotations

from rag.text.questions import (
    asks_author,
    asks_explanation,
    asks_why,
    expected_type,
    has_type,
    is_follow_up,
)


def test_expected_types() -> None:
    assert expected_type("How many rockets were fired?") == "number"
    assert expected_type("What was the total number of refugees?") == "number"
    assert expected_type("By what percentage did returns grow?") == "percent"
    assert expected_type("When did Assad visit Tehran?") == "date"
    assert expected_type("On what date did Khaji arrive?") == "date"
    assert expected_type("Who wrote the analysis?") == "any"


def test_values_of_a_kind() -> None:
    assert has_type("He fired between 20 and 30 rockets.", "number")
    assert not has_type("Several diplomats were killed.", "number")
    assert not has_type("Returns grew by 63% in 2024.", "number")  # a share and a year only
    assert has_type("Returns grew by 63%.", "percent")
    assert has_type("It happened on June 4, 2024.", "date")
    assert has_type("In the spring of 2022 the US signalled a change.", "date")
    assert not has_type("The visit marked another chapter.", "date")


def test_answer_shapes() -> None:
    assert asks_why("Why did Iran not defend Assad?") and asks_why("How did Iran react?")
    assert not asks_why("How many delegations came?")
    assert asks_explanation("Who met Assad and where?") and not asks_explanation("Who met Assad?")
    assert asks_author("Who wrote the analysis?") and not asks_author("Who met Assad?")


def test_follow_ups() -> None:
    assert is_follow_up("And when did he visit before that?")
    assert is_follow_up("Tehran?")  # too few words of its own
    assert not is_follow_up("Which Iranian foreign minister died in the helicopter crash?")
