#!/usr/bin/env bash
# Installs everything `make run`, `make test` and `make deb` need on Debian 12 / Ubuntu 24.04,
# idempotently (`make run` and `make test` both start with it, so either works on a fresh machine):
# - the WebKitGTK/GTK build packages, WebKitWebDriver, Xvfb, CJK fonts and desktop-file-validate
#   (apt, only if missing);
# - node_modules of ui/, tests/e2e/ and scripts/tauri-cli/ (the pinned Tauri CLI, a prebuilt
#   binary) (npm ci, only if missing or older than package-lock.json);
# - tauri-driver (cargo install, only if missing).
# Safe to run again; a second run does nothing and takes about a second.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[deps] %s\n' "$*"; }

# --- Debian packages -------------------------------------------------------------------------
PKGS=(
  libwebkit2gtk-4.1-dev libgtk-3-dev libayatana-appindicator3-dev librsvg2-dev libxdo-dev
  webkit2gtk-driver xvfb xauth fonts-noto-cjk pkg-config build-essential desktop-file-utils
)
installed() { [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]; }
missing=()
for p in "${PKGS[@]}"; do installed "$p" || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { log "need root or sudo to install: ${missing[*]}"; exit 1; }
    SUDO=(sudo)
  fi
  log "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -q
  "${SUDO[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
else
  log "Debian packages present"
fi

# --- Node ------------------------------------------------------------------------------------
command -v node >/dev/null || { log "node (>= 20.19) is required"; exit 1; }
command -v npm >/dev/null || { log "npm (>= 11) is required"; exit 1; }
for dir in ui tests/e2e scripts/tauri-cli; do
  scripts/npm-ci.sh "$dir"
done

# --- tauri-driver (WebDriver proxy for the e2e test) -----------------------------------------
export PATH="$HOME/.cargo/bin:$PATH"
if command -v tauri-driver >/dev/null; then
  log "tauri-driver present"
else
  log "cargo install tauri-driver"
  cargo install tauri-driver --locked --version '^2'
fi
