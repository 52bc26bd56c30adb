"""``rag``: the command line. Each command is a thin shell over ``RagService``; commands of
other packages (``rag eval``) plug in through ``rag.plugins``.

Run ``rag --help`` or ``rag COMMAND --help``; the help text is the documentation.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console

from rag.api import create_app
from rag.api.auth import bind_refusal
from rag.config import Settings
from rag.console import CollectionOpt, JsonOpt, err, fail, fail_for, settings_or_exit
from rag.errors import RagError
from rag.ingest.pipeline import iter_files
from rag.plugins import commands
from rag.schemas import QueryRequest
from rag.service import RagService

app = typer.Typer(
    help="Ask questions about your documents; every answer cites the passages it rests on.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _service(settings: Settings | None = None) -> RagService:
    return RagService(settings or settings_or_exit())


@app.command()
def ingest(
    paths: Annotated[list[Path] | None, typer.Argument(help="Files or folders to ingest.")] = None,
    collection: CollectionOpt = None,
    prune: Annotated[bool, typer.Option(help="Remove documents whose files are gone.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Add or update documents (txt, md, html, pdf). Unchanged files are skipped."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    if not paths and not prune:
        raise fail("give files or folders to ingest, or --prune", 2)
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
    except (RagError, ValueError) as exc:
        raise fail(str(exc), 2) from exc
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
    try:
        request = QueryRequest(question=question, collection=collection, top_k=top_k)
    except ValidationError as exc:
        raise fail(exc.errors()[0]["msg"], 2) from exc
    service = _service()
    try:
        response = service.query(request)
    except (RagError, ValueError) as exc:
        raise fail_for(exc) from exc
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

    settings = settings_or_exit()
    if host:
        settings.host = host
    if port:
        settings.port = port
    refusal = bind_refusal(settings)
    if refusal:
        raise fail(refusal, 2)
    app_ = create_app(settings)
    err.print(f"Serving on http://{settings.host}:{settings.port}/  (API docs at /docs)")
    uvicorn.run(app_, host=settings.host, port=settings.port, log_level="info")


@app.command()
def check(
    collection: CollectionOpt = None,
    repair: Annotated[bool, typer.Option(help="Mend what can be mended.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Check that a collection holds together: whole documents, their files, the BM25
    index, the sentence vectors, no stray uploads. Exit 1 while something is wrong."""
    import dataclasses
    import json

    service = _service()
    try:
        report = service.check(collection, repair)
    except (RagError, ValueError) as exc:
        raise fail_for(exc) from exc
    if as_json:
        print(json.dumps({**dataclasses.asdict(report), "ok": report.ok}))
    else:
        out = Console()
        out.print(
            f"{report.collection}: {report.documents} documents, {report.chunks} chunks",
            markup=False,
        )
        for f in report.findings:
            state = "repaired" if f.repaired else "found"
            out.print(f"  {state}: {f.kind}: {f.detail}", markup=False, highlight=False)
        out.print("ok" if report.ok else "problems found (rag check --repair)", markup=False)
    if not report.ok:
        raise typer.Exit(1)


@app.command()
def collections() -> None:
    """List collections and their chunk counts."""
    service = _service()
    for name in service.collections():
        print(f"{name}\t{service.collection(name).count()}")


for _name, _command in commands().items():
    app.command(name=_name)(_command)


def main() -> None:  # pragma: no cover - console entry
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
