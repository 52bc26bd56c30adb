"""rag.text.casual: questions as people type them, made searchable and classifiable."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter

from rag.text.casual import correct_word, normalize_question
from rag.text.questions import answer_shape, expected_type

# Words of a small collection, with how many chunks hold them.
VOCABULARY = Counter(
    {
        "tehran": 30,
        "foreign": 12,
        "minister": 10,
        "assad": 40,
        "assad’s": 9,
        "delegations": 2,
        "falahatpisheh": 2,
        "post-war": 3,
        "geographically": 1,
        "helicopter": 3,
        "want": 4,
        "with": 2,
        "were": 5,
        "aaron": 3,
        "lund": 3,
        "meat": 2,
        "asynchronously": 1,
    }
)


def test_what_is_typed_before_the_question_is_dropped() -> None:
    for typed, asked in (
        ("quick q: who is lund", "who is lund"),
        ("hey, whats the mena paper about", "what is the mena paper about"),
        ("um who is lund", "who is lund"),
        ("eli5 why iran cares about syria", "why iran cares about syria"),
        ("quick question - when did assad visit", "when did assad visit"),
    ):
        assert normalize_question(typed) == asked, typed
    # not a greeting before a question; nothing left but the greeting
    for kept in ("Hey Jude is a song by whom?", "hi", "so who is lund", "and in 2022?"):
        assert normalize_question(kept) == kept


def test_text_speak_is_expanded() -> None:
    assert (
        normalize_question("y is syria so important 4 iran") == "why is syria so important for iran"
    )
    assert normalize_question("wat did u say abt the crash w raisi") == (
        "what did you say about the crash with raisi"
    )
    assert (
        normalize_question("when were the 2 trips b4 2024") == "when were the 2 trips before 2024"
    )
    # a count before a plural typed short or without an "s" ("to people" lost the count)
    assert normalize_question("which 2 ppl does it name") == "which 2 people does it name"
    assert normalize_question("which 2 men met") == "which 2 men met"
    assert normalize_question("who did he go 2 meet") == "who did he go to meet"
    assert (
        normalize_question("who did he talk 2 fm about")
        == "who did he talk to foreign minister about"
    )
    assert normalize_question("can we meet at 2 pm") == "can we meet at 2 pm"
    # abbreviations of news chat: offices, governments, amounts; "pm" after a number is a time
    assert normalize_question("how has the syrian pms role changed w the fm n pres") == (
        "how has the syrian prime minister's role changed with the foreign minister and president"
    )
    assert normalize_question("did the admin say 30 bn or 20") == (
        "did the administration say 30 billion or 20"
    )
    assert normalize_question("was it at 5 pm") == "was it at 5 pm"
    # compass points ("most of nw syria": a casual dev variant of gold g26 was refused), but
    # not "per se"
    assert normalize_question("who held most of nw syria, per se") == (
        "who held most of northwest syria, per se"
    )
    # clipped words: "heli" found no "helicopter crash" sentence (a casual dev variant of gold
    # h09 lost the part it answers)
    assert normalize_question("how long after the heli crash did he go to the uni tho") == (
        "how long after the helicopter crash did he go to the university though"
    )
    # and their plurals: "mtgs" was "corrected" into the collection's "mugs"
    assert normalize_question("where did the 1st mtgs happen, any msgs or convos", {"mugs": 1}) == (
        "where did the first meetings happen, any messages or conversations"
    )
    # "&" joins two questions as "and" does: the second part is then found and answered
    assert normalize_question("how long after the crash & who got there first") == (
        "how long after the crash and who got there first"
    )


def test_a_contracted_has_before_a_perfect_is_has() -> None:
    # "whats the irgc done" was read "what is the irgc done": a part the documents lack was
    # then said to be missing as "The documents do not say what is happened to ..."
    for typed, asked in (
        (
            "whats the irgc done in syria n whats happened to its people there",
            "what has the irgc done in syria and what has happened to its people there",
        ),
        ("whats happened to raisi", "what has happened to raisi"),
        ("hows the relationship changed since 2011", "how has the relationship changed since 2011"),
        ("whos assad met in damascus", "who has assad met in damascus"),
        ("whats captagon got to do with it", "what has captagon got to do with it"),
    ):
        assert normalize_question(typed) == asked, typed
    # a misspelt participle is corrected first
    assert normalize_question("whats happend to its people there", Counter({"happened": 2})) == (
        "what has happened to its people there"
    )
    # a passive, or a participle of the next part of the question: "is"
    for typed, asked in (
        ("whats said about it", "what is said about it"),
        ("whats iran called", "what is iran called"),
        ("whats the mena paper about", "what is the mena paper about"),
        ("whats the deal and who has iran met", "what is the deal and who has iran met"),
        ("whats the deal, has iran met him", "what is the deal, has iran met him"),
    ):
        assert normalize_question(typed) == asked, typed


def test_chat_shorthand_is_expanded_or_dropped() -> None:
    # "wats" was "corrected" into the collection's "wars", "whts" into "hts"
    vocabulary = Counter({"wars": 2, "hts": 3, "goal": 1, "iran": 5, "iran’s": 2})
    assert normalize_question("wats irans goal rly, whts hte goal frm syria tbh", vocabulary) == (
        "what is iran’s goal, what is the goal from syria"
    )
    assert normalize_question("imo iran lost syria") == "iran lost syria"


def test_a_word_typed_with_letters_left_out_is_the_word_they_spell() -> None:
    # "spnd" is one edit from "send" and from "spend": the one it spells with a letter left
    # out wins, in the collection's words and in English alike
    assert normalize_question("how much did iran spnd", Counter({"send": 9, "spend": 1})) == (
        "how much did iran spend"
    )
    assert normalize_question("how much did iran spnd", Counter({"iran": 9})) == (
        "how much did iran spend"
    )


def test_mistyped_question_words_are_not_corrected_into_the_collections_words() -> None:
    # question words are stop words, which a vocabulary does not hold: its nearest word
    # would win ("want", "with", "were")
    q = normalize_question("waht did assad say, wich minister, whre and whn", VOCABULARY)
    assert q == "what did assad say, which minister, where and when"


def test_misspellings_are_corrected_to_the_collections_words() -> None:
    q = normalize_question("how many foriegn delegatoins came to tehrn", VOCABULARY)
    assert q == "how many foreign delegations came to tehran"
    assert correct_word("falahatpishe", VOCABULARY) == "falahatpisheh"
    assert correct_word("geographicaly", VOCABULARY) == "geographically"
    # a misspelt owner keeps its apostrophe: "tehrn's" → "tehran's"
    assert correct_word("tehrn's", VOCABULARY) == "tehran's"
    assert correct_word("assad’s", VOCABULARY) == "assad’s"
    # an English word the documents hyphenate: their spelling, whose halves the search finds
    assert correct_word("postwar", VOCABULARY) == "post-war"
    assert correct_word("Postwar", VOCABULARY) == "post-war"


def test_an_english_word_nearer_than_the_collections_words_is_what_was_meant() -> None:
    """ "how do the artciles describe hezbollah": "artciles" was corrected to the
    collection's "article" (two edits) where "articles" is one swap away — and a question
    about one article is not one asked of all of them."""
    words = VOCABULARY + Counter({"article": 4, "negotiated": 2, "tehran": 9})
    assert correct_word("artciles", words) == "articles"
    assert correct_word("negociate", words) == "negotiate"  # as typed, not "negotiated"
    assert correct_word("negociated", words) == "negotiated"  # as near either way
    # names stay the collection's: nothing English is nearer
    assert correct_word("tehrn", words) == "tehran"
    assert normalize_question("who is aron lund", VOCABULARY) == "who is aaron lund"


def test_two_words_the_documents_hyphenate_are_joined_and_their_halves_left_alone() -> None:
    words = VOCABULARY + Counter({"al-bazi": 6, "al-bazi’s": 1, "nazi": 1, "iran-syria": 3})
    words.update({"iran": 50, "syria": 52, "war": 19})
    # "bazi" alone is no chunk's word, but half of "al-bazi": it was corrected to "nazi"
    assert normalize_question("what does al bazi think", words) == "what does al-bazi think"
    assert normalize_question("Al Bazi's view", words) == "Al-Bazi's view"
    assert normalize_question("al bazis view", words) == "al-bazi’s view"
    assert normalize_question("what does bazi think", words) == "what does bazi think"
    assert normalize_question("the post war rebuilding", words) == "the post-war rebuilding"
    # not two words the documents mostly write apart
    assert normalize_question("iran syria ties", words) == "iran syria ties"
    # not across punctuation
    assert normalize_question("after the post, war", words) == "after the post, war"


def test_words_of_feeling_are_dropped_and_own_after_a_possessive() -> None:
    """They say how the asker feels, not what the question is about."""
    assert normalize_question("who was really behind the insurgency") == (
        "who was behind the insurgency"
    )
    assert normalize_question("Actually, who met him?") == "who met him?"
    assert normalize_question("so who was it really?") == "so who was it?"
    assert normalize_question("really?") == "really?"  # a reply of its own: kept
    assert normalize_question("wat exactly is khamenei accusing the west of") == (
        "what is khamenei accusing the west of"
    )
    assert normalize_question("assads own stance on israel", VOCABULARY) == (
        "assad’s stance on israel"
    )
    assert normalize_question("its own interests") == "its interests"
    # the verb stays
    assert normalize_question("do the syrians own the land") == "do the syrians own the land"
    assert normalize_question("does iran own it") == "does iran own it"
    assert normalize_question("the kurds own oil fields") == "the kurds own oil fields"


def test_a_missing_apostrophe_is_restored() -> None:
    assert normalize_question("when were assads trips", VOCABULARY) == "when were assad’s trips"


def test_a_names_possessive_the_collection_never_writes_is_restored() -> None:
    """ "turkeys" is an English word and the documents never write "Turkey’s": typed before
    a noun, it is Turkey's (its attitude was answered about the U.S.)."""
    vocabulary = Counter({"turkey": 5, "raisi": 4, "saudi": 3, "attitude": 1, "crash": 2})
    names = frozenset({"turkey", "raisi", "saudi", "u", "mp", "mr"})  # "u" of "U.S."
    for typed, meant in (
        ("whats turkeys attitude toward assad", "what is turkey’s attitude toward assad"),
        ("turkeys role?", "turkey’s role?"),
        ("when did raisis helicopter crash happen", "when did raisi’s helicopter crash happen"),
    ):
        assert normalize_question(typed, vocabulary, names) == meant
    for typed in (
        "how many flights did the saudis say they would run",  # people, after "the"
        "saudis say what",  # what people do
        "were there turkeys",  # no word after it
        "who talked about sending saudis back",  # a verb's particle after it
        "why does iran want us forces out of syria",  # "us": a word, no one-letter name's
        "what did the ex us ambassador say",
        "how many iranian mps signed the letter",  # the plural of "MP"
        "what did mrs clinton say",
    ):
        assert "’s" not in normalize_question(typed, vocabulary, names), typed
    # without the collection's names, as before
    assert "’s" not in normalize_question("whats turkeys attitude", vocabulary)


def test_correct_words_and_names_are_left_alone() -> None:
    # "analysis" is English though the collection lacks it; "Dhabi" is a name it lacks.
    clean = "Who wrote the analysis of the visit to Abu Dhabi?"
    assert normalize_question(clean, VOCABULARY) == clean
    initial = "Did George W. Bush meet Assad in 2 cities?"
    assert normalize_question(initial, VOCABULARY) == initial
    assert correct_word("meet", VOCABULARY) == "meet"  # English, not "meat"


def test_a_rare_english_word_near_a_name_of_the_collection_is_that_name() -> None:
    # pyspellchecker holds "aron" (as rare as "aaron"): typed for the collection's "Aaron"
    assert normalize_question("who is aron lund", VOCABULARY) == "who is aaron lund"
    # a long one is the word meant (SQuAD: "How are the packets forwarded synchronously?")
    assert correct_word("synchronously", VOCABULARY) == "synchronously"


def test_casual_questions_keep_their_type_and_shape() -> None:
    pairs = [
        ("When did Assad attend the summit in Manama?", "assad manama summit when"),
        (
            "How much did Iran export to Syria last year?",
            "how much did iran export 2 syria last yr",
        ),
    ]
    for clean, casual in pairs:
        assert expected_type(normalize_question(casual)) == expected_type(clean)
    assert answer_shape(normalize_question("y is syria so important 4 iran")) == "explain"


def test_an_ordinal_typed_in_digits_is_a_word_unless_it_is_a_day() -> None:
    # "when did assad 1st visit tehran after the civil war began" was answered "2011"
    assert normalize_question("when did assad 1st visit tehran") == (
        "when did assad first visit tehran"
    )
    assert normalize_question("his 2nd trip to tehran") == "his second trip to tehran"
    for day in ("what happened on may 2nd", "the 3rd of june meeting", "on Oct 1st"):
        assert normalize_question(day) == day


def test_a_correction_is_the_same_in_every_process() -> None:
    """ "cardio" has two English candidates as frequent ("cardie", "cardin"): the pick may
    not follow a set's order, which string hashing changes from process to process."""
    code = "from rag.text.casual import english_correction as c; print(c('cardio'))"
    picked = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in range(6)
    }
    assert len(picked) == 1 and picked <= {"cardie", "cardin"}, picked
