"""SQuAD v2 as an open-book benchmark: every paragraph becomes a document, every question is
asked against the whole collection (no gold paragraph is handed over).

Data: eval/benchmarks/squad2-dev-public.json (8 articles of the SQuAD 2.0 dev split, CC BY-SA
4.0; origin and licence in eval/benchmarks/README.md).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

DEFAULT_SQUAD = Path(__file__).resolve().parent / "benchmarks" / "squad2-dev-public.json"
COLLECTION = "squad2-dev"


@dataclass(frozen=True)
class SquadQuestion:
    id: str
    question: str
    answers: tuple[str, ...]  # empty for unanswerable questions
    source: str  # file name of the question's own paragraph

    @property
    def answerable(self) -> bool:
        return bool(self.answers)


def paragraph_name(article: int, paragraph: int) -> str:
    return f"squad-{article:02d}-{paragraph:03d}.txt"


def load_squad(path: Path = DEFAULT_SQUAD) -> tuple[dict[str, str], list[SquadQuestion]]:
    """``(paragraph file name → text, questions)`` from a SQuAD v2 JSON file."""
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    paragraphs: dict[str, str] = {}
    questions: list[SquadQuestion] = []
    for a, article in enumerate(data):
        for p, para in enumerate(article["paragraphs"]):
            name = paragraph_name(a, p)
            paragraphs[name] = f"{article['title'].replace('_', ' ')}\n\n{para['context']}"
            for qa in para["qas"]:
                answers = (
                    ()
                    if qa.get("is_impossible")
                    else tuple(dict.fromkeys(ans["text"] for ans in qa["answers"]))
                )
                questions.append(SquadQuestion(qa["id"], qa["question"], answers, name))
    return paragraphs, questions


def write_paragraphs(paragraphs: dict[str, str], folder: Path) -> Path:
    """Write each paragraph as a text file (unchanged files are left alone, so re-ingest is a
    no-op)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in paragraphs.items():
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    return folder


def sample(questions: list[SquadQuestion], limit: int | None, seed: int = 0) -> list[SquadQuestion]:
    """A fixed-seed sample (all questions when ``limit`` is None or too large)."""
    if limit is None or limit >= len(questions):
        return list(questions)
    return random.Random(seed).sample(questions, limit)
