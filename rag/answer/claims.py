"""Answers of several claims: explanations, lists, comparisons, multi-part questions, summaries.

A factoid gets one short answer (``rag.answer.compose``). A "why", "what factors", "how do
they differ" or "summarize" question needs more than one sentence: here each claim is a
sentence of the passages, verbatim, with its own marker, so every claim can be checked word
for word.

- ``pick_claims``: the best sentences for the question, near repeats skipped, down to a share
  of the best one's score (below it a sentence is about something else).
- ``part_claims``: a multi-part question answered part by part; a part nothing answers is
  said to be missing (partial abstention) while the others are answered.
- ``summary_claims``: a document's central sentences (closest to the mean of its sentence
  vectors, leaning towards what the question names), one per stretch of the document, in
  its order; a document with headings gives each section's, leaning towards its heading.
- ``sequel_claims``: "what did Israel do after that?" is answered by what the document
  tells next, after the sentence the last answer gave.
- ``in_context``: a claim leaning on the sentence before it ("He added ...") gets it.
- ``in_reading_order``: claims grouped by document (best document first), then in the order
  the document tells them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from rag.answer.conversation import CONTEXT, own_words
from rag.answer.evidence import (
    Evidence,
    candidates,
    neighbours,
    overlap,
    passage_sentences,
    plan,
    rank_evidence,
    rank_for_follow_up,
    unnamed,
    with_context,
    without_pictures,
)
from rag.retrieval.scoring import ScoreFn
from rag.schemas import Passage
from rag.text.injection import addresses_the_assistant
from rag.text.people import INTRODUCES, REPORTS, names_no_one
from rag.text.questions import (
    DOCUMENT_WORDS,
    asks_author,
    expected_type,
    has_type,
    sequel_topic,
    summary_topic,
    without_document_names,
)
from rag.text.sentences import (
    about_itself,
    in_title_case,
    is_statement,
    leans_back,
    split_sentences,
)
from rag.text.words import STOP_WORDS, bm25_tokens, stems, support_terms, terms
from rag.tuning import TUNING


@dataclass(frozen=True)
class Part:
    """One part of a multi-part question and its claim (``None``: the documents lack it)."""

    question: str
    claim: Evidence | None
    asked: str = ""
    """The part as it was searched and scored (``parts_as_asked``)."""


def repeats(e: Evidence, chosen: list[Evidence]) -> bool:
    return any(
        e.text in c.text or c.text in e.text or overlap(e.text, c.text) >= TUNING.claim_overlap
        for c in chosen
    )


def pick_claims(
    ranked: list[Evidence],
    n: int,
    question: str = "",
    documents: dict[int, str] | None = None,
) -> list[Evidence]:
    """Up to ``n`` of the ranked sentences, best first: statements only, no near repeats, at
    most ``TUNING.claims_per_passage`` from one passage, none scoring below
    ``TUNING.claim_floor`` × the best one (a floor never above ``TUNING.claim_floor_cap``).

    With ``question``, a sentence holding a rare word of it (``rare_terms``) that no claim
    chosen so far holds gains ``TUNING.claim_cover`` per such word: "al-bazi vs al-abdullah",
    "where does iraq fit in" are answered about both of them, and about Iraq, not by the
    sentences closest to the question as a whole.

    With ``documents`` (passage id → its document), for a question asked of all the
    documents ("what do the articles say about refugees"), the first claims are each
    document's best ones in turn, up to ``TUNING.span_claims`` of each (``spread``): what
    one document tells at length does not crowd out what the others say."""
    if not ranked:
        return []
    floor = min(TUNING.claim_floor * ranked[0].score, TUNING.claim_floor_cap)
    covering = question and TUNING.claim_cover > 0
    rare = rare_terms(question, [e.text for e in ranked]) if covering else {}
    pool = [e for e in ranked if e.score >= floor]
    # asked of several texts, a text's sentence holding a rare word of the question is its
    # say on it, however low it scores against the others' ("what do the articles say about
    # hts": the EurasiaPeace piece's "... offensive led by the Sunni Islamist HTS ...")
    told = [e for e in ranked if e not in pool and rare.get(e.text)] if documents else []
    chosen = spread(pool + told, n, documents, rare) if documents else []
    pool = [e for e in pool if e not in chosen]
    covered = {w for c in chosen for w in rare.get(c.text, set())}
    while pool and len(chosen) < n:
        best = max(pool, key=lambda e: leaning(e, rare, covered))
        pool.remove(best)
        if admissible(best, chosen):
            chosen.append(best)
            covered |= rare.get(best.text, set())
    return chosen


def leaning(e: Evidence, rare: dict[str, set[str]], covered: set[str]) -> float:
    """A claim's score with ``TUNING.claim_cover`` per rare word of the question it holds
    that the claims chosen so far (``covered``) do not."""
    return e.score + TUNING.claim_cover * len(rare.get(e.text, set()) - covered)


def documents_of(passages: list[Passage]) -> dict[int, str]:
    """Each passage's document (its source when it has no document id)."""
    return {p.id: p.doc_id or p.source for p in passages}


def admissible(e: Evidence, chosen: list[Evidence]) -> bool:
    """Whether ``e`` may join the ``chosen`` claims: a statement of the text (no byline), no
    near repeat, and its passage not yet holding ``TUNING.claims_per_passage`` of them."""
    if e.byline or not is_statement(e.text) or repeats(e, chosen):
        return False
    return sum(c.passage_id == e.passage_id for c in chosen) < TUNING.claims_per_passage


def spread(
    pool: list[Evidence], n: int, documents: dict[int, str], rare: dict[str, set[str]]
) -> list[Evidence]:
    """Each document's best claims of the (ranked) ``pool`` in turn — the best of each, the
    document with the best claim first, then the second best of each, … — up to
    ``TUNING.span_claims`` of each document and ``n`` in all. Within a document, a sentence
    holding a ``rare`` word of the question that the document's claims do not hold yet gains
    ``TUNING.claim_cover`` per such word, as in ``pick_claims``: what each document says of
    Raisi and of Pezeshkian."""
    mine: dict[str, list[Evidence]] = {}
    for e in pool:
        mine.setdefault(documents.get(e.passage_id, ""), []).append(e)
    covered: dict[str, set[str]] = {doc: set() for doc in mine}
    chosen: list[Evidence] = []
    for _ in range(TUNING.span_claims):
        for doc, told in mine.items():
            while told and len(chosen) < n:
                e = max(told, key=lambda e: leaning(e, rare, covered[doc]))
                told.remove(e)
                if admissible(e, chosen):
                    chosen.append(e)
                    covered[doc] |= rare.get(e.text, set())
                    break
    return chosen


def rare_terms(question: str, sentences: list[str]) -> dict[str, set[str]]:
    """Each sentence's share of the question's rare words: its content words (stemmed; not
    "what" or "about") that at most ``TUNING.cover_share`` of the sentences hold ("iraq",
    "abdullah"; not "iran" or "syria" in a collection about both), not the names it gives
    texts by their kind (``without_document_names``): "what do the articles say about
    captagon" took "This article was originally published by ..." for its "article"."""
    asked = stems(without_document_names(question))
    tokens = bm25_tokens(sentences)
    # rare as the word itself ("russia", not "russian" too); held also as a longer word's start
    df = {w: sum(w in t for t in tokens) for w in asked}
    held = [{w for w in asked if holds_stem(t, w)} for t in tokens]
    rare = {w for w, d in df.items() if 0 < d <= TUNING.cover_share * len(sentences)}
    return {s: h & rare for s, h in zip(sentences, held, strict=True) if h & rare}


def holds_stem(tokens: list[str], stem: str) -> bool:
    """Whether a sentence's stems (``tokens``) hold ``stem``, or one of five letters or more
    as the start of a longer word: "relationship" holds "relat" of "relations" (the rare
    "relations" had put "... normalize relations with Assad" of 2022 before "Assad told the
    Iranian leader: The Iranian-Syrian relationship is strategic" for "what did assad tell
    khamenei in 2024 about relations")."""
    return stem in tokens or (len(stem) >= 5 and any(t.startswith(stem) for t in tokens))


def ranked_claims(question: str, passages: list[Passage], score: ScoreFn | None) -> list[Evidence]:
    """The passages' sentences for the question, best first.

    A sentence also carries ``TUNING.claim_carry`` of the (carried) score of the sentence
    before it in its passage: the reasons, factors or details of an answer usually follow the
    sentence that names the question's topic ("Several factors contribute to the low trade
    volume. Much of the trade runs through informal pathways ...") and share few of its words.
    A sentence naming the document's author starts the author's biography and carries
    nothing from the sentence before it. An author box (their name and the paragraph after
    it, ``author_box``) scores nothing unless the question names the author or asks who
    wrote the text: "Editor-in-chief, The Eastern Herald." was a claim of "compare the
    algemeiner and eastern herald takes on ...". A sentence describing its own text ("This
    paper sheds light on ...", ``about_itself``) is no claim: it scores nothing and passes
    nothing on."""
    own = {e.text: e.score for e in rank_for_follow_up(question, passages, score, read=True)}
    author = {p.id: p.author for p in passages if p.author}
    asked = own_words(question)
    about = asks_author(asked) or names_an_author(asked, set(author.values()))
    carried: list[Evidence] = []
    previous: tuple[int, float] | None = None
    box: dict[int, str] = {}
    for c in candidates(passages):
        value = own.get(c.text, 0.0)
        if author.get(c.passage_id, "\0") in c.text:
            previous = None  # the author's biography: about the author, not the topic
            if c.text.startswith(author[c.passage_id]):
                box[c.passage_id] = c.text
        if not about and c.passage_id in box and c.text in box[c.passage_id]:
            value, previous = 0.0, None
        if about_itself(c.text):
            value, previous = 0.0, None  # an outline of the text, not a claim: no carry
        if previous is not None and previous[0] == c.passage_id:
            value = max(value, TUNING.claim_carry * previous[1])
        carried.append(Evidence(c.passage_id, c.text, round(value, 4)))
        previous = (c.passage_id, value)
    return sorted(carried, key=lambda e: -e.score)


def names_an_author(question: str, authors: set[str]) -> bool:
    """Whether the question names one of the ``authors`` by any of their names ("what's
    bajwa's background", "furlans view")."""
    asked = set(re.findall(r"[^\W\d_]{3,}", re.sub(r"['’]s\b", "", question.lower())))
    names = {w for a in authors for w in re.findall(r"[^\W\d_]{3,}", a.lower())}
    return bool(asked & (names - STOP_WORDS))


def source_claims(topic: str, passages: list[Passage], score: ScoreFn | None) -> list[Evidence]:
    """The sentences telling of ``topic`` ("captagon" of "which article talks about
    captagon"): those holding at least ``TUNING.source_share`` of its content words (all of
    them for a topic of one or two words), best first, at most ``TUNING.source_claims``
    from one document, grouped by document in reading order. Each claim's marker names its
    document (a sentence never names the article it stands in), and two documents telling
    the same are both shown: that is what was asked. Empty when no sentence tells of the
    topic: the documents do not mention it."""
    wanted = stems(topic)
    if not wanted:
        return []
    need = len(wanted) if len(wanted) <= 2 else TUNING.source_share * len(wanted)
    docs = documents_of(passages)
    chosen: dict[str, list[Evidence]] = {}
    for e in ranked_claims(topic, passages, score):
        mine = chosen.setdefault(docs[e.passage_id], [])
        if len(mine) >= TUNING.source_claims or not is_statement(e.text) or repeats(e, mine):
            continue  # (checked before the sentence is tokenized)
        if len(wanted & set(bm25_tokens([e.text])[0])) >= need:
            mine.append(e)
    return in_reading_order([e for told in chosen.values() for e in told], passages)


def sequel_claims(
    question: str, passages: list[Passage], earlier: tuple[str, ...]
) -> list[Evidence]:
    """What follows the last answer in its document: "what did Israel do after that?" after
    "Andrew Tabler noted that Russia and the UAE urged Assad to stay out of the conflict
    since October 7" is answered by the sentence after that one ("Since then, Israel has
    reportedly intensified strikes on Iranian targets in Syria ..."), which shares few words
    with the question and ranks low on its own.

    The last answer's sentences are found in the passages by their words (``overlap``, as
    repeats are: a model's or a user's paraphrase counts); only those with
    ``TUNING.sequel_min_terms`` content words are looked for ("Senior advisor." would match
    anything). The passage holding the best match is the anchor's, and the last sentence
    there that the answer told is where the story resumes (``_told_last``). The answer is
    the first of the next ``TUNING.sequel_reach`` sentences (``_after``) that names what the
    question asks about ("israel"), holds the asked-for kind of value and is a statement the
    last answer did not already give. Empty when the last answer is not found or nothing
    after it fits: the question is then answered as any other."""
    asked = own_words(question)
    about, kind = stems(sequel_topic(asked)), expected_type(asked)
    for p, sentence in _told_next(passages, earlier):
        fits = is_statement(sentence) and has_type(sentence, kind)
        if fits and about <= stems(sentence):
            return [Evidence(p.id, sentence)]
    return []


def more_claims(passages: list[Passage], earlier: tuple[str, ...]) -> list[Evidence]:
    """ "tell me more" after an answer: the statements that follow its last sentence in its
    document, up to ``TUNING.sequel_reach`` sentences on (as ``sequel_claims`` finds them),
    that the answer did not already give. Empty when the last answer is not found."""
    return [
        Evidence(p.id, sentence)
        for p, sentence in _told_next(passages, earlier)
        if is_statement(sentence)
    ]


def _told_next(passages: list[Passage], earlier: tuple[str, ...]) -> list[tuple[Passage, str]]:
    """The next ``TUNING.sequel_reach`` sentences after the last answer (``earlier``) in its
    document, but those the answer already told ([] when the answer is not found)."""
    said = [s for s in earlier if len(support_terms(s)) >= TUNING.sequel_min_terms]
    anchor = _told_last(said, passages) if said else None
    if anchor is None:
        return []
    return [
        (p, sentence)
        for p, sentence in _after(*anchor, passages)[: TUNING.sequel_reach]
        if all(overlap(sentence, s) < TUNING.claim_overlap for s in said)
    ]


def _told_last(said: list[str], passages: list[Passage]) -> tuple[Passage, int] | None:
    """The passage holding the best match of a sentence ``said``, and the index there of the
    last of its sentences that repeats one."""
    best: tuple[float, Passage, list[float]] | None = None
    for p in passages:
        matches = [max(overlap(x, s) for s in said) for x in passage_sentences(p)]
        top = max(matches, default=0.0)
        if top >= TUNING.claim_overlap and (best is None or top > best[0]):
            best = (top, p, matches)
    if best is None:
        return None
    _, p, matches = best
    return p, max(i for i, o in enumerate(matches) if o >= TUNING.claim_overlap)


# Chunks that do not overlap are apart by the line break between paragraphs ("\n\n"): no
# gap (a chunk ending at 1110 and the next starting at 1111 are one text).
_JOINED = 4


def _after(p: Passage, i: int, passages: list[Passage]) -> list[tuple[Passage, str]]:
    """The sentences after the ``i``-th of passage ``p`` in its document: the rest of ``p``,
    then those of the retrieved passages that continue it without a gap (chunks overlap or
    follow each other across a paragraph break; a sentence already seen is skipped)."""
    seen = passage_sentences(p)
    out = [(p, s) for s in seen[i + 1 :]]
    end = p.end
    later = [q for q in passages if q.doc_id == p.doc_id and q.start is not None]
    for q in sorted(later, key=lambda q: q.start or 0):
        if p.start is None or end is None or q.start is None or q.start <= p.start:
            continue
        if q.start > end + _JOINED:
            break  # a gap: what follows is not what came next
        fresh = [s for s in passage_sentences(q) if not any(s in x for x in seen)]
        out += [(q, s) for s in fresh]
        seen += fresh
        end = q.end
    return out


def in_context(
    claims: list[Evidence], passages: list[Passage], told: list[Evidence] | None = None
) -> list[Evidence]:
    """Each claim with the sentence before it when it leans on it ("He added ..."), and the
    one after it that leans on it ("This visit testified to ...", ``TUNING.claim_sequel``),
    unless that sentence is already in a claim (a part's claim may carry its own context) or
    in what was already ``told``."""
    shown = [c.text for c in claims]
    out = []
    for c in claims:
        full = with_context(c, passages)
        before = Evidence(c.passage_id, full.text[: -len(c.text)].strip())
        known = any(before.text in t for t in shown) or bool(
            before.text and repeats(before, told or [])
        )
        out.append(c if known else full)
        shown.append(out[-1].text)
        if TUNING.claim_sequel:
            _, after = neighbours(c, passages)
            if (
                after is not None
                and same_paragraph(c, after, passages)
                and leans_back(after, pointing=False)
                and is_statement(after)
                and not any(after in t for t in shown)
                and not repeats(Evidence(c.passage_id, after), told or [])
            ):
                out[-1] = Evidence(c.passage_id, f"{out[-1].text} {after}", c.score)
                shown.append(after)
    return out


def same_paragraph(claim: Evidence, after: str, passages: list[Passage]) -> bool:
    """Whether ``after`` follows the claim in the same paragraph of its passage: the next
    paragraph's "It is not an easy matter for Assad ..." does not lean on the claim before."""
    text = next((p.text for p in passages if p.id == claim.passage_id), "")
    start = text.find(claim.text)
    end = text.find(after, start + len(claim.text)) if start >= 0 else -1
    return end >= 0 and "\n" not in text[start + len(claim.text) : end]


def parts_as_asked(parts: list[str], bridge: str = "") -> list[str]:
    """Each part as it is searched and scored: a later part with the first part as its
    context, as a follow-up is read with the last question (its own words say what is
    asked: ``rank_for_follow_up``) — and with ``bridge``, the names the first part's answer
    gives (``new_names``): "that country" is Turkey. Not only a part leaning on the first by
    a pronoun ("... before him", "are those deals actually getting done"): "..., and what
    set Syria's membership apart?" is its membership of the axis the first part names.
    (Extractive dev sets: casual ch13 gained, 6 answers reworded, none lost.)"""
    context = f"{parts[0]} {bridge}".strip()
    return [f"{part}{CONTEXT}{context})" if k else part for k, part in enumerate(parts)]


_NAME_RUN = re.compile(r"\b[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*")


def new_names(sentence: str, question: str) -> str:
    """The names ``sentence`` gives that ``question`` does not: what a part leaning on the
    one ``sentence`` answers is about ("... Falahatpisheh pointed out that Turkey, which
    supported Assad's opponents, still had more than $2 billion in trade with Syria ..."
    gives "Turkey" to "that country falahatpisheh said does like 20x more trade w syria than
    iran — what role did khamenei say it played")."""
    known = stems(question)
    names: list[str] = []
    for m in _NAME_RUN.finditer(sentence):
        words = (re.sub(r"['’]s$", "", w) for w in m.group(0).split())
        name = " ".join(w for w in words if w.lower() not in STOP_WORDS)
        if name and not stems(name) <= known and name not in names:
            names.append(name)
    return " ".join(names[: TUNING.bridge_names])


# The first word of a sentence is capitalised whatever it is ("Recently, ...").
_OPENING_WORD = re.compile(r"^\W*[\w’'-]+\W*(?=[a-z])")


def names_another(sentence: str, known: str, common: frozenset[str], people: bool) -> bool:
    """Whether ``sentence`` names someone (``people``: by two words or more, "Faisal
    Mekdad", not "Iran") or something that ``known``, what the conversation said, does not:
    an answer to "who else was there?" ("He also held talks with ... Faisal Mekdad and his
    deputy, Bassam al-Sabbagh"), where "This meeting underscored ..." or a sentence naming
    Assad again after "He met President Bashar Assad" is not. A name is told by its last
    word ("Ali Asghar Khaji" is Khaji), unless that is a word the texts also write in
    lowercase (``common``) or a role's ("Foreign Minister", "Supreme Leader")."""
    said = stems(known)
    for m in _NAME_RUN.finditer(_OPENING_WORD.sub(" ", sentence, count=1)):
        words = m.group(0).split()
        last = re.sub(r"^(?:al|el)-|['’]s$", "", words[-1], flags=re.IGNORECASE)
        if (people and len(words) < 2) or last.lower() in common or names_no_one(last):
            continue
        if not stems(last) <= said:
            return True
    return False


def naming_others(
    ranked: list[Evidence],
    fresh: list[Evidence],
    earlier: tuple[str, ...],
    question: str,
    passages: list[Passage],
    people: bool,
) -> list[Evidence]:
    """The claims for "who else was there?", "any others?" (``people``: "who else", "anyone
    else"): of the ``fresh`` ones (not in the last answer, ``earlier``), those naming
    someone neither it nor the ``question`` named (``names_another``) and scoring above the
    claim floor of all ``ranked``. When none does, those naming someone the question does
    not, told before or not: "who else died" after "... along with 7 other people,
    including ... Hossein Amir Abdollahian [1]" is that sentence again, the documents naming
    no one else (not the best of the rest: "Francesca Albanese ... labeled ..."). Else
    ``fresh``."""
    if not ranked:
        return fresh
    floor = min(TUNING.claim_floor * ranked[0].score, TUNING.claim_floor_cap)
    common = frozenset(re.findall(r"\b[a-z][\w’'-]+", " ".join(p.text for p in passages)))
    known = " ".join((*earlier, question))
    another = [
        e for e in fresh if e.score >= floor and names_another(e.text, known, common, people)
    ]
    if not another:
        another = [
            e
            for e in ranked
            if e.score >= floor and names_another(e.text, question, common, people)
        ]
    return another or fresh


def part_claims(
    parts: list[str],
    passages: list[Passage],
    score: ScoreFn | None,
    own: list[list[Passage]] | None = None,
) -> list[Part]:
    """Each part's best sentence of the asked-for kind (``rag.answer.evidence.plan``), or
    ``None`` when the passages hold none. A part is not answered by a sentence an earlier
    part took, while another is offered: each part asks something else ("..., and which
    official got to Tehran before him?" is not "he was the last one to join the mourners"),
    and a first part that asks nothing is a claim the question reports
    (``rag.text.questions.premise``: "iran keeps saying its sticking to its agreements w
    syria"), which what is asked about it does not answer ("... have not been implemented on
    the ground"). ``own``: the passages each part is answered from (default: all)."""
    out: list[Part] = []
    read = own or [passages] * len(parts)
    as_asked = parts  # the first part is asked as it is; the others once it is answered
    for k, (part, mine) in enumerate(zip(parts, read, strict=True)):
        if k == 1:
            first = out[0].claim.text if out[0].claim is not None else ""
            as_asked = parts_as_asked(parts, new_names(first, " ".join(parts)))
        asked = as_asked[k]
        p = plan(asked, mine, score)
        told = {a.claim.text for a in out if a.claim is not None}
        offered = [e for e in p.offered if e.text not in told and not about_itself(e.text)]
        offered = offered or [e for e in p.offered if not about_itself(e.text)]
        best = offered[0] if offered else None
        if best is not None and best.score < TUNING.answer_floor and not best.byline:
            best = None
        out.append(Part(part, best, asked))
    return out


def position(e: Evidence, passages: list[Passage]) -> tuple[str, int, int, int]:
    """Where the claim sits: its document, its passage's offset in it (else the passage's
    place in the list) and its own offset in the passage."""
    i, p = next((i, x) for i, x in enumerate(passages) if x.id == e.passage_id)
    at = p.text.find(e.text[:40])
    return (p.doc_id or p.source, p.start if p.start is not None else 0, i, max(at, 0))


def quoted_people(
    passages: list[Passage], who: str, nationality: tuple[str, ...] = (), quoted: bool = True
) -> list[Evidence]:
    """The sentence introducing each person the document quotes (``passages`` are its
    chunks, in order): each named with their role, once ("Al-Bazi" again, as "researcher
    Al-Bazi", is the same person), in the document's order. ``who``: "experts" (researchers,
    analysts, professors ...) or "anyone" (officials too), as ``asks_quoted`` reads the
    question. With a ``nationality`` (``quoted_nationality``), only people whose
    introduction has a word beginning so ("Iran’s Foreign Minister, Abbas Araghchi" for
    "iranian"). Not ``quoted``: anyone introduced so, whether the sentence reports what they
    say or not ("who are all the iranian officials mentioned")."""
    found: list[Evidence] = []
    seen: set[str] = set()
    for p in passages:
        for sentence in passage_sentences(p):
            if not is_statement(sentence) or (quoted and not REPORTS.search(sentence)):
                continue
            for m in INTRODUCES[who].finditer(sentence):
                if nationality and not of_nationality(sentence, m, nationality):
                    continue
                name = next(g for g in m.groups() if g)
                key = re.split(r"[\s-]", name)[-1].lower()
                if key not in seen:
                    seen.add(key)
                    if not found or found[-1].text != sentence:
                        found.append(Evidence(p.id, sentence))
    return found


def of_nationality(sentence: str, m: re.Match[str], nationality: tuple[str, ...]) -> bool:
    """Whether an introduction (``m`` in ``sentence``, with the words before it back to a
    comma: "Iran’s Foreign Minister", not "from Iran, according to the Jordanian researcher")
    has a word beginning as the ``nationality`` does."""
    before = re.split(r"[,;:.()“”\"]", sentence[max(0, m.start() - _BEFORE_ROLE) : m.start()])[-1]
    window = (before + m.group(0)).lower()
    return any(w.startswith(nationality) for w in re.findall(r"[\w’'-]+", window))


_BEFORE_ROLE = 40  # characters: "Iran’s Supreme Leader", "the Syrian Foreign Minister"


def in_reading_order(
    claims: list[Evidence], passages: list[Passage], lead: int = 0
) -> list[Evidence]:
    """Claims grouped by document, the document of the best claim (the first) first, each
    group in the document's own order.

    The first ``lead`` claims open the answer instead, in their order, each with what its
    passage tells after it: an answer starts with what answers it, not with a weaker claim
    told earlier in the same text ("what did iran's foreign ministry blame for the fall of
    assad" had opened with Araghchi's pledge, told two paragraphs before the ministry's
    statement), and a question of several parts is answered part by part."""
    places = {id(c): position(c, passages) for c in claims}
    doc_rank: dict[str, int] = {}
    for c in claims:
        doc_rank.setdefault(places[id(c)][0], len(doc_rank))
    leads = [places[id(c)] for c in claims[:lead]]

    def key(c: Evidence) -> tuple[object, ...]:
        at = places[id(c)]
        # the first lead whose passage holds the claim at or after it
        block = next((j for j, b in enumerate(leads) if at[:3] == b[:3] and at >= b), None)
        if block is not None:
            return (0, block, *at[1:])
        return (1, doc_rank[at[0]], *at[1:])

    return sorted(claims, key=key)


VectorsFn = Callable[[list[str]], np.ndarray]
"""``sentences → L2-normalised vectors`` (the sentence-vector cache)."""


# A summary asked of part of a document says so: "the economic section of ...", "Al-Sabaila's
# argument in ...", "what Marta Furlan says the meeting means for Israel". Without such a
# word the question's other words describe the whole document ("Summarize the article on
# the senior Iranian adviser's visit to Damascus"): of ten such whole-document requests typed
# by hand, five held a word its opening did not.
_PART_WORDS = (
    "section", "part", "parts", "argument", "arguments", "case", "view", "views", "take",
    "position", "think", "thinks",
)  # fmt: skip
_ASKS_PART = re.compile(rf"\b({'|'.join(_PART_WORDS)}|says?|said|argues?|claims?)\b", re.IGNORECASE)
# Words that say which part, or how a summary is asked for, not what about ("the state of
# ...", "give me a quick summary").
_ASKING_WORDS = frozenset(
    {
        *_PART_WORDS, "state", "status", "situation", "mean", "means",
        "give", "tell", "quick", "quickly", "short", "brief", "briefly", "whole", "overall",
        "please", "pls", "plz",
    }
)  # fmt: skip


def summary_focus(question: str, passages: list[Passage]) -> str:
    """The words of a summary question that ask about part of its document, or "" when it
    asks about all of it: "israel" for "Sum up what Marta Furlan says the meeting means for
    Israel", "economic" for "the economic section of the MENA paper"; "" when no word asks
    for a part (``_ASKS_PART``; "the main arguments of" asks for a summary, not a part),
    and when the document's title, byline or opening passage holds the rest ("what the MENA
    paper says about Russia": its opening names Russia) or the document never uses it
    ("give me a quick summary"). ``passages`` are the document's, in its order."""
    asked = own_words(question)
    if not passages or not _ASKS_PART.search(summary_topic(asked)):
        return ""
    left = summary_topic(unnamed(asked, passages))
    first = passages[0]
    named = stems(" ".join([first.title or "", first.author or "", first.text]))
    held = stems(" ".join(p.text for p in passages))
    words = [
        w
        for w in terms(left)
        if w not in DOCUMENT_WORDS
        and w not in _ASKING_WORDS
        and stems(w) <= held  # "give me an overview ...": a word the document never uses
        and not stems(w) <= named
    ]
    return " ".join(words)


# "sum up the 'within the iranian circle' section", "tldr of the context of the visit bit":
# a part of the document named by its heading, quoted or followed by a word for a part.
_PART_WORD = r"(?:section|subsection|part|bit|heading|chapter)\b"
_SECTION_NAME = re.compile(
    r"(?<!\w)[‘'“\"]((?:[^'’”\"]|(?<=\w)['’](?=\w)){3,80})['’”\"](?!\w)"
    rf"|\bthe\s+((?:[\w’'-]+\s+){{1,8}}?){_PART_WORD}",
    re.IGNORECASE,
)
# a quoted name called a part: "the 'indicators of changing relations' section"
_A_PART = re.compile(rf"\W*{_PART_WORD}", re.IGNORECASE)
_HEADING_WORDS = 12


def is_heading(paragraph: str) -> bool:
    """ "Within the Iranian circle", "Why Didn’t Assad Participate in the Gaza War?": a short
    paragraph that is no statement (``is_statement``) — or that is in title case, though it
    ends in a full stop: "Deteriorating Relations with Iran and Improvement with the U.S."."""
    short = 0 < len(paragraph.split()) <= _HEADING_WORDS
    return short and (not is_statement(paragraph) or in_title_case(paragraph))


def heading_key(name: str) -> str:
    """A heading's content words, however quoted or typed ("'iran's read of the talks'" and
    "Iran’s Read of the Talks" alike)."""
    return " ".join(terms(re.sub(r"['’]s\b|[‘'’“”\"]", " ", name)))


def paragraphs(passages: list[Passage]) -> list[tuple[int, str]]:
    """The document's paragraphs (``passages`` are its chunks, in its order) with the id of
    the first passage holding each: chunks may overlap, and each paragraph counts once."""
    out: list[tuple[int, str]] = []
    seen: set[str] = set()
    for p in passages:
        for paragraph in (x.strip() for x in p.text.split("\n\n")):
            if paragraph and paragraph not in seen:
                seen.add(paragraph)
                out.append((p.id, paragraph))
    return out


def section_sentences(question: str, passages: list[Passage]) -> list[Evidence]:
    """The statements of the section whose heading the question names ("the 'price will be
    high' section": under "The price will be high", up to the next heading), in order; []
    when no heading of the document (``passages``, in its order) is named. A heading is
    matched by its content words, all of them: "the economic section" names no heading. A
    name called a section (a word for a part right after it: ``_A_PART``) may leave some of
    its heading's words out when it holds two or more ("the 'indicators of changing
    relations' section" for "Indicators of Changing Relations Between Iran and Syria"): the
    one heading holding all of them and fewest others is named, when no heading is named
    whole (two as near: none)."""
    # each name, and whether it is called a part ("the X section", "'X' section")
    names = [
        (
            heading_key(m.group(1) or m.group(2)),
            bool(m.group(2) or _A_PART.match(question, m.end())),
        )
        for m in _SECTION_NAME.finditer(question)
    ]
    wanted = {name for name, _ in names} - {""}
    if not wanted:
        return []
    sections = [(heading_key(h), s) for h, s in document_sections(passages) if h]
    exact = next((s for key, s in sections if key in wanted), None)
    if exact is not None:
        return exact
    called = [set(name.split()) for name, part in names if part]
    partial = sorted(
        (len(set(key.split()) - name), i)
        for i, (key, _) in enumerate(sections)
        for name in called
        if len(name) >= 2 and name <= set(key.split())
    )
    if not partial or (len(partial) > 1 and partial[1][0] == partial[0][0]):
        return []
    return sections[partial[0][1]][1]


def document_sections(passages: list[Passage]) -> list[tuple[str, list[Evidence]]]:
    """The document's statements grouped under its headings (``is_heading``), in its order,
    each group with its heading ("" for what comes before the first one), each sentence once
    (overlapping chunks may cut one paragraph into two that share sentences). A heading with
    no statement under it is dropped, as is a section headed by the document's author (a
    byline and biography: "Muzaffar Ahmad Noori Bajwa" and his posts)."""
    if not passages:
        return []
    first = passages[0]
    out: list[tuple[str, list[Evidence]]] = [("", [])]
    seen: set[str] = set()
    for pid, paragraph in paragraphs(passages):
        if is_heading(paragraph):
            out.append((paragraph, []))
            continue
        # a photo's caption and credit tell no point of it
        for s in without_pictures(split_sentences(paragraph)):
            if s not in seen and is_statement(s) and not addresses_the_assistant(s):
                seen.add(s)
                out[-1][1].append(Evidence(pid, s))
    author = heading_key(first.author or "")
    return [(h, s) for h, s in out if s and not (author and heading_key(h) == author)]


def summary_claims(
    question: str, passages: list[Passage], score: ScoreFn | None, vectors: VectorsFn, n: int
) -> list[Evidence]:
    """The document's central sentences (``passages`` are its chunks), one from each of ``n``
    stretches of it (more of a long document: ``whole_summary_size``), in its order (of a
    document with headings, each section's: ``central``) — or those of the section whose
    heading the question names (``section_sentences``: "gist of the 'price will be high'
    section"), all of them when there are ``n`` or fewer — or, when the question asks about
    part of it otherwise (``summary_focus``: "sum up what she says it means for Israel"),
    its ``n`` best claims for that part, as an explanation gets them, in its order.

    Centrality is a sentence's cosine with the mean of the document's sentence vectors; the
    question's own score (``TUNING.summary_focus``) leans it towards what the question names
    ("... about Washington's shifting approach")."""
    section = section_sentences(question, passages)
    if section:
        return (
            section
            if len(section) <= n
            else central([("", section)], question, passages, score, vectors, n)
        )
    part = summary_focus(question, passages)
    if part:
        claims = pick_claims(ranked_claims(part, passages, score), n)
        return in_reading_order(in_context(claims, passages), passages)
    return whole_document_claims(
        question, passages, score, vectors, whole_summary_size(passages, n)
    )


def whole_document_claims(
    question: str, passages: list[Passage], score: ScoreFn | None, vectors: VectorsFn, n: int
) -> list[Evidence]:
    """The ``n`` central sentences of the whole document (``passages`` are its chunks), in
    its order: of a document with headings, each section's (``central``)."""
    sections = document_sections(passages)
    if len(sections) >= TUNING.summary_sections:
        return central(sections, question, passages, score, vectors, n)
    found: list[Evidence] = []
    seen: set[str] = set()
    for p in passages:
        for s in without_pictures(passage_sentences(p)):
            if s not in seen and is_statement(s):
                seen.add(s)
                found.append(Evidence(p.id, s))
    return central([("", found)], question, passages, score, vectors, n)


def whole_summary_size(passages: list[Passage], n: int) -> int:
    """How many sentences sum up the whole document (``passages`` are its chunks): one for
    each ``TUNING.summary_words`` of its words, ``n`` at least and
    ``TUNING.summary_claims_max`` at most. A long paper's summary then reaches the sections
    eight sentences left out; a short piece's does not grow into half of it."""
    words = sum(len(paragraph.split()) for _, paragraph in paragraphs(passages))
    return max(n, min(TUNING.summary_claims_max, round(words / TUNING.summary_words)))


def central(
    sections: list[tuple[str, list[Evidence]]],
    question: str,
    passages: list[Passage],
    score: ScoreFn | None,
    vectors: VectorsFn,
    n: int,
) -> list[Evidence]:
    """The ``n`` most central sentences of the ``sections`` (heading and statements, in the
    document's order: ``document_sections``): each section gives at least one (the largest
    sections, when there are more than ``n``), a long section more (``shares``), one from
    each of its stretches, so the summary covers all of it rather than the part most like
    its average.

    Centrality is a sentence's cosine with the mean of all the sentences' vectors, leaning
    towards its section's heading, if it has one (``TUNING.summary_heading``): the part of
    the whole the heading announces: under "Why Didn't Assad Participate in the Gaza War?",
    the sentence saying Damascus kept out of it, not its aside that Assad is trying to
    balance his relations with Russia and Iran, which is nearer the whole paper's mean."""
    found = [e for _, statements in sections for e in statements]
    if not found:
        return []
    matrix = vectors([e.text for e in found])
    centroid = unit(matrix.mean(axis=0))
    headed = [heading for heading, _ in sections if heading]
    heads = dict(zip(headed, vectors(headed), strict=True)) if headed else {}
    w = TUNING.summary_heading
    cosines: list[float] = []
    for heading, statements in sections:
        rows = matrix[len(cosines) : len(cosines) + len(statements)]
        near = rows @ centroid
        if heading in heads:
            near = (1 - w) * near + w * (rows @ heads[heading])
        cosines += [float(c) for c in near]
    scored = focused(found, np.array(cosines), question, passages, score)
    chosen: list[Evidence] = []
    start = 0
    for (_, statements), k in zip(sections, shares([len(s) for _, s in sections], n), strict=True):
        from_stretches(scored[start : start + len(statements)], k, chosen)
        start += len(statements)
    return in_reading_order(chosen, passages)


def shares(sizes: list[int], n: int) -> list[int]:
    """How many of ``n`` picks each of groups of these ``sizes`` gets: one each (the ``n``
    largest, when there are more groups than picks), the rest by size (D'Hondt: the next
    pick goes to the group with most members per pick it has)."""
    if len(sizes) >= n:
        largest = set(sorted(range(len(sizes)), key=lambda i: -sizes[i])[:n])
        return [int(i in largest) for i in range(len(sizes))]
    out = [1] * len(sizes)
    for _ in range(n - len(sizes)):
        out[max(range(len(sizes)), key=lambda i: sizes[i] / (out[i] + 1))] += 1
    return out


def unit(vector: np.ndarray) -> np.ndarray:
    return vector / (np.linalg.norm(vector) or 1.0)


def focused(
    found: list[Evidence],
    cosines: np.ndarray,
    question: str,
    passages: list[Passage],
    score: ScoreFn | None,
) -> list[Evidence]:
    """The ``found`` sentences scored by centrality (``cosines``) leaning towards the
    question's own score (``TUNING.summary_focus``)."""
    focus = {e.text: e.score for e in rank_evidence(question, passages, score)}
    w = TUNING.summary_focus
    return [
        Evidence(e.passage_id, e.text, round((1 - w) * float(c) + w * focus.get(e.text, 0.0), 4))
        for e, c in zip(found, cosines, strict=True)
    ]


def from_stretches(scored: list[Evidence], k: int, chosen: list[Evidence]) -> None:
    """Adds to ``chosen`` the best sentence of each of ``k`` stretches of ``scored`` (that
    does not repeat one chosen), so a summary covers all of it rather than the part most
    like its average."""
    for j in range(k):
        stretch = scored[j * len(scored) // k : (j + 1) * len(scored) // k]
        for e in sorted(stretch, key=lambda e: -e.score):
            if not repeats(e, chosen):
                chosen.append(e)
                break
