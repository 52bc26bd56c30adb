"""Retrieval modes side by side, in one process, and the naive llama-index pipeline as the
baseline: dense, rrf (dense + BM25 by reciprocal rank) and hybrid (the default: dense + BM25
candidates ranked by their best sentence) against ``VectorStoreIndex`` over the same Chroma
with llama-index's default splitter (``SentenceSplitter``: 1,024 tiktoken tokens, 200
overlap), the same embedder and ``as_retriever()`` with its defaults but ``similarity_top_k``
(2 by default; 10 here, so that hit@5 can be read).

Run: ``.venv/bin/python bench/bench_retrieval.py [--limit 200] [--seed 0]`` (~4 min on 2 cores;
the seeds and the SQuAD paragraphs are ingested both ways into a temporary data dir).
Prints hit@1/3/5/10 of the gold evidence (answerable gold questions) and of each SQuAD
question's own paragraph, retrieval time p50/p95, ingest time and the passages' mean length
(a bigger passage holds the evidence more often and costs the model more to read), then one
JSON line per mode (the default's with the baseline beside it); asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from eval.gold import load_gold  # noqa: E402
from eval.metrics import evidence_rank  # noqa: E402
from eval.squad import COLLECTION, load_squad, sample, write_paragraphs  # noqa: E402
from rag.config import Settings, apply_offline_env  # noqa: E402
from rag.embedding import embedder_for  # noqa: E402
from rag.retrieval.retrieve import retrieve  # noqa: E402
from rag.service import RagService  # noqa: E402
from rag.store.chroma import make_client, open_collection  # noqa: E402

MODES = ("dense", "rrf", "hybrid")
KS = (1, 3, 5, 10)
# A retriever: question -> the top ten passages as (text, file name).
Retriever = Callable[[str], list[tuple[str, str]]]


def naive_pipeline(settings: Settings, folders: dict[str, Path]) -> tuple[dict[str, Any], float]:
    """llama-index's getting-started pipeline over the same Chroma and embedder: one
    ``VectorStoreIndex`` per folder; returns the retrievers and the seconds the ingest took."""
    from llama_index.core import SimpleDirectoryReader, StorageContext, VectorStoreIndex
    from llama_index.vector_stores.chroma import ChromaVectorStore

    client = make_client(settings)
    embedder = embedder_for(settings)
    retrievers = {}
    start = time.perf_counter()
    for name, folder in folders.items():
        coll = open_collection(client, f"naive-{name}", create=True)
        storage = StorageContext.from_defaults(
            vector_store=ChromaVectorStore(chroma_collection=coll)
        )
        documents = SimpleDirectoryReader(str(folder)).load_data()
        index = VectorStoreIndex.from_documents(
            documents, storage_context=storage, embed_model=embedder
        )
        retrievers[name] = index.as_retriever(similarity_top_k=10)
    return retrievers, time.perf_counter() - start


def evaluate(find: Retriever, gold: list[Any], squad: list[Any]) -> dict[str, float]:
    """hit@k on both sets, retrieval p50/p95 in ms and the passages' mean length in words."""
    times: list[float] = []
    words: list[int] = []

    def timed(question: str) -> list[tuple[str, str]]:
        start = time.perf_counter()
        found = find(question)
        times.append((time.perf_counter() - start) * 1000)
        words.extend(len(text.split()) for text, _ in found[:5])
        return found

    gold_ranks = [evidence_rank([t for t, _ in timed(g.question)], g.evidence) for g in gold]
    squad_ranks = []
    for q in squad:
        sources = [s for _, s in timed(q.question)]
        squad_ranks.append(sources.index(q.source) + 1 if q.source in sources else None)
    figures: dict[str, float] = {}
    for label, ranks in (("gold", gold_ranks), ("squad", squad_ranks)):
        for k in KS:
            figures[f"{label}_hit@{k}"] = round(
                sum(r is not None and r <= k for r in ranks) / len(ranks), 3
            )
    figures["retrieve_p50_ms"] = round(statistics.median(times), 1)
    figures["retrieve_p95_ms"] = round(float(np.percentile(times, 95)), 1)
    figures["top5_mean_words"] = round(statistics.mean(words))
    return figures


def show(label: str, figures: dict[str, float]) -> None:
    hits = "  ".join(f"{k} {v:.3f}" for k, v in figures.items() if "hit@" in k)
    print(
        f"{label:8s} {hits}\n{'':8s} retrieve p50 {figures['retrieve_p50_ms']} ms, "
        f"p95 {figures['retrieve_p95_ms']} ms; top-5 passages {figures['top5_mean_words']} "
        "words on average",
        flush=True,
    )


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
        paragraphs, questions = load_squad()
        folders = {
            "seeds": base.seeds_dir,
            "squad": write_paragraphs(paragraphs, Path(tmp) / "squad"),
        }
        service = RagService(base)
        embedder_for(base).get_text_embedding("load the embedder before the clock starts")
        start = time.perf_counter()
        service.ingest([folders["seeds"]])
        service.ingest([folders["squad"]], COLLECTION)
        ours_ingest = time.perf_counter() - start
        naive, naive_ingest = naive_pipeline(base, folders)

        gold = [g for g in load_gold() if g.answerable]
        squad = sample(questions, args.limit, args.seed)
        seeds, squad_coll = service.collection(), service.collection(COLLECTION)
        print(f"gold: {len(gold)} answerable questions; SQuAD: {len(squad)} (seed {args.seed})")
        squad_questions = {q.question for q in squad}
        results: dict[str, dict[str, float]] = {}
        for mode in MODES:
            settings = base.model_copy(update={"retrieval": mode})

            def ours(question: str, settings: Settings = settings) -> list[tuple[str, str]]:
                coll = squad_coll if question in squad_questions else seeds
                return [(p.text, p.source) for p in retrieve(question, coll, settings, 10)]

            results[mode] = evaluate(ours, gold, squad)
            show(mode, results[mode])

        def baseline(question: str) -> list[tuple[str, str]]:
            index = naive["squad"] if question in squad_questions else naive["seeds"]
            return [
                (n.node.get_content(), str(n.node.metadata.get("file_name", "")))
                for n in index.retrieve(question)
            ]

        results["naive"] = evaluate(baseline, gold, squad)
        show("naive", results["naive"])
        print(f"ingest (seeds, SQuAD): ours {ours_ingest:.1f} s, naive {naive_ingest:.1f} s")
    for mode in ("dense", "rrf"):
        print(json.dumps({"label": f"retrieval {mode}", **results[mode]}))
    print(
        json.dumps(
            {
                "label": "retrieval hybrid (default)",
                "ingest_s": round(ours_ingest, 1),
                **results["hybrid"],
                "baseline": {
                    "label": "naive llama-index VectorStoreIndex",
                    "ingest_s": round(naive_ingest, 1),
                    **results["naive"],
                },
            }
        )
    )


if __name__ == "__main__":
    main()
