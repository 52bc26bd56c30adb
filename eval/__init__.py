"""The evaluation harness: gold questions and SQuAD v2 through the service or the HTTP API,
grounding metrics, reports and comparisons (``rag eval``, a ``rag.commands`` plugin)."""
