"""Reading the model's phrase and composing the answer from it.

- ``clean_phrase`` / ``says_none``: the model's reply as a phrase, or its "none".
- ``locate_phrase``: the phrase must occur in an offered sentence, must not merely repeat the
  question, and must be of the asked-for kind; otherwise there is no answer.
- ``compose``: the phrase with its marker, then the sentence that holds it, verbatim, with its
  marker — a claim the user can check word for word.
"""

from __future__ import annotations

import re

from rag.answer.conversation import own_words
from rag.answer.evidence import Evidence, Plan
from rag.text.markers import MARKER, with_marker
from rag.text.questions import asks_explanation, has_type
from rag.text.sentences import split_sentences
from rag.text.words import phrase_form, phrase_tokens


def clean_phrase(text: str) -> str:
    """The model's phrase without markers, quotes, a label or trailing punctuation."""
    text = MARKER.sub(" ", text)
    text = re.sub(r"^\s*(answer|short answer)\s*:\s*", "", text, flags=re.IGNORECASE)
    return " ".join(text.split()).strip(" \"'“”‘’`*.,;:")


def says_none(text: str) -> bool:
    return bool(re.match(r"^\W*(none|no answer|not (stated|mentioned|given|found))\b", text, re.I))


def locate_phrase(phrase: str, p: Plan) -> Evidence | None:
    """The offered sentence that holds ``phrase``, or None when the phrase is not an answer."""
    words = phrase_tokens(phrase)
    if not phrase or says_none(phrase) or not has_type(phrase, p.kind):
        return None
    if words and words <= phrase_tokens(p.question):
        return None  # it only repeats the question ("Saudi Arabia" for "who did Saudi ...")
    held = [e for e in p.offered if phrase_form(phrase) in phrase_form(e.text)]
    held += [e for e in p.offered if words and words <= phrase_tokens(e.text) and e not in held]
    return held[0] if held else None  # copied exactly first, then with small changes


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
    if phrase and phrase_form(phrase) != phrase_form(chosen.text):
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
