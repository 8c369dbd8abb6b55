#!/usr/bin/env bash
# npm ci in DIR when its node_modules is missing or older than its package-lock.json.
set -euo pipefail
dir=${1:?usage: npm-ci.sh DIR}
stamp="$dir/node_modules/.package-lock.json"   # written by npm on every install
if [ ! -f "$dir/package-lock.json" ]; then
  echo "[deps] $dir has no package-lock.json" >&2
  exit 1
fi
# A project without dependencies gets no node_modules at all: nothing to install.
if ! grep -q '"node_modules/' "$dir/package-lock.json"; then
  echo "[deps] $dir: no npm dependencies"
  exit 0
fi
if [ -f "$stamp" ] && [ ! "$dir/package-lock.json" -nt "$stamp" ] && [ ! "$dir/package.json" -nt "$stamp" ]; then
  echo "[deps] $dir/node_modules up to date"
  exit 0
fi
echo "[deps] npm ci in $dir"
(cd "$dir" && npm ci --no-audit --no-fund </dev/null)
