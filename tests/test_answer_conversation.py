"""rag.answer.conversation: a follow-up carries the previous exchange into retrieval."""

from __future__ import annotations

from rag.answer.conversation import standalone_question
from rag.schemas import ChatTurn

HISTORY = [
    ChatTurn(role="user", content="When did Assad visit Tehran in 2022?"),
    ChatTurn(role="assistant", content="May 2022 [1]. Assad visited Tehran in May 2022 [1]."),
]


def test_follow_ups_carry_the_previous_question_and_short_answer() -> None:
    follow = standalone_question("And when did he visit before that?", HISTORY)
    assert follow.startswith("And when did he visit before that?")
    assert follow.endswith("(context: When did Assad visit Tehran in 2022? May 2022)")


def test_standalone_questions_and_first_turns_stay_as_they_are() -> None:
    assert standalone_question("Who is Masoud Pezeshkian?", HISTORY) == "Who is Masoud Pezeshkian?"
    assert standalone_question("And then?", []) == "And then?"


def test_a_previous_abstention_adds_no_answer_context() -> None:
    history = [HISTORY[0], ChatTurn(role="assistant", content="The documents do not say.")]
    follow = standalone_question("And why?", history)
    assert follow.endswith("(context: When did Assad visit Tehran in 2022?)")


def test_names_of_earlier_turns_come_along() -> None:
    history = [
        *HISTORY,
        ChatTurn(role="user", content="Where had he gone just before that trip?"),
        ChatTurn(role="assistant", content="The United Arab Emirates [2]."),
    ]
    follow = standalone_question("why was that country willing to reconcile with him?", history)
    assert "Where had he gone just before that trip? The United Arab Emirates" in follow
    assert follow.endswith("Assad Tehran)")  # from the turns before, newest first
