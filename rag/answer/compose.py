"""Reading the model's phrase and composing the answer from it.

- ``clean_phrase`` / ``says_none``: the model's reply as a phrase, or its "none".
- ``locate_phrase``: the phrase must occur in an offered sentence, must not merely repeat the
  question, and must be of the asked-for kind; otherwise there is no answer.
- ``held_span``: a reply the model wrote as a sentence of its own is reduced to the words an
  offered sentence holds.
- ``compose``: the phrase with its marker, then the sentence that holds it, verbatim, with its
  marker — a claim the user can check word for word.
"""

from __future__ import annotations

import re

from rag.answer.conversation import own_words
from rag.answer.evidence import Evidence, Plan
from rag.text.casual import english
from rag.text.markers import MARKER, with_marker
from rag.text.questions import (
    asks_explanation,
    asks_who,
    described,
    has_question_word,
    has_type,
    values_of,
)
from rag.text.sentences import split_sentences
from rag.text.words import (
    FORM_PIECE,
    PHRASE_TOKEN,
    STOP_WORDS,
    phrase_form,
    phrase_tokens,
    stem_words,
)
from rag.tuning import TUNING


def clean_phrase(text: str) -> str:
    """The model's phrase without markers, quotes, a label or trailing punctuation — nor the
    label of a list item ('b) support for the "spirit of resistance"'), nor a quotation mark
    left without its pair (the reply's closing one was trailing punctuation)."""
    text = MARKER.sub(" ", text)
    text = re.sub(r"^\s*(answer|short answer)\s*:\s*", "", text, flags=re.IGNORECASE)
    text = re.sub(r"^\s*(?:\(?[a-h1-9]\)|[-•*])\s+", "", text)
    text = " ".join(text.split()).strip(" \"'“”‘’`*.,;:")
    if text.count('"') % 2 or text.count("“") != text.count("”"):
        text = " ".join(re.sub(r"[\"“”]", " ", text).split())
    return text


def says_none(text: str) -> bool:
    return bool(re.match(r"^\W*(none|no answer|not (stated|mentioned|given|found))\b", text, re.I))


def locate_phrase(phrase: str, p: Plan, echo: str | None = None) -> Evidence | None:
    """The offered sentence that holds ``phrase``, or None when the phrase is not an answer:
    not of the asked-for kind ("20 times more" for "how much trade did turkey have"), or
    one that only repeats the question, or ``echo`` when given (a follow-up's question and
    context, ``rag.answer.conversation.read_context``)."""
    words = phrase_tokens(phrase)
    # a bare number may be an amount's ("30" of "30 billion dollars": ``whole_amount``)
    kind = "number" if p.kind == "money" and re.fullmatch(r"\d[\d.,]*", phrase) else p.kind
    if not phrase or says_none(phrase) or not has_type(phrase, kind):
        return None
    if echoes(phrase, p.question, echo):
        return None
    held = [e for e in p.offered if phrase_form(phrase) in phrase_form(e.text)]
    held += [e for e in p.offered if words and words <= phrase_tokens(e.text) and e not in held]
    return held[0] if held else None  # copied exactly first, then with small changes


def echoes(phrase: str, question: str, echo: str | None = None) -> bool:
    """Whether ``phrase`` names only what the question asks about: it repeats the question
    (or ``echo``, a follow-up's question and context) — "Saudi Arabia" for "who did Saudi
    ..." —, spells out its abbreviation ("Hay'at Tahrir al-Sham" for "which city did HTS
    start from") or is the person a "who" question names (``names_the_asked``)."""
    if offered_choice(phrase, question):
        return False  # "whos closer to assad, iran or russia" → "Iran"
    words = phrase_tokens(phrase)
    if words and words <= phrase_tokens(question if echo is None else echo):
        return True
    return spells_out_the_asked(phrase, question) or names_the_asked(phrase, question)


def offered_choice(phrase: str, question: str) -> bool:
    """Whether ``phrase`` is one of the choices the question offers ("iran or russia"): an
    answer, though the question names it."""
    if not phrase.strip() or says_none(phrase):
        return False
    said = r"\s+".join(re.escape(w) for w in phrase.split())
    choice = rf"(?<![\w’'-]){said},?\s+or\s+\w|\bor\s+{said}(?![\w’'-])"
    return bool(re.search(choice, question, re.IGNORECASE))


def copied_from(phrase: str, text: str) -> bool:
    """Whether ``text`` holds ``phrase`` as written or with small changes, its words within
    a few of each other — not gathered from across the sentence: "Supposed Assad’s
    opponents" of "Turkey, which supported Assad’s opponents, ... its supposed ally" is no
    phrase of it (the sentence answers alone)."""
    if phrase_form(phrase) in phrase_form(text):
        return True
    words = phrase_tokens(phrase)
    tokens = PHRASE_TOKEN.findall(text.lower())
    reach = len(words) + TUNING.phrase_slack
    return any(t in words and words <= set(tokens[i : i + reach]) for i, t in enumerate(tokens))


_ASKS_FULL_NAME = re.compile(r"\b(stands? for|short for|full name|abbreviat\w*|acronym)\b", re.I)


def spells_out_the_asked(phrase: str, question: str) -> bool:
    """Whether ``phrase`` is the full name of an abbreviation the question uses: its
    capitalised words' initials spell a word of the question ("Hay'at Tahrir al-Sham" for
    "hts", "Islamic Revolutionary Guard Corps" for "IRGC"). The small model answers a near
    miss with the name the sentence spells out next to the abbreviation. Not when the
    question asks what the abbreviation is ("what is the IRGC", "what does NFL stand for")."""
    if described(question) or _ASKS_FULL_NAME.search(question):
        return False
    initials = "".join(w[0] for w in re.findall(r"\b[A-Z][\w’'-]*", phrase)).lower()
    return len(initials) >= 2 and initials in {w.lower() for w in re.findall(r"\w+", question)}


def names_the_asked(phrase: str, question: str) -> bool:
    """A "who" question answered by the person it asks about: "who killed zahedi" →
    "Mohammad Reza Zahedi", "who replaced raisi" → "Ebrahim Raisi" (the small model's
    slip: the name it holds is the question's own). Told by the phrase's last word, the
    surname of a name, being a word of the question — or, for a capitalised name, that word
    as typed: "who kiled haniya" → "Ismail Haniyeh" (the same first five letters; not
    "Senior advisor" for "... the adviser who ...", a role). Only for "who", or a question
    typed without a question word and by a name: elsewhere an answer often ends in the
    question's word ("What treaty was enacted in 2004?" → "Lisbon Treaty")."""
    words = re.findall(PHRASE_TOKEN.pattern, phrase, re.IGNORECASE)
    ordered = [t for t in words if t.lower() not in STOP_WORDS]
    asked = own_words(question)
    if not ordered:
        return False
    last, name = ordered[-1].lower(), ordered[-1][0].isupper()
    if not asks_who(asked):
        # a telegraphic question, no question word: "new iranian president after raisi?" →
        # "Ebrahim Raisi", by a name of the question that is no English word ("Treaty")
        return (
            name
            and not has_question_word(asked)
            and last in phrase_tokens(asked)
            and last not in english()
        )
    return any(
        w == last or (name and min(len(w), len(last)) >= 5 and w[:5] == last[:5])
        for w in phrase_tokens(question)
    )


def held_span(phrase: str, p: Plan) -> tuple[str, Evidence] | None:
    """The words of a reply that an offered sentence holds, when the model answered in
    words of its own: "Khaji met Syrian Foreign Minister Faisal Mekdad in Damascus." for
    "who did khaji meet in damascus" is nowhere word for word ("a meeting between Khaji and
    Syrian Foreign Minister Faisal Mekdad in Damascus"), so ``locate_phrase`` finds nothing.

    Of the runs of the reply's words (as stems: "foreign citizens" meets "foreign citizen")
    that an offered sentence holds, less the question's words and stop words at their ends,
    the one holding most of what the reply adds to the question is the phrase ("Syrian
    Foreign Minister Faisal Mekdad"), taken from the sentence as written — if it holds
    ``TUNING.span_cover`` of the words the reply adds (the rest of a right reply restates
    the question, "met"; a reply about something else shares a word or two) and every
    number of the reply. Only for a question asking for no particular kind of value: a
    number or date must be copied as written ("$245 million" is not "$244 million"), and a
    typed question whose phrase is miscopied is answered by its best sentence already. None
    for a "none", or for the full name of the question's abbreviation
    (``spells_out_the_asked``), or when no sentence holds enough; for a "who" question, no
    run cut short of a word of the question ("Ebrahim" of "Ebrahim Raisi" for "who replaced
    raisi", ``names_the_asked``)."""
    asked = set(stem_words(sorted(phrase_tokens(p.question))))
    said = stem_words(PHRASE_TOKEN.findall(phrase.lower()))
    added = {t for t in said if t not in asked and t not in STOP_WORDS}
    values = {t for t in added if any(ch.isdigit() for ch in t)}
    who = asks_who(own_words(p.question))
    if p.kind != "any" or says_none(phrase) or not added:
        return None  # a value of the asked-for kind must be copied (``locate_phrase``)
    if spells_out_the_asked(phrase, p.question):
        return None  # no part of the asked-for name answers ("Tahrir al-Sham", "who heads hts")
    best: tuple[int, str, Evidence] | None = None
    for e in p.offered:
        spans = [(m.start(), m.end()) for m in PHRASE_TOKEN.finditer(e.text.lower())]
        held = stem_words([e.text.lower()[a:b] for a, b in spans])
        for j, n in _common_runs(said, held):
            i, k = j, j + n
            while i < k and (held[i] in asked or held[i] in STOP_WORDS):
                i += 1
            while k > i and (held[k - 1] in asked or held[k - 1] in STOP_WORDS):
                k -= 1
            if who and k < j + n and held[k] in asked:
                continue  # cut from a name of the question's ("Ebrahim [Raisi]")
            covered = set(held[i:k]) & added
            if i == k or len(covered) < TUNING.span_cover * len(added) or values - covered:
                continue  # too little of the reply, or a number of it miscopied
            span = e.text[spans[i][0] : spans[k - 1][1]]
            if who and names_the_asked(span, p.question):
                continue  # the person asked about, as typed ("haniya": "Ismail Haniyeh")
            if spells_out_the_asked(span, p.question):
                continue  # the name of the question's own abbreviation
            if best is None or len(covered) > best[0]:
                best = (len(covered), span, e)
    return (best[1], best[2]) if best else None


# A bare number the model copied out of an amount or a range: "30" of "between 20 and 30
# billion dollars" says less than the sentence, and something else.
_AMOUNT = re.compile(
    r"(?:(?:between|from)\s+[$€£]?(?P<a>\d[\d.,]*)\s+(?:and|to)\s+|[$€£])?"
    r"(?P<n>\d[\d.,]*)"
    r"(?:\s+(?:thousand|million|billion|trillion))?(?:\s+(?:dollars|euros|pounds|percent))?",
    re.IGNORECASE,
)


def whole_amount(phrase: str, sentence: str) -> str:
    """``phrase`` — when it is a bare number, or one with its scale, that the sentence writes
    as part of an amount or a range — as the sentence writes it all: "30" → "between 20 and
    30 billion dollars", "244 million" → "$244 million" (the model copied the one of a
    casual question without its dollar sign)."""
    bare = re.fullmatch(
        r"(?P<n>\d[\d.,]*)(?:\s+(?:thousand|million|billion|trillion))?", phrase.strip(), re.I
    )
    if bare is None:
        return phrase
    for m in _AMOUNT.finditer(sentence):
        if bare.group("n") in (m.group("n"), m.group("a")) and (
            phrase.strip().lower() in m.group(0).lower()
        ):
            return m.group(0)
    return phrase


def whole_date(phrase: str, sentence: str) -> str:
    """``phrase`` — a day of a month that the sentence writes with its year — with the year:
    "May 30" → "May 30, 2022" (the model's answer to "when was the algemeiner piece
    published"), "8 December" → "8 December 2024"."""
    day = phrase.strip(" ,.")
    if not re.search(r"\d", day):
        return phrase  # "May": a month asked for, not a day
    return next(
        (
            v
            for v in values_of(sentence, "date")
            if len(v) > len(day) and v.lower().startswith(day.lower())
        ),
        phrase,
    )


def as_written(phrase: str, sentence: str) -> str:
    """``phrase`` as the sentence writes it, when the model left out a word or two between
    its words: "Dublin, Cork, Youghal, Waterford" → "Dublin, Cork, Youghal and Waterford",
    "best, worst, average" → "best, worst and average". The phrase's words must come in its
    order, the first and last where the span starts and ends, and the ones left out must be
    stop words, at most ``TUNING.written_gap`` of them: "Papin" is not widened, nor a phrase
    of words from here and there. Otherwise the phrase as it was."""
    wanted = [w.lower() for w in FORM_PIECE.findall(phrase)]
    if not wanted or phrase_form(phrase) in phrase_form(sentence):
        return phrase
    found = list(FORM_PIECE.finditer(sentence))
    words = [m.group(0).lower() for m in found]
    for start in (i for i, w in enumerate(words) if w == wanted[0]):
        j, skipped = start + 1, 0
        for w in wanted[1:]:
            while j < len(words) and words[j] != w and words[j] in STOP_WORDS:
                j, skipped = j + 1, skipped + 1
            if j == len(words) or words[j] != w:
                break
            j += 1
        else:
            if 0 < skipped <= TUNING.written_gap:
                return sentence[found[start].start() : found[j - 1].end()]
    return phrase


def _common_runs(a: list[str], b: list[str]) -> list[tuple[int, int]]:
    """The runs of tokens of ``b`` that ``a`` also holds, none part of a longer one: (start
    in ``b``, length)."""
    runs = []
    previous = [0] * (len(b) + 1)
    for i, x in enumerate(a, 1):
        row = [0] * (len(b) + 1)
        for j, y in enumerate(b, 1):
            if x == y:
                row[j] = previous[j - 1] + 1
                if i == len(a) or j == len(b) or a[i] != b[j]:
                    runs.append((j - row[j], row[j]))
        previous = row
    return runs


def capitalised(phrase: str) -> str:
    """The phrase with a capital first letter, as the answer's first word — unless its first
    word is written as it must be: a link ("http://…"), a handle or "iPhone"."""
    first = phrase.split(maxsplit=1)[0]
    if not first.isalpha() or any(ch.isupper() for ch in first[1:]):
        return phrase
    return f"{phrase[0].upper()}{phrase[1:]}"


def shares_sentence(a: str, b: str) -> bool:
    """Whether one of the texts holds a sentence of the other."""
    return any(x in b for x in split_sentences(a)) or any(x in a for x in split_sentences(b))


def compose(phrase: str | None, chosen: Evidence, p: Plan) -> str:
    """``Phrase [n]. Sentence [n].`` — or just the sentence when there is no phrase. An
    explanation question ("why ...", "... and ...") also gets the next offered sentence."""
    parts = []
    # (not a clause the sentence opens with: "Khaji criticized Western countries for their
    # stance on this matter [1]. Khaji criticized Western countries for their stance on this
    # matter and called for ..." said it twice)
    opens = phrase_form(chosen.text).startswith(phrase_form(phrase or ""))
    clause = len(phrase_tokens(phrase or "")) >= TUNING.clause_words
    if phrase and phrase_form(phrase) != phrase_form(chosen.text) and not (opens and clause):
        parts.append(f"{capitalised(phrase)} [{chosen.passage_id}].")
    parts.append(with_marker(chosen.text, chosen.passage_id))
    if asks_explanation(own_words(p.question)):  # not the words of a follow-up's context
        # None sharing a sentence with the chosen one: a widened sentence holds its
        # neighbour, a sentence offered with the one before it holds that one.
        extra = next(
            (e for e in p.offered if not shares_sentence(e.text, chosen.text) and not e.byline),
            None,
        )
        if extra is not None:
            parts.append(with_marker(extra.text, extra.passage_id))
    return " ".join(parts)
