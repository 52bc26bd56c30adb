"""Selecting evidence: the few sentences of the retrieved passages that may answer.

On a laptop CPU the small model's prompt processing is the user's wait: whole passages cost
many seconds before the first answer token, a few chosen sentences about one (the README has
the measurements). Each sentence keeps the number of the passage it came from, so markers
still point at passages the user can see.

``plan``: rank the passages' sentences (``rag.retrieval.scoring.sentence_score``), add the
sentence before one that leans on it ("He added ..."), keep those holding the kind of value
the question asks for (a number for "how many", a date for "when") — not one whose value
stands beside a clause of contrast that alone names what the question asks about
(``told_aside``) — and offer the best few.
Each document's byline (``"Title" was written by Author.``, from its metadata) is offered for
authorship questions: authorship is rarely stated in the body text that retrieval ranks. So is
the dateline of the best passage's document (``"Title" is dated May 30, 2022.``) for a question
asking when a text was published.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag.answer.conversation import CONTEXT, own_words
from rag.retrieval.scoring import ScoreFn, lexical_scores, sentence_score
from rag.schemas import Passage
from rag.text.casual import english
from rag.text.injection import addresses_the_assistant
from rag.text.people import introduced_as, introduces
from rag.text.questions import (
    AnswerType,
    asks_author,
    asks_itself,
    asks_published,
    counted,
    counts_told,
    described,
    document_names,
    expected_type,
    has_type,
    looked_for,
    shifts_focus,
)
from rag.text.sentences import (
    contrast_split,
    in_title_case,
    is_statement,
    leaning_readings,
    leans_back,
    sentences_of,
    split_sentences,
)
from rag.text.words import STOP_WORDS, holds, owner, stems, support_terms, terms
from rag.tuning import TUNING


@dataclass(frozen=True)
class Evidence:
    passage_id: int
    text: str
    score: float = 0.0
    byline: bool = False  # told by the document's metadata (a byline or a dateline)
    widened: bool = False  # joined with a neighbour sentence for the value the question asks


@dataclass(frozen=True)
class Plan:
    question: str
    kind: AnswerType
    offered: list[Evidence]  # best first; empty = nothing of the asked-for kind was found


def named_as(p: Passage) -> str:
    """How a sentence told by a passage's metadata names its document: “Title”, or the file."""
    return f"“{p.title}”" if p.title else p.source


def bylines(passages: list[Passage]) -> list[Evidence]:
    """One authorship sentence per document among the passages (first passage of each)."""
    seen: set[str] = set()
    out = []
    for p in passages:
        key = p.doc_id or p.source
        if p.author and key not in seen:
            seen.add(key)
            out.append(Evidence(p.id, f"{named_as(p)} was written by {p.author}.", byline=True))
    return out


def dateline(passages: list[Passage]) -> list[Evidence]:
    """The date the best passage's document gives itself, as a sentence ([] when it gives
    none): the date of another document would answer a question about this one wrongly."""
    p = passages[0] if passages else None
    if p is None or not p.published:
        return []
    return [Evidence(p.id, f"{named_as(p)} is dated {p.published}.", byline=True)]


def candidates(passages: list[Passage]) -> list[Evidence]:
    """Every sentence of the passages once, in passage order — but none a document addresses
    to an AI assistant ("Ignore previous instructions …"): that is never evidence. Nor is a
    line that only names the passage's author ("avatar by Marta Furlan /"): it says nothing
    about them, and outranked their biography for "..., whats his background"; who wrote the
    text is told by ``bylines``. An author box's name line is read with what follows it
    (``author_box``). Nor is a photo's caption or credit (``is_credit``)."""
    seen: set[str] = set()
    out: list[Evidence] = []
    for p in passages:
        for sentence in without_pictures(split_sentences(p.text)):
            if sentence in seen or addresses_the_assistant(sentence):
                continue
            seen.add(sentence)
            if not names_only(sentence, p.author or ""):
                out.append(Evidence(p.id, sentence))
            elif about := author_box(sentence, p.text):
                out.append(Evidence(p.id, about))
                # its sentences come only with its name: "Editor-in-chief, The Eastern
                # Herald." alone was offered for "who is the editor of the eastern herald",
                # and the model answered "Editor-in-chief"
                seen.update(split_sentences(about[len(sentence) :]))
    return out


_CREDIT = re.compile(r"^\W*(?:photo(?:graph)?|image|picture|credit)s?(?: credit)?\s*:", re.I)


def is_credit(sentence: str) -> bool:
    """ "Photo: SANA / Handout via Reuters.": a photo's credit line. It and the caption before
    it ("Syrian President Bashar al-Assad meets with ... in this handout released by SANA on
    Feb. 25, 2019.") describe a picture, not the story: a caption dated years before the
    event it illustrates was offered as a claim about "the assad khamenei meeting"."""
    return bool(_CREDIT.match(sentence))


def without_pictures(sentences: list[str]) -> list[str]:
    """The ``sentences`` but a photo's credit (``is_credit``) and the caption just before
    it: they describe a picture, not the story (neither evidence nor a point of a summary)."""
    credits = [i for i, sentence in enumerate(sentences) if is_credit(sentence)]
    picture = {j for i in credits for j in (i - 1, i)}
    return [s for i, s in enumerate(sentences) if i not in picture]


def names_only(sentence: str, author: str) -> bool:
    """ "avatar by Marta Furlan /", "Muzaffar Ahmad Noori Bajwa": a line with nothing but
    the author's name (and a byline's words)."""
    if not author:
        return False
    rest = re.sub(re.escape(author), " ", sentence, flags=re.IGNORECASE)
    return rest != sentence and not set(terms(rest)) - _BYLINE_WORDS


_BYLINE_WORDS = frozenset({"avatar", "written", "author", "posted"})


def author_box(name: str, text: str) -> str:
    """An author box's name line read with the paragraph after it, which says who they are
    ("Muzaffar Ahmad Noori Bajwa Editor-in-chief, The Eastern Herald. Counter terrorism ...
    expert."): the sentence a question about them finds. "" for a byline ("avatar by ..."),
    whose next paragraph is the article's."""
    if set(terms(name)) & _BYLINE_WORDS or re.search(r"\bby\b", name, re.IGNORECASE):
        return ""
    line = re.search(rf"^[ \t]*{re.escape(name)}[ \t]*$", text, re.MULTILINE)
    after = text[line.end() :].strip().split("\n\n", 1)[0].strip() if line else ""
    return f"{name} {after}" if after else ""


def named_authors(question: str, passages: list[Passage]) -> list[str]:
    """The passages' authors whose names the question writes ("Why does Marta Furlan ...")."""
    return [p.author for p in passages if p.author and p.author.lower() in question.lower()]


def unnamed(question: str, passages: list[Passage]) -> str:
    """The question without the words that name its document ("..., according to the MENA
    Research Center paper", "Why does Marta Furlan warn ...", an author of the passages):
    they say where to look, not what to look for — every sentence of Marta Furlan's article
    is hers, and the one that names her is her biography. Only the user's own words are
    read: a follow-up's context names who "she" is ("what did she study?"). Unchanged when
    too little would be left ("Who is Marta Furlan?")."""
    own, sep, context = question.partition(CONTEXT)
    if asks_author(own):
        return question  # the document is what is asked about ("Who wrote the MENA paper?")
    names = document_names(own) + named_authors(own, passages)
    if not names:
        return question
    left = own
    for name in sorted(set(names), key=len, reverse=True):
        left = re.sub(rf"{re.escape(name)}(?:['’]s)?", " ", left, flags=re.IGNORECASE)
    left = " ".join(left.split())
    return left + sep + context if len(terms(left)) >= 2 else question


def rank_evidence(
    question: str,
    passages: list[Passage],
    score: ScoreFn | None = None,
    read: bool = False,
    mates: bool = False,
) -> list[Evidence]:
    """All passage sentences, best first. ``score(question, sentences)`` gives the dense part
    of the score; without it sentences are ranked by terms alone. Words naming the document
    (``unnamed``) do not count.

    ``read``: a sentence that leans on the one before it scores as well as the two read
    together (``readings``) when that is better — its pronoun's referent is there. Claims
    are ranked so; a factoid's offered sentences are not: on the dev split it changed no
    factoid, and it offered the model ~15% longer sentences (the one leaned on comes along),
    a slower first token.

    ``mates``: a question's word the sentences never use counts as their word of its stem
    (``rag.retrieval.scoring.idf_weights``) — for whether the passages are about the
    question at all (``rag.answer.pipeline.off_topic``), not for which sentence answers it."""
    found = candidates(passages)
    if not found:
        return []
    question = unnamed(question, passages)
    words = looked_for(question)
    texts = [c.text for c in found]
    lexical = lexical_scores(words, texts, mates=mates)
    dense = score(question, texts) if score is not None else [0.0] * len(texts)
    scores = [sentence_score(d, lex) for d, lex in zip(dense, lexical, strict=True)]
    if read:
        reading = as_read(passages)
        as_texts = [reading.get(t, t) for t in texts]
        leaning = [i for i, (t, r) in enumerate(zip(texts, as_texts, strict=True)) if r != t]
        lexical = lexical_scores(words, texts, as_texts)  # the IDF still the sentences'
        dense_read = [0.0] * len(leaning)
        if score is not None and leaning:
            dense_read = score(question, [as_texts[i] for i in leaning])
        for i, d in zip(leaning, dense_read, strict=True):
            whole = round(TUNING.reading_weight * sentence_score(d, lexical[i]), 4)
            scores[i] = max(scores[i], whole)
    scored = [Evidence(c.passage_id, c.text, v) for c, v in zip(found, scores, strict=True)]
    return sorted(scored, key=lambda e: -e.score)


def rank_for_follow_up(
    question: str, passages: list[Passage], score: ScoreFn | None = None, read: bool = False
) -> list[Evidence]:
    """``rank_evidence``; for a follow-up (a question with its context attached) each
    sentence's score is mixed with its score for the follow-up's own words, which weigh
    ``TUNING.follow_up_own_weight``: they say what is asked, the context only about what, and
    its names would otherwise drown them ("who attended?" after "when was he
    inaugurated?")."""
    ranked = rank_evidence(question, passages, score, read)
    asked = own_words(question)
    if asked == question:
        return ranked
    w = TUNING.follow_up_own_weight
    mine = {e.text: e.score for e in rank_evidence(asked, passages, score, read)}
    mixed = [
        Evidence(e.passage_id, e.text, round((1 - w) * e.score + w * mine.get(e.text, 0.0), 4))
        for e in ranked
    ]
    return sorted(mixed, key=lambda e: -e.score)


def as_read(passages: list[Passage]) -> dict[str, str]:
    """Each sentence of the passages → its reading (``rag.text.sentences.readings``), as read
    in the first passage that holds it (the one ``candidates`` keeps)."""
    out: dict[str, str] = {}
    for p in passages:
        leaning = leaning_readings(p.text)
        for sentence in sentences_of(p.text):
            out.setdefault(sentence, leaning.get(sentence, sentence))
    return out


def passage_sentences(p: Passage) -> list[str]:
    """The passage's sentences in order, without those addressed to the assistant."""
    return [s for s in split_sentences(p.text) if not addresses_the_assistant(s)]


def neighbours(e: Evidence, passages: list[Passage]) -> tuple[str | None, str | None]:
    """The sentences just before and after the one ``e.text`` ends with, in its passage."""
    for p in passages:
        if p.id != e.passage_id:
            continue
        sentences = passage_sentences(p)
        for i, sentence in enumerate(sentences):
            if e.text.endswith(sentence):
                before = sentences[i - 1] if i > 0 else None
                after = sentences[i + 1] if i + 1 < len(sentences) else None
                return before, after
    return None, None


def with_context(evidence: Evidence, passages: list[Passage]) -> Evidence:
    """The sentence plus the one before it when it opens leaning on it (a pronoun or
    connector) — unless that one is a heading or a question, which a claim cannot lean on.
    A demonstrative further in ("Before this meeting, ...") only counts towards its score
    (``readings``): its context is not offered, which would lengthen the model's prompt."""
    if not leans_back(evidence.text, pointing=False):
        return evidence
    before, _ = neighbours(evidence, passages)
    if before is None or not is_statement(before):
        return evidence
    text = f"{before} {evidence.text}"
    return Evidence(evidence.passage_id, text, evidence.score, evidence.byline)


def widened(
    e: Evidence, passages: list[Passage], kind: AnswerType, asked: frozenset[str] = frozenset()
) -> Evidence:
    """The sentence with its neighbour (before, else after) that holds the asked-for kind —
    and, given the question's stems (``asked``), one of them: a neighbour about something
    else holds its own date ("On 11 December 2024, Khamenei asserted ..." before "... after a
    less-than two-week offensive led by HTS" answered "when did the hts offensive start")."""
    before, after = neighbours(e, passages)

    def fits(s: str | None) -> bool:
        return s is not None and has_type(s, kind) and (not asked or bool(asked & stems(s)))

    if before is not None and fits(before) and before not in e.text:
        return Evidence(e.passage_id, f"{before} {e.text}", e.score, widened=True)
    if fits(after):
        return Evidence(e.passage_id, f"{e.text} {after}", e.score, widened=True)
    return e


def naming_only(ranked: list[Evidence], question: str) -> list[Evidence]:
    """A follow-up that shifts the focus ("what about the northeast?" after "who controls
    northwest Syria?") is answered by a sentence naming what it shifts to: only those are
    offered when there are any (the context attached to the question ranks the last answer's
    sentences higher, and the small model reads its answer there). What it shifts to is its
    own words that the context it was asked in does not hold (``shifted_to``). Only for a
    short shift (two terms at most): a longer one ranks well on its own."""
    new = shifted_to(question)
    if not 0 < len(stems(new)) <= 2:
        return ranked
    naming = [e for e in ranked if holds(e.text, new)]
    return naming or ranked


def shifted_to(question: str) -> str:
    """A follow-up's own words that the context attached to it does not hold: what it
    shifts to. "and what about turkeys trade w syria" after "how much does syria owe iran"
    shifts to Turkey's trade, not to Syria (the $244 million of Iran's exports to Syria had
    answered it). The follow-up's own words when it has no context or shifts to nothing
    new."""
    own, _, context = question.partition(CONTEXT)
    before = stems(context)
    words = [w for w in own.split() if stems(w) and not stems(w) <= before]
    return " ".join(words) if context and words else own


def overlap(a: str, b: str) -> float:
    """Share of the shorter sentence's content words that the other one holds (0..1)."""
    wa, wb = support_terms(a), support_terms(b)
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / min(len(wa), len(wb))


_NAME = re.compile(r"\b[A-Z][\w’'-]+")


def told_aside(sentence: str, kind: AnswerType, asked: frozenset[str]) -> bool:
    """Whether the sentence names what the question asks about (``asked``: its stems) only
    in a clause of contrast holding no value of the asked-for ``kind`` (``contrast_split``):
    "How much money does Syria owe Russia?" is not answered by "... the $30 billion owed to
    Iran, while it has steadily settled its debts with Russia" — the amount is Iran's."""
    rest, aside = contrast_split(sentence)
    held = stems(rest)
    return any(
        (stems(" ".join(_NAME.findall(clause))) & asked) - held and not has_type(clause, kind)
        for clause in aside
    )


def states_nothing(text: str) -> bool:
    """A question ("... What Was on the Table?") or a heading ("Iranian Guardianship Over
    Damascus", which had answered "who went to damascus after pezeshkian was elected"): a
    line in title case not ending as a statement does. Not a sentence cut short by its
    chunk's end, nor one ending in a reference mark ("... steam turbine.[citation needed]")."""
    end = text.rstrip(" ”\"’')]")
    return end.endswith("?") or (not end.endswith((".", "!")) and in_title_case(text))


# "refugee returns from Lebanon", "talks held in Ankara": a name placing the value asked for
_PLACED = re.compile(r"\b(?:from|in|into|to|toward|towards|at)\s+([A-Za-z][\w’'-]*)", re.IGNORECASE)


def placed_names(question: str, passages: list[Passage]) -> set[str]:
    """The names the question places the value it asks for by: a word after "from", "in",
    "to" or "at" that is written as a name — capitalised in most of the passages' uses of it,
    or, when they never use it, in the question or as English rarely writes a common word
    (``rare_in_english``: "lebanon", not "total" of "in total"). "By what percentage did
    refugee returns from Lebanon to Syria increase": Lebanon, Syria."""
    found: set[str] = set()
    text = " ".join(p.text for p in passages)
    for m in _PLACED.finditer(question):
        word = owner(m.group(1))
        if word.lower() in STOP_WORDS or len(word) < 3:
            continue
        uses = re.findall(rf"\b{re.escape(word)}\b", text, re.IGNORECASE)
        capitalised = sum(u[0].isupper() for u in uses)
        if (uses and 2 * capitalised > len(uses)) or (
            not uses and (word[0].isupper() or rare_in_english(word.lower()))
        ):
            found.add(word)
    return found


def rare_in_english(word: str) -> bool:
    """Whether English text rarely writes ``word`` in lower case (pyspellchecker's counts:
    "lebanon" 53, "jordan" 1,531, "july" 610; "exile" 4,831, "total" 86,947)."""
    return int(english().word_frequency[word]) < _NAME_FREQUENCY


_NAME_FREQUENCY = 2000


def places_held(e: Evidence, passages: list[Passage], names: set[str]) -> bool:
    """Whether the sentence, or one next to it, holds each of the ``names`` the value is
    placed by: "a 63% increase" of refugee returns from Jordan (told in the sentence before)
    is no answer about returns from Lebanon."""
    if not names:
        return True
    before, after = neighbours(e, passages)
    near = stems(" ".join(t for t in (before, e.text, after) if t))
    return all(stems(name) <= near for name in names)


def plan(question: str, passages: list[Passage], score: ScoreFn | None) -> Plan:
    """Candidate sentences for the answer, best first (see the module docstring)."""
    own = own_words(question)
    # A follow-up asks for its own kind of value ("who attended?" after "when was he
    # inaugurated?"); one without a question word of its own keeps the last one's ("and Iraq?").
    kind = expected_type(own) if asks_itself(own) else expected_type(question)
    ranked = [with_context(e, passages) for e in rank_evidence(question, passages, score)]
    if own != question and shifts_focus(own):
        ranked = naming_only(ranked, question)  # the floor below is then the first naming one's
    # A follow-up is searched with the last exchange as its context: the sentence that gave
    # the last answer scores high on that alone, and must not set the floor that a value
    # asked for now has to reach ("how much did that cost" after "why did iran back assad").
    told = split_sentences(question.partition(CONTEXT)[2])
    fresh = [e for e in ranked if all(overlap(e.text, t) < TUNING.claim_overlap for t in told)]
    best = (fresh or ranked)[0].score if ranked else 0.0
    if asks_author(own):
        ranked = bylines(passages) + ranked  # authorship lives in metadata, not body text
    if asks_published(own):
        ranked = dateline(passages) + ranked  # so does the date of the text
    subject = described(own) if kind == "any" else None
    if subject:
        # "who is mekdad": a sentence introducing them by a role ("... Syrian Foreign Minister
        # Faisal Mekdad ...") describes them; one only naming them ("The discussions between
        # Khaji and Mekdad ...") does not. Each kind keeps its order.
        # "who is syria's prime minister": one introducing someone by that role ("Syrian
        # Prime Minister Hussein Arnous ...") names them
        ranked = sorted(
            ranked,
            key=lambda e: not (introduces(e.text, subject) or introduced_as(e.text, subject)),
        )
    typed: list[Evidence] = []
    floor = TUNING.typed_floor * best if kind != "any" else float("-inf")
    asked = frozenset(stems(question))
    # A value told aside is no answer to a question asking for it (``told_aside``); a
    # follow-up keeping the last question's kind ("and Russia?" after "how much does Syria
    # owe Iran?") is answered by what the sentence says of Russia, amount or not.
    own_kind = asks_itself(own)
    # a value placed by a name ("returns from Lebanon") is told next to it
    placed = placed_names(own, passages) if kind != "any" else set()
    # "how many foreign delegations came to pezeshkian's inauguration": "Over 50 foreign
    # delegations arrived ... to attend the inauguration ceremony" tells the count of what is
    # asked, of something else the question names, however much better a sentence without
    # it scores ("over how many yrs": not "... over the past eight years" of another story)
    plural = counted(own) if kind == "count" else None
    # (a word of four letters or more: "st" of "at St Augustine" is no sign the sentence is
    # about it — SQuAD's Huguenots killed "in Paris" were offered)
    rest = {w for w in stems(own) - stems(plural) if len(w) >= 4} if plural else set()

    def tells_count(e: Evidence) -> bool:
        return bool(plural and counts_told(e.text, plural) and rest & stems(e.text))

    for e in ranked:
        if e.score < floor and not e.byline and not tells_count(e):
            continue  # a value of the right kind, but in a sentence about something else
        if not e.byline and states_nothing(e.text):
            continue
        if not has_type(e.text, kind) and not tells_count(e):
            # the date is often in the sentence before or after
            e = widened(e, passages, kind, asked)
        aside = own_kind and told_aside(e.text, kind, asked)
        # a share of what is counted answers too ("nearly all of its proxies")
        typed_value = has_type(e.text, kind) or tells_count(e)
        fits = typed_value and not aside and places_held(e, passages, placed)
        if fits and all(e.text != t.text for t in typed):
            typed.append(e)
    return Plan(question, kind, typed[: TUNING.offered])
