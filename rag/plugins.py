"""Extension points, declared in one place: packages outside the core plug in here through
Python entry points (``pyproject.toml``), so the core never imports them.

- ``rag.ui``: ``mount(app, service, settings)`` puts a web UI on the HTTP app (the Gradio
  chat in ``ui.app``); ``rag serve`` mounts every one installed.
- ``rag.commands``: extra ``rag`` subcommands, each a Typer command function named after its
  entry (``rag eval`` comes from the ``eval`` package this way).
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import entry_points
from typing import Any

UI_GROUP = "rag.ui"
COMMANDS_GROUP = "rag.commands"


def ui_mounts() -> list[Callable[..., None]]:
    """Every installed UI's ``mount(app, service, settings)``."""
    return [ep.load() for ep in entry_points(group=UI_GROUP)]


def commands() -> dict[str, Callable[..., Any]]:
    """Extra CLI commands by name."""
    return {ep.name: ep.load() for ep in entry_points(group=COMMANDS_GROUP)}
