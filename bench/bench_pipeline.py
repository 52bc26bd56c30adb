"""The answer path's speed on this machine, in one process started the way ``rag serve``
starts (seeds ingested, one warm-up answer): time to first token and total time on gold
questions, the first one right after start-up included; the model's generation speed as the
answer path streams it against llama.cpp's own count for the same calls (its perf counters:
the engine's raw tokens/s); and the naive prompt (whole passages, the model writes the
answer; ``rag.answer.prompts.baseline_messages``) as the baseline on the same questions.

Run: ``.venv/bin/python bench/bench_pipeline.py [--limit 40] [--baseline 5]`` (~5 min on 2
cores). Prints a line per figure and one JSON line; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from eval.gold import load_gold  # noqa: E402
from rag.answer.models import LlamaCppModel, Messages  # noqa: E402
from rag.answer.prompts import baseline_messages  # noqa: E402
from rag.config import Settings, apply_offline_env  # noqa: E402
from rag.schemas import QueryRequest  # noqa: E402
from rag.service import RagService  # noqa: E402


@dataclass
class Call:
    """One model call of the answer path: when each streamed piece arrived, and llama.cpp's
    own timings of the call (prompt and generated tokens, milliseconds)."""

    pieces: list[float] = field(default_factory=list)
    engine: dict[str, float] = field(default_factory=dict)


def record_calls(calls: list[Call]) -> None:
    """Wrap ``LlamaCppModel.complete`` so that every call of the answer path is recorded."""
    import llama_cpp

    original = LlamaCppModel.complete

    def complete(self: LlamaCppModel, messages: Messages, max_tokens: int) -> Iterator[str]:
        ctx = self.llama()._ctx.ctx
        llama_cpp.llama_perf_context_reset(ctx)
        call = Call()
        try:
            for piece in original(self, messages, max_tokens):
                call.pieces.append(time.perf_counter())
                yield piece
        finally:
            data = llama_cpp.llama_perf_context(ctx)
            call.engine = {
                "prompt_tokens": data.n_p_eval,
                "prompt_ms": data.t_p_eval_ms,
                "tokens": data.n_eval,
                "eval_ms": data.t_eval_ms,
            }
            calls.append(call)

    LlamaCppModel.complete = complete  # type: ignore[method-assign]


def streamed_rate(calls: list[Call]) -> tuple[float, float]:
    """Tokens/s between the first and the last streamed piece, as the answer path delivered
    them, and llama.cpp's own generation tokens/s for the same calls."""
    intervals = sum(len(c.pieces) - 1 for c in calls if len(c.pieces) > 2)
    seconds = sum(c.pieces[-1] - c.pieces[0] for c in calls if len(c.pieces) > 2)
    tokens = sum(c.engine["tokens"] for c in calls if len(c.pieces) > 2)
    eval_s = sum(c.engine["eval_ms"] for c in calls if len(c.pieces) > 2) / 1000
    return intervals / seconds, tokens / eval_s


def first_token(settings: Settings, messages: Messages) -> tuple[float, float]:
    """Seconds to the first streamed piece and to the end of the model's reply."""
    start = time.perf_counter()
    first = None
    for _ in LlamaCppModel(settings).complete(messages, 96):
        first = first or time.perf_counter() - start
    return first or float("nan"), time.perf_counter() - start


def spread(values: list[float]) -> str:
    return f"p25 {np.percentile(values, 25):.2f}, p75 {np.percentile(values, 75):.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=40, help="gold questions to answer")
    parser.add_argument("--baseline", type=int, default=5, help="of them, also the naive way")
    args = parser.parse_args()
    apply_offline_env()
    calls: list[Call] = []
    record_calls(calls)
    gold = load_gold()
    step = max(1, len(gold) // args.limit)
    items = sorted(gold, key=lambda g: g.id)[::step][: args.limit]
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), seeds_dir=REPO / "seeds", _env_file=None)
        service = RagService(settings)
        start = time.perf_counter()
        service.ingest([settings.seeds_dir])
        ingest_s = time.perf_counter() - start
        start = time.perf_counter()
        service.warm_up()
        warm_s = time.perf_counter() - start
        calls.clear()
        first_by_id: dict[str, float] = {}
        total = []
        for item in items:
            answer = service.query(
                QueryRequest(question=item.question, history=item.history), record=False
            )
            if answer.timings_ms.first_token is not None:
                first_by_id[item.id] = answer.timings_ms.first_token / 1000
            total.append(answer.timings_ms.total / 1000)
        first = list(first_by_id.values())
        model_calls = len(calls)
        ours_rate, engine_rate = streamed_rate(calls)
        prompt_tokens = sum(c.engine["prompt_tokens"] for c in calls)
        prompt_s = sum(c.engine["prompt_ms"] for c in calls) / 1000

        naive_first, naive_total, ours_first = [], [], []
        for item in [i for i in items if not i.history][: args.baseline]:
            request = QueryRequest(question=item.question, generate=False)
            passages = service.query(request, record=False).passages
            began, end = first_token(settings, baseline_messages(item.question, passages))
            naive_first.append(began)
            naive_total.append(end)
            ours_first.append(first_by_id.get(item.id, float("nan")))
    figures = {
        "label": "answers (default path)",
        "questions": len(items),
        "model_calls": model_calls,
        "ingest_seeds_s": round(ingest_s, 1),
        "warm_up_s": round(warm_s, 1),
        "first_question_first_token_s": round(first_by_id.get(items[0].id, float("nan")), 2),
        "first_token_p50_s": round(statistics.median(first), 2),
        "first_token_p95_s": round(float(np.percentile(first, 95)), 2),
        "total_p50_s": round(statistics.median(total), 2),
        "total_p95_s": round(float(np.percentile(total, 95)), 2),
        "generation_tokens_per_s": round(ours_rate, 1),
        "prompt_tokens_per_s_llama_cpp": round(prompt_tokens / prompt_s, 1),
        "prompt_tokens_per_call": round(prompt_tokens / max(len(calls), 1)),
        "generation_ratio_to_llama_cpp": round(ours_rate / engine_rate, 2),
        "baseline": {
            "label": f"llama.cpp's own count (tokens/s); naive prompt on {len(naive_first)} "
            "questions (times)",
            "generation_tokens_per_s": round(engine_rate, 1),
            "first_token_p50_s": round(statistics.median(naive_first), 2),
            "total_p50_s": round(statistics.median(naive_total), 2),
        },
    }
    print(
        f"{len(items)} gold questions, {model_calls} model calls; first token p50 "
        f"{figures['first_token_p50_s']} s ({spread(first)}), the first after start "
        f"{figures['first_question_first_token_s']} s; total p50 {figures['total_p50_s']} s "
        f"({spread(total)})\ngeneration {ours_rate:.1f} tokens/s as streamed vs llama.cpp's "
        f"own {engine_rate:.1f}; prompt {figures['prompt_tokens_per_s_llama_cpp']} tokens/s, "
        f"{figures['prompt_tokens_per_call']} tokens a call\nnaive prompt on the same "
        f"{len(naive_first)} questions: first token p50 {statistics.median(naive_first):.1f} s "
        f"vs ours {statistics.median(ours_first):.1f} s"
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
