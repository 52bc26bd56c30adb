"""Ingest throughput against its limit: chunks/s through the whole ingest path (``rag ingest``
of many short files) next to the raw encoder on the same chunks, and on the same chunks plus
their sentences (ingest embeds both: retrieval ranks chunks by their best sentence), with the
same batch size, in one process.

Run: ``.venv/bin/python bench/bench_ingest.py [--files 294] [--backend onnx-int8]`` (~3 min
on 2 cores). The files are the SQuAD v2 paragraphs of ``eval/benchmarks`` (short Wikipedia
paragraphs, one chunk each, the case where per-file overheads show). The ingest runs with
``--backend``; every embedding backend's raw throughput on the same chunks is shown beside
it, as a ratio to torch. Prints one JSON line; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from eval.squad import load_squad, write_paragraphs  # noqa: E402
from rag.config import Settings, apply_offline_env  # noqa: E402
from rag.embedding import embedder_for  # noqa: E402
from rag.embedding_onnx import BACKENDS  # noqa: E402
from rag.service import RagService  # noqa: E402
from rag.text.sentences import split_sentences  # noqa: E402


def raw_encoder(settings: Settings) -> Callable[[list[str]], object]:
    """The backend's own batch encoder (longest-first batches of ``embed_batch_size``)."""
    embedder: Any = embedder_for(settings)
    if settings.embed_backend == "torch":
        return lambda texts: embedder._model.encode(texts, batch_size=settings.embed_batch_size)
    return embedder.encode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=294)
    parser.add_argument("--backend", choices=BACKENDS, default=Settings().embed_backend)
    args = parser.parse_args()
    apply_offline_env()
    paragraphs, _ = load_squad()
    chosen = dict(list(paragraphs.items())[: args.files])
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_paragraphs(chosen, Path(tmp) / "paragraphs")
        settings = Settings(
            data_dir=Path(tmp) / "data", seeds_dir=REPO / "seeds", generator="none",
            embed_backend=args.backend, _env_file=None,
        )  # fmt: skip
        service = RagService(settings)
        encode = raw_encoder(settings)
        encode(["warm up the encoder"])
        # What the first ingest of a process loads once (chromadb, nltk for llama-index's
        # splitter: ~3.7 s here) is start-up, not throughput: one small file loads it first.
        warm = Path(tmp) / "warm"
        warm.mkdir()
        # long enough to be split into chunks (that is where llama-index loads nltk)
        (warm / "warm.txt").write_text("Load what the ingest needs, once. " * 200)
        start = time.perf_counter()
        service.ingest([warm], "warm")
        first_ingest_s = time.perf_counter() - start
        start = time.perf_counter()
        report = service.ingest([folder], "bench")
        ingest_s = time.perf_counter() - start
        texts = service.collection("bench").get(include=["documents"])["documents"]
        sentences = [s for t in texts for s in split_sentences(t)]
        start = time.perf_counter()
        encode(texts)
        chunks_s = time.perf_counter() - start
        start = time.perf_counter()
        encode(sentences)
        sentences_s = time.perf_counter() - start
        backends = {}
        for backend in BACKENDS:
            other = raw_encoder(settings.model_copy(update={"embed_backend": backend}))
            other(texts[:8])
            start = time.perf_counter()
            other(texts)
            backends[backend] = round(len(texts) / (time.perf_counter() - start), 1)
    n = report.chunks
    print(
        json.dumps(
            {
                "label": f"ingest of {args.files} short files ({args.backend})",
                "chunks": n,
                "sentences": len(sentences),
                "ingest_s": round(ingest_s, 1),
                "first_ingest_of_a_process_one_file_s": round(first_ingest_s, 1),
                "ingest_chunks_per_s": round(n / ingest_s, 1),
                "ratio_to_raw_chunks": round(chunks_s / ingest_s, 2),
                "ratio_to_raw_chunks_and_sentences": round((chunks_s + sentences_s) / ingest_s, 2),
                **{f"raw_chunks_per_s_{b}": v for b, v in backends.items()},
                **{
                    f"speedup_{b}_over_torch": round(v / backends["torch"], 2)
                    for b, v in backends.items()
                    if b != "torch"
                },
                "baseline": {
                    "label": "the raw encoder on the same chunks, same batch size (the limit)",
                    "ingest_s": round(chunks_s, 1),
                    "ingest_chunks_per_s": round(n / chunks_s, 1),
                },
            }
        )
    )


if __name__ == "__main__":
    main()
