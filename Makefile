# The two commands: `make up` runs the platform on embedded defaults, `make test` lints (ruff) and runs the suite.
# `make image` builds the Docker image statex:dev; `make image-check` runs the platform from it.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HTMX := portal/static/vendor/htmx.min.js

.PHONY: up test install site bench clean image image-check

up: install site
	$(BIN)/statex up

test: install
	$(BIN)/ruff check .
	deploy/local/services.sh
	$(BIN)/python -m pytest $(PYTEST_ARGS)

install: $(VENV)/.installed $(HTMX)

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test,models]'
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

$(HTMX): node_modules/.package-lock.json
	mkdir -p $(dir $@)
	cp node_modules/htmx.org/dist/htmx.min.js $@

site: install
	$(BIN)/statex site build

bench: install
	deploy/local/services.sh
	$(BIN)/python bench/run.py $(BENCH_ARGS)

image:
	deploy/image/build.sh

image-check: install
	deploy/local/services.sh
	deploy/image/docker.sh
	$(BIN)/python deploy/image/check.py $(IMAGE_CHECK_ARGS)

clean:
	rm -rf $(VENV) node_modules portal/static/vendor
