"""Reports and --compare on a small real run (extractive generator: fast), SQuAD loading."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from eval.gold import load_gold
from eval.report import compare, load_report, write_reports
from eval.run import run_eval
from eval.squad import load_squad, sample
from rag.config import Settings
from tests.conftest import REPO, make_settings

RAG = str(Path(sys.executable).parent / "rag")


def small_gold(tmp_path: Path) -> Path:
    keep = {"g01", "g02", "g33", "g42"}
    lines = [i.model_dump_json() for i in load_gold() if i.id in keep]
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_reports_are_written_and_comparable(seeded_settings: Settings, tmp_path: Path) -> None:
    gold = small_gold(tmp_path)
    a = run_eval(seeded_settings, gold=gold, out=tmp_path / "a", name="a")
    summary = a["results"]["gold"]["summary"]
    assert summary["items"] == 4 and 0.0 <= summary["hit@5"] <= 1.0
    assert {
        "mrr",
        "key_fact_recall",
        "citation_precision",
        "abstention_accuracy",
        "false_refusal_rate",
        "retrieve_ms_p50",
        "total_ms_p95",
    } <= set(summary)
    assert set(a["results"]["gold"]["by_type"]) == {"single-fact", "unanswerable", "false-premise"}
    for name in ("report.json", "report.md", "report.html"):
        assert (tmp_path / "a" / name).stat().st_size > 200
    md = (tmp_path / "a" / "report.md").read_text()
    assert "By question type" in md and "Worst failures" in md
    html = (tmp_path / "a" / "report.html").read_text()
    assert "<svg" in html and "<script" not in html

    b = json.loads(json.dumps(load_report(tmp_path / "a")))
    b["name"] = "b"
    b["results"]["gold"]["summary"]["hit@5"] = summary["hit@5"] - 0.25
    b["results"]["gold"]["items"][0]["key_fact_recall"] = -1.0
    text = compare(load_report(tmp_path / "a"), b)
    assert "hit@5" in text and "REGRESSED" in text and "g01" in text


def test_cli_compare_and_missing_report(tmp_path: Path) -> None:
    report = {
        "name": "x",
        "started": "now",
        "config_summary": "",
        "config": {},
        "results": {"gold": {"summary": {"items": 1, "hit@5": 1.0}, "by_type": {}, "items": []}},
    }
    write_reports(report, tmp_path / "x")

    def compare(a: str, b: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [RAG, "eval", "--compare", str(tmp_path / a), str(tmp_path / b)],
            capture_output=True,
            text=True,
            cwd=REPO,
            check=False,
        )

    ok = compare("x", "x")
    assert ok.returncode == 0 and "hit@5" in ok.stdout
    bad = compare("x", "nope")
    assert bad.returncode == 2 and "cannot compare" in bad.stderr


def test_squad_loader_and_fixed_sample() -> None:
    paragraphs, questions = load_squad()
    assert len(paragraphs) == 294 and len(questions) == 2805
    assert sum(not q.answerable for q in questions) == 1527
    assert all(q.source in paragraphs for q in questions)
    assert [q.id for q in sample(questions, 20, seed=3)] == [
        q.id for q in sample(questions, 20, seed=3)
    ]
    assert len(sample(questions, 5000)) == 2805


def test_squad_run_on_a_tiny_sample(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "data")
    report = run_eval(
        settings, gold=None, squad=REPO / "eval/benchmarks/squad2-dev-public.json", limit=5, seed=1
    )
    summary = report["results"]["squad2"]["summary"]
    assert summary["items"] == 5
    assert {"hit@1", "hit@5", "exact_match", "f1"} <= set(summary)
    assert summary["hit@5"] >= 0.6  # MiniLM finds the question's own paragraph


def test_splits_are_reported_side_by_side_with_their_gap(
    seeded_settings: Settings, tmp_path: Path
) -> None:
    """Dev and test summaries and the gap between them; a casual variant is compared with its
    clean original, and a multi-turn item is asked with its conversation."""
    gold = load_gold()
    by_id = {i.id: i for i in gold}
    casual = next(i for i in gold if i.variant_of)
    multi = next(i for i in gold if i.history)
    other = next(i for i in gold if i.split != casual.split and i.type == "single-fact")
    chosen = [casual, by_id[casual.variant_of or ""], multi, other]
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(i.model_dump_json() for i in chosen) + "\n", encoding="utf-8")
    result = run_eval(seeded_settings, gold=path, out=tmp_path / "r")["results"]["gold"]
    assert set(result["by_split"]) == {"dev", "test"}
    assert sum(s["items"] for s in result["by_split"].values()) == 4
    dev, test = result["by_split"]["dev"], result["by_split"]["test"]
    assert result["gap"]["hit@5"] == dev["hit@5"] - test["hit@5"]
    rows = {r["id"]: r for r in result["items"]}
    assert rows[casual.id]["same_as_original"] in (True, False)
    assert 0.0 <= result["summary"]["casual_consistency"] <= 1.0
    assert rows[multi.id]["split"] == multi.split
    md = (tmp_path / "r" / "report.md").read_text()
    assert "By split (tune on dev, report test)" in md and "| gap |" in md
