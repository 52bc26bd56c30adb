"""rag.retrieval.scoring: the lexical share of a sentence for a question."""

from __future__ import annotations

from rag.retrieval.scoring import lexical_scores, past_forms


def test_a_verb_asked_with_did_is_held_in_its_past_form() -> None:
    sentences = [
        "Khaji met Syrian Foreign Minister Faisal Mekdad in Damascus.",
        "Khaji praised the elections in Damascus.",
    ]
    met, praised = lexical_scores("who did khaji meet", sentences)
    assert met > praised
    spent, other = lexical_scores(
        "how much did iran spend backing assad",
        ["Iran spent between 20 and 30 billion dollars to support Assad.", "Iran exported goods."],
    )
    assert spent > other
    assert past_forms("visit") == {"visit", "visited"}
    assert past_forms("arrive") == {"arrive", "arrived"}
    assert past_forms("deny") == {"deny", "denied"}
    # "say" frames a question ("what does the mena paper say about ..."): "said" is in every quote
    assert past_forms("say") == {"say"}
    assert past_forms("20") == {"20"}
