# veille — set-up, demo and tests. `make demo` and `make test` are the quick start.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install demo test bench clean browser watch

install: $(STAMP)

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON) (3.11+)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	@bash scripts/install-system.sh
	$(BIN)/veille gazetteer build
	@touch $(STAMP)

demo: install
	$(BIN)/veille run examples/revue-syrie-2019-01.txt --db demo/veille.db --out demo/dossier
	@echo "Dossier written to $(CURDIR)/demo/dossier/index.html (and digest.md)"

watch: install
	$(BIN)/veille watch add examples/watch-syrie.toml --db demo/veille.db
	$(BIN)/veille watch once syrie --db demo/veille.db
	$(BIN)/veille review syrie --day 2019-01-16 --db demo/veille.db --out demo/reviews
	@echo "Review of the sample day: $(CURDIR)/demo/reviews/2019-01-16.fr.html; the watch now runs (Ctrl-C stops it)"
	$(BIN)/veille watch run syrie --db demo/veille.db

test: install
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python bench/run_sample.py

browser: install
	$(BIN)/python -m pytest -q tests/test_browser.py

clean:
	rm -rf $(VENV) demo .pytest_cache
