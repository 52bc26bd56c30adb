"""Optional judge metrics against a real OpenAI-compatible server on loopback
(llama-cpp-python's own server with the tiny SmolLM2: plumbing, not judgement quality)."""

from __future__ import annotations

from pathlib import Path

import pytest

from eval.gold import load_gold
from eval.harness import evaluate_gold
from eval.judge import CORRECTNESS, Judge
from eval.run import run_eval
from rag.config import Settings
from rag.service import RagService

pytestmark = pytest.mark.integration


def test_verdicts_come_from_the_server(llm_server: str) -> None:
    judge = Judge(llm_server, "smollm2")
    verdict = judge.verdict(
        CORRECTNESS.format(
            question="Who wrote it?", reference="Marta Furlan", answer="Marta Furlan wrote it [1]."
        )
    )
    assert verdict in (0.0, 1.0)


def test_judge_metrics_appear_in_the_report(
    llm_server: str, seeded_settings: Settings, tmp_path: Path
) -> None:
    items = [i for i in load_gold() if i.id in {"g02", "g06", "g35"}]
    result = evaluate_gold(RagService(seeded_settings), items, judge=Judge(llm_server, "x"))
    rows = result["items"]
    assert all({"judge_faithfulness", "judge_correctness"} <= set(r) for r in rows)
    verdicts = [r[k] for r in rows for k in ("judge_faithfulness", "judge_correctness")]
    assert any(v is not None for v in verdicts)
    assert "judge_correctness" in result["summary"]


def test_without_a_judge_the_report_says_so(seeded_settings: Settings, tmp_path: Path) -> None:
    gold = tmp_path / "g.jsonl"
    gold.write_text(load_gold()[0].model_dump_json() + "\n", encoding="utf-8")
    report = run_eval(seeded_settings, gold=gold)
    assert report["judge"].startswith("not configured")
    assert "judge_faithfulness" not in report["results"]["gold"]["summary"]
