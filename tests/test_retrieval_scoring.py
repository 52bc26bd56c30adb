"""rag.retrieval.scoring: the lexical share of a sentence for a question."""

from __future__ import annotations

from rag.retrieval.scoring import idf_weights, lexical_scores, past_forms, stem_mate


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


def test_a_word_the_sentences_never_use_is_looked_for_by_its_stem() -> None:
    """ "alawites" where the text writes "Alawite": else the word weighs most, matches no
    sentence, and the question scored below the off-topic floor (hand-typed k40). Only for
    that judgement (``rag.answer.pipeline.off_topic``): the sentences are ranked as typed."""
    sentences = [
        "Assad's rule leaned on its Alawite and Arab nationalist identity.",
        "Iran backed Assad through the war.",
        "Syria's Alawism diverges from Iranian Shi'ism.",
    ]
    asked = "what does the article say about alawites"
    alawite, other, _ = lexical_scores(asked, sentences, mates=True)
    assert alawite > other
    assert alawite == lexical_scores("what does the article say about alawite", sentences)[0]
    assert lexical_scores(asked, sentences)[0] < alawite  # without: it matches nowhere
    # a word the sentences use keeps its own form; short ones are not stemmed ("go": "going")
    weights = idf_weights("alawites visits go", {"alawite": 2, "visits": 1, "going": 3}, 4, True)
    assert set(weights) == {"alawite", "visits", "go"}
    assert stem_mate("alawites", {"alawite": 1, "alawites": 0}) == "alawite"
    assert set(idf_weights("alawites", {"alawite": 2}, 4)) == {"alawites"}  # not by default
