# The two commands: `make up` runs the platform on embedded defaults, `make test` lints (ruff) and runs the suite.
# `make image` builds the Docker image statex:dev; `make image-check` runs the platform from it.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HTMX := portal/static/vendor/htmx.min.js
# The gettext catalogues (statex/translations/<lang>/LC_MESSAGES/messages.po) and what they compile to.
CATALOGUES := $(wildcard statex/translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGUES:.po=.mo)

.PHONY: up test install translations site bench clean image image-check

up: install site
	$(BIN)/statex up

test: install
	$(BIN)/ruff check .
	deploy/local/services.sh
	$(BIN)/python -m pytest $(PYTEST_ARGS)

install: $(VENV)/.installed $(HTMX) $(COMPILED)

%.mo: %.po $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -i $< -o $@

# After adding or changing words: extract them all, merge them into every catalogue, then translate
# the new (empty or fuzzy) entries; tests/portal/test_i18n.py fails until none is left.
translations: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
		--ignore-dirs ".* _* node_modules var output" --width 100 -o statex/translations/messages.pot .
	$(BIN)/pybabel update -i statex/translations/messages.pot -d statex/translations --no-fuzzy-matching --width 100 \
		--ignore-obsolete

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
