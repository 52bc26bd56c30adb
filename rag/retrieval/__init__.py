"""Retrieval: question → the best passages of a collection, as contract ``Passage``s.

``retrieve`` picks the mode from ``Settings.retrieval`` (``RETRIEVERS``): ``dense`` (MiniLM
vectors through llama-index), ``rrf`` (dense + BM25 fused by reciprocal rank) or ``hybrid``
(the default: dense and BM25 candidates ranked by their best sentence, ``rag.retrieval.
scoring``). A new mode is one function ``(question, collection, settings, top_k) → nodes``
added to ``RETRIEVERS``.
"""
