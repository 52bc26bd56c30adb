"""Prompt layout for LLM generators.

The system prompt is fixed and comes first, so llama.cpp can reuse its cached prefix across
questions. The small default model is very sensitive to layout: where the instructions sit
relative to the passages changes its refusal rate drastically, so changes here are decided by
measurement on the gold set, not by taste.
"""

from __future__ import annotations

from rag.evidence import Evidence
from rag.schemas import ChatTurn, Passage

NOT_FOUND = "The documents do not say."

# Layout measured on a small question set (Qwen2.5-Coder-1.5B, top-4 passages): instructions
# in the system prompt, passages then the bare question in the user turn. A trailing
# "answer from the passages" line made answers terser but lost facts; putting the question
# before the passages made the model refuse answerable questions.
SYSTEM_PROMPT = (
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


def format_evidence(evidence: list[Evidence]) -> str:
    """One line per evidence sentence, each tagged with its passage's marker."""
    return "\n".join(f"[{e.passage_id}] {e.text}" for e in evidence)


def build_messages(
    question: str, context: str, history: list[ChatTurn] | None = None
) -> list[dict[str, str]]:
    """Chat messages: fixed system prompt, then the numbered context, then the question.

    ``context`` is ``format_evidence(...)`` (the default: chosen sentences, measured 2× faster
    to first token than whole passages and the only layout that named the author of the
    README's example question) or ``format_passages(...)``.
    """
    messages = [{"role": "system", "content": SYSTEM_PROMPT}]
    # Recent turns only, each cut short: every history token costs prompt time on a CPU.
    for turn in (history or [])[-4:]:
        messages.append({"role": turn.role, "content": turn.content[:600]})
    user = f"Passages:\n\n{context}\n\nQuestion: {question}"
    messages.append({"role": "user", "content": user})
    return messages
