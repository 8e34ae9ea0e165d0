# The commands of README.md:
#   make book   build the website into _build/html (installs what it needs first)
#   make test   run every test: itlib's unit tests and doctests, the book build (which
#               executes every chapter once), the chapters' checked outputs against that
#               execution, and the tests of the built site and the exercises
#   make pdf    print the built website into one PDF, _build/pdf/information-theory-for-ml.pdf
#   make unit   the fast inner loop: itlib's unit tests and doctests only (seconds)
#   make binder-chapters  every chapter's Binder copy run in a real JupyterLab (minutes)
# CONTRIBUTING.md says which to run when.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
JB_FLAGS ?= --warningiserror --nitpick --keep-going
# Programs that tools call by name (nbgrader's alembic, jupyter) come from the venv.
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
# itlib.nn.train shows a progress line in a live notebook; none in the book or under nbval.
export ITLIB_PROGRESS := 0
# One thread per kernel: the chapters' models are small, and two kernels (nbgrader grades two
# notebooks at once) each spinning two threads on two cores run several times slower.
export OMP_NUM_THREADS := 1

# Colab's ipywidgets (7.7.1) in a venv of its own, for tests/test_ipywidgets7.py.
IPYW7       := .venv-ipyw7/env
IPYW7_STAMP := $(IPYW7)/.installed-stamp

.PHONY: install ipywidgets7 assets book pdf test unit binder-chapters benchmarks system-book \
        system-test clean

# -- System packages (Debian) ---------------------------------------------------------------
# What each command needs from the system; tests/test_setup.py checks that these lists
# cover every program the tests and tools call.  Missing ones are installed with apt-get
# when this user is root or has passwordless sudo; otherwise make stops and prints the
# one command to run.  Nothing is run when all are present.
BOOK_PACKAGES := npm ca-certificates
TEST_PACKAGES := chromium fonts-dejavu-core

missing = $(shell bash tools/system_packages.sh missing $(1))
apt_sudo = $(shell bash tools/system_packages.sh sudo || echo CANNOT)
define apt_install
$(if $(1),$(if $(filter CANNOT,$(apt_sudo)),$(error Missing Debian packages: $(strip $(1)). \
Install them with:  sudo apt-get install -y --no-install-recommends $(strip $(1))  (then run make again)),\
$(apt_sudo) apt-get update -qq && $(apt_sudo) env DEBIAN_FRONTEND=noninteractive \
apt-get install -y -qq --no-install-recommends $(1)))
endef

system-book:
	$(call apt_install,$(call missing,$(BOOK_PACKAGES)))

system-test:
	$(call apt_install,$(call missing,$(TEST_PACKAGES)))

# -- Python environments ---------------------------------------------------------------------
$(STAMP): requirements.txt requirements-dev.txt requirements-instructor.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt -r requirements-instructor.txt
	touch $@

install: $(STAMP)

$(IPYW7_STAMP): tests/requirements-ipywidgets7.txt
	rm -rf $(IPYW7)
	$(PYTHON) -m venv $(IPYW7)
	$(IPYW7)/bin/python -m pip install --quiet --disable-pip-version-check -r $< \
	  || { rm -rf $(IPYW7); echo "make: could not install $< into $(IPYW7)" >&2; exit 1; }
	touch $@

ipywidgets7: $(IPYW7_STAMP)

# -- The book and its tests ------------------------------------------------------------------
# Vendored browser assets (MathJax, axe-core) so the site needs no CDN, and the Node tools of
# the build (mathjax-full, PurgeCSS) from their lock files: tools/fetch_assets.sh.
assets: $(STAMP) system-book
	bash tools/fetch_assets.sh

# Notebooks are executed through jupyter-cache (_config.yml): a warm rebuild re-executes only
# the chapters whose code changed, and tools/forget_stale_outputs.py first clears every
# executed output when itlib or the requirements changed, so no page shows stale outputs.
book: $(STAMP) assets
	$(BIN)/python tools/forget_stale_outputs.py
	$(BIN)/jupyter-book build . $(JB_FLAGS)

# Each chapter is executed once, by the book build; tests/test_executed_outputs.py compares
# the outputs of that execution with the checked outputs stored in the chapters (what nbval
# --nbval-lax compared, with nbval's own rules), so nbval no longer runs the chapters again.
# The PDF: the built website printed by Debian's chromium (tools/make_pdf.py says why not
# LaTeX): front matter, chapters and exercise sheets, with contents, page numbers, bookmarks,
# and print forms of the sliders and quizzes.  tests/test_pdf.py reads it back.
pdf: book system-test
	$(BIN)/python tools/make_pdf.py

test: book pdf system-test $(IPYW7_STAMP)
	$(BIN)/python -m pytest tests itlib --durations=15

# The slow tests (marked in tests/conftest.py: browser, kernels, nbgrader) left out, and
# nbval, which only the chapters need, not loaded.
unit: $(STAMP)
	$(BIN)/python -m pytest tests itlib -m "not slow" -p no:nbval

# Every chapter's Binder copy (colab/chapters/) run with "Run All Cells" in a real JupyterLab;
# `make test` runs chapter 1 only (tests/test_jupyterlab.py).  Several minutes on 2 cores.
binder-chapters: $(STAMP) system-test
	ITML_JUPYTERLAB_CHAPTERS=all $(BIN)/python -m pytest tests/test_jupyterlab.py -p no:nbval

# Figures, not tests: itlib against its peers; Lighthouse on every chapter page of the built
# site (npm's lighthouse, pinned in benchmarks/lighthouse/, in Debian's chromium); then the
# book's build times and each chapter's execution time and peak memory (10 to 20 minutes
# on 2 cores, by the machine).  It first prints the machine, the commit and the time, which
# benchmarks/README.md gives beside each figure it lists.
benchmarks: book system-test
	@echo "machine:$$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2), $$(nproc) cores;" \
	  "commit $$(git rev-parse --short HEAD); $$(date -u '+%Y-%m-%d %H:%M') UTC"
	$(BIN)/python benchmarks/itlib_peers.py
	npm ci --prefix benchmarks/lighthouse --no-audit --no-fund --silent
	$(BIN)/python benchmarks/pages.py
	$(BIN)/python benchmarks/book.py

clean:
	rm -rf _build
