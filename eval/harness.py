"""Run gold questions (and SQuAD v2) through the answer engine and score every item.

The engine is the same ``RagService.query`` the API uses, in process, or a running server
through ``POST /v1/query`` (``ApiEngine``). Each question is asked twice: once retrieval-only
with a deep ``top_k`` (for hit@k and MRR, which need ranks beyond what the answer uses), and
once as a user asks it (for the answer, its citations and latency).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any, Protocol

import httpx

from eval import metrics as m
from eval.gold import GoldItem
from eval.judge import Judge
from eval.squad import SquadQuestion
from rag.schemas import QueryRequest, QueryResponse

RETRIEVAL_DEPTH = 10
HIT_KS = (1, 3, 5, 10)


class Engine(Protocol):
    def query(self, request: QueryRequest) -> QueryResponse: ...


class ApiEngine:
    """A running server, through its HTTP API."""

    def __init__(self, base_url: str, api_key: str | None = None, timeout: float = 600):
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.client = httpx.Client(base_url=base_url.rstrip("/"), headers=headers, timeout=timeout)

    def query(self, request: QueryRequest) -> QueryResponse:
        response = self.client.post("/v1/query", json=request.model_dump(exclude_none=True))
        if response.status_code != 200:
            raise RuntimeError(f"{response.status_code} from the API: {response.text[:300]}")
        return QueryResponse.model_validate(response.json())


Progress = Callable[[int, int], None]


def shown(response: QueryResponse) -> dict[str, Any]:
    """What a report shows of an answer's citations."""
    return {
        "citations": [
            c.model_dump(include={"id", "source", "text", "score"}) for c in response.citations
        ]
    }


def latency(response: QueryResponse) -> dict[str, float | None]:
    t = response.timings_ms
    return {"retrieve": t.retrieve, "first_token": t.first_token, "total": t.total}


def score_gold_item(
    engine: Engine, item: GoldItem, collection: str | None, judge: Judge | None = None
) -> dict[str, Any]:
    """Everything measured for one gold question, as a plain dict."""
    deep = engine.query(
        QueryRequest(
            question=item.question,
            collection=collection,
            top_k=RETRIEVAL_DEPTH,
            history=item.history,
            generate=False,
        )
    )
    started = time.perf_counter()
    response = engine.query(
        QueryRequest(question=item.question, collection=collection, history=item.history)
    )
    wall_ms = (time.perf_counter() - started) * 1000
    texts = [p.text for p in deep.passages]
    rank = m.evidence_rank(texts, item.evidence) if item.answerable else None
    visible = {p.id: p.text for p in response.passages}
    answered = not response.abstained
    precision, recall = m.citation_scores(response.answer, visible) if answered else (None, None)
    cited_evidence = None
    if answered and item.answerable and response.citations:
        cited_evidence = sum(
            any(m.holds_evidence(c.text, q) for q in item.evidence) for c in response.citations
        ) / len(response.citations)
    judged = (
        judge.score(
            item.question,
            item.answer or "(not in the documents)",
            response.answer,
            [p.text for p in response.passages],
        )
        if judge
        else {}
    )
    return {
        **judged,
        "id": item.id,
        "type": item.type,
        "split": item.split,
        "variant_of": item.variant_of,
        "question": item.question,
        "answerable": item.answerable,
        "reference": item.answer,
        "answer": response.answer,
        "abstained": response.abstained,
        "evidence_rank": rank,
        "source_recall@5": m.source_recall((p.source for p in deep.passages[:5]), item.sources)
        if item.answerable
        else None,
        "key_fact_recall": m.key_fact_recall(response.answer, item.key_facts)
        if item.answerable
        else None,
        "token_f1": m.token_f1(m.strip_markers(response.answer), [item.answer])
        if item.answerable
        else None,
        "citation_precision": precision,
        "citation_recall": recall,
        "citations_holding_evidence": cited_evidence,
        "abstention_correct": response.abstained != item.answerable,
        **shown(response),
        "latency_ms": {**latency(response), "wall": round(wall_ms, 1)},
    }


def rank_metrics(ranks: list[int | None]) -> dict[str, float]:
    """hit@k and MRR from 1-based ranks (None = not retrieved)."""
    if not ranks:
        return {}
    out = {f"hit@{k}": sum(r is not None and r <= k for r in ranks) / len(ranks) for k in HIT_KS}
    out["mrr"] = sum(1 / r for r in ranks if r) / len(ranks)
    return out


def latency_metrics(rows: list[dict[str, Any]]) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for name in ("retrieve", "first_token", "total"):
        values = [r["latency_ms"][name] for r in rows if r["latency_ms"][name] is not None]
        out[f"{name}_ms_p50"] = m.percentile(values, 50)
        out[f"{name}_ms_p95"] = m.percentile(values, 95)
    return out


def same_answer(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Two answers to the same question agree: both abstain, or both answer with the same
    key-fact recall."""
    return a["abstained"] == b["abstained"] and a["key_fact_recall"] == b["key_fact_recall"]


def summarize_gold(rows: list[dict[str, Any]]) -> dict[str, Any]:
    answerable = [r for r in rows if r["answerable"]]
    unanswerable = [r for r in rows if not r["answerable"]]
    out: dict[str, Any] = {"items": len(rows)}
    out.update(rank_metrics([r["evidence_rank"] for r in answerable]))
    if answerable:
        out["source_recall@5"] = m.mean(r["source_recall@5"] for r in answerable)
        out["key_fact_recall"] = m.mean(r["key_fact_recall"] for r in answerable)
        out["token_f1"] = m.mean(r["token_f1"] for r in answerable)
        out["false_refusal_rate"] = sum(r["abstained"] for r in answerable) / len(answerable)
    out["citation_precision"] = m.mean(r["citation_precision"] for r in answerable)
    out["citation_recall"] = m.mean(r["citation_recall"] for r in answerable)
    out["citations_holding_evidence"] = m.mean(r["citations_holding_evidence"] for r in answerable)
    if unanswerable:
        out["abstention_accuracy"] = sum(r["abstained"] for r in unanswerable) / len(unanswerable)
    pairs = [r["same_as_original"] for r in rows if r.get("same_as_original") is not None]
    if pairs:
        out["casual_consistency"] = sum(pairs) / len(pairs)
    for key in ("judge_faithfulness", "judge_correctness"):
        if any(key in r for r in rows):
            out[key] = m.mean(r.get(key) for r in rows)
    out.update(latency_metrics(rows))
    return out


def evaluate(
    score: Callable[[Any], dict[str, Any]],
    questions: list[Any],
    summarize: Callable[[list[dict[str, Any]]], dict[str, Any]],
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Score every question, then summarise overall and per question type."""
    return summarized([score(q) for q in _tracked(questions, progress)], summarize)


def summarized(
    rows: list[dict[str, Any]], summarize: Callable[[list[dict[str, Any]]], dict[str, Any]]
) -> dict[str, Any]:
    by_type = {
        kind: summarize([r for r in rows if r["type"] == kind])
        for kind in sorted({r["type"] for r in rows})
    }
    return {"summary": summarize(rows), "by_type": by_type, "items": rows}


def evaluate_gold(
    engine: Engine,
    items: list[GoldItem],
    collection: str | None = None,
    progress: Progress | None = None,
    judge: Judge | None = None,
) -> dict[str, Any]:
    """Score every item; summarise overall, per type, per split (dev, test) and the dev–test
    gap. A casual variant is compared with its clean original when both were run."""
    rows = [score_gold_item(engine, item, collection, judge) for item in _tracked(items, progress)]
    by_id = {r["id"]: r for r in rows}
    for r in rows:
        original = by_id.get(r["variant_of"]) if r["variant_of"] else None
        r["same_as_original"] = same_answer(r, original) if original else None
    result = summarized(rows, summarize_gold)
    splits = {s: [r for r in rows if r["split"] == s] for s in ("dev", "test")}
    result["by_split"] = {s: summarize_gold(part) for s, part in splits.items() if part}
    if len(result["by_split"]) == 2:
        dev, test = result["by_split"]["dev"], result["by_split"]["test"]
        result["gap"] = {
            k: dev[k] - test[k]
            for k in dev
            if k != "items" and isinstance(dev[k], float) and isinstance(test.get(k), float)
        }
    return result


def _tracked(questions: list[Any], progress: Progress | None) -> Iterator[Any]:
    for i, question in enumerate(questions, start=1):
        yield question
        if progress:
            progress(i, len(questions))


def score_squad_question(engine: Engine, q: SquadQuestion, collection: str) -> dict[str, Any]:
    deep = engine.query(
        QueryRequest(
            question=q.question, collection=collection, top_k=RETRIEVAL_DEPTH, generate=False
        )
    )
    sources = [p.source for p in deep.passages]
    rank = next((i for i, s in enumerate(sources, start=1) if s == q.source), None)
    response = engine.query(QueryRequest(question=q.question, collection=collection))
    # SQuAD scores a span: the answer's short phrase when the engine gives one (the full
    # answer adds the supporting sentence, which the span metric would count as noise).
    said = response.short_answer or m.strip_markers(response.answer)
    prediction = "" if response.abstained else said
    return {
        "id": q.id,
        "type": "answerable" if q.answerable else "unanswerable",
        "question": q.question,
        "answerable": q.answerable,
        "reference": " | ".join(q.answers),
        "answer": response.answer,
        "short_answer": response.short_answer,
        "abstained": response.abstained,
        "paragraph_rank": rank,
        "exact_match": m.exact_match(prediction, q.answers),
        "f1": m.token_f1(prediction, q.answers),
        "key_fact_recall": None,
        **shown(response),
        "latency_ms": latency(response),
    }


def summarize_squad(rows: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {"items": len(rows)}
    if not rows:
        return out
    out.update(rank_metrics([r["paragraph_rank"] for r in rows]))
    out["exact_match"] = 100 * sum(r["exact_match"] for r in rows) / len(rows)
    out["f1"] = 100 * sum(r["f1"] for r in rows) / len(rows)
    has = [r for r in rows if r["answerable"]]
    no = [r for r in rows if not r["answerable"]]
    if has:
        out["has_answer_f1"] = 100 * sum(r["f1"] for r in has) / len(has)
        out["false_refusal_rate"] = sum(r["abstained"] for r in has) / len(has)
    if no:
        out["no_answer_accuracy"] = sum(r["abstained"] for r in no) / len(no)
    out.update(latency_metrics(rows))
    return out


def evaluate_squad(
    engine: Engine,
    questions: list[SquadQuestion],
    collection: str,
    progress: Progress | None = None,
) -> dict[str, Any]:
    return evaluate(
        lambda q: score_squad_question(engine, q, collection), questions, summarize_squad, progress
    )
