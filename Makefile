# Two commands on a fresh machine: `make run` (the app, offline defaults) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip

.PHONY: run test lint ingest eval bench fuzz load clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e .
	touch $@

# torch 2.13.0 first: it is a CPU build on local disk; an unpinned torch would pull CUDA.
$(VENV)/.installed-dev: $(VENV)/.installed
	$(PIP) install --quiet torch==2.13.0
	$(PIP) install --quiet -e ".[st,dev]"
	touch $@

run: $(VENV)/.installed
	GRADIO_ANALYTICS_ENABLED=False $(PY) app.py

test: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(PY) -m pytest

# 10,000 hypothesis examples over ask, search, show and the CLI (make test runs 1,000).
fuzz: $(VENV)/.installed-dev
	HYPOTHESIS_PROFILE=fuzz $(PY) -m pytest tests/test_fuzz.py

# USERS gradio_client users x 20 questions against the launched page (or URL=http://…).
USERS ?= 50
load: $(VENV)/.installed-dev
	GRADIO_ANALYTICS_ENABLED=False $(PY) scripts/load.py --users $(USERS) $(if $(URL),--url $(URL))

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

ingest: $(VENV)/.installed
	$(VENV)/bin/assistant ingest

eval: $(VENV)/.installed
	$(VENV)/bin/assistant eval --baseline --report eval/reports/latest

bench: $(VENV)/.installed
	$(VENV)/bin/assistant bench

clean:
	rm -rf $(VENV) .data
