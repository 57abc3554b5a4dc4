# presslab — every target that needs Python creates and reuses .venv (via `setup`).
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
CORPUS ?= seeds
EVAL   ?= ../shared/eval
JOBS   ?= 2
RUN    ?= $(shell date -u +%Y%m%dT%H%M%SZ)

.DEFAULT_GOAL := help
.PHONY: help setup report test lab eval bench train holdout lint format clean

help:  ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(PY):
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found; set PYTHON=/path/to/python3.11" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the dependency list changes: `make setup` is idempotent and fast.
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,eval]'
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (presslab)" >/dev/null
	touch $(STAMP)

setup: $(STAMP)  ## create .venv and install presslab with everything it needs

report: setup  ## analyse $(CORPUS) and render every notebook to outputs/<run>/index.html
	$(VENV)/bin/presslab run $(CORPUS) --out outputs/$(RUN) --jobs $(JOBS)

test: setup  ## run the test suite (and lint)
	$(PY) scripts/install_browser.py || true
	$(PY) -m pytest -n 2 --dist loadfile -q

lab: setup  ## open JupyterLab on notebooks/ with the project's kernel
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root,)

eval: setup  ## score every extractor on ../shared/eval (EVAL=path to override)
	$(PY) -m presslab.evaluation --eval-dir $(EVAL)

bench: setup  ## speed and memory benchmark (BENCH_CORPUS=folder to override)
	$(PY) benchmarks/run.py --eval-dir $(EVAL)

train: setup  ## retrain the attribution tagger on PolNeAR (adds PyTorch to .venv; needs wordnet-base)
	$(PY) -m pip install --quiet -e '.[dev,eval,train]'
	$(PY) scripts/train_attribution.py --eval-dir $(EVAL) $(TRAIN_ARGS)

holdout: setup  ## choose tagger settings without dev: train on 4/5 of PolNeAR train, score the rest
	$(PY) -m pip install --quiet -e '.[dev,eval,train]'
	$(PY) scripts/train_attribution.py --eval-dir $(EVAL) --holdout --out outputs/models/attribution-holdout.npz $(TRAIN_ARGS)
	PRESSLAB_ATTRIBUTION_MODEL=outputs/models/attribution-holdout.npz $(PY) -m presslab.evaluation.quotes --eval-dir $(EVAL) --split train --holdout

lint: setup  ## ruff lint and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup  ## apply ruff's fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:  ## delete generated outputs (never seeds/ or notebooks/)
	rm -rf outputs/*/ .pytest_cache
