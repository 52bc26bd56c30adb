"""Evidence selection: sentences keep their passage numbers; bylines are offered once."""

from __future__ import annotations

from rag.evidence import bylines, rank_evidence, split_sentences
from rag.prompts import SHORT_ANSWER_PROMPT, short_answer_messages
from rag.schemas import Passage


def passage(pid: int, text: str, doc: str = "a", author: str | None = None) -> Passage:
    return Passage(
        id=pid,
        source=f"{doc}.txt",
        chunk_id=f"{doc}-{pid}",
        text=text,
        score=0.5,
        title=f"Title {doc}",
        author=author,
        doc_id=doc,
    )


def test_split_sentences_keeps_paragraphs_apart() -> None:
    text = "Assad visited Tehran in 2019. He met Khamenei there.\n\nHeading\n\nThe visit was short."
    assert split_sentences(text) == [
        "Assad visited Tehran in 2019.",
        "He met Khamenei there.",
        "The visit was short.",
    ]


def test_lexical_selection_keeps_passage_ids_and_order() -> None:
    ps = [
        passage(1, "The weather in Damascus was mild that spring. Markets were busy all week."),
        passage(2, "Over 50 foreign delegations attended the inauguration in Tehran. It was long."),
    ]
    chosen = rank_evidence("How many delegations attended the inauguration?", ps)[:1]
    assert [(e.passage_id, e.text) for e in chosen] == [
        (2, "Over 50 foreign delegations attended the inauguration in Tehran.")
    ]


def test_bylines_once_per_document() -> None:
    ps = [
        passage(1, "x y z w.", "a", "Marta Furlan"),
        passage(2, "p q r s.", "a", "Marta Furlan"),
        passage(3, "k l m n.", "b"),
    ]
    lines = bylines(ps)
    assert [(e.passage_id, e.text) for e in lines] == [
        (1, "“Title a” was written by Marta Furlan.")
    ]


def test_prompt_layout_system_first_question_last() -> None:
    messages = short_answer_messages("Who wrote it?", ["Jane Roe wrote it.", "It was long."])
    assert messages[0] == {"role": "system", "content": SHORT_ANSWER_PROMPT}
    assert messages[1]["content"] == (
        "Sentences:\n1. Jane Roe wrote it.\n2. It was long.\n\nQuestion: Who wrote it?"
    )
