"""``rag``: the command line. Each command is a thin shell over ``RagService``.

Run ``rag --help`` or ``rag COMMAND --help``; the help text is the documentation.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from rag.config import Settings, apply_offline_env

app = typer.Typer(
    help="Ask questions about your documents; every answer cites the passages it rests on.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)

CollectionOpt = Annotated[
    str | None,
    typer.Option("--collection", "-c", help="Collection name (default: RAG_COLLECTION)."),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object instead of text.")]


def _settings() -> Settings:
    apply_offline_env()
    try:
        return Settings()
    except ValueError as exc:
        err.print(f"[red]Invalid configuration:[/red] {exc}")
        raise typer.Exit(2) from exc


def _service(settings: Settings | None = None):
    from rag.service import RagService

    return RagService(settings or _settings())


def _fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[red]Error:[/red] {message}")
    return typer.Exit(code)


@app.command()
def ingest(
    paths: Annotated[list[Path] | None, typer.Argument(help="Files or folders to ingest.")] = None,
    collection: CollectionOpt = None,
    prune: Annotated[bool, typer.Option(help="Remove documents whose files are gone.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Add or update documents (txt, md, html, pdf). Unchanged files are skipped."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from rag.ingest import iter_files
    from rag.store import UnknownCollectionError

    if not paths and not prune:
        raise _fail("give files or folders to ingest, or --prune", 2)
    service = _service()
    files = list(iter_files(paths or []))
    progress = Progress(
        TextColumn("[bold]ingest"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        console=err,
        transient=True,
        disable=as_json or not err.is_terminal,
    )
    try:
        with progress:
            task = progress.add_task("", total=len(files))

            def step(path: Path, outcome: str) -> None:
                progress.update(task, advance=1, description=f"{path.name}: {outcome}")

            report = service.ingest(paths or [], collection, prune=prune, on_file=step)
    except (UnknownCollectionError, ValueError) as exc:
        raise _fail(str(exc), 2) from exc
    if as_json:
        print(report.model_dump_json())
    else:
        err.print(
            f"added {report.added}, updated {report.updated}, unchanged {report.unchanged}, "
            f"removed {report.removed}, failed {len(report.failed)}; "
            f"{report.chunks} chunks in the collection"
        )
        for failure in report.failed:
            err.print(f"[yellow]skipped[/yellow] {failure.path}: {failure.error}")
    if report.failed and not (report.added or report.updated or report.unchanged):
        raise typer.Exit(1)


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question, in quotes.")],
    collection: CollectionOpt = None,
    top_k: Annotated[int | None, typer.Option("--top-k", min=1, max=50)] = None,
    as_json: JsonOpt = False,
) -> None:
    """Answer a question from the documents, with cited passages."""
    from pydantic import ValidationError

    from rag.generate import GeneratorUnavailable
    from rag.schemas import QueryRequest
    from rag.service import QuestionTooLongError
    from rag.store import UnknownCollectionError

    try:
        request = QueryRequest(question=question, collection=collection, top_k=top_k)
    except ValidationError as exc:
        raise _fail(exc.errors()[0]["msg"], 2) from exc
    service = _service()
    try:
        response = service.query(request)
    except UnknownCollectionError as exc:
        raise _fail(f"{exc}; add documents first: rag ingest PATH", 2) from exc
    except (QuestionTooLongError, ValueError) as exc:
        raise _fail(str(exc), 2) from exc
    except GeneratorUnavailable as exc:
        raise _fail(str(exc)) from exc
    if as_json:
        print(response.model_dump_json())
        return
    out = Console()
    out.print(response.answer, markup=False, highlight=False)
    for c in response.citations:
        snippet = " ".join(c.text.split())[:160]
        out.print(f"[{c.id}] {c.source} ({c.score:.2f}): {snippet}…", markup=False, highlight=False)
    err.print(f"[dim]{response.timings_ms.total / 1000:.1f} s[/dim]")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (default RAG_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default RAG_PORT).")] = None,
) -> None:
    """Serve the HTTP API and the chat UI (at /) in one process."""
    import uvicorn

    from rag.api import create_app
    from rag.api.auth import bind_refusal

    settings = _settings()
    if host:
        settings.host = host
    if port:
        settings.port = port
    refusal = bind_refusal(settings)
    if refusal:
        raise _fail(refusal, 2)
    app_ = create_app(settings)
    err.print(f"Serving on http://{settings.host}:{settings.port}/  (API docs at /docs)")
    uvicorn.run(app_, host=settings.host, port=settings.port, log_level="info")


@app.command(name="eval")
def evaluate(
    gold: Annotated[
        Path | None, typer.Option(help="Gold question set (JSONL; default: eval/gold/seeds.jsonl).")
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
) -> None:
    """Run the evaluation harness and write reports (or --compare two earlier reports)."""
    from eval.report import compare as compare_reports
    from eval.report import load_report
    from eval.run import DEFAULT_GOLD, DEFAULT_SQUAD, run_eval

    if compare:
        try:
            print(compare_reports(load_report(compare[0]), load_report(compare[1])))
        except (OSError, ValueError, KeyError) as exc:
            raise _fail(f"cannot compare: {exc}", 2) from exc
        return
    settings = _settings()

    def progress(section: str, i: int, n: int) -> None:
        err.print(f"[dim]{section} {i}/{n}[/dim]", end="\r")

    try:
        report = run_eval(
            settings,
            gold=None if skip_gold else (gold or DEFAULT_GOLD),
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
        raise _fail(str(exc)) from exc
    for section, result in report["results"].items():
        summary = ", ".join(
            f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}"
            for k, v in result["summary"].items()
        )
        err.print(f"[bold]{section}[/bold]: {summary}")
    err.print(f"reports in {out}/ (report.json, report.md, report.html)")


@app.command()
def collections() -> None:
    """List collections and their chunk counts."""
    service = _service()
    for name in service.collections():
        print(f"{name}\t{service.collection(name).count()}")


def main() -> None:  # pragma: no cover - console entry
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
