# newscorpus: two commands on a fresh machine (README quick start).
#   make dataset   install, ingest, validate, build dist/dataset, load it back, print a summary
#   make test      install the test extras, a pinned Label Studio and Chromium, run the suite

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
LS_VENV := .venv-ls
OUT    ?= dist/dataset
N      ?= 10000

.PHONY: dataset test install install-test label-studio browser bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Installs the package with exact versions of the whole tree (constraints.txt).
$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test,bench]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# Label Studio pins pyarrow and python-dateutil versions that clash with datasets', so the
# server gets a virtual environment of its own (constraints-ls.txt pins its tree).
$(LS_VENV)/.installed: constraints-ls.txt
	$(PYTHON) -m venv $(LS_VENV)
	$(LS_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(LS_VENV)/bin/pip install --quiet -c constraints-ls.txt label-studio==1.23.2
	touch $@

label-studio: $(LS_VENV)/.installed

# Debian's Chromium for the browser test (never a browser download).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "make test needs Debian's chromium: run 'sudo apt-get install chromium'" >&2; exit 1; fi; }

dataset: install
	$(BIN)/newscorpus ingest seeds --annotations annotations
	$(BIN)/newscorpus validate annotations
	$(BIN)/newscorpus agreement --annotations annotations --out dist/agreement
	$(BIN)/newscorpus build --annotations annotations --out $(OUT) --agreement dist/agreement/agreement.json
	$(BIN)/newscorpus summary $(OUT)

test: install-test label-studio browser
	$(BIN)/python -m pytest

bench: install-test
	$(BIN)/python scripts/bench.py --n $(N)

clean:
	rm -rf dist build .pytest_cache
