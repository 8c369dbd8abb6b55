# 示范创建工作台 — build, run and test entry points. `make help` lists them.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
export PATH := $(HOME)/.cargo/bin:$(PATH)

# Cargo's target folder: target/ unless CARGO_TARGET_DIR names another one.
TARGET   := $(or $(CARGO_TARGET_DIR),target)
APP_BIN  := $(TARGET)/debug/shifan-app
# Xvfb screen large enough for the 1280x800 window, in true colour.
XVFB     := xvfb-run -a -s "-screen 0 1600x1000x24"
STAGE    := scripts/stage.sh

.PHONY: help deps ui run demo deb test \
        test-fmt test-ui test-clippy test-rust test-bindings test-e2e e2e-build e2e test-deb

help:
	@echo "make deps   install missing Debian packages, node_modules, tauri-driver, Tauri CLI"
	@echo "make ui     build the Vue UI into ui/dist"
	@echo "make run    run the desktop app on its own data folder (first run shows the wizard)"
	@echo "make demo   a demo campaign in target/demo-data, then the app on it"
	@echo "make deb    build the release .deb (target/release/bundle/deb) and check it installs"
	@echo "make test   deps, fmt, ui build+vitest, clippy, cargo test, bindings, e2e, deb check"
	@echo "make e2e    only the real-window e2e test (needs ui/dist)"
	@echo "make test-deb  the .deb of the e2e build, checked and installed in a throwaway root"

deps:
	scripts/install-deps.sh

ui:
	scripts/npm-ci.sh ui
	npm --prefix ui run build

run: deps ui
	cargo run -p shifan-app --features custom-protocol

# Demo data lives in its own folder, never in the user's data folder.
DEMO_DIR := $(CURDIR)/target/demo-data
demo: deps ui
	cargo run -p shifan-cli -- --data-dir "$(DEMO_DIR)" demo
	SHIFAN_DATA_DIR="$(DEMO_DIR)" cargo run -p shifan-app --features custom-protocol

# A release build through the pinned Tauri CLI (scripts/tauri.sh), whose beforeBuildCommand
# builds ui/dist. The package folder is emptied first so that only this build's .deb is checked.
deb: deps
	rm -rf $(TARGET)/release/bundle/deb
	scripts/tauri.sh build --bundles deb
	scripts/check-deb.sh $(TARGET)/release/bundle/deb/*.deb

# Every layer, failing fast. First what a fresh machine lacks (scripts/install-deps.sh, about a
# second when all is there). The UI is built before any cargo command that compiles src-tauri,
# because tauri::generate_context! embeds ui/dist. The deb stage packages the e2e build.
test:
	@$(STAGE) --reset
	@$(STAGE) deps     $(MAKE) --no-print-directory deps
	@$(STAGE) fmt      $(MAKE) --no-print-directory test-fmt
	@$(STAGE) ui       $(MAKE) --no-print-directory test-ui
	@$(STAGE) clippy   $(MAKE) --no-print-directory test-clippy
	@$(STAGE) cargo    $(MAKE) --no-print-directory test-rust
	@$(STAGE) bindings $(MAKE) --no-print-directory test-bindings
	@$(STAGE) e2e      $(MAKE) --no-print-directory test-e2e
	@$(STAGE) deb      $(MAKE) --no-print-directory test-deb
	@$(STAGE) --summary

test-fmt:
	cargo fmt --all --check

test-ui:
	scripts/npm-ci.sh ui
	npm --prefix ui run build
	npm --prefix ui test

test-clippy:
	cargo clippy --workspace --all-targets -- -D warnings

test-rust:
	# --show-output prints the counts of the crash harness, the hostile catalogs, the fuzzers
	# and the fault injection.
	cargo test --workspace -- --show-output

test-bindings:
	scripts/check-bindings.sh

test-e2e: e2e-build e2e

e2e-build:
	cargo build -p shifan-app --features custom-protocol

e2e:
	scripts/npm-ci.sh tests/e2e
	SHIFAN_APP_BIN="$(abspath $(APP_BIN))" $(XVFB) node tests/e2e/run-e2e.mjs

# The .deb of the e2e build, without compiling again: `tauri bundle --debug` packages
# $(APP_BIN) as it is (and leaves it unpatched, so cargo and e2e see the same file), then
# check-deb.sh reads the control data and installs the package into a throwaway root.
DEB_DEBUG := $(TARGET)/debug/bundle/deb
test-deb: e2e-build
	rm -rf $(DEB_DEBUG)
	scripts/tauri.sh bundle --debug --bundles deb --no-binary-patching
	scripts/check-deb.sh $(DEB_DEBUG)/*.deb
