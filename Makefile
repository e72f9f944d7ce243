# The two commands of the README: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test install install-test demo translations bench clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/activate setup.cfg pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed setup.cfg
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

## Serve the demo site on http://127.0.0.1:5000 (creates the venv, migrates, loads the demo once),
## with the mail sender writing .eml files into instance/mail/.
run: install
	$(FLASK) db upgrade
	$(FLASK) demo
	$(FLASK) search thesaurus import --if-empty
	$(FLASK) search rebuild --if-outdated
	$(FLASK) mail send --loop --interval 10 & sender=$$!; \
	trap 'kill $$sender 2>/dev/null || true' EXIT INT TERM; \
	$(FLASK) run --host $(HOST) --port $(PORT)

## Run the whole test suite (PostgreSQL tests too when CARNETS_TEST_POSTGRES_URL is set).
test: install-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## Extract the strings, merge them into every catalog, compile (see README, "Languages").
translations: install
	$(FLASK) translate update
	$(FLASK) translate compile

## Print the page benchmark figures (see README).
bench: install-test
	$(BIN)/python bench/pages.py

clean:
	rm -rf $(VENV) build *.egg-info
