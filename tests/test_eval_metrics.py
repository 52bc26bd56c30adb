"""Metric functions against hand-worked examples (official SQuAD v2 rules included)."""

from __future__ import annotations

import pytest

from eval import metrics as m


def test_squad_normalisation_and_scores() -> None:
    assert m.normalize_answer("The  Normans, (of France)!") == "normans of france"
    assert m.exact_match("the 10th and 11th centuries", ["10th and 11th centuries"]) == 1.0
    assert m.token_f1("in the 10th century", ["10th and 11th centuries"]) == pytest.approx(
        2 * (1 / 3) * (1 / 4) / (1 / 3 + 1 / 4)
    )
    # No-answer questions: only an empty prediction scores.
    assert m.exact_match("", []) == 1.0 and m.token_f1("France", []) == 0.0


def test_key_facts_ignore_markers_case_and_punctuation() -> None:
    answer = "It was written by Marta Furlan [1], in May 2022 [2]."
    assert m.key_fact_recall(answer, ["marta furlan", "May 2022", "Tehran"]) == pytest.approx(2 / 3)
    assert m.key_fact_recall("anything", []) == 1.0


def test_evidence_rank_and_source_recall() -> None:
    passages = ["Nothing here.", "Assad visited   Tehran\nin February 2019 for talks.", "x"]
    assert m.evidence_rank(passages, ["Assad visited Tehran in February 2019"]) == 2
    assert m.evidence_rank(passages, ["A quote that is nowhere at all to be found"]) is None
    assert m.source_recall(["a.txt", "b.txt"], ["b.txt", "c.txt"]) == 0.5


def test_citation_precision_and_recall() -> None:
    passages = {
        1: "Marta Furlan wrote the analysis of the Tehran meeting.",
        2: "Drone fleets expanded quickly.",
    }
    answer = "Marta Furlan wrote the analysis [1]. It was about drones and ships [2]."
    precision, recall = m.citation_scores(answer, passages)
    assert precision == 0.5 and recall == 0.5
    assert m.citation_scores("No markers at all.", passages) == (None, 0.0)


def test_percentiles() -> None:
    assert m.percentile([1, 2, 3, 4], 50) == 2.5
    assert m.percentile([], 95) is None
