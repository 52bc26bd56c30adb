"""The llama.cpp adapter with the real tiny model (SmolLM2-135M): a prompt is evaluated the
same way whatever was asked before it (``rag.answer.models.start_after``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rag.answer.models import LlamaCppModel, fixed_prefix, prompt_tokens
from rag.answer.prompts import baseline_messages, short_answer_messages
from tests.conftest import make_settings, smollm2_path

pytestmark = pytest.mark.integration

ASSAD = "Assad visited Tehran in May 2022 for talks with Khamenei."
MEKDAD = "Khaji also held talks with Foreign Minister Faisal Mekdad."


@pytest.fixture
def model(tmp_path: Path) -> LlamaCppModel:
    settings = make_settings(tmp_path, generator="llama_cpp", llm_model_path=smollm2_path())
    return LlamaCppModel(settings)


def evaluations(model: LlamaCppModel, monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """Records ``(position, tokens)`` of every evaluation of more than one token: a
    prompt's (the tokens generated one by one are left out)."""
    llama = model.llama()
    seen: list[tuple[int, int]] = []
    evaluate = llama.eval

    def recording(tokens: Any) -> None:
        if len(tokens) > 1:
            seen.append((llama.n_tokens, len(tokens)))
        evaluate(tokens)

    monkeypatch.setattr(llama, "eval", recording)
    return seen


def test_the_fixed_prefix_is_the_system_part_every_prompt_starts_with(
    model: LlamaCppModel,
) -> None:
    llama = model.llama()
    question = short_answer_messages("Who visited Tehran?", [ASSAD])
    prefix = fixed_prefix(llama, ((question[0]["role"], question[0]["content"]),), "user")
    assert prompt_tokens(llama, question)[: len(prefix)] == list(prefix)
    assert "shortest phrase" in llama.detokenize(list(prefix)).decode()
    assert "Tehran" not in llama.detokenize(list(prefix)).decode()


def test_a_prompt_is_evaluated_from_the_same_point_whatever_came_before(
    model: LlamaCppModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    llama = model.llama()
    seen = evaluations(model, monkeypatch)
    asked = short_answer_messages("Who did Khaji hold talks with?", [ASSAD, MEKDAD])
    sharing = short_answer_messages("When did Assad visit Tehran?", [ASSAD])  # same start
    prefix = fixed_prefix(llama, (("system", asked[0]["content"]),), "user")

    other = baseline_messages("Who?", [])
    other_prefix = fixed_prefix(llama, (("system", other[0]["content"]),), "user")

    alone = "".join(model.complete(asked, 8))
    "".join(model.complete(sharing, 8))
    after = "".join(model.complete(asked, 8))
    "".join(model.complete(other, 8))  # other instructions in between
    after_other = "".join(model.complete(asked, 8))

    assert after == alone == after_other
    # Without the cut, the third prompt would pick up after "Sentences: 1. Assad visited
    # Tehran in May 2022 ..." it shares with the second. Here a prompt is evaluated from the
    # end of its fixed instructions, which are evaluated on their own (at 0) whenever the
    # cache lost them: at the start and after the other instructions.
    assert [n for at, n in seen if at == 0] == [len(prefix), len(other_prefix), len(prefix)]
    assert {at for at, _ in seen if at} == {len(prefix), len(other_prefix)}
    assert len(seen) == 2 * 5 - 2  # one evaluation per prompt, one per lost prefix
