# The two commands of README.md:
#   make book   build the website into _build/html (installs what it needs first)
#   make test   run every test: itlib's unit tests and doctests, nbval on every chapter,
#               the book build, and the tests of the built site and the exercises
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
JB_FLAGS ?= --warningiserror --nitpick --keep-going
# Programs that tools call by name (nbgrader's alembic, jupyter) come from the venv.
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)

.PHONY: install assets book test clean

$(STAMP): requirements.txt requirements-dev.txt requirements-instructor.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt -r requirements-instructor.txt
	touch $@

install: $(STAMP)

# Vendored browser assets (MathJax and friends) so the site needs no CDN.
assets: $(STAMP)
	@if [ -x tools/fetch_assets.sh ]; then tools/fetch_assets.sh; fi

book: $(STAMP) assets
	$(BIN)/jupyter-book build . $(JB_FLAGS)

test: book
	$(BIN)/python -m pytest tests itlib chapters --nbval-lax --nbval-current-env

clean:
	rm -rf _build
