# ReliefOps — `make demo` and `make test` each set up everything from nothing.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Bytecode is cached under the venv, not beside the sources: without a cache every process
# (test workers, gunicorn, Celery, each CLI call) compiled all its modules again, 2.5 s here.
export PYTHONDONTWRITEBYTECODE :=
export PYTHONPYCACHEPREFIX := $(CURDIR)/$(VENV)/pycache

.PHONY: demo test setup assets lint typecheck scan serve bench browser gettext clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip uv

# Python dependencies from the lock file; re-run when the lock changes.
$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/uv pip sync --python $(BIN)/python --quiet requirements.lock
	$(BIN)/uv pip install --python $(BIN)/python --quiet --no-deps -e .
	touch $@

# Front-end libraries from the npm registry, pinned in package-lock.json.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

assets: node_modules/.package-lock.json $(VENV)/.installed
	$(BIN)/python tools/copy_assets.py

setup: $(VENV)/.installed assets

demo: setup
	$(BIN)/reliefops demo --port $(PORT)

serve: setup
	$(BIN)/reliefops migrate --verbosity 0
	$(BIN)/reliefops runserver 127.0.0.1:$(PORT)

# Browser tests need Debian's chromium; install it when missing and we are root.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "installing Debian's chromium for the browser tests"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "could not install chromium: browser tests will be skipped"; \
	  else echo "chromium missing and not root: browser tests will be skipped"; fi; \
	fi

# makemessages/compilemessages and the catalogue test need GNU gettext (xgettext, msgmerge,
# msgfmt); install Debian's package when missing and we are root.
gettext:
	@if ! command -v xgettext >/dev/null || ! command -v msgfmt >/dev/null; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "installing Debian's gettext for the translation catalogues"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null) \
	      || echo "could not install gettext: the catalogue test will fail"; \
	  else echo "gettext missing and not root: install it (apt-get install gettext)"; fi; \
	fi

lint: $(VENV)/.installed
	$(BIN)/ruff check reliefops tests bench tools
	$(BIN)/ruff format --check reliefops tests bench tools
	$(BIN)/lint-imports --no-cache
	$(BIN)/python tools/module_sizes.py --max 600 reliefops

typecheck: $(VENV)/.installed
	$(BIN)/mypy --strict reliefops/planning
	$(BIN)/mypy reliefops --exclude 'reliefops/planning|migrations'

# Security scans: bandit fails on any high-severity finding; the dependency audit fails on
# a known vulnerability and says plainly when its database is not reachable from here.
scan: $(VENV)/.installed
	$(BIN)/bandit -q -r reliefops tools -lll --exclude '*/migrations/*'
	$(BIN)/python tools/dependency_audit.py

test: setup browser gettext lint typecheck scan
	mkdir -p var
	$(BIN)/reliefops check --fail-level WARNING
	$(BIN)/reliefops makemigrations --check --dry-run
	$(BIN)/python -m pytest -n 2 --dist loadgroup -m "not browser" -v tests
	$(BIN)/python -m pytest -m browser tests

bench: setup
	$(BIN)/python -m bench

# The .po files are the only source of translations; the compiled .mo files are committed
# beside them (tests/core/test_translations.py checks both). After adding or changing a
# string: `make messages`, translate what it left empty or fuzzy, `make messages` again.
messages: $(VENV)/.installed gettext
	cd reliefops && ../$(BIN)/reliefops makemessages -l az -l ru -l hy --no-obsolete --add-location file
	cd reliefops && ../$(BIN)/reliefops compilemessages
	@$(BIN)/python tools/translations.py || echo "(the catalogue test fails until they are translated)"

clean:
	rm -rf $(VENV) node_modules var reliefops/static/vendor .pytest_cache .mypy_cache .ruff_cache
