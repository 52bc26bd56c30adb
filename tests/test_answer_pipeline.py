"""rag.answer.pipeline: the stages around the model (select evidence → read → compose).

The model's reply is scripted here (``ScriptedModel``, a stand-in named as such) because the
cases that matter — a "none", a miscopied number, a phrase that only repeats the question —
cannot be summoned from the real model on demand; the real model runs this same path in the
integration tests and in `rag eval`. Embeddings are the real MiniLM.
"""

from __future__ import annotations

from collections.abc import Iterator

from rag.answer.claims import (
    document_sections,
    is_heading,
    section_sentences,
    shares,
    summary_claims,
    summary_focus,
    whole_summary_size,
)
from rag.answer.conversation import standalone_question
from rag.answer.pipeline import Final, already_said, draft, draft_extractive, draft_with_model
from rag.answer.prompts import NOT_FOUND
from rag.answer.verify import assemble
from rag.config import Settings
from rag.schemas import ChatTurn, Passage
from rag.store.sentence_vectors import sentence_vectors
from rag.text.markers import SPACED_MARKER, cited_ids, marker_ids, split_claims, strip_markers
from rag.tuning import TUNING
from tests.conftest import SEEDS
from tests.support import passage

PASSAGES = [
    Passage(
        id=1,
        source="a.txt",
        chunk_id="a-0",
        score=0.9,
        text="According to Iranian media, Iran exported goods worth $244 million to Syria last "
        "year. Several Iranian diplomats were killed in the strike on the embassy.",
    ),
    Passage(
        id=2,
        source="b.txt",
        chunk_id="b-0",
        score=0.5,
        text="Saudi Arabia appointed an ambassador to Damascus. The embassy reopened in May.",
    ),
]


class ScriptedModel:
    """A ``TextModel`` that replies with a fixed text, in small pieces, and records the
    prompts it was given (a stand-in for the real model, named as such)."""

    def __init__(self, reply: str):
        self.reply = reply
        self.prompts: list[list[dict[str, str]]] = []

    def complete(self, messages: list[dict[str, str]], max_tokens: int) -> Iterator[str]:
        self.prompts.append(messages)
        for i in range(0, len(self.reply), 3):
            yield self.reply[i : i + 3]


def run(
    settings: Settings, question: str, reply: str, ids: list[int] | None = None
) -> tuple[str, Final, ScriptedModel]:
    model = ScriptedModel(reply)
    chosen = [p for p in PASSAGES if ids is None or p.id in ids]
    pieces = list(draft_with_model(model, question, chosen, settings))
    final = pieces[-1]
    assert isinstance(final, Final)
    return "".join(p for p in pieces if isinstance(p, str)), final, model


def answer_after(
    settings: Settings, history: list[ChatTurn], follow: str, reply: str, ps: list[Passage]
) -> Final:
    """The answer to the follow-up ``follow`` after ``history``, the model replying
    ``reply`` (its context and the last answer's sentences as the service gives them)."""
    asked = standalone_question(follow, history)
    model = ScriptedModel(reply)
    return text_of(list(draft_with_model(model, asked, ps, settings, already_said(history))))


def test_a_copied_phrase_is_answered_with_its_sentence(settings: Settings) -> None:
    streamed, final, model = run(settings, "How much did Iran export to Syria?", "$244 million")
    assert final.short == "$244 million"
    assert final.text == (
        "$244 million [1]. According to Iranian media, Iran exported goods worth $244 million "
        "to Syria last year [1]."
    )
    assert streamed == final.text  # what streamed is what stays
    assert "1. According to Iranian media" in model.prompts[0][-1]["content"]


def test_none_is_never_shown(settings: Settings) -> None:
    streamed, final, _ = run(settings, "Who reopened the embassy?", "none")
    assert streamed == "" and final.text == NOT_FOUND


def test_no_sentence_of_the_asked_kind_means_no_model_call(settings: Settings) -> None:
    _, final, model = run(settings, "How many ambassadors did Saudi Arabia appoint?", "2", [2])
    assert final.text == NOT_FOUND and model.prompts == []  # passage 2 holds no number


def test_a_number_from_a_neighbour_sentence_is_no_fallback(settings: Settings) -> None:
    """ "Several diplomats" has no number; the sentence before it does ($244 million), but
    about exports, no word of the question: it is not offered with it, and a miscopied "5"
    has nothing to fall back to."""
    _, final, _ = run(settings, "How many diplomats were killed?", "5")
    assert final.text == NOT_FOUND


def test_a_phrase_that_only_repeats_the_question_is_no_answer(settings: Settings) -> None:
    """ "Saudi Arabia" is no answer; the sentence answers when it holds every word asked
    ("... appointed an ambassador to Damascus"), not when it lacks one ("in 2019")."""
    _, final, _ = run(settings, "Who did Saudi Arabia appoint to Damascus in 2019?", "Saudi Arabia")
    assert final.text == NOT_FOUND
    _, final, _ = run(settings, "Who did Saudi Arabia appoint to Damascus?", "Saudi Arabia")
    assert final.text == "Saudi Arabia appointed an ambassador to Damascus [2]." and not final.short


def test_a_choice_the_question_offers_is_an_answer_though_the_question_names_it(
    settings: Settings,
) -> None:
    """ "whos closer to assad, iran or russia" → "Iran": one of the choices asked between, not
    a repeat of the question (it was refused); naming what is asked about still is one."""
    lund = passage(
        1, "Lund explains that Iran is even closer to Assad than Russia, in some respects."
    )
    model = ScriptedModel("Iran")
    asked = "whos closer to assad, iran or russia, per lund"
    final = text_of(list(draft_with_model(model, asked, [lund], settings)))
    assert final.short == "Iran" and final.text.startswith("Iran [1]. Lund explains"), final
    model = ScriptedModel("Assad")
    final = text_of(list(draft_with_model(model, asked, [lund], settings)))
    assert final.short != "Assad"


NORTHWEST = Passage(
    id=3,
    source="c.txt",
    chunk_id="c-0",
    score=0.8,
    text="Most of northwest Syria is controlled by the Salafi-jihadist armed group Hayat Tahrir "
    "al-Sham (HTS). The group was founded as an offshoot of another movement.",
)


def test_a_reply_naming_the_subject_is_answered_by_a_sentence_holding_every_asked_word(
    settings: Settings,
) -> None:
    """ "what does hts control" → "Hayat Tahrir al-Sham" (the model spelled out the
    question's abbreviation): the sentence holding "hts" and "control" answers; "which city
    did hts start from", a near miss, is refused, and no part of the name answers "who heads
    hts" (it was "Tahrir al-Sham")."""
    for reply in ("Hayat Tahrir al-Sham", "HTS"):
        model = ScriptedModel(reply)
        final = text_of(
            list(draft_with_model(model, "what does hts control", [NORTHWEST], settings))
        )
        assert final.text.startswith("Most of northwest Syria is controlled by"), reply
    for asked in ("which city did hts start from", "who heads hts"):
        model = ScriptedModel("Hayat Tahrir al-Sham")
        assert (
            text_of(list(draft_with_model(model, asked, [NORTHWEST], settings))).text == NOT_FOUND
        )
    reported = Passage(
        id=4,
        source="d.txt",
        chunk_id="d-0",
        score=0.8,
        text="Some media reports have suggested that Assad ignored recent warnings about rebels.",
    )
    # a sentence denying what is asked does not answer it (SQuAD's unanswerable "What fits
    # the framework of complexity classes?": "... definitions that do not fit into this
    # framework")
    denying = passage(
        5, "Some complexity classes have definitions that do not fit into this framework."
    )
    asked = "What fits the framework of complexity classes?"
    final = text_of(list(draft_with_model(ScriptedModel("framework"), asked, [denying], settings)))
    assert final.text == NOT_FOUND
    asked = "what did media reports say assad ignored"  # "say" is how it is told, not asked
    final = text_of(list(draft_with_model(ScriptedModel("ignored"), asked, [reported], settings)))
    assert final.text.startswith("Some media reports have suggested that Assad ignored")


def test_a_miscopied_number_falls_back_to_the_sentence(settings: Settings) -> None:
    streamed, final, _ = run(settings, "How much did Iran export to Syria?", "$245 million")
    assert final.short is None
    assert final.text.startswith("According to Iranian media, Iran exported goods worth $244")
    assert streamed.startswith("$245 m")  # shown while streaming, replaced by the final text


def test_a_follow_up_the_model_finds_nothing_for_gets_its_best_new_sentence(
    settings: Settings,
) -> None:
    history = [
        ChatTurn(role="user", content="What did Iranian media report about Syria?"),
        ChatTurn(role="assistant", content="Exports [1]."),
    ]
    asked = standalone_question("and the embassy?", history)
    _, final, _ = run(settings, asked, "none")
    assert final.text.startswith(
        "Several Iranian diplomats were killed in the strike on the embassy"
    )
    # nothing new holding the follow-up's own word: the "none" stands
    said = (
        "According to Iranian media, Iran exported goods worth $244 million to Syria last year.",
    )
    model = ScriptedModel("none")
    pieces = list(
        draft_with_model(
            model, standalone_question("what about Turkey?", history), PASSAGES, settings, said
        )
    )
    assert pieces[-1] == Final(NOT_FOUND)


def test_a_follow_up_by_a_pronoun_falls_back_to_a_sentence_about_what_it_stands_for(
    settings: Settings,
) -> None:
    ps = [
        passage(1, "Assad was overthrown after an offensive led by the Sunni Islamist HTS."),
        passage(2, "The Arab League met in Manama, attended by Assad in May 2024."),
    ]
    history = [
        ChatTurn(role="user", content="what is hts"),
        ChatTurn(role="assistant", content="Hay'at Tahrir al-Sham, a Sunni Islamist group."),
    ]
    # "it" is HTS: the sentence holding "2024" alone is about something else
    asked = standalone_question("what did it do in 2024", history)
    final = text_of(list(draft_with_model(ScriptedModel("none"), asked, ps, settings)))
    assert final.text.startswith("Assad was overthrown after an offensive led by the Sunni")


def test_a_follow_up_by_a_pronoun_is_answered_by_a_sentence_naming_what_it_stands_for(
    settings: Settings,
) -> None:
    ps = [
        passage(1, "Refugees have returned to Syria, a 63% increase on 2023."),
        passage(2, "The northeast is controlled by the US-backed Syrian Democratic Forces (SDF)."),
    ]
    history = [
        ChatTurn(role="user", content="what is the sdf"),
        ChatTurn(role="assistant", content="Syrian Democratic Forces [1]."),
    ]
    # "where is it": the model's "Syria" is found in the sentence on refugees, which names
    # nothing the last question asked about; the sentence naming the SDF answers
    final = answer_after(settings, history, "where is it", "Syria", ps)
    assert final.text.startswith("The northeast is controlled by") and final.short is None


def test_a_value_asked_of_a_pronoun_is_not_one_of_something_else(settings: Settings) -> None:
    """ "when did he go to tehran" after "who is hussein arnous" was answered "2011", the
    Syrian president's trips: no sentence with a date names Arnous, and "Syrian" of the
    last answer ("Syrian Prime Minister"), in every passage, names nobody in particular."""
    arnous = "After Raisi's death, Syrian Prime Minister Hussein Arnous traveled to Tehran."
    assad = "It is Syrian President Bashar al-Assad's second trip to Tehran since 2011."
    ps = [passage(1, arnous), passage(2, assad)]
    for who, short, said, expected in (
        ("hussein arnous", "Syrian Prime Minister", arnous, NOT_FOUND),
        ("bashar al-assad", "Syrian President", assad, "2011 [2]. It is Syrian President"),
    ):
        history = [
            ChatTurn(role="user", content=f"who is {who}"),
            ChatTurn(role="assistant", content=f"{short} [1]. {said[:-1]} [1]."),
        ]
        final = answer_after(settings, history, "when did he go to tehran", "2011", ps)
        assert final.text.startswith(expected), who


def test_a_follow_ups_fallback_is_the_sentence_holding_most_of_its_own_words(
    settings: Settings,
) -> None:
    """ "n what if israel itself gets attacked" after Austin's remarks (hand-typed k143): the
    sentence naming Israel and an attack answers, not the better-ranked one that names
    Israel (and the earlier turns' Haniyeh and Hezbollah) only."""
    seed = (SEEDS / "003_fac2acfae8dc93a1.txt").read_text(encoding="utf-8")
    ps = [passage(1, next(line for line in seed.splitlines() if "Lloyd Austin" in line))]
    history = [
        ChatTurn(role="user", content="what does the khaji article say abt haniyeh"),
        ChatTurn(
            role="assistant",
            content="It mentions a strike that allegedly killed Hamas leader Ismail Haniyeh in "
            "Iran, along with Israel's claim that it killed a Hezbollah commander.",
        ),
        ChatTurn(role="user", content="how did the us defense guy react"),
        ChatTurn(
            role="assistant",
            content="US Defense Secretary Lloyd Austin said a wider war in the Middle East is "
            "not inevitable and that there are always opportunities for diplomacy.",
        ),
    ]
    final = answer_after(settings, history, "and what if israel itself gets attacked", "none", ps)
    assert final.text.startswith("The United States has reiterated its commitment to defending")


def seed_line(name: str, holding: str) -> str:
    seed = (SEEDS / name).read_text(encoding="utf-8")
    return next(line for line in seed.splitlines() if holding in line)


def test_a_follow_up_is_answered_by_what_the_last_answers_sentence_held_but_did_not_answer(
    settings: Settings,
) -> None:
    """ "where does he work" after "who is aaron lund": the model's "Century Foundation" is
    in the context the follow-up carries (the last answer's opening sentence), and was taken
    for an echo of the question and refused. Who that sentence is about stays an echo."""
    ps = [passage(1, seed_line("000_cecc55bc2f7d4b03.txt", "does not believe that Assad"))]
    opening = "Aaron Lund, an expert on Syrian affairs at the Century Foundation, does not"
    history = [
        ChatTurn(role="user", content="who is aaron lund"),
        ChatTurn(role="assistant", content=f"{opening} believe that Assad has any intention [1]."),
    ]
    for reply, short in (("Century Foundation", "Century Foundation"), ("Aaron Lund", None)):
        final = answer_after(settings, history, "where does he work", reply, ps)
        assert final.short == short, reply
    assert final.text == NOT_FOUND  # no sentence holds "work" to fall back on


def test_a_follow_up_asking_something_new_of_the_last_answers_sentence_is_answered_by_it(
    settings: Settings,
) -> None:
    """ "who led it" after "how long did the hts offensive take" → "two-week": the model
    repeated "two-week", and the fallback skipped the sentence the last answer gave — which
    holds "led", a word the last question did not ask — for one about the resistance axis
    "led by Iran"."""
    hts = seed_line("004_0efd705b44b6c4ee.txt", "less-than two-week offensive")
    other = "Syria's role within the resistance axis led by Iran was minimal."
    ps = [passage(1, hts), passage(2, other)]
    history = [
        ChatTurn(role="user", content="how long did the hts offensive take"),
        ChatTurn(role="assistant", content=f"two-week [1]. {hts} [1]."),
    ]
    final = answer_after(settings, history, "who led it", "two-week", ps)
    assert final.text.startswith(hts.split(",")[0]) and "HTS" in final.text


def test_the_extractive_draft_is_the_best_sentence_with_its_marker(settings: Settings) -> None:
    pieces = list(draft_extractive("How much did Iran export to Syria?", PASSAGES, settings))
    assert pieces[0] == pieces[-1].text  # type: ignore[union-attr]
    assert pieces[0].startswith("According to Iranian media, Iran exported")
    assert pieces[0].endswith("[1].")


# Passages of two documents about one topic, for the answers of several claims.
TRADE = [
    passage(
        1,
        "Researchers blame several factors for the low trade volume between Iran and Syria. "
        "Much of the trade runs through informal pathways that official figures miss.",
        doc="trade",
    ),
    passage(
        2,
        "Syrian merchants say unofficial taxes at checkpoints keep trade with Iran low. "
        "The Syrian market is also too poor to absorb more imports from Iran.",
        doc="merchants",
    ),
    passage(3, "The weather in Damascus was mild that week, with a light rain.", doc="weather"),
]


def text_of(pieces: list[str | Final]) -> Final:
    final = pieces[-1]
    assert isinstance(final, Final)
    return final


def test_a_list_question_gets_several_claims_from_both_documents(settings: Settings) -> None:
    question = "What factors explain the low trade volume between Iran and Syria?"
    final = text_of(list(draft(None, question, TRADE, settings)))
    claims = split_claims(final.text)
    assert len(claims) >= 3
    assert {1, 2} <= set(cited_ids(final.text))  # both documents
    assert "weather" not in final.text  # off the question: below the claim floor
    assert final.text.startswith("Researchers blame")  # best document first, in its order
    assert all(marker_ids(m) for c in claims for m in SPACED_MARKER.finditer(c))


def test_a_counted_date_question_lists_the_sentences_holding_dates(settings: Settings) -> None:
    visits = [
        passage(
            1,
            "Assad's last visit to Iran dates back to May 2022. His visits to Iran were rare "
            "during the war. The visits to Iran drew Arab criticism. His first trip to Iran "
            "came in February 2019.",
        )
    ]
    question = "When were Assad's two previous visits to Iran?"
    final = text_of(list(draft(None, question, visits, settings)))
    claims = split_claims(final.text)
    assert len(claims) == 2 and "May 2022" in claims[0] and "February 2019" in claims[1]


def test_a_missing_part_is_said_to_be_missing_and_the_rest_answered(settings: Settings) -> None:
    question = (
        "Which taxes make Iranian goods costly in Syria, and how many rockets did the navy "
        "fire at Cyprus?"
    )
    final = text_of(list(draft(None, question, TRADE, settings)))
    assert final.text.startswith("Syrian merchants say unofficial taxes")
    assert "The documents do not say: how many rockets" in final.text
    assert [p.answered for p in final.parts] == [True, False]
    answer, abstained, citations, _ = assemble(final.text, TRADE)
    assert not abstained and answer.endswith("how many rockets did the navy fire at Cyprus?")
    assert 2 in [c.id for c in citations]


def test_a_part_that_is_a_list_is_answered_with_a_list(settings: Settings) -> None:
    axis = [
        passage(
            1,
            "Hezbollah opened a front against Israel from Lebanon in October. "
            "The Houthis opened a front against Israel from Yemen with missiles. "
            "Iraqi militias also opened a front against Israel with drones.",
            doc="fronts",
        ),
        passage(
            2,
            "Syria is the only other state member of Iran's axis. Syria's membership is set "
            "apart by its army. Syria's membership set it apart from the militias of the axis. "
            "Syria kept its Golan front quiet during the war.",
            doc="syria",
        ),
    ]
    question = "Which members of the axis opened fronts against Israel, and what set Syria apart?"
    final = text_of(list(draft(None, question, axis, settings)))
    assert all(name in final.text for name in ("Hezbollah", "Houthis", "Iraqi militias"))
    # the second part read with the first as its context: its membership of the axis
    assert "Syria's membership set it apart from the militias of the axis [2]" in final.text
    assert "only other state member" in final.text
    assert [p.answered for p in final.parts] == [True, True]


def test_a_later_part_is_not_answered_by_the_sentence_an_earlier_part_took(
    settings: Settings,
) -> None:
    """ "How long after the crash did Assad offer condolences, and which official got to
    Tehran before him?": scored with the first part as its context, the second part's best
    sentence was the first part's, and the official was never named."""
    mourners = [
        passage(
            1,
            "Assad was the last one to join the mourners after the helicopter crash that "
            "killed Raisi, offering condolences to Tehran two weeks later.",
            doc="herald",
        ),
        passage(
            2,
            "Syrian Prime Minister Hussein Arnous traveled to Tehran as one of the first mourners.",
            doc="mena",
        ),
    ]
    question = (
        "How long after the helicopter crash that killed Raisi did Assad offer condolences, "
        "and which Syrian official got to Tehran before him?"
    )
    final = text_of(list(draft(None, question, mourners, settings)))
    assert [p.citations for p in final.parts] == [[1], [2]]
    assert "Hussein Arnous" in final.text


def test_a_part_leaning_on_the_first_is_asked_about_what_the_first_answer_names(
    settings: Settings,
) -> None:
    """ "that country falahatpisheh said does 20x more trade w syria than iran — what role
    did khamenei say it played": "it" is Turkey, the country the first part's answer names."""
    ps = [
        passage(
            1,
            "Falahatpisheh pointed out that Turkey still had 20 times more trade with Syria "
            "than Iran had.",
        ),
        passage(2, "Khamenei said Russia played a key role in the talks."),
        passage(3, "Khamenei said Turkey played a pivotal role in supporting the insurgency."),
    ]
    question = (
        "that country falahatpisheh said does 20x more trade w syria than iran — what role "
        "did khamenei say it played"
    )
    final = text_of(list(draft(None, question, ps, settings)))
    assert final.parts[1].answered and final.parts[1].citations == [3]


def test_what_a_question_first_describes_is_found_then_asked_about(settings: Settings) -> None:
    """ "the group that controlled most of nw syria in 2022 - what did they end up doing late
    2024": the first hop finds the group (HTS); the question is answered about HTS, not by
    whatever else the passages say of late 2024."""
    ps = [
        passage(
            1,
            "Most of northwest Syria is controlled by the armed group Hayat Tahrir al-Sham (HTS).",
        ),
        passage(2, "In late 2024 Russia ended up focusing on the war in Ukraine."),
        passage(3, "In late 2024 an offensive led by HTS overthrew the regime."),
    ]
    question = (
        "the group that controlled most of nw syria in 2022 - what did they end up doing late 2024"
    )
    final = text_of(list(draft(None, question, ps, settings)))
    assert [p.citations for p in final.parts] == [[1], [3]]


def test_a_reported_claim_and_the_question_about_it_are_answered_apart(
    settings: Settings,
) -> None:
    """ "X says ... — does the mena paper see it the same way": the claim is shown where a
    document tells it, and the question is answered by another sentence, from the document
    its part names (``part_named``), though another document's sentences score higher."""
    herald = [
        passage(
            1,
            "Lund believes some occasional friction between Tehran and Damascus is normal "
            "and no big deal. Lund sees Tehran and Damascus as close partners that stay the "
            "same in every way.",
            doc="herald",
        ),
    ]
    mena = [
        passage(
            2,
            "Analyses suggest a significant erosion of trust between Tehran and Damascus. "
            "Iran is studying a scaling back of its support for Damascus.",
            doc="mena",
        ),
    ]
    question = (
        "lund says friction between tehran and damascus is no big deal — does the mena paper "
        "see it the same way"
    )
    final = text_of(
        list(draft(None, question, herald + mena, settings, part_named=((), ("mena",))))
    )
    assert "occasional friction between Tehran and Damascus is normal" in final.text
    assert "erosion of trust between Tehran and Damascus [2]" in final.text
    assert [p.answered for p in final.parts] == [True, True]
    assert final.parts[1].citations == [2]


def test_a_summary_is_the_documents_central_sentences_in_its_order(settings: Settings) -> None:
    chunks = [
        "Iran and Syria have been allies since 1980. Their trade has stayed small. "
        "Merchants blame informal pathways and unofficial taxes.",
        "Iran backed Assad through the civil war with money and militias. "
        "The cost to Iran ran into billions of dollars.",
        "After Assad fell, Tehran blamed the Syrian army for the collapse. "
        "Iran's influence in Syria has shrunk sharply since then.",
    ]
    doc = [passage(i, text, doc="article") for i, text in enumerate(chunks, start=1)]
    final = text_of(list(draft(None, "Summarize the article on Iran and Syria.", doc, settings)))
    claims = [strip_markers(c).strip() for c in split_claims(final.text)]
    whole = " ".join(chunks)
    at = [whole.find(c.rstrip(".")) for c in claims]
    assert len(claims) >= 3 and -1 not in at and at == sorted(at)  # verbatim, in its order
    assert {1, 3} <= set(cited_ids(final.text))  # from the beginning and the end


def test_a_summary_of_part_of_a_document_is_drawn_from_that_part(settings: Settings) -> None:
    """ "Sum up what the article says about X": the claims about X, not one per stretch; a
    word of the document's opening ("Iran and Syria") or one it never uses ("quick") asks
    for all of it, and so does a question no word of which asks for a part ("section",
    "argument", "says")."""
    chunks = [
        "Iran and Syria have been allies since 1980. Their alliance has outlasted wars.",
        "Iran backed Assad through the civil war with money and militias. "
        "The cost to Iran ran into billions of dollars.",
        "Trade between the two stayed small. Iranian exports reached only $244 million. "
        "Merchants blame the low quality of the goods and unofficial taxes.",
        "After Assad fell, Tehran blamed the Syrian army for the collapse. "
        "Iran's influence in Syria has shrunk sharply since then.",
    ]
    doc = [passage(i, text, doc="article") for i, text in enumerate(chunks, start=1)]
    assert summary_focus("Sum up the trade section of the article", doc) == "trade"
    for whole in (
        "Summarize the article on Iran and Syria",  # its opening's words
        "give me a quick summary pls",  # words it never uses
        "Summarize the article on the trade between them",  # no word asks for a part
    ):
        assert summary_focus(whole, doc) == "", whole
    asked = "Can you sum up the trade section of the article?"
    final = text_of(list(draft(None, asked, doc, settings)))
    assert "$244 million [3]" in final.text and "unofficial taxes [3]" in final.text
    assert set(cited_ids(final.text)) <= {2, 3}  # not one sentence from each stretch


def test_a_summary_of_a_section_named_by_its_heading_is_drawn_from_that_section(
    settings: Settings,
) -> None:
    """ "gist of the 'price will be high' section": the sentences under that heading, up to
    the next one; "the economic section" names no heading and is read as before."""
    chunks = [
        "Iran and Syria\n\nThe two have been allies since 1980. Their alliance outlasted wars."
        "\n\nThe price will be high",
        "Iran backed Assad through the civil war with money and militias. The cost to Iran "
        "ran into billions of dollars.\n\nTrade stayed small",
        "Iranian exports reached only $244 million. Merchants blame unofficial taxes.",
    ]
    doc = [passage(i, text, doc="article") for i, text in enumerate(chunks, start=1)]
    for asked in (
        "gist of the 'price will be high' section of the article",
        "sum up the price will be high part",
    ):
        final = text_of(list(draft(None, asked, doc, settings)))
        assert final.text == (
            "Iran backed Assad through the civil war with money and militias [2]. "
            "The cost to Iran ran into billions of dollars [2]."
        ), asked
    final = text_of(list(draft(None, "summarize the 'trade stayed small' bit", doc, settings)))
    assert "$244 million [3]" in final.text and set(cited_ids(final.text)) == {3}
    # a heading with an apostrophe, quoted with the same marks
    read = [passage(1, "Iran’s Read of the Talks\n\nKhamenei praised Syria for its victory.")]
    asked = "main points of the 'iran's read of the talks' part"
    assert [e.text for e in section_sentences(asked, read)] == [
        "Khamenei praised Syria for its victory."
    ]
    # a name that is not all of a heading's words names no section: the part is read by its
    # words, as before (``summary_focus``)
    assert section_sentences("sum up the trade section of the article", doc) == []
    # a heading named by some of its words, quoted and called a section: the one holding
    # them all with fewest others ("'indicators of changing relations' section" of the MENA
    # paper's "Indicators of Changing Relations Between Iran and Syria"); the same words
    # quoted as what the document is about name no section
    headed = [
        passage(1, "Trade Between Iran and Syria\n\nExports reached $244 million."),
        passage(2, "Trade Between Iran and Syria Since the War Began\n\nTrade fell."),
    ]
    for asked in ("sum up the 'trade between iran' section", "gist of the trade between iran bit"):
        assert [e.text for e in section_sentences(asked, headed)] == [
            "Exports reached $244 million."
        ], asked
    assert section_sentences("summarize the piece on 'trade between iran'", headed) == []
    asked = "summarize the piece on 'trade between iran', mostly the part on exports"
    assert section_sentences(asked, headed) == []  # the part word is not the name's
    # two headings as near: none named
    tied = [
        headed[0],
        passage(2, "Trade Between Iran and Iraq\n\nTrade grew fast after the war began."),
    ]
    assert section_sentences("sum up the 'trade between' section", tied) == []


def test_the_passages_read_beyond_a_factoids_reach_give_claims_not_refusals(
    settings: Settings,
) -> None:
    """An answer of several claims reads more passages than a factoid (``Gathered.reach``):
    the claims come from all of them, but whether the question is answered at all — the
    model's phrase, the off-topic floor — is judged on the passages a factoid reads."""
    question = "Which groups keep trade between Iran and Syria low?"
    reach = frozenset({TRADE[0].chunk_id, TRADE[2].chunk_id})
    model = ScriptedModel("Syrian merchants")
    final = text_of(list(draft(model, question, TRADE, settings, reach=reach)))
    offered = model.prompts[0][-1]["content"]
    assert "unofficial taxes" not in offered and "informal pathways" in offered
    assert "at checkpoints keep trade with Iran low [2]" in final.text  # beyond the reach
    # nothing within reach is about the question: off the collection's topics, refused
    weather = frozenset({TRADE[2].chunk_id})
    refused = text_of(list(draft(None, question, TRADE, settings, reach=weather)))
    assert refused.text == NOT_FOUND
    assert text_of(list(draft(None, question, TRADE, settings))).text != NOT_FOUND


def test_which_article_tells_of_something_is_answered_by_its_sentences(
    settings: Settings,
) -> None:
    """ "which article talks about captagon" asked for a phrase that no sentence holds (a
    sentence never names its own article): it was refused. Each document's sentences telling
    of the topic answer, their markers naming the documents."""
    model = ScriptedModel("none")
    asked = "which article talks about unofficial taxes"
    final = text_of(list(draft(model, asked, TRADE, settings)))
    assert final.text == (
        "Syrian merchants say unofficial taxes at checkpoints keep trade with Iran low [2]."
    )
    assert model.prompts == []  # nothing to copy: the model is not asked
    # two documents telling the same thing are both shown: that is what was asked
    both = [*TRADE, passage(4, "Unofficial taxes at checkpoints keep trade low.", doc="copy")]
    final = text_of(list(draft(None, "which papers mention unofficial taxes", both, settings)))
    assert sorted(cited_ids(final.text)) == [2, 4]
    # a topic no sentence tells of: the documents do not mention it
    final = text_of(list(draft(None, "which documents mention bitcoin", TRADE, settings)))
    assert final.text == NOT_FOUND


def test_a_models_none_for_a_list_question_is_an_abstention(settings: Settings) -> None:
    question = "Which groups keep trade between Iran and Syria low?"
    refused = text_of(list(draft(ScriptedModel("none"), question, TRADE, settings)))
    assert refused.text == NOT_FOUND
    named = text_of(list(draft(ScriptedModel("Syrian merchants"), question, TRADE, settings)))
    assert named.short == "Syrian merchants" and len(split_claims(named.text)) >= 2
    # A list of things without names is told in clauses: there is no phrase to copy, so the
    # model is not asked ("what signs show the relations are cooling" was refused on its
    # "none"), and the claims stand.
    for asked in (
        "What factors explain the low trade volume between Iran and Syria?",
        "what r the problems with trade between iran n syria",
    ):
        model = ScriptedModel("none")
        answer = text_of(list(draft(model, asked, TRADE, settings)))
        assert answer.text != NOT_FOUND and model.prompts == [], asked
        assert len(split_claims(answer.text)) >= 2, asked
    # A "why" has no phrase to copy: the model is not asked, the claims stand.
    model = ScriptedModel("none")
    why = text_of(list(draft(model, "Why is trade between Iran and Syria low?", TRADE, settings)))
    assert why.text != NOT_FOUND and model.prompts == []
    # Nor has any other explanation by its wording: "what do the articles say about ...",
    # "the theories for why ...", "what set that off" (each was refused on the model's "none").
    for asked in (
        "what do the articles say about trade between iran and syria",
        "what are the theories for why iran and syria trade so little",
        "what set off the low trade between iran and syria",
        "what do syrian merchants want from iran",  # a want, a fear, a worry
        "what worries syrian merchants about trade with iran",
        # a comparison asked for at length ("how does syrias track record w russia compare
        # to iran on debts" was refused on the model's "none")
        "how do the official and the informal trade between iran and syria differ",
        "compare the official and the informal trade between iran and syria",
    ):
        model = ScriptedModel("none")
        answer = text_of(list(draft(model, asked, TRADE, settings)))
        assert answer.text != NOT_FOUND and model.prompts == [], asked
    # A comparison asking for a value or a yes/no question is asked, as a list is: its
    # "none" refuses the near misses of those kinds (SQuAD's unanswerable "How much less
    # steam did the Rumford engine use compared to the Watt engine?", "Can address
    # information be changed ...?").
    for asked in (
        "which is lower, the official trade compared to the informal trade",
        "Across the articles, is trade between Iran and Syria low?",
    ):
        model = ScriptedModel("none")
        answer = text_of(list(draft(model, asked, TRADE, settings)))
        assert answer.text == NOT_FOUND and len(model.prompts) == 1, asked
    # ... unless its best sentence denies something: the answer is a "no", which a phrase to
    # copy cannot give ("was the umayyad mosque closed to everyone" was refused on "none").
    denied = [
        passage(
            1, "The mosque was not closed to everyone, only to foreign Shia visitors.", doc="m"
        ),
        passage(2, "The weather in Damascus was mild that week, with a light rain.", doc="w"),
    ]
    model = ScriptedModel("none")
    answer = text_of(list(draft(model, "was the mosque closed to everyone", denied, settings)))
    assert "not closed to everyone" in answer.text and len(model.prompts) == 1
    # ... or tells a difference where a likeness is asked about ("so is alawism basically the
    # same as irans shiism" was refused on "none"); a likeness told is no such "no"
    differs = [
        passage(1, "Syrian Alawism diverges significantly from Iranian Shi’ism in practice.", "a"),
        passage(2, "The weather in Damascus was mild that week, with a light rain.", doc="w"),
    ]
    asked = "is alawism the same as shiism"
    answer = text_of(list(draft(ScriptedModel("none"), asked, differs, settings)))
    assert "diverges significantly" in answer.text
    alike = [passage(1, "Syrian Alawism shares much with Iranian Shi’ism in practice.", "a")]
    answer = text_of(list(draft(ScriptedModel("none"), asked, alike + differs[1:], settings)))
    assert answer.text == NOT_FOUND
    # Two documents the question compares side by side are there to compare: the model is
    # not asked ("how do the mena and algemeiner papers differ on russia" was refused).
    model = ScriptedModel("none")
    asked = "how do the trade and merchants pieces differ on trade between iran and syria"
    answer = text_of(list(draft(model, asked, TRADE, settings, named=("trade", "merchants"))))
    assert answer.text != NOT_FOUND and model.prompts == []


def test_an_answer_keeps_to_the_documents_the_question_names(settings: Settings) -> None:
    question = "What factors explain the low trade volume between Iran and Syria?"
    both = text_of(list(draft(None, question, TRADE, settings)))
    assert set(cited_ids(both.text)) == {1, 2}
    one = text_of(list(draft(None, question, TRADE, settings, named=("merchants",))))
    assert set(cited_ids(one.text)) == {2}
    fact = text_of(
        list(draft(None, "What keeps trade with Iran low?", TRADE, settings, named=("trade",)))
    )
    assert set(cited_ids(fact.text)) == {1}


def test_a_follow_up_list_does_not_repeat_the_last_answer(settings: Settings) -> None:
    visit = [
        passage(
            1,
            "Khaji met President Bashar Assad in Damascus. The visit lasted two days. "
            "He also held talks with Foreign Minister Faisal Mekdad. "
            "He later met his deputy, Bassam al-Sabbagh.",
        )
    ]
    history = [
        ChatTurn(role="user", content="Who did Khaji meet in Syria?"),
        ChatTurn(role="assistant", content="Khaji met President Bashar Assad in Damascus [1]."),
    ]
    question = "who else did he meet? (context: Who did Khaji meet in Syria?)"
    final = text_of(list(draft(None, question, visit, settings, already_said(history))))
    assert "Mekdad" in final.text and "met President Bashar Assad" not in final.text
    named = ScriptedModel("Faisal Mekdad")  # the model's phrase path keeps the same rule
    read = text_of(list(draft(named, question, visit, settings, already_said(history))))
    assert read.short == "Faisal Mekdad" and "met President Bashar Assad" not in read.text
    assert already_said(None) == ()


def test_a_follow_up_asking_how_may_be_answered_by_the_last_answers_sentence(
    settings: Settings,
) -> None:
    crash = [
        passage(
            1,
            "President Ebrahim Raisi was killed in his helicopter crash on May 19. "
            "Official media did not publish the content of the meeting on Thursday.",
        )
    ]
    history = [
        ChatTurn(role="user", content="when did raisi die"),
        ChatTurn(
            role="assistant",
            content="May 19 [1]. President Ebrahim Raisi was killed in his helicopter crash "
            "on May 19 [1].",
        ),
    ]
    question = "how did he die (context: when did raisi die May 19)"
    final = text_of(list(draft(None, question, crash, settings, already_said(history))))
    assert final.text.startswith("President Ebrahim Raisi was killed in his helicopter crash")


def test_a_model_answering_in_a_sentence_of_its_own_is_not_refused(settings: Settings) -> None:
    meeting = passage(
        1,
        "Tehran backed the talks. This came during a meeting between Khaji and Syrian "
        "Foreign Minister Faisal Mekdad in Damascus.",
    )
    model = ScriptedModel("Khaji met Syrian Foreign Minister Faisal Mekdad in Damascus.")
    pieces = list(draft_with_model(model, "who did khaji meet in damascus", [meeting], settings))
    final = text_of(pieces)
    assert final.short == "Syrian Foreign Minister Faisal Mekdad"
    assert final.text.startswith("Syrian Foreign Minister Faisal Mekdad [1]. Tehran backed")
    assert final.text.endswith("Khaji and Syrian Foreign Minister Faisal Mekdad in Damascus [1].")


TABLER = (
    "Andrew Tabler, an analyst at the Washington Institute, noted that Russia and the UAE "
    "urged Assad to stay out of the conflict between Hamas and Israel since October 7."
)
AFTER_TABLER = (
    "Since then, Israel has reportedly intensified strikes on Iranian targets in Syria, "
    "killing members of the Revolutionary Guard."
)
# Ranked on its own words, "what did israel do" is answered from here.
ISRAEL_DID = passage(
    2, "Israel struck the Iranian consulate in Damascus in April, and Israel did more.", doc="b"
)


def test_what_happened_after_the_last_answer_is_what_its_document_tells_next(
    settings: Settings,
) -> None:
    history = [  # a paraphrase of the sentence, as a user's client may send it
        ChatTurn(role="user", content="who is andrew tabler"),
        ChatTurn(
            role="assistant",
            content="An analyst at the Washington Institute. He noted that Russia and the UAE "
            "urged Assad to stay out of the Hamas-Israel conflict since October 7.",
        ),
    ]
    question = standalone_question("what did israel do after that?", history)
    told = passage(1, f"{TABLER} {AFTER_TABLER} Russia kept its bases.", doc="a")
    model = ScriptedModel("Israel struck the Iranian consulate")
    final = text_of(
        list(draft(model, question, [told, ISRAEL_DID], settings, already_said(history)))
    )
    assert final.text == f"{AFTER_TABLER[:-1]} [1]." and model.prompts == []
    # The story goes on in the next chunk of the document, which overlaps the first one.
    first = told.model_copy(update={"text": TABLER, "start": 0, "end": len(TABLER)})
    rest = f"{TABLER[-20:]} {AFTER_TABLER}"
    nxt = passage(3, rest, doc="a").model_copy(update={"start": len(TABLER) - 20, "end": 400})
    chunks = [first, ISRAEL_DID, nxt]
    final = text_of(list(draft(None, question, chunks, settings, already_said(history))))
    assert final.text == f"{AFTER_TABLER[:-1]} [3]."
    # ... or follows it across a paragraph break without overlapping ("\n\n" between them),
    # which "tell me more" reads on into as well
    joined = passage(3, AFTER_TABLER, doc="a").model_copy(
        update={"start": len(TABLER) + 2, "end": 400}
    )
    chunks = [first, ISRAEL_DID, joined]
    final = text_of(list(draft(None, question, chunks, settings, already_said(history))))
    assert final.text == f"{AFTER_TABLER[:-1]} [3]."
    more = standalone_question("tell me more", history)
    final = text_of(list(draft(None, more, chunks, settings, already_said(history))))
    assert final.text == f"{AFTER_TABLER[:-1]} [3]."
    # Not after a gap, nor a sentence that does not name what is asked about: the question
    # is then answered as any other.
    gap = nxt.model_copy(update={"start": len(TABLER) + 500})
    for passages, asked in (([first, ISRAEL_DID, gap], "israel"), ([told, ISRAEL_DID], "turkey")):
        q = standalone_question(f"what did {asked} do after that?", history)
        final = text_of(list(draft(None, q, passages, settings, already_said(history))))
        assert AFTER_TABLER[:-1] not in final.text, asked
    # Without the last answer in the passages there is nothing to follow.
    q = standalone_question("what happened next?", history)
    assert (
        "Since then"
        not in text_of(list(draft(None, q, [ISRAEL_DID], settings, already_said(history)))).text
    )


CONFLICT = [
    passage(1, "The Tolvane bridge was opened in 1911. It spans the river Avel.", doc="a"),
    passage(2, "The Tolvane bridge was opened in 1913, after two years of delays.", doc="b"),
]


def test_two_documents_with_different_values_are_said_to_disagree(settings: Settings) -> None:
    model = ScriptedModel("1911")
    pieces = list(
        draft_with_model(model, "When was the Tolvane bridge opened?", CONFLICT, settings)
    )
    final = pieces[-1]
    assert isinstance(final, Final)
    assert final.text.startswith("The sources disagree: 1911 [1]; 1913 [2].")
    assert "opened in 1913, after two years of delays [2]." in final.text
    extractive = list(draft_extractive("When was the Tolvane bridge opened?", CONFLICT, settings))
    assert isinstance(extractive[-1], Final)
    assert extractive[-1].text.startswith("The sources disagree: ")


def test_one_document_stating_two_values_is_no_disagreement(settings: Settings) -> None:
    """Two visits in one article are two events, not sources that disagree."""
    same_doc = [passage(p.id, p.text, doc="a") for p in CONFLICT]
    pieces = list(
        draft_with_model(
            ScriptedModel("1911"), "When was the Tolvane bridge opened?", same_doc, settings
        )
    )
    assert isinstance(pieces[-1], Final)
    assert "disagree" not in pieces[-1].text


def test_a_different_value_in_another_statement_is_no_disagreement() -> None:
    from rag.answer.disagree import other_value

    chosen = "Iran exported goods worth $244 million to Syria last year."
    assert (
        other_value(
            chosen,
            "$244 million",
            "Iran exported goods worth $300 million to Syria last year.",
            "number",
        )
        == "$300 million"
    )
    assert (
        other_value(
            chosen, "$244 million", "Iraq imported 3 million barrels of oil from Kuwait.", "number"
        )
        is None
    )
    assert (
        other_value(
            "The harbor master is Margaret Okafor.",
            "Margaret Okafor",
            "The harbor master is Napoleon Bonaparte (12).",
            "any",
        )
        == "Napoleon Bonaparte"
    )


def test_who_is_someone_is_answered_by_a_sentence_naming_them(settings: Settings) -> None:
    ps = [
        passage(1, "Aaron Lund, an expert on Syrian affairs at the Century Foundation, doubts it."),
        passage(2, "Lund's colleague wrote about the Gulf."),
    ]
    # The small model rarely copies a description as a phrase: its "none" is not the answer.
    final = text_of(
        list(draft_with_model(ScriptedModel("none"), "who is aaron lund", ps, settings))
    )
    assert final.text.startswith("Aaron Lund, an expert on Syrian affairs") and "[1]" in final.text
    # No offered sentence names the one asked about: the "none" stands.
    unknown = "Who is Maria Lund?"
    assert text_of(list(draft_with_model(ScriptedModel("none"), unknown, ps, settings))).text == (
        NOT_FOUND
    )


def test_what_is_something_is_answered_by_the_sentence_naming_the_part_the_model_copied(
    settings: Settings,
) -> None:
    ps = [
        passage(1, "Syria keeps the land corridor from Tehran to Beirut open for Iran."),
        passage(2, "Iran wants a port on the Mediterranean coast of Syria."),
    ]
    # "land corridor" repeats the question, and no sentence holds all of "land corridor
    # iran wants": the model named the part of the subject the first sentence describes.
    question = "what is the land corridor iran wants"
    final = text_of(list(draft_with_model(ScriptedModel("land corridor"), question, ps, settings)))
    assert final.text.startswith("Syria keeps the land corridor from Tehran to Beirut")
    # one repeated word is no such sign: the model found nothing to copy
    other = text_of(list(draft_with_model(ScriptedModel("corridor"), question, ps, settings)))
    assert other.text == NOT_FOUND


def test_what_is_something_is_not_answered_by_a_sentence_not_naming_it(
    settings: Settings,
) -> None:
    ps = [
        passage(1, "Assad holds the west of the country, what the French call “La Syrie utile.”"),
        passage(2, "Most of northwest Syria is controlled by HTS."),
    ]
    # "wat is la syrie utile": the model's "Syria" is found in the second sentence, which
    # does not name what is asked about; the first does, and answers.
    question = "what is la syrie utile"
    final = text_of(list(draft_with_model(ScriptedModel("Syria"), question, ps, settings)))
    assert final.text.startswith("Assad holds the west of the country") and "[1]" in final.text
    assert final.short is None


def test_a_shift_of_focus_is_answered_by_the_sentence_naming_it(settings: Settings) -> None:
    debts = [
        passage(
            1,
            "Syria has done nothing to repay the $30 billion owed to Iran, while it has "
            "steadily settled its debts with Russia.",
        ),
        passage(2, "Syria's debt to Iran equals the annual budget of the Islamic Republic."),
    ]
    history = [
        ChatTurn(role="user", content="How much does Syria owe Iran?"),
        ChatTurn(role="assistant", content="About $30 billion, and Syria has not repaid it [1]."),
    ]
    question = standalone_question("what about its debts to russia?", history)
    # The model answers the last question again; its phrase is the last answer's.
    final = text_of(
        list(draft(ScriptedModel("$30 billion"), question, debts, settings, already_said(history)))
    )
    assert "settled its debts with Russia [1]" in final.text and "annual budget" not in final.text


def test_a_view_asked_again_about_someone_else_is_told_by_the_sentences_naming_them(
    settings: Settings,
) -> None:
    """ "and al-qirbi?" after "what does lund think": Al-Qirbi's claims, not Lund's again,
    which the context ranks first."""
    views = [
        passage(
            1,
            "Aaron Lund believes Khamenei's comments are accurate. Lund thinks the "
            "friction between Tehran and Damascus is normal.",
        ),
        passage(
            2,
            "Ahmed Al-Qirbi believes Khamenei spoke of differences between Assad and "
            "Iran. Al-Qirbi adds that Arab normalization has not crossed Iranian red lines.",
        ),
    ]
    history = [
        ChatTurn(role="user", content="what does lund think"),
        ChatTurn(
            role="assistant", content="Aaron Lund believes Khamenei's comments are accurate [1]."
        ),
    ]
    question = standalone_question("and al-qirbi?", history)
    final = text_of(
        list(draft(None, question, views, settings, already_said(history), shape="explain"))
    )
    assert "Al-Qirbi believes" in final.text and "red lines" in final.text
    assert "Lund" not in final.text


def test_a_follow_ups_question_word_is_not_one_of_its_own_words(settings: Settings) -> None:
    ps = [
        passage(1, "Aaron Lund, an expert on Syrian affairs at the Century Foundation, doubts it."),
        passage(2, "Recently, an Iranian adviser visited Syria, where he met President Assad."),
    ]
    history = [
        ChatTurn(role="user", content="who is aaron lund"),
        ChatTurn(role="assistant", content=f"{ps[0].text[:-1]} [1]."),
    ]
    question = standalone_question("where does he work", history)
    # The model reads nothing; a new sentence holding "where" is no answer to "work".
    final = text_of(
        list(draft(ScriptedModel("none"), question, ps, settings, already_said(history)))
    )
    assert final.text == NOT_FOUND


def test_a_document_with_headings_is_summarised_section_by_section(settings: Settings) -> None:
    """Each section gives a sentence (a long one more: ``shares``), the one its heading
    announces rather than the one most like the whole document; a section headed by the
    author's name (a byline and biography) gives none."""
    chunks = [
        "Iran and Syria have been allies since 1980. Their alliance has outlasted many wars."
        "\n\nWhy Syria stayed out of the Gaza war",
        "Iran and Syria met often in Damascus to discuss their alliance. Damascus kept out "
        "of the Gaza war after a warning from Israel.\n\nTrade between them",
        "Iranian exports to Syria reached only $244 million. Merchants blame unofficial "
        "taxes.\n\nJane Doe\n\nJane Doe is a researcher on Iran and Syria. She has written "
        "about their alliance for years.",
    ]
    doc = [
        passage(i, text, doc="article", author="Jane Doe", title="Iran and Syria")
        for i, text in enumerate(chunks, start=1)
    ]
    assert [(h, len(s)) for h, s in document_sections(doc)] == [
        ("", 2),
        ("Why Syria stayed out of the Gaza war", 2),
        ("Trade between them", 2),
    ]
    vectors = sentence_vectors(settings).get
    chosen = summary_claims("summarize the article", doc, None, vectors, 3)
    texts = [e.text for e in chosen]
    assert len(texts) == 3 and "researcher" not in " ".join(texts)
    assert "Damascus kept out of the Gaza war after a warning from Israel." in texts
    assert [e.passage_id for e in chosen] == [1, 2, 3]  # one from each section, in order
    assert shares([5, 2, 9], 8) == [2, 1, 5] and shares([5, 2, 9], 2) == [1, 0, 1]


def test_a_photos_caption_and_credit_are_no_point_of_a_summary(settings: Settings) -> None:
    """ "Assad meets Khamenei ..., in this handout released by SANA on Feb. 25, 2019. Photo:
    SANA / Handout via Reuters." describe a picture: a summary of the article (with
    headings or without) sums up its story."""
    text = (
        "Syrian President Bashar al-Assad meets with Iranian Ayatollah Ali Khamenei in "
        "Tehran, in this handout released by SANA on Feb. 25, 2019. Photo: SANA / Handout "
        "via Reuters. Syrian President Bashar al-Assad visited his close ally Iran on May 8 "
        "for talks with Khamenei. The visit came after a decade of civil war."
    )
    doc = [passage(1, text, doc="article")]
    sections = document_sections(doc)
    assert [e.text for _, st in sections for e in st] == [
        "Syrian President Bashar al-Assad visited his close ally Iran on May 8 for talks with "
        "Khamenei.",
        "The visit came after a decade of civil war.",
    ]
    vectors = sentence_vectors(settings).get
    chosen = " ".join(e.text for e in summary_claims("summarize it", doc, None, vectors, 3))
    assert "handout" not in chosen and "Photo" not in chosen and "May 8" in chosen


def test_a_heading_is_a_short_paragraph_stating_nothing_or_in_title_case() -> None:
    """A heading ending in an abbreviation's full stop is still one; a short statement is
    not."""
    assert is_heading("Why Didn’t Assad Participate in the Gaza War?")
    assert is_heading("Within the Iranian circle")
    assert is_heading("Deteriorating Relations with Iran and Improvement with the U.S.")
    assert not is_heading("Statistics are rarely published showing what Iran has done in Syria.")
    assert not is_heading("Syria and Iran regard Israel as their main enemy in the region.")
    assert not is_heading("")


def test_a_long_document_is_summed_up_in_more_sentences_than_a_short_one(
    settings: Settings,
) -> None:
    """One sentence per ``TUNING.summary_words`` of the document, ``n`` at least and
    ``TUNING.summary_claims_max`` at most; a named section keeps ``n``."""
    paragraphs_ = [
        line
        for line in (SEEDS / "002_a7f7d5f348e28b9b.txt").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]  # the MENA paper, 2,850 words
    long_doc = [passage(i, text, doc="paper") for i, text in enumerate(paragraphs_, start=1)]
    words = sum(len(p.split()) for p in paragraphs_)
    assert words > 100 * TUNING.summary_claims_max
    assert whole_summary_size(long_doc, 3) == TUNING.summary_claims_max
    assert whole_summary_size(long_doc[:5], 3) == round(
        sum(len(p.split()) for p in paragraphs_[:5]) / TUNING.summary_words
    )
    assert whole_summary_size(long_doc[:4], 3) == 3  # its first 200 words
    vectors = sentence_vectors(settings).get
    chosen = summary_claims("summarize the paper", long_doc, None, vectors, 3)
    assert len(chosen) == TUNING.summary_claims_max
    short = summary_claims("summarize the paper", long_doc[:4], None, vectors, 3)
    assert len(short) == 3


def test_a_paragraph_cut_by_overlapping_chunks_gives_its_sentences_once() -> None:
    """Two overlapping chunks hold one paragraph cut in two places: each sentence of it is
    one statement of its section, not two."""
    chunks = [
        "Trade between them\n\nIranian exports reached only $244 million. Merchants blame "
        "unofficial taxes.",
        "Merchants blame unofficial taxes. Most trade runs through informal pathways.",
    ]
    doc = [passage(i, text, doc="article") for i, text in enumerate(chunks, start=1)]
    assert [(h, [e.text for e in s]) for h, s in document_sections(doc)] == [
        (
            "Trade between them",
            [
                "Iranian exports reached only $244 million.",
                "Merchants blame unofficial taxes.",
                "Most trade runs through informal pathways.",
            ],
        )
    ]


def test_a_role_asked_about_is_answered_by_the_sentence_naming_its_holder(
    settings: Settings,
) -> None:
    ps = [
        passage(1, "The Prime Minister has also become prominent in meetings in Syria."),
        passage(2, "After the death, Syrian Prime Minister Hussein Arnous traveled to Tehran."),
    ]
    question = "who is syria’s prime minister"  # "who is syrias pm", as the service reads it
    # the model's name stands, though its sentence writes "Syrian", not "syria's" ...
    named = text_of(list(draft_with_model(ScriptedModel("Hussein Arnous"), question, ps, settings)))
    assert named.short == "Hussein Arnous" and "[2]" in named.text
    # ... and without a name from the model, the sentence introducing someone by the role
    fallback = text_of(list(draft_with_model(ScriptedModel("none"), question, ps, settings)))
    assert fallback.text.startswith("After the death, Syrian Prime Minister Hussein Arnous")


def test_when_a_text_was_published_is_its_own_date(settings: Settings) -> None:
    ps = [
        Passage(
            id=1,
            source="furlan.html",
            chunk_id="f-0",
            score=0.9,
            text="Assad visited Iran on May 8 for talks with Khamenei.",
            title="The Meeting Between Assad and Khamenei",
            published="May 30, 2022",
        )
    ]
    # "when was furlans piece published": the model said "none" to the text's dateline
    asked = "when was furlan’s piece published"
    final = text_of(list(draft_with_model(ScriptedModel("none"), asked, ps, settings)))
    assert final.short == "May 30, 2022" and "is dated May 30, 2022 [1]" in final.text
    # asked of the text by name in other words than its sentences use: no topic to be off
    asked, named = "when did furlan write her article", (ps[0].doc_id,)
    final = text_of(list(draft(ScriptedModel("none"), asked, ps, settings, named=named)))
    assert final.short == "May 30, 2022"
    undated = [ps[0].model_copy(update={"published": None})]  # nor its body's date, if none
    final = text_of(list(draft(ScriptedModel("May 8"), asked, undated, settings, named=named)))
    assert final.text == NOT_FOUND


def test_a_phrase_gathered_from_across_the_sentence_is_dropped(settings: Settings) -> None:
    ps = [
        passage(
            1,
            "Falahatpisheh pointed out that Turkey, which supported Assad’s opponents, still "
            "had more than $2 billion in trade with Syria, 20 times more than its supposed ally.",
        )
    ]
    model = ScriptedModel("Supposed Assad’s opponents")
    final = text_of(list(draft_with_model(model, "what did turkey do in syria", ps, settings)))
    assert final.short is None and final.text.startswith("Falahatpisheh pointed out that Turkey")


def test_another_countrys_holder_of_the_asked_role_is_a_near_miss(settings: Settings) -> None:
    """ "Robert Ford" is in the sentence, but as the US's ambassador, not Iran's: refused."""
    ford = passage(1, "Former US Ambassador to Syria, Robert Ford, noted that the talks stalled.")
    model = ScriptedModel("Robert Ford")
    asked = list(draft_with_model(model, "whos iran’s ambassador to syria", [ford], settings))
    assert text_of(asked).text == NOT_FOUND
    model = ScriptedModel("Robert Ford")
    asked = list(draft_with_model(model, "who was the us ambassador to syria", [ford], settings))
    assert text_of(asked).text.startswith("Robert Ford [1].")
