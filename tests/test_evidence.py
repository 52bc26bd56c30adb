"""Evidence selection: sentences keep their passage numbers; bylines are offered once."""

from __future__ import annotations

from rag.evidence import bylines, select_evidence, split_sentences
from rag.prompts import build_messages, format_evidence
from rag.schemas import ChatTurn, Passage


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
    chosen = select_evidence(
        "How many delegations attended the inauguration?", ps, None, k=1, with_bylines=False
    )
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
    ev = select_evidence(
        "Who wrote it?",
        [passage(1, "The piece was published in May 2022.", author="Jane Roe")],
        None,
    )
    messages = build_messages(
        "Who wrote it?", format_evidence(ev), [ChatTurn(role="user", content="earlier " * 500)]
    )
    assert messages[0]["role"] == "system"
    assert messages[-1]["content"].endswith("Question: Who wrote it?")
    assert "[1] “Title a” was written by Jane Roe." in messages[-1]["content"]
    assert len(messages[1]["content"]) <= 600
