"""rag.answer.claims: the sentences of an answer with several claims, without a model
(the scores here are term shares only; the pipeline tests run them with MiniLM)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from rag.answer import evidence
from rag.answer.claims import (
    in_context,
    in_reading_order,
    is_statement,
    names_another,
    naming_others,
    new_names,
    overlap,
    pick_claims,
    quoted_people,
    ranked_claims,
    rare_terms,
)
from rag.answer.evidence import Evidence
from rag.tuning import TUNING
from tests.support import passage


def test_statements_and_repeats() -> None:
    assert is_statement("Iran backed Assad through the war.")
    assert is_statement("He said it was “a strategic link.”")
    assert not is_statement("Indicators of Changing Relations Between Iran and Syria")  # heading
    assert not is_statement("Where is the relationship heading?")
    # page chrome: a date and a teaser cut short (it opened an answer comparing two visits)
    assert not is_statement("Saturday, July 13, 2024 Foreign AffairsAfter his recent movements...")
    assert overlap("Iran backed Assad in the war.", "In the war, Iran backed Assad.") == 1.0


def test_claims_skip_repeats_and_stop_at_the_floor() -> None:
    ranked = [
        Evidence(1, "Iran backed Assad through the long civil war.", 0.8),
        Evidence(2, "Through the long civil war Iran backed Assad.", 0.7),  # a repeat
        Evidence(1, "Militias from Lebanon fought for Assad too.", 0.5),
        Evidence(3, "The weather in Damascus was mild that week.", 0.1),  # below the floor
    ]
    chosen = pick_claims(ranked, 5)
    assert [c.text for c in chosen] == [ranked[0].text, ranked[2].text]


def test_claims_cover_the_questions_rare_words() -> None:
    """ "al-bazi vs al-abdullah": a sentence naming the side no claim has named yet goes
    ahead of one more about the side already named, though it scores a little lower."""
    ranked = [
        Evidence(1, "Al-Abdullah blames Syrian merchants for the weak trade with Iran.", 0.62),
        Evidence(2, "Al-Abdullah says the trade follows a win-lose pattern with Iran.", 0.60),
        Evidence(3, "Al-Bazi believes Iran does not impose changes on Syria.", 0.55),
        Evidence(4, "Iran and Syria signed a trade deal in Damascus.", 0.54),
        Evidence(5, "Iran sent advisers to Syria during the war.", 0.53),
        Evidence(6, "Syria hosted Iranian officials for talks.", 0.52),
        *(
            Evidence(7 + i, f"Iran and Syria met for round {i} of the talks.", 0.5)
            for i in range(4)
        ),
    ]
    question = "al-bazi vs al-abdullah: is iran pushy toward syria"
    plain = [c.passage_id for c in pick_claims(ranked, 2)]
    assert plain == [1, 2]  # by score alone, both about Al-Abdullah
    assert [c.passage_id for c in pick_claims(ranked, 2, question)] == [1, 3]
    # a question word is no rare word: "what" and "about" held by one sentence each
    lines = ["What Iraq wants is calm.", "Talks about trade.", *(t.text for t in ranked)]
    assert rare_terms("what about iraq", lines) == {lines[0]: {"iraq"}}
    # words most sentences hold ("iran", "syria") are not rare: they change nothing
    assert pick_claims(ranked, 6, "is iran pushy toward syria") == pick_claims(ranked, 6)


def test_a_rare_word_is_held_as_the_start_of_a_longer_one() -> None:
    # "relations" of the question is held by "relationship": the best sentence is not
    # passed over for a weaker one naming "relations" (the 2022 UAE visit opened "what did
    # assad tell khamenei in 2024 about relations")
    told = Evidence(1, "Assad told him: the Iranian-Syrian relationship is strategic.", 0.61)
    other = Evidence(2, "This visit showed the readiness to normalize relations with Assad.", 0.55)
    filler = [Evidence(3 + i, f"Assad met Khamenei for round {i}.", 0.3) for i in range(8)]
    question = "what did assad tell khamenei about relations"
    lines = [e.text for e in (told, other, *filler)]
    assert rare_terms(question, lines)[told.text] >= {"relat"}
    assert pick_claims([told, other, *filler], 1, question) == [told]


def test_the_kind_of_text_a_question_names_is_no_rare_word() -> None:
    # "what do the articles say about captagon" took "This article was originally
    # published by ..." for its "article"
    lines = [
        "This article was originally published by the Institute.",
        "Iran's red lines include stopping the smuggling of Captagon pills.",
        *(f"Iran and Syria met for round {i} of the talks." for i in range(8)),
    ]
    rare = rare_terms("what do the articles say about captagon", lines)
    assert rare == {lines[1]: {"captagon"}}


def test_a_question_asked_of_all_the_documents_hears_each_of_them() -> None:
    """ "what do the articles say about refugees": one document telling of it at length
    took every claim; each document's best claims now come first, in turn."""
    ranked = [
        Evidence(1, "The return of Syrian refugees from Jordan was discussed.", 0.45),
        Evidence(2, "Khaji called for a UN resolution on the return of refugees.", 0.42),
        Evidence(1, "Refugee returns rose by 63% in the first half of the year.", 0.40),
        Evidence(3, "Khaji and Mekdad talked about refugees and the economy.", 0.38),
        Evidence(4, "Scholz spoke of deporting asylum seekers who commit crimes.", 0.36),
        Evidence(5, "Germany may talk with the Syrian government about returns.", 0.34),
        Evidence(6, "The weather in Damascus was mild that week.", 0.1),
    ]
    documents = {1: "khaji", 2: "khaji", 3: "khaji", 4: "mena", 5: "mena", 6: "herald"}
    assert [c.passage_id for c in pick_claims(ranked, 3)] == [1, 2, 1]  # all from Khaji's
    spread_out = pick_claims(ranked, 3, documents=documents)
    assert [c.passage_id for c in spread_out] == [1, 4, 2]  # each one's best, then the next
    assert TUNING.span_claims == 2
    # then the rest by score; below the claim floor nothing comes, whatever its document
    assert [c.passage_id for c in pick_claims(ranked, 8, documents=documents)] == [
        1, 4, 2, 5, 1, 3
    ]  # fmt: skip
    # within a document, what the question names and its claims do not hold yet goes first:
    # the MENA paper's sentence on Germany, not its better-scoring one on Scholz
    asked = "what do the articles say about refugees and germany"
    assert [c.passage_id for c in pick_claims(ranked, 2, asked, documents)] == [1, 5]


def test_a_text_asked_with_the_others_is_heard_on_a_rare_word_below_the_floor() -> None:
    """ "what do the articles say about hts": the EurasiaPeace piece's sentence on the HTS
    offensive scored below the claim floor, and the piece was not heard; a sentence holding a
    rare word of the question is its say, asked of all the texts (not asked of one)."""
    ranked = [
        Evidence(1, "Northwest Syria is held by the armed group HTS and the SIG.", 0.30),
        Evidence(1, "Assad's power is concentrated in the west of the country.", 0.27),
        Evidence(2, "Assad fell after a two-week offensive led by HTS.", 0.12),
        Evidence(3, "Iran's read of the talks with Damascus.", 0.11),
        Evidence(3, "Trade between Iran and Syria stayed low.", 0.10),
        Evidence(3, "Tehran wants a return on its spending.", 0.09),
        Evidence(1, "The IRGC may fill the void left by Russia.", 0.08),
        Evidence(1, "Israel has struck Iranian targets for eight years.", 0.07),
        Evidence(3, "Assad balances Russia and Iran.", 0.06),
        Evidence(3, "Gulf states want Syria away from Iran.", 0.05),
    ]
    documents = {1: "algemeiner", 2: "eurasiapeace", 3: "mena"}
    asked = "what do the articles say about hts"
    assert [c.passage_id for c in pick_claims(ranked, 4, asked, documents)] == [1, 2, 1]
    assert [c.passage_id for c in pick_claims(ranked, 4, asked)] == [1, 1]  # not spread


def test_the_sentences_after_a_topic_sentence_carry_its_score() -> None:
    p = passage(
        1,
        "Researchers blame three factors for the low trade between Iran and Syria. "
        "Informal pathways carry most goods. Unofficial taxes add to costs.",
    )
    ranked = ranked_claims("Why is trade between Iran and Syria low?", [p], None)
    assert ranked[0].text.startswith("Researchers blame")
    assert ranked[1].score > 0 and ranked[2].score > 0  # no shared words, carried


def test_the_authors_biography_carries_nothing_from_the_conclusion_before_it() -> None:
    p = passage(
        1,
        "Israel must be aware of the limits of its airstrike campaign in Syria. "
        "Marta Furlan holds a Ph.D. from St. Andrews. Her dissertation studied armed groups.",
        author="Marta Furlan",
    )
    ranked = ranked_claims("Why does the airstrike campaign in Syria have limits?", [p], None)
    scores = {e.text[:12]: e.score for e in ranked}
    assert scores["Israel must "] > 0
    assert scores["Marta Furlan"] == 0 and scores["Her disserta"] == 0


def test_reading_order_and_context() -> None:
    a = passage(1, "Iran backed Assad in the war. He sent militias from Lebanon.", doc="a")
    b = passage(2, "Russia sent its air force.", doc="b")
    claims = [
        Evidence(2, "Russia sent its air force.", 0.9),
        Evidence(1, "He sent militias from Lebanon.", 0.8),
    ]
    claims.append(Evidence(1, "Iran backed Assad in the war.", 0.7))
    ordered = in_reading_order(in_context(claims, [a, b]), [a, b])
    assert [c.text for c in ordered] == [
        "Russia sent its air force.",
        "Iran backed Assad in the war.",
        "He sent militias from Lebanon.",  # its context is a claim of its own: not repeated
    ]
    alone = in_context([Evidence(1, "He sent militias from Lebanon.", 0.8)], [a, b])
    assert alone[0].text == "Iran backed Assad in the war. He sent militias from Lebanon."


def test_a_context_inside_another_claim_is_not_repeated() -> None:
    # A part's claim comes with its own context; a later claim leaning on that same sentence
    # does not repeat it ("He also held talks with ..." twice).
    p = passage(
        1,
        "Khaji's visit was not limited to Assad. He also held talks with Mekdad. These talks "
        "covered the refugees.",
    )
    claims = [
        Evidence(1, "Khaji's visit was not limited to Assad. He also held talks with Mekdad.", 0.9),
        Evidence(1, "These talks covered the refugees.", 0.8),
    ]
    texts = [c.text for c in in_context(claims, [p])]
    assert texts == [claims[0].text, "These talks covered the refugees."]


def test_a_claim_carries_the_sentence_after_it_that_leans_on_it() -> None:
    p = passage(
        1,
        "Before the meeting, Assad visited the UAE. This visit showed the region was ready to "
        "normalise ties. Trade figures stayed low.",
    )
    claim = Evidence(1, "Before the meeting, Assad visited the UAE.", 0.8)
    assert in_context([claim], [p])[0].text == (
        "Before the meeting, Assad visited the UAE. This visit showed the region was ready to "
        "normalise ties."
    )
    # a sentence after that does not lean on the claim stays apart ("Trade figures ..."); one
    # already told is not said again
    other = Evidence(1, "This visit showed the region was ready to normalise ties.", 0.7)
    assert [c.text for c in in_context([other], [p])] == [claim.text + " " + other.text]
    told = [Evidence(0, "This visit showed the region was ready to normalise ties.")]
    assert in_context([claim], [p], told)[0].text == claim.text
    # nor does the next paragraph's first sentence ("It is not easy ..." leans on nothing)
    q = passage(1, "Iran holds sway among the clans.\n\nIt is not easy for Assad to leave Iran.")
    alone = Evidence(1, "Iran holds sway among the clans.", 0.8)
    assert in_context([alone], [q])[0].text == alone.text


def test_a_heading_is_no_context_for_the_claim_below_it() -> None:
    p = passage(1, "Why Did Assad Stay Out?\n\nIt has become clear that he feared Israel.")
    claim = Evidence(1, "It has become clear that he feared Israel.", 0.8)
    assert in_context([claim], [p])[0].text == claim.text


def test_a_follow_up_ranks_by_its_own_words_as_much_as_by_its_context(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    visit = passage(1, "Khaji met President Assad during his visit to Syria.")
    talks = passage(2, "Talks with Foreign Minister Faisal Mekdad covered refugees.")
    asked = (
        "who else did he hold talks with there? (context: Who did Khaji meet on his visit to "
        "Syria? He met President Assad.)"
    )

    def gap() -> float:
        score = {e.passage_id: e.score for e in ranked_claims(asked, [visit, talks], None)}
        return score[1] - score[2]

    weighed = gap()
    monkeypatch.setattr(evidence, "TUNING", replace(TUNING, follow_up_own_weight=0.0))
    assert weighed < gap()  # the asked-for "talks" gains on the context's names


def test_an_author_box_is_a_claim_only_of_a_question_about_the_author() -> None:
    """ "Editor-in-chief, The Eastern Herald." was a claim of "compare the algemeiner and
    eastern herald takes on ...": it holds the question's words, and says nothing of what
    is asked."""
    bajwa = "Muzaffar Ahmad Noori Bajwa"
    herald = passage(
        1,
        "Khamenei’s messages to Assad were a warning, the Eastern Herald reports.\n\n"
        f"{bajwa}\nEditor-in-chief, The Eastern Herald. Policy expert on Khamenei.",
        author=bajwa,
    )

    def scores(question: str) -> dict[str, float]:
        return {e.text.split()[0]: e.score for e in ranked_claims(question, [herald], None)}

    topic = scores("compare the eastern herald takes on khamenei's messages")
    assert topic["Khamenei’s"] > 0 and topic["Muzaffar"] == topic["Policy"] == 0
    for about in ("is bajwa the editor-in-chief", "who wrote the eastern herald piece"):
        assert scores(about)["Muzaffar"] > 0, about


def test_an_outline_of_the_text_is_no_claim() -> None:
    """An abstract's "It also highlights ..." shares words with many questions and answers
    none: it scores nothing, and the sentence after it carries nothing from it."""
    doc = [
        passage(
            1,
            "This paper sheds light on the trade between Iran and Syria. It also highlights "
            "the low trade volume between Iran and Syria and its causes. "
            "Officials rarely publish such figures.",
        ),
        passage(2, "The trade volume between Iran and Syria is low because of unofficial taxes."),
    ]
    ranked = ranked_claims("Why is the trade volume between Iran and Syria low?", doc, None)
    scores = {e.text.split()[0]: e.score for e in ranked}
    assert ranked[0].passage_id == 2
    assert scores["This"] == scores["It"] == scores["Officials"] == 0.0


def test_the_names_an_answer_gives_that_the_question_does_not() -> None:
    """The bridge of a two-hop question: "that country ..." is the Turkey its answer names."""
    answer = (
        "To illustrate the point, Falahatpisheh pointed out that Turkey, which supported "
        "Assad’s opponents, still had 20 times more trade with Syria than Iran."
    )
    asked = "that country falahatpisheh said does 20x more trade w syria than iran"
    assert new_names(answer, asked) == "Turkey Assad"  # not "To", nor the question's names
    assert new_names(answer, f"{asked} — what role did it play in assads fall") == "Turkey"
    assert new_names("The United Arab Emirates agreed.", "what did they agree") == (
        "United Arab Emirates"
    )
    assert new_names("", asked) == ""


def test_who_else_is_answered_by_a_sentence_naming_someone_not_named_yet() -> None:
    known = "He met President Bashar Assad. who else did he meet (context: Who did Khaji meet?)"
    common = frozenset({"meeting", "advisor", "visited"})
    people = (
        "He also held talks with Syrian Foreign Minister Faisal Mekdad and his deputy, Bassam "
        "al-Sabbagh."
    )
    assert names_another(people, known, common, people=True)
    for told in (
        "This meeting underscored the depth of the relationship.",  # no one
        "Recently, an advisor to the Iranian Minister of Foreign Affairs met Bashar al-Assad.",
        "The visit by Ali Asghar Khaji marked another chapter.",  # Khaji, by his last name
        "Iran and Syria agreed.",  # a place, not a person (one word)
    ):
        assert not names_another(told, known, common, people=True), told
    assert names_another("Iran and Syria agreed.", known, common, people=False)  # "any others"
    assert not names_another("Supreme Leader spoke.", known, frozenset({"leader"}), people=False)


def test_who_else_keeps_to_the_claim_floor_or_gives_the_told_sentence_again() -> None:
    crash = Evidence(
        1, "Raisi died in the crash along with Foreign Minister Hossein Amir Abdollahian.", 0.5
    )
    other = Evidence(2, "Special Rapporteur Francesca Albanese labeled it genocide.", 0.2)
    talks = Evidence(3, "He also held talks with Faisal Mekdad.", 0.4)
    earlier = (crash.text,)
    question = "who else died (context: when did raisi die)"
    docs = [passage(1, f"{crash.text} {other.text} {talks.text}")]
    # no one else named above the floor (0.25 here): the sentence naming them, again
    assert naming_others([crash, other], [other], earlier, question, docs, True) == [crash]
    # someone else named above it
    fresh = [talks, other]
    assert naming_others([crash, talks, other], fresh, earlier, question, docs, True) == [talks]


def test_the_people_a_text_quotes_are_those_it_introduces_with_their_role() -> None:
    """Each person once, by the sentence introducing them with their role and reporting
    what they say; an institution is no person, nor is someone only named."""
    doc = [
        passage(
            1,
            "Iranian affairs researcher, Dr. Mahmoud Al-Bazi, believes that Khamenei was frank. "
            "The Syrian researcher at the “Omran Center for Strategic Studies,” Mohammad "
            "Al-Abdullah, believes that merchants are to blame.",
        ),
        passage(
            2,
            "Aaron Lund, an expert on Syrian affairs at the Century Foundation, thinks the "
            "friction is normal. The researcher Al-Bazi adds that Iran is cautious. "
            "Former committee head Heshmatollah Falahatpisheh stated that Syria owes $30 "
            "billion. The assassination of Mohammad Reza Zahedi, the commander in Syria, "
            "points to a breach.",
        ),
    ]
    experts = quoted_people(doc, "experts")
    assert [e.text.split(",")[0] for e in experts] == [
        "Iranian affairs researcher",
        "The Syrian researcher at the “Omran Center for Strategic Studies",
        "Aaron Lund",
    ]
    anyone = " ".join(e.text for e in quoted_people(doc, "anyone"))
    assert "Falahatpisheh stated" in anyone and "Zahedi" not in anyone
    assert quoted_people(doc[1:], "experts")[0].passage_id == 2
    # "which syrian ...": those introduced as such (not "Aaron Lund, an expert on Syrian
    # affairs": the words after his role say what he studies)
    syrian = quoted_people(doc, "anyone", ("syrian", "syria"))
    assert [e.text.split(",")[0] for e in syrian] == [
        "The Syrian researcher at the “Omran Center for Strategic Studies"
    ]
    # "which officials are mentioned": officials introduced by their role, quoted or not
    mentioned = quoted_people(doc, "officials", quoted=False)
    assert [e.text.split()[:2] for e in mentioned] == [
        ["Former", "committee"],
        ["The", "assassination"],
    ]
    assert "Zahedi" not in " ".join(e.text for e in quoted_people(doc, "officials"))


def test_a_nationality_is_read_in_the_introduction_not_before_its_comma() -> None:
    doc = [
        passage(
            1,
            "It is hard for Assad to break from Iran, according to the Jordanian researcher, "
            "Amer Al-Sabaila. Iran’s Foreign Minister, Abbas Araghchi, stated that Iran "
            "will help.",
        )
    ]
    iranian = quoted_people(doc, "anyone", ("iranian", "iran"))
    assert [e.text.split(",")[0] for e in iranian] == ["Iran’s Foreign Minister"]


def test_the_best_claim_leads_its_document() -> None:
    """An answer starts with what answers it: the best claim (first) and what its passage
    tells after it, then the document's other claims in its order."""
    early = passage(1, "Araghchi pledged to help Syria. He spoke on 8 December.", doc="a")
    late = passage(
        2,
        "Speculation circulated widely. The ministry blamed the Syrian army. "
        "Assad refused Iran's offers.",
        doc="a",
    )
    other = passage(3, "Khamenei blamed the U.S. and Israel.", doc="b")
    passages = [early, late, other]
    claims = [
        Evidence(2, "The ministry blamed the Syrian army.", 0.56),
        Evidence(1, "Araghchi pledged to help Syria.", 0.34),
        Evidence(2, "Speculation circulated widely.", 0.40),
        Evidence(2, "Assad refused Iran's offers.", 0.36),
        Evidence(3, "Khamenei blamed the U.S. and Israel.", 0.30),
    ]
    texts = [c.text for c in in_reading_order(claims, passages, lead=1)]
    assert texts == [
        "The ministry blamed the Syrian army.",
        "Assad refused Iran's offers.",
        "Araghchi pledged to help Syria.",
        "Speculation circulated widely.",
        "Khamenei blamed the U.S. and Israel.",
    ]
    # a question of two parts: each part's claim in turn, then the others in reading order
    parts = [claims[0], claims[4], *claims[1:4]]
    assert [c.text for c in in_reading_order(parts, passages, lead=2)] == [
        "The ministry blamed the Syrian army.",
        "Assad refused Iran's offers.",
        "Khamenei blamed the U.S. and Israel.",
        "Araghchi pledged to help Syria.",
        "Speculation circulated widely.",
    ]
    # without ``lead`` (a summary): the document's order
    assert [c.text for c in in_reading_order(claims, passages)][:2] == [
        "Araghchi pledged to help Syria.",
        "Speculation circulated widely.",
    ]
