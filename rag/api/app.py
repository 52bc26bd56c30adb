"""The HTTP app: the API routers, auth, CORS, health checks, and the installed UIs at ``/``.

This is the composition root of ``rag serve``: one ``RagService`` built from settings, handed
to thin routers and to every UI plugged in through ``rag.plugins`` (the Gradio chat), so no
core module imports the UI. Errors are JSON ``{"error": {"message", "type"}}`` (see
``rag.api.errors``); blocking work runs in worker threads so the event loop stays free, and
answer generation takes turns in the service's queue (``rag.admission``), shared with the UI.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from starlette.routing import compile_path
from starlette.types import Scope

from rag.api.answering import Answering
from rag.api.auth import require_api_key
from rag.api.chat import chat_router
from rag.api.conversations import conversations_router
from rag.api.documents import MULTIPART_SLACK, documents_router
from rag.api.errors import ApiError, error, install_error_handlers
from rag.api.limits import BodyLimit
from rag.api.query import query_router
from rag.api.schemas import ErrorBody
from rag.config import Settings
from rag.plugins import ui_mounts
from rag.service import RagService

# uvicorn's logger, so the first-start ingest shows in the server's console.
log = logging.getLogger("uvicorn.error")

# JSON bodies: the longest history (50 turns of 20,000 characters) fits with room to spare.
MAX_JSON_BYTES = 4 * 1024 * 1024
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
UNKNOWN_V1 = "/v1/{path:path}"


def create_app(
    settings: Settings, service: RagService | None = None, mount_ui: bool = True
) -> FastAPI:
    service = service or RagService(settings)
    keys = settings.api_key_entries()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> Any:
        stray = await run_in_threadpool(service.remove_stray_uploads)
        if stray:  # uploads stored by a server killed before their chunks were written
            log.warning("removed %d stored uploads that no document uses", stray)
        report = await run_in_threadpool(service.ingest_seeds_if_empty)
        if report is not None:
            log.info("ingested seeds into %r: %s", settings.collection, report.model_dump())
        if settings.warm_up:
            started = time.perf_counter()
            try:
                await run_in_threadpool(service.warm_up)
                log.info("warmed up in %.1f s", time.perf_counter() - started)
            except Exception:  # best effort: the first user then waits, the server still starts
                log.exception("warm-up failed; the first answer will load what it needs")
        app.state.ready = True
        yield

    app = FastAPI(
        title="RAG chatbot API",
        version="0.1.0",
        description=(
            "Answers with inline [n] markers citing retrieved passages; documents and "
            "collections; an OpenAI-compatible chat endpoint. "
            + ("Every /v1 endpoint needs `Authorization: Bearer KEY`." if keys else "")
        ),
        lifespan=lifespan,
    )
    app.state.service = service
    app.state.ready = False
    install_error_handlers(app)
    app.add_middleware(BodyLimit, limit_for=body_limits(settings))
    if settings.cors_origin_list():
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origin_list(),
            allow_methods=["GET", "POST", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type"],
        )

    app.include_router(health_router(service))
    answering = Answering(service)
    guarded = [Depends(require_api_key(keys))] if keys else []
    unauthorized: dict[int | str, dict[str, Any]] = {
        401: {"model": ErrorBody, "description": "Missing or invalid API key."}
    }
    if any(entry.scope.limited for entry in keys):
        unauthorized[403] = {
            "model": ErrorBody,
            "description": "The API key may not use that collection.",
        }
    for router in (
        query_router(answering),
        chat_router(answering, service),
        documents_router(service, settings),
        conversations_router(service),
    ):
        app.include_router(router, dependencies=guarded, responses=unauthorized if keys else None)
    add_unknown_v1_route(app)

    if mount_ui and settings.ui:
        for mount in ui_mounts():
            mount(app, service, settings)
    return app


def body_limits(settings: Settings) -> Callable[[Scope], tuple[int, str] | None]:
    """Largest body per request: uploads up to the upload limit, JSON up to MAX_JSON_BYTES.
    Paths outside /v1 (the UI) are left to Gradio, which gets the upload limit itself."""
    upload = (
        settings.max_upload_bytes + MULTIPART_SLACK,
        f"file too large: the limit is {settings.max_upload_bytes} bytes (RAG_MAX_UPLOAD_BYTES)",
    )
    json_body = (MAX_JSON_BYTES, f"request body too large: the limit is {MAX_JSON_BYTES} bytes")

    def limit_for(scope: Scope) -> tuple[int, str] | None:
        path = scope["path"]
        if not path.startswith("/v1/"):
            return None
        return upload if path == "/v1/documents" else json_body

    return limit_for


def health_router(service: RagService) -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/healthz", summary="Liveness: the server is up (and has started)")
    async def healthz(request: Request) -> Any:
        if not request.app.state.ready:
            return error(503, "starting", "starting")
        return {"status": "ok"}

    @router.get("/readyz", summary="Readiness: started and the document store answers")
    async def readyz(request: Request) -> Any:
        if not request.app.state.ready:
            return error(503, "starting: the first-start ingest is still running", "starting")
        try:
            await run_in_threadpool(service.client.heartbeat)
        except Exception as exc:
            return error(503, f"the document store is unreachable: {exc}", "store_unavailable")
        return {"status": "ready"}

    return router


def add_unknown_v1_route(app: FastAPI) -> None:
    """Unknown /v1 paths, and wrong methods on the API's and health checks' paths, get a JSON
    404 (or 405 with Allow) instead of falling through to the UI mounted at /."""

    async def unknown(request: Request) -> JSONResponse:
        path = request.url.path
        allowed = [
            method.upper()
            for template, operations in app.openapi()["paths"].items()
            if compile_path(template)[0].match(path)
            for method in operations
        ]
        if allowed:
            raise ApiError(
                405,
                f"{request.method} is not allowed on {path}; use {', '.join(sorted(allowed))}",
                "method_not_allowed",
                headers={"Allow": ", ".join(sorted(allowed))},
            )
        raise ApiError(404, f"no such endpoint: {request.method} {path} (see /docs)", "not_found")

    for path in (UNKNOWN_V1, "/v1", "/healthz", "/readyz"):
        app.add_api_route(path, unknown, methods=METHODS, include_in_schema=False)
