"""API keys: ``Authorization: Bearer KEY`` checked in constant time, the collections each
key may use, and the rule that a server reachable from other machines must have keys.

Keys come from ``RAG_API_KEYS`` (comma-separated; ``KEY:team-a+team-b`` limits a key to those
collections, ``rag.config.parse_api_keys``). Without keys the API is open, which is only
allowed on loopback: ``rag serve`` refuses any other bind address (``bind_refusal``).

A key's scope is enforced by the routes through ``key_scope`` and ``permitted``: a collection
outside it is a 403 whether it exists or not, so its name cannot be probed.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from rag.api.errors import ApiError
from rag.config import EVERY_COLLECTION, ApiKey, Scope, Settings
from rag.schemas import ConversationInfo
from rag.store.conversations import owner_for_key

# Declared once at module level: FastAPI resolves the annotation below by name.
BEARER = HTTPBearer(auto_error=False, description="An API key from RAG_API_KEYS.")
LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


# Where the API says which collections a key may use.
LISTED = " (GET /v1/collections lists those it may use)"
# A collection-less scope: what an unidentified UI user gets.
NO_COLLECTION = Scope(frozenset())


def matching_key(candidate: str, keys: list[ApiKey]) -> ApiKey | None:
    """The entry whose key is ``candidate``, or None. Every key is compared, in constant
    time, whichever matches: how long this takes says nothing about which key (or how much of
    one) was right."""
    given = candidate.encode()
    found: ApiKey | None = None
    for entry in keys:
        same = hmac.compare_digest(given, entry.key.encode())
        found = entry if same else found
    return found


def key_matches(candidate: str, keys: list[str]) -> bool:
    """True if ``candidate`` is one of ``keys``; every key is compared, in constant time."""
    return matching_key(candidate, [ApiKey(key) for key in keys]) is not None


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


def forbidden(message: str) -> ApiError:
    return ApiError(403, message, "forbidden")


def require_api_key(keys: list[ApiKey]) -> Callable[..., Awaitable[None]]:
    """A route dependency that lets a request through only with a valid bearer key, and
    notes the key's scope for the route (``key_scope``)."""

    async def check(
        request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)],
    ) -> None:
        if credentials is None:
            raise unauthorized("missing API key: send 'Authorization: Bearer KEY'")
        entry = matching_key(credentials.credentials, keys)
        if entry is None:
            raise unauthorized("invalid API key")
        request.state.key_scope = entry.scope

    return check


def key_scope(request: Request, settings: Settings) -> Scope:
    """The collections this request's key may use: every one on a server without keys. With
    keys, a request that ``require_api_key`` did not pass is refused (fails closed)."""
    if not settings.api_key_list():
        return EVERY_COLLECTION
    scope = getattr(request.state, "key_scope", None)
    if not isinstance(scope, Scope):
        raise unauthorized("missing API key: send 'Authorization: Bearer KEY'")
    return scope


def permitted(scope: Scope, name: str | None, settings: Settings) -> str:
    """The collection a request uses (``name``, or the default when it names none), if its
    key may use it; a 403 otherwise, before anything looks the name up."""
    refusal = scope.refusal(name, settings.collection)
    if refusal is not None:
        advice = ": name one of its collections in the request" if name is None else ""
        raise forbidden(refusal + advice + LISTED)
    return name or settings.collection


def conversation_permitted(scope: Scope, conversation: ConversationInfo) -> bool:
    """True if the key may use every collection the conversation asked about (its first
    turn's, and each loaded turn's: a key's scope may have shrunk since)."""
    turns = getattr(conversation, "turns", [])
    names = [conversation.collection, *(turn.settings.get("collection") for turn in turns)]
    return all(scope.allows(name) for name in names if isinstance(name, str))


def owner_scope(settings: Settings, owner: str) -> Scope:
    """The scope of the key whose fingerprint is ``owner`` (``owner_for_key``): how the UI,
    which knows its user by that fingerprint only, finds the collections the user may use.
    No such key (it was removed from RAG_API_KEYS since): no collection."""
    entries = settings.api_key_entries()
    if not any(entry.scope.limited for entry in entries):
        return EVERY_COLLECTION  # no key is scoped (or there are no keys)
    for entry in entries:
        if owner and owner_for_key(entry.key) == owner:
            return entry.scope
    return NO_COLLECTION


def caller(request: Request, settings: Settings) -> str:
    """Whose conversations a request may see: its key's fingerprint, or ``""`` on a server
    without keys (the routes' ``require_api_key`` has already checked the key)."""
    if not settings.api_key_list():
        return ""
    scheme, _, key = request.headers.get("authorization", "").partition(" ")
    return owner_for_key(key.strip()) if scheme.lower() == "bearer" else ""
