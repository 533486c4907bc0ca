# smmkit: two commands.  `make lab` opens the course; `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.smmkit-installed
LAB_ARGS ?=
HUB_IP ?= 127.0.0.1
HUB_PORT ?= 8000
HUB_ARGS ?=
PYTEST_ARGS ?=

.PHONY: lab test test-rest quick setup lint clean-venv constraints bench hub

# The Lab opens at the welcome lesson: in the browser it starts, and at the address it prints (--no-browser).
# JupyterLab refuses to run as root (the usual user in containers and cloud VMs) without --allow-root.
lab: setup ## open JupyterLab on the course, at the welcome notebook
	@for d in ru_RU kk_KZ; do test -f "$${SMMKIT_HUNSPELL_DIR:-/usr/share/hunspell}/$$d.dic" || { \
		echo "Внимание: нет словаря $$d для проверки орфографии (урок 04.02). Установите: sudo apt-get install hunspell-ru hunspell-kk"; \
		break; }; done
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)" \
		--LabApp.default_url=/lab/tree/course/00-intro/00.00-welcome.ipynb \
		$(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root) $(LAB_ARGS)

# A class on this machine (grader/README.md, "A class on one server"): JupyterHub with its pure-Python proxy,
# the roster of grader/hub/roster.yaml, the formgrader as a hub service. Loopback unless HUB_IP=0.0.0.0.
hub: setup ## JupyterHub for a class at http://$(HUB_IP):$(HUB_PORT)/ (stop with Ctrl-C)
	@test -x $(BIN)/jupyterhub || { $(BIN)/python -m pip install --quiet -c constraints.txt -e '.[hub]' && \
		$(BIN)/python -m pip uninstall --quiet -y $(SLOW_IMPORTS); }
	cd grader/hub && SMMKIT_HUB_IP=$(HUB_IP) SMMKIT_HUB_PORT=$(HUB_PORT) PATH="$(CURDIR)/$(BIN):$$PATH" \
		$(CURDIR)/$(BIN)/jupyterhub -f jupyterhub_config.py $(HUB_ARGS)

test: setup lint ## set up, then run the whole suite (unit tests, doctests, notebooks, grading)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest $(PYTEST_ARGS)

# `make test` autogrades a sample of the typical-mistake submissions (tests/test_grading_invariant.py, `sample`);
# this grades all the others. CI (.ci/run) runs both, so every submission is graded on every landing.
test-rest: setup ## grade the typical-mistake submissions that `make test` leaves out of its sample
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest tests/test_grading_invariant.py --mistakes=rest $(PYTEST_ARGS)

quick: setup lint ## the inner loop: unit tests and doctests; no notebooks, browser, graded classes or Lab server
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest tests src/smmkit -m "not browser and not hub" \
		-k "not grading and not a01_traps and not lab_server" $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check src tests tools

setup: $(STAMP)
	@$(BIN)/python -c "import importlib.util as u; raise SystemExit(u.find_spec('rfc3987_syntax') is not None)" \
		|| $(BIN)/python -m pip uninstall --quiet -y $(SLOW_IMPORTS)
	@ls $(ASIDE)/rfc3987_syntax-*.whl >/dev/null 2>&1 || $(BIN)/python -m pip download --quiet --no-deps \
		--only-binary :all: -c constraints.txt -d $(ASIDE) $(SLOW_IMPORTS)

# jsonschema's format checker imports rfc3987-syntax, which builds ~35 Earley parsers at import: about 1.5 s of
# CPU in every process that reads a notebook (nbformat, nbgrader's workers, the smmkit command, Jupyter's servers;
# python-jsonschema/jsonschema#1428). No schema of Jupyter or nbgrader uses the `iri` formats it checks, and
# without it jsonschema skips just those two formats, so the venv goes without it (tests/test_labsetup.py).
SLOW_IMPORTS := rfc3987-syntax
# Its wheel is kept aside (not installed) for the test of smmkit.widgets' deferral, which still matters to a kit
# installed with plain pip (tests/test_widget_posting_time.py::test_iri_grammar_loads_on_first_use).
ASIDE := $(VENV)/aside

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) 2>/dev/null || { \
		echo "python3 has no ensurepip (Debian/Ubuntu without python3-venv): bootstrapping pip from PyPI"; \
		rm -rf $(VENV); $(PYTHON) -m venv --without-pip $(VENV) && $(BIN)/python tools/bootstrap_pip.py; }
	$(BIN)/python -m pip install --upgrade --quiet pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	$(BIN)/python -m smmkit.labsetup
	@touch $(STAMP)

constraints: setup ## refresh the pinned versions after changing dependencies
	( echo "# Versions CI tests (Python 3.11). Install with: pip install -c constraints.txt -e '.[test]'"; \
	  echo "# A college can freeze its environment for a semester with this file. Refresh: make constraints"; \
	  $(BIN)/python -m pip freeze --exclude-editable | grep -v '^smmkit' ) > constraints.txt

bench: setup ## print the speed figures the README quotes
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python tools/bench.py --suite
	$(BIN)/python tools/bench_metrics.py
	$(BIN)/python tools/bench_attribution.py
	$(BIN)/python tools/bench_large.py
	$(BIN)/python tools/bench_widgets.py
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python tools/bench_lessons.py
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python tools/bench_autograde.py

clean-venv:
	rm -rf $(VENV)
