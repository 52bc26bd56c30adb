"""Every tuned constant of retrieval and answering, in one typed place.

Each value here was chosen by measurement (``rag eval``, ``bench/bench_retrieval.py``); the
figures live in the README and the eval reports, not in docstrings. Code reads ``TUNING.x``;
an experiment builds another ``Tuning`` with ``dataclasses.replace`` instead of editing
constants spread over modules.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tuning:
    # --- retrieval ------------------------------------------------------------------------
    fusion_depth: int = 20
    """How deep the dense and the BM25 rankings are read for candidates."""
    rrf_k: int = 60
    """Reciprocal-rank fusion constant (Cormack et al. 2009)."""
    dense_weight: float = 0.5
    """Weight of MiniLM cosine in a sentence's score; the rest is the IDF-weighted share of the
    question's terms it holds. Retrieval and evidence selection both rank by this score."""
    chunk_weight: float = 0.2
    """Weight of the whole chunk's cosine next to its best sentence's score (hybrid)."""
    duplicate_share: float = 0.6
    """A chunk whose sentences are at least this share in a better-ranked chunk is dropped."""

    # --- evidence and the short answer -----------------------------------------------------
    min_sentence_words: int = 4
    """Shorter fragments are not evidence sentences (headings, datelines)."""
    offered: int = 3
    """Sentences offered to the model: each costs ~35 prompt tokens on the slow end."""
    typed_floor: float = 0.85
    """A sentence holding the asked-for kind of value must score this share of the best
    sentence's score: below it the value belongs to a sentence about something else."""
    short_answer_tokens: int = 32
    """Cap on the model's phrase, so a rambling model cannot hold the generation slot."""
    phrase_shown_after: int = 6
    """Characters of the model's phrase held back before streaming (a "none" is never shown)."""

    # --- citations --------------------------------------------------------------------------
    support_threshold: float = 0.6
    """A claim is supported by a passage holding at least this share of its content words."""
    highlight_overlap: float = 0.34
    """The UI marks the passage sentence sharing at least this share of a claim's words."""

    # --- conversation -----------------------------------------------------------------------
    history_turns: int = 8
    """Turns of a conversation kept and sent with a follow-up (the UI keeps no more)."""
    max_history_turns: int = 50
    """Most turns a request may carry (API and OpenAI-compatible chat)."""
    history_turn_chars: int = 4000
    """Characters of each turn the UI sends back."""
    context_chars: int = 300
    """Characters of the previous exchange attached to a follow-up."""
    answer_chars: int = 100
    """Characters of the previous answer's first claim attached to a follow-up."""


TUNING = Tuning()
