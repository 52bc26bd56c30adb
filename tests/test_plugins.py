"""rag.plugins: the UI and `rag eval` plug into the core through entry points, not imports."""

from __future__ import annotations

from typer.testing import CliRunner

from eval.cli import evaluate
from rag.cli import app as cli
from rag.plugins import commands, ui_mounts
from ui.app import mount


def test_the_gradio_ui_and_rag_eval_are_installed_plugins() -> None:
    assert mount in ui_mounts()
    assert commands() == {"eval": evaluate}


def test_rag_help_lists_the_plugged_in_command() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0 and "eval" in result.stdout and "ingest" in result.stdout
