"""The smoke evaluation run by `make test`: a handful of gold items and thresholds loose enough
for the default small model, tight enough that a broken pipeline (a retriever returning
nothing, a shuffled index, a generator that never cites) fails."""

from __future__ import annotations

from typing import Any

from eval.gold import load_gold
from eval.harness import Engine, evaluate_gold

SMOKE_IDS = ("g02", "g06", "g08", "g14", "g32", "g35")

# summary metric → minimum, set well below what the default model scores on these items
# (key-fact recall 1.0, citation precision 1.0, hit@5 1.0 when measured)
THRESHOLDS = {
    "hit@5": 0.75,
    "source_recall@5": 0.75,
    "key_fact_recall": 0.4,
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
