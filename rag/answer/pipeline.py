"""The answer pipeline: one function per stage, run in order by ``answer_events``.

condense → retrieve → select evidence → read → compose → verify

1. ``standalone_question``: a follow-up gets the previous exchange attached.
2. ``retrieve``: the collection's best passages, numbered 1..n.
3. ``plan``: the few sentences of those passages that may answer, of the asked-for kind.
4. read: a generator (``rag.answer.generators``) names the answer. The default asks the model
   for the shortest phrase copied from the offered sentences (``read_phrase``); the
   extractive generator takes the best sentence; ``none`` stops after retrieval.
5. ``compose``: phrase + the sentence that holds it, each with its marker.
6. ``assemble``: markers checked against the passages, the contract answer built.

Stages 3-5 stream (``draft_with_model``, ``draft_extractive``): the phrase is shown as it
comes (held back for a few characters so a "none" is never shown), and a ``Final`` closes the
draft with the text to keep, which replaces what was streamed when the checks changed it.
"""

from __future__ import annotations

import time
from collections.abc import Generator as PyGenerator
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from typing import Any, Protocol

from rag.answer.compose import clean_phrase, compose, locate_phrase, says_none
from rag.answer.conversation import standalone_question
from rag.answer.evidence import Plan, plan
from rag.answer.models import TextModel
from rag.answer.prompts import NOT_FOUND, short_answer_messages
from rag.answer.verify import assemble
from rag.config import Settings
from rag.retrieval.retrieve import retrieve
from rag.retrieval.scoring import sentence_cosines
from rag.schemas import (
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
from rag.text.questions import asks_why
from rag.tuning import TUNING


@dataclass(frozen=True)
class Final:
    """A draft's last word: the answer text to keep (it replaces what was streamed, e.g. when
    a streamed phrase failed its checks) and the short answer, if there is one."""

    text: str
    short: str | None = None


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


def draft_with_model(
    model: TextModel, question: str, passages: list[Passage], settings: Settings
) -> Draft:
    """Select evidence, let the model name the answer, compose it (stages 3-5)."""
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
    chosen = locate_phrase(phrase or "", p)
    typed_miss = p.kind != "any" and not says_none(phrase or "") and not p.offered[0].widened
    if chosen is None and (asks_why(question) or typed_miss):
        # The offered sentences passed the checks that matter (a value of the asked-for kind
        # in a sentence about the question), but the phrase did not: the model miscopied a
        # number, or "why" had no phrase to copy and the model said "none". Answer with the
        # best sentence itself — unless its value came from a neighbour sentence, which may
        # be about something else.
        chosen, phrase = p.offered[0], None
    if chosen is None:
        yield Final(NOT_FOUND)
        return
    text = compose(phrase, chosen, p)
    if not shown:
        yield text
    else:
        head = said.strip()
        yield text[len(head) :] if text.lower().startswith(head.lower()) else ""
    yield Final(text, short=phrase)


def draft_extractive(question: str, passages: list[Passage], settings: Settings) -> Draft:
    """No model: the best offered sentence of the asked-for kind, verbatim, with its marker."""
    p = plan(question, passages, sentence_cosines(settings))
    if not p.offered or (p.offered[0].score <= 0 and not p.offered[0].byline):
        yield Final(NOT_FOUND)
        return
    text = compose(None, p.offered[0], p)
    yield text
    yield Final(text)


class Generator(Protocol):
    """What the pipeline needs of a generator (``rag.answer.generators`` builds them)."""

    name: str

    def stream(
        self, question: str, passages: list[Passage], history: list[ChatTurn] | None = None
    ) -> Draft:
        """Stages 3-5 for one question: answer text piece by piece, ending with a ``Final``."""
        ...


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
    standalone = standalone_question(question, history)
    passages = retrieve(standalone, collection, settings, top_k)
    retrieved = time.perf_counter()
    yield PassagesEvent(question=standalone, passages=passages)
    answer, abstained, short = "", not passages, None
    citations: list[Passage] = []
    support: list[SentenceSupport] = []
    first_token: float | None = None
    if generator is not None and generator.name != "none":  # "none": retrieval only
        streamed, final = [], None
        for piece in generator.stream(standalone, passages, history):
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
            timings_ms=Timings(
                retrieve=round((retrieved - started) * 1000, 1),
                generate=round((done - retrieved) * 1000, 1),
                total=round((done - started) * 1000, 1),
                first_token=first_token,
            ),
        )
    )
