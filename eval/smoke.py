"""The smoke evaluation run by `make test`: a handful of gold items and thresholds loose enough
for the default small model, tight enough that a broken pipeline (a retriever returning
nothing, a shuffled index under the default retrieval, a generator that never cites) fails."""

from __future__ import annotations

from typing import Any

from eval.gold import load_gold
from eval.harness import Engine, evaluate_gold

SMOKE_IDS = ("g02", "g06", "g08", "g14", "g32", "g35")

# summary metric → minimum, below what the pipeline scores on these items (MRR 1.0; key-fact
# recall 1.0 with the default model, 0.8 extractive; citation precision 1.0) and above what a
# shuffled vector index leaves (MRR at most 0.80, key-fact recall at most 0.6).
THRESHOLDS = {
    "hit@5": 0.75,
    "mrr": 0.85,
    "source_recall@5": 0.75,
    "key_fact_recall": 0.7,
    "citation_precision": 0.5,
}


def run_smoke(engine: Engine, collection: str | None = None) -> tuple[dict[str, Any], list[str]]:
    """Evaluate the smoke items; return (result, failures as readable strings)."""
    items = [i for i in load_gold() if i.id in SMOKE_IDS]
    result = evaluate_gold(engine, items, collection)
    summary = result["summary"]
    failures = []
    for metric, minimum in THRESHOLDS.items():
        value = summary.get(metric)
        if value is None or value < minimum:
            failures.append(f"{metric} = {value} (minimum {minimum})")
    return result, failures
