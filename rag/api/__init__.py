"""The HTTP API: ``create_app(settings)`` builds it (see ``rag.api.app``)."""

from rag.api.app import create_app

__all__ = ["create_app"]
