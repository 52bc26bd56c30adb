"""rag.answer.conversation: a follow-up carries the previous exchange into retrieval."""

from __future__ import annotations

from rag.answer.conversation import asked_shape, read_context, standalone_question
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


def test_a_follow_up_on_one_asking_nothing_of_its_own_carries_the_question_it_leaned_on() -> None:
    # "and turkeys trade with syria?" after "what about russia" asks what the question
    # before it asked: an amount (the model's "20 times more" had answered)
    history = [
        ChatTurn(role="user", content="how much does syria owe iran"),
        ChatTurn(role="assistant", content="$30 billion [1]. Syria owes Iran $30 billion [1]."),
        ChatTurn(role="user", content="what about russia"),
        ChatTurn(role="assistant", content="It settled its debts with Russia [1]."),
    ]
    follow = standalone_question("and turkeys trade with syria?", history)
    assert follow.endswith(
        "(context: what about russia how much does syria owe iran It settled its debts with Russia)"
    )
    # a question asking something of its own is carried alone
    asked = [*history[:2], ChatTurn(role="user", content="who owes russia")]
    assert "owe iran" not in standalone_question("and why?", [*asked, history[3]])


def test_a_previous_abstention_adds_no_answer_context() -> None:
    history = [HISTORY[0], ChatTurn(role="assistant", content="The documents do not say.")]
    follow = standalone_question("And why?", history)
    assert follow.endswith("(context: When did Assad visit Tehran in 2022?)")


def test_who_else_is_the_last_question_again_without_its_answer() -> None:
    """ "who else ...?" is searched and ranked as the last question, not by the answer it
    wants others than (the names the last answer gave pulled in the sentences naming them)."""
    history = [
        ChatTurn(role="user", content="Who did Khaji meet on his visit to Syria?"),
        ChatTurn(role="assistant", content="He met President Bashar Assad."),
    ]
    for question in ("who else did he meet", "anyone else?"):
        follow = standalone_question(question, history)
        assert follow == f"{question} (context: Who did Khaji meet on his visit to Syria?)"


def test_names_of_earlier_turns_come_along() -> None:
    history = [
        *HISTORY,
        ChatTurn(role="user", content="Where had he gone just before that trip?"),
        ChatTurn(role="assistant", content="The United Arab Emirates [2]."),
    ]
    follow = standalone_question("why was that country willing to reconcile with him?", history)
    assert "Where had he gone just before that trip? The United Arab Emirates" in follow
    assert follow.endswith("Assad Tehran)")  # from the turns before, newest first


def test_a_follow_ups_context_is_taken_apart_again() -> None:
    """The last question, and what an answer may not merely repeat: the question and its
    context, but not a phrase of the last answer's opening sentence other than who it is
    about ("Century Foundation" answers "where does he work?"; "Aaron Lund" does not)."""
    opening = (
        "Aaron Lund, an expert on Syrian affairs at the Century Foundation, does not believe "
        "that Assad has any intention of distancing himself from Iran."
    )
    history = [
        ChatTurn(role="user", content="who is aaron lund"),
        ChatTurn(role="assistant", content=opening[:-1] + " [1]."),
    ]
    follow = standalone_question("where does he work", history)
    assert "Century Foundation" in follow
    context = read_context(follow, (opening,))
    assert context.asked_before == "who is aaron lund"
    assert "Aaron Lund" in context.echo and "Century" not in context.echo
    # a short answer stays an echo ("two-week" again is no answer to "who led it?")
    history = [
        ChatTurn(role="user", content="how long did the hts offensive take"),
        ChatTurn(role="assistant", content="two-week [1]. The offensive was led by HTS [1]."),
    ]
    follow = standalone_question("who led it", history)
    context = read_context(follow, ("The offensive was led by HTS.",))
    assert "two-week" in context.echo and context.echo == follow
    # a question of its own has no context
    assert read_context("who is aaron lund", (opening,)).asked_before == ""


def test_a_question_asked_again_about_something_else_takes_the_last_ones_shape() -> None:
    """ "and al-qirbi?" after "what does lund think" asks for his view, not a name; a
    follow-up with a question of its own keeps its own shape."""
    history = [
        ChatTurn(role="user", content="what does lund think"),
        ChatTurn(role="assistant", content="In the view of Aaron Lund, ... accurate [1]."),
    ]
    again = standalone_question("and al-qirbi?", history)
    assert asked_shape(again, history) == "explain"
    own = standalone_question("and who did he meet?", history)
    assert asked_shape(own, history) == "list"
    history += [
        ChatTurn(role="user", content="and al-qirbi?"),
        ChatTurn(role="assistant", content="Ahmed Al-Qirbi believes ... [2]."),
    ]
    assert asked_shape(standalone_question("what about al-bazi?", history), history) == "explain"
    summary = [
        ChatTurn(role="user", content="summarize the algemeiner piece"),
        ChatTurn(role="assistant", content="Assad visited Iran on May 8 [1]."),
    ]
    assert asked_shape(standalone_question("and the mena paper?", summary), summary) == "summary"
    assert asked_shape("and the mena paper?", []) == "fact"  # no conversation: as asked


def test_the_last_question_asked_again_of_another_text_is_that_question_of_it() -> None:
    """ "and the eurasiapeace piece?" after "what does the mena paper say about russia" asks
    what the piece says about Russia (it was answered with what the piece says first)."""
    history = [
        ChatTurn(role="user", content="what does the mena paper say about russia"),
        ChatTurn(role="assistant", content="Russia backs Assad [1]."),
    ]
    asked = "what does the eurasiapeace piece say about russia"
    assert standalone_question("and the eurasiapeace piece?", history) == asked
    # asked again once more: still of the first question, not of "and the eurasiapeace piece?"
    longer = [
        *history,
        ChatTurn(role="user", content="and the eurasiapeace piece?"),
        ChatTurn(role="assistant", content="The documents do not say."),
    ]
    asked = "what does the khaji article say about russia"
    assert standalone_question("and the khaji article?", longer) == asked
    # a follow-up naming no text, or asking its own question, carries the context as before
    assert "(context: " in standalone_question("and turkey?", history)
    follow = standalone_question("and who wrote the eurasiapeace piece?", history)
    assert follow.startswith("and who wrote the eurasiapeace piece? (context: ")
