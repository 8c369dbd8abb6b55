#!/usr/bin/env bash
# tauri.sh ARGS...: runs the pinned Tauri CLI from src-tauri, installing it on first use.
# The CLI is the npm package @tauri-apps/cli (major 2, locked in
# scripts/tauri-cli/package-lock.json), which ships a prebuilt binary: no `cargo install
# tauri-cli` (minutes of compiling) is needed.
# `make deb` runs `tauri.sh build --bundles deb`; `make test` runs `tauri.sh bundle --debug ...`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/npm-ci.sh scripts/tauri-cli >&2
cd src-tauri
exec "$root/scripts/tauri-cli/node_modules/.bin/tauri" "$@"
