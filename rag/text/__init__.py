"""The text toolkit: one home for words, sentences, citation markers and question analysis.

Ingest, retrieval, the answer checks, the UI highlight and the eval metrics all read text
through these modules, so a word or a sentence means the same thing everywhere.
"""
