"""The Gradio UI over ``RagService``: a Chat tab and a Documents tab. ``mount`` is this
package's ``rag.ui`` entry point (``pyproject.toml``): ``rag serve`` calls it to put the UI at
``/`` of the HTTP app.

Layout and wiring only; the logic is in ``ui.chat`` and ``ui.documents``, the HTML in
``ui.render`` (which escapes every document, model and user text), the CSS in ``ui.style``.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import gradio as gr
from fastapi import FastAPI

from rag.api.auth import key_matches
from rag.config import Settings
from rag.ingest.loaders import SUPPORTED_SUFFIXES
from rag.service import RagService
from ui import chat, documents, render
from ui.style import CSS

TITLE = "Ask the documents"
INTRO = (
    f"<h1>{TITLE}</h1><p>Answers cite the passages they come from: hover over a marker like "
    "<b>[1]</b> to preview the passage, click it to read it. The Sources panel shows each "
    "cited passage with the supporting sentence highlighted.</p>"
)


def _chat_tab(service: RagService) -> SimpleNamespace:
    settings = service.settings
    ui = SimpleNamespace()
    with gr.Row():
        with gr.Column(scale=3):
            ui.chatbot = gr.Chatbot(
                label="Conversation",
                height=560,
                examples=[{"text": q} for q in chat.EXAMPLES],
                placeholder="Ask about the documents, or start with an example:",
                latex_delimiters=[],  # "$5 … $3" in a document is not LaTeX
                allow_tags=False,
                feedback_options=None,
                buttons=[],  # Gradio's copy buttons would copy our HTML, not the answer text
                elem_id="rag-chatbot",
            )
            ui.question = gr.Textbox(
                label="Your question",
                placeholder="Ask a question (Enter sends, Shift+Enter adds a line)",
                lines=1,  # one line grows to 8; Gradio then sends on Enter, breaks on Shift+Enter
                max_lines=8,
                max_length=settings.max_question_chars,
                submit_btn="Ask",
                autofocus=True,
                elem_id="rag-question",
            )
            ui.clear = gr.Button("New conversation", size="sm")
            with gr.Accordion("Answer settings", open=False):
                ui.top_k = gr.Slider(
                    1,
                    20,
                    value=settings.top_k,
                    step=1,
                    label="Passages to retrieve (top-k)",
                    elem_id="rag-top-k",
                )
                ui.generator = gr.Radio(
                    chat.generator_choices(service),
                    value=service.generator.name,
                    label="Answer generator",
                    info="Extractive answers instantly by quoting sentences.",
                    elem_id="rag-generator",
                )
        with gr.Column(scale=2):
            ui.sources = gr.HTML(render.SOURCES_INTRO, elem_id="rag-sources")
    return ui


def _documents_tab() -> SimpleNamespace:
    ui = SimpleNamespace()
    kinds = sorted(SUPPORTED_SUFFIXES)
    ui.files = gr.File(
        label=f"Add documents ({', '.join(kinds)})",
        file_count="multiple",
        file_types=kinds,
        elem_id="rag-upload",
    )
    ui.status = gr.HTML(elem_id="rag-upload-status")
    ui.listing = gr.HTML(elem_id="rag-doc-list")
    with gr.Row():
        ui.to_delete = gr.Dropdown(
            label="Document to delete", choices=[], scale=4, elem_id="rag-delete-pick"
        )
        ui.delete = gr.Button("Delete document", variant="stop", size="md", scale=0, min_width=200)
    return ui


def build_ui(service: RagService) -> gr.Blocks:
    # Uploaded files land in Gradio's cache; clear what is older than an hour, hourly.
    with gr.Blocks(title=TITLE, delete_cache=(3600, 3600)) as demo:
        # The page CSS rides in <head> with this always-visible block, so the UI is styled
        # however it is mounted.
        gr.HTML(INTRO, head=f"<style>{CSS}</style>", elem_id="rag-intro")
        with gr.Row():
            collection = gr.Dropdown(
                choices=[service.settings.collection],
                value=service.settings.collection,
                label="Collection",
                info="Questions and uploads use this collection; type a new name to create one.",
                allow_custom_value=True,
                scale=4,
                elem_id="rag-collection",
            )
            refresh = gr.Button("Refresh collections", size="sm", scale=0, min_width=180)
        with gr.Tabs():
            with gr.Tab("Chat", id="chat"):
                talk = _chat_tab(service)
            with gr.Tab("Documents", id="documents"):
                docs = _documents_tab()
        _wire_chat(service, talk, collection)
        _wire_documents(service, docs, collection, refresh, demo)
    return demo


def _wire_chat(service: RagService, ui: SimpleNamespace, collection: gr.Dropdown) -> None:
    pending = gr.State("")  # the question being answered
    turns = gr.State([])  # plain question/answer texts: the history the engine sees

    def answer(question: str, messages: list[Any], said: list[Any], *options: Any) -> Any:
        yield from chat.answer(service, question, messages, said, *options)

    def pick_example(messages: list[Any], evt: gr.SelectData) -> Any:
        return chat.ask(str(evt.value.get("text", "")), messages)

    then_answer: dict[str, Any] = {
        "fn": answer,
        "inputs": [pending, ui.chatbot, turns, collection, ui.top_k, ui.generator],
        "outputs": [ui.chatbot, ui.sources, turns],
    }
    asked = [ui.question, ui.chatbot, pending]
    ui.question.submit(chat.ask, [ui.question, ui.chatbot], asked).then(**then_answer)
    ui.chatbot.example_select(pick_example, [ui.chatbot], asked).then(**then_answer)
    ui.clear.click(lambda: ([], [], render.SOURCES_INTRO), None, [ui.chatbot, turns, ui.sources])
    ui.chatbot.clear(lambda: ([], render.SOURCES_INTRO), None, [turns, ui.sources])


def _wire_documents(
    service: RagService,
    ui: SimpleNamespace,
    collection: gr.Dropdown,
    refresh: gr.Button,
    demo: gr.Blocks,
) -> None:
    lists = [ui.listing, ui.to_delete]

    def show_listing(name: str | None) -> Any:
        return documents.listing(service, name)

    def refresh_all(name: str | None) -> Any:
        return documents.collection_choices(service, name), *show_listing(name)

    # Gradio finds its progress tracker by this default value.
    def upload(files: Any, name: str | None, progress: Any = gr.Progress()) -> Any:  # noqa: B008
        return documents.upload(service, files, name, progress)

    def delete(doc_id: str | None, name: str | None) -> Any:
        return documents.delete(service, doc_id, name)

    refresh.click(refresh_all, [collection], [collection, *lists])
    demo.load(refresh_all, [collection], [collection, *lists])
    collection.change(show_listing, [collection], lists)
    ui.files.upload(upload, [ui.files, collection], [ui.status, *lists, collection, ui.files])
    ui.delete.click(delete, [ui.to_delete, collection], [ui.status, *lists])


def mount(app: FastAPI, service: RagService, settings: Settings) -> None:
    """The UI at /. With API keys set it asks for one (as the password, any user name), so
    the UI is no way around the keys."""
    keys = settings.api_key_list()
    auth = (lambda _user, password: key_matches(password, keys)) if keys else None
    gr.mount_gradio_app(
        app,
        build_ui(service),
        path="/",
        auth=auth,
        max_file_size=settings.max_upload_bytes,
        auth_message="Sign in with any user name and an API key (RAG_API_KEYS) as the password.",
    )
