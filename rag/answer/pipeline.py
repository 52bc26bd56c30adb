"""The answer pipeline: one function per stage, run in order by ``answer_events``.

normalise → condense → retrieve → select evidence → read → compose → verify

0. ``normalize_question``: text-speak expanded, typos corrected against the collection's words.
1. ``standalone_question``: a follow-up gets the previous exchange attached (one asking the
   last question again of another text is that question of it); a text named by its
   publisher alone ("per mena") as by its kind (``by_publisher``); a person named by the
   text they wrote ("the author of the algemeiner piece") by their name
   (``by_author_name``).
2. ``gather``: the collection's best passages, numbered 1..n — per part too for a multi-part
   question; a summary question gets the whole document it is about; a question naming its
   document ("according to the MENA paper") gets that document's best passages first; an
   explanation, list or comparison reads a few more than a factoid (``Gathered.reach``).
3. The answer's shape (``rag.text.questions.answer_shape``) decides the rest. A factoid:
   ``plan`` picks the few sentences that may answer, of the asked-for kind; an explanation,
   list or comparison: several sentences (``rag.answer.claims``); a multi-part question: one
   per part, a missing part said to be missing; a summary: the document's central sentences.
4. read (factoids): a generator (``rag.answer.generators``) names the answer. The default asks
   the model for the shortest phrase copied from the offered sentences (``read_phrase``); the
   extractive generator takes the best sentence; ``none`` stops after retrieval.
5. ``compose``: phrase + the sentence that holds it, each with its marker (factoids); each
   claim with its own marker (the other shapes).
6. ``assemble``: markers checked against the passages, the contract answer built.

Stages 3-5 stream (``draft_with_model``, ``draft_extractive``): the phrase is shown as it
comes (held back for a few characters so a "none" is never shown), and a ``Final`` closes the
draft with the text to keep, which replaces what was streamed when the checks changed it.
"""

from __future__ import annotations

import time
from collections import ChainMap
from collections.abc import Generator as PyGenerator
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, replace
from itertools import zip_longest
from typing import Any, Protocol

from rag.answer.claims import (
    documents_of,
    in_context,
    in_reading_order,
    more_claims,
    naming_others,
    new_names,
    part_claims,
    parts_as_asked,
    pick_claims,
    quoted_people,
    ranked_claims,
    repeats,
    sequel_claims,
    source_claims,
    summary_claims,
    whole_document_claims,
)
from rag.answer.compose import (
    as_written,
    clean_phrase,
    compose,
    copied_from,
    echoes,
    held_span,
    locate_phrase,
    says_none,
    whole_amount,
    whole_date,
)
from rag.answer.conversation import (
    CONTEXT,
    asked_shape,
    own_words,
    read_context,
    standalone_question,
)
from rag.answer.disagree import disagreement, first_value
from rag.answer.evidence import (
    Evidence,
    Plan,
    dateline,
    named_authors,
    naming_only,
    plan,
    rank_evidence,
)
from rag.answer.models import TextModel
from rag.answer.prompts import NOT_FOUND, missing_part, short_answer_messages
from rag.answer.verify import assemble
from rag.config import Settings
from rag.retrieval.lexical import vocabulary
from rag.retrieval.retrieve import (
    described_document,
    document_author,
    document_passages,
    main_document,
    merged,
    name_words,
    named_documents,
    naming_words,
    possessive_names,
    publisher_names,
    retrieve,
)
from rag.retrieval.scoring import ScoreFn, sentence_cosines
from rag.schemas import (
    AnswerPart,
    ChatTurn,
    DoneEvent,
    Passage,
    PassagesEvent,
    QueryEvent,
    QueryResponse,
    SentenceSupport,
    Timings,
    TokenEvent,
)
from rag.store.sentence_vectors import sentence_vectors
from rag.text.casual import normalize_question
from rag.text.markers import strip_markers, with_marker
from rag.text.people import describes, someone_elses_role
from rag.text.questions import (
    Shape,
    answer_shape,
    answers_no,
    asked_words,
    asks_again,
    asks_author,
    asks_else,
    asks_mentioned,
    asks_more,
    asks_others,
    asks_people,
    asks_published,
    asks_quoted,
    asks_sequel,
    asks_why,
    asks_yes_no,
    author_reference,
    compares_at_length,
    compares_documents,
    denies,
    described,
    document_names,
    expected_type,
    has_type,
    is_follow_up,
    leans_on_it,
    lists_abstract,
    named_by_publisher,
    names_by_kind,
    negates,
    question_parts,
    quoted_nationality,
    shifts_focus,
    source_names,
    source_topic,
    spans_documents,
    summarizes_topic,
    summary_topic,
    values_of,
    without_document_names,
)
from rag.text.sentences import is_statement, split_sentences
from rag.text.words import bm25_tokens, holds, stems
from rag.tuning import TUNING


@dataclass(frozen=True)
class Gathered:
    """Stage 2's result: the passages, and the documents the question named and keeps to
    (their passages first, and the answer drawn from them alone: ``from_named``)."""

    passages: list[Passage]
    named: tuple[str, ...] = ()
    reach: frozenset[str] | None = None
    """For an answer of several claims, which reads more passages than a factoid
    (``TUNING.claim_passages``): the chunk ids a factoid's depth finds. Whether the passages
    answer at all (off the collection's topics, the model's "none") is judged on these alone,
    as for any question; the claims come from all. ``None``: all are judged."""
    part_named: tuple[tuple[str, ...], ...] = ()
    """For a question of several parts, the documents each part names ("..., per the mena
    paper"; empty for a part that names none): that part is answered from their passages."""
    shape: Shape | None = None
    """The answer's shape, when a follow-up asks for the last question's
    (``rag.answer.conversation.asked_shape``); ``None``: the question's own."""


@dataclass(frozen=True)
class Final:
    """A draft's last word: the answer text to keep (it replaces what was streamed, e.g. when
    a streamed phrase failed its checks) and the short answer, if there is one."""

    text: str
    short: str | None = None
    parts: tuple[AnswerPart, ...] = ()


Draft = Iterator[str | Final]


def read_phrase(model: TextModel, p: Plan) -> PyGenerator[str | tuple[str, bool], None, None]:
    """The model's phrase for the offered sentences: the pieces worth showing as they come,
    then ``(everything said, whether any of it was shown)``."""
    messages = short_answer_messages(p.question, [e.text for e in p.offered])
    said, shown = "", False
    pieces = model.complete(messages, TUNING.short_answer_tokens)
    try:
        for piece in pieces:
            said += piece
            if shown:
                yield piece
            elif says_none(said.strip()):
                break
            elif len(said.strip()) >= TUNING.phrase_shown_after:
                shown = True
                yield said.lstrip()
    finally:
        close = getattr(pieces, "close", None)
        if close is not None:
            close()
    yield said, shown


def already_said(history: list[ChatTurn] | None) -> tuple[str, ...]:
    """The sentences of the last answer in the conversation (markers dropped): a follow-up
    ("who else ...", "what other ...") wants what they did not already say."""
    last = next((t.content for t in reversed(history or []) if t.role == "assistant"), "")
    return tuple(split_sentences(strip_markers(last)))


def draft(
    model: TextModel | None,
    question: str,
    passages: list[Passage],
    settings: Settings,
    earlier: tuple[str, ...] = (),
    named: tuple[str, ...] = (),
    reach: frozenset[str] | None = None,
    part_named: tuple[tuple[str, ...], ...] = (),
    shape: Shape | None = None,
) -> Draft:
    """Stages 3-5 in the shape the question asks for; ``model`` reads factoids (without one,
    the extractive way). ``earlier``: the last answer's sentences, which claims do not
    repeat. ``named``: the documents the question names and keeps to — the answer is drawn
    from their passages alone, and who wrote one is answered by its byline ("Who wrote the
    Algemeiner piece?"), however little its sentences score. ``reach``: the passages whether
    the question is answered at all is judged on (``Gathered.reach``). ``part_named``: the
    documents each part of a multi-part question names (``Gathered.part_named``).
    ``shape``: the answer's, when not the question's own (``Gathered.shape``)."""
    asked = own_words(question)
    it = asked != question  # a follow-up, asked of what came before
    parts = question_parts(asked)
    score = sentence_cosines(settings)
    shape = shape or answer_shape(asked)
    # "what does the mena paper say about russia": the answer is the named documents' alone
    # (the other passages retrieved stay shown, as context a reader may follow).
    passages = [p for p in passages if p.doc_id in named] or passages
    about_author = bool(named) and asks_author(asked) and any(p.author for p in passages)
    judged = passages if reach is None else [p for p in passages if p.chunk_id in reach]
    judged = judged or passages
    # "how is the eastern herald piece different from the mena paper": the documents
    # themselves (``gather_for`` read them whole), with no topic to be off
    compared = shape == "compare" and len(named) > 1 and compares_documents(asked)
    # "which experts does the eastern herald article quote": those it introduces (a text
    # introducing no one is read as any other question)
    who = asks_quoted(asked) if named else None
    by_doc = ([p for p in passages if p.doc_id == doc] for doc in named) if who else ()
    nationality = quoted_nationality(asked) if who else ()
    said = not asks_mentioned(asked)
    quoted = [e for own in by_doc for e in quoted_people(own, who or "anyone", nationality, said)]
    if compared:
        yield from draft_compared(named, passages, score, settings)
    elif quoted:
        yield from claims_answer(quoted)
    elif named and asks_author(asked) and not about_author and (it or names_by_kind(asked)):
        # "who wrote the khaji article", or "who wrote it" of the text the last answer opened
        # with: its page names no author, and its sentences naming Khaji are no answer (one
        # was given)
        yield Final(NOT_FOUND)
    elif (
        shape != "summary"
        and not about_author
        # "when did furlan write her article" asks the date of a text it names, which its
        # page gives (``dateline``), whatever its sentences say
        and not (named and asks_published(asked) and dateline(passages))
        and off_topic(question, judged, score)
    ):
        yield Final(NOT_FOUND)
    elif asks_sequel(asked) and (after := sequel_claims(question, passages, earlier)):
        yield from claims_answer(after)
    elif asks_more(asked) and (more := more_claims(passages, earlier)):
        yield from claims_answer(more)
    elif (topic := source_topic(asked)) is not None:
        if it and not stems(topic):
            # "which article says that" after "what are iran's red lines": what was last asked
            topic = read_context(question, earlier).asked_before or topic
        yield from claims_answer(source_claims(topic, passages, score))
    elif len(parts) > 1:
        yield from draft_parts(question, parts, passages, score, part_named)
    elif shape == "summary":
        yield from draft_summary(question, passages, score, settings)
    elif shape != "fact":
        # Two documents compared side by side ("what are the similarities between the
        # eurasiapeace and mena pieces") are there to compare: the model's "none" (it looks
        # for one phrase) is no reason to refuse.
        reader = None if shape == "compare" and len(named) > 1 else model
        # Kept to named documents, claims are ranked by what is asked of them, not by their
        # names (``without_document_names``). (A factoid's sentences are not: that lost
        # hand-typed k132 on dev, "lund says ... — does the mena paper see it the same way".)
        asked_of = without_document_names(question) if named else question
        yield from draft_claims(
            question, passages, score, shape, reader, earlier, judged, ranked_by=asked_of
        )
    elif model is not None:
        yield from draft_with_model(model, question, passages, settings, earlier)
    else:
        yield from draft_extractive(question, passages, settings)


def off_topic(question: str, passages: list[Passage], score: ScoreFn) -> bool:
    """True when no sentence of the passages scores ``TUNING.off_topic_floor`` for the
    question: it is about something the collection does not cover, and no reading of the
    passages should be offered as its answer. (A summary question is about a document, which
    ``gather`` found by its name, not by its sentences.) A word of the question the passages
    never use counts as their word of its stem: "what did the article say about alawites"
    is about the "Alawite" sentences, and was refused when "alawites" weighed most and
    matched none (``rank_evidence``'s ``mates``)."""
    ranked = rank_evidence(question, passages, score, mates=True)
    return not ranked or ranked[0].score < TUNING.off_topic_floor


def claims_text(claims: list[Evidence]) -> str:
    """Each claim verbatim with its own marker."""
    return " ".join(with_marker(e.text, e.passage_id) for e in claims)


def claims_answer(claims: list[Evidence]) -> Draft:
    """An answer that is these claims as they are (none: the documents do not say)."""
    text = claims_text(claims) if claims else NOT_FOUND
    yield text
    yield Final(text)


def draft_claims(
    question: str,
    passages: list[Passage],
    score: ScoreFn,
    shape: Shape,
    model: TextModel | None = None,
    earlier: tuple[str, ...] = (),
    judged: list[Passage] | None = None,
    ranked_by: str | None = None,
) -> Draft:
    """An explanation, list or comparison: several sentences, each with its marker. A list
    ("who else did he meet?") leaves out those the conversation's last answer already gave
    (``earlier``), unless nothing else is left; an explanation may give one again: "how did
    he die?" after "May 19 [1]. ... killed in his helicopter crash on May 19" is answered by
    that sentence.

    With a model, a list of named things, a comparison or a yes/no question is first asked
    for the answer phrase as for a factoid: a phrase found in the sentences becomes the
    short answer, and its "none" an abstention — which is how near misses of those kinds are
    refused (SQuAD's "Can address information be changed after the set-up phase?", "How much
    less steam did the Rumford engine use compared to the Watt engine?") — but not a yes/no
    question whose best sentence denies something ("was the mosque closed to everyone":
    "... instructed not to allow any foreign citizen"), or tells a difference where a likeness
    is asked about ("is alawism the same as shiism": "... diverges significantly from ...",
    ``answers_no``): its answer is a "no", which the model, asked for a phrase to copy,
    cannot give. (Of the 49 yes/no questions of the public SQuAD
    dev sample, 33 unanswerable, the best offered sentence of none of the 20 refused
    unanswerable ones denies anything; of the answerable ones refused, 3 of 5 do, and of the
    news dev split's, 3 of 7.) An explanation by
    its wording is not asked ("why ...", "the theories for why ...", "what do the articles
    say about ...", "what set that off"): it has no phrase to copy, the model says "none" to
    most of them, and the call would only delay its first token or refuse it. Nor is a list
    of things without names ("what signs show the relations are cooling",
    ``lists_abstract``), nor a comparison asked for at length ("how does syrias track record
    w russia compare to iran on debts": ``compares_at_length``), for the same reason. The
    model reads the sentences of the ``judged`` passages (those a factoid reads,
    ``Gathered.reach``; default all). The claims are ranked by ``ranked_by`` when given; the
    model reads the question as asked."""
    ranked = ranked_claims(ranked_by or question, passages, score)
    if not ranked or ranked[0].score < TUNING.answer_floor:
        yield Final(NOT_FOUND)
        return
    short = None
    asked = own_words(question)
    if asked != question and asks_again(asked):
        # "and al-qirbi?" after "what does lund think": his claims, not Lund's again
        named = naming_only(ranked, question)
        if named is not ranked and not any(is_statement(e.text) for e in named):
            # "and in 2022?" after "what did khamenei tell assad in 2024": only a dateline
            # ("May 30, 2022 10:10 am") or a heading names it; its document's sentences tell
            docs = documents_of(passages)
            held = {docs[e.passage_id] for e in named}
            named = [e for e in ranked if docs[e.passage_id] in held]
        ranked = named
    # "what else did he say?" after an answer: more of what was told, no phrase to copy
    told_more = bool(earlier) and asks_else(asked) and not asks_others(asked)
    names = (shape == "compare" and not compares_at_length(asked)) or (
        shape == "list" and not lists_abstract(asked) and not told_more
    )
    if model is not None and (names or asks_yes_no(asked)):
        p = plan(question, judged or passages, score)
        if p.offered:
            said = ""
            with closing(read_phrase(model, p)) as reading:
                for piece in reading:
                    if isinstance(piece, tuple):
                        said = piece[0]
            phrase = clean_phrase(said)
            if (located := locate_phrase(phrase, p)) is not None:
                short = (
                    as_written(phrase, located.text) if copied_from(phrase, located.text) else None
                )
            elif says_none(phrase) and not (
                asks_yes_no(asked) and answers_no(asked, p.offered[0].text)
            ):
                yield Final(NOT_FOUND)
                return
    # "who else ...", "tell me more": not what the last answer already gave
    told = [Evidence(0, s) for s in earlier] if shape == "list" or asks_more(asked) else []
    fresh = [e for e in ranked if not repeats(e, told)] or ranked
    if earlier and asks_others(asked):
        # "who else was there?", "any others?": the claims name someone (something) neither
        # the question nor the last answer named — not "This meeting underscored ..."
        fresh = naming_others(ranked, fresh, earlier, question, passages, asks_people(asked))
    kind = expected_type(asked)
    # "When were his two previous visits?": the claims are those holding a date.
    fresh = [e for e in fresh if has_type(e.text, kind)] or fresh
    # "what do the articles say about refugees", "how do the mena paper and eurasiapeace
    # piece explain ...": what each document says (the second named one was left out).
    several = spans_documents(asked) or len(document_names(asked)) > 1
    documents = documents_of(passages) if several else None
    chosen = pick_claims(fresh, dict(TUNING.claims)[shape], ranked_by or question, documents)
    text = claims_text(in_reading_order(in_context(chosen, passages, told), passages, lead=1))
    yield text
    yield Final(text, short=short)


def draft_parts(
    question: str,
    parts: list[str],
    passages: list[Passage],
    score: ScoreFn,
    part_named: tuple[tuple[str, ...], ...] = (),
) -> Draft:
    """A multi-part question: each part's best sentence (and, for a part that is a list,
    explanation or comparison, its best few) and the best sentences for the whole question,
    in reading order; a part the passages hold nothing for (nothing of the kind it
    asks for) is said to be missing at the end while the others are answered. A part that
    names documents (``part_named``) is answered from their passages."""
    own = [
        [p for p in passages if p.doc_id in named] or passages
        for named in (part_named or ((),) * len(parts))
    ]
    answered = part_claims(parts, passages, score, own)
    report = [
        AnswerPart(
            question=a.question,
            answered=a.claim is not None,
            citations=[a.claim.passage_id] if a.claim is not None else [],
        )
        for a in answered
    ]
    if all(a.claim is None for a in answered):
        yield Final(NOT_FOUND, parts=tuple(report))
        return
    chosen: list[Evidence] = []
    for e in [a.claim for a in answered if a.claim is not None]:
        if not repeats(e, chosen):
            chosen.append(e)
    leads = len(chosen)  # the parts' own claims, which open the answer
    for a, read in zip(answered, own, strict=True):
        # "Which members ... opened fronts": a list part gets a list
        if a.claim is not None and answer_shape(a.question) != "fact":
            more = pick_claims(ranked_claims(a.asked, read, score), TUNING.part_claims)
            chosen += [e for e in more if not repeats(e, chosen)]
    for e in pick_claims(ranked_claims(question, passages, score), TUNING.part_claims):
        if not repeats(e, chosen) and len(chosen) < len(parts) + TUNING.part_claims:
            chosen.append(e)
    missing = [missing_part(a.question) for a in answered if a.claim is None]
    # part by part: each part's claim (and what its passage tells after it), then the others
    answer = claims_text(in_context(in_reading_order(chosen, passages, lead=leads), passages))
    text = " ".join([answer, *missing])
    yield text
    yield Final(text, parts=tuple(report))


def draft_summary(
    question: str, passages: list[Passage], score: ScoreFn, settings: Settings
) -> Draft:
    """A document's central sentences, in its order (``passages`` are its chunks)."""
    vectors = sentence_vectors(settings)
    chosen = summary_claims(question, passages, score, vectors.get, TUNING.summary_claims)
    if not chosen:
        yield Final(NOT_FOUND)
        return
    text = claims_text(chosen)
    yield text
    yield Final(text)


def draft_compared(
    named: tuple[str, ...], passages: list[Passage], score: ScoreFn, settings: Settings
) -> Draft:
    """Documents compared as wholes: each one's central sentences
    (``TUNING.compared_claims``, ``whole_document_claims``), one document after the other in
    the order the question names them (``passages`` are all of theirs)."""
    vectors = sentence_vectors(settings)
    chosen: list[Evidence] = []
    for doc in named:
        own = [p for p in passages if p.doc_id == doc]
        chosen += whole_document_claims("", own, score, vectors.get, TUNING.compared_claims)
    yield from claims_answer(chosen)


def with_disagreement(
    text: str, phrase: str | None, chosen: Evidence, p: Plan, passages: list[Passage]
) -> str:
    """The composed answer — or, when another document states the same with another value,
    "The sources disagree: A [1]; B [2]." and both sentences (``rag.answer.disagree``)."""
    value = phrase or first_value(chosen.text, p.kind)
    found = disagreement(value, chosen, p, passages)
    if found is None or value is None:
        return text
    other = found.other
    head = (
        f"The sources disagree: {value} [{chosen.passage_id}]; {found.value} [{other.passage_id}]."
    )
    return " ".join([head, with_marker(chosen.text, chosen.passage_id), claims_text([other])])


def draft_with_model(
    model: TextModel,
    question: str,
    passages: list[Passage],
    settings: Settings,
    earlier: tuple[str, ...] = (),
) -> Draft:
    """A factoid: select evidence, let the model name the answer, compose it. ``earlier``:
    the last answer's sentences (a follow-up's fallback does not repeat them)."""
    p = plan(question, passages, sentence_cosines(settings))
    if not p.offered:
        yield Final(NOT_FOUND)
        return
    said, shown = "", False
    with closing(read_phrase(model, p)) as reading:  # closed at once if the reader leaves
        for piece in reading:
            if isinstance(piece, tuple):
                said, shown = piece
            else:
                yield piece
    phrase: str | None = clean_phrase(said)
    context = read_context(question, earlier)
    chosen = locate_phrase(phrase or "", p, context.echo)
    if chosen is not None and phrase and not copied_from(phrase, chosen.text):
        phrase = None  # words gathered from across the sentence: it answers alone
    if chosen is not None and phrase:
        phrase = whole_amount(phrase, chosen.text)  # "30" of "between 20 and 30 billion"
        phrase = whole_date(phrase, chosen.text)  # "May 30" of "May 30, 2022"
        phrase = as_written(phrase, chosen.text)  # "A, B and C" for the model's "A, B, C"
    if chosen is None and phrase and (span := held_span(phrase, p)):
        phrase, chosen = span  # the model answered in a sentence of its own
    typed_miss = p.kind != "any" and not says_none(phrase or "") and not p.offered[0].widened
    if chosen is None and (asks_why(question) or typed_miss):
        # The offered sentences passed the checks that matter (a value of the asked-for kind
        # in a sentence about the question), but the phrase did not: the model miscopied a
        # number, or "why" had no phrase to copy and the model said "none". Answer with the
        # best sentence itself — unless its value came from a neighbour sentence, which may
        # be about something else.
        chosen, phrase = p.offered[0], None
    if chosen is None and asks_published(own_words(question)) and p.offered[0].byline:
        # "when was furlans piece published": the text's own date answers (``dateline``),
        # however the model read it ("none")
        dates = values_of(p.offered[0].text, "date")
        chosen, phrase = p.offered[0], dates[-1] if dates else None
    subject = described(own_words(question))
    if chosen is not None and subject and not describes(chosen.text, subject):
        # "wat is la syrie utile": the model's "Syria" was found in a sentence about the
        # northwest; a sentence naming what is asked about (if one is offered) answers
        naming = next((e for e in p.offered if describes(e.text, subject)), None)
        chosen, phrase = (naming, None) if naming is not None else (chosen, phrase)
    if chosen is None and subject:
        # "who is Aaron Lund?" asks for a description ("an expert on Syrian affairs at the
        # Century Foundation"), which the small model rarely copies as a phrase: the best
        # offered sentence naming the subject answers, if one does. The model may copy the
        # part of the subject a sentence names ("what is the land corridor iran wants":
        # "land corridor"): a sentence holding that part then answers.
        copied = stems(phrase) if phrase else set()
        part = phrase if len(copied) > 1 and copied <= stems(subject) else ""
        chosen = next((e for e in p.offered if describes(e.text, subject)), None) or next(
            (e for e in p.offered if part and holds(e.text, part)), None
        )
        phrase = None
    asked = own_words(question)
    follow_up = asked != question
    if (
        chosen is None
        and p.kind == "any"
        and not follow_up
        and phrase
        and echoes(phrase, p.question)
    ):
        # "what does hts control": the model named the question's own subject ("Hayat Tahrir
        # al-Sham"). The best sentence answers if it holds every word the question looks for
        # but the verb reporting it ("Most of northwest Syria is controlled by ... HTS"; "what
        # did media reports say assad ignored" → "... reports have suggested that Assad
        # ignored ..."); a near miss lacks one ("which city did HTS start from")
        wanted, best = asked_words(asked), p.offered[0].text
        denied = denies(best, wanted) and not negates(asked)  # "... do not fit into ..."
        chosen = p.offered[0] if holds(best, wanted) and not denied else None
        phrase = None if chosen is not None else phrase
    # a pronoun stands for what the last question asked about: "what did it do in 2024"
    # after "what is hts" is answered by "... a less-than two-week offensive led by the
    # Sunni Islamist HTS", not by the Manama sentence holding "2024" alone
    meant = stems(context.asked_before) if follow_up and leans_on_it(asked) else set()
    words = {e.text: set(bm25_tokens([e.text])[0]) for e in p.offered} if follow_up else {}
    if chosen is not None and meant and not meant & set(bm25_tokens([chosen.text])[0]):
        # "where is it" after "what is the sdf": the model's "Syria" was found in a sentence
        # on refugees; one naming what the pronoun stands for answers, if one is offered
        naming = next((e for e in p.offered if meant & words[e.text]), None)
        chosen, phrase = (naming, None) if naming is not None else (chosen, phrase)
    if chosen is not None and meant and p.kind != "any":
        # A value asked of it is not one of something else: "when did he go to tehran" after
        # "who is hussein arnous" was answered "2011" (the Syrian president's trips). Here
        # the words that most of the passages hold name nothing in particular ("syrian" of
        # the last answer, "Syrian Prime Minister"); when every word does, so does the
        # pronoun (every passage is about him)
        each = [set(tokens) for tokens in bm25_tokens([x.text for x in passages])]
        own = {w for w in meant if 0 < 2 * sum(w in h for h in each) <= len(each)}
        if own and not own & set(bm25_tokens([chosen.text])[0]):
            chosen, phrase = next((e for e in p.offered if own & words[e.text]), None), None
    if chosen is None and p.kind == "any" and follow_up:
        # A follow-up ("and Assad?") reaches the model with its context attached, which the
        # small model often reads as nothing to answer: its best sentence answers instead —
        # one the last answer did not already give, holding a word of the follow-up's own
        # ("what about Turkey?" is not answered by a sentence without Turkey). After a shift
        # of focus ("what about its debts to Russia?"), the sentence naming it all is new,
        # even when it also holds the last answer ("... owed to Iran, while it has steadily
        # settled its debts with Russia"). A sentence the last answer gave answers again
        # when it holds a word the follow-up asks that the last question did not: "who led
        # it?" after "how long did the hts offensive take" → "... a less-than two-week
        # offensive led by the Sunni Islamist HTS ..." (the model had repeated "two-week").
        told = [Evidence(0, s) for s in earlier]
        own = stems(asked)
        new = own - stems(context.asked_before)
        held = {text: len((own | meant) & held_words) for text, held_words in words.items()}
        fresh = [
            e
            for e in p.offered
            if (holds(e.text, asked) and shifts_focus(asked))
            or (not repeats(e, told) and held[e.text])
            or new & words[e.text]
        ]
        # the one holding most of its own words: "and what if israel gets attacked" is
        # answered by "... defending Israel if attacked", not by a sentence naming Israel
        fresh.sort(key=lambda e: -held[e.text])
        chosen, phrase = (fresh[0], None) if fresh else (None, phrase)
    if chosen is None or someone_elses_role(asked, chosen.text):
        # the role asked for, but another country's: "whos irans ambassador to syria" →
        # "Robert Ford", from "Former US Ambassador to Syria, Robert Ford, …" (a near miss)
        yield Final(NOT_FOUND)
        return
    text = with_disagreement(compose(phrase, chosen, p), phrase, chosen, p, passages)
    if not shown:
        yield text
    else:
        head = said.strip()
        yield text[len(head) :] if text.lower().startswith(head.lower()) else ""
    yield Final(text, short=phrase)


def draft_extractive(question: str, passages: list[Passage], settings: Settings) -> Draft:
    """A factoid without a model: the best offered sentence of the asked-for kind, verbatim."""
    p = plan(question, passages, sentence_cosines(settings))
    if not p.offered or (p.offered[0].score <= 0 and not p.offered[0].byline):
        yield Final(NOT_FOUND)
        return
    chosen = p.offered[0]
    if someone_elses_role(own_words(question), chosen.text):  # a near miss, as above
        yield Final(NOT_FOUND)
        return
    text = with_disagreement(compose(None, chosen, p), None, chosen, p, passages)
    yield text
    yield Final(text)


class Generator(Protocol):
    """What the pipeline needs of a generator (``rag.answer.generators`` builds them)."""

    name: str

    def stream(
        self, question: str, found: Gathered, history: list[ChatTurn] | None = None
    ) -> Draft:
        """Stages 3-5 for one question: answer text piece by piece, ending with a ``Final``,
        from what stage 2 gathered (its passages, the documents the question keeps to, the
        passages judged, the documents each part names: ``Gathered``, ``draft``)."""
        ...


def by_publisher(standalone: str, collection: Any) -> str:
    """Stage 1b: a text named by its publisher or author alone ("per mena", "what does the
    eastern herald say about ...", "furlan says ...") is named as by its kind ("per mena
    piece": ``rag.text.questions.named_by_publisher``), so the rest of the pipeline reads it
    as a question about that text. Only the user's own words are read."""
    own, sep, context = standalone.partition(CONTEXT)
    if not collection.count():
        return standalone
    return named_by_publisher(own, publisher_names(collection)) + sep + context


def by_author_name(standalone: str, collection: Any, settings: Settings) -> str:
    """Stage 1c: a person named by the text they wrote ("where did the author of the
    algemeiner article get her phd", "the woman who wrote the 2022 analysis.. what does her
    research focus on": ``author_reference``) is named by the name that text's metadata
    gives: "where did Marta Furlan get her phd". The rest of the pipeline then reads the
    question as one about her, in her document (``from_named``): the description's words
    would rank the article's sentences above her biography, where the answer is. Unchanged
    when the text has no known author."""
    own, sep, context = standalone.partition(CONTEXT)
    ref = author_reference(own)
    if ref is None or not collection.count():
        return standalone
    doc = described_document(ref.description, collection, settings)
    author = document_author(collection, doc) if doc else ""
    if not author:
        return standalone
    return own[: ref.start] + author + own[ref.end :] + sep + context


def gather(
    standalone: str, collection: Any, settings: Settings, top_k: int, shape: Shape | None = None
) -> Gathered:
    """Stage 2: the passages the answer is drawn from (see the module docstring), for an
    answer of the question's own ``shape`` or this one (kept as ``Gathered.shape``).

    An explanation, list or comparison reads at least ``TUNING.claim_passages`` passages:
    its reasons or items are often told in a passage that ranks just below a factoid's
    ``top_k`` ("why did assad go to tehran in 2022": Russia's war in Ukraine, fifth). The
    passages ``top_k`` finds are its ``reach``."""
    wanted = shape or answer_shape(own_words(standalone))
    found = gather_for(wanted, standalone, collection, settings, top_k)
    return replace(found, shape=shape) if shape else found


def gather_for(
    shape: Shape, standalone: str, collection: Any, settings: Settings, top_k: int
) -> Gathered:
    """``gather``'s passages for an answer of this ``shape``."""
    asked = own_words(standalone)
    quoted = asks_quoted(asked) is not None
    if (shape == "compare" and compares_documents(asked)) or quoted:
        # "how is the eastern herald piece different from the mena paper": both, whole;
        # "which experts does the mena paper quote": all of it
        found = retrieve(standalone, collection, settings, TUNING.summary_depth)
        named, resolved = named_documents(asked, found, collection, settings)
        if resolved and named and (len(named) > 1 or quoted):
            whole = merged(*(document_passages(doc, collection) for doc in named))
            return Gathered(whole, tuple(named))
        if quoted and not named and (spans_documents(asked) or not is_follow_up(asked)):
            # "which experts are quoted across the articles", "who are all the iranian
            # officials mentioned" (no text named: all of them): each one found, whole
            docs = list(dict.fromkeys(p.doc_id for p in found if p.doc_id))
            docs = docs[: TUNING.quoted_documents]
            whole = merged(*(document_passages(doc, collection) for doc in docs))
            return Gathered(whole, tuple(docs))
    if shape == "summary":
        found = retrieve(standalone, collection, settings, TUNING.summary_depth)
        # The document the question names ("give me a quick summary of the mena paper"), or
        # else the one retrieval and the question's words point to: "give" and "quick" drew
        # another document's passages, which outvoted the name.
        named, _ = named_documents(asked, found, collection, settings)
        doc = named[0] if len(named) == 1 else main_document(asked, found, collection, settings)
        if doc is not None:
            return Gathered(document_passages(doc, collection))
    # "which article talks about captagon" is searched for what it asks about: "article" and
    # "talks" drew passages that hold those words. ("which article says that" is searched
    # with its context, the last exchange.)
    topic = source_topic(asked)
    search = (topic if topic and stems(topic) else None) or (
        summary_topic(standalone) if summarizes_topic(asked) else standalone
    )
    near = gather_at(search, collection, settings, top_k)
    authored = {p.doc_id for p in near.passages if p.author and p.doc_id}
    if asks_author(asked) and not near.named and (doc := answered_from(standalone, near)):
        # "who wrote it" after "which article covers the khaji visit": the text the last
        # answer opened with (its page names no author: the byline of another answered)
        return replace(near, named=(doc,))
    if asks_author(asked) and not near.named and authored:
        # "who wrote the analysis of Assad's May 2022 trip to Tehran": of the documents with
        # a known author, the one the question describes (its title and opening: "May 30,
        # 2022 ... The Meeting Between Assad and Khamenei"), not the first retrieved.
        doc = main_document(asked, near.passages, collection, settings)
        if doc is not None:
            # a document whose page names no author is not answered by another's byline
            # ("which article covers the khaji visit" → "who wrote it": Marta Furlan)
            return replace(near, named=(doc,))
    if shape in ("explain", "list", "compare") and spans_documents(asked) and not near.named:
        # "what do the articles say about refugees": each document's part of the answer, which
        # may rank below what another one tells at length (``pick_claims`` spreads them).
        wide = gather_at(search, collection, settings, max(TUNING.span_passages, top_k))
        return replace(wide, reach=frozenset(p.chunk_id for p in near.passages))
    if asks_others(asked) and CONTEXT in standalone:
        # "who else did he meet?": the last question's answers besides those it gave, which
        # may rank below them ("... his deputy, Bassam al-Sabbagh", eighth); only those naming
        # someone not named yet are claims (``names_another``), from the text the last
        # question is best answered by: the others at the same event, not at another one
        wide = gather_at(search, collection, settings, max(TUNING.others_passages, top_k))
        doc = near.passages[0].doc_id if near.passages else None
        same = near.named or ((doc,) if doc else ())
        return replace(wide, named=same, reach=frozenset(p.chunk_id for p in near.passages))
    if asks_more(asked):
        # "tell me more": what the last answer's passage tells next may open the chunk after
        # it, which the question's words do not retrieve (``more_claims`` reads on into it)
        wide = gather_at(search, collection, settings, max(TUNING.claim_passages, top_k))
        best = [(p, p.doc_id) for p in wide.passages[: TUNING.sequel_reach] if p.doc_id]
        chunks = {doc: document_passages(doc, collection) for _, doc in best}
        following = [c for p, doc in best for c in next_chunk(p, chunks[doc])]
        reach = frozenset(p.chunk_id for p in near.passages)
        return replace(wide, passages=merged(wide.passages, following), reach=reach)
    if shape in ("explain", "list", "compare") and TUNING.claim_passages > top_k:
        wide = gather_at(search, collection, settings, TUNING.claim_passages)
        return replace(wide, reach=frozenset(p.chunk_id for p in near.passages))
    return near


def answered_from(standalone: str, found: Gathered) -> str | None:
    """The document of the passage the last answer opened with, for a follow-up (its context
    holds that opening verbatim: ``standalone_question``); None for a question asked alone,
    or when no passage found holds the opening."""
    _, sep, context = standalone.partition(CONTEXT)
    if not sep:
        return None
    for p in found.passages:
        for sentence in split_sentences(p.text):
            opening = sentence[:_OPENING_CHARS]
            if len(opening) == _OPENING_CHARS and opening in context and p.doc_id:
                return p.doc_id
    return None


_OPENING_CHARS = 40  # of a sentence, to find it in a follow-up's context


def next_chunk(p: Passage, chunks: list[Passage]) -> list[Passage]:
    """The chunk after ``p`` among its document's ``chunks`` (in order); [] at its end."""
    at = next((i for i, c in enumerate(chunks) if c.chunk_id == p.chunk_id), None)
    return chunks[at + 1 : at + 2] if at is not None else []


def gather_at(standalone: str, collection: Any, settings: Settings, top_k: int) -> Gathered:
    """The ``top_k`` best passages (and each part's, for a question of several parts),
    a named document's first (``from_named``)."""
    passages = retrieve(standalone, collection, settings, top_k)
    parts = question_parts(own_words(standalone))
    if len(parts) == 1:
        return from_named(standalone, passages, collection, settings, top_k)
    # A part leaning on the first is searched with the names the first one's best sentence
    # gives ("that country ..." is Turkey): one fact leads to the passage holding the next.
    found_first = retrieve(parts[0], collection, settings, top_k)
    bridge = ""
    if any(is_follow_up(p) for p in parts[1:]):
        first = plan(parts[0], found_first, sentence_cosines(settings)).offered
        bridge = new_names(first[0].text, own_words(standalone)) if first else ""
    asked = parts_as_asked(parts, bridge)
    passages = merged(
        passages, found_first, *(retrieve(p, collection, settings, top_k) for p in asked[1:])
    )
    found = from_named(standalone, passages, collection, settings, top_k)
    named = tuple(
        tuple(named_documents(p, found.passages, collection, settings)[0])
        if document_names(p)
        else ()
        for p in parts
    )
    return replace(found, part_named=named) if any(named) else found


def from_named(
    standalone: str, passages: list[Passage], collection: Any, settings: Settings, top_k: int
) -> Gathered:
    """When the question names its document ("according to the MENA Research Center paper",
    "Why does Marta Furlan warn ...": ``named_documents``), that document's ``top_k`` best
    passages for the question (with a follow-up's context) come first. Then come up to
    ``TUNING.named_others`` retrieved passages from other documents (a question may lean on
    another one: "In 2022 Iran was expected to ...; what does the later MENA paper say ..."),
    or all of them for a comparison, a question of several parts, or one that also names a
    document no name resolves to: these span documents. None for an authorship question:
    another document's byline would answer it wrongly.

    The named documents come back with the passages when the answer keeps to them (``draft``
    draws it from their passages alone): a question about one ("what does the mena paper say
    about russia": Russia comes up in the other pieces too), two compared side by side ("the
    algemeiner and eurasiapeace pieces"), or an authorship question — not one that spans
    documents."""
    asked = own_words(standalone)
    if not document_names(asked) and not named_authors(asked, passages) and not source_names(asked):
        return Gathered(passages)
    found = retrieve(standalone, collection, settings, TUNING.summary_depth)
    named, resolved = named_documents(asked, merged(passages, found), collection, settings)
    if not named:
        return Gathered(passages)
    score = sentence_cosines(settings)
    # Within a named document, its passages are ranked by what is asked of it, not by its
    # name: "paper" ranked the MENA paper's "This paper sheds light on ..." first.
    asked_of = without_document_names(standalone)
    ranked: list[list[Passage]] = []
    for doc in named:
        chunks = document_passages(doc, collection)
        best: dict[int, float] = {}
        for e in rank_evidence(asked_of, chunks, score):
            best.setdefault(e.passage_id, e.score)
        scored = [p.model_copy(update={"score": best.get(p.id, 0.0)}) for p in chunks]
        ranked.append(sorted(scored, key=lambda p: -p.score))
    # Each named document's best passage, then each one's second best, ...: two documents
    # named share the places.
    own = [p for rank in zip_longest(*ranked) for p in rank if p is not None][:top_k]
    others = [p for p in passages if p.doc_id not in named]
    single = resolved and len(question_parts(asked)) == 1
    if asks_author(asked):
        others = []
    elif single and answer_shape(asked) != "compare":
        others = others[: TUNING.named_others]
    elif not (single and len(named) > 1):  # "compare X and Y" keeps to them, with others
        return Gathered(merged(own, others))  # the answer spans documents
    return Gathered(merged(own, others), tuple(named))


def answer_events(
    question: str,
    history: list[ChatTurn],
    collection: Any,
    settings: Settings,
    top_k: int,
    generator: Generator | None,
    started: float,
) -> Iterator[QueryEvent]:
    """Run the stages in order; events: passages, answer tokens, then the verified answer."""
    if collection.count():
        known = ChainMap(
            vocabulary(collection, settings), naming_words(collection), possessive_names(collection)
        )
        question = normalize_question(question, known, name_words(collection))
    standalone = by_publisher(standalone_question(question, history), collection)
    standalone = by_author_name(standalone, collection, settings)
    found = gather(standalone, collection, settings, top_k, asked_shape(standalone, history))
    passages = found.passages
    retrieved = time.perf_counter()
    yield PassagesEvent(question=standalone, passages=passages)
    answer, abstained, short = "", not passages, None
    citations: list[Passage] = []
    support: list[SentenceSupport] = []
    first_token: float | None = None
    parts: list[AnswerPart] = []
    if generator is not None and generator.name != "none":  # "none": retrieval only
        streamed, final = [], None
        for piece in generator.stream(standalone, found, history):
            if isinstance(piece, Final):
                final = piece
                continue
            if first_token is None:
                first_token = round((time.perf_counter() - started) * 1000, 1)
            streamed.append(piece)
            yield TokenEvent(text=piece)
        text = final.text if final is not None else "".join(streamed)
        answer, abstained, citations, support = assemble(text, passages)
        short = final.short if final is not None and not abstained else None
        parts = list(final.parts) if final is not None else []
    done = time.perf_counter()
    yield DoneEvent(
        response=QueryResponse(
            answer=answer,
            abstained=abstained,
            citations=citations,
            passages=passages,
            question=standalone,
            support=support,
            short_answer=short,
            parts=parts,
            timings_ms=Timings(
                retrieve=round((retrieved - started) * 1000, 1),
                generate=round((done - retrieved) * 1000, 1),
                total=round((done - started) * 1000, 1),
                first_token=first_token,
            ),
        )
    )
