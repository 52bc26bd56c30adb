"""Ingestion: files → clean text (``loaders``) → sentence-aware chunks (``chunking``) →
vectors → Chroma (``pipeline``)."""
