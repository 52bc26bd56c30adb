"""Retrieval modes side by side, in one process: dense, rrf (dense + BM25 by reciprocal rank)
and hybrid (the default: dense + BM25 candidates ranked by their best sentence).

Run: ``.venv/bin/python bench/bench_retrieval.py [--limit 200] [--seed 0]`` (~2 min on 2 cores;
the first run ingests the seeds and the SQuAD paragraphs into a temporary data dir).
Prints hit@1/3/5/10 of the gold evidence (answerable gold questions) and of each SQuAD
question's own paragraph, with median retrieval time; asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from eval.gold import load_gold  # noqa: E402
from eval.metrics import evidence_rank  # noqa: E402
from eval.squad import COLLECTION, load_squad, sample, write_paragraphs  # noqa: E402
from rag.config import Settings, apply_offline_env  # noqa: E402
from rag.retrieval.retrieve import retrieve  # noqa: E402
from rag.schemas import Passage  # noqa: E402
from rag.service import RagService  # noqa: E402

MODES = ("dense", "rrf", "hybrid")
KS = (1, 3, 5, 10)


def hits(ranks: list[int | None]) -> str:
    return "  ".join(
        f"hit@{k} {sum(r is not None and r <= k for r in ranks) / len(ranks):.3f}" for k in KS
    )


def timed(question: str, coll: Any, settings: Settings, times: list[float]) -> list[Passage]:
    """Ten passages for the question; the milliseconds it took go to ``times``."""
    start = time.perf_counter()
    found = retrieve(question, coll, settings, 10)
    times.append((time.perf_counter() - start) * 1000)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    apply_offline_env()

    with tempfile.TemporaryDirectory() as tmp:
        base = Settings(
            data_dir=Path(tmp), seeds_dir=REPO / "seeds", generator="none", _env_file=None
        )
        service = RagService(base)
        service.ingest([base.seeds_dir])
        paragraphs, questions = load_squad()
        service.ingest([write_paragraphs(paragraphs, Path(tmp) / "squad")], COLLECTION)
        gold = [g for g in load_gold() if g.answerable]
        squad = sample(questions, args.limit, args.seed)
        seeds, squad_coll = service.collection(), service.collection(COLLECTION)
        print(f"gold: {len(gold)} answerable questions; SQuAD: {len(squad)} (seed {args.seed})")
        for mode in MODES:
            settings = base.model_copy(update={"retrieval": mode})
            times: list[float] = []
            gold_ranks = [
                evidence_rank(
                    [p.text for p in timed(g.question, seeds, settings, times)], g.evidence
                )
                for g in gold
            ]
            squad_ranks = []
            for q in squad:
                sources = [p.source for p in timed(q.question, squad_coll, settings, times)]
                squad_ranks.append(sources.index(q.source) + 1 if q.source in sources else None)
            print(
                f"{mode:7s} gold  {hits(gold_ranks)}\n"
                f"{'':7s} squad {hits(squad_ranks)}\n"
                f"{'':7s} retrieve p50 {statistics.median(times):.1f} ms"
            )


if __name__ == "__main__":
    main()
