"""rag.text.sentences: one splitter for evidence, the UI highlight and the metrics."""

from __future__ import annotations

from rag.text.sentences import (
    about_itself,
    answer_sentences,
    is_statement,
    readings,
    sentence_spans,
    split_sentences,
)


def test_split_sentences_keeps_paragraphs_apart_and_drops_fragments() -> None:
    text = "Assad visited Tehran in 2019. He met Khamenei there.\n\nHeading\n\nThe visit was short."
    assert split_sentences(text) == [
        "Assad visited Tehran in 2019.",
        "He met Khamenei there.",
        "The visit was short.",
    ]


def test_a_closing_quote_ends_with_its_sentence() -> None:
    text = "He said “we will stay.” Then he left the city."
    assert split_sentences(text, min_words=1) == [
        "He said “we will stay.",
        "Then he left the city.",
    ]
    spans = sentence_spans(text)
    assert [text[a:b] for a, b in spans] == ["He said “we will stay.”", "Then he left the city."]


def test_no_break_inside_abbreviations_before_lower_case() -> None:
    text = "The then-U.S. envoy arrived in May. It rained."
    assert split_sentences(text, min_words=1) == [
        "The then-U.S. envoy arrived in May.",
        "It rained.",
    ]


def test_spans_are_offsets_into_the_text() -> None:
    text = "One two. Three four.\n\nFive six."
    assert [text[a:b] for a, b in sentence_spans(text)] == ["One two.", "Three four.", "Five six."]


def test_answer_sentences_keep_their_markers() -> None:
    assert answer_sentences("  May 2022 [1]. Assad visited Tehran [1, 2].") == [
        "May 2022 [1].",
        "Assad visited Tehran [1, 2].",
    ]


def test_titles_and_initials_do_not_end_a_sentence() -> None:
    text = (
        "Marta Furlan holds a Ph.D. from the University of St. Andrews. "
        "Iranian affairs researcher Dr. Mahmoud Al-Bazi agreed. "
        "The photo was released on Feb. 25, 2019 by J. Smith. It rained."
    )
    assert split_sentences(text, min_words=1) == [
        "Marta Furlan holds a Ph.D. from the University of St. Andrews.",
        "Iranian affairs researcher Dr. Mahmoud Al-Bazi agreed.",
        "The photo was released on Feb. 25, 2019 by J. Smith.",
        "It rained.",
    ]


def test_a_sentence_is_read_with_the_statement_it_leans_on() -> None:
    sentences = [
        "The War Years",
        "The war gave Iran an opening in Syria.",
        "This was driven by its location on the Mediterranean.",
        "Trade between the two stayed low.",
    ]
    assert readings(sentences) == [
        "The War Years",
        "The war gave Iran an opening in Syria.",
        "The war gave Iran an opening in Syria. This was driven by its location on the "
        "Mediterranean.",
        "Trade between the two stayed low.",
    ]
    # a demonstrative among the first words points back as well
    assert readings(["Assad met Khamenei in May.", "Before this meeting, he visited the UAE."])[
        1
    ] == ("Assad met Khamenei in May. Before this meeting, he visited the UAE.")
    assert readings(["Assad met Khamenei in May.", "Iran says that he did."])[1] == (
        "Iran says that he did."
    )
    # a heading is nothing to lean on, and the first sentence has nothing before it
    assert readings(["Why It Matters", "This is a heading's child."]) == [
        "Why It Matters",
        "This is a heading's child.",
    ]


def test_a_sentence_describing_its_own_text_is_told_apart() -> None:
    for outline in (
        "This paper sheds light on the rapid developments in the relationship.",
        "It also highlights the significance of Syria for Tehran.",
        "Additionally, it discusses the cooling and tensions in the relationship.",
        "The study examines trade between the two countries.",
    ):
        assert about_itself(outline), outline
    for claim in (
        "The report emphasized that Assad received a clear warning from Israel.",
        "It is not an easy matter for Assad to distance himself from Iran.",
        "It described the visit as historic.",
        "It highlighted the vulnerability of the Iranian presence in Syria.",
        "The report highlighted that Assad had been warned.",
        "Iran's exports highlight how small the trade is.",
    ):
        assert not about_itself(claim), claim


def test_a_dash_after_a_full_stop_opens_the_next_sentence() -> None:
    text = (
        "Photo: SANA / Handout via Reuters. – Syrian President Bashar al-Assad visited his "
        "close ally Iran on May 8 for talks."
    )
    assert split_sentences(text, min_words=1) == [
        "Photo: SANA / Handout via Reuters.",
        "Syrian President Bashar al-Assad visited his close ally Iran on May 8 for talks.",
    ]
    # a dash inside a sentence stays there
    assert len(split_sentences("Trade rose – slowly – in 2023. It fell later.", 1)) == 2


def test_a_heading_line_ending_in_an_abbreviation_is_a_sentence_of_its_own() -> None:
    # "what do all the articles say about the us" opened with the MENA paper's heading, read
    # as one sentence with the paragraph under it
    text = (
        "Deteriorating Relations with Iran and Improvement with the U.S.\n"
        "Following an Israeli attack on the Iranian embassy, trust eroded."
    )
    heading, first = split_sentences(text)
    assert heading == "Deteriorating Relations with Iran and Improvement with the U.S."
    assert first.startswith("Following an Israeli attack") and is_statement(first)
    assert not is_statement(heading)  # in title case: no claim
    # an abbreviation at a line's end inside a sentence still does not end it
    assert split_sentences("The talks with the U.S.\nenvoy went on for weeks.") == [
        "The talks with the U.S. envoy went on for weeks."
    ]
