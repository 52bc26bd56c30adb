"""``retrieve``: the retrieval mode chosen by ``Settings.retrieval``, in one registry."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from typing import Any, TypeVar

from rag.config import Settings
from rag.retrieval.dense import as_node, dense, to_passages
from rag.retrieval.fusion import hybrid, rrf
from rag.retrieval.lexical import vocabulary
from rag.retrieval.scoring import idf_weights, term_share
from rag.schemas import Passage
from rag.store.chunks import content_stamp, document_chunks
from rag.text.casual import correct_word
from rag.text.questions import DOCUMENT_WORDS, PublisherNames, document_names, source_names
from rag.text.sentences import in_title_case
from rag.text.words import terms
from rag.tuning import TUNING

Retriever = Callable[[str, Any, Settings, int], list[Any]]
RETRIEVERS: dict[str, Retriever] = {"hybrid": hybrid, "rrf": rrf, "dense": dense}


def retrieve(question: str, collection: Any, settings: Settings, top_k: int) -> list[Passage]:
    """The ``top_k`` best passages for the question, numbered 1..n."""
    if top_k <= 0 or collection.count() == 0:
        return []
    return to_passages(RETRIEVERS[settings.retrieval](question, collection, settings, top_k))


def merged(*rankings: list[Passage]) -> list[Passage]:
    """Several retrievals as one list (first occurrence of each chunk kept), renumbered."""
    seen: dict[str, Passage] = {}
    for ranking in rankings:
        for p in ranking:
            seen.setdefault(p.chunk_id, p)
    return [p.model_copy(update={"id": i}) for i, p in enumerate(seen.values(), start=1)]


def document_passages(doc_id: str, collection: Any) -> list[Passage]:
    """All chunks of one document as passages, numbered 1..n in the document's order."""
    rows = document_chunks(collection, doc_id)
    return to_passages([as_node(cid, text, meta, 0.0) for cid, text, meta in rows])


def main_document(
    question: str, passages: list[Passage], collection: Any, settings: Settings
) -> str | None:
    """The document a whole-document question is about, among the passages' documents.

    A document scores its share of the retrieval (the sum of its passages' scores) plus the
    IDF-weighted share of the question's words found in how it is named: title, author and
    its first and last lines (where a publisher names itself: "... reserved to MENA Research
    Center"). "Marta Furlan's article on ..." is then her article even when another one
    shares more of the question's topic words."""
    votes: dict[str, float] = {}
    for p in passages:
        if p.doc_id:
            votes[p.doc_id] = votes.get(p.doc_id, 0.0) + max(p.score, 0.0)
    if not votes:
        return None
    total = sum(votes.values()) or 1.0
    words = [t for t in terms(question) if t not in DOCUMENT_WORDS]
    weights = idf_weights(" ".join(words), vocabulary(collection, settings), collection.count())

    def named(doc_id: str) -> float:
        return term_share(weights, masthead(collection, doc_id)) if weights else 0.0

    return max(votes, key=lambda d: votes[d] / total + named(d))


def metadata_name(meta: dict[str, Any]) -> str:
    """The names a chunk's metadata gives its document: title, author and masthead."""
    return " ".join(str(meta.get(key) or "") for key in ("title", "author", "masthead"))


T = TypeVar("T")
_STAMPS_KEPT = 16


def per_stamp(cache: dict[tuple[str, str], T], collection: Any, build: Callable[[], T]) -> T:
    """What ``build`` reads from the collection, kept in ``cache`` per collection and content
    stamp (a write gives the collection a new one); the cache is emptied past a few stamps."""
    key = (collection.name, content_stamp(collection))
    found = cache.get(key)
    if found is None:
        if len(cache) > _STAMPS_KEPT:
            cache.clear()
        found = cache[key] = build()
    return found


_MASTHEADS: dict[tuple[str, str], dict[str, str]] = {}


def masthead(collection: Any, doc_id: str) -> str:
    """How a document is named: its title, author, page chrome ("All rights reserved to MENA
    Research Center", ``rag.ingest.loaders.CleanDocument.masthead``) and first and last
    lines. Read once per document and content stamp: every question naming a document (and
    each part of one naming its own) compares the candidates' mastheads."""
    heads = per_stamp(_MASTHEADS, collection, dict)
    if doc_id not in heads:
        rows = document_chunks(collection, doc_id)
        ends = [rows[0][1][:_PROFILE_CHARS], rows[-1][1][-_PROFILE_CHARS:]] if rows else []
        heads[doc_id] = " ".join([metadata_name(rows[0][2]), *ends]) if rows else ""
    return heads[doc_id]


_METAS: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}


def document_metas(collection: Any) -> dict[str, dict[str, Any]]:
    """Each document's metadata (its first chunk's: title, author, masthead ...), read from
    every chunk's once per content stamp (a write gives the collection a new one)."""

    def read() -> dict[str, dict[str, Any]]:
        metas: dict[str, dict[str, Any]] = {}
        for meta in collection.get(include=["metadatas"]).get("metadatas") or []:
            metas.setdefault(str(meta.get("doc_id")), meta)
        return metas

    return per_stamp(_METAS, collection, read)


Naming = tuple[dict[str, str], Counter[str], Counter[str]]
_NAMING: dict[tuple[str, str], Naming] = {}


def _naming(collection: Any) -> Naming:
    """Each document's ``metadata_name``, the words of them all, and the words of the
    authors' names (each with how many documents hold it), once per content stamp."""

    def read() -> Naming:
        metas = document_metas(collection)
        names = {doc: metadata_name(meta) for doc, meta in metas.items()}
        authors = [str(meta.get("author") or "") for meta in metas.values()]
        words = Counter(t for head in names.values() for t in set(terms(head)))
        return names, words, Counter(t for name in authors for t in set(terms(name)))

    return per_stamp(_NAMING, collection, read)


def metadata_names(collection: Any) -> dict[str, str]:
    """Each document's ``metadata_name`` (title, author, masthead), by document id."""
    return _naming(collection)[0]


def naming_words(collection: Any) -> Counter[str]:
    """The words of the collection's titles, authors and mastheads, with how many documents
    hold each: words a document is named by ("the mena paper") that its chunks may never
    use, so that the spelling check does not "correct" them ("mena" → "mean")."""
    return _naming(collection)[1]


def possessive_names(collection: Any) -> dict[str, int]:
    """ "furlan’s" for each word of the documents' authors' names, with how many documents
    they wrote: a possessive typed without its apostrophe ("furlans piece", "bajwas
    article") names the author's document, though the documents never write it. (Not every
    name the documents write capitalised: "saudis" and "alawites" are plurals.)"""
    return {f"{w}’s": n for w, n in _naming(collection)[2].items()}


_PUBLISHERS: dict[tuple[str, str], list[PublisherNames]] = {}


def publisher_names(collection: Any) -> list[PublisherNames]:
    """How each document is named outside its text (``PublisherNames``): the words of its page
    chrome and author, and those that name it alone — written capitalised in a sentence there
    (not opening it, nor in a line of capitalised words: "Subscribe", "Latest News"), and
    held by no other document's text or names ("mena", "herald", "algemeiner", "furlan"; not
    "eastern": "Eastern Europe"). Read once per content stamp."""

    def read() -> list[PublisherNames]:
        metas = document_metas(collection)
        texts, _ = document_vocabularies(collection)
        named = {d: set(terms(head)) for d, head in metadata_names(collection).items()}
        # how many documents hold each word in their text or names
        held = Counter(w for d in metas for w in set(texts.get(d, ())) | named.get(d, set()))
        found = []
        for doc, meta in metas.items():
            chrome, author = str(meta.get("masthead") or ""), str(meta.get("author") or "")
            capitalised = set(terms(author))
            for line in re.split(r"\s+/\s+|(?<=[.!?])\s+", chrome):
                if in_title_case(line):
                    continue  # a menu or heading: "Latest News", "Share On Facebook"
                words = re.findall(r"\w[\w’'-]*", line)
                capitalised.update(t for w in words[1:] if w[0].isupper() for t in terms(w))
            mine = set(texts.get(doc, ())) | named.get(doc, set())
            own = {w for w in capitalised if held[w] <= (w in mine)}
            if not own:
                continue  # no word names it alone: a run of its words names nothing
            found.append(
                PublisherNames(
                    words=frozenset(terms(f"{chrome} {author}")),
                    own=frozenset(own),
                    author=frozenset(terms(author)),
                )
            )
        return found

    return per_stamp(_PUBLISHERS, collection, read)


def document_author(collection: Any, doc_id: str) -> str:
    """The author a document's metadata gives ("" when none was found at ingest)."""
    rows = document_chunks(collection, doc_id)
    return str(rows[0][2].get("author") or "") if rows else ""


def described_document(description: str, collection: Any, settings: Settings) -> str | None:
    """The document a description points at ("the algemeiner piece", "the piece on the
    assad khamenei meeting"): the one it names (``named_documents``), else the one retrieval
    and its words point to (``main_document``)."""
    found = retrieve(description, collection, settings, TUNING.summary_depth)
    named, _ = named_documents(description, found, collection, settings)
    if len(named) == 1:
        return named[0]
    return main_document(description, found, collection, settings)


def named_documents(
    question: str, passages: list[Passage], collection: Any, settings: Settings
) -> tuple[list[str], bool]:
    """The documents among the passages' that the question names: by an author's full name
    ("Why does Marta Furlan warn ..."), or by a name (``document_names``: "according to the
    MENA Research Center paper") whose words, IDF-weighted, one document holds at least
    ``TUNING.named_share`` of in its ``masthead``, and more of than any other's. Also
    whether every name the question gives was resolved ("the 2022 analysis and the 2024
    reports": the second names several documents alike, so the question is not about one)."""
    asked = set(terms(question))
    found: list[str] = []
    for p in passages:
        if p.doc_id and p.author and set(terms(p.author)) <= asked and p.doc_id not in found:
            found.append(p.doc_id)
    names = document_names(question)
    docs = list(dict.fromkeys(p.doc_id for p in passages if p.doc_id))
    if names:
        # A document named by its publisher may have no passage among those retrieved ("who
        # wrote the algemeiner piece": no topic words to find it by): every document whose
        # title, author or masthead holds a word of the name is a candidate too.
        known = naming_words(collection)
        wanted = {correct_word(w, known) for name in names for w in terms(name)}
        docs += [
            d
            for d, head in metadata_names(collection).items()
            if d not in docs and wanted & set(terms(head))
        ]
    heads = {d: masthead(collection, d) for d in docs} if names else {}
    # A misspelt name ("the algmeiner piece") is read as the mastheads spell it: publishers
    # are named in page chrome, which the collection's vocabulary does not hold.
    spelled = Counter(t for h in heads.values() for t in set(terms(h)))
    resolved = True
    for typed in names:
        name = " ".join(correct_word(w, spelled) for w in typed.split())
        weights = idf_weights(name, vocabulary(collection, settings), collection.count())
        shares = sorted(((term_share(weights, h), d) for d, h in heads.items()), reverse=True)
        if (
            not shares
            or shares[0][0] < TUNING.named_share
            or (len(shares) > 1 and shares[1][0] >= shares[0][0])  # several alike
        ):
            # "the khaji article": named by what it is about, not by who published it
            topic = topic_document(typed, collection, settings)
            if topic is None:
                resolved = False
            elif topic not in found:
                found.append(topic)
        elif shares[0][1] not in found:
            found.append(shares[0][1])
    for source in source_names(question):
        # "..., according to Mahmoud Al-Bazi?": the text quoting him, when one holds most of
        # what names him (a source quoted in several names none)
        doc = topic_document(source, collection, settings)
        if doc is not None and doc not in found:
            found.append(doc)
    return found, resolved


Vocabularies = tuple[dict[str, Counter[str]], Counter[str]]
_VOCABULARIES: dict[tuple[str, str], Vocabularies] = {}


def document_vocabularies(collection: Any) -> Vocabularies:
    """Each document's content words, with how many of its chunks hold each, and how many
    chunks hold each word capitalised (a name: "Khaji", "Albanese"); read once per content
    stamp."""

    def read() -> Vocabularies:
        got = collection.get(include=["documents", "metadatas"])
        docs: dict[str, Counter[str]] = {}
        capitalised: Counter[str] = Counter()
        for text, meta in zip(got["documents"] or [], got["metadatas"] or [], strict=True):
            docs.setdefault(str(meta.get("doc_id")), Counter()).update(set(terms(text)))
            capitalised.update(set(terms(" ".join(re.findall(r"\b[A-Z][\w’'-]*", text)))))
        return docs, capitalised

    return per_stamp(_VOCABULARIES, collection, read)


_NAME_WORDS: dict[tuple[str, str], frozenset[str]] = {}


def name_words(collection: Any) -> frozenset[str]:
    """The words the documents write as names: capitalised in most chunks holding them
    ("turkey", "hezbollah"; not "leader"). Read once per content stamp."""

    def read() -> frozenset[str]:
        texts, capitalised = document_vocabularies(collection)
        held: Counter[str] = Counter()
        for words in texts.values():
            held.update(words)
        return frozenset(w for w, n in capitalised.items() if 2 * n > held[w] and w.isalpha())

    return per_stamp(_NAME_WORDS, collection, read)


def topic_document(name: str, collection: Any, settings: Settings) -> str | None:
    """The document a name of its subject points at ("the khaji article", "the albanese
    report"): the one holding at least ``TUNING.topic_share`` of the chunks that hold the
    name's words (IDF-weighted), where every word of the name is found, mostly capitalised.
    None for a subject several documents share ("the gaza article"), a word none holds, or
    a word that names nothing ("the different pieces")."""
    words = [t for t in terms(name) if t not in DOCUMENT_WORDS]
    vocabularies, capitalised = document_vocabularies(collection)
    held = {w: sum(v[w] for v in vocabularies.values()) for w in words}
    if not words or not all(held.values()):
        return None
    if any(2 * capitalised[w] < held[w] for w in words):
        return None  # "the different pieces": a word, not the name of a subject
    weights = idf_weights(" ".join(words), vocabulary(collection, settings), collection.count())
    total = sum(weights.values()) or 1.0

    def share(v: Counter[str]) -> float:
        return sum(weights[w] * v[w] / held[w] for w in weights) / total

    best = max(vocabularies, key=lambda d: share(vocabularies[d]))
    return best if share(vocabularies[best]) >= TUNING.topic_share else None


_PROFILE_CHARS = 400
