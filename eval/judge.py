"""Optional LLM-judge metrics through any OpenAI-compatible server (``RAG_JUDGE_*``).

Never required and never faked: with no judge configured the report says so and these
metrics are absent; a verdict the judge does not give clearly (neither YES nor NO) is counted
as missing, not guessed.

- faithfulness: is every claim of the answer supported by the passages it was given?
- correctness: does the answer agree with the gold reference answer?
"""

from __future__ import annotations

import re
from typing import Any

from rag.config import Settings

_VERDICT = re.compile(r"\b(yes|no)\b", re.IGNORECASE)

FAITHFULNESS = (
    "PASSAGES:\n{passages}\n\nANSWER:\n{answer}\n\n"
    "Is every claim in the ANSWER supported by the PASSAGES? Reply with one word: YES or NO."
)
CORRECTNESS = (
    "QUESTION: {question}\nREFERENCE ANSWER: {reference}\nCANDIDATE ANSWER: {answer}\n\n"
    "Does the CANDIDATE ANSWER agree with the REFERENCE ANSWER? Reply with one word: YES or NO."
)


class Judge:
    def __init__(self, base_url: str, model: str, api_key: str | None = None, timeout: float = 120):
        from openai import OpenAI

        self.model = model
        self.client = OpenAI(
            base_url=base_url, api_key=api_key or "not-needed", timeout=timeout, max_retries=1
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> Judge | None:
        if not settings.judge_base_url:
            return None
        key = settings.judge_api_key.get_secret_value() if settings.judge_api_key else None
        return cls(settings.judge_base_url, settings.judge_model, key)

    def verdict(self, prompt: str) -> float | None:
        """1.0 for YES, 0.0 for NO, None when the reply is neither."""
        reply = self.client.chat.completions.create(
            model=self.model,
            messages=[{"role": "user", "content": prompt}],
            max_tokens=4,
            temperature=0.0,
        )
        match = _VERDICT.search(reply.choices[0].message.content or "")
        return None if match is None else float(match.group(1).lower() == "yes")

    def score(
        self, question: str, reference: str, answer: str, passages: list[str]
    ) -> dict[str, Any]:
        joined = "\n\n".join(passages)[:6000]
        return {
            "judge_faithfulness": self.verdict(FAITHFULNESS.format(passages=joined, answer=answer)),
            "judge_correctness": self.verdict(
                CORRECTNESS.format(question=question, reference=reference, answer=answer)
            ),
        }
