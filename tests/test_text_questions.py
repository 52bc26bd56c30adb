"""rag.text.questions: what a question asks for, from its wording."""

from __future__ import annotations

from rag.text.casual import normalize_question
from rag.text.questions import (
    PublisherNames,
    answer_shape,
    asked_of_another,
    asked_words,
    asks_again,
    asks_author,
    asks_else,
    asks_explanation,
    asks_itself,
    asks_mentioned,
    asks_more,
    asks_others,
    asks_people,
    asks_published,
    asks_quoted,
    asks_sequel,
    asks_who,
    asks_why,
    asks_yes_no,
    author_reference,
    compares_at_length,
    compares_documents,
    counted,
    counts_told,
    denies,
    described,
    description_first,
    document_names,
    expected_type,
    has_type,
    is_follow_up,
    lists_abstract,
    looked_for,
    named_by_publisher,
    names_by_kind,
    negates,
    premise,
    question_parts,
    quoted_nationality,
    sequel_topic,
    shifts_focus,
    source_names,
    source_topic,
    spans_documents,
    summarizes_topic,
    values_of,
    without_document_names,
)


def test_expected_types() -> None:
    assert expected_type("How many rockets were fired?") == "count"
    assert expected_type("What was the total number of refugees?") == "number"
    assert expected_type("By what percentage did returns grow?") == "percent"
    assert expected_type("by what % did returns go up") == "percent"  # as typed
    assert expected_type("When did Assad visit Tehran?") == "date"
    assert expected_type("On what date did Khaji arrive?") == "date"
    assert expected_type("Who wrote the analysis?") == "any"
    # telegraphic
    assert expected_type("assad tehran trip 2022 exact day") == "date"
    assert expected_type("uae restored ties with damascus what year") == "date"
    # how many times something happened, which an ordinal tells: "his second trip"
    assert expected_type("how many times has assad visited iran since 2011") == "times"
    assert expected_type("How many trips did he make to Tehran?") == "times"
    assert expected_type("How many times more did they pay for oil?") == "number"  # a multiple


def test_a_question_asking_an_amount_of_money() -> None:
    for q in (
        "how much trade did turkey have w syria in 2023",
        "how much did iran spend backing assad",
        "How much money does Syria owe Russia?",
        "how much did iran export to syria last yr",
        "How much did it cost to build the stadium?",
        # the question last, as typed ("20 times more" answered it)
        "turkeys trade w syria in 2023 how much",
    ):
        assert expected_type(q) == "money", q
    # a share typed with its sign: "how much %" (refused: no money was offered)
    assert expected_type("how much % did refugee returns go up in first half of the yr") == (
        "percent"
    )
    for q in (
        "How much imported oil came from the Middle East?",  # a share or a volume
        "how much less steam did the engine use",
        "how many rockets were fired",
    ):
        assert expected_type(q) != "money", q
    for text in ("$2 billion", "between 20 and 30 billion dollars", "€5m", "$244 million"):
        assert has_type(text, "money"), text
    for text in ("20 times more", "30", "63%", "in 2023"):
        assert not has_type(text, "money"), text


def test_how_many_asks_a_count_which_no_amount_of_money_tells() -> None:
    # "how many iranian troops were in syria in 2023" was answered "$2 billion" (of trade)
    assert expected_type("how many iranian troops were in syria in 2023") == "count"
    assert expected_type("how many dollars did iran spend") == "number"  # an amount
    assert has_type("Over 50 foreign delegations arrived.", "count")
    for text in (
        "Turkey had more than $2 billion in trade with Syria in 2023",
        "it spent between 20 and 30 billion dollars",
        "20 times more than the exchanges between Iran and its ally",
    ):
        assert has_type(text, "number") and not has_type(text, "count"), text


def test_why_something_matters_is_no_word_a_sentence_holds() -> None:
    # "why does it matter" after "what is captagon" opened with Khaji's "stance on this
    # matter"; "why does syria matter to iran" with "It is not an easy matter for Assad"
    assert looked_for("why does it matter") == "why does it"
    assert looked_for("why does syria matter to iran") == "why does syria to iran"
    assert looked_for("so why do they matter") == "so why do they"
    assert looked_for("why is it not an easy matter") == "why is it not an easy matter"


def test_a_population_is_a_number() -> None:
    # "what is the population of syria" was answered "63%" (of refugee returns)
    assert expected_type("what is the population of syria") == "number"
    assert expected_type("whats the population of syria") == "number"
    assert expected_type("What was the population of the Dutch Republic then?") == "number"
    assert expected_type("What portion of Berlin's population spoke French?") == "any"
    assert expected_type("what population does iran court") == "any"


def test_a_count_of_what_is_asked_is_read_from_the_question() -> None:
    plural = counted("how many foreign delegations came to pezeshkian’s inauguration")
    assert plural == "foreign delegations"
    assert counts_told("Over 50 foreign delegations arrived in Tehran.", plural)
    assert counts_told("fifty delegations came", plural)
    assert not counts_told("In 2024 the delegations arrived.", plural)  # a year is no count
    assert not counts_told("Over 50 ministers arrived.", plural)
    assert counted("how many times had assad been to tehran") is None  # not a count
    assert counted("it was right over how many years") is None  # a span of time
    assert counted("how much did iran spend") is None


def test_a_share_of_what_is_counted_tells_the_count() -> None:
    # "how many of its proxies did iran use to hit back at israel" was refused: the passage
    # says "nearly all of its proxies", and no number
    plural = counted("how many of its proxies did iran use to hit back at israel")
    assert plural == "proxies"  # not "of its"
    assert counts_told("While Iran used nearly all of its proxies to retaliate", plural)
    assert counts_told("Most proxies stayed out.", plural)
    assert counts_told("half the proxies joined", plural)
    assert counts_told("all of the Iran-backed proxies joined", plural)
    assert not counts_told("All of its allies joined.", plural)  # a share of something else
    assert not counts_told("Iran used its proxies to retaliate.", plural)  # no count at all
    # a superlative, "of all": no share
    for text in (
        "Iran's most loyal proxies",
        "the most important proxies",
        "strongest of all its proxies",
    ):
        assert not counts_told(text, plural), text
    assert counted("how many of iran's proxies did it use") == "proxies"
    assert counted("how many of the group's fighters died") == "fighters"
    assert counted("how many of his own men died") is None  # no plural in "s" to count by


def test_how_much_something_rose_or_fell_may_be_a_share() -> None:
    # "how much did refugee returns from jordan go up" was refused: "a 63% increase" held
    # no number but a share and a year
    for q in (
        "how much did refugee returns from jordan go up",
        "By how much did trade fall?",
        "how much has the number of refugees risen",
    ):
        assert expected_type(q) == "change", q
    assert has_type("a 63% increase compared to the same period in 2023", "change")
    assert has_type("trade fell by $2 billion", "change")
    assert not has_type("the same period in 2023", "change")
    assert values_of("a 63% increase in 2023", "change")[0] == "63%"


def test_a_question_about_when_a_text_was_published_is_told_apart() -> None:
    for q in (
        "when was that algemeiner piece published",
        "what date did the mena paper come out",
        "when was the furlan article written",
        "When did the Eastern Herald publish its piece on Khamenei?",
        "when was it published",
        "when did furlan write her article",
    ):
        assert asks_published(q), q
    for q in (
        "When was the treaty written?",  # no text of the collection
        "when did khamenei write to assad about it",  # a letter, not a text asked about
        "when did assad visit tehran",
        "who published the paper",  # not a date
    ):
        assert not asks_published(q), q


def test_how_many_times_is_told_by_a_count_or_an_ordinal() -> None:
    assert has_type("It is only the president’s second trip to Tehran since 2011.", "times")
    assert has_type("He went there twice.", "times") and has_type("He went 3 times.", "times")
    assert not has_type("He went there in 2019.", "times")  # a year counts nothing
    assert not has_type("It is only the president’s second trip to Tehran.", "number")


def test_values_of_a_kind() -> None:
    assert has_type("He fired between 20 and 30 rockets.", "number")
    assert has_type("The harbor has seventeen cranes.", "number")  # a number in words
    assert has_type("Eighty ships called there.", "number")
    assert not has_type("Several diplomats were killed.", "number")
    assert not has_type("Returns grew by 63% in 2024.", "number")  # a share and a year only
    assert has_type("Returns grew by 63%.", "percent")
    assert has_type("It happened on June 4, 2024.", "date")
    assert has_type("In the spring of 2022 the US signalled a change.", "date")
    assert not has_type("The visit marked another chapter.", "date")
    # "may" and "march" as verbs hold no date (typed batch 7: a sentence whose only "date"
    # was "the regime may have leaked" answered "what date was zahedi killed")
    assert not has_type("The regime may have leaked the movements of militia leaders.", "date")
    assert not has_type("Protesters march on the embassy.", "date")
    assert has_type("He visited on May 8.", "date") and has_type("on may 8", "date")
    assert has_type("The war began in March.", "date")
    assert values_of("on 8 May 2022, then March 3", "date") == ["8 May 2022", "March 3"]


def test_answer_shapes() -> None:
    assert asks_why("Why did Iran not defend Assad?") and asks_why("How did Iran react?")
    assert not asks_why("How many delegations came?")
    assert asks_explanation("Who met Assad and where?") and not asks_explanation("Who met Assad?")
    assert asks_author("Who wrote the analysis?") and not asks_author("Who met Assad?")


def test_follow_ups() -> None:
    assert is_follow_up("And when did he visit before that?")
    assert is_follow_up("Tehran?")  # too few words of its own
    assert not is_follow_up("Which Iranian foreign minister died in the helicopter crash?")
    # a reply to what was said last
    assert is_follow_up("what did assad say back") and is_follow_up("How did Iran respond?")
    assert is_follow_up("did russia react") and is_follow_up("was Lavrov in Tehran too?")
    assert not is_follow_up("How did Iran respond to the strike on the Damascus consulate?")
    # more of what the last question asked for (its answers besides those given)
    for q in (
        "who else died",
        "who else was killed",
        "anyone else?",
        "any others?",
        "and which others",
    ):
        assert is_follow_up(q) and asks_else(q) and asks_others(q), q
    assert is_follow_up("what other countries") and asks_others("what other countries")
    assert asks_else("what else did he say") and not asks_others("what else did he say")
    assert not asks_others("anything else?") and not asks_else("who was there other than assad")
    assert not asks_else("what other than money did iran send")  # "other than"
    # other people, not places or things
    assert asks_people("who else was there") and asks_people("anyone else")
    assert not asks_people("any others") and not asks_people("where else did he go")


def test_what_someone_thinks_is_an_explanation() -> None:
    for q in ("what does lund think", "What does Al-Bazi believe?", "what did furlan argue"):
        assert answer_shape(q) == "explain", q
    # ... and what a text reported ("wat did sout al asima report" was refused on the
    # model's "none"); what something announced is still a thing ("... announce?")
    assert answer_shape("what did sout al-asima report") == "explain"
    assert answer_shape("what did the outlet claim") == "explain"
    assert answer_shape("what did the ministry announce") == "fact"
    # "re" as people type "about": "what did khaji say re syrian refugees" was a factoid
    assert answer_shape("what did khaji say re syrian refugees") == "explain"
    assert answer_shape("what did he say repeatedly") == "fact"
    # what one learns about something: the sentences about it
    assert answer_shape("across the articles, what do we learn about khamenei's messages") == (
        "explain"
    )
    assert answer_shape("what do we know about hts") == "explain"
    # a view of something too: "what does khamenei think about arab countries normalizing
    # with israel" was read as a factoid and refused on the model's "none"
    for q in (
        "what does lund think about normalization",
        "what does khamenei think about arab countries normalizing with israel",
        "what did furlan feel about the meeting",
        # ... and of what should or will be done ("so what does she think israel should do
        # going forward" was a factoid: the model's phrase came from the last answer)
        "so what does she think israel should do going forward",
        "what does lund believe iran will do next",
        "what does furlan think will happen",
    ):
        assert answer_shape(q) == "explain", q
    assert answer_shape("who does he think should lead") == "fact"  # not a person


def test_a_question_asked_of_all_the_documents_says_so() -> None:
    for q in (
        "what do the articles say about refugees",
        "Across the articles, did Damascus get involved in the Gaza war at all?",
        "assads own stance on israel - what do the different pieces say abt it",
        "how has assad described the relationship w iran acc to the articles",
        "compare what all the reports say about russia",
        "does each article mention the drones",
        "what do all 5 articles say about russia",
        "how do the diff pieces describe khamenei",
        "which article talks about captagon",  # which of them tell of it
    ):
        assert spans_documents(q), q
    for q in (
        "what does the article say about refugees",  # one document
        "What signer of the Articles of Confederation was descended from Huguenots?",  # a topic
        "What are the three sources of European Union law?",
        "what does the mena paper say about refugees",
        "how did it change between the 2022 analysis and the 2024 reports",  # a year
    ):
        assert not spans_documents(q), q


def test_the_causes_someone_names_are_an_explanation() -> None:
    # "what do researchers blame for ..." was read as a factoid and refused on the model's
    # "none" (casual dev 2, ch22), where "what factors do researchers blame" is a list
    for q in (
        "what do researchers blame for iran syria trade being so low",
        "what is to blame for the low trade",
        "what's to blame for the low trade",
        "what do experts attribute the low trade to",
        "what did they put the distrust down to",
    ):
        assert answer_shape(q) == "explain", q
    # who is blamed is a name, and a value is a value
    for q in (
        "who do they blame for the collapse",
        "and who did his ministry blame that day for the collapse?",
        "what year did they attribute to it",
    ):
        assert answer_shape(q) == "fact", q


def test_why_and_how_after_a_lead_in_ask_for_an_explanation() -> None:
    # "and how did assad respond" (a follow-up) was answered as a factoid, and refused
    for q in ("and how did assad respond", "so why did he go", "ok how come he stayed out"):
        assert asks_why(q) and answer_shape(q) == "explain", q
    for q in ("and how many died", "so how much did it cost"):
        assert not asks_why(q) and answer_shape(q) == "fact", q


def test_what_someone_wants_or_fears_is_an_explanation() -> None:
    # answered as factoids, each was refused on the small model's "none"
    for q in (
        "what does iran want from syria",
        "what does israel worry about after the assad khamenei meeting",
        "What did Tehran fear?",
        "what worries israel",
    ):
        assert answer_shape(q) == "explain", q
    # a want of doing something asks for the thing (SQuAD's "What did Baran want to build")
    for q in ("What did Baran want to build with the system?", "what did iran get in return"):
        assert answer_shape(q) == "fact", q


def test_what_someone_meant_or_is_after_is_an_explanation() -> None:
    # answered as factoids, both were refused on the small model's "none" (typed batch 6)
    for q in (
        "what was khamenei hinting at w the taking syria out of the regional equation stuff",
        "whats assad hoping to get out of staying on the sidelines of the gaza fight",
        "what is assad hoping for",
        "what's he getting at",
        "what did the statement imply",
    ):
        assert answer_shape(q) == "explain", q
    assert answer_shape("what was the hint") == "fact"
    # a role (typed batch 7: "wheres" read as "where is" asked for a place, and was refused)
    assert answer_shape("where is iraq fit into the whole iran syria thing") == "explain"
    assert answer_shape("how does turkey fit in") == "explain"
    # ... or a link (as a factoid, refused on the model's "none"; the sentences tell it)
    assert answer_shape("what is captagon got to do with any of this") == "explain"
    assert answer_shape("what does iraq have to do with iran and syria") == "explain"
    assert answer_shape("What has a lot to do with how we compute algorithms?") == "fact"


def test_a_doubt_after_a_statement_asks_yes_or_no() -> None:
    q = "iran keeps saying its sticking to its agreements w syria but are those deals getting done"
    assert asks_yes_no(q) and answer_shape(q) == "explain"
    # a clause of a wh-question, or a negation, is not a second question
    for q in (
        "Who backed policies that have solutions that sound good but have poor prospects?",
        "the talks went on but did not end the war",
    ):
        assert not asks_yes_no(q), q
    # a negation opening the question still asks yes or no ("didnt" is typed for "did not")
    assert asks_yes_no(normalize_question("didnt iran help assad"))


def test_a_list_of_things_without_names() -> None:
    for q in (
        "what signs show iran syria relations are cooling",
        "what r the economic problems between iran n syria",
        "What factors do researchers blame for the low trade volume?",
        "list the reasons iran backed assad",
        "what restrictions did syria put on shia visitors",
        "what 3 things does al-bazi say the iran assad alliance is built on",
    ):
        assert answer_shape(q) == "list" and lists_abstract(q), q
    for q in ("which countries urged assad to stay out of gaza", "list the people khaji met"):
        assert answer_shape(q) == "list" and not lists_abstract(q), q
    assert not lists_abstract("what did countries such as spain do")  # the plural is asked of


def test_what_something_changed_or_meant_is_an_explanation() -> None:
    # "what did raisis death change for iran and syria" was read as a factoid and refused
    for q in (
        "what did raisis death change for iran and syria",
        "what has changed since 2022",
        "what did the meeting mean for israel",
        "what were the consequences of the strike on the consulate",
    ):
        assert answer_shape(q) == "explain", q
    # what someone suggested is a thing to name (SQuAD: "What did Lawrence Roberts suggest
    # the system be used for?")
    assert answer_shape("What did Lawrence Roberts suggest the system be used for?") == "fact"
    assert answer_shape("What did the company change its name to?") == "fact"


def test_which_texts_tell_of_something() -> None:
    for q, topic in (
        ("which article talks about captagon", "captagon"),
        ("Which articles mention the Umayyad Mosque?", "the Umayyad Mosque"),
        ("what papers discuss refugees", "refugees"),
        ("which of the documents is about hts", "hts"),
        ("where is hts mentioned?", "hts"),
        ("which article says russia is busy in ukraine", "russia is busy in ukraine"),
        ("which docs mention hezbollah", "hezbollah"),
        ("does any article mention putin", "putin"),
        ("do any of the articles talk about china", "china"),
        ("which stories have discussed the drones", "the drones"),
        # what they say is what the answer shows: not part of the topic
        ("Which articles mention Raisi's death, and what do they say about it?", "Raisi's death"),
        ("which article talks about captagon n what does it say", "captagon"),
    ):
        assert source_topic(q) == topic, q
    assert answer_shape("which article talks about captagon") == "explain"
    for q in ("which article did furlan write", "what does the article say about russia"):
        assert source_topic(q) is None, q


def test_who_someone_met_asks_for_a_list() -> None:
    # a visit's talks are often with several: "who did khaji meet in damascus" got one of three
    for q in (
        "who did khaji meet in damascus",
        "which officials did khaji meet",
        "and who did he talk to",
        "Who did the envoy hold talks with?",
    ):
        assert answer_shape(q) == "list" and not lists_abstract(q), q
    for q in ("who did assad meet first", "who met assad", "who did the attack kill"):
        assert answer_shape(q) == "fact", q
    assert answer_shape("What percentage of people in Australia are Huguenots?") == "fact"


def test_where_within_a_place_asks_for_its_parts() -> None:
    # typed casually, "in which parts of syria does iran wield influence" became "where in
    # syria does iran have influence", answered "Syria" and refused
    for q in (
        "beyond formal state ties where in syria does iran have influence acc to al-bazi",
        "where in lebanon do the militias have bases",
    ):
        assert answer_shape(q) == answer_shape("in which parts of syria is it") == "list", q
    # where one thing is or happened, or where in a text
    for q in (
        "Where in South Carolina did Huguenot nobility settle?",
        "where in syria is idlib",
        "where in tehran did assad meet khamenei",
        "where in particular does iran have bases",
        "where in the article does it say that",
        "where did assad go",
    ):
        assert answer_shape(q) == "fact", q


def test_what_was_said_to_someone_is_an_explanation() -> None:
    # answered as a factoid, the small model named the speaker: "Ali Khamenei [3]"
    for q in ("what did khamenei tell assad", "What did Khamenei say to Assad?"):
        assert answer_shape(q) == "explain", q
    assert answer_shape("who did khamenei tell") == "fact"


def test_a_stance_is_an_explanation() -> None:
    # answered as a factoid, "Consolidated" (from "consolidated his position after ... war")
    for q in (
        "what was assads position on the gaza war",
        "What is Iran's stance toward Arab normalization?",
        # typed as a heading (the model, asked for a phrase, copied a whole sentence or said
        # "none"), a role too, as "what role does hezbollah play in syria" is
        "robert ford's take on iraq mediation?",
        "lloyd austins view on a wider war",
        "hezbollah's role in syria?",
        # a view "of", an attitude (they answered one sentence on the Ankara talks)
        "tehran's view of the gulf states' rapprochement with damascus?",
        "what was irans view of the gaza war",
        "whats turkeys attitude toward assad",
        # where to look first: "across the articles, ..." (it was read as a factoid)
        "across the articles, how is russia's role described",
    ):
        assert answer_shape(q) == "explain", q
    for q in (
        "what was the position of the team in the league",
        "who is robert ford",
        "who takes part in the talks",
    ):
        assert answer_shape(q) == "fact", q


def test_a_question_about_what_followed_the_last_answer() -> None:
    for q in ("what did israel do after that?", "what happened next", "and then?", "since then?"):
        assert asks_sequel(q) and is_follow_up(q), q
    for q in ("when is the next summit held", "when did he visit before that?", "who came"):
        assert not asks_sequel(q), q
    assert sequel_topic("What did Israel do after that?") == "israel"
    assert sequel_topic("what happened next?") == sequel_topic("and then what") == ""


def test_focus_shifts_and_descriptions() -> None:
    assert shifts_focus("what about the northeast") and shifts_focus("and imports?")
    assert shifts_focus("How about Turkey?") and not shifts_focus("Who controls the northeast?")
    # asked again, about something else — unless a question of its own follows the "and"
    for q in ("and al-qirbi?", "what about russia?", "How about Turkey?", "and the mena paper?"):
        assert asks_again(q), q
    for q in ("and who did his ministry blame", "and how did assad respond", "Who met Assad?"):
        assert not asks_again(q), q
    assert described("who is aaron lund") == "aaron lund"
    assert described("Who was Ali Asghar Khaji?") == "Ali Asghar Khaji"
    assert described("whos faisal mekdad") == "faisal mekdad"
    # where to look is not what is asked
    assert described("in the eastern herald article who is amer al-sabaila") == "amer al-sabaila"
    assert described("Who is Andrew Tabler, according to the MENA paper?") == "Andrew Tabler"
    assert described("Who met Assad?") is None and described("What did Lund say?") is None
    assert described("Who was the adviser who went to Damascus and met Assad?") is None  # long


def test_a_nationality_narrows_whom_a_text_quotes() -> None:
    asked = "list the iranian officials mentioned across the articles"
    assert asks_quoted(asked) == "officials"
    assert "iran" in quoted_nationality(asked) and "iranian" in quoted_nationality(asked)
    assert "syria" in quoted_nationality("which syrian officials are quoted in the articles")
    assert "israel" in quoted_nationality("which israeli sources does the algemeiner piece cite")
    for q in (
        "which other experts are quoted in the mena paper",  # no nationality
        "which key experts are quoted in the articles",
        "which experts does the eastern herald article quote",
        "what did iranian officials say",  # not whom a text quotes
    ):
        assert quoted_nationality(q) == (), q


_PUBLISHERS = [
    PublisherNames(
        words=frozenset({"mena", "research", "center", "publishing", "rights", "reserved"}),
        own=frozenset({"mena"}),
        author=frozenset(),
    ),
    PublisherNames(
        words=frozenset({"eastern", "herald", "latest", "news", "muzaffar", "bajwa"}),
        own=frozenset({"herald", "news", "muzaffar", "bajwa"}),
        author=frozenset({"muzaffar", "bajwa"}),
    ),
    PublisherNames(
        words=frozenset({"algemeiner", "marta", "furlan", "brics"}),
        own=frozenset({"algemeiner", "marta", "furlan", "brics"}),
        author=frozenset({"marta", "furlan"}),
    ),
]


def test_a_text_named_by_its_publisher_alone_is_named_as_by_its_kind() -> None:
    """A publisher or author named without "article", "piece" ... names a text as they do."""
    for asked, named in (
        ("how come iran wont walk away from assad, per mena", "per mena piece"),
        ("what does the eastern herald say about arab normalization", "eastern herald piece say"),
        ("lund said in the eastern herald that backing assad matters", "eastern herald piece that"),
        ("eastern herald vs mena on assad n iran", "eastern herald piece vs mena piece on"),
        ("furlan says russia is busy in ukraine.. how so", "furlan piece says"),
        ("according to the algemeiner, why did assad go", "algemeiner piece,"),
        ("who wrote eastern herald", "eastern herald piece"),
    ):
        changed = named_by_publisher(asked, _PUBLISHERS)
        assert named in changed, (asked, changed)
        assert len(document_names(changed)) == named.count("piece"), changed
    for asked in (
        "what does the mena paper say about russia",  # named with its kind
        "how do the mena and algemeiner papers differ on russia",  # the next one's kind
        "why does marta furlan warn that the airstrikes have limits",  # an author's full name
        "any news on assad?",  # not where a source is named
        "what did the brics summit decide",  # a topic
        "what was the research center's budget",  # no word naming the text alone
        "summarize “mena notes”",  # a quoted title
    ):
        assert named_by_publisher(asked, _PUBLISHERS) == asked, asked


def test_the_words_a_sentence_answering_holds() -> None:
    """The aspect asked of a name and the verb of how a text tells something are no words
    the answer holds; the rest of the question is kept."""
    assert looked_for("how do the articles describe russia's role in syria") == (
        "how do the articles russia's in syria"
    )
    assert looked_for("what is the uae’s stance on assad") == "what is the uae’s on assad"
    assert looked_for("what role did hezbollah play according to the articles") == (
        "what did hezbollah"
    )
    # told in the passive, of all the texts ("often described as strategic" was the answer)
    assert looked_for("across the articles, how is russia described") == ", how is russia"
    assert looked_for("how was the visit portrayed in the mena paper") == (
        "how was the visit in the mena paper"
    )
    assert looked_for("what part did turkey play in the fall") == "what did turkey in the fall"
    # what there is to something: an explanation, of it (not of a "deal")
    for asked, topic in (
        ("what is the deal with captagon", "captagon"),
        ("what's up with hts", "hts"),
        ("what is the story behind the consulate strike", "the consulate strike"),
    ):
        assert answer_shape(asked) == "explain" and looked_for(asked) == topic, asked
    assert answer_shape("what is the deal") == "fact"  # nothing to tell of
    common = "what's the common thread between the 2022 and 2024 meetings"
    assert answer_shape(common) == "compare"
    assert looked_for(
        "compare how the algemeiner and eurasiapeace pieces describe irans motives"
    ) == ("compare how the algemeiner and eurasiapeace pieces irans motives")
    for q in (
        "what role did khamenei say it played in assads fall",  # no name: "Turkey played a role"
        "how did iran describe the attack",  # Iran's words, not a text's
        "Thomas de Maiziere serves what role in the German cabinet?",
        "who played the role of hamlet",
        "How is packet switching characterized",  # what it is, not how a text tells it
        "what do the articles say about refugees",  # the texts asked, not where to look
    ):
        assert looked_for(q) == q, q


def test_a_question_asking_whom_a_text_quotes() -> None:
    assert asks_quoted("which experts does the eastern herald article quote") == "experts"
    assert asks_quoted("which analysts are cited in the mena paper") == "experts"
    assert asks_quoted("who does the algemeiner piece quote") == "anyone"
    # who is mentioned (all the texts when none is named)
    asked = "who are all the iranian officials mentioned"
    assert asks_quoted(asked) == "officials" and asks_mentioned(asked)
    assert asks_quoted("which experts are quoted?") == "experts"
    # who else (a follow-up): whom the text quotes, not names of anything
    assert asks_quoted("and who else is quoted") == "anyone"
    assert asks_quoted("who else does the article quote") == "anyone"
    assert asks_quoted("who else was there") is None
    assert not asks_mentioned("which experts are quoted?")
    assert asks_quoted("list the experts quoted across all the articles") == "experts"
    assert asks_quoted("name the analysts quoted in the mena paper") == "experts"
    assert asks_quoted("who is quoted in the mena paper") == "anyone"
    # "who are the (main) experts ...", as typed ("who r the main experts quoted in ...")
    assert asks_quoted("who are the main experts quoted in the eastern herald piece") == ("experts")
    assert asks_quoted("who are the people cited in the articles") == "anyone"
    # all the experts quoted on a topic; not one person quoted on it
    assert asks_quoted("who are the researchers quoted about iran and syria") == "experts"
    assert asks_quoted("which analysts are cited on the trade") == "experts"
    assert asks_quoted("who is quoted about captagon") is None
    for q in (
        "who did assad talk to",  # asked of Assad, not of a text
        "who were the officials at the meeting",  # not quoted by a text
        "who is the jordanian analyst the eastern herald piece quotes",  # one of them
        "which site did the experts in the eastern herald piece talk to",
        "who wrote the algemeiner piece",
    ):
        assert asks_quoted(q) is None, q


def test_documents_compared_as_wholes() -> None:
    """Two documents named and nothing asked of them but to be compared."""
    for q in (
        "how is the eastern herald piece different from the mena paper",
        "what are the differences between the eastern herald piece and the mena paper",
        "what do the mena paper and the khaji article have in common",
        "compare the algemeiner and mena articles",
    ):
        assert answer_shape(q) == "compare" and compares_documents(q), q
    for q in (
        "compare how the algemeiner and eurasiapeace pieces describe irans motives",
        "how is the mena paper different from what the khaji article says about refugees",
        "how is the mena paper different",
    ):
        assert not compares_documents(q), q


def test_shapes_of_the_answer() -> None:
    assert answer_shape("Who met Assad in Damascus?") == "fact"
    assert answer_shape("When did the crash happen?") == "fact"
    assert answer_shape("Why does Tehran distrust the regime?") == "explain"
    assert answer_shape("How did Israel's strikes feed distrust?") == "explain"
    assert answer_shape("What factors explain the low trade volume?") == "list"
    assert answer_shape("How do Lund and Al-Sabaila differ on Iran?") == "compare"
    assert answer_shape("who backed the report and who did not") == "compare"
    assert answer_shape("Summarize the MENA paper.") == "summary"
    assert answer_shape("what are the main points of the article about Khaji") == "summary"
    assert answer_shape("what is the article about?") == "summary"
    # a named text's gist, asked as people ask it (the question ends at "about")
    for asked in (
        "what is the mena paper about",
        "what was marta furlan’s piece about?",
        "what did marta furlan write about",
    ):
        assert answer_shape(asked) == "summary", asked
    assert answer_shape("What was the paper about the Treaty of Rome about?") == "fact"
    # what the texts say about a topic is asked of them, not a summary of one
    assert answer_shape("what are the articles saying about gaza") == "explain"
    assert answer_shape("in all the articles what is said about iraq") == "explain"
    # ... also when asked as a summary: what each says of it (one text's gist was given)
    for asked in (
        "summarize what the articles say about hts",
        "key points across the pieces on russia",
    ):
        assert answer_shape(asked) == "explain" and summarizes_topic(asked), asked
        assert "key" not in looked_for(asked) and "summarize" not in looked_for(asked)
    assert answer_shape("summarize the articles") == "summary"  # no topic
    for asked in (
        "what are the highlights of the khaji article",
        "give me the rundown on the eurasiapeace piece",
        "what is the eurasiapeace piece arguing",
        "the mena paper in a nutshell",
    ):
        assert answer_shape(asked) == "summary", asked
    assert not summarizes_topic("summarize what the mena paper says about russia")  # one text
    assert answer_shape("who else did he meet there?") == "list"
    assert answer_shape("any others?") == "list" and answer_shape("and which others") == "list"
    assert answer_shape("does he think Assad wants to leave Iran?") == "explain"  # yes/no
    assert answer_shape("Which Gulf countries did Assad visit?") == "list"
    assert answer_shape("list the countries that backed Assad") == "list"
    # Explanations however they are typed: "why" inside, a cause, an open question about a
    # topic, a yes/no question after a lead-in.
    for asked in (
        "what are the theories for why iran did not prop assad up",
        "what set that off",
        "how come more politicians want to cut support",
        "What do the articles say about Saudi Arabia warming up to Damascus?",
        "hezbollah using syrian territory - what do the articles say",
        "tell me about the umayyad mosque rules",
        "Across the articles, did Damascus get involved in the Gaza war?",
        "so did he go to tehran",
        "what did they talk about",  # what was talked about: the topics, not one phrase
        "what did khaji and mekdad discuss",
        # what makes something stand out (gold h13's part read as a factoid; its casual twin
        # "what made syrias membership different" was an explanation already)
        "what set Syria's membership apart",
        "what makes hezbollah different",
        "what distinguishes the two visits",
    ):
        assert answer_shape(asked) == "explain", asked
    # ... but not "what was discussed" inside another question, nor who discussed it.
    assert answer_shape("who discussed the refugees with mekdad") == "fact"
    assert (
        answer_shape("What did the author of the piece on what was discussed write about?")
        == "fact"
    )
    # A plural that is not what is asked for, and "name" inside the question, are no list.
    assert answer_shape("What did countries such as Spain have a law against?") == "fact"
    assert answer_shape("Whose decision was it to name the new town?") == "fact"


def test_parts_of_a_question() -> None:
    assert question_parts("Which country did he visit, and what did it urge him to do?") == [
        "Which country did he visit",
        "what did it urge him to do",
    ]
    # A lead-in, a relative clause and "how and when" are not parts of their own.
    for one in (
        "Apart from Faisal Mekdad, which minister did Khaji meet?",
        "What think tank is Aaron Lund, who commented on the remarks, affiliated with?",
        "How and when did the president die?",
    ):
        assert question_parts(one) == [one]
    # A statement before the question is context for it (a two-hop question): one part.
    two_hop = "Assad sent a telegram to a leader; what did that leader set up?"
    assert question_parts(two_hop) == [two_hop]
    # A topic typed first, then a dash or dots, then the question (typed batch 7: the whole
    # was one part, and refused)
    typed = "the us backed forces - which part of syria are they in, and what is iran angling for"
    assert question_parts(typed) == [
        "the us backed forces - which part of syria are they in",
        "what is iran angling for",
    ]
    assert asks_itself("the woman who wrote it.. what does her research focus on")
    assert not asks_itself("the us-backed forces")
    assert not asks_itself("what about russia") and not asks_itself("and how about turkey?")
    # a question of its own with one content word is a part (hand-typed k34 was one part,
    # and refused); "who did not", "and why" ask nothing of their own
    assert question_parts("what is the axis of resistance and is syria in it") == [
        "what is the axis of resistance",
        "is syria in it",
    ]
    assert question_parts("who is aaron lund and where does he work") == [
        "who is aaron lund",
        "where does he work",
    ]
    for one in ("who backed the report and who did not", "what did khaji say and why"):
        assert question_parts(one) == [one]


def test_a_comparison_asked_for_at_length_is_told_apart_from_one_asking_a_value() -> None:
    for asked in (
        "how does syrias track record w russia compare to iran on debts",
        "Compare Khamenei's tone with Assad in the 2022 meeting vs the 2024 one",
        "how do the algemeiner and mena pieces differ on reconstruction",
        "what are the main differences between the two visits",
        "what do alawism n iranian shiism have in common",
        # the request typed after the topic (casual dev 2, cf30: refused on the model's "none")
        "khameneis tone w assad 2022 meeting vs the 2024 one - compare",
        "assad and raisi, compare them",
        "russia vs iran on debts compare",
        # two sides asked about one by one (hand-typed k128: a factoid, answered for the US
        # alone)
        "around spring 2022 how were the uae and the us each approaching assad",
        "what did lund and al-bazi each say about the rift",
        # those who did and the rest (typed dev f33: refused on the model's "none")
        "who backed albanese's gaza genocide report and who did not",
        "which countries supported the resolution and which did not",
    ):
        assert answer_shape(asked) == "compare" and compares_at_length(asked), asked
    assert answer_shape("who did khaji and mekdad each meet") == "compare"  # names: the model
    assert not compares_at_length("who did khaji and mekdad each meet")
    for asked in (
        "how did the strikes make tehran and the regime distrust each other",
        "What book featured 25 diverse comninatorial and graph theoretical problems each famous "
        "for its computational intractability?",
    ):
        assert answer_shape(asked) != "compare", asked
    assert compares_at_length("how are the two pieces alike")
    for asked in (
        "How much less steam did the Rumford engine use compared to the Watt engine?",
        "al bazi vs al qirbi - who did each of them think the speech was aimed at",
        "which of the two spent more than the other",
        "what country do iran and syria have in common as an enemy",
    ):
        assert not compares_at_length(asked), asked


def test_something_described_before_a_question_about_it_is_a_part_of_its_own() -> None:
    # The first hop (what is described) and the question leaning on it ("they", "it")
    for asked, described_, question in (
        (
            "the group that controlled most of nw syria in 2022 - what did they end up doing "
            "late 2024",
            "the group that controlled most of nw syria in 2022",
            "what did they end up doing late 2024",
        ),
        (
            "The group that controlled most of northwest Syria in 2022 — what did it end up "
            "doing in late 2024?",
            "The group that controlled most of northwest Syria in 2022",
            "what did it end up doing in late 2024?",
        ),
        (
            "that official who joined the mourners last.. when did he get to tehran",
            "that official who joined the mourners last",
            "when did he get to tehran",
        ),
    ):
        assert description_first(asked) == (described_, question), asked
        assert question_parts(asked) == [described_, question], asked
    # A question about something else, a description too thin to search, no description
    for one in (
        "the group that controlled most of nw syria in 2022 - what is the capital of france",
        "the woman who wrote it.. what does her research focus on",
        "the visit was short.. what did they discuss",
        "What did the group that controlled northwest Syria do in late 2024?",
    ):
        assert description_first(one) is None, one


def test_a_claim_reported_before_a_question_is_a_part_of_its_own() -> None:
    # What someone said, then a question about it (hand-typed dev: each was one factoid or
    # yes/no question, which the model, asked for a phrase, refused)
    for asked, claim, question in (
        (
            "lund says friction between tehran and damascus is no big deal — does the mena "
            "paper see it the same way",
            "lund says friction between tehran and damascus is no big deal",
            "does the mena paper see it the same way",
        ),
        (
            "iran keeps saying its sticking to its agreements w syria but are those deals "
            "actually getting done",
            "iran keeps saying its sticking to its agreements w syria",
            "are those deals actually getting done",
        ),
        (
            "khamenei blamed the west when assad visited.. who did he blame once assad fell",
            "khamenei blamed the west when assad visited",
            "who did he blame once assad fell",
        ),
        (
            "furlan said in 2022 russia was busy w ukraine. what did putin say abt syria",
            "furlan said in 2022 russia was busy w ukraine",
            "what did putin say abt syria",
        ),
    ):
        assert premise(asked) == (claim, question), asked
        assert question_parts(asked) == [claim, question], asked
    # Not a claim: who wrote something, a frame, a noun that looks like a verb, a question
    # that is the claim's own ("how so"), or a question first.
    for one in (
        "the woman who wrote the algemeiner thing.. what does her research focus on",
        "According to the MENA paper, why does Assad keep Iran close?",
        "For each of the 28 member states, how many commissioners are there?",
        "furlan says russia being busy could be an opening for the irgc, how so",
        "what did lund say, and why",
    ):
        assert premise(one) is None, one
    assert question_parts("the woman who wrote it.. what does her research focus on") == [
        "the woman who wrote it.. what does her research focus on"
    ]


def test_what_someone_says_on_something_typed_without_a_question_is_explained() -> None:
    """ "putin on syrian sovereignty?" was a factoid, and the model's "none" refused it."""
    for q in (
        "putin on syrian sovereignty?",
        "lund about khameneis comments",
        "khamenei on the west",
        # ... or with what was said last ("austin wider war comment?" was refused)
        "austin wider war comment?",
        "khamenei gulf remarks",
    ):
        assert answer_shape(q) == "explain", q
    for q in (
        "iran syria trade numbers",  # a value asked for
        "assad tehran trip 2022 exact day",
        "Hey Jude is a song by whom?",
        "who did he meet on his trip",  # a question of its own
    ):
        assert answer_shape(q) != "explain", q


def test_a_long_question_of_one_word_is_read_at_once() -> None:
    """The longest question allowed, one word after "on" that fails to end a question: the
    pattern of what someone says on something backtracked over every way to split it
    (a second for 80 letters, hours for 2,000)."""
    for question in (
        "a on " + "x" * 1990 + "!",
        "a b c d on " + "xy" * 990 + "?!",
        "a b " + "x" * 1990 + " comment",
    ):
        assert answer_shape(question) in ("fact", "explain")
        assert looked_for(question) and expected_type(question) == "any"
        assert quoted_nationality(question) == ()


def test_a_question_after_a_typed_topic_has_the_shape_of_its_own_wording() -> None:
    # "israeli strikes ... - how do ..." was a factoid: "how" did not open the question
    asked = "israeli strikes on iranian targets - how do the algemeiner n mena pieces cover them"
    assert answer_shape(asked) == "explain"
    assert answer_shape("the us backed forces: why are they there") == "explain"
    assert answer_shape("in the khaji article, how did irans backing pay off for iran") == "explain"
    assert answer_shape("falahatpisheh numbers - how much does syria owe") == "fact"
    assert answer_shape("Why did Assad go - and when?") == "fact"
    # a yes/no question after the topic: sentences that settle it, not a phrase (the model's
    # "none" refused "the umayyad mosque rules - do they apply even if ur just a tourist")
    asked = "the umayyad mosque rules - do they apply even if ur just a foreigner on a tour"
    assert asks_yes_no(asked) and answer_shape(asked) == "explain"
    assert asks_yes_no("assad visited tehran.. did he meet raisi")
    assert not asks_yes_no("the umayyad mosque rules - who do they apply to")
    # a question word after a clause opening with an auxiliary is the question
    for q in ("hezbollah - has lost its leader - who replaced him", "Super Bowl 50: who won?"):
        assert asks_who(q) and not asks_yes_no(q) and answer_shape(q) == "fact", q
    # "in how many articles": where to look is what is asked
    assert not asks_yes_no("In how many articles is Assad mentioned?")
    # and a "who" question after where to look asks for a person: "in the khaji article who
    # did assad talk to" is not answered by "President Assad" (``names_the_asked``)
    for q in ("in the khaji article who did assad call", "khaji article - who did assad call"):
        assert asks_who(q), q
    assert not asks_who("in the khaji article what did assad say about who leads iran")


def test_a_sentence_that_denies_something_is_known() -> None:
    for sentence in (
        "The administration was instructed not to allow any foreign citizen.",
        "His speech did not clarify the nature of the promises.",
        "Assad didn’t ask for help.",
        "There was no significant participation from Syrian forces.",
        "Iran has never been closer to Damascus.",
    ):
        assert negates(sentence), sentence
    for sentence in (
        "Notably, Iran sent aid.",
        "The node knows its address.",
        "Nonetheless, trade grew.",
    ):
        assert not negates(sentence), sentence


def test_authorship_is_asked_only_when_the_name_is() -> None:
    assert asks_author("Who wrote the analysis?") and asks_author("author of the furlan piece?")
    assert asks_author("What is the name of the author?") and asks_author(
        "Was it written by Furlan?"
    )
    # the author is the bridge to another fact, not what is asked
    assert not asks_author(
        "What did the author of the Algemeiner piece write her doctoral dissertation about?"
    )
    assert not asks_author("the woman who wrote the algemeiner thing.. whats her research on")
    assert not asks_author("which university did the writer of the 2022 analysis study at")


def test_a_person_named_by_the_text_they_wrote_is_found_with_the_texts_description() -> None:
    def reference(question: str) -> tuple[str, str] | None:
        found = author_reference(question)
        return (question[found.start : found.end], found.description) if found else None

    assert reference("where did the author of the algemeiner article get her phd") == (
        "the author of the algemeiner article",
        "the algemeiner article",
    )
    assert reference(
        "which university did the writer of the 2022 tehran trip analysis study at"
    ) == (
        "the writer of the 2022 tehran trip analysis",
        "the 2022 tehran trip analysis",
    )
    assert reference(
        "the woman who wrote the algemeiner thing on the visit.. what does she study"
    ) == (
        "the woman who wrote the algemeiner thing on the visit",
        "the algemeiner thing on the visit",
    )
    assert reference("the guy who wrote the eastern herald article, whats his background") == (
        "the guy who wrote the eastern herald article",
        "the eastern herald article",
    )
    # a description's own clause is kept whole: "on what was discussed at ..."
    assert reference(
        "What did the author of the Algemeiner piece on what was discussed at the 2022 meeting "
        "write her doctoral dissertation about?"
    ) == (
        "the author of the Algemeiner piece on what was discussed at the 2022 meeting",
        "the Algemeiner piece on what was discussed at the 2022 meeting",
    )
    # asking who wrote it, or for nothing beyond the reference, is an authorship question
    for question in (
        "who is the author of the mena paper",
        "what is the name of the author of the eastern herald article",
        "author of the furlan piece?",
        "who wrote the algemeiner piece",
    ):
        assert reference(question) is None, question
        assert asks_author(question), question


def test_who_besides_asks_for_a_list() -> None:
    assert answer_shape("who did khaji meet besides him?") == "list"
    assert answer_shape("What did Iran offer apart from money?") == "list"
    assert answer_shape("Who met Assad?") == "fact"


def test_an_asked_plural_asks_for_a_list() -> None:
    # "whats irans red lines on arab normalization w assad" (read "what is ...") was refused:
    # the model said "none" to the sentence echoing it; the lines are listed elsewhere
    assert answer_shape("what are iran's red lines on arab normalization with assad") == "list"
    assert answer_shape("what is irans red lines on arab normalization with assad") == "list"
    assert answer_shape("what are the reasons for the visit") == "list"
    assert answer_shape("what was the number of countries") == "fact"  # a count


def test_what_something_has_been_like_is_an_explanation() -> None:
    # "what's the golan front been like since oct 7" was refused: no phrase to copy
    assert answer_shape("what's the golan front been like since oct 7") == "explain"
    assert answer_shape("what was the golan front like") == "explain"
    assert answer_shape("what would he like to do") == "fact"


def test_a_counted_plural_asks_for_a_list() -> None:
    assert answer_shape("Before his 2024 trip, when were Assad's two previous visits?") == "list"
    assert answer_shape("when were assads 2 trips to iran b4 the condolence visit") == "list"
    assert answer_shape("Which three countries restored ties?") == "list"
    assert answer_shape("When did the two leaders meet?") == "fact"  # the subject, not asked
    assert answer_shape("When was the two-day summit?") == "fact"


def test_document_names_are_the_words_before_a_kind_of_text_and_quoted_titles() -> None:
    q = "Why did Assad keep out of the Gaza war, according to the MENA Research Center paper?"
    assert document_names(q) == ["MENA Research Center"]
    assert document_names("What are the main points of Marta Furlan's article?") == ["Marta Furlan"]
    assert document_names("What does the later mena paper say?") == ["later mena"]
    assert document_names("Main points of the piece “A Pragmatic Alliance?”") == [
        "A Pragmatic Alliance?"
    ]
    # before a plural, each name is one text's
    q = "compare how the algemeiner and eurasiapeace pieces describe irans motives"
    assert document_names(q) == ["algemeiner", "eurasiapeace"]
    assert document_names("the Algemeiner, MENA or Herald articles") == [
        "Algemeiner",
        "MENA",
        "Herald",
    ]
    assert document_names("the Algemeiner and MENA paper") == ["MENA"]  # singular: one name
    # no name: a bare kind of text, or the word in another sense
    assert document_names("Summarize the article about Khaji's trip.") == []
    assert document_names("Who wrote the analysis?") == []
    assert document_names("Why did Russia announce an extra monitoring post?") == []
    # names run up to the kind: the clause before a comma names no text when none stands
    # between it and the kind ("Iran" and "all" had been taken for documents' names)
    assert (
        document_names("How has Assad described ties with Iran, according to the articles?") == []
    )
    assert (
        document_names("did damascus get involved in the gaza war at all, across the articles")
        == []
    )


def test_a_question_without_its_document_names_keeps_what_it_asks() -> None:
    q = "what do the mena paper and the khaji article say about washington’s position on syria"
    assert (
        without_document_names(q) == "what do the and the say about washington’s position on syria"
    )
    q = "Why did Assad keep out of the Gaza war, according to the MENA Research Center paper?"
    assert without_document_names(q) == "Why did Assad keep out of the Gaza war, according to the ?"
    # before a plural, every name goes
    q = "compare how the algemeiner and eurasiapeace pieces describe irans motives"
    assert without_document_names(q) == "compare how the describe irans motives"
    # a quoted title may be what is asked about; a question of names alone stays whole
    assert without_document_names("what does “campaign between wars” mean") == (
        "what does “campaign between wars” mean"
    )
    assert without_document_names("the mena paper") == "the mena paper"
    assert without_document_names("Why did Russia announce an extra monitoring post?") == (
        "Why did Russia announce an extra monitoring post?"
    )


def test_more_of_the_last_answer_is_a_follow_up() -> None:
    for q in ("tell me more", "can you elaborate?", "go on", "more details please", "ok more"):
        assert asks_more(q) and is_follow_up(q) and answer_shape(q) == "explain", q
    # a topic of its own: asked as any question
    for q in ("tell me more about the kurds", "more details on the debt", "what more can iran do"):
        assert not asks_more(q), q


def test_the_last_question_asked_of_another_text() -> None:
    last = "why did assad stay out of the gaza war according to the mena paper"
    asked = "why did assad stay out of the gaza war according to the algemeiner piece"
    assert asked_of_another("and in the algemeiner piece?", last) == asked
    assert asked_of_another("and the mena paper?", "summarize the algemeiner piece") == (
        "summarize the mena paper"
    )
    for question, last in (
        ("and al-qirbi?", "what does the mena paper say about russia"),  # no text named
        ("and the mena paper?", "what do the articles say about russia"),  # none named before
        ("and who wrote the mena paper?", "what does the khaji article say"),  # its own question
    ):
        assert asked_of_another(question, last) is None, question


def test_a_text_named_by_its_kind_not_only_by_a_quoted_title() -> None:
    assert names_by_kind("who wrote the khaji article")
    assert names_by_kind("who wrote the eastern herald piece?")
    assert not names_by_kind('Who wrote "On the Computational Complexity of Science"?')
    assert not names_by_kind("who wrote the article")  # a kind, no name


def test_who_a_question_says_its_answer_is_according_to() -> None:
    assert source_names("where does iran wield influence, according to Mahmoud Al-Bazi?") == [
        "Mahmoud Al-Bazi"
    ]
    assert source_names("what was khamenei hinting at, per al qirbi") == ["al qirbi"]
    assert source_names("why is tehran wary, acc to al-bazi in the eastern herald one") == [
        "al-bazi"
    ]
    for q in (
        "why, according to the mena paper",  # a text named by its kind
        "how long, per furlan piece",
        "what is the gdp per capita",
        'what does "per mena" mean',  # a quoted title
    ):
        assert source_names(q) == [], q
    # ... or whom the text asked of tells of, which names it
    asked = "who is the author of the piece that quotes andrew tabler"
    assert source_names(asked) == ["andrew tabler"] and names_by_kind(asked)
    assert source_names("what does the article that quotes lund say about russia") == ["lund"]
    assert source_names("when was the paper that talks about the umayyad mosque published") == [
        "the umayyad mosque"
    ]


def test_the_words_asked_are_without_how_it_was_told() -> None:
    assert asked_words("what did media reports say assad ignored") == (
        "what did media reports assad ignored"
    )
    assert asked_words("whats the resistance identity khamenei talked about") == (
        "whats the resistance identity khamenei"
    )
    assert asked_words("which city did hts start from") == "which city did hts start from"
    # a verb the question asks about is no verb of telling
    assert asked_words("who did khamenei blame for it") == "who did khamenei blame for it"


def test_a_sentence_denies_a_word_it_negates_just_before() -> None:
    framework = "Some complexity classes have definitions that do not fit into this framework."
    assert denies(framework, "What fits the framework of complexity classes?")
    assert denies("Some classes don’t fit into it.", "what fits the framework")
    assert denies("Iran cannot bring Syria out of isolation.", "what brings syria out")
    posts = "While he did not specify the role, he stressed the “resistance identity”."
    assert not denies(posts, "whats the resistance identity")
