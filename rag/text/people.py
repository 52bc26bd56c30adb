"""People as the documents introduce them: by a role ("Syrian Foreign Minister Faisal
Mekdad", "Aaron Lund, an expert on Syrian affairs"), often reporting what they say. Read by
``rag.answer.claims.quoted_people`` (whom a text quotes) and ``rag.answer.evidence.plan``
(what describes someone asked about: "who is mekdad")."""

from __future__ import annotations

import re
from functools import lru_cache

from rag.text.questions import clause
from rag.text.words import bm25_tokens, holds, owner, stem_word, terms

# How a text introduces someone it quotes: by their role ("Iranian affairs researcher, Dr.
# Mahmoud Al-Bazi, believes", "MP Heshmatullah Falahatpisheh ... said", "The Syrian
# researcher at the Omran Center ..., Mohammad Al-Abdullah, believes") or with it ("Aaron
# Lund, an expert on Syrian affairs", "Amer Al-Sabaila, a Jordanian university professor").
_EXPERT_ROLES = (
    r"researchers?|experts?|analysts?|professors?|scholars?|specialists?|fellows?"
    r"|journalists?|commentators?|economists?|academics?"
)
_OFFICIAL_ROLES = (
    r"officials?|spokes(?:man|woman|person)|ministers?|directors?|advis[eo]rs?|envoys?"
    r"|diplomats?|MPs?|chancellors?|commanders?|head|chairman|ambassadors?|presidents?"
    r"|leaders?"
)
# a name: capitalised words, an "al-" or "bin" inside ("Amer al-Sabaileh"), none of them a
# word that names an institution ("the Omran Center for Strategic Studies")
_INSTITUTION = (
    r"Center|Centre|Foundation|Institute|Desk|University|Ministry|Council|Committee"
    r"|Organization|Office|News|Herald|Studies|Army|Guard|Corps|Forces|Party|Republic|Union"
    r"|Nations|House|Department|Agency|Media|The|In|On|According|However|Former"
)
_NAME_WORD = rf"(?!(?:{_INSTITUTION})\b)[A-Z][\w’'-]+"
_PERSON = (
    rf"(?:Dr\.?\s+)?((?:{_NAME_WORD}\s+(?:(?:al|el|bin|ibn)[-\s])?){{1,3}}{_NAME_WORD}"
    rf"|(?:Al|El)-{_NAME_WORD})"
)
_NOT_A_NAME = re.compile(
    rf"(?:{_EXPERT_ROLES}|{_OFFICIAL_ROLES}|{_INSTITUTION}|Affairs)",
    re.IGNORECASE,
)


def names_no_one(word: str) -> bool:
    """Whether a capitalised word is a role or an institution's ("Foreign Minister", "the
    Century Foundation"), not a name of its own."""
    return bool(_NOT_A_NAME.fullmatch(word))


# ... quoted: the sentence reports what they say or think
REPORTS = re.compile(
    r"\b(?:said|says|say|stated|states|noted|notes|believes?|believed|told|tells|explains?"
    r"|explained|adds?|added|points? out|pointed out|according to|in the view of|argues?"
    r"|argued|warned|warns|remarked|thinks?|thought|asserted|asserts|announced|insists?"
    r"|insisted|highlighted|emphasi[sz]ed|stressed|considers?|sees?)\b",
    re.IGNORECASE,
)


def _introductions(roles: str) -> re.Pattern[str]:
    return re.compile(
        rf"\b(?i:{roles})\b(?:\s+(?:at|of|from|with)\s+[^,.;]{{1,70}}?)?,?[”\"’]?\s+{_PERSON}"
        rf"|{_PERSON},\s+(?:a|an|the)\s+[^,.;]{{0,80}}?\b(?i:{roles})\b"
    )


INTRODUCES = {
    "experts": _introductions(_EXPERT_ROLES),
    "officials": _introductions(_OFFICIAL_ROLES),
    "anyone": _introductions(f"{_EXPERT_ROLES}|{_OFFICIAL_ROLES}"),
}


def introduces(sentence: str, name: str) -> bool:
    """Whether ``sentence`` introduces the person ``name`` (every word of it, in any case) by
    a role: "Syrian Foreign Minister Faisal Mekdad" for "mekdad"."""
    wanted = set(terms(name))
    for m in INTRODUCES["anyone"].finditer(sentence):
        person = next((g for g in m.groups() if g), "")
        if wanted and wanted <= set(terms(person)):
            return True
    return False


# "who is syria's prime minister", "who's the german chancellor": a role asked for, its holder's
# name the answer (the role's last word; an owner before it, "syria's", may be written
# "Syrian")
_ROLE = re.compile(rf"(?:{_EXPERT_ROLES}|{_OFFICIAL_ROLES})", re.IGNORECASE)


@lru_cache(maxsize=256)
def role_words(subject: str) -> frozenset[str]:
    """The stems of the role ``subject`` names, without its owner ("prime", "minist" of
    "syria's prime minister"); empty when it names no role ("mekdad", "the land corridor").
    Remembered: a plan asks it of every sentence it ranks."""
    words = subject.split()
    if not words or not _ROLE.fullmatch(words[-1].strip("?.!,")):
        return frozenset()
    kept = " ".join(w for w in words if owner(w) == w)
    return frozenset(bm25_tokens([" ".join(terms(kept))])[0])


def introduced_as(sentence: str, subject: str) -> bool:
    """Whether ``sentence`` introduces someone by the role ``subject`` names: "Syrian Prime
    Minister Hussein Arnous traveled to Tehran" for "syria's prime minister"."""
    wanted = role_words(subject)
    if not wanted:
        return False
    for m in INTRODUCES["anyone"].finditer(sentence):
        # the role's own words before its last ("Prime" of "Prime Minister Hussein Arnous")
        before = " ".join(sentence[: m.start()].split()[-3:])
        if wanted <= set(bm25_tokens([f"{before} {m.group(0)}"])[0]):
            return True
    return False


def describes(sentence: str, subject: str) -> bool:
    """Whether ``sentence`` can describe what "who is X" / "what is X" asks about: it names
    all of X, or, for a role, introduces its holder by it (``introduced_as``)."""
    return holds(sentence, subject) or introduced_as(sentence, subject)


# Whose a role is: a nationality or a country's possessive right before it, past the role's
# own words ("Iran’s Foreign Minister", "Former US Ambassador", "the syrian deputy foreign
# minister"). A country's name alone there is a topic, not an owner ("Russia’s Syria envoy").
_ROLE_HEAD = re.compile(rf"\b(?:{_OFFICIAL_ROLES})\b", re.IGNORECASE)
_ROLE_WORDS = frozenset(
    {"foreign", "prime", "deputy", "former", "senior", "defense", "defence", "supreme", "vice"}
    | {"interior", "finance", "economy", "trade", "then", "acting", "top", "chief", "new"}
    | {"current", "special", "ex"}
)
# Countries as named and as their people are: spellings of one country that share no
# four-letter beginning in one group ("spain", "spanish"), the others by their name alone
# ("iran" begins "iranian"; "iraq" is another country, "iraqi" its people).
_COUNTRY_GROUPS = (
    frozenset({"us", "usa", "america", "american"}),
    frozenset({"uk", "britain", "british"}),
    frozenset({"france", "french"}),
    frozenset({"uae", "emirati", "emirates"}),
    frozenset({"netherlands", "dutch"}),
    frozenset({"spain", "spanish"}),
    frozenset({"denmark", "danish"}),
    frozenset({"poland", "polish"}),
    frozenset({"sweden", "swedish"}),
    frozenset({"finland", "finnish"}),
    frozenset({"ireland", "irish"}),
    frozenset({"greece", "greek"}),
    frozenset({"switzerland", "swiss"}),
)
_COUNTRIES = frozenset(
    [
        "afghanistan",
        "algeria",
        "armenia",
        "australia",
        "austria",
        "azerbaijan",
        "bahrain",
        "belgium",
        "brazil",
        "canada",
        "china",
        "cyprus",
        "egypt",
        "ethiopia",
        "germany",
        "india",
        "indonesia",
        "iran",
        "iraq",
        "israel",
        "italy",
        "japan",
        "jordan",
        "korea",
        "kuwait",
        "lebanon",
        "libya",
        "morocco",
        "norway",
        "oman",
        "pakistan",
        "palestine",
        "qatar",
        "russia",
        "saudi",
        "sudan",
        "syria",
        "tunisia",
        "turkey",
        "ukraine",
        "yemen",
    ]
)
_DEMONYM_END = re.compile(r"(?:ian|ean|an|i|ish|ese)$")
_GROUPED = frozenset().union(*_COUNTRY_GROUPS)
# "who is iran’s ambassador", "whos the russian envoy", "which iranian foreign minister",
# "name the syrian prime minister": the holder of the role is what is asked. Not "which city
# did iran’s foreign minister visit", nor "what did iran’s ambassador say".
_ASKS_HOLDER = re.compile(
    r"\W*(?:who(?:['’]?s)?|which|what|name)(?:\s+(?:is|was|are|were))?(?:\s+(?:the|a|an))?"
    r"\s+(?P<owner>.*)",
    re.IGNORECASE | re.DOTALL,
)


def _country(word: str) -> str | None:
    """The country a word names as one owning something (lower-cased): a country's
    possessive ("iran’s") or a nationality ("iranian", "US", "spanish"); None for anything
    else, a country's bare name among them ("the Syria envoy"), a name ending like a
    nationality ("khamenei") or a word ("civilian")."""
    own = owner(word)
    if own in _GROUPED:
        return own
    if own != word:
        return own if own in _COUNTRIES else None
    cut = _DEMONYM_END.sub("", word, count=1)  # "syrian" → "syr", "iraqi" → "iraq"
    named = any(c.startswith(cut) or cut.startswith(c[:4]) for c in _COUNTRIES)
    return word if cut != word and len(cut) >= 3 and named else None


def _owner_of(words: list[str]) -> str | None:
    """The country owning a role whose words end ``words``: the first word before it that
    is not one of the role's own, if it names one (``_country``); None otherwise."""
    for word in reversed(words[-4:]):
        bare = word.strip('“”"(),').lower()
        if bare in _ROLE_WORDS or _ROLE_HEAD.fullmatch(bare):
            continue
        return _country(bare)
    return None


def _same_country(a: str, b: str) -> bool:
    """Whether two owners (``_country``) are one country: "iran" and "iranian", "spain"
    and "spanish" — not "iran" and "iraqi"."""
    grouped = any(a in g and b in g for g in _COUNTRY_GROUPS)
    return grouped or a == b or (len(a) >= 4 and a[:4] == b[:4])


def someone_elses_role(question: str, sentence: str) -> bool:
    """Whether ``sentence`` gives the role the question asks for only as another country's:
    "Former US Ambassador to Syria, Robert Ford" for "whos iran’s ambassador to syria" — a
    near miss, not the answer. False when the question names no owner of the role, or the
    sentence gives the role without one or as the asked country's ("Syrian Prime Minister
    Hussein Arnous" for "syria’s prime minister")."""
    own = clause(question)
    head = _ROLE_HEAD.search(own)
    asks = _ASKS_HOLDER.fullmatch(own[: head.start()]) if head is not None else None
    if head is None or asks is None:
        return False  # the role names no one asked for ("acc to the us ambassador, which …")
    # between the question word and the role: its owner and the role's own words, nothing
    # else ("which city did iran’s foreign minister visit" asks for a city)
    words = [w.strip('“”"(),').lower() for w in asks["owner"].split()]
    others = [w for w in words if w not in _ROLE_WORDS]
    wanted = _country(others[0]) if len(others) == 1 else None
    if wanted is None:
        return False
    role = stem_word(head.group(0).lower())
    owners = [
        _owner_of(sentence[: m.start()].split())
        for m in _ROLE_HEAD.finditer(sentence)
        if stem_word(m.group(0).lower()) == role
    ]
    return bool(owners) and not any(o is None or _same_country(o, wanted) for o in owners)
