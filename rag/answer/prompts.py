"""Prompt layout for LLM generators.

The system prompt is fixed and comes first, so llama.cpp reuses its cached prefix across
questions. The small default model is very sensitive to layout (moving one instruction after
the passages flipped it from never refusing to refusing almost everything), so what is here was
decided by measurement on the gold set (``rag eval``), not by taste.
"""

from __future__ import annotations

from rag.schemas import Passage

NOT_FOUND = "The documents do not say."


def missing_part(part: str) -> str:
    """What a multi-part answer says for a part the documents do not hold."""
    return f"The documents do not say: {part[0].lower()}{part[1:]}?"


# The default answer path (``rag.answer.pipeline``): the model only names the answer, copied
# from a few numbered sentences; ``rag.answer.compose.locate_phrase`` then checks the phrase
# against them (the README compares this with the model writing whole answers).
SHORT_ANSWER_PROMPT = (
    "Answer the question with the shortest phrase copied from the numbered sentences. "
    "If the sentences do not answer it, reply: none"
)


def short_answer_messages(question: str, sentences: list[str]) -> list[dict[str, str]]:
    """Fixed system prompt first (its cached prefix is reused), then sentences, then question."""
    body = "\n".join(f"{i}. {s}" for i, s in enumerate(sentences, start=1))
    return [
        {"role": "system", "content": SHORT_ANSWER_PROMPT},
        {"role": "user", "content": f"Sentences:\n{body}\n\nQuestion: {question}"},
    ]


# The naive layout, kept as the baseline that ``bench/bench_pipeline.py`` measures against:
# whole passages and a plain "answer from the passages, cite [n]" instruction.
BASELINE_PROMPT = (
    "You answer questions using only the numbered passages provided. Answer in one or two "
    "short sentences. Put the number of the passage that supports each sentence in square "
    "brackets at the end of the sentence, for example: Assad visited Tehran in 2019 [2]. "
    f'If the passages do not contain the answer, reply only: "{NOT_FOUND}"'
)


def format_passages(passages: list[Passage]) -> str:
    blocks = []
    for p in passages:
        about = " — ".join(x for x in (p.title, f"by {p.author}" if p.author else "") if x)
        header = f"[{p.id}] ({about})" if about else f"[{p.id}]"
        blocks.append(f"{header}\n{p.text.strip()}")
    return "\n\n".join(blocks)


def baseline_messages(question: str, passages: list[Passage]) -> list[dict[str, str]]:
    user = f"Passages:\n\n{format_passages(passages)}\n\nQuestion: {question}"
    return [{"role": "system", "content": BASELINE_PROMPT}, {"role": "user", "content": user}]
