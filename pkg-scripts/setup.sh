#!/usr/bin/env bash
# Installs what building and testing need, skipping whatever is already there, so a second run
# takes a few seconds:
#   - the Rust target wasm32-unknown-unknown;
#   - wasm-bindgen-cli (wasm-bindgen, wasm-bindgen-test-runner) at exactly the version of the
#     wasm-bindgen crate in Cargo.lock;
#   - the npm packages of tests/e2e: playwright-core (drives the browser) and binaryen (wasm-opt);
#   - Chromium and chromedriver from Debian, if /usr/bin/chromium or /usr/bin/chromedriver is
#     missing. No browser is ever downloaded from anywhere else;
#   - PostgreSQL from Debian (`postgresql`), if no initdb is found: the collector's tests run
#     against it too, in a throwaway cluster (pkg-scripts/pg-cluster.sh). Only the binaries are
#     needed; the cluster Debian may start is not used.
#   - the other engines the end-to-end journeys run in (tests/e2e/engines/), each only if
#     missing: WebKit (Debian's `webkit2gtk-driver`, which brings WebKitGTK's MiniBrowser, run
#     under `xvfb` with `xauth`), Firefox ESR (`firefox-esr`), and geckodriver, which Debian
#     does not package, built with `cargo install geckodriver` at the version tested.
set -euo pipefail
# shellcheck source=pkg-scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  else
    sudo "$@"
  fi
}

# --- System packages -----------------------------------------------------------------------
apt_packages=()
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  apt_packages+=(chromium chromium-driver)
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  apt_packages+=(nodejs npm)
fi
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then
  apt_packages+=(postgresql)
fi
if ! command -v WebKitWebDriver >/dev/null 2>&1 || [ ! -x /usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser ]; then
  apt_packages+=(webkit2gtk-driver)
fi
if ! command -v xvfb-run >/dev/null 2>&1 || ! command -v xauth >/dev/null 2>&1; then
  apt_packages+=(xvfb xauth)
fi
if [ ! -x /usr/bin/firefox-esr ]; then
  apt_packages+=(firefox-esr)
fi
if [ "${#apt_packages[@]}" -gt 0 ]; then
  say "Installing ${apt_packages[*]} with apt-get"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${apt_packages[@]}"
else
  say "Chromium, chromedriver, Node.js, PostgreSQL, WebKitWebDriver, Xvfb and Firefox ESR are installed"
fi

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
  say "WARNING: Node.js $(node --version) is older than 20; the end-to-end tests expect Node 20 or later"
fi

# --- Rust -----------------------------------------------------------------------------------
command -v cargo >/dev/null 2>&1 || die "cargo not found: install Rust with rustup first"

if rustup target list --installed 2>/dev/null | grep -qx 'wasm32-unknown-unknown'; then
  say "Rust target wasm32-unknown-unknown is installed"
else
  say "Adding Rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

wb_version="$(wasm_bindgen_lock_version)"
[ -n "$wb_version" ] || die "could not find the wasm-bindgen version in Cargo.lock"
have_bindgen="$(wasm-bindgen --version 2>/dev/null || true)"
have_runner="$(wasm-bindgen-test-runner --version 2>/dev/null || true)"
if [ "$have_bindgen" = "wasm-bindgen $wb_version" ] && [ -n "$have_runner" ]; then
  say "wasm-bindgen-cli $wb_version is installed"
else
  say "Installing wasm-bindgen-cli $wb_version (found: ${have_bindgen:-none}); this compiles for a few minutes"
  cargo install wasm-bindgen-cli --version "=$wb_version" --force
fi

# geckodriver drives Firefox for the end-to-end journeys in tests/e2e/engines/.
geckodriver_version="0.37.1"
have_gecko="$( (command -v geckodriver >/dev/null 2>&1 && geckodriver --version 2>/dev/null || "${CARGO_HOME:-$HOME/.cargo}/bin/geckodriver" --version 2>/dev/null) | head -n 1 || true)"
if [ "${have_gecko%% (*}" = "geckodriver $geckodriver_version" ]; then
  say "geckodriver $geckodriver_version is installed"
else
  say "Installing geckodriver $geckodriver_version (found: ${have_gecko:-none}); this compiles for a few minutes"
  cargo install geckodriver --version "=$geckodriver_version" --locked --force
fi

# --- npm packages for the end-to-end tests (and wasm-opt) ----------------------------------
cd "$E2E_DIR"
if [ -f package-lock.json ]; then
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "Installing npm packages in tests/e2e (npm ci)"
    npm ci --no-audit --no-fund
  else
    say "npm packages in tests/e2e are up to date"
  fi
else
  say "Installing npm packages in tests/e2e (npm install)"
  npm install --no-audit --no-fund
fi
cd "$ROOT"

[ -x "$WASM_OPT" ] || die "wasm-opt not found at $WASM_OPT (it comes from the npm package binaryen in tests/e2e)"
say "wasm-opt: $WASM_OPT ($("$WASM_OPT" --version))"
say "Setup done"
