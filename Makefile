# Two commands do all the set-up on a fresh machine (Debian/Ubuntu with Python 3.10+):
#   make site   installs the project into .venv and builds the website and briefings into site/
#   make test   also installs the test tools (Debian's chromium, axe-core from npm) and runs every test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: site test check serve bench clean

site: $(BIN)/briefings
	$(BIN)/briefings build

check: $(BIN)/briefings
	$(BIN)/briefings check --strict

serve: $(BIN)/briefings
	$(BIN)/briefings serve

test: $(BIN)/pytest /usr/bin/chromium node_modules/axe-core/axe.min.js
	$(BIN)/python -m pytest

bench: $(BIN)/briefings
	$(BIN)/python benchmarks/bench_build.py

$(BIN)/briefings: pyproject.toml
	[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(BIN)/pytest: $(BIN)/briefings
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

/usr/bin/chromium:
	$(SUDO) apt-get update -qq
	$(SUDO) apt-get install -y -qq chromium

node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

clean:
	rm -rf site $(VENV) node_modules
