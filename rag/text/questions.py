"""Question analysis: what a question asks for, read from its wording (no model call).

- ``expected_type`` / ``has_type``: a "how many" question needs a number in its answer, a
  "when" question a date. Unanswerable questions are often near misses (the topic is in the
  documents, the asked-for fact is not); the best sentence about the topic then lacks the
  asked-for kind of value, which this catches without asking the model.
- ``asks_why`` / ``asks_explanation`` / ``asks_author``: the shape the answer should take.
- ``answer_shape``: a short answer for a factoid; several claims for an explanation, a list,
  a comparison; a document's central points for a summary. ``lists_abstract``: a list of
  things without names ("what signs ...", "what problems ..."), answered by its sentences
  alone — the model is asked for no phrase to copy.
- ``question_parts``: a multi-part question ("which ..., and what ...?") split into the
  questions it asks, each answered (or said to be missing) on its own; a claim reported
  before the question ("lund says ... — does the mena paper agree", ``premise``) is a part.
- ``compares_at_length``: "how does X compare with Y", answered by its sentences (no phrase
  to copy), unlike a comparison asking for a value.
- ``document_names``: the way a question names the document it asks about ("according to
  the MENA Research Center paper", "Marta Furlan's article", a quoted title).
- ``is_follow_up``: the question leans on the conversation (a pronoun, "and ...", "what about
  ...", or too few words of its own).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from rag.text.words import STOP_WORDS, stems, terms

AnswerType = Literal["number", "count", "change", "money", "times", "percent", "date", "any"]
"""The kind of value a question asks for: "times" is how many times something happened,
which a count or an ordinal tells ("his second trip to Tehran"); "money" an amount of it
("how much did iran spend", "how much trade did turkey have with syria"); "count" how many
of something there are, which no amount of money tells ("how many iranian troops were in
syria" is not answered by "$2 billion in trade"); "change" how much something rose or fell,
which a percentage may tell ("a 63% increase")."""
Shape = Literal["fact", "explain", "list", "compare", "summary"]

# "May" and "March" only capitalised: "the regime may have leaked ..." holds no date (a
# sentence without one was offered to "what date was zahedi killed", and answered it).
_MONTHS = (
    "january|february|april|june|july|august|september|october|november|december"
    "|jan|feb|apr|jun|jul|aug|sep|sept|oct|nov|dec|(?-i:May|March|Mar)"
)
_DATE = re.compile(
    rf"\b(?:{_MONTHS})\b|\bmay\s+\d{{1,2}}\b|\b\d{{1,2}}\s+may\b"
    r"|\b(?:1[89]|20)\d\d\b|\b(?:spring|summer|autumn|fall|winter) of\b"
    r"|\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b"
    r"|\b(?:yesterday|today|last (?:week|month|year))\b",
    re.IGNORECASE,
)
_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
    "|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty"
    "|ninety|hundred|hundreds|thousand|thousands|million|millions|billion|billions|dozen|dozens"
)
_PERCENT = re.compile(r"\d+(?:[.,]\d+)?\s*(?:%|per ?cent\b)", re.IGNORECASE)
_NUMBER = re.compile(rf"\d|\b(?:{_NUMBER_WORDS})\b", re.IGNORECASE)
# "how many times has he visited": "his second trip", "visited twice".
_ORDINAL_WORDS = (
    "once|twice|thrice|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth"
    "|\\d+(?:st|nd|rd|th)"
)
_TIMES = re.compile(rf"\b(?:{_ORDINAL_WORDS})\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
# An amount of money: "$2 billion", "30 billion dollars", "€5m" — not "20 times more".
_CURRENCIES = r"dollars?|euros?|pounds?|rials?|tomans?|lira|yuan|yen|rubles?|roubles?"
_MONEY = re.compile(
    r"[$€£¥]\s?\d|\d[\d,.]*\s*(?:m|bn)\b"
    rf"|\b(?:{_CURRENCIES})\b"
    r"|\b(?:million|billion|trillion)s?\b",
    re.IGNORECASE,
)
# An amount of money with its number: "$2 billion", "between 20 and 30 billion dollars".
_AMOUNT_OF_MONEY = re.compile(
    r"(?:[$€£¥]?\d[\d,.]*\s+(?:and|to|or|-|–)\s+)?"  # a range: "between 20 and 30 ..."
    r"(?:[$€£¥]\s?\d[\d,.]*(?:\s*(?:thousand|million|billion|trillion|m|bn)\b)?"
    rf"|\d[\d,.]*(?:\s+(?:thousand|million|billion|trillion))?\s+(?:{_CURRENCIES})\b)",
    re.IGNORECASE,
)
_MULTIPLE = re.compile(
    rf"\b(?:\d[\d,.]*|{_NUMBER_WORDS})\s+times\s+(?:more|less|fewer|as|over|higher|larger|greater"
    r"|bigger|smaller|lower)\b",
    re.IGNORECASE,
)
# "how much did refugee returns go up", "by how much did trade fall": a rise or a fall
_ASKS_CHANGE = re.compile(
    r"\bhow much\b.*\b(?:go(?:es)? up|went up|gone up|go(?:es)? down|went down|gone down"
    r"|rise|rises|rose|risen|increase[sd]?|grow|grows|grew|grown|jump(?:s|ed)?|climb(?:s|ed)?"
    r"|fall|falls|fell|fallen|drop(?:s|ped)?|decline[sd]?|decrease[sd]?|shr[iau]nk|shrinks)\b"
)
# "how much did iran spend", "how much trade", "how much is the debt worth": money asked.
_ASKS_MONEY = re.compile(
    r"\bhow much\b(?:\s+(?:money|cash|funding|funds|aid|debt|trade|investment|revenue)\b"
    r"|.*\b(?:spen[dt]|cost|costs|owe[sd]?|pa(?:y|id)|invest(?:ed)?|earn(?:ed)?|lend|lent"
    r"|borrow(?:ed)?|worth|budget)\b"
    r"|.*\b(?:did|does|do|has|have|had)\b.*\b(?:export|import)\b)"
    # typed telegraphically, the question last: "turkeys trade w syria in 2023 how much"
    r"|\b(?:money|cash|funding|funds|aid|debt|debts|trade|investments?|revenue|exports?"
    r"|imports?|budget|spending)\b.*\bhow much\W*$",
    re.IGNORECASE,
)

_ASKS_AUTHOR = re.compile(r"\b(wrote|written|writer|author|authored|byline)\b", re.IGNORECASE)
# "why ...", "how did ...", also after a lead-in: "and how did assad respond", "so why ..."
_ASKS_WHY = re.compile(
    r"^\s*(?:(?:so|and|but|ok|okay|then|well)\s+)?(why|how(?! (many|much|long|old|far)))\b", re.I
)
_ASKS_EXPLANATION = re.compile(_ASKS_WHY.pattern + r"|\band\b", re.I)
# "What about Turkey?", "and imports?": the same question again about something else.
_SHIFT = r"(?:(?:what|how) about|and|but|also)"
# The personal pronouns a question leans on what came before with.
_PERSONAL = r"he|she|it|they|him|her|them|his|hers|its|their|theirs"
_LEANS_ON_HISTORY = re.compile(
    rf"\b({_PERSONAL}|this|that|these|those|there"
    rf"|then|the same|the former|the latter)\b|^\s*(?:so|{_SHIFT})\b"
    # a reply to what was said: "what did assad say back?", "how did iran respond?"
    r"|\b(back|in (response|return|reply)|respond(ed|s)?|repl(y|ied|ies)|react(ed|s)?"
    r"|afterwards?|after that|before that|next|too|as well|again|instead)\W*$",
    re.IGNORECASE,
)
# "what did israel do after that?", "what happened next?", "and then?": what followed the
# event the last answer told (``rag.answer.claims.sequel_claims``). Not "before that": "when
# did he visit before that?" asks for an earlier event of the same kind, not the sentence
# before.
_SEQUEL = re.compile(
    r"\b(after (that|this|it|then)|afterwards?|since then|and then|then what|what then"
    r"|subsequently)\b|\bnext\W*$",
    re.IGNORECASE,
)
# The words of a sequel question that ask only what followed, not about what or whom.
_SEQUEL_WORDS = re.compile(
    _SEQUEL.pattern + r"|\b(happen(s|ed)?|come|came|occur(s|red)?|follow(s|ed)?|do|did|go|went)\b",
    re.IGNORECASE,
)


def asks_sequel(question: str) -> bool:
    """ "What did Israel do after that?": the question asks what followed the last answer."""
    return bool(_SEQUEL.search(question))


def sequel_topic(question: str) -> str:
    """A sequel question's words about what or whom it asks ("what did israel do after
    that?" → "israel"; "what happened next?" → "")."""
    return " ".join(terms(_SEQUEL_WORDS.sub(" ", question)))


def expected_type(question: str) -> AnswerType:
    """The kind of value the question asks for ("any" when it does not say)."""
    q = " ".join(question.lower().split()).rstrip(" ?.!")
    if re.search(r"\bwhen$", q):
        return "date"  # telegraphic: "assad manama summit when"
    if re.search(
        r"\b(what|which) (percentage|percent)\b|\bby what percent|\bhow much .*(\bpercent|%)"
        r"|\bwhat ?%",  # "by what % did refugee returns go up" (it was "any")
        q,
    ):
        return "percent"
    if re.search(r"\bhow many (?:times\b(?! (?:more|less|as|over)\b)|visits|trips|occasions)", q):
        return "times"  # not "how many times more ...": a multiple
    if _ASKS_CHANGE.search(q):
        return "change"
    if _ASKS_MONEY.search(q):
        return "money"
    if re.search(rf"\bhow many\b(?!\s+(?:{_CURRENCIES}|times)\b)", q):
        return "count"
    if re.search(
        r"\bhow (many|much)\b|\b(total|what|the) number of\b"
        r"|\bwhat(?: is| was|['’]?s) (?:the )?(?:total )?population\b",  # a count of people
        q,
    ):
        return "number"
    if re.search(
        r"^(when|since when)\b|\b(what|which|exact) (date|day|year|month)\b"
        r"|\bwhen (did|was|were|is|will|does|do)\b",
        q,
    ):  # telegraphic too: "uae restored ties with damascus what year", "... exact day"
        return "date"
    return "any"


def has_type(text: str, kind: AnswerType) -> bool:
    """Whether ``text`` holds a value of the asked-for kind."""
    if kind == "percent":
        return bool(_PERCENT.search(text))
    if kind == "number":
        # A count or amount: a number that is not only a percentage or a year.
        return bool(_NUMBER.search(_YEAR.sub(" ", _PERCENT.sub(" ", text))))
    if kind == "money":
        return has_type(text, "number") and bool(_MONEY.search(text))
    if kind == "count":
        # not an amount of money, nor a multiple ("20 times more than ...")
        return has_type(_MULTIPLE.sub(" ", _AMOUNT_OF_MONEY.sub(" ", text)), "number")
    if kind == "change":
        return has_type(text, "number") or has_type(text, "percent")
    if kind == "date":
        return bool(_DATE.search(text))
    if kind == "times":
        # how often something happened: a count, or an ordinal ("his second trip")
        return has_type(text, "number") or bool(_TIMES.search(text))
    return True


# Whose or which of a plural: "of its proxies", "half the delegations", "of the group's"
_DETERMINER = r"the|its|their|his|her|these|those"
_POSSESSED = r"[\w-]+['’]s"
# "how many foreign delegations came ...": what is counted, a plural after "how many" with
# up to two words before it ("how many of its proxies": "proxies", not "of its")
_HOW_MANY_OF = re.compile(
    rf"\bhow many\s+(?:of\s+(?:(?:{_DETERMINER})\s+)?(?:{_POSSESSED}\s+)?(?:own\s+)?)?"
    r"((?:[a-z][\w’'-]*\s+){0,2}?[a-z][\w’'-]*s)\b",
    re.IGNORECASE,
)
_SPANS_OF_TIME = re.compile(r"\b(?:years|yrs|months|weeks|days|hours|decades)$", re.IGNORECASE)


def counted(question: str) -> str | None:
    """The plural a "how many" question counts ("foreign delegations"), if it names one."""
    m = _HOW_MANY_OF.search(question)
    if not m or expected_type(question) != "count" or _SPANS_OF_TIME.search(m.group(1)):
        return None  # "over how many years": a span of time, told in many ways
    last = m.group(1).split()[-1].lower()
    if last in ("its", "his", "this", "hers", "ours", "yours", "theirs") or last[-2:-1] in "'’":
        return None  # "how many of his own men": no plural in "s" to count by
    return m.group(1)


# A count told by how much of the whole it is: "nearly all of its proxies", "most of the
# fighters", "half the delegations", "all of the Iran-backed proxies" — not a superlative
# ("Iran's most loyal proxies", "the most important proxies") nor "of all" ("the strongest
# of all its proxies", "first of all")
_OWNER = rf"(?:{_DETERMINER}|{_POSSESSED})"
_SHARE_OF = (
    r"(?<!\bthe )(?<!\bof )(?<!['’]s )\b(?:(?:nearly|almost|virtually|practically|roughly"
    rf"|about)\s+)?(?:all|most|half|both)(?:\s+of\s+{_OWNER}(?:\s+[\w-]+)?|\s+{_OWNER})?"
)


def counts_told(text: str, plural: str) -> bool:
    """Whether ``text`` gives a count of ``plural``'s last word: a number just before it,
    one or two words between ("Over 50 foreign delegations arrived in Tehran"), or a share
    of them ("how many of its proxies did iran use": "... used nearly all of its proxies")."""
    noun = rf"\s+{re.escape(plural.split()[-1])}\b"
    count = rf"(?:\d[\d,]*|\b(?:{_NUMBER_WORDS}))(?:\s+[\w’'-]+){{0,2}}?{noun}"
    text = _YEAR.sub(" ", text)  # not "in 2024 the ..."
    return bool(re.search(count, text, re.I) or re.search(_SHARE_OF + noun, text, re.I))


# Values of the typed kinds, whole: "19 May 2022", "$244 million", "12.5 percent".
_VALUES = {
    "date": re.compile(
        rf"(?:\b\d{{1,2}}\s+)?\b(?:{_MONTHS})\b\.?(?:\s+\d{{1,2}}\b,?)?(?:\s+(?:1[89]|20)\d\d\b)?"
        r"|\b(?:1[89]|20)\d\d\b",
        re.IGNORECASE,
    ),
    "number": re.compile(
        rf"\$?\d[\d,.]*(?:\s+(?:million|billion|thousand|hundred))?|\b(?:{_NUMBER_WORDS})\b",
        re.IGNORECASE,
    ),
    "percent": _PERCENT,
}
_VALUES["money"] = _VALUES["number"]  # its amount, as a number is written
_VALUES["count"] = _VALUES["number"]
_VALUES["change"] = re.compile(f"{_PERCENT.pattern}|{_VALUES['number'].pattern}", re.IGNORECASE)


def values_of(text: str, kind: AnswerType) -> list[str]:
    """The values of a typed ``kind`` in ``text``, whole and in order ([] for "any")."""
    pattern = _VALUES.get(kind)
    found = (m.group(0).strip(" ,.") for m in pattern.finditer(text)) if pattern else ()
    return [v for v in found if v]


# "What did the author of X write her dissertation about?" asks about the author, not who
# it is: a question opening with another question word is not an authorship question unless
# it asks for the name ("what is the name of the author?").
_ASKS_OTHER = re.compile(r"^\W*(what|how|why|when|where|did|does|do|is|was)\b", re.IGNORECASE)
_ASKS_NAME = re.compile(r"\b(who|whose|whom|name|(written|authored) by)\b", re.IGNORECASE)


def asks_author(question: str) -> bool:
    """ "Who wrote ...?", "author of the Furlan piece?" — not "what did the author of X ...",
    nor "the woman who wrote X.. what does her research focus on" (``author_reference``)."""
    if not _ASKS_AUTHOR.search(question) or author_reference(question) is not None:
        return False
    return not _ASKS_OTHER.search(question) or bool(_ASKS_NAME.search(question))


# "when was that algemeiner piece published", "what date did the mena paper come out": the
# date of a text, which its page gives (``Passage.published``), not its body.
_PUT_OUT = r"(?:posted|written|released|dated|put out|c[ao]me out|went up|appeared)"
_A_TEXT = r"(?:article|piece|paper|analysis|report|essay|story|post|column|op-?ed|blog"
_A_TEXT += r"|write-?up|document|doc|text)"
_ASKS_PUBLISHED = re.compile(
    rf"\bpublish(?:ed|ing)?\b|\bpublication\b"
    rf"|\b{_PUT_OUT}\b(?=.*\b(?:{_A_TEXT}|it|this|that one)\b)"
    rf"|\b{_A_TEXT}\b.*\b{_PUT_OUT}\b"
    # "when did furlan write her article" (not "... write to assad about it")
    rf"|\b(?:write|wrote)\s+(?:[\w’'-]+\s+){{0,2}}?{_A_TEXT}s?\b",
    re.IGNORECASE,
)


def asks_published(question: str) -> bool:
    """ "When was the Algemeiner piece published?", "what date did the mena paper come out":
    a question asking the date of a text."""
    return expected_type(question) == "date" and bool(_ASKS_PUBLISHED.search(question))


# A person named by what they wrote: "the author of the algemeiner piece", "the woman who
# wrote the 2022 analysis", "whoever wrote it".
_AUTHOR_HEAD = re.compile(
    r"\b(?:the\s+|its\s+|that\s+)?(?:author|writer)\s+of\s+"
    r"|\b(?:the\s+)?(?:woman|man|guy|gal|person|lady|one|journalist|analyst|researcher|expert"
    r"|editor|reporter)\s+(?:who|that)\s+(?:wrote|penned|authored)\s+"
    r"|\bwhoever\s+wrote\s+",
    re.IGNORECASE,
)
# Where the description of the text ends: a break between clauses, a question word (not one
# that begins the description's own clause: "the piece on what was discussed at ..."), or
# the last of the verbs asked of a person ("... the 2022 tehran trip analysis study at").
_AUTHOR_DESCRIPTION_END = re.compile(
    r"\.\.+|\s[-–—:]\s|[,;?!]"
    r"|(?<!\son)(?<!\sabout)(?<!\sof)\s(?:and\s+)?(?:what|whats|which|who|where|when|why|how)\b",
    re.IGNORECASE,
)
_PERSON_VERB = re.compile(
    r"\s(?:write|writes|study|studied|studies|research|researches|researched|focus|focuses"
    r"|work|works|worked|get|got|hold|holds|teach|teaches|taught|live|lives|come|comes|came"
    r"|go|went|graduate|graduated|specialize|specializes|specialise|specialises|do|does|did|is"
    r"|was|has|have|had|think|thinks|say|says|said|believe|believes|argue|argues|attend"
    r"|attended|based|born)\b",
    re.IGNORECASE,
)


_ASKS_ANYTHING = re.compile(
    r"\b(?:what|whats|which|where|when|why|how|did|does|do|is|was|were|are|has|have|had|can"
    r"|tell|describe|explain)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class AuthorReference:
    """Where a question names a person by the text they wrote, and that text's description."""

    start: int
    end: int
    description: str


def author_reference(question: str) -> AuthorReference | None:
    """ "Where did the author of the algemeiner article get her PhD?": the question asks about
    the author of a text it describes (a two-hop question: the text gives the name, the name
    the answer), not who wrote it ("who is the author of ...", "what is the author's name").
    None when it asks for the name, or asks nothing beyond the reference."""
    head = _AUTHOR_HEAD.search(question)
    if head is None:
        return None
    rest = question[head.end() :]
    cut = _AUTHOR_DESCRIPTION_END.search(rest)
    segment = rest[: cut.start()] if cut else rest
    verbs = list(_PERSON_VERB.finditer(segment))
    end = verbs[-1].start() if verbs else len(segment)
    description = segment[:end].strip()
    outside = question[: head.start()] + " " + rest[end:]
    if not terms(description) or not _ASKS_ANYTHING.search(outside):
        return None
    if _ASKS_NAME.search(outside):
        return None
    return AuthorReference(head.start(), head.end() + end, description)


def asks_why(question: str) -> bool:
    """ "Why ..." or "how ..." (not "how many/much/long/old/far")."""
    return bool(_ASKS_WHY.search(question))


_ASKS_WHO = re.compile(r"^\W*(?:(?:so|and|but|ok|okay|then)\s+)?(?:who|whom)\b", re.I)


def asks_who(question: str) -> bool:
    """ "Who ...", "so whom ..." (the question asks for a person) — also after where to look
    or a topic typed first ("in the khaji article who did assad call", ``clause``)."""
    return bool(_ASKS_WHO.match(question) or _ASKS_WHO.match(clause(question)))


def asks_explanation(question: str) -> bool:
    """ "Why ...", "how ..." (not "how many") or "... and ...": worth a second sentence."""
    return bool(_ASKS_EXPLANATION.search(question))


# "tell me more", "go on", "can you elaborate": more of what the last answer told.
_MORE = re.compile(
    r"^\W*(?:(?:ok|okay|so|and|can you|could you|please|pls)\W+)*"
    r"(?:tell (?:me|us) more|(?:any|some) more|more(?: details?| info(?:rmation)?)?"
    r"|go on|continue|keep going|elaborate|say more|expand)"
    r"(?:\W+(?:on (?:that|this|it)|about (?:that|this|it)|please|pls))*\W*$",
    re.IGNORECASE,
)


def asks_more(question: str) -> bool:
    """ "tell me more", "go on", "can you elaborate?": more of what the last answer told
    (``rag.answer.claims.more_claims``)."""
    return bool(_MORE.search(question))


# "any others?", "and which others": asked of what the last answer listed
_ANY_OTHERS = r"^\W*(?:(?:and|so|ok|okay)\W+)?(?:any|which|what)\s+others?\W*$"
# "who else was killed?", "anyone else?", "any others?", "what other countries?": more of
# what the last question asked for, besides what its answer gave.
_ELSE = re.compile(
    r"\b(?:who|whom|what|where|which|when|any ?(?:one|body|thing|where)|some(?:one|body))"
    rf"\s+else\b|{_ANY_OTHERS}"
    r"|\b(?:what|which|any)\s+other\s+(?!than\b)\w+",
    re.IGNORECASE,
)


def asks_else(question: str) -> bool:
    """ "who else was there?", "anyone else?", "what other countries?": the last question's
    answers besides those given."""
    return bool(_ELSE.search(question))


def asks_others(question: str) -> bool:
    """ "who else was there?", "any others?", "which other countries?": other names — not
    "what else did he say?", "anything else?"."""
    return asks_else(question) and not _THINGS_ELSE.search(question)


_THINGS_ELSE = re.compile(r"\b(?:what|any ?thing|something)\s+else\b", re.IGNORECASE)


def asks_people(question: str) -> bool:
    """ "who else ...", "anyone else?": other people, not places or things."""
    return bool(_PEOPLE_ELSE.search(question))


_PEOPLE_ELSE = re.compile(
    r"\b(?:who|whom|any ?(?:one|body)|some(?:one|body))\s+else\b", re.IGNORECASE
)


def is_follow_up(question: str) -> bool:
    return (
        bool(_LEANS_ON_HISTORY.search(question))
        or len(terms(question)) < 2
        or asks_more(question)
        or asks_else(question)
    )


_SUMMARY = re.compile(
    r"\b(summari[sz]e|summary|sum up|main (points?|ideas?|arguments?|takeaways?|findings?)"
    r"|key (points?|takeaways?|findings?|arguments?)|overview|gist|tl;?dr|outline"
    r"|highlights|rundown|recap|in a nutshell"
    # "what is the article about", "what is this piece saying" (not "what are the articles
    # saying about gaza": a topic, asked of them)
    r"|what (is|are) (the|this|that) (article|piece|paper|analysis|report|essay)s?"
    r" (about|saying)(?!\s+\w))\b"
    # "whats the mena paper about", "what was marta furlan's piece about", "what did marta
    # furlan write about": a named text's gist (the question ends there)
    r"|\bwhat (?:is|was|are|were) (?:the |this |that )?(?:[\w’'-]+ ){0,5}?"
    r"(?:article|piece|paper|analysis|report|essay|study|story|post|op-?ed|document|doc)s?"
    r" (?:about|(?:really )?(?:saying|arguing|getting at))\W*$"
    r"|\bwhat (?:did|does|has) (?:[\w’'-]+ ){1,3}(?:write|written) about\W*$",
    re.IGNORECASE,
)
# Words that name the kind of text asked about, not which one ("the MENA paper", "the key
# points of the piece").
DOCUMENT_WORDS = frozenset(
    {
        "summarize", "summarise", "summary", "main", "points", "point", "key", "article",
        "piece", "paper", "analysis", "report", "essay", "says", "say", "overview", "gist",
        "thing", "one", "story", "post", "tldr", "highlights", "rundown", "recap", "nutshell",
    }
)  # fmt: skip


# "which article talks about captagon", "what documents mention the umayyad mosque", "where
# is hts mentioned": which texts tell of something, not a fact about it.
_SOURCE_ASK = (
    r"\b(?:(?:which|what)|(?:do|does|did) any) (?:of the )?(?:articles?|documents?|docs?"
    r"|papers?|pieces?|reports?|texts?|sources?|files?|stor(?:y|ies)|analys[ie]s)"
    r" (?:\w+ )?(?:talk(?:s|ed)?|mention(?:s|ed)?|says?|discuss(?:es|ed)?|cover(?:s|ed)?"
    r"|(?:is|are) about|deals? with|writes? about|refer(?:s|red)? to)\b"
)
_SOURCE = re.compile(
    rf"{_SOURCE_ASK}(?:\s+(?:about|of|on|with|to))?\s+(?P<x>.+?)\W*$"
    r"|^\W*where (?:is|are|do|does) (?P<y>.+?) (?:get )?(?:mentioned|discussed|talked about"
    r"|covered|come up)\W*$",
    re.IGNORECASE,
)


_ASKED_ON = re.compile(
    r",?\s+(?:and|&|n)\s+(?:what|how|why|who|when|where|do|does|did|is|are)\b.*", re.IGNORECASE
)


def source_topic(question: str) -> str | None:
    """What a question asking which texts tell of something asks about ("captagon" of "which
    article talks about captagon"), else None."""
    m = _SOURCE.search(question)
    if not m:
        return None
    # "which articles mention raisi's death, and what do they say about it": the topic is
    # raisi's death; what they say is what the answer shows anyway
    return _ASKED_ON.split(m.group("x") or m.group("y"))[0]


# "what do the articles say about refugees", "across the articles, did ...", "what do the
# different pieces say", "according to all the reports": a question asked of the documents
# together, not of one (no name says which: "the mena and algemeiner pieces" name theirs).
_SPANS = re.compile(
    r"(?:\b(?:the|these|those|all|both|across|each of the|all (?:of )?the|both (?:of )?the)\s+"
    r"(?:(?:different|diff|various|several|other|two|three|four|five|\d{1,2}|news|seed)\s+)?"
    r"(?:articles|pieces|reports|documents|docs|papers|sources|texts|analyses|stories)"
    r"|\b(?:each|every)\s+(?:article|piece|report|document|doc|paper|source|text))\b"
    r"(?!\s+of\b)",  # "the Articles of Confederation", "the three sources of EU law": a topic
    re.IGNORECASE,
)


def spans_documents(question: str) -> bool:
    """ "What do the articles say about X?": a question asked of all the documents, whose
    answer tells what each of them says; so is "which articles mention X"."""
    return bool(_SPANS.search(question)) or source_topic(question) is not None


def summary_topic(question: str) -> str:
    """A summary question without the words asking for a summary ("Sum up what Marta Furlan
    says the meeting means for Israel" → "what Marta Furlan says the meeting means for
    Israel")."""
    return " ".join(_SUMMARY.sub(" ", question).split())


# "how were the uae and the us each approaching assad": two sides asked about one by one
# (not "distrust each other", nor "graph theoretical problems each famous for ...").
_EACH_OF_TWO = r"\band\s+(?:the\s+)?[\w’'-]+(?:\s+[\w’'-]+)?\s+each\b(?!\s+other\b)"
# "who backed the report and who did not": those who did against the rest
_AND_WHO_NOT = (
    r"and (?:who|which|what)(?: \w+)? (?:(?:did|do|does|was|were|is|are|has|have|had) )?not\b"
)
_COMPARE = re.compile(
    r"\b(compare[sd]?|comparison|comparing|differ(s|ed|ence|ences)?|different (from|than|to)"
    r"|versus|vs\.?|contrast"
    r"|(more|less) than .* or|similar(ity|ities)?|in common|common (thread|ground))\b"
    rf"|\b{_AND_WHO_NOT}|{_EACH_OF_TWO}",
    re.IGNORECASE,
)
# Plurals a list asks for. Named things ("which countries", "what groups") have names the
# model can copy as the short answer; abstract ones ("what signs", "what problems",
# "what restrictions") are told in clauses, so the answer is the sentences themselves.
_NAMED_PLURALS = (
    "areas|regions|parts|members|countries|groups|sectors|fields|forces|actors|allies|proxies"
    "|militias|players|officials|leaders|ministers|politicians|diplomats"
)
_ABSTRACT_PLURALS = (
    "reasons|factors|issues|ways|steps|points|problems|obstacles|challenges|goals|aims|demands"
    "|causes|effects|consequences|forms|kinds|types|examples|measures|options|signs|conditions"
    "|concerns|interests|motives|arguments|lessons|priorities|risks|limits|events|developments"
    "|changes|restrictions|difficulties|tensions|benefits|implications|messages"
    # "what are iran's red lines on arab normalization": its lines are what is asked
    "|lines|terms|pillars|elements|aspects|dimensions|tools|methods|strategies"
    "|tactics|objectives|threats|warnings|promises|pledges|commitments|topics|themes|fears"
    # "what 3 things does al-bazi say the alliance is built on"
    "|things"
)
# The plural must be what is asked for: "which Gulf countries", "what are iran's red lines"
# (and "whats irans red lines", read "what is ..."; "what were ..." stays as it was read),
# not "what did countries such as Spain ..." (an auxiliary verb between them makes the plural
# the subject) nor "what is the number of countries" (a count of them).
_ASKED_PLURAL = (
    r"\b(what|which)\s+(?:is\s+)?"
    r"(?:(?!(?:did|does|do|is|was|were|has|have|had|can|could|would|will"
    r"|should|might|may|number|amount|total|share|percentage|proportion)\b)[\w’'-]+\s+){0,3}?"
)
# "list" or "name" must be the request, not a verb inside it ("the decision to name the town").
_LIST_REQUEST = r"^\W*(?:(?:please|can you|could you)\s+)?(list|name|enumerate)"
# "What factors ...", "which issues ...", "list the ...": a question asking for several things.
_LIST = re.compile(
    rf"{_LIST_REQUEST}\b"
    r"|\b(who|what|where|which|anyone|anything) else\b"
    rf"|{_ANY_OTHERS}"
    r"|\b(?:who|whom|what|which)\b.*\b(besides|apart from|other than|aside from)\b"
    rf"|{_ASKED_PLURAL}({_NAMED_PLURALS}|{_ABSTRACT_PLURALS})\b"
    # the places within a place where something stands: "where in syria does iran have
    # influence" asks what "in which parts of syria ..." does — not where one thing is or
    # happened ("where in syria is idlib", "where in tehran did they meet"), nor "where in
    # the article ..."
    r"|\bwhere\s+in\s+(?!(?:the|this|that|these|those|its|their|his|her|which|what|a|an"
    r"|it|my|our|your|particular|history)\b)[a-z][\w-]*\s+(?:does|do|has|have)\b"
    # who someone met: a visit's talks are often with several ("who did khaji meet in
    # damascus" was answered with one of the three)
    r"|^\W*(?:(?:so|and|ok|okay)\s+)?(who|whom)\s+(did|does|do|will|would|has|have|had)\s+"
    r"(?:[\w’'-]+\s+){1,4}?(meet|see|talk|speak|hold talks)\b(?!\s+(first|last|next)\b)",
    re.IGNORECASE,
)
# "list the reasons ...", "what r the economic problems ...": a list of abstract things.
_ABSTRACT_LIST = re.compile(
    rf"{_LIST_REQUEST}\s+(?:\w+\s+){{0,3}}?"
    rf"({_ABSTRACT_PLURALS})\b|{_ASKED_PLURAL}({_ABSTRACT_PLURALS})\b",
    re.IGNORECASE,
)
# "When were Assad's two previous visits?", "which three countries ...": a counted plural that
# is what the question asks for — right after the question word or its "were" — not "when
# did the two leaders meet?", where it is the subject.
_COUNTED = re.compile(
    r"\b(?:what|which|when|where|who)\s+(?:(?:were|are|was|is)\s+(?:[\w’']+\s+){0,2}?)?"
    r"(?:two|three|four|five|six|both|[2-9])\s+(?:[\w’']+\s+){0,2}?[\w’']+s\b",
    re.IGNORECASE,
)
# A lead-in before a question: "so what did they discuss", "ok what worries israel".
_LEAD_IN = r"^\W*((so|and|ok|okay) )?"
# "whats the deal w captagon", "what's up with hts", "what is the story behind the consulate
# strike": what there is to it (they were factoids, answered "The documents do not say.")
_WHATS_TO_IT_PATTERN = (
    r"^\W*what(?:['’]?s| is| was)\s+(?:the\s+)?(?:deal|story|up)\s+(?:with|w|behind|on)\b"
)
_EXPLAIN = re.compile(
    _ASKS_WHY.pattern + r"|\b(why|how come|explain|in what way|what role|reasons?|what happened"
    r"|what (led|caused|made|drove|drives|lies|explains|set (\w+ )?off|sparked|triggered|prompted"
    r"|pushed|motivated|is behind)|what (effect|impact|difference)"
    # the causes someone names: "what do researchers blame for the low trade", "what is to
    # blame for it", "what do they put it down to" (not "who do they blame": a factoid)
    rf"|{_LEAD_IN}what(['’]s)? ([\w’'-]+ ){{0,4}}?(blamed? for|attribute[sd]? ([\w’'-]+ ){{1,5}}?to"
    r"|put ([\w’'-]+ ){1,3}?down to)\b"
    r"|what does .* (mean|signal|show|suggest)|what (do|did) .* mean\b"
    # what something changed or led to: "what did raisis death change for syria", "the
    # consequences of the strike"; not what it was changed to ("... change its name to?")
    rf"|{_LEAD_IN}what (did|does|do|will|would|has|have) ([\w’'-]+ ){{1,4}}change\b"
    r"(?!\s+(\w+\s+){0,2}to\b)"
    r"|\bwhat (has |have )?changed\b"
    # what makes something stand out: "what set syria's membership apart", "what makes
    # hezbollah different", "what distinguishes the two visits"
    r"|\bwhat ((set|sets|makes?|made) ([\w’'-]+ ){1,4}?(apart|different|unique|special|stand out)"
    r"|distinguish(es|ed)?)\b"
    r"|\b(consequences|implications|significance|repercussions|fallout) of"
    # which texts tell of something: "which article talks about captagon" (``source_topic``)
    rf"|{_SOURCE_ASK}"
    # an open question about a topic: "what do the articles say about X", "X - what do the
    # pieces say", "tell me about X": the sentences about it, not one phrase
    r"|(say(s|ing)?|said) (about|on|regarding|re)\b|tell (me|us) about"
    # "across the articles, what do we learn about khamenei's messages to assad" (answered
    # by a headline's "reminders and instructions")
    r"|\bwhat (do|did|can|does) (we|you|i|one) (learn|know|find out|hear|read) about\b"
    # what was talked about: "what did they talk about?", "what did khaji and mekdad discuss"
    rf"|{_LEAD_IN}what (\w+ ){{1,4}}(discuss(ed)?|talk(ed)? about|sp(o|ea)ke? about))\b"
    r"|\bwhat (is|was|are|were) on the (table|agenda)\b"
    # a role: "wheres iraq fit into the whole iran syria thing"
    r"|\b(where|how) ([\w’'-]+ ){1,5}?fits? (in|into)\b"
    # ... or a link: "whats captagon got to do with any of this", "what does iraq have to do
    # with it" (not "what has a lot to do with ...": the thing linked is asked for)
    r"|\b(have|has|got) to do with\b"
    rf"|{_WHATS_TO_IT_PATTERN}"
    # what something is like: "what's the golan front been like since oct 7" (refused: the
    # model found no phrase to copy)
    r"|^\W*what(['’]?s| is| was| has| have)\s+([\w’'-]+\s+){1,6}?(been\s+)?like\b(?!\s+to\b)"
    # a stance: "what was assads position on the gaza war" (it answered "Consolidated")
    r"|^\W*what (is|was|are|were) ([\w’'-]+ ){1,3}(position|stance|views?|attitude|take)"
    r" (on|toward|towards|about|regarding|in)\b"
    # ... and a stance or a role typed as a heading: "robert ford's take on iraq mediation",
    # "lloyd austins view on a wider war", "hezbollah's role in syria?", "tehran's view of
    # the gulf states' rapprochement?"
    r"|^\W*(?:what['’]s\s+)?([\w’'-]+ ){0,3}[\w-]+(['’]s|s) ((position|stance|views?|take"
    r"|attitude|thoughts|opinion) (on|toward|towards|about|regarding|of)|role (in|on))\b"
    # what was said to someone: "what did khamenei tell assad", "what did he say to mekdad"
    rf"|{_LEAD_IN}what (did|does|do|has|have|had) ([\w’'-]+ ){{1,4}}"
    r"(tell|say to|said to)\b"
    # what someone wants or fears: "what does iran want from syria", "what does israel worry
    # about", "what worries israel" (told in clauses, with no phrase to copy); not "what did
    # Baran want to build", which asks for the thing
    rf"|{_LEAD_IN}what (did|does|do|would|will) ([\w’'-]+ ){{1,4}}"
    r"(wants?|fears?|worry|worried|hopes?|expects?|seeks?)\b(?!\s+to\b)"
    rf"|{_LEAD_IN}what (worries|worried|concerns|concerned|scares|bothers)\b"
    # what someone meant or is after: "what was khamenei hinting at", "whats assad hoping to
    # get out of staying out of it", "what is he getting at" (told in clauses, as a view is)
    rf"|{_LEAD_IN}what(?:['’]?s| (?:is|was|are|were|did|does|do))\s+([\w’'-]+ ){{1,4}}?"
    r"(hint(s|ed|ing)? at|(getting|driving|aiming) at|angling for|impl(y|ying|ied|ies)|hoping)\b"
    # "what does lund think", "what does khamenei think about arab normalization", "what did
    # sout al asima report": a view or a report, in the sentences that give it
    r"|\b(do|does|did) ([\w’'-]+ ){0,3}((say|think|believe|argue|feel|report|claim)\W*$"
    r"|(think|believe|feel) (about|of|on|regarding)\b)"
    # ... or of what should or will be done: "what does she think israel should do going
    # forward", "what does lund believe iran will do next" (not "who does he think ...")
    rf"|{_LEAD_IN}what (do|does|did) ([\w’'-]+ ){{1,3}}(think|believe|feel|say|argue)s? "
    r"([\w’'-]+ ){0,4}?(should|must|ought to|needs? to|will|would|could) "
    r"(do|happen|come|follow|change)\b",
    re.IGNORECASE,
)


# "Does he think ...?", "Is Iran ...?": a yes/no question has no phrase to copy; its answer
# is the sentences that settle it — also after a lead-in ("Across the articles, did ...",
# "so did he ...").
_YES_NO_AUX = r"(does|do|did|is|are|was|were|can|could|would|will|has|have|had|should)\b"
_YES_NO = re.compile(
    rf"(?:^\s*(?:(?:so|and|but|ok|okay|also|then|well)\s+)?|[,;:]\s*){_YES_NO_AUX}"
    # a doubt raised after a statement: "iran says it keeps its deals but are they kept"
    # (not a clause of a wh-question: "who backed policies that sound good but have ...")
    rf"|^(?!\W*(?:who|whom|whose|what|which|when|where|why|how)\b).*\bbut\s+{_YES_NO_AUX}"
    r"(?!\s+not\b)",
    re.I,
)


def asks_yes_no(question: str) -> bool:
    """ "Did he ...?", "Across the articles, is ...?", "the mosque rules - do they apply to
    tourists": a question answered yes or no."""
    return bool(_YES_NO.search(question) or _YES_NO.search(clause(question)))


_NEGATION = re.compile(
    r"\b(?:not|no|never|nothing|none|neither|nor|without|rather than)\b|n['’]t\b", re.IGNORECASE
)


def negates(sentence: str) -> bool:
    """ "... has been instructed not to allow any foreign citizen": a sentence that denies
    something, where the answer to a yes/no question is often a "no"."""
    return bool(_NEGATION.search(sentence))


# "so is alawism basically the same as irans shiism": a likeness asked of, which a sentence
# telling a difference ("Syrian Alawism diverges significantly ... from Iranian mainstream
# Shi’ism") answers with a "no" it does not write
_ASKS_LIKENESS = re.compile(r"\b(?:same|similar|alike|identical|equivalent)\b", re.IGNORECASE)
_TELLS_DIFFERENCE = re.compile(
    r"\b(?:differ(?:s|ed|ing|ent|ence|ences)?|diverg(?:e|es|ed|ing|ence)|distinct|unlike"
    r"|dissimilar|in contrast)\b",
    re.IGNORECASE,
)


def answers_no(question: str, sentence: str) -> bool:
    """Whether ``sentence`` answers the yes/no ``question`` with a "no" the small model cannot
    copy: it denies something (``negates``), or it tells a difference where the question asks
    about a likeness ("is alawism the same as shiism": "... diverges significantly from
    ...")."""
    if negates(sentence):
        return True
    return bool(_ASKS_LIKENESS.search(question) and _TELLS_DIFFERENCE.search(sentence))


def denies(sentence: str, words: str) -> bool:
    """Whether ``sentence`` denies one of ``words`` (as stems): a negation at most three words
    before it. "... complicated definitions that do not fit into this framework" holds every
    word of SQuAD's unanswerable "What fits the framework of complexity classes?" and denies
    it; "While Khamenei did not specify what the 'regional role' ... entailed, he emphasized
    ... the 'resistance identity' ..." denies nothing of "whats the resistance identity"."""
    wanted = stems(words)
    tokens = re.findall(r"[\w’']+", sentence)
    return any(
        (_NEGATION.fullmatch(t) or t.lower() == "cannot" or t.lower().endswith(("n't", "n’t")))
        and stems(" ".join(tokens[i + 1 : i + 4])) & wanted
        for i, t in enumerate(tokens)
    )


# "How does Syria's record with Russia compare with its record with Iran?", "compare how the
# two pieces describe ...", "what are the differences between ...", "what do X and Y have in
# common": a comparison asked for at length, not for a value ("how much less steam did the
# Rumford engine use compared to ...").
_COMPARES_AT_LENGTH = re.compile(
    r"^\W*(?:compare|contrast)\b"
    r"|^\W*how\s+(?:do|does|did|has|have|is|are|was|were)\b(?!\s+(?:much|many)\b)"
    r".*\b(?:compare[sd]?|differ(?:s|ed)?|contrast(?:s|ed)?)\b"
    r"|^\W*what\s+(?:are|were)\s+the\s+(?:main\s+|key\s+)?(?:differences|similarities)\b"
    # "what do alawism and iranian shiism have in common", "how are the two pieces alike"
    r"|^\W*what\s+(?:do|does|did)\b.*\bhave\s+in\s+common\W*$"
    r"|^\W*how\s+(?:are|were|is|was)\b.*\b(?:alike|similar|different)\W*$"
    # the request typed after the topic: "khameneis tone in 2022 vs 2024 - compare",
    # "assad and raisi, compare them"
    r"|(?:[-–—:,]|\bvs\b.*)\s*(?:compare|contrast)(?:\s+(?:them|the two|both|these|those))?\W*$"
    # how two sides each acted or what they each said: "how were the uae and the us each
    # approaching assad", "what did lund and al-bazi each say" (not "who did they each meet")
    rf"|\b(?:how|what\s+(?:do|does|did|is|was|are|were|has|have))\b.*{_EACH_OF_TWO}"
    # those who did and the rest: no one phrase names both ("who backed the report and who
    # did not"; the reader, asked for one, said "none")
    rf"|\b{_AND_WHO_NOT}",
    re.IGNORECASE,
)


def compares_at_length(question: str) -> bool:
    """ "How does X compare with Y?", "compare X and Y": a comparison whose answer is the
    sentences that tell both sides (there is no phrase to copy, and a reader asked for one
    says "none"), unlike one asking for a value or a name ("how much less ... compared to",
    "which of them ... more")."""
    return bool(_COMPARES_AT_LENGTH.search(question))


def lists_abstract(question: str) -> bool:
    """ "What signs show the relations are cooling?", "list the reasons ...": a list of things
    without names, whose answer is the sentences that tell them (there is no phrase to copy,
    and a reader asked for one says "none")."""
    return bool(_ABSTRACT_LIST.search(question))


# "summarize what the articles say about hts", "key points across the pieces on russia": a
# topic asked of all the texts — what each says of it, not one text's gist
_SUMMARY_OF_TOPIC = re.compile(
    rf"{_SPANS.pattern}.*\b(?:about|on|regarding|concerning)\s+\w", re.IGNORECASE
)


def summarizes_topic(question: str) -> bool:
    """ "summarize what the articles say about hts": a summary of a topic across the texts,
    answered as an explanation (what each says of it), searched and ranked without the words
    asking for a summary (``summary_topic``: "key", "points" matched "key territories")."""
    return bool(_SUMMARY.search(question) and _SUMMARY_OF_TOPIC.search(question))


def answer_shape(question: str) -> Shape:
    """The shape the answer should take (see the module docstring)."""
    if _SUMMARY.search(question):
        return "explain" if summarizes_topic(question) else "summary"
    if _COMPARE.search(question):
        return "compare"
    if _LIST.search(question) or _COUNTED.search(question):
        return "list"
    own = clause(question)
    if (_EXPLAIN.search(own) or asks_yes_no(own)) and expected_type(own) == "any":
        return "explain"
    if asks_more(question):
        return "explain"  # "tell me more": sentences, not a phrase
    if _SAYS_ON.fullmatch(question.strip()) or _SAID_LAST.fullmatch(question.strip()):
        return "explain"  # "putin on syrian sovereignty?": what is said of it
    return "fact"


# The question words; the words a question opens with; and the auxiliaries that open one
# less often.
_QUESTION_WORDS = "what|which|who|whom|whose|when|where|why|how"
_OPENS = rf"{_QUESTION_WORDS}|did|does|do|is|was|were|are"
_OPENS_TOO = "can|could|would|will|has|have|had"
# typed without a question: no question word or auxiliary anywhere
_NO_QUESTION = rf"(?![\s\S]*\b(?:{_OPENS}|{_OPENS_TOO}|should)\b)"


def has_question_word(question: str) -> bool:
    """Whether the question holds a question word ("who", "how", ...) anywhere: not a
    telegraphic "new iranian president after raisi?"."""
    return bool(re.search(rf"\b(?:{_QUESTION_WORDS})\b", question, re.IGNORECASE))


# "putin on syrian sovereignty?", "lund about khameneis comments": typed without a question,
# what someone says on something — no word of the question asks for a phrase
_SAYS_ON = re.compile(
    rf"{_NO_QUESTION}"
    r"(?:[\w’'.-]+\s+){1,4}(?:on|about|abt|re|regarding)\s+[\w’'.-]+(?:\s+[\w’'.-]+){0,4}\s*\??",
    re.IGNORECASE,
)


# ... or with what was said last: "austin wider war comment?", "khamenei gulf remarks"
_SAID_LAST = re.compile(
    rf"{_NO_QUESTION}"
    r"(?:[\w’'.-]+\s+){1,6}(?:comments?|remarks?|statements?|views?|take|stance|position"
    r"|reaction|response|opinion|thoughts|words)\s*\??",
    re.IGNORECASE,
)


# "israeli strikes on iranian targets - how do the two pieces cover them": a topic typed
# first, then the question about it after a dash, a colon or dots (and "in the khaji
# article, how did ...": where to look, ``_FRAME``) — or a yes/no question, when no question
# word follows a separator ("the umayyad mosque rules - do they apply to tourists"; not
# "hezbollah - has lost its leader - who replaced him"). Dots are taken whole, possessively:
# a long run of them is read once.
_TOPIC = rf"^(?!\W*(?:{_OPENS})\b)[^?]*?(?:\s[-–—:]\s*|:\s+|(?<!\.)\.\.++\s*)"
_TOPIC_FIRST = re.compile(rf"{_TOPIC}(?=(?:{_QUESTION_WORDS})\b)", re.IGNORECASE)
_TOPIC_FIRST_YES_NO = re.compile(rf"{_TOPIC}(?={_YES_NO_AUX})", re.IGNORECASE)


@lru_cache(maxsize=1024)
def clause(question: str) -> str:
    """The question proper: without where to look ("in the khaji article, who did assad
    call", ``_FRAME``; not "in which article", "in how many articles") and without a topic
    typed first ("the umayyad mosque rules - do they apply to tourists", ``_TOPIC_FIRST``).
    Remembered: the shape, the yes/no and "who" readings and the role check each ask it."""
    frame = _FRAME.search(question)
    if frame and not re.search(rf"\b(?:{_QUESTION_WORDS})\b", frame.group(0), re.IGNORECASE):
        question = question[: frame.start()] + question[frame.end() :]
    own, n = _TOPIC_FIRST.subn("", question, count=1)
    return own if n else _TOPIC_FIRST_YES_NO.sub("", question, count=1)


# A second question joined to the first: ", and what ...", "; what ...", "? And who ...".
# A bare ", which ..." / ", who ..." is a relative clause, not a new question.
_PART_BREAK = re.compile(
    rf"(?:,\s*and\s+|;\s*(?:and\s+)?|\?\s*(?:and\s+)?|\s+and\s+)(?=(?:{_OPENS})\b)",
    re.IGNORECASE,
)
_ASKS = re.compile(
    # at the start, or after a comma, a dash, a colon or dots: "the us backed forces - which
    # part of syria are they in, and ...", "the woman who wrote it.. what does she research"
    rf"(?:^|,\s*|\s[-–—:]\s*|\.\.+\s*)(?:{_OPENS}|{_OPENS_TOO}"
    r"|in (?:what|which)|on (?:what|which)|by (?:what|how))\b",
    re.IGNORECASE,
)


_SHIFTS_FOCUS = re.compile(rf"^\W*{_SHIFT}\b", re.IGNORECASE)
_ASKS_AGAIN = re.compile(rf"^\W*{_SHIFT}\b(?!\W+(?:{_OPENS}|{_OPENS_TOO})\b)", re.IGNORECASE)
_DESCRIBE = re.compile(
    r"^\W*(?:who|what)(?:\s+(?:is|was|are|were)\s+|\s*['’]?s\s+)(?P<x>.+?)\W*$", re.I
)


def shifts_focus(question: str) -> bool:
    """ "What about Turkey?", "and imports?": the same question again about something else,
    which the answer must then name."""
    return bool(_SHIFTS_FOCUS.search(question))


def asks_again(question: str) -> bool:
    """ "and al-qirbi?", "what about Turkey?": a shift of focus (``shifts_focus``) with no
    question of its own — the last question asked again, in its shape; not "and who did his
    ministry blame?"."""
    return bool(_ASKS_AGAIN.search(question))


def described(question: str) -> str | None:
    """What a "who is X?" / "what was X?" question asks to have described (X), else None;
    also when it says where to look ("in the eastern herald article who is amer al-sabaila",
    "who is Andrew Tabler, according to the MENA paper?")."""
    m = _DESCRIBE.search(_FRAME.sub("", question))
    return m.group("x") if m and len(m.group("x").split()) <= 5 else None


def asks_itself(question: str) -> bool:
    """Whether the question has its own question word ("who attended?"), not only words
    that lean on the last one ("and Iraq?", "what about russia": the last one asked again,
    ``asks_again``)."""
    return bool(_ASKS.search(question)) and not asks_again(question)


# "lund says friction ... is no big deal — does the mena paper see it the same way": what
# someone said, then a question about it. The words that report a claim, and the breaks
# after which a question follows it.
_REPORTS = re.compile(
    # (no word that is also a noun: "for each of the 28 member states, how many ...")
    r"\b(?:say|says|said|saying|claimed|claiming|argue|argues|argued|arguing"
    r"|wrote|writes|think|thinks|thought|believe|believes|believed|reckon|reckons|reckoned"
    r"|insist|insists|insisted|warn|warns|warned|noted|stated"
    r"|blame|blames|blamed|slam|slams|slammed|criticized|criticised|accused|accuses"
    r"|praised|praises|called|told|tells|mentioned|mentions)\b",
    re.IGNORECASE,
)
_PREMISE_BREAK = re.compile(
    rf"(?:\.+\s*|\s[-–—]\s*|,\s*|\s+but\s+)(?=(?:{_OPENS}|{_OPENS_TOO})\b)", re.IGNORECASE
)


def premise(question: str) -> tuple[str, str] | None:
    """A question that first reports what someone said or held ("khamenei blamed the west
    for ... when assad visited.. who did he blame once assad actually fell", "iran keeps
    saying its sticking to its agreements but are those deals actually getting done"): that
    claim and the question after it, else None. The claim is a part of its own: an answer
    shows where the documents say it (or that they do not) next to what was asked of it."""
    m = _PREMISE_BREAK.search(question)
    if m is None:
        return None
    head, rest = question[: m.start()].strip(" ,;:.-–—"), question[m.end() :]
    if _ASKS.search(head) or len(terms(head)) < 3 or len(terms(rest)) < 2:
        return None  # "furlan says ..., how so": the question is the claim's own
    said = _REPORTS.search(head)
    if said is None or re.search(r"\b(?:who|which|that)\s+$", head[: said.start()]):
        return None  # "the woman who wrote the algemeiner thing.. what ...": who, not a claim
    return head, rest


# "the group that controlled most of nw syria in 2022 - what did they end up doing late
# 2024": something described, then a question about it (a pronoun leaning on it).
_DESCRIPTION = re.compile(
    r"^\W*((?:the|that|this|those|these)\s+(?:[\w'’-]+\s+){0,4}?(?:who|that|which|whose)\s+.+?)"
    rf"(?:\s+[-–—:]\s*|\.\.+\s*|,\s*)(?=(?:{_OPENS}|{_OPENS_TOO})\b)(.+)$",
    re.IGNORECASE,
)
_LEANS_ON_IT = re.compile(rf"\b(?:{_PERSONAL})\b", re.IGNORECASE)


def leans_on_it(question: str) -> bool:
    """Whether the question names what it asks about by a personal pronoun ("what did it do
    in 2024"): what it stands for is what the last question asked about."""
    return bool(_LEANS_ON_IT.search(question))


def description_first(question: str) -> tuple[str, str] | None:
    """A question asking about something it first describes ("the group that controlled
    most of nw syria in 2022 - what did they end up doing late 2024"): the description and
    the question leaning on it, else None. Each is a part: the first hop finds what is
    described (HTS), the second is asked about it."""
    m = _DESCRIPTION.match(question)
    if m is None or not _LEANS_ON_IT.search(m.group(2)) or len(terms(m.group(1))) < 3:
        return None
    return m.group(1).strip(), m.group(2).strip()


def question_parts(question: str) -> list[str]:
    """The questions a multi-part question asks, in order; one part for a simple question.
    A piece with fewer than two content words ("how and when ...") stays with its neighbour,
    and a piece that asks nothing ("Assad sent a telegram ...; what did that leader ...")
    is context for the question after it — unless it reports a claim (``premise``) or
    describes what the question after it asks about (``description_first``): either is a
    part of its own."""
    if (split := premise(question.strip()) or description_first(question.strip())) is not None:
        head, rest = split
        return [head, *question_parts(rest)]
    pieces = [p.strip(" ,;?.!") for p in _PART_BREAK.split(question.strip())]
    parts: list[str] = []
    context, lead = "", ""
    for piece in pieces:
        if not piece:
            continue
        # "how" of "how and when ...", "and why" — not a question of its own of few content
        # words: "where does he work", "is syria in it"
        words = len(terms(piece))
        own = words == 1 and _ASKS.match(piece) and len(piece.split()) >= 3
        if words < 2 and not own:
            if parts:
                parts[-1] = f"{parts[-1]} and {piece}"
            else:
                lead = f"{lead}{piece} and "
            continue
        piece = lead + piece
        lead = ""
        if not _ASKS.search(piece):
            context = f"{context} {piece}".strip()
        else:
            parts.append(f"{context}: {piece}" if context else piece)
            context = ""
    return parts if len(parts) > 1 else [question.strip()]


# "the MENA Research Center paper", "Marta Furlan's article": the words before a word for a
# kind of text, back to the last stop word; and a quoted title (“A Pragmatic Alliance?”).
# Before a plural ("the algemeiner and eurasiapeace pieces") the words name one text each.
_DOCUMENT_KIND = r"(?:article|piece|paper|analysis|essay|report|op-?ed|column|commentary)s?"
# A text or who wrote it, telling or quoting ("the articles describe", "the piece quotes")
_TEXTS_AND_WRITERS = rf"{_DOCUMENT_KIND}|authors?|writers?"
_NAMED_DOCUMENT = re.compile(
    rf"((?:[\w.&’'-]+,?\s+){{1,4}}?)({_DOCUMENT_KIND})\b|“([^”]{{3,120}})”|\"([^\"]{{3,120}})\"",
    re.IGNORECASE,
)
# "in the eastern herald article, ...", "..., according to the MENA paper?", "across the
# articles, how ...": where to look.
_FRAME = re.compile(
    rf"^\W*(?:according to|in|per|from|across)\s+[^,?]*?\b{_DOCUMENT_KIND}\b\s*,?\s*"
    rf"|,?\s*\b(?:according to|in|per)\s+[^,?]*?\b{_DOCUMENT_KIND}\W*$",
    re.IGNORECASE,
)
# "russia's role", "the uae's stance", "what role did hezbollah play": the aspect asked of
# a name, which the sentences telling it seldom use ("Russia, which is pushing for
# regional stability"); a sentence that does ("the 'regional role' played by Syria") is
# not about the name for that.
_ASPECT = re.compile(r"(?<=['’]s )(?:role|stance|attitude|position|views?)\b", re.IGNORECASE)
_PLAYED = re.compile(
    r"\b(?:role|part)\b((?:\s+[\w'’-]+){0,4}?\s+(?!(?:it|they|he|she|this|that|them)\b)[\w'’-]+)"
    r"\s+play(?:s|ed)?\b",
    re.IGNORECASE,
)


# "how do the articles describe X", "how does the mena paper frame X": how a text tells of
# X, which its sentences do not say of themselves ("is often described as strategic and
# brotherly" is not how the articles describe Russia's role).
_TEXT_TELLS = re.compile(
    rf"(\b(?:{_TEXTS_AND_WRITERS}|docs?|sources?|texts?))\s+"
    r"(?:describe|portray|frame|characteri[sz]e|depict|cover|present|view|see|treat|discuss"
    r"|explain)[sd]?\b",
    re.IGNORECASE,
)


# ... told in the passive: "across the articles, how is russia described", "how was the
# visit portrayed" ("often described as strategic" is not how Russia is described)
_TOLD_OF = re.compile(
    r"^(\W*(?:.*,\s*)?how\s+(?:is|are|was|were)\s+.+?)\s+(?:described|portrayed|framed"
    r"|depicted)\b",
    re.IGNORECASE,
)
# "across the articles", "according to the different pieces": where to look, in all of them
_ACROSS = re.compile(
    r"\b(?:across|in|according to|acc to|per)\s+(?:all\s+)?(?:of\s+)?(?:the|these|those)\s+"
    r"(?:different\s+|various\s+|diff\s+)?(?:articles|pieces|papers|reports|documents|docs"
    r"|sources|texts|analyses|stories)\b",
    re.IGNORECASE,
)


def looked_for(question: str) -> str:
    """The question's words that a sentence answering it holds: without the aspect asked of
    a name (``_ASPECT``, ``_PLAYED``: "russia's role in syria" → "russia's in syria") and
    without the verb of how a text tells it (``_TEXT_TELLS``: "how do the articles describe
    X"; ``_TOLD_OF``: "how is X described"), nor where to look when it is all the texts
    (``_ACROSS``: "across the articles"). Their share ranks sentences; the meaning (the
    dense part) is the whole question's. A pronoun before "play" keeps the words: no name is
    asked of ("what role did khamenei say it played": the sentence says "Turkey played a
    pivotal role")."""
    if summarizes_topic(question):
        question = summary_topic(question)
    question = _TEXT_TELLS.sub(r"\1", _ASPECT.sub(" ", question))
    question = _ACROSS.sub(" ", _TOLD_OF.sub(r"\1", question))
    question = _MATTERS.sub(r"\1", _WHATS_TO_IT.sub(" ", question))
    return " ".join(_PLAYED.sub(r"\1", question).split())


def asked_words(question: str) -> str:
    """The words a sentence answering the question must hold (``looked_for``), without the
    verbs of how it was told: "what did media reports say assad ignored" is answered by
    "... reports have suggested that Assad ignored ...", "whats the resistance identity
    khamenei talked about" by "... he emphasized in later posts the “resistance identity
    that Syria embodies”"."""
    return " ".join(_TOLD_HOW.sub(" ", looked_for(question)).split())


# The verbs of telling alone: not "blame", "warn", "praise", "call", which a question asks
# about ("who did khamenei blame for the attack")
_TOLD_HOW = re.compile(
    r"\b(?:say|says|said|saying|state|states|stated|note|notes|noted|mention|mentions"
    r"|mentioned|claim|claims|claimed|write|writes|wrote|tell|tells|told)\b"
    r"|\btalk(?:s|ed|ing)?\s+(?:about|of)\b|\bdiscuss(?:es|ed)?\b|\brefer(?:s|red)?\s+to\b",
    re.IGNORECASE,
)


# ... and without them it ranks sentences (the one on "the nuclear deal" ranked second)
_WHATS_TO_IT = re.compile(_WHATS_TO_IT_PATTERN, re.IGNORECASE)
# "why does it matter" after "what is captagon": the frame of why something counts, not a
# word a sentence about it holds ("Khaji criticized Western countries for their stance on
# this matter" came first)
_MATTERS = re.compile(
    r"^(\W*(?:(?:so|and|but|ok)\s+)?why\s+(?:(?:does|do|did|would|will|should|might|could)\b"
    r".*?|it|that|this|they|these|those))\s+matter(?:s|ed)?\b",
    re.IGNORECASE,
)


_EACH = re.compile(r"\s*(?:,|\band\b|\bor\b|&)\s*", re.IGNORECASE)


def names_several(kind: str) -> bool:
    """ "pieces", "articles" — not "analysis": the words before it name one text each."""
    kind = kind.lower()
    return kind.endswith("s") and kind != "analysis"


def _names_before_kind(m: re.Match[str]) -> tuple[int, list[str]]:
    """For a ``_NAMED_DOCUMENT`` match of a kind of text ("the mena paper", "the algemeiner
    and eurasiapeace pieces"): where its names start in the question, and the names — the
    words back to the last stop word; before a plural, those of each text named."""
    lead, pieces = m.group(1), [(0, m.group(1))]
    if names_several(m.group(2)):
        pieces, at = [], 0
        for sep in _EACH.finditer(lead):
            pieces.append((at, lead[at : sep.start()]))
            at = sep.end()
        pieces.append((at, lead[at:]))
    start = m.start(2)
    names: list[str] = []
    for at, piece in reversed(pieces):
        words = list(re.finditer(r"\S+", piece))
        cut = max(
            (i + 1 for i, w in enumerate(words) if w.group(0).lower() in STOP_WORDS), default=0
        )
        if cut == len(words):
            # Names run up to the kind: "war at all, across the articles" names none ("at
            # all" had named a text "all", which a document was then found for).
            break
        start = m.start(1) + at + words[cut].start()
        names.insert(0, re.sub(r"['’]s$", "", " ".join(w.group(0) for w in words[cut:])))
    return start, names


def _document_name_spans(question: str) -> list[tuple[int, int]]:
    """Where the question names a text by its kind: "mena paper" of "what does the mena paper
    say about russia" (the names through the kind word)."""
    return [
        (_names_before_kind(m)[0], m.end())
        for m in _NAMED_DOCUMENT.finditer(question)
        if m.group(1) is not None and _names_before_kind(m)[1]
    ]


def names_by_kind(question: str) -> bool:
    """Whether the question names a text by a word for its kind ("the khaji article"), not
    only by a quoted title (which may be a work the text tells of: "Who wrote 'On the
    Computational Complexity of ...'?"), or by whom or what it tells of ("the piece that
    quotes andrew tabler")."""
    return bool(_document_name_spans(question)) or bool(_TEXT_THAT.search(question))


def asked_of_another(question: str, last: str) -> str | None:
    """The ``last`` question asked again of the one text ``question`` names: "and the
    eurasiapeace piece?" after "what does the mena paper say about russia" → "what does the
    eurasiapeace piece say about russia" (the follow-up alone names no topic, and was
    answered with whatever the piece says first). None unless the follow-up only asks again
    (``asks_again``) and each names one text by its kind."""
    new, old = _document_name_spans(question), _document_name_spans(last)
    if not asks_again(question) or len(new) != 1 or len(old) != 1:
        return None
    (start, end), (was_start, was_end) = new[0], old[0]
    return f"{last[:was_start]}{question[start:end]}{last[was_end:]}"


def without_document_names(question: str) -> str:
    """The question without the names it gives documents by their kind ("what do the mena
    paper and the khaji article say about washington's position" → "what do the and the say
    about washington's position"): what a named document's passages are ranked by. The
    name's words ("paper", "article", "mena") would rank first the passages that hold them —
    a paper's "This paper sheds light on ..." opening — rather than those about what is
    asked. Quoted titles stay: a quote may be what is asked about."""
    out, end = [], 0
    for m in _NAMED_DOCUMENT.finditer(question):
        if m.group(1) is not None:
            out.append(question[end : _names_before_kind(m)[0]])
            end = m.end()
    rest = " ".join("".join([*out, question[end:]]).split())
    return rest if terms(rest) else question


# The words of a comparison that ask nothing of the documents compared but to compare them
# ("how is the eastern herald piece different from the mena paper", "what do the mena paper
# and the khaji article have in common").
_COMPARING_WORDS = frozenset(
    {
        "compare", "compared", "comparison", "comparing", "contrast", "versus", "vs",
        "differ", "differs", "different", "difference", "differences", "similar",
        "similarity", "similarities", "common", "between", "two", "both", "each", "other",
        "whole", "overall", "general", "generally",
    }
)  # fmt: skip


def compares_documents(question: str) -> bool:
    """Whether the question compares documents it names as wholes, asking nothing of them
    but to be compared: "how is the eastern herald piece different from the mena paper" —
    not "compare how the algemeiner and eurasiapeace pieces describe irans motives"."""
    if len(document_names(question)) < 2:
        return False
    left = terms(without_document_names(question))
    return not [w for w in left if w not in _COMPARING_WORDS and w not in DOCUMENT_WORDS]


# "which experts does the eastern herald article quote", "who is quoted in the mena paper":
# the people a text quotes (``rag.answer.claims.quoted_people``). The text must be what
# quotes ("the article quotes", "quoted in"): "who did khaji talk to" asks of Khaji.
_EXPERTS = r"experts|researchers|analysts|scholars|academics|specialists|commentators"
_PEOPLE = rf"{_EXPERTS}|observers|officials|leaders|people|persons|sources|voices|figures"
_QUOTES = (
    r"quot(?:e|es|ed|ing)|cit(?:e|es|ed|ing)|interview(?:s|ed)?|mention(?:s|ed)?"
    r"|(?:talk|speak)s? (?:to|with)|(?:talked|spoke) (?:to|with)|draws? on|rel(?:y|ies|ied) on"
)
_KINDS = rf"{_TEXTS_AND_WRITERS}|analyses|stor(?:y|ies)|posts?|it|they"
# Whom, not which one: "which experts ...", "who does the piece quote", "who is quoted in
# ...", "who are the experts quoted in ..." — not "whos the jordanian analyst the eastern
# herald piece quotes" (one of them). "who are the researchers quoted about iran and syria"
# asks for them all; "who is quoted about captagon" asks who said that.
_ASKS_QUOTED = re.compile(
    rf"^\W*(?:(?:and|so|ok|okay)\s+)?(?:(?:which|what|(?:list|name)(?: all)?(?: of)?(?: the)?"
    r"|who (?:are|were) (?:all )?the(?: main| key)?) (?:(?P<whose>[\w’'-]+) )?"
    rf"(?P<people>{_PEOPLE})|who(?:m)?(?: else)? (?:does|do|did)"
    r"|who(?: else)? (?:is|are|was|were|gets?|got) (?=(?:quoted|cited|interviewed|mentioned)\b))\b"
    rf"(?:.*\b(?:{_KINDS})\s+(?:\w+\s+)?(?:{_QUOTES})\b"
    r"|.*\b(?:quoted|cited|interviewed|mentioned)"
    r"(?:\s+(?:in|by|across|(?(people)(?:about|on|regarding)|(?!)))\b|\W*$))",
    re.IGNORECASE,
)


def asks_quoted(question: str) -> str | None:
    """Whom the question asks a text quotes: "experts" for "which experts does the eastern
    herald article quote" (experts, researchers, analysts ...: people quoted for their
    expertise), "officials" for "which officials are mentioned", "anyone" for "who is quoted
    in the mena paper"; None when it asks no such thing."""
    m = _ASKS_QUOTED.search(question)
    if m is None:
        return None
    people = m.group("people") or ""
    if re.fullmatch(_EXPERTS, people, re.IGNORECASE):
        return "experts"
    return "officials" if re.fullmatch(r"officials|leaders", people, re.IGNORECASE) else "anyone"


def asks_mentioned(question: str) -> bool:
    """ "who are all the iranian officials mentioned": anyone the texts name with a role,
    not only those they quote."""
    return bool(re.search(r"\bmention(?:s|ed)?\b", question, re.IGNORECASE))


# "which iranian officials ...", "the syrian experts": a nationality narrows who is asked
_NATIONALITY = re.compile(r"\w{4,}(?:ian|ean|an|i|ish|ese)", re.IGNORECASE)


def quoted_nationality(question: str) -> tuple[str, ...]:
    """The beginnings of the word naming the nationality of the people a question asks a
    text quotes: the word and it without its ending ("iranian", "irania", "irani", "iran" of
    "which iranian officials are mentioned across the articles", one of which "Iran’s
    Foreign Minister" begins with); empty when it names none ("which other experts")."""
    m = _ASKS_QUOTED.search(question)
    word = (m.group("whose") or "").lower() if m else ""
    if not _NATIONALITY.fullmatch(word):
        return ()
    ends = ("n", "i", "an", "ian", "ish", "ese")
    cut = [word[: -len(e)] for e in ends if word.endswith(e) and len(word) - len(e) >= 4]
    return (word, *cut)


@dataclass(frozen=True)
class PublisherNames:
    """How one document is named outside its text: the words of its page chrome and author
    ("MENA Research Center", "The Eastern Herald", "Marta Furlan"), those of them that name
    it alone (``rag.retrieval.retrieve.publisher_names``), and its author's words."""

    words: frozenset[str]
    own: frozenset[str]
    author: frozenset[str]


# Where a run of a publisher's words names a text: after a word pointing at a source (or
# opening the question) and before a verb of saying, a comparison, "that" or the question's
# end — "per mena", "in the eastern herald that ...", "what does the eastern herald say",
# "furlan says ...", "eastern herald vs mena" — not "in the brics summit" or "any news on".
_BEFORE_PUBLISHER = frozenset(
    {"", "per", "to", "in", "from", "by", "does", "did", "do", "wrote", "vs", "versus", "and", "n"}
)
_AFTER_PUBLISHER = re.compile(
    r"\s*(?:$|[,;:?!.]|(?:says?|said|writes?|wrote|argues?|argued|claims?|claimed|thinks?"
    r"|warns?|warned|notes?|noted|reports?|reported|vs\.?|versus|and|n|that|on|about|abt)\b)",
    re.IGNORECASE,
)
# A kind after the name, or after the next one's: "the mena and algemeiner papers"
_KIND_NEXT = re.compile(
    r"\s*(?:(?:,|and|&|n)\s+(?:the\s+)?(?:[\w’'.-]+\s+){1,3}?"
    r"(?:(?:article|piece|paper|essay|report|op-?ed|column)s|analyses|commentaries)"
    rf"|{_DOCUMENT_KIND}|one)\b",
    re.IGNORECASE,
)


# "..., according to Mahmoud Al-Bazi?", "per al qirbi", "acc to al-bazi in the ... one": a
# source named by who is quoted, up to the question's end, a comma or a word after the name
# A name of up to four words, up to where the question goes on ("per al qirbi in ...").
_SOURCE_NAME = r"((?:[\w’'-]+\s+){0,3}?[\w’'-]+)"
_NAME_ENDS = "in|on|about|and|n|who"
_BY_SOURCE = re.compile(
    r"\b(?:according to|acc to|per)\s+"
    r"(?!(?:the|a|an|all|these|those|both|each|his|her|their|its|what|which|how|capita)\b)"
    rf"{_SOURCE_NAME}(?=\s*(?:$|[,;:?!.]|\s(?:{_NAME_ENDS})\b))",
    re.IGNORECASE,
)


# "the piece that quotes andrew tabler", "the article which mentions captagon": a text named
# by whom or what it tells of
_TEXT_THAT = re.compile(
    rf"\b(?:{_DOCUMENT_KIND}|one)\s+(?:that|which)\s+(?:quotes|cites|mentions|interviews"
    r"|talks about|covers|discusses|is about|reports on)\s+"
    rf"{_SOURCE_NAME}(?=\s*(?:$|[,;:?!.]|\s(?:{_NAME_ENDS}|say|says|said|think|thinks"
    r"|argue|argues|published|written|come|came|was|is|were|are)\b))",
    re.IGNORECASE,
)


def source_names(question: str) -> list[str]:
    """Who the question says its answer is according to: "Mahmoud Al-Bazi" of "..., according
    to Mahmoud Al-Bazi?" (not "the MENA paper", a text named by its kind, nor a quoted
    title); or whom the text it asks of tells of: "andrew tabler" of "who is the author of
    the piece that quotes andrew tabler". Which text quotes them is for the collection to
    say (``rag.retrieval.retrieve.named_documents``)."""
    if _quotes(question):
        return []
    according = [
        m.group(1)
        for m in _BY_SOURCE.finditer(question)
        if not _KIND_NEXT.match(question[m.end(1) :])
        and not re.search(rf"\b{_DOCUMENT_KIND}$", m.group(1), re.IGNORECASE)
    ]
    return according + [m.group(1) for m in _TEXT_THAT.finditer(question)]


def named_by_publisher(question: str, publishers: list[PublisherNames]) -> str:
    """The question with a kind of text after each publisher it names without one ("how come
    iran wont walk away from assad, per mena" → "..., per mena piece"; "what does the
    eastern herald say about ..." → "what does the eastern herald piece say about ..."), so
    that ``document_names`` reads the name as every named text's is read. A name is a run of
    one publisher's words holding a word that names it alone, where it names a source
    (between ``_BEFORE_PUBLISHER`` and ``_AFTER_PUBLISHER``). Left as it is: a name with its kind
    ("the mena paper"), an author's full name (read as such: "why does marta furlan warn"),
    a quoted title, and a run where a name is only a topic ("the brics summit")."""
    if _quotes(question):
        return question
    words = list(re.finditer(r"[\w’'&.-]*\w", question))
    ends: list[int] = []
    for pub in publishers:
        i = 0
        while i < len(words):
            j = i
            while j < len(words) and _bare(words[j].group(0)) in pub.words:
                j += 1
            if j == i:
                i += 1
                continue
            run = {_bare(w.group(0)) for w in words[i:j]}
            k = i - 1 if i and words[i - 1].group(0).lower() not in ("the", "a") else i - 2
            before = words[k].group(0).lower() if k >= 0 else ""
            after = question[words[j - 1].end() :]
            if (
                run & pub.own
                and not (pub.author and pub.author <= run)
                and not _KIND_NEXT.match(after)
                and before in _BEFORE_PUBLISHER
                and _AFTER_PUBLISHER.match(after)
            ):
                ends.append(words[j - 1].end())
            i = j
    for end in sorted(ends, reverse=True):
        question = f"{question[:end]} piece{question[end:]}"
    return question


def _bare(word: str) -> str:
    """A word as a name's: lower-cased, without a possessive's apostrophe and "s"
    ("furlan’s"; a possessive typed without its apostrophe is restored before, by
    ``rag.text.casual.normalize_question``)."""
    return re.sub(r"['’]s$", "", word.lower())


def _quotes(question: str) -> bool:
    """Whether the question quotes something (a title, a phrase): its words are not read as
    names of publishers or sources."""
    return "“" in question or '"' in question


def document_names(question: str) -> list[str]:
    """The names by which the question points at a document ("MENA Research Center",
    "Marta Furlan's", "A Pragmatic Alliance?"). Which documents they name is for the
    collection's titles, authors and mastheads to say (``rag.retrieval.retrieve``)."""
    names: list[str] = []
    for m in _NAMED_DOCUMENT.finditer(question):
        names += _names_before_kind(m)[1] if m.group(1) is not None else [m.group(3) or m.group(4)]
    return [n for n in names if terms(n)]
