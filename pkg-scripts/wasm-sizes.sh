#!/usr/bin/env bash
# Where the widget's Wasm bytes are (BENCHMARKS.md, "Where the bytes are"):
#   1. builds survey-widget with the release profile (wasm-release) and runs wasm-bindgen, as
#      pkg-scripts/build.sh does; this file still has its `name` section, so every function
#      can be named;
#   2. groups its functions and data by crate with twiggy (pkg-scripts/wasm-sizes.mjs);
#   3. optimises a copy with the build's own wasm-opt flags and prints the raw and gzip -9
#      size of what ships, the figure the size tables compare.
# Needs twiggy (`cargo install twiggy`; installed here if missing) and what build.sh needs.
#   pkg-scripts/wasm-sizes.sh [TOP]   TOP: the largest items listed per group (default 3)
set -euo pipefail
# shellcheck source=pkg-scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"
top=${1:-3}

command -v twiggy >/dev/null || cargo install twiggy --locked
wasm_opt=$WASM_OPT
if [ ! -x "$wasm_opt" ]; then wasm_opt=$(command -v wasm-opt || true); fi
[ -n "$wasm_opt" ] || die "wasm-opt not found; run pkg-scripts/setup.sh first"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

say "compiling survey-widget to WebAssembly (profile wasm-release)" >&2
cargo build -p survey-widget --lib --target wasm32-unknown-unknown --profile wasm-release >&2
wasm-bindgen --target web --no-typescript --out-dir "$work" --out-name survey_widget \
  "${CARGO_TARGET_DIR:-$ROOT/target}/wasm32-unknown-unknown/wasm-release/survey_widget.wasm"
named="$work/survey_widget_bg.wasm"

echo "Before wasm-opt (wasm-bindgen's output, names kept):"
twiggy top --format csv -n 1000000 "$named" | node pkg-scripts/wasm-sizes.mjs "$top"

wasm_opt_release "$wasm_opt" "$named" "$work/shipped.wasm"
echo
echo "Shipped (after wasm-opt, as pkg-scripts/build.sh makes it): $(wc -c < "$work/shipped.wasm") bytes raw, $(gzip -9 -n -c "$work/shipped.wasm" | wc -c) gzipped (gzip -9 -n)"
