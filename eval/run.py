"""``rag eval``: run the gold set (and optionally a SQuAD v2 sample), write the reports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from eval.gold import DEFAULT_GOLD, Split, load_gold
from eval.harness import ApiEngine, Engine, evaluate_gold, evaluate_squad
from eval.judge import Judge
from eval.report import write_reports
from eval.squad import COLLECTION as SQUAD_COLLECTION
from eval.squad import DEFAULT_SQUAD, load_squad, sample, write_paragraphs
from rag.config import Settings
from rag.service import RagService

Progress = Callable[[str, int, int], None]


def config_summary(settings: Settings, api: str | None) -> str:
    if api:
        return f"API {api}"
    model = settings.resolved_llm_path().name if settings.generator == "llama_cpp" else "-"
    return (
        f"generator={settings.generator} model={model} top_k={settings.top_k} "
        f"chunk_tokens={settings.chunk_tokens}/{settings.chunk_overlap}"
    )


def run_eval(
    settings: Settings,
    *,
    gold: Path | None = DEFAULT_GOLD,
    split: Split | None = None,
    collection: str | None = None,
    api: str | None = None,
    api_key: str | None = None,
    squad: Path | None = None,
    limit: int | None = 200,
    seed: int = 0,
    out: Path | None = None,
    name: str | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Evaluate and (when ``out`` is given) write report.json/.md/.html there."""
    service = None
    engine: Engine
    if api:
        engine = ApiEngine(api, api_key)
    else:
        # Evaluation questions are not conversations: the data dir's list stays the users'.
        service = RagService(settings.model_copy(update={"conversations": False}))
        engine = service
    report: dict[str, Any] = {
        "name": name or (out.name if out else "eval"),
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "config_summary": config_summary(settings, api),
        "config": {} if api else settings.model_dump(mode="json"),  # secrets stay masked
        "results": {},
    }
    if gold is not None:
        items = load_gold(gold, split)
        if service is not None:
            # The gold set is about the bundled corpus: make sure it is in the collection.
            service.ingest([settings.seeds_dir], collection)
        judge = Judge.from_settings(settings)
        report["judge"] = (
            f"{settings.judge_model} at {settings.judge_base_url}"
            if judge
            else "not configured (set RAG_JUDGE_BASE_URL for faithfulness/correctness metrics)"
        )
        report["results"]["gold"] = evaluate_gold(
            engine,
            items,
            collection,
            (lambda i, n: progress("gold", i, n)) if progress else None,
            judge,
        )
    if squad is not None:
        paragraphs, questions = load_squad(squad)
        if service is not None:
            folder = write_paragraphs(paragraphs, settings.data_dir / "benchmarks" / "squad2")
            service.ingest([folder], SQUAD_COLLECTION)
        chosen = sample(questions, limit, seed)
        result = evaluate_squad(
            engine,
            chosen,
            SQUAD_COLLECTION,
            (lambda i, n: progress("squad", i, n)) if progress else None,
        )
        result["summary"]["sample_seed"] = seed
        report["results"]["squad2"] = result
    if out is not None:
        write_reports(report, out)
    return report


__all__ = ["DEFAULT_GOLD", "DEFAULT_SQUAD", "run_eval"]
