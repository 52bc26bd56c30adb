"""Evaluation harness (gold questions, grounding metrics, reports) — see the evaluation issue.

`rag eval` says "not yet" until it lands.
"""
