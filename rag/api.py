"""HTTP API (FastAPI) with the Gradio UI mounted at ``/``. Routes are thin: the logic is in
``RagService``. Errors are JSON ``{"error": {"message", "type"}}`` with a 4xx status for bad
input; blocking work runs in a worker thread so the event loop stays free.
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from rag.config import Settings
from rag.documents import DocumentError
from rag.generate import GeneratorUnavailable
from rag.schemas import QueryRequest, QueryResponse
from rag.service import QuestionTooLongError, RagService
from rag.store import UnknownCollectionError

# uvicorn's logger, so the first-start ingest shows in the server's console.
log = logging.getLogger("uvicorn.error")


def error(status: int, message: str, kind: str) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": {"message": message, "type": kind}})


def create_app(
    settings: Settings, service: RagService | None = None, mount_ui: bool = True
) -> FastAPI:
    service = service or RagService(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> Any:
        report = await run_in_threadpool(service.ingest_seeds_if_empty)
        if report is not None:
            log.info("ingested seeds into %r: %s", settings.collection, report.model_dump())
        app.state.ready = True
        yield

    app = FastAPI(
        title="RAG chatbot API",
        version="0.1.0",
        description="Answers with inline [n] markers citing retrieved passages.",
        lifespan=lifespan,
    )
    app.state.service = service
    app.state.ready = False

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
        message = (
            f"{where}: {first.get('msg', 'invalid request')}"
            if where
            else str(first.get("msg", "invalid request"))
        )
        return error(422, message, "invalid_request")

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/v1/query", response_model=QueryResponse)
    async def query(request: QueryRequest) -> Any:
        try:
            return await run_in_threadpool(service.query, request)
        except UnknownCollectionError as exc:
            return error(404, str(exc), "unknown_collection")
        except QuestionTooLongError as exc:
            return error(413, str(exc), "question_too_long")
        except (DocumentError, ValueError) as exc:
            return error(422, str(exc), "invalid_request")
        except GeneratorUnavailable as exc:
            return error(503, str(exc), "generator_unavailable")

    if mount_ui:
        import gradio as gr

        from ui.app import build_ui

        app = gr.mount_gradio_app(app, build_ui(service), path="/")
    return app
