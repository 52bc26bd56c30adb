"""Every error the API returns is JSON ``{"error": {"message", "type"}}`` with a 4xx status for
bad input (the shape the ``openai`` client also understands). The service's errors
(``rag.errors``) are mapped to statuses here, by kind, and nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import httpx
from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from rag.errors import Overloaded, RagError

T = TypeVar("T")

# Error type names by status, for errors raised by the framework itself.
_KINDS = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    429: "overloaded",
    503: "unavailable",
}

# The status of each kind of service error (``RagError.kind``).
STATUS = {
    "invalid_request": 422,
    "question_too_long": 413,
    "file_too_large": 413,
    "unsupported_file_type": 415,
    "unknown_collection": 404,
    "unknown_document": 404,
    "unknown_conversation": 404,
    "collection_exists": 409,
    "overloaded": 429,
    "client_closed": 499,
    "generator_unavailable": 503,
}


class ApiError(Exception):
    """An error with its HTTP status; raise it anywhere in a route."""

    def __init__(self, status: int, message: str, kind: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.kind = kind
        self.headers = headers


def error_body(message: str, kind: str) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind}}


def error(
    status: int, message: str, kind: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(status_code=status, content=error_body(message, kind), headers=headers)


def from_exception(exc: BaseException) -> ApiError | None:
    """The API error for a service exception, or None for a genuine fault."""
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, Overloaded):
        headers = {"Retry-After": str(exc.retry_after)}
        return ApiError(429, str(exc), exc.kind, headers=headers)
    if isinstance(exc, RagError):
        return ApiError(STATUS.get(exc.kind, 422), str(exc) or type(exc).__name__, exc.kind)
    if isinstance(exc, ConnectionError | httpx.TransportError):
        return ApiError(503, f"the document store is unreachable: {exc}", "store_unavailable")
    if isinstance(exc, ValueError):  # e.g. a value pydantic or Chroma refused
        return ApiError(422, str(exc) or type(exc).__name__, "invalid_request")
    return None


async def call_service(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run blocking service work in a worker thread; its exceptions become ``ApiError``s."""
    try:
        return await run_in_threadpool(fn, *args, **kwargs)
    except Exception as exc:
        mapped = from_exception(exc)
        if mapped is None:
            raise
        raise mapped from exc


def validation_message(exc: RequestValidationError) -> str:
    """The first problem, as ``field.path: what is wrong``."""
    errors = exc.errors()
    first = errors[0] if errors else {}
    where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
    what = str(first.get("msg", "invalid request"))
    if first.get("type") == "json_invalid":
        what = f"malformed JSON: {first.get('ctx', {}).get('error', what)}"
        where = ""
    elif tuple(first.get("loc", ())) == ("body",):
        what = f"{what}: send a JSON object with 'Content-Type: application/json'"
    return f"{where}: {what}" if where else what


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return error(exc.status, exc.message, exc.kind, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        return error(422, validation_message(exc), "invalid_request")

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> JSONResponse:
        if isinstance(exc.__cause__, ApiError):  # raised while FastAPI read the body
            return await _api_error(request, exc.__cause__)
        if exc.status_code == 400 and exc.__cause__ is not None:  # e.g. not UTF-8
            return error(422, f"unreadable request body: {exc.__cause__}", "invalid_request")
        message = str(exc.detail)
        if exc.status_code == 404:
            message = f"no such endpoint: {request.method} {request.url.path}"
        elif exc.status_code == 413:
            message = "request body too large"
        kind = _KINDS.get(exc.status_code, "http_error")
        return error(exc.status_code, message, kind, getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _fault(_: Request, exc: Exception) -> JSONResponse:
        # Starlette re-raises after this response, so the server log shows the traceback.
        return error(500, "internal server error (see the server log)", "internal_error")
