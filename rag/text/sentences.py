"""Sentences: the one sentence splitter (answer evidence, retrieval scores, the UI highlight
and the eval metrics all use it; llama-index's splitter only sizes chunks at ingest).

A sentence ends at . ! or ? — perhaps closed by quotes or a bracket — before a capital, a
digit, an opening quote or a bracket; a blank line always ends one. A full stop after a title
or other common abbreviation ("Dr.", "St.", "Gen.") or after an initial ("J.", "U.S.") does
not end one: "the University of St. Andrews" is one sentence, not "the University of St".
"""

from __future__ import annotations

import re
from functools import lru_cache

from rag.text.injection import addresses_the_assistant
from rag.text.words import STOP_WORDS, squash
from rag.tuning import TUNING

# A sentence ends at . ! or ? (and its closing quotes) before a capital, a digit or an
# opening quote — or before a dash that opens the next one (a dateline or photo credit:
# "Photo: SANA / Handout via Reuters. – Syrian President Bashar al-Assad visited ...").
_SENTENCE_END = re.compile(r"(?<=[.!?])([\"”’)]*)\s+(?:[–—]\s+)?(?=[A-Z0-9“\"(])")
_PARAGRAPH = re.compile(r"\n\s*\n")
# Words that a full stop follows without ending the sentence (titles, ranks, months, ...).
_ABBREVIATED = """Mr Mrs Ms Dr Prof St Sr Jr Gen Lt Col Capt Sgt Maj Adm Cmdr Gov Sen Rep Rev Hon
Pres Amb Mt Ft Ave Inc Ltd Co Corp Bros Dept Univ Assn Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct
Nov Dec vs etc approx ca cf al fig No Nos Vol pp"""
ABBREVIATIONS = frozenset(_ABBREVIATED.split())
_WORD_BEFORE = re.compile(r"([A-Za-z]+)\.$")


def _abbreviation_ends(text: str, stop: int) -> bool:
    """Whether the full stop just before ``stop`` closes an abbreviation or an initial."""
    word = _WORD_BEFORE.search(text, max(0, stop - 12), stop)
    if word is None:
        return False
    token = word.group(1)
    return token in ABBREVIATIONS or (len(token) == 1 and token.isupper())


def _heading_ends(text: str, match: re.Match[str]) -> bool:
    """Whether the full stop ends a heading line in title case, though it closes an
    abbreviation: "Deteriorating Relations with Iran and Improvement with the U.S." and the
    line after it were read as one sentence, a claim opening with the heading."""
    if "\n" not in match.group(0):
        return False
    line = text[text.rfind("\n", 0, match.start()) + 1 : match.start()]
    return in_title_case(line)


def sentence_spans(text: str, closers: bool = True) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence, as offsets into ``text``.

    ``closers``: a closing quote or bracket after the full stop belongs to its sentence (the
    UI highlights it); without, the sentence ends at its full stop.
    """
    spans: list[tuple[int, int]] = []
    breaks = list(_PARAGRAPH.finditer(text))
    starts = [0, *(m.end() for m in breaks)]
    ends = [*(m.start() for m in breaks), len(text)]
    for paragraph_start, paragraph_end in zip(starts, ends, strict=True):
        start = paragraph_start
        for match in _SENTENCE_END.finditer(text, paragraph_start, paragraph_end):
            if _abbreviation_ends(text, match.start()) and not _heading_ends(text, match):
                continue
            spans.append((start, match.end(1) if closers else match.start()))
            start = match.end()
        spans.append((start, paragraph_end))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def split_sentences(text: str, min_words: int = TUNING.min_sentence_words) -> list[str]:
    """The sentences of a passage, whitespace squashed, without fragments of fewer words."""
    out = []
    for start, end in sentence_spans(text, closers=False):
        sentence = squash(text[start:end])
        if len(sentence.split()) >= min_words:
            out.append(sentence)
    return out


def is_statement(text: str) -> bool:
    """A sentence that states something: long enough and ending like a statement (not a
    heading without a full stop or in title case, not a question, not a teaser cut short:
    "Foreign AffairsAfter his recent movements and statements...")."""
    end = text.rstrip(" ”\"’')]")
    cut_short = end.endswith("..")
    return (
        len(text.split()) >= TUNING.min_sentence_words
        and end.endswith((".", "!"))
        and not cut_short
        and not in_title_case(text)  # a heading ending in "U.S.", a name line of a byline
    )


def in_title_case(text: str) -> bool:
    """Whether every word of ``text`` but its stop words begins with a capital letter."""
    words = [w for w in re.findall(r"[^\W\d_][\w’'.-]*", text) if w.lower() not in STOP_WORDS]
    return bool(words) and all(w[0].isupper() for w in words)


# A sentence about the text it stands in, not about the world: an abstract's "This paper
# sheds light on ...", "It also highlights ...", "Additionally, it discusses ..." — in the
# present tense: "The report highlighted that ..." and "It highlighted the risk" report
# what was said or done.
_ABOUT_ITSELF = re.compile(
    r"^(?:(?:Additionally|Also|Moreover|Finally|Furthermore|In addition),?\s+)?"
    r"(?:(?:This|The|Our) (?:paper|article|report|study|analysis|piece|essay|brief)|It)"
    r"\s+(?:also\s+)?(?:sheds light|discusses|highlights|examines|explores|analy[sz]es"
    r"|reviews|outlines|investigates|assesses|focuses)\b",
    re.IGNORECASE,
)


def about_itself(sentence: str) -> bool:
    """Whether the sentence describes its own text ("This paper sheds light on ...") — an
    outline of topics that shares words with many questions and answers none."""
    return bool(_ABOUT_ITSELF.match(sentence))


# A sentence opening like this leans on the one before it ("He added that ...", "This was
# driven by the country's ..."): a pronoun, or a connective drawing on what was just said
# ("Therefore, distancing from Iran is not likely a priority for Assad" follows the reason:
# "Iran has consistently stood by Assad even during the darkest times").
_LEANS_BACK = re.compile(
    r"^(?:He|She|It|They|This|That|These|Those|His|Her|Their|However|But|Also|Additionally"
    r"|In addition|Moreover|Meanwhile|Therefore|Thus|Hence|Consequently|As a result|Instead"
    r"|Nevertheless|Nonetheless|Still|Yet|Accordingly"
    r"|The (?:visit|trip|meeting|move|statement|report))\b"
)


# ... or points back within its first words ("Before this meeting, Assad visited the UAE",
# "Despite this, ...").
_POINTS_BACK = re.compile(r"^(?:\S+\s+){1,2}(?:this|these|those)\b")


def leans_back(sentence: str, pointing: bool = True) -> bool:
    """Whether the sentence leans on the one before it: opens with a pronoun or a
    connector or (``pointing``) has a demonstrative among its first words."""
    return bool(_LEANS_BACK.match(sentence) or (pointing and _POINTS_BACK.match(sentence)))


# A clause of contrast ending the sentence: "... owed to Iran, while it has steadily settled
# its debts with Russia." sets a second fact beside the first. One inside the sentence
# ("Khamenei asserted that, while Turkey played a pivotal role ..., the main conspirators
# were ...") concedes a point within the one claim, and is not split off.
_CONTRAST = re.compile(r",\s+(?:while|whereas)\b[^,;]*$", re.IGNORECASE)


def contrast_split(sentence: str) -> tuple[str, list[str]]:
    """The sentence without the clause of contrast that ends it, and that clause: "Syria has
    done nothing to repay the $30 billion owed to Iran" and ["while it has steadily settled
    its debts with Russia."]."""
    aside = [m.group().lstrip(", ") for m in _CONTRAST.finditer(sentence)]
    return _CONTRAST.sub("", sentence), aside


def readings(sentences: list[str]) -> list[str]:
    """Each of a passage's ``sentences`` (in order) as a reader takes it: with the sentence
    before it when it leans on that one and that one is a statement. "This was driven by the
    country's strategic importance and location ..." is about Syria and Iran only with the
    sentence that names them."""
    return [
        f"{sentences[i - 1]} {s}" if i and leans_back(s) and is_statement(sentences[i - 1]) else s
        for i, s in enumerate(sentences)
    ]


def leaning_readings(text: str) -> dict[str, str]:
    """A passage's sentences that lean on the one before them, each → its reading
    (``readings``). A sentence a document addresses to an AI assistant is left out first: it
    is never evidence, so never context either. Ingest embeds these readings and claims are
    ranked by them, so both take them from here."""
    sentences = [s for s in sentences_of(text) if not addresses_the_assistant(s)]
    return {s: r for s, r in zip(sentences, readings(sentences), strict=True) if r != s}


def answer_sentences(answer: str) -> list[str]:
    """An answer's sentences with their markers (what each one cites), closers kept."""
    text = answer.strip()
    return [text[a:b].strip() for a, b in sentence_spans(text)]


@lru_cache(maxsize=8192)
def sentences_of(text: str) -> tuple[str, ...]:
    """``split_sentences`` of a chunk, remembered: retrieval scores the same candidate chunks'
    sentences question after question (~5 ms a question on the seeds)."""
    return tuple(split_sentences(text))
