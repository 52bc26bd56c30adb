"""Answering: the stages after retrieval, run in order by ``rag.answer.pipeline``.

condense (``conversation``) → retrieve (``rag.retrieval``) → select evidence (``evidence``)
→ read (a generator from ``generators``: a model through ``models``, or none) → compose
(``compose``) → verify (``verify``).
"""
