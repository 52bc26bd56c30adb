"""rag.answer.pipeline: the stages around the model (select evidence → read → compose).

The model's reply is scripted here (``ScriptedModel``, a stand-in named as such) because the
cases that matter — a "none", a miscopied number, a phrase that only repeats the question —
cannot be summoned from the real model on demand; the real model runs this same path in the
integration tests and in `rag eval`. Embeddings are the real MiniLM.
"""

from __future__ import annotations

from collections.abc import Iterator

from rag.answer.pipeline import Final, draft_extractive, draft_with_model
from rag.answer.prompts import NOT_FOUND
from rag.config import Settings
from rag.schemas import Passage

PASSAGES = [
    Passage(
        id=1,
        source="a.txt",
        chunk_id="a-0",
        score=0.9,
        text="According to Iranian media, Iran exported goods worth $244 million to Syria last "
        "year. Several Iranian diplomats were killed in the strike on the embassy.",
    ),
    Passage(
        id=2,
        source="b.txt",
        chunk_id="b-0",
        score=0.5,
        text="Saudi Arabia appointed an ambassador to Damascus. The embassy reopened in May.",
    ),
]


class ScriptedModel:
    """A ``TextModel`` that replies with a fixed text, in small pieces, and records the
    prompts it was given (a stand-in for the real model, named as such)."""

    def __init__(self, reply: str):
        self.reply = reply
        self.prompts: list[list[dict[str, str]]] = []

    def complete(self, messages: list[dict[str, str]], max_tokens: int) -> Iterator[str]:
        self.prompts.append(messages)
        for i in range(0, len(self.reply), 3):
            yield self.reply[i : i + 3]


def run(
    settings: Settings, question: str, reply: str, ids: list[int] | None = None
) -> tuple[str, Final, ScriptedModel]:
    model = ScriptedModel(reply)
    chosen = [p for p in PASSAGES if ids is None or p.id in ids]
    pieces = list(draft_with_model(model, question, chosen, settings))
    final = pieces[-1]
    assert isinstance(final, Final)
    return "".join(p for p in pieces if isinstance(p, str)), final, model


def test_a_copied_phrase_is_answered_with_its_sentence(settings: Settings) -> None:
    streamed, final, model = run(settings, "How much did Iran export to Syria?", "$244 million")
    assert final.short == "$244 million"
    assert final.text == (
        "$244 million [1]. According to Iranian media, Iran exported goods worth $244 million "
        "to Syria last year [1]."
    )
    assert streamed == final.text  # what streamed is what stays
    assert "1. According to Iranian media" in model.prompts[0][-1]["content"]


def test_none_is_never_shown(settings: Settings) -> None:
    streamed, final, _ = run(settings, "Who reopened the embassy?", "none")
    assert streamed == "" and final.text == NOT_FOUND


def test_no_sentence_of_the_asked_kind_means_no_model_call(settings: Settings) -> None:
    _, final, model = run(settings, "How many ambassadors did Saudi Arabia appoint?", "2", [2])
    assert final.text == NOT_FOUND and model.prompts == []  # passage 2 holds no number


def test_a_number_from_a_neighbour_sentence_is_no_fallback(settings: Settings) -> None:
    """ "Several diplomats" has no number; widened with the sentence before it, it does
    ($244 million), so it is offered — but a miscopied "5" must not fall back to it."""
    _, final, model = run(settings, "How many diplomats were killed?", "5")
    assert model.prompts and final.text == NOT_FOUND


def test_a_phrase_that_only_repeats_the_question_abstains(settings: Settings) -> None:
    _, final, _ = run(settings, "Who did Saudi Arabia appoint to Damascus?", "Saudi Arabia")
    assert final.text == NOT_FOUND


def test_a_miscopied_number_falls_back_to_the_sentence(settings: Settings) -> None:
    streamed, final, _ = run(settings, "How much did Iran export to Syria?", "$245 million")
    assert final.short is None
    assert final.text.startswith("According to Iranian media, Iran exported goods worth $244")
    assert streamed.startswith("$245 m")  # shown while streaming, replaced by the final text


def test_the_extractive_draft_is_the_best_sentence_with_its_marker(settings: Settings) -> None:
    pieces = list(draft_extractive("How much did Iran export to Syria?", PASSAGES, settings))
    assert pieces[0] == pieces[-1].text  # type: ignore[union-attr]
    assert pieces[0].startswith("According to Iranian media, Iran exported")
    assert pieces[0].endswith("[1].")
