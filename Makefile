# Jamie's front door. Every target installs what it needs (into .tools/, git-ignored) or says
# exactly what is missing. `make dev` runs the whole app locally; `make test` runs every check.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .tools/venv
VENV_STAMP := $(VENV)/.installed-$(shell cksum infra/requirements.txt | cut -d' ' -f1)
LAMBDA_VENV := .tools/lambda
LAMBDA_STAMP := $(LAMBDA_VENV)/.installed
NODE_STAMP := infra/assets/node_modules/.package-lock.json
E2E_STAMP := tests/e2e/node_modules/.package-lock.json
CHROMIUM := /usr/bin/chromium
# The dev server the journeys start (a fresh one on free ports, beside any `make dev`).
DEV_SERVER := $(or $(CARGO_TARGET_DIR),target)/debug/dev-server
VIEW_SOURCES := $(shell find templates/src functions -name '*.rs' 2>/dev/null)

.PHONY: help tools assets dev test test-fast e2e chromium email-previews lint fmt bench audit build deploy reset clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(VENV_STAMP): infra/requirements.txt
	@command -v $(PYTHON) >/dev/null || { echo "make: $(PYTHON) is needed for the local AWS emulator (moto)"; exit 1; }
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r infra/requirements.txt
	touch $@

tools: $(VENV_STAMP) ## Install the emulator and cfn-lint into .tools/

# The stylesheet is committed: without npm, make dev goes on with it (and says so).
$(NODE_STAMP): infra/assets/package.json infra/assets/package-lock.json
	@if command -v npm >/dev/null; then npm --prefix infra/assets ci --no-audit --no-fund; \
	else echo "make: npm (Node.js 20+) not found: using the committed stylesheet"; fi

templates/assets/app.css: $(NODE_STAMP) infra/assets/src/app.css $(VIEW_SOURCES)
	@if [ -d infra/assets/node_modules ]; then npm --prefix infra/assets run --silent build; \
	else echo "make: stylesheet not rebuilt (no npm)"; fi

assets: templates/assets/app.css ## Rebuild the stylesheet (Tailwind + daisyUI) and vendored htmx

dev: tools assets ## Run the whole app on http://127.0.0.1:3000, PORT overrides (emulator, web, worker, schedules)
	cargo run --quiet -p jamie-infra --bin dev-server

fmt: ## Format the code
	cargo fmt --all

lint: tools ## fmt check, clippy with -D warnings, cfn-lint
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets --quiet -- -D warnings
	$(VENV)/bin/cfn-lint template.yaml

test: test-fast e2e ## Every check and every test, browser journeys included (what CI runs)

test-fast: lint ## Lint and cargo test, without the browser (the inner loop)
	cargo test --workspace --quiet

# Debian's browser; CI runs as root on a clean machine, where the package lists may be empty.
chromium: ## Install Debian's chromium and chromium-driver when missing
	@if [ ! -x $(CHROMIUM) ]; then \
	  command -v apt-get >/dev/null || { echo "make: install Chromium at $(CHROMIUM) (Debian: apt-get install chromium chromium-driver)"; exit 1; }; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get install -y chromium chromium-driver || { $$SUDO apt-get update && $$SUDO apt-get install -y chromium chromium-driver; }; \
	fi

# Every email from the sample jam (templates/src/emails/samples.rs), screenshotted at phone
# width, its height measured first (the page titles itself with it; headless Chromium's viewport is
# shorter than its window, hence the 100 px more) so the PNG ends where the email does.
EMAIL_HTML := target/email-previews
CHROMIUM_FLAGS := --headless --disable-gpu --hide-scrollbars $$( [ "$$(id -u)" = 0 ] && echo --no-sandbox )

email-previews: chromium ## Screenshot every email at phone width (375 px) into docs/emails/, one in dark mode
	cargo run --quiet -p jamie-templates --example email-previews -- $(EMAIL_HTML)
	@for page in $(EMAIL_HTML)/*.measure.html; do \
	  name=$$(basename $$page .measure.html); \
	  height=$$($(CHROMIUM) $(CHROMIUM_FLAGS) --window-size=375,300 --dump-dom "file://$$(realpath $$page)" 2>/dev/null \
	    | grep -o 'height:[0-9]*' | head -1 | cut -d: -f2); \
	  height=$$(( $${height:-1900} + 100 )); \
	  $(CHROMIUM) $(CHROMIUM_FLAGS) --window-size=375,$$height \
	    --screenshot=docs/emails/$$name.png "file://$$(realpath $(EMAIL_HTML)/$$name.html)" 2>/dev/null; \
	  echo "docs/emails/$$name.png: 375x$$height"; \
	  if [ $$name = confirmed ]; then \
	    $(CHROMIUM) $(CHROMIUM_FLAGS) --force-dark-mode --window-size=375,$$height \
	      --screenshot=docs/emails/confirmed-dark.png "file://$$(realpath $(EMAIL_HTML)/$$name.html)" 2>/dev/null; \
	    echo "docs/emails/confirmed-dark.png: 375x$$height, dark"; \
	  fi; \
	done

$(E2E_STAMP): tests/e2e/package.json tests/e2e/package-lock.json
	@command -v npm >/dev/null || { echo "make: npm (Node.js 20+) is needed for the browser journeys"; exit 1; }
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm --prefix tests/e2e ci --no-audit --no-fund
	touch $@

e2e: tools chromium $(E2E_STAMP) ## The browser journeys alone (headless Chromium, the dev server on free ports)
	cargo build --quiet -p jamie-infra --bin dev-server
	JAMIE_DEV_SERVER=$(DEV_SERVER) node --test --test-concurrency=1 tests/e2e/journeys/

bench: tools ## Print the benchmark figures quoted in the README
	cargo run --quiet -p jamie-tests --bin bench

AUDIT_STAMP := tests/audit/node_modules/.package-lock.json

$(AUDIT_STAMP): tests/audit/package.json tests/audit/package-lock.json
	@command -v npm >/dev/null || { echo "make: npm (Node.js 20+) is needed for make audit"; exit 1; }
	npm --prefix tests/audit ci --no-audit --no-fund

audit: tools chromium $(AUDIT_STAMP) $(E2E_STAMP) ## Lighthouse (mobile) + axe-core on the main pages of a fresh stack; fails under the targets
	cargo build --quiet -p jamie-infra --bin dev-server
	JAMIE_DEV_SERVER=$(DEV_SERVER) CHROME_PATH=$(CHROMIUM) node tests/audit/audit.mjs

$(LAMBDA_STAMP):
	$(PYTHON) -m venv $(LAMBDA_VENV)
	$(LAMBDA_VENV)/bin/pip install --quiet --disable-pip-version-check cargo-lambda==1.9.2
	rustup target add aarch64-unknown-linux-gnu
	touch $@

LAMBDAS := web-public web-auth web-admin web-jams web-dashboard assets notify-worker jobs ses-events

build: $(LAMBDA_STAMP) ## Build every Lambda for arm64 into target/lambda/<name>/bootstrap
	PATH="$(CURDIR)/$(LAMBDA_VENV)/bin:$$PATH" cargo lambda build --release --arm64 $(addprefix --bin ,$(LAMBDAS))

deploy: ## Build and deploy with AWS SAM (needs the sam CLI and AWS credentials)
	@command -v sam >/dev/null || { echo "make: install the AWS SAM CLI (https://docs.aws.amazon.com/serverless-application-model/) first"; exit 1; }
	PATH="$(CURDIR)/$(LAMBDA_VENV)/bin:$$PATH" sam build
	sam deploy

reset: ## Forget the local data (make dev starts empty next time)
	rm -rf .data

clean: ## Remove build output and installed tools
	cargo clean
	rm -rf .tools infra/assets/node_modules tests/e2e/node_modules tests/audit/node_modules
