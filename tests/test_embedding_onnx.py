"""The ONNX Runtime backends of the bundled MiniLM: exported offline, cached, and giving the
torch model's vectors (``onnx``) or vectors within ~1 % of them (``onnx-int8``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from rag.config import Settings
from rag.embedding import embedder_for, embedding_key, query_vector
from rag.embedding_onnx import ensure_onnx, onnx_path
from rag.schemas import QueryRequest
from rag.service import RagService
from rag.text.sentences import split_sentences
from tests.conftest import SEEDS, TARGET_QUESTION, make_settings


def seed_sentences(limit: int = 120) -> list[str]:
    text = (SEEDS / "001_f4cdcd2d35e961d2.txt").read_text()
    return split_sentences(text)[:limit]


def vectors(settings: Settings, texts: list[str]) -> np.ndarray:
    return np.asarray(embedder_for(settings).get_text_embedding_batch(texts), dtype=np.float32)


def test_onnx_gives_the_torch_vectors_and_int8_stays_close(settings: Settings) -> None:
    texts = seed_sentences()
    settings = settings.model_copy(update={"embed_backend": "torch"})
    torch = vectors(settings, texts)
    onnx = vectors(settings.model_copy(update={"embed_backend": "onnx"}), texts)
    int8 = vectors(settings.model_copy(update={"embed_backend": "onnx-int8"}), texts)
    assert np.allclose(np.linalg.norm(int8, axis=1), 1.0, atol=1e-4)
    assert (onnx * torch).sum(axis=1).min() > 0.9999
    assert (int8 * torch).sum(axis=1).min() > 0.97
    # What retrieval needs: the same sentence is nearest to a question either way.
    for question in ["When did Assad visit Tehran?", "Who is Iran's supreme leader?"]:
        best = {
            backend: int(np.argmax(vecs @ query_vector(s, question)))
            for backend, vecs, s in [
                ("torch", torch, settings),
                ("int8", int8, settings.model_copy(update={"embed_backend": "onnx-int8"})),
            ]
        }
        assert best["torch"] == best["int8"], question


def test_a_vector_does_not_depend_on_the_texts_beside_it(settings: Settings) -> None:
    # int8 quantises activations with one scale per batch: in batches, a sentence's vector
    # moved with its company, and answers with the questions asked before them.
    texts = seed_sentences(24)
    int8 = settings.model_copy(update={"embed_backend": "onnx-int8"})
    together = vectors(int8, texts)
    alone = np.stack([vectors(int8, [t])[0] for t in texts])
    shuffled = vectors(int8, texts[::-1])[::-1]
    assert np.array_equal(together, alone) and np.array_equal(together, shuffled)


def test_a_question_gets_one_vector_however_its_end_and_apostrophes_are_typed(
    settings: Settings,
) -> None:
    clean = query_vector(settings, "How does Syria's record with Russia compare?")
    for typed in (
        "how does syria’s record with russia compare",
        "How does Syria's record with  Russia compare ?",
    ):
        assert np.array_equal(query_vector(settings, typed), clean), typed
    assert not np.array_equal(query_vector(settings, "How does Syria's record compare?"), clean)


def test_the_export_is_made_once_and_left_whole(tmp_path: Path, settings: Settings) -> None:
    model = Path(settings.resolved_embed_model())
    first = ensure_onnx(model, tmp_path, quantized=True)
    assert first == onnx_path(model, tmp_path, quantized=True) and first.stat().st_size > 10**6
    stamp = first.stat().st_mtime_ns
    assert ensure_onnx(model, tmp_path, quantized=True).stat().st_mtime_ns == stamp
    assert sorted(p.name for p in first.parent.iterdir()) == ["model-int8.onnx", "model.onnx"]


def test_switching_backend_re_embeds_and_never_mixes_cached_vectors(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "data", embed_backend="torch")
    int8 = settings.model_copy(update={"embed_backend": "onnx-int8"})
    assert embedding_key(settings) != embedding_key(int8)
    RagService(settings).ingest([SEEDS])
    service = RagService(int8)
    report = service.ingest([SEEDS])
    assert report.updated == 5  # the stored vectors were torch's: made again with int8
    found = service.query(QueryRequest(question=TARGET_QUESTION, generate=False))
    assert found.passages[0].source == "001_f4cdcd2d35e961d2.txt"
