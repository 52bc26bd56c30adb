"""Pipeline timings on this machine: ingest of the seeds, retrieval, and answers.

Run: ``.venv/bin/python bench/bench_pipeline.py`` (default model; ~2 min on 2 cores).
Prints figures, asserts nothing: speed targets are read here, not in timed unit tests.
Ratios compare against a baseline in the same process: the naive whole-passage prompt vs.
the default answer path (the model names the answer from a few sentences;
``rag.answer.pipeline``).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from rag.answer.models import load_llama  # noqa: E402
from rag.answer.prompts import baseline_messages  # noqa: E402
from rag.config import Settings, apply_offline_env  # noqa: E402
from rag.schemas import QueryRequest  # noqa: E402
from rag.service import RagService  # noqa: E402

QUESTIONS = [
    "Who wrote the analysis of Assad's May 2022 trip to Tehran that the Jerusalem Institute "
    "for Strategy and Security first published?",
    "When did Assad visit Tehran before May 2022?",
    "How many foreign delegations attended Pezeshkian's inauguration?",
    "Who was Iran's foreign minister in December 2024?",
    "What did the Iranian foreign ministry blame for the fall of Assad?",
]


def first_token_seconds(llama: object, messages: list[dict[str, str]]) -> tuple[float, float]:
    """Seconds to the first streamed token and to the end of the answer."""
    start = time.perf_counter()
    first = None
    for chunk in llama.create_chat_completion(  # type: ignore[attr-defined]
        messages=messages, max_tokens=96, temperature=0.0, stream=True
    ):
        if first is None and chunk["choices"][0].get("delta", {}).get("content"):
            first = time.perf_counter() - start
    return first or 0.0, time.perf_counter() - start


def main() -> None:
    apply_offline_env()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), _env_file=None)
        service = RagService(settings)
        start = time.perf_counter()
        report = service.ingest([REPO / "seeds"])
        cold = time.perf_counter() - start
        start = time.perf_counter()
        service.ingest([REPO / "seeds"])
        again = time.perf_counter() - start
        print(
            f"ingest seeds (5 files, {report.chunks} chunks, embedder load included): "
            f"{cold:.1f} s; unchanged re-run {again * 1000:.0f} ms"
        )

        retrieval = []
        for q in QUESTIONS * 3:
            r = service.query(QueryRequest(question=q, generate=False))
            retrieval.append(r.timings_ms.retrieve)
        print(
            f"retrieval p50 {statistics.median(retrieval):.0f} ms "
            f"(max {max(retrieval):.0f} ms, n={len(retrieval)})"
        )

        start = time.perf_counter()
        llama = load_llama(
            str(settings.resolved_llm_path()),
            settings.llm_context,
            settings.resolved_threads(),
            settings.llm_seed,
        )
        print(f"model load {time.perf_counter() - start:.1f} s")
        baseline = []
        for q in QUESTIONS:
            passages = service.query(QueryRequest(question=q, generate=False)).passages
            baseline.append(first_token_seconds(llama, baseline_messages(q, passages)))
        answers = [service.query(QueryRequest(question=q)) for q in QUESTIONS]
        base_ttft = statistics.median(b[0] for b in baseline)
        ours = [a.timings_ms.first_token / 1000 for a in answers if a.timings_ms.first_token]
        ours_ttft = statistics.median(ours) if ours else float("nan")
        print(
            f"time to first token p50: baseline (whole passages, model writes the answer) "
            f"{base_ttft:.1f} s, default path (model names the answer from 3 sentences) "
            f"{ours_ttft:.1f} s (ratio {base_ttft / ours_ttft:.2f}x)"
        )
        totals = [a.timings_ms.total / 1000 for a in answers]
        print(
            f"answer total p50: baseline {statistics.median(b[1] for b in baseline):.1f} s, "
            f"default path {statistics.median(totals):.1f} s (max {max(totals):.1f} s)"
        )
        for q, a in zip(QUESTIONS, answers, strict=True):
            print(f"  - {q[:60]}… → {a.answer[:110]!r}")


if __name__ == "__main__":
    main()
