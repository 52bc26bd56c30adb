"""Answer types, citation verification, the extractive core and follow-up condensing
(pure functions, no models)."""

from __future__ import annotations

from rag.answer import assemble
from rag.compose import Plan, clean_phrase, compose, ground, plan
from rag.conversation import is_follow_up, standalone_question
from rag.evidence import Evidence
from rag.grounding import expected_type, has_type, verify
from rag.schemas import ChatTurn, Passage


def passage(pid: int, text: str, author: str | None = None) -> Passage:
    return Passage(
        id=pid, source=f"d{pid}.txt", chunk_id=f"c{pid}", text=text, score=0.5, author=author
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


def test_verify_repoints_a_wrong_marker_and_reports_support() -> None:
    ps = [
        passage(1, "The weather in Damascus was mild."),
        passage(2, "Over 50 foreign delegations attended the inauguration in Tehran."),
    ]
    text, support = verify("50 foreign delegations attended the inauguration [1].", ps)
    assert text == "50 foreign delegations attended the inauguration [2]."
    assert support[0].citations == [2] and support[0].supported and support[0].score == 1.0


def test_verify_keeps_an_unsupported_marker_but_says_so() -> None:
    ps = [passage(1, "The weather in Damascus was mild.")]
    text, support = verify("Assad fled to Moscow [1].", ps)
    assert text == "Assad fled to Moscow [1]."
    assert not support[0].supported and support[0].score < 0.6


def test_assemble_drops_unsupported_claims_next_to_supported_ones() -> None:
    ps = [passage(1, "Over 50 foreign delegations attended the inauguration in Tehran.")]
    text, abstained, citations, support = assemble(
        "50 delegations attended the inauguration [1]. Assad fled to Moscow [1].", ps
    )
    assert not abstained
    assert text == "50 delegations attended the inauguration [1]."
    assert [c.id for c in citations] == [1] and all(s.supported for s in support)


def test_a_possessive_in_the_passage_supports_its_noun() -> None:
    # Seen on the gold set: "Iran [1]" was re-pointed away from the passage its sentence came
    # from because that passage only says "Iran’s Foreign Ministry" (curly apostrophe).
    ps = [
        passage(1, "On 8 December, Iran’s Foreign Ministry blamed the Syrian army."),
        passage(2, "Iran and Syria signed a deal."),
    ]
    text, support = verify("Iran [1]. The ministry's statement blamed the Syrian army [1].", ps)
    assert text == "Iran [1]. The ministry's statement blamed the Syrian army [1]."
    assert [s.citations for s in support] == [[1], [1]]


def test_author_from_metadata_counts_as_support() -> None:
    ps = [passage(1, "The meeting covered reconstruction.", author="Marta Furlan")]
    _, support = verify("Marta Furlan [1].", ps)
    assert support[0].supported


def test_plan_offers_only_sentences_of_the_asked_kind() -> None:
    ps = [
        passage(1, "Several Iranian diplomats were killed in the strike on the embassy."),
        passage(2, "The embassy in Damascus was rebuilt after the strike on it."),
    ]
    assert plan("How many Iranian diplomats were killed in the strike?", ps, None).offered == []
    found = plan("Which diplomats were killed in the strike?", ps, None).offered
    assert found[0].passage_id == 1


def test_ground_accepts_copied_phrases_only() -> None:
    p = Plan(
        "How much did Iran export to Syria?",
        "number",
        [Evidence(1, "Iran exported goods worth $244 million to Syria last year.")],
    )
    assert ground("$244 million", p) == p.offered[0]
    assert ground("5", p) is None  # a number that is not in the sentence
    assert ground("none", p) is None
    q = Plan("Who did Saudi Arabia appoint?", "any", [Evidence(1, "Saudi Arabia appointed him.")])
    assert ground("Saudi Arabia", q) is None  # only repeats the question


def test_compose_puts_the_phrase_then_its_sentence_with_markers() -> None:
    e = Evidence(3, "Iran exported goods worth $244 million to Syria last year.")
    p = Plan("How much did Iran export?", "number", [e])
    assert compose(clean_phrase(' "$244 million." '), e, p) == (
        "$244 million [3]. Iran exported goods worth $244 million to Syria last year [3]."
    )
    assert compose(None, e, p) == "Iran exported goods worth $244 million to Syria last year [3]."


def test_follow_ups_carry_the_previous_exchange() -> None:
    history = [
        ChatTurn(role="user", content="When did Assad visit Tehran in 2022?"),
        ChatTurn(role="assistant", content="May 2022 [1]. Assad visited Tehran in May 2022 [1]."),
    ]
    assert is_follow_up("And when did he visit before that?")
    assert not is_follow_up("Which Iranian foreign minister died in the helicopter crash?")
    follow = standalone_question("And when did he visit before that?", history)
    assert follow.startswith("And when did he visit before that?")
    assert follow.endswith("(context: When did Assad visit Tehran in 2022? May 2022)")
    assert standalone_question("Who is Masoud Pezeshkian?", history) == "Who is Masoud Pezeshkian?"
    assert standalone_question("And then?", []) == "And then?"
