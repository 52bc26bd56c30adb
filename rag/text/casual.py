"""Questions as people type them: text-speak expanded, apostrophes restored and misspellings
corrected against the collection's own vocabulary, before the question is analysed or searched.

"y is syria so important 4 iran geographicaly" → "why is syria so important for iran
geographically"; "when were assads 2 trips" → "when were assad's 2 trips". A word is only
corrected when it is neither a word of the collection nor a common English word
(pyspellchecker's offline word list; a rare one, "aron", may be a name mistyped): then the
collection word one or two edits away (two for long words) wins, the most frequent first —
so names the collection spells ("Falahatpisheh") are reachable from a typo — else, for a
word not capitalised (a name) and not English, pyspellchecker's own correction. A
correctly spelled word is never "corrected" into a word of the documents ("analysis" is not
turned into "analysts"), except into the documents' hyphenated spelling of it ("postwar" →
"post-war", "alassad" → "al-assad"): both halves are then words the search can find. Two
words typed apart are joined into that spelling too ("al bazi" → "al-bazi"), and a half of
it is a word of the collection, never corrected ("bazi" had become "nazi").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Set
from functools import lru_cache
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from rag.text.words import STOP_WORDS

# Whole-word abbreviations of chat typing. Only forms that are not also ordinary words of
# news text ("us", "min", "ok" are left alone).
TEXT_SPEAK = {
    "u": "you",
    "ur": "your",
    "y": "why",
    "r": "are",
    "n": "and",
    "w": "with",
    "w/": "with",
    "b4": "before",
    "wat": "what",
    "wot": "what",
    "wht": "what",
    "wut": "what",
    "hw": "how",
    "wen": "when",
    "wn": "when",
    "wher": "where",
    "whr": "where",
    "bc": "because",
    "cuz": "because",
    "coz": "because",
    "abt": "about",
    "bout": "about",
    "govt": "government",
    "govts": "governments",
    "gov": "government",
    "admin": "administration",
    "pm": "prime minister",  # not after a number: "5 pm" (``_CLOCK``)
    "pms": "prime minister's",
    "fm": "foreign minister",
    "pres": "president",
    "prez": "president",
    "dept": "department",
    "depts": "departments",
    "intl": "international",
    "natl": "national",
    "bn": "billion",
    "yr": "year",
    "yrs": "years",
    "ppl": "people",
    "thru": "through",
    "frm": "from",
    "tbh": "",
    "imo": "",
    "whos": "who is",
    "whats": "what is",
    "wats": "what is",
    "whts": "what is",
    "wat's": "what is",
    "wheres": "where is",
    "hows": "how is",
    "whens": "when is",
    "didnt": "did not",
    "doesnt": "does not",
    "dont": "do not",
    "isnt": "is not",
    "wasnt": "was not",
    "werent": "were not",
    "arent": "are not",
    "cant": "cannot",
    "wont": "will not",
    "whn": "when",
    "b/c": "because",
    "w/o": "without",
    # compass points: "most of nw syria" (not "se": "per se")
    "nw": "northwest",
    "ne": "northeast",
    "sw": "southwest",
    # clipped words
    "heli": "helicopter",
    "helis": "helicopters",
    "uni": "university",
    "info": "information",
    "intel": "intelligence",
    "approx": "approximately",
    "convo": "conversation",
    "convos": "conversations",
    "mtg": "meeting",
    "mtgs": "meetings",
    "msg": "message",
    "msgs": "messages",
    "smth": "something",
    "sth": "something",
    "tho": "though",
    "bcuz": "because",
    "becuz": "because",
    "bcoz": "because",
    # Question and function words mistyped: they are stop words, which the collection's
    # vocabulary does not hold, so the nearest word of it would win ("waht" → "want",
    # "wich" → "with", "whre" → "were").
    "waht": "what",
    "hwat": "what",
    "whta": "what",
    "wehn": "when",
    "whne": "when",
    "wich": "which",
    "whcih": "which",
    "whihc": "which",
    "whch": "which",
    "whre": "where",
    "wehre": "where",
    "teh": "the",
    "hte": "the",
    "adn": "and",
    "pls": "",
    "plz": "",
    "pls.": "",
    "thx": "",
}
# Words that tell how the asker feels about the question, not what it is about ("was the
# visit actually announced", "who was really behind it", "wat exactly is he accusing them
# of"): dropped, or a sentence holding "actually" would count as holding part of what is
# asked, and one holding the topic but not the word would count less.
FILLERS = frozenset(
    ["actually", "really", "rly", "exactly", "basically", "literally", "kinda", "sorta", "truly"]
)
# "own" after a possessive ("assads own stance", "its own"), not the verb ("do the syrians
# own the land"): dropped when the next word is not a stop word (``after_possessive``).
_POSSESSIVE_WORDS = frozenset(["his", "her", "its", "their", "our", "my", "your"])
# "4"/"2" for "for"/"to" between two words ("important 4 iran"); not before a plural or a
# number ("2 trips", "4 billion"), where it is a count.
_DIGIT_WORD = {"4": "for", "2": "to"}
_PLURALS = frozenset({"people", "men", "women", "children"})  # plurals without an "s"
# Text-speak that is a time of day after a number ("at 5 pm"), not an abbreviation.
_CLOCK = {"pm"}
# An ordinal typed in digits: "when did assad 1st visit tehran" (the sentences write "the
# first", and "1st" was read as a number: "2011" was answered) — not a day of a month ("may
# 2nd", "the 3rd of june").
_ORDINAL = {"1st": "first", "2nd": "second", "3rd": "third", "4th": "fourth", "5th": "fifth"}
_MONTH = re.compile(
    r"^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?$|^of$", re.IGNORECASE
)
_TOKEN = re.compile(r"\S+")
# "whats"/"whos"/"wheres"/"hows" is "... has" before a perfect's participle: "whats the irgc
# done in syria", "whats happened to them", "hows the relationship changed" (read "what is
# the irgc done ..."). Most of these read as a passive right after "is" ("what is said
# about it", "what is done to stop it"): they make a perfect only after its subject; a few
# never make a passive (``_PERFECT_ALONE``). Typed misspelt ("happend") they are corrected
# first.
_IS_CONTRACTED = {w: w.replace(" is", " has") for w in ("what is", "who is", "where is", "how is")}
_PERFECT_ALONE = frozenset({"happened", "been", "become", "gone"})
_PERFECT = _PERFECT_ALONE | {"done", "said", "told", "got", "gotten", "changed", "met", "visited"}
# how far after "what is" its participle may come: "whats [the irgc] done", "whats [the new
# iranian government] said" — not a participle of a later clause of a long question
_PERFECT_REACH = 5
# what ends the clause the participle must be in: the next part of the question
_CLAUSE_END = frozenset({"and", "or", "but", "what", "who", "when", "where", "why", "how"})
# What people type before the question itself: a greeting, a hesitation, "quick q:",
# "eli5". "quick q: who is lund" was not read as "who is lund" (a description asked).
_OPENER = re.compile(
    r"^\W*(?:(?:(?:hey|hi|hiya|hello|yo|um+|uh+|hm+|please|pls|plz|eli5)\b"
    r"|(?:quick |one )?(?:q|question)\s*[:,-])\W*)+"
    # ... before a question or a request ("Hey Jude is a song by whom?" keeps its "Hey")
    r"(?=(?:who|whom|whose|what|whats|wat|wut|when|where|why|y|how|which|is|are|was|were"
    r"|do|does|did|can|could|would|will|should|has|have|tell|list|name|give|summari[sz]e"
    r"|explain|compare|describe)\b)",
    re.IGNORECASE,
)
_WORDLIKE = re.compile(r"^([^\w]*)([\w/'’-]+?)([^\w]*)$")


@lru_cache(maxsize=1)
def english() -> Any:
    """pyspellchecker's English dictionary (loaded once, ~0.5 s)."""
    from spellchecker import SpellChecker

    return SpellChecker(distance=1)


# pyspellchecker's frequencies: "meet" 747289, "trip" 89850, "analysis" 16746, "henry" 4149,
# "aron" 81, "aaron" 50.
_RARE_ENGLISH = 100


def _edits_allowed(word: str) -> int:
    return 0 if len(word) < 4 else 1 if len(word) < 8 else 2


def compound_parts(vocabulary: Mapping[str, int]) -> frozenset[str]:
    """The halves of the collection's hyphenated words ("bazi" of "al-bazi"): words of the
    collection too, though no chunk holds them alone."""
    return frozenset(p for w in vocabulary if "-" in w for p in w.split("-") if p.isalpha())


def correct_word(
    word: str, vocabulary: Mapping[str, int], parts: frozenset[str] = frozenset()
) -> str:
    """``word`` spelled as the collection spells it, or unchanged (see the module docstring).
    ``vocabulary`` maps lower-cased words to how many chunks hold them; ``parts`` are the
    halves of its hyphenated words (``compound_parts``), which are left as they are ("al
    bazi" became "al nazi")."""
    low = word.lower()
    owner = re.match(r"^(.+?)(['’]s)$", word)
    if owner and low not in vocabulary:  # "irael's": the owner's spelling is corrected
        return correct_word(owner.group(1), vocabulary, parts) + owner.group(2)
    if low in vocabulary or low in parts or low in STOP_WORDS or not low.isalpha():
        return word
    for cut in range(2, len(low) - 1):  # "postwar" where the documents write "post-war"
        joined = f"{low[:cut]}-{low[cut:]}"
        if joined in vocabulary:
            return joined
    # A short rare English word is more likely a name mistyped ("aron" for "aaron",
    # pyspellchecker has both): it is corrected to a collection word one edit away, if one
    # is. Not a long one: "synchronously" is not "asynchronously".
    rare = low in english() and english().word_frequency[low] < _RARE_ENGLISH and len(low) < 8
    if low in english() and not rare:
        return word
    if low.endswith("s") and low[:-1] in vocabulary and f"{low[:-1]}’s" in vocabulary:
        return f"{word[:-1]}’s"  # a possessive typed without its apostrophe ("assads")
    if low.endswith("s") and low[:-1] in vocabulary:
        return word
    edits = _edits_allowed(low)
    if not edits:
        return word
    near = process.extract(
        low,
        [w for w in vocabulary if w.isalpha() and abs(len(w) - len(low)) <= edits],
        scorer=DamerauLevenshtein.distance,
        score_cutoff=edits,
        limit=8,
    )
    if not near:  # a capitalised word is a name the collection does not hold: keep it
        return word if word[0].isupper() or rare else english_correction(low) or word
    # Of words as near, one the typed letters spell with some left out ("spnd": "spend",
    # not "send"): chat typing drops letters, vowels most.
    best = min(near, key=lambda hit: (hit[1], not omits(low, hit[0]), -vocabulary[hit[0]]))
    # An English word nearer than any collection word is what was meant: "artciles" is
    # "articles" (one letter swapped), not the collection's "article" (two edits). A name
    # typed capitalised is left to the collection.
    alt = None if word[0].isupper() or rare else english_correction(low)
    if alt and alt != low and DamerauLevenshtein.distance(low, alt) < best[1]:
        return alt
    return str(best[0])


def omits(typed: str, word: str) -> bool:
    """Whether ``typed`` is ``word`` with letters left out ("spnd" of "spend")."""
    letters = iter(word)
    return all(c in letters for c in typed)


def english_correction(low: str) -> str | None:
    """pyspellchecker's correction of ``low``: its most frequent candidate, one that ``low``
    spells with letters left out first ("spnd": "spend", not the more frequent "send")."""
    candidates = english().candidates(low) or set()
    spelled = [w for w in candidates if omits(low, w)]
    # ties broken by the word itself: a set's order changes from process to process
    # (pyspellchecker's own ``correction`` took "cardio" for "cardie" or "cardin" by it)
    return (
        str(max(spelled or candidates, key=lambda w: (english().word_usage_frequency(w), w)))
        if candidates
        else None
    )


def normalize_question(
    question: str, vocabulary: Mapping[str, int] | None = None, names: Set[str] = frozenset()
) -> str:
    """The question with text-speak expanded and, given the collection's ``vocabulary``,
    possessives and misspellings corrected, and words of feeling (``FILLERS``: "actually",
    "really") dropped. Other clean questions come back unchanged.

    ``names``: the words the collection writes as names (capitalised). One typed with an
    "s" and no apostrophe before a word that is not a stop word is its possessive, though
    the collection never writes it so, and though it is an English word: "whats turkeys
    attitude toward assad", "hezbollahs role" (``name_possessive``)."""
    tokens = _TOKEN.findall(_OPENER.sub("", question))
    if vocabulary:
        tokens = joined_compounds(tokens, vocabulary)
    parts = compound_parts(vocabulary) if vocabulary else frozenset()
    # "really?" alone, a reply to the last answer, is the question: nothing else to keep
    beyond = any(t.lower().strip("?.,!;:") not in FILLERS for t in tokens)
    out: list[str] = []
    for i, token in enumerate(tokens):
        m = _WORDLIKE.match(token)
        if m is None:
            out.append("and" if token in ("&", "+") else token)  # "israel & iran"
            continue
        lead, word, trail = m.groups()
        low = word.lower()
        a_time = low in _CLOCK and i > 0 and tokens[i - 1][-1:].isdigit()  # "5 pm"
        if (beyond and low in FILLERS) or (low == "own" and after_possessive(out, tokens[i + 1 :])):
            if out and trail:
                out[-1] += trail  # "who was it really?" → "who was it?"
            continue  # "actually, who met him?" → "who met him?"
        if low in TEXT_SPEAK and (len(low) > 1 or word.islower()) and not a_time:
            word = TEXT_SPEAK[low]  # ("W." is an initial)
        elif low in _ORDINAL and not any(
            _MONTH.match(t.strip("?.,!")) for t in tokens[max(i - 1, 0) : i] + tokens[i + 1 : i + 2]
        ):
            word = _ORDINAL[low]
        elif low in _DIGIT_WORD and 0 < i < len(tokens) - 1:
            nxt = tokens[i + 1].lower().strip("?.,!")
            prev = tokens[i - 1].lower().strip("?.,!")
            said = TEXT_SPEAK.get(nxt, nxt)  # "which 2 ppl": "people", a plural
            plural = said.endswith("s") or said in _PLURALS
            if nxt.isalpha() and prev.isalpha() and not plural and nxt not in _CLOCK:
                word = _DIGIT_WORD[low]
        elif vocabulary and name_possessive(word, vocabulary, names, tokens[:i], tokens[i + 1 :]):
            word = f"{word[:-1]}’s"
        elif vocabulary:
            word = correct_word(word, vocabulary, parts)
        if word or lead or trail:
            out.append(f"{lead}{word}{trail}")
    return " ".join(perfect_asked(x for x in out if x.strip()))


def perfect_asked(words: Iterable[str]) -> list[str]:
    """``words`` with a typed-short "what is" (as ``TEXT_SPEAK`` expands "whats"; "who is",
    "where is", "how is" alike) read "what has" when a participle of a perfect follows in
    its clause (``_PERFECT``): "what is the irgc done in syria" → "what has the irgc done in
    syria"; "what is said about it" and "what is iran called" are kept. A "what is" typed
    as two words is left as it was typed."""
    out = list(words)
    for i, word in enumerate(out):
        has = _IS_CONTRACTED.get(word.lower())
        if has is None:
            continue
        for j in range(i + 1, min(i + 1 + _PERFECT_REACH, len(out))):
            low = out[j].lower().strip(_PUNCTUATION)
            if low in _CLAUSE_END or (j > i + 1 and out[j - 1][-1:] in _PUNCTUATION):
                break
            if low in _PERFECT_ALONE or (low in _PERFECT and j > i + 1):
                out[i] = has
                break
    return out


_PUNCTUATION = "?.,!;:"
# what people named in the plural do ("saudis say", "syrians want"): no thing of theirs
_PEOPLE_DO = frozenset(
    {"say", "says", "said", "think", "thinks", "thought", "want", "wants", "wanted", "believe"}
)
# ... nor a particle of the verb before them: "sending syrians back", "kick iranians out"
_PARTICLES = frozenset(
    {"back", "out", "up", "down", "away", "home", "off", "over", "again", "instead", "anymore"}
)


def name_possessive(
    word: str, vocabulary: Mapping[str, int], names: Set[str], before: list[str], after: list[str]
) -> bool:
    """Whether ``word`` is a name's possessive typed without its apostrophe ("turkeys",
    "raisis", "kash patels"): the name is one of ``names``, the word with its "s" is no word
    of the ``vocabulary``, the next word (first of ``after``) is a word, not a stop word
    nor what people do nor a verb's particle ("turkeys attitude", not "do the kurds have",
    "saudis say", "sending syrians back"), and the one before (last of ``before``) is no
    article ("the syrians": people, not their things)."""
    low = word.lower()
    if not names or not low.endswith("s") or low in vocabulary or low[:-1] not in names:
        return False
    if len(low) < 5:  # a name of three letters or fewer is an abbreviation's or a title's,
        return False  # "us forces", "iranian mps", "mrs": no "U’s", "MP’s", "Mr’s"
    prev = before[-1].lower().strip(_PUNCTUATION) if before else ""
    nxt = after[0].lower().strip(_PUNCTUATION) if after else ""
    if prev in ("the", "these", "those", "both", "many", "some", "all"):
        return False
    return nxt.isalpha() and nxt not in STOP_WORDS | _PEOPLE_DO | _PARTICLES


def after_possessive(before: list[str], after: list[str]) -> bool:
    """Whether "own" follows a possessive (the question so far, apostrophes restored, ends
    in one) and comes before a word that is not a stop word: "assad’s own stance", "its own
    interests" — not the verb of "do the kurds own the land", "the kurds own oil fields"."""
    if not before or not after:
        return False
    prev = before[-1].lower()
    nxt = after[0].lower().strip("?.,!")
    possessive = prev in _POSSESSIVE_WORDS or prev.endswith(("'s", "’s", "s'", "s’"))
    return possessive and nxt.isalpha() and nxt not in STOP_WORDS


def joined_compounds(tokens: list[str], vocabulary: Mapping[str, int]) -> list[str]:
    """Two words typed apart that the collection writes as one hyphenated word, joined: "al
    bazi" → "al-bazi", "post war" → "post-war", "us backed" → "us-backed" — when one of the
    two is no more often a word of its own than the compound is (not "iran syria": the
    documents write "Iran" and "Syria" far more often than "Iran-Syria")."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        first, second = tokens[i], tokens[i + 1] if i + 1 < len(tokens) else ""
        a = _WORDLIKE.match(first)
        b = _WORDLIKE.match(second) if second else None
        if a and b and not a.group(3) and not b.group(1):
            # "al bazis view": the second word's possessive stays on the compound
            owner = re.match(r"^(.+?)(['’]s?)$", b.group(2))
            second_word, owned = owner.groups() if owner else (b.group(2), "")
            typed_s = f"{a.group(2)}-{second_word[:-1]}".lower()
            if not owner and second_word.endswith("s") and typed_s in vocabulary:
                second_word, owned = second_word[:-1], "’s"  # typed without its apostrophe
            halves = (a.group(2).lower(), second_word.lower())
            compound = "-".join(halves)
            if (
                compound in vocabulary
                and not any(h in STOP_WORDS for h in halves)
                and min(vocabulary.get(h, 0) for h in halves) <= vocabulary[compound]
            ):
                out.append(f"{a.group(1)}{a.group(2)}-{second_word}{owned}{b.group(3)}")
                i += 2
                continue
        out.append(first)
        i += 1
    return out
