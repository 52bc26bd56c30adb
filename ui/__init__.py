"""Gradio chat UI; it only calls ``rag.service.RagService``."""
