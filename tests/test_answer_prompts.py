"""rag.answer.prompts: the layout the measurements chose (system first, question last)."""

from __future__ import annotations

from rag.answer.prompts import SHORT_ANSWER_PROMPT, baseline_messages, short_answer_messages
from tests.support import passage


def test_prompt_layout_system_first_question_last() -> None:
    messages = short_answer_messages("Who wrote it?", ["Jane Roe wrote it.", "It was long."])
    assert messages[0] == {"role": "system", "content": SHORT_ANSWER_PROMPT}
    assert messages[1]["content"] == (
        "Sentences:\n1. Jane Roe wrote it.\n2. It was long.\n\nQuestion: Who wrote it?"
    )


def test_baseline_numbers_whole_passages_with_their_documents() -> None:
    user = baseline_messages("Who?", [passage(2, "Text.", title="T", author="A")])[1]["content"]
    assert user == "Passages:\n\n[2] (T — by A)\nText.\n\nQuestion: Who?"
