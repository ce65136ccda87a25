# Shared by the scripts in pkg-scripts/: source it, do not run it.
#
# Sets ROOT to the repository root and cds there, so every script works from any directory,
# and puts the project's tools on PATH:
#   - cargo-installed tools (wasm-bindgen, wasm-bindgen-test-runner) in $CARGO_HOME/bin;
#   - wasm-opt from the npm package `binaryen`, a devDependency of tests/e2e, exported as
#     WASM_OPT (an absolute path) for pkg-scripts/build.sh.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

E2E_DIR="$ROOT/tests/e2e"
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
case ":$PATH:" in
  *":$CARGO_BIN:"*) ;;
  *) PATH="$CARGO_BIN:$PATH" ;;
esac
case ":$PATH:" in
  *":$E2E_DIR/node_modules/.bin:"*) ;;
  *) PATH="$E2E_DIR/node_modules/.bin:$PATH" ;;
esac
export PATH
export WASM_OPT="${WASM_OPT:-$E2E_DIR/node_modules/.bin/wasm-opt}"

# Never let an npm package download a browser: the tests drive Debian's /usr/bin/chromium.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

say() {
  printf '==> %s\n' "$*"
}

die() {
  printf '==> ERROR: %s\n' "$*" >&2
  exit 1
}

# The exact wasm-bindgen version in Cargo.lock; wasm-bindgen-cli must match it.
wasm_bindgen_lock_version() {
  awk '
    $0 == "name = \"wasm-bindgen\"" { found = 1; next }
    found && /^version = / { gsub(/version = |"/, ""); print; exit }
    /^\[\[package\]\]/ { found = 0 }
  ' "$ROOT/Cargo.lock"
}

# Seconds as "3m 07s".
format_duration() {
  printf '%dm %02ds' $(($1 / 60)) $(($1 % 60))
}
