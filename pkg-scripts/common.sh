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

# Compiles a crate to WebAssembly and makes it ready for the web, as every bundle here is made:
#   wasm_bundle PACKAGE CRATE_FILE_STEM OUT_DIR
# cargo (profile wasm-release) → wasm-bindgen --target web into OUT_DIR (emptied first) →
# wasm-opt -Oz in place. Prints nothing of its own beyond the tools' output.
wasm_bundle() {
  local package=$1 stem=$2 out=$3
  local wasm_opt="$ROOT/tests/e2e/node_modules/.bin/wasm-opt"
  if [ ! -x "$wasm_opt" ]; then wasm_opt=$(command -v wasm-opt || true); fi
  [ -n "$wasm_opt" ] || die "wasm-opt not found; run pkg-scripts/setup.sh first"

  say "compiling $package to WebAssembly (profile wasm-release)"
  # Panic locations name source files: written relative to the registry and to this checkout,
  # so the published Wasm carries no path of the machine that built it (and fewer bytes).
  local cargo_home="${CARGO_HOME:-$HOME/.cargo}"
  cargo build -p "$package" --lib --target wasm32-unknown-unknown --profile wasm-release \
    --config "target.wasm32-unknown-unknown.rustflags=['--remap-path-prefix=$cargo_home/registry/src=crates', '--remap-path-prefix=$ROOT=.']"

  say "generating the JavaScript glue of $package (wasm-bindgen)"
  rm -rf "$out" && mkdir -p "$out"
  wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name "$stem" \
    "${CARGO_TARGET_DIR:-$ROOT/target}/wasm32-unknown-unknown/wasm-release/$stem.wasm"

  say "optimising $package for size (wasm-opt -Oz)"
  wasm_opt_release "$wasm_opt" "$out/${stem}_bg.wasm" "$out/${stem}_bg.wasm"
}

# Runs wasm-opt as every bundle here is optimised (pkg-scripts/wasm-sizes.sh measures with it too):
#   wasm_opt_release WASM_OPT IN OUT [EXTRA_FLAG...]
wasm_opt_release() {
  local wasm_opt=$1 in=$2 out=$3
  shift 3
  # Recent Rust emits these features by default; wasm-opt must be told it may keep them.
  # The `producers` and `target_features` custom sections only describe the toolchain; no
  # browser reads them, so they are dropped (about 220 bytes gzipped).
  "$wasm_opt" -Oz --converge --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    --strip-producers --strip-target-features "$@" -o "$out" "$in"
}
