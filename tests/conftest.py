"""Shared fixtures. Everything here is real: embedded Chroma in a temp folder, the bundled
MiniLM embedder, and (in integration tests) the bundled GGUF models and real servers."""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from rag.config import Settings, apply_offline_env
from rag.modelfiles import model_path

apply_offline_env()

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
TARGET_QUESTION = (
    "Who wrote the analysis of Assad's May 2022 trip to Tehran that the Jerusalem Institute "
    "for Strategy and Security first published?"
)


def make_settings(data_dir: Path, **overrides: object) -> Settings:
    """Settings isolated from the developer's .env and environment."""
    values: dict[str, object] = {
        "data_dir": data_dir,
        "seeds_dir": SEEDS,
        "generator": "extractive",
        "warm_up": False,  # tests count generator calls; the warm-up has tests of its own
        "_env_file": None,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def _no_rag_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never read the developer's RAG_* settings (the model cache dir aside)."""
    for key in list(os.environ):
        if key.startswith("RAG_") and key != "RAG_MODEL_CACHE_DIR":
            monkeypatch.delenv(key, raising=False)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path / "data")


@pytest.fixture(scope="session")
def seeded_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir whose default collection holds the five seeds (ingested once per session)."""
    from rag.service import RagService

    data = tmp_path_factory.mktemp("seeded")
    RagService(make_settings(data)).ingest([SEEDS])
    return data


@pytest.fixture
def seeded_settings(seeded_dir: Path) -> Settings:
    return make_settings(seeded_dir)


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    shutil.copytree(SEEDS, folder)
    return folder


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def smollm2_path() -> Path:
    path = model_path("smollm2-135m")
    if not path.exists():
        pytest.fail(f"{path} missing: run `make setup` (it assembles the test model)")
    return path


@pytest.fixture
def repo() -> Iterator[Path]:
    yield REPO


@pytest.fixture(scope="session")
def llm_server() -> Iterator[str]:
    """A real OpenAI-compatible server (llama_cpp.server + SmolLM2) on loopback: its /v1 URL."""
    from tests.servers import llama_cpp_server

    with llama_cpp_server(smollm2_path(), free_port()) as url:
        yield url
