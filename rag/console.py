"""Command-line plumbing shared by the ``rag`` commands of every package (``rag.cli`` and the
plugged-in ones, ``rag.plugins``): the error console, options, settings, and exits."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from rag.config import Settings, apply_offline_env
from rag.errors import RagError

err = Console(stderr=True)

CollectionOpt = Annotated[
    str | None,
    typer.Option("--collection", "-c", help="Collection name (default: RAG_COLLECTION)."),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object instead of text.")]

# What to do next, by kind of error (``rag.errors``); the exit code is 2 for bad input.
NEXT_STEP = {"unknown_collection": "add documents first: rag ingest PATH"}
SERVER_FAULTS = {"generator_unavailable", "overloaded"}


def settings_or_exit() -> Settings:
    apply_offline_env()
    try:
        return Settings()
    except ValueError as exc:
        err.print(f"[red]Invalid configuration:[/red] {exc}")
        raise typer.Exit(2) from exc


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print the error and return the exit to raise (2 = the input was wrong)."""
    err.print(f"[red]Error:[/red] {message}")
    return typer.Exit(code)


def fail_for(exc: RagError | ValueError) -> typer.Exit:
    """The exit for a service error: its message, the next step, the right code."""
    kind = getattr(exc, "kind", "invalid_request")
    step = NEXT_STEP.get(kind)
    return fail(f"{exc}; {step}" if step else str(exc), 1 if kind in SERVER_FAULTS else 2)
