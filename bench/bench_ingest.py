"""Ingest throughput against its limit: chunks/s through the whole ingest path (``rag ingest``
of many short files) next to the raw encoder on the same chunks, and on the same chunks plus
their sentences (ingest embeds both: retrieval ranks chunks by their best sentence), with the
same batch size, in one process.

Run: ``.venv/bin/python bench/bench_ingest.py [--files 294]`` (~2 min on 2 cores). The files
are the SQuAD v2 paragraphs of ``eval/benchmarks`` (short Wikipedia paragraphs, one chunk
each, the case where per-file overheads show). Prints one JSON line; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from eval.squad import load_squad, write_paragraphs  # noqa: E402
from rag.config import Settings, apply_offline_env  # noqa: E402
from rag.embedding import embedder_for  # noqa: E402
from rag.service import RagService  # noqa: E402
from rag.text.sentences import split_sentences  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=294)
    args = parser.parse_args()
    apply_offline_env()
    paragraphs, _ = load_squad()
    chosen = dict(list(paragraphs.items())[: args.files])
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_paragraphs(chosen, Path(tmp) / "paragraphs")
        settings = Settings(
            data_dir=Path(tmp) / "data", seeds_dir=REPO / "seeds", generator="none",
            _env_file=None,
        )  # fmt: skip
        service = RagService(settings)
        model = embedder_for(settings)._model
        model.encode(["warm up the encoder"])
        start = time.perf_counter()
        report = service.ingest([folder], "bench")
        ingest_s = time.perf_counter() - start
        texts = service.collection("bench").get(include=["documents"])["documents"]
        sentences = [s for t in texts for s in split_sentences(t)]
        batch = settings.embed_batch_size
        start = time.perf_counter()
        model.encode(texts, batch_size=batch)
        chunks_s = time.perf_counter() - start
        start = time.perf_counter()
        model.encode(sentences, batch_size=batch)
        sentences_s = time.perf_counter() - start
    n = report.chunks
    print(
        json.dumps(
            {
                "files": args.files,
                "chunks": n,
                "sentences": len(sentences),
                "ingest_s": round(ingest_s, 1),
                "ingest_chunks_per_s": round(n / ingest_s, 1),
                "raw_encoder_chunks_per_s": round(n / chunks_s, 1),
                "ratio_to_raw_chunks": round(chunks_s / ingest_s, 2),
                "ratio_to_raw_chunks_and_sentences": round((chunks_s + sentences_s) / ingest_s, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
