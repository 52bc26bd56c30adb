"""`make bench`: every benchmark of this folder in turn, their figures gathered into
``bench/results.json`` and a readable ``bench/RESULTS.md`` (machine, versions, each figure
next to its target where issue 13 sets one).

Run: ``.venv/bin/python bench/run_all.py [--quick]`` (~20 min on 2 cores; ``--quick`` leaves
out the 100k-chunk collection). Each benchmark runs as its own process, so one's memory and
caches do not colour the next one's figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent

# The targets of issue 13: figure -> (target, True when lower is better).
TARGETS: dict[str, tuple[float, bool]] = {
    "ratio_to_raw_chunks": (0.9, False),
    "speedup_onnx-int8_over_torch": (2.5, False),
    "generation_ratio_to_llama_cpp": (0.9, False),
    "first_token_p50_s": (3.0, True),
    "first_question_first_token_s": (3.0, True),
    "peak_rss_mb_all_models_loaded": (2500.0, True),
}
SCALE_TARGETS = {100_000: 30.0, 1_000_000: 60.0}  # warm p50 ms of hybrid retrieval


def run(args: list[str]) -> tuple[str, float]:
    began = time.perf_counter()
    done = subprocess.run(
        [sys.executable, *args], cwd=HERE.parent, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        print(done.stderr[-3000:], file=sys.stderr)
        raise SystemExit(f"{args[0]} failed with exit code {done.returncode}")
    return done.stdout, time.perf_counter() - began


def json_lines(text: str) -> list[dict[str, object]]:
    found = []
    for line in text.splitlines():
        if line.startswith("{"):
            found.append(json.loads(line))
    return found


def machine() -> dict[str, object]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    versions = {
        name: metadata.version(name)
        for name in ("torch", "onnxruntime", "chromadb", "llama-index-core", "llama_cpp_python")
    }
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(), **versions}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    sizes = ["10000"] if args.quick else ["10000", "100000"]
    plan = {
        "pipeline": ["bench/bench_pipeline.py"],
        "retrieval": ["bench/bench_retrieval.py"],
        "ingest_torch": ["bench/bench_ingest.py", "--backend", "torch"],
        "ingest_onnx_int8": ["bench/bench_ingest.py", "--backend", "onnx-int8"],
        "scale": ["bench/bench_scale.py", "--sizes", *sizes],
        "serve": ["bench/bench_serve.py"],
    }
    results: dict[str, object] = {"machine": machine(), "benchmarks": {}}
    for name, command in plan.items():
        print(f"{name}: {' '.join(command)}", flush=True)
        out, seconds = run(command)
        results["benchmarks"][name] = {  # type: ignore[index]
            "seconds": round(seconds),
            "figures": json_lines(out),
            "output": out,
        }
    (HERE / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    (HERE / "RESULTS.md").write_text(report(results))
    print(f"written: {HERE / 'results.json'}, {HERE / 'RESULTS.md'}")


def target_for(key: str, figures: dict[str, object]) -> tuple[float, bool] | None:
    if key == "warm_p50_ms" and "chunks" in figures:
        limit = SCALE_TARGETS.get(int(figures["chunks"]))  # type: ignore[call-overload]
        return (limit, True) if limit else None
    return TARGETS.get(key)


def table(figures: dict[str, object]) -> list[str]:
    """One benchmark line as a table: each figure, its baseline's and its target."""
    baseline: dict[str, object] = figures.get("baseline") or {}  # type: ignore[assignment]
    lines = [f"**{figures.get('label', '')}**", ""]
    if baseline:
        lines += [f"baseline: {baseline['label']}", ""]
    lines += ["| figure | value | baseline | target | met |", "|---|---|---|---|---|"]
    for key, value in figures.items():
        if key in ("label", "baseline"):
            continue
        target = target_for(key, figures)
        shown = "" if target is None else f"{'≤' if target[1] else '≥'} {target[0]:g}"
        met = ""
        if target is not None and isinstance(value, int | float):
            met = "yes" if (value <= target[0]) == target[1] or value == target[0] else "**no**"
        lines.append(f"| {key} | {value} | {baseline.get(key, '')} | {shown} | {met} |")
    return [*lines, ""]


def size_plot(rows: list[dict[str, object]]) -> list[str]:
    """Hybrid retrieval's warm latency and the process's memory against collection size, as
    text bars (one row per size) next to the dense-only baseline."""
    widest = max(float(r["warm_p95_ms"]) for r in rows) or 1.0  # type: ignore[arg-type]
    lines = [
        "## Latency and memory against collection size (`bench_scale.py`)",
        "",
        "```",
        f"{'chunks':>10}  warm p50 (█) .. p95 (░), ms{'':24}  dense only  RSS",
    ]
    for r in rows:
        p50, p95 = float(r["warm_p50_ms"]), float(r["warm_p95_ms"])  # type: ignore[arg-type]
        bar = "█" * round(40 * p50 / widest) + "░" * round(40 * (p95 - p50) / widest)
        dense = r.get("baseline", {}).get("warm_p50_ms", "")  # type: ignore[union-attr]
        lines.append(
            f"{int(r['chunks']):>10,}  {bar:<40} {p50:>5.1f}/{p95:<6.1f} "  # type: ignore[call-overload]
            f"{dense!s:>6} ms  {r.get('rss_mb', '')} MB"
        )
    return [*lines, "```", ""]


def report(results: dict[str, object]) -> str:
    lines = ["# Benchmark results (`make bench`)", "", "## Machine", ""]
    lines += [f"- {k}: {v}" for k, v in results["machine"].items()]  # type: ignore[attr-defined]
    lines += ["", "## Figures next to their baselines and targets", ""]
    benches: dict[str, dict[str, object]] = results["benchmarks"]  # type: ignore[assignment]
    for name, bench in benches.items():
        lines += [f"### {name} ({bench['seconds']} s)", ""]
        for figures in bench["figures"]:  # type: ignore[attr-defined]
            lines += table(figures)
    scale = benches.get("scale")
    if scale:
        rows = list(scale["figures"])  # type: ignore[call-overload]
        million = HERE / "results-scale-1m.json"  # measured apart: ~40 min, not in make bench
        if million.exists():
            rows += [r for r in json.loads(million.read_text())["hybrid_retrieval"][1:]]
            lines += [f"### scale at 1M chunks (run apart: `bench/{million.name}`)", ""]
            lines += table(rows[-1])
        lines += size_plot(rows)
    lines += ["## Full output", ""]
    for name, bench in benches.items():
        lines += [f"### {name}", "", "```", str(bench["output"]).rstrip(), "```", ""]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
