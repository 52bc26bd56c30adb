"""The `rag` command as a user runs it: a real subprocess of the installed entry point."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO, TARGET_QUESTION

RAG = str(Path(sys.executable).parent / "rag")


def run(args: list[str], data: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "RAG_DATA_DIR": str(data), "RAG_GENERATOR": "extractive", **env}
    return subprocess.run(
        [RAG, *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=REPO,
        timeout=300,
        check=False,
    )


def test_ingest_twice_then_ask(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = run(["ingest", "seeds", "--json"], data)
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout)
    assert set(report) == {"added", "updated", "unchanged", "removed", "failed", "chunks"}
    assert report["added"] == 5 and report["chunks"] > 0

    second = json.loads(run(["ingest", "seeds", "--json"], data).stdout)
    assert (second["added"], second["updated"], second["unchanged"]) == (0, 0, 5)

    asked = run(["ask", TARGET_QUESTION, "--json"], data)
    assert asked.returncode == 0, asked.stderr
    answer = json.loads(asked.stdout)
    assert answer["passages"][0]["source"] == "001_f4cdcd2d35e961d2.txt"
    assert answer["citations"] and "[" in answer["answer"]


def test_errors_are_clear_and_nonzero(tmp_path: Path) -> None:
    data = tmp_path / "data"
    empty = run(["ask", "   "], data)
    assert empty.returncode == 2 and "empty" in empty.stderr
    unknown = run(["ask", "Who?", "--collection", "nope-nope"], data)
    assert unknown.returncode == 2 and "unknown collection" in unknown.stderr
    missing = run(["ingest", str(tmp_path / "absent.txt"), "--json"], data)
    assert missing.returncode == 1
    assert json.loads(missing.stdout)["failed"][0]["error"]


def test_eval_writes_three_reports(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    lines = (REPO / "eval/gold/seeds.jsonl").read_text(encoding="utf-8").splitlines()
    gold.write_text("\n".join(lines[:2]) + "\n", encoding="utf-8")
    result = run(["eval", "--gold", str(gold), "--out", str(tmp_path / "out")], tmp_path / "data")
    assert result.returncode == 0, result.stderr
    assert "hit@5" in result.stderr
    for name in ("report.json", "report.md", "report.html"):
        assert (tmp_path / "out" / name).exists()
    broken = run(["eval", "--gold", str(tmp_path / "missing.jsonl")], tmp_path / "data")
    assert broken.returncode == 1 and "missing.jsonl" in broken.stderr
