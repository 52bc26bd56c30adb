"""API keys: ``Authorization: Bearer KEY`` checked in constant time, and the rule that a
server reachable from other machines must have keys.

Keys come from ``RAG_API_KEYS`` (comma-separated). Without keys the API is open, which is only
allowed on loopback: ``rag serve`` refuses any other bind address (``bind_refusal``).
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from rag.api.errors import ApiError
from rag.config import Settings
from rag.store.conversations import owner_for_key

# Declared once at module level: FastAPI resolves the annotation below by name.
BEARER = HTTPBearer(auto_error=False, description="An API key from RAG_API_KEYS.")
LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def key_matches(candidate: str, keys: list[str]) -> bool:
    """True if ``candidate`` is one of ``keys``; every key is compared, in constant time."""
    given = candidate.encode()
    found = False
    for key in keys:
        found |= hmac.compare_digest(given, key.encode())
    return found


def is_loopback(host: str) -> bool:
    host = host.strip().strip("[]").lower()
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def bind_refusal(settings: Settings) -> str | None:
    """Why ``rag serve`` must not start with these settings, or None if it may."""
    if is_loopback(settings.host) or settings.api_key_list():
        return None
    return (
        f"refusing to serve on {settings.host} without API keys: anyone who can reach that "
        "address could read and change your documents. Set RAG_API_KEYS=KEY1,KEY2 (clients "
        "send 'Authorization: Bearer KEY'), or bind to 127.0.0.1."
    )


def unauthorized(message: str) -> ApiError:
    return ApiError(401, message, "unauthorized", headers={"WWW-Authenticate": "Bearer"})


def require_api_key(keys: list[str]) -> Callable[..., Awaitable[None]]:
    """A route dependency that lets a request through only with a valid bearer key."""

    async def check(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)],
    ) -> None:
        if credentials is None:
            raise unauthorized("missing API key: send 'Authorization: Bearer KEY'")
        if not key_matches(credentials.credentials, keys):
            raise unauthorized("invalid API key")

    return check


def caller(request: Request, settings: Settings) -> str:
    """Whose conversations a request may see: its key's fingerprint, or ``""`` on a server
    without keys (the routes' ``require_api_key`` has already checked the key)."""
    if not settings.api_key_list():
        return ""
    scheme, _, key = request.headers.get("authorization", "").partition(" ")
    return owner_for_key(key.strip()) if scheme.lower() == "bearer" else ""
