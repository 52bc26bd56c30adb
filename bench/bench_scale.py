"""Hybrid retrieval against collection size: warm latency p50/p95 and memory on synthetic
collections (Chroma filled with generated texts and random unit vectors; nobody embeds a
million texts to time a search), next to the seeds.

Run: ``.venv/bin/python bench/bench_scale.py [--sizes 10000 100000] [--questions 30]``
(~6 min on 2 cores for the default sizes; add 1000000 for the 1M point, ~40 min and ~6 GB).

Each size gets a fresh data dir. The texts are sentences of words drawn by Zipf's law from
the seeds' own vocabulary, so posting lists are as skewed as in real text. A question is
six such words: its MiniLM embedding, the dense and BM25 searches, reading the candidates
and scoring their sentences are all timed (``rag.retrieval.fusion.hybrid``), twice per
question: the first (cold: the candidates' sentences are embedded then) and the second
(warm: what a repeated or similar question costs). Prints one line per size and writes
``bench/results-scale.json``; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from rag.config import Settings, apply_offline_env  # noqa: E402
from rag.embedding import _query_vector, query_vector  # noqa: E402
from rag.retrieval.fusion import hybrid  # noqa: E402
from rag.retrieval.lexical import Row, forget, lexical_index, updating  # noqa: E402
from rag.service import RagService  # noqa: E402
from rag.store.chroma import make_client, open_collection  # noqa: E402
from rag.text.words import terms  # noqa: E402

BATCH = 2000
DIM = 384


def rss_mb() -> float:
    """Resident memory of this process now, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def vocabulary() -> list[str]:
    words: dict[str, int] = {}
    for path in sorted((REPO / "seeds").glob("*")):
        for t in terms(path.read_text(errors="ignore")):
            if t.isalpha():
                words[t] = words.get(t, 0) + 1
    return sorted(words, key=lambda w: -words[w])


def synthetic_texts(n: int, words: list[str], rng: np.random.Generator) -> list[str]:
    """``n`` chunks of four 12-word sentences, words drawn by Zipf's law (s = 1.1)."""
    ranks = np.minimum(rng.zipf(1.1, size=(n, 48)), len(words)) - 1
    texts = []
    for row in ranks:
        sentences = [" ".join(words[i] for i in row[k : k + 12]) for k in range(0, 48, 12)]
        texts.append(". ".join(s.capitalize() for s in sentences) + ".")
    return texts


def fill(coll: Any, settings: Settings, n: int, words: list[str], seed: int) -> float:
    """Add ``n`` synthetic chunks to Chroma and the lexical index; return chunks/s."""
    rng = np.random.default_rng(seed)
    start = time.perf_counter()
    for first in range(0, n, BATCH):
        size = min(BATCH, n - first)
        texts = synthetic_texts(size, words, rng)
        vectors = rng.standard_normal((size, DIM)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        ids = [f"syn{first + i:08d}" for i in range(size)]
        metas = [
            {"doc_id": f"doc{(first + i) // 10:07d}", "doc_hash": "synthetic", "source": "s.txt"}
            for i in range(size)
        ]
        with updating(coll, settings) as index:
            coll.add(ids=ids, documents=texts, embeddings=vectors, metadatas=metas)  # type: ignore[arg-type]
            index.apply([Row(i, "synthetic", t) for i, t in zip(ids, texts, strict=True)], [])
    return n / (time.perf_counter() - start)


def timings(coll: Any, settings: Settings, questions: list[str]) -> dict[str, Any]:
    """Per question: ``hybrid`` cold and warm (the question embedded each time: its vector
    cache is emptied), the question's embedding alone, and the baseline: what the naive
    pipeline's retriever does (embed the question, one Chroma query for the top 5)."""
    cold, warm, embed, dense = [], [], [], []
    for question in questions:
        for times in (cold, warm):
            _query_vector.cache_clear()
            start = time.perf_counter()
            hybrid(question, coll, settings, 5)
            times.append((time.perf_counter() - start) * 1000)
        _query_vector.cache_clear()
        start = time.perf_counter()
        vector = query_vector(settings, question)
        embed.append((time.perf_counter() - start) * 1000)
        coll.query(query_embeddings=[vector], n_results=5)
        dense.append((time.perf_counter() - start) * 1000)
    return {
        "cold_p50_ms": round(statistics.median(cold), 1),
        "warm_p50_ms": round(statistics.median(warm), 1),
        "warm_p95_ms": round(float(np.percentile(warm, 95)), 1),
        "question_embedding_p50_ms": round(statistics.median(embed), 1),
        "baseline": {
            "label": "dense only: question embedding + one Chroma query (the naive retriever)",
            "warm_p50_ms": round(statistics.median(dense), 1),
            "warm_p95_ms": round(float(np.percentile(dense, 95)), 1),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--questions", type=int, default=30)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results-scale.json")
    args = parser.parse_args()
    apply_offline_env()
    words = vocabulary()
    rng = np.random.default_rng(7)
    questions = [
        "what " + " ".join(words[min(int(r), len(words)) - 1] for r in rng.zipf(1.3, 6))
        for _ in range(args.questions)
    ]
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            data_dir=Path(tmp) / "seeds", seeds_dir=REPO / "seeds", generator="none",
            _env_file=None,
        )  # fmt: skip
        service = RagService(settings)
        service.ingest([settings.seeds_dir])
        seeds = service.collection()
        lexical_index(seeds, settings)
        row = {
            "label": "hybrid retrieval on the seeds",
            "chunks": seeds.count(),
            **timings(seeds, settings, questions),
        }
        row["rss_mb"] = round(rss_mb())
        results.append(row)
        print(json.dumps(row), flush=True)
        for n in args.sizes:
            settings = settings.model_copy(update={"data_dir": Path(tmp) / f"n{n}"})
            coll = open_collection(make_client(settings), "synthetic", create=True)
            rate = fill(coll, settings, n, words, seed=n)
            coll = open_collection(make_client(settings), "synthetic")
            forget(settings, "synthetic")  # the index lost: rebuilt from Chroma before a question
            start = time.perf_counter()
            lexical_index(coll, settings)
            rebuild = time.perf_counter() - start
            row = {
                "label": f"hybrid retrieval on {n:,} synthetic chunks",
                "chunks": coll.count(),
                "fill_chunks_per_s": round(rate),
                "index_rebuild_s": round(rebuild, 1),
                **timings(coll, settings, questions),
                "rss_mb": round(rss_mb()),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                "index_mb": round(
                    sum(p.stat().st_size for p in settings.lexical_dir.glob("*")) / 2**20, 1
                ),
            }
            results.append(row)
            print(json.dumps(row), flush=True)
    args.out.write_text(json.dumps({"hybrid_retrieval": results}, indent=2) + "\n")
    print(f"written: {args.out}")


if __name__ == "__main__":
    main()
