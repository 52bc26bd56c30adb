"""``rag eval``: the evaluation harness on the command line (a ``rag.commands`` plugin)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from eval.feedback import export_feedback
from eval.gold import Split
from eval.report import compare as compare_reports
from eval.report import load_report
from eval.run import DEFAULT_GOLD, DEFAULT_SQUAD, run_eval
from rag.console import CollectionOpt, err, fail, settings_or_exit
from rag.store.conversations import ConversationStore


def evaluate(
    gold: Annotated[
        Path | None, typer.Option(help="Gold question set (JSONL; default: eval/gold/seeds.jsonl).")
    ] = None,
    split: Annotated[
        Split | None,
        typer.Option(help="Only this split of the gold set (dev: tune; test: report)."),
    ] = None,
    collection: CollectionOpt = None,
    out: Annotated[Path, typer.Option(help="Folder for report.json/.md/.html.")] = Path(
        "reports/latest"
    ),
    api: Annotated[
        str | None, typer.Option(help="Evaluate a running server (base URL) instead.")
    ] = None,
    api_key: Annotated[str | None, typer.Option(help="Bearer key for --api.")] = None,
    squad: Annotated[bool, typer.Option(help="Also run the SQuAD v2 benchmark.")] = False,
    squad_file: Annotated[Path | None, typer.Option(help="SQuAD v2 JSON file.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="SQuAD questions sampled.")] = 200,
    seed: Annotated[int, typer.Option(help="Seed of the SQuAD sample.")] = 0,
    skip_gold: Annotated[bool, typer.Option(help="Only run SQuAD.")] = False,
    compare: Annotated[
        tuple[Path, Path] | None,
        typer.Option(help="Compare two reports (files or folders): what improved, regressed."),
    ] = None,
    export_feedback: Annotated[
        Path | None,
        typer.Option(
            help="Write the rated answers (thumbs up/down) as candidate gold items (JSONL) "
            "for review, instead of evaluating."
        ),
    ] = None,
) -> None:
    """Run the evaluation harness and write reports (or --compare two earlier reports, or
    --export-feedback rated answers as candidate gold items)."""
    if export_feedback is not None:
        _export(export_feedback)
        return
    if compare:
        try:
            print(compare_reports(load_report(compare[0]), load_report(compare[1])))
        except (OSError, ValueError, KeyError) as exc:
            raise fail(f"cannot compare: {exc}", 2) from exc
        return
    settings = settings_or_exit()

    def progress(section: str, i: int, n: int) -> None:
        err.print(f"[dim]{section} {i}/{n}[/dim]", end="\r")

    try:
        report = run_eval(
            settings,
            gold=None if skip_gold else (gold or DEFAULT_GOLD),
            split=split,
            collection=collection,
            api=api,
            api_key=api_key,
            squad=(squad_file or DEFAULT_SQUAD) if (squad or squad_file) else None,
            limit=limit,
            seed=seed,
            out=out,
            progress=progress,
        )
    except (OSError, ValueError, RuntimeError) as exc:
        raise fail(str(exc)) from exc
    for section, result in report["results"].items():
        err.print(f"[bold]{section}[/bold]: {_line(result['summary'])}")
        for split, summary in result.get("by_split", {}).items():
            err.print(f"  [bold]{split}[/bold]: {_line(summary)}")
    err.print(f"reports in {out}/ (report.json, report.md, report.html)")


def _export(path: Path) -> None:
    settings = settings_or_exit()
    store_path = settings.conversations_path
    if store_path is None or not store_path.exists():
        raise fail(f"no stored conversations at {store_path or '(RAG_CONVERSATIONS=false)'}", 2)
    try:
        written = export_feedback(ConversationStore(store_path).rated_turns(), path)
    except OSError as exc:
        raise fail(f"cannot write {path}: {exc}") from exc
    err.print(f"{written} rated answers written to {path} as candidate gold items; review them")


def _line(summary: dict[str, Any]) -> str:
    return ", ".join(
        f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in summary.items()
    )
