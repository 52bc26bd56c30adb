"""The chat UI: a Gradio ``ChatInterface`` over ``RagService``.

Document text and model output are escaped before display, so a document holding HTML or
script shows as text and never runs in the page.
"""

from __future__ import annotations

import html
from typing import Any

import gradio as gr

from rag.schemas import ChatTurn, QueryRequest, QueryResponse
from rag.service import RagService

EXAMPLES = [
    "Who wrote the analysis of Assad's May 2022 trip to Tehran?",
    "Why did Iran not defend the Assad regime in December 2024?",
    "What did Ali Asghar Khaji discuss in Damascus?",
]


def render(response: QueryResponse) -> str:
    """Answer text plus a numbered list of the cited passages, all HTML-escaped."""
    if response.abstained:
        return f"🛈 {html.escape(response.answer or 'The documents do not say.')}"
    lines = [html.escape(response.answer), "", "**Sources**"]
    for c in response.citations:
        snippet = html.escape(" ".join(c.text.split())[:300])
        lines.append(f"- [{c.id}] `{html.escape(c.source)}` (score {c.score:.2f}): {snippet}…")
    return "\n".join(lines)


def _history(history: list[Any]) -> list[ChatTurn]:
    turns = []
    for item in history or []:
        role, content = item.get("role"), item.get("content")
        if role in ("user", "assistant") and isinstance(content, str):
            # The model needs what was said, not the rendered list of sources.
            said = content.split("\n\n**Sources**")[0]
            turns.append(ChatTurn(role=role, content=said[:20_000]))
    return turns


def build_ui(service: RagService) -> gr.Blocks:
    def respond(message: str, history: list[Any]) -> str:
        if not message or not message.strip():
            return "Please type a question."
        try:
            response = service.query(QueryRequest(question=message, history=_history(history)))
        except Exception as exc:  # shown to the user rather than a silent failure
            return f"⚠ {html.escape(str(exc))}"
        return render(response)

    with gr.Blocks(title="Ask the documents") as demo:
        gr.Markdown("## Ask the documents\nAnswers cite the passages they come from, like [1].")
        gr.ChatInterface(
            fn=respond, examples=EXAMPLES, cache_examples=False, run_examples_on_click=False
        )
    return demo
