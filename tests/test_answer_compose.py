"""rag.answer.compose: the model's phrase is checked against the offered sentences, then
composed with the sentence that holds it."""

from __future__ import annotations

from rag.answer.compose import (
    as_written,
    capitalised,
    clean_phrase,
    compose,
    copied_from,
    held_span,
    locate_phrase,
    names_the_asked,
    says_none,
    whole_amount,
    whole_date,
)
from rag.answer.conversation import CONTEXT
from rag.answer.evidence import Evidence, Plan
from rag.text.markers import with_marker


def test_clean_phrase_drops_labels_quotes_and_markers() -> None:
    assert clean_phrase(' Answer: "$244 million." [2]') == "$244 million"
    # a list item's label, and a quotation mark whose pair was trailing punctuation
    assert clean_phrase('b) support for the "spirit of resistance"') == (
        "support for the spirit of resistance"
    )
    assert clean_phrase("(2) Faisal Mekdad") == "Faisal Mekdad"
    assert clean_phrase("- the “spirit of resistance”") == "the spirit of resistance"
    assert clean_phrase("U. S. forces") == "U. S. forces"


def test_says_none() -> None:
    assert says_none("none") and says_none("Not mentioned.") and not says_none("Nonetheless")


def test_locate_phrase_accepts_copied_phrases_only() -> None:
    p = Plan(
        "How much did Iran export to Syria?",
        "number",
        [Evidence(1, "Iran exported goods worth $244 million to Syria last year.")],
    )
    assert locate_phrase("$244 million", p) == p.offered[0]
    assert locate_phrase("5", p) is None  # a number that is not in the sentence
    assert locate_phrase("none", p) is None
    # money asked: a multiple is no amount ("how much trade did turkey have" → "20 times
    # more"); a bare number may be one ("30" of "30 billion dollars")
    trade = Evidence(1, "Turkey had more than $2 billion in trade—20 times more than Iran.")
    money = Plan("how much trade did turkey have with syria", "money", [trade])
    assert locate_phrase("20 times more", money) is None
    assert locate_phrase("$2 billion", money) == trade
    assert locate_phrase("2", money) == trade
    q = Plan("Who did Saudi Arabia appoint?", "any", [Evidence(1, "Saudi Arabia appointed him.")])
    assert locate_phrase("Saudi Arabia", q) is None  # only repeats the question


def test_a_phrase_is_copied_only_with_its_words_close_together() -> None:
    turkey = (
        "Falahatpisheh pointed out that Turkey, which supported Assad’s opponents, still had "
        "more than $2 billion in trade with Syria—20 times more than with its supposed ally."
    )
    # "what did turkey do in syria" → "Supposed Assad’s opponents": each word is in the
    # sentence, but not as a phrase of it
    assert not copied_from("Supposed Assad’s opponents", turkey)
    assert copied_from("Assad’s opponents", turkey)
    assert copied_from("supported Assad's opponents", turkey)  # another apostrophe
    assert copied_from("Turkey supported Assad’s opponents", turkey)  # a word left out


def test_the_full_name_of_the_questions_abbreviation_is_no_answer() -> None:
    """A near miss (typed batch 6): the sentence names no city, and the small model copied
    the name it spells out next to the question's own abbreviation."""
    hts = Evidence(1, "The offensive was led by HTS (Hay’at Tahrir al-Sham), a Sunni group.")
    p = Plan("which city did hts kick off the offensive against assad from", "any", [hts])
    assert locate_phrase("Hay’at Tahrir al-Sham", p) is None
    assert held_span("Hay’at Tahrir al-Sham", p) is None
    guards = Evidence(1, "The Islamic Revolutionary Guard Corps (IRGC) backed Assad.")
    for asked in ("what is the IRGC?", "what does IRGC stand for"):  # the name is asked
        named = Plan(asked, "any", [guards])
        assert locate_phrase("Islamic Revolutionary Guard Corps", named) == guards, asked
    backer = Plan("who backed assad", "any", [guards])
    assert locate_phrase("Islamic Revolutionary Guard Corps", backer) == guards


def test_a_reply_in_a_sentence_of_its_own_answers_by_the_words_a_sentence_holds() -> None:
    met = Evidence(
        1,
        "This came during a meeting between Khaji and Syrian Foreign Minister "
        "Faisal Mekdad in Damascus.",
    )
    other = Evidence(2, "Khaji met reporters in Damascus after the talks.")
    p = Plan("who did khaji meet in damascus", "any", [other, met])
    reply = "Khaji met Syrian Foreign Minister Faisal Mekdad in Damascus."
    assert locate_phrase(reply, p) is None  # "met" is not written there
    assert held_span(reply, p) == ("Syrian Foreign Minister Faisal Mekdad", met)
    # A reply sharing only a word or two with the sentences is no answer, nor is a "none".
    assert held_span("Khaji met Bashar al-Assad and Hossein Amir-Abdollahian.", p) is None
    assert held_span("None of the sentences say.", p) is None
    assert held_span("khaji in damascus", p) is None  # adds nothing to the question
    rules = Evidence(1, "No “foreign citizen,” even a tourist, may enter without approval.")
    covered = Plan("Who is covered by the new mosque entry rules?", "any", [rules])
    assert held_span("foreign citizens", covered) == ("foreign citizen", rules)  # as stems
    officials = Evidence(1, "Khaji met 244 officials and ministers.")
    many = Plan("who were the people khaji met", "any", [officials])
    assert held_span("Khaji met 245 officials and ministers", many) is None  # a number miscopied
    assert held_span("Khaji met 244 officials and ministers", many) == (
        "244 officials and ministers",
        officials,
    )
    dated = Plan("When did Khaji meet Mekdad?", "date", [met])
    assert held_span("Khaji met Syrian Foreign Minister Faisal Mekdad.", dated) is None  # no date


def test_a_who_question_is_not_answered_by_the_person_it_asks_about() -> None:
    inaugurated = Evidence(
        1, "Khaji attended the inauguration of Iran's new president, Ebrahim Raisi."
    )
    p = Plan("who replaced raisi", "any", [inaugurated])
    assert names_the_asked("Ebrahim Raisi", p.question)
    assert names_the_asked("Ismail Haniyeh", "who kiled haniya")  # the name as typed
    killed = Evidence(1, "A strike allegedly killed Hamas leader Ismail Haniyeh in Iran.")
    assert held_span("Ismail Haniyeh", Plan("who kiled haniya", "any", [killed])) is None
    assert not names_the_asked("Ismail Haniyeh", "who killed hamas's leader")
    assert not names_the_asked("Senior advisor", "Who was the adviser who went to Damascus?")
    assert locate_phrase("Ebrahim Raisi", p) is None
    assert held_span("Ebrahim Raisi", p) is None  # nor its first name, cut from it
    assert held_span("Raisi was replaced by Ebrahim Raisi.", p) is None
    # Other questions often end their answer with a word of theirs; a "who" answer naming
    # someone else stands.
    assert not names_the_asked("Lisbon Treaty", "What treaty was enacted in 2004?")
    # typed without a question word, by a name: "new iranian president after raisi?" was
    # answered "Ebrahim Raisi"; not by a word ("treaty 2004?" → "Lisbon Treaty" stands)
    assert names_the_asked("Ebrahim Raisi", "new iranian president after raisi?")
    assert not names_the_asked("Masoud Pezeshkian", "new iranian president after raisi?")
    assert not names_the_asked("Lisbon Treaty", "treaty enacted in 2004?")
    assert not names_the_asked("Ebrahim Raisi", "what did raisi do")  # asks what, not who
    met = Plan("who did khaji meet", "any", [Evidence(1, "Khaji and Mekdad met in Damascus.")])
    assert locate_phrase("Mekdad", met) == met.offered[0]
    assert not names_the_asked("Khaji met Mekdad in Damascus.", "who did khaji meet")


def test_compose_puts_the_phrase_then_its_sentence_with_markers() -> None:
    e = Evidence(3, "Iran exported goods worth $244 million to Syria last year.")
    p = Plan("How much did Iran export?", "number", [e])
    assert compose(clean_phrase(' "$244 million." '), e, p) == (
        "$244 million [3]. Iran exported goods worth $244 million to Syria last year [3]."
    )
    assert compose(None, e, p) == "Iran exported goods worth $244 million to Syria last year [3]."


def test_an_explanation_gets_a_second_sentence() -> None:
    first, second = Evidence(1, "Iran was stretched thin."), Evidence(2, "Its allies were weak.")
    p = Plan("Why did Iran not intervene?", "any", [first, second])
    assert compose(None, first, p) == "Iran was stretched thin [1]. Its allies were weak [2]."


def test_a_widened_sentence_does_not_get_its_neighbour_twice() -> None:
    before = "Syria has done nothing to repay the $30 billion owed to Iran."
    e = Evidence(1, "Its debt equals Iran's annual budget.")
    widened = Evidence(1, f"{before} {e.text}", widened=True)
    p = Plan("How much did Iran spend and how much does Syria owe?", "number", [widened, e])
    assert compose(None, widened, p) == with_marker(widened.text, 1)


def test_a_phrase_is_capitalised_unless_its_first_word_is_spelled_so() -> None:
    assert capitalised("seventeen cranes") == "Seventeen cranes"
    assert capitalised("http://example.org/list") == "http://example.org/list"
    assert capitalised("iPhone sales") == "iPhone sales"
    assert capitalised("al-Assad's visit") == "al-Assad's visit"


def test_the_second_sentence_neither_repeats_the_first_nor_follows_the_context() -> None:
    phd = Evidence(1, "Marta Furlan holds a Ph.D. from the University of St. Andrews.")
    with_it = Evidence(1, f"{phd.text} Her dissertation studied governance by armed groups.")
    other = Evidence(2, "She also writes on rebel governance.")
    p = Plan("and what was her dissertation on", "any", [phd, with_it, other])
    assert compose(None, phd, p).count("Marta Furlan holds") == 1  # not the one holding it
    assert "rebel governance" in compose(None, phd, p)
    # An "and" in the context attached to a follow-up asks nothing of its own.
    follow_up = Plan(f"where did she study? {CONTEXT}who wrote it and when?)", "any", [phd, other])
    assert compose(None, phd, follow_up) == f"{phd.text[:-1]} [1]."


def test_the_second_sentence_shares_no_sentence_with_the_first() -> None:
    phd = "Marta Furlan holds a Ph.D. from St. Andrews."
    thesis = "Her dissertation studied governance by armed groups."
    research = "Her research focuses on rebel governance."
    chosen = Evidence(1, f"{phd} {thesis}")  # offered with the sentence it leans on
    overlapping = Evidence(1, f"{thesis} {research}")  # the next one, read with its own
    other = Evidence(2, "She writes for the Algemeiner.")
    p = Plan("what did she study and where?", "any", [chosen, overlapping, other])
    assert compose(None, chosen, p).count("Her dissertation") == 1
    assert "Algemeiner" in compose(None, chosen, p)


def test_a_day_is_the_date_its_sentence_writes_with_its_year() -> None:
    dated = "“The Meeting Between Assad and Khamenei” is dated May 30, 2022."
    assert whole_date("May 30", dated) == "May 30, 2022"
    assert whole_date("8 December", "He stated on 8 December 2024 that") == "8 December 2024"
    assert whole_date("May", dated) == "May"  # a month asked for
    assert whole_date("2022", dated) == "2022"
    assert whole_date("June 1", dated) == "June 1"  # not what it writes


def test_a_bare_number_is_the_amount_or_range_its_sentence_writes() -> None:
    spent = "In 2020 he said his country spent between 20 and 30 billion dollars in Syria."
    assert whole_amount("30", spent) == "between 20 and 30 billion dollars"
    assert whole_amount("20", spent) == "between 20 and 30 billion dollars"
    owed = "Syria has done nothing to repay the $30 billion owed to Iran."
    assert whole_amount("30", owed) == "$30 billion"
    assert whole_amount("$30 billion", owed) == "$30 billion"  # not a bare number
    assert whole_amount("7", "He died with 7 other people.") == "7"
    assert whole_amount("2020", spent) == "2020"
    # ... and a number with its scale, without its currency
    exported = "Last year Iran exported goods worth $244 million to Syria."
    assert whole_amount("244 million", exported) == "$244 million"
    assert whole_amount("244 billion", exported) == "244 billion"  # not what it writes


def test_a_phrase_is_given_as_the_sentence_writes_it() -> None:
    mayors = "Huguenots served as mayors in Dublin, Cork, Youghal and Waterford in the 1600s."
    assert (
        as_written("Dublin, Cork, Youghal, Waterford", mayors)
        == "Dublin, Cork, Youghal and Waterford"
    )
    cases = "The best, worst and average case complexity are the three measures."
    assert as_written("best, worst, average", cases) == "best, worst and average"
    assert as_written("Youghal", mayors) == "Youghal"  # copied as written: kept
    assert as_written("Dublin Waterford", mayors) == "Dublin Waterford"  # content words left out
    assert as_written("Cork, Dublin", mayors) == "Cork, Dublin"  # not in the sentence's order
    assert as_written("mayors Youghal", mayors) == "mayors Youghal"  # "Dublin, Cork" between
    assert as_written("served mayors", mayors) == "served as mayors"


def test_a_clause_the_sentence_opens_with_is_not_said_twice() -> None:
    khaji = Evidence(
        1, "Khaji criticized Western countries for their stance on this matter and called for aid."
    )
    p = Plan("what did khaji say re syrian refugees", "any", [khaji])
    phrase = "Khaji criticized Western countries for their stance on this matter"
    assert compose(phrase, khaji, p) == with_marker(khaji.text, 1)
    # a name the sentence opens with is still the short answer before it
    hts = Evidence(1, "Hayat Tahrir al-Sham controls most of northwest Syria.")
    q = Plan("who controls northwest syria", "any", [hts])
    assert compose("Hayat Tahrir al-Sham", hts, q).startswith("Hayat Tahrir al-Sham [1]. Hayat")
