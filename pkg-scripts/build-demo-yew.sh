#!/usr/bin/env bash
# Builds the yew demo (demo/yew-app, crate survey-demo-yew) into demo/site/yew/, served at
# /embed-yew.html:
#   survey_demo_yew.js        wasm-bindgen's ES module glue (demo/site/embed-yew.js imports it)
#   survey_demo_yew_bg.wasm   the app with the survey compiled in, size-optimised by wasm-opt -Oz
# The app renders the Survey component itself, so it needs nothing from the widget bundle but
# its stylesheet, which the page links from /survey-widget/survey-widget.css.
# pkg-scripts/build.sh runs it after the widget bundle. Needs the same tools as build.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

out=demo/site/yew
wasm_opt=tests/e2e/node_modules/.bin/wasm-opt
if [ ! -x "$wasm_opt" ]; then wasm_opt=$(command -v wasm-opt || true); fi
if [ -z "$wasm_opt" ]; then
  echo "build-demo-yew.sh: wasm-opt not found; run pkg-scripts/setup.sh first" >&2
  exit 1
fi

echo "==> compiling the yew demo to WebAssembly (profile wasm-release)"
cargo build -p survey-demo-yew --lib --target wasm32-unknown-unknown --profile wasm-release

echo "==> generating the yew demo's JavaScript glue (wasm-bindgen)"
rm -rf "$out" && mkdir -p "$out"
wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name survey_demo_yew \
  target/wasm32-unknown-unknown/wasm-release/survey_demo_yew.wasm

echo "==> optimising the yew demo for size (wasm-opt -Oz)"
# The same feature flags as build.sh: recent Rust emits them by default.
"$wasm_opt" -Oz --converge --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  -o "$out/survey_demo_yew_bg.wasm" "$out/survey_demo_yew_bg.wasm"

raw=$(wc -c < "$out/survey_demo_yew_bg.wasm"); gz=$(gzip -9 -c "$out/survey_demo_yew_bg.wasm" | wc -c)
echo "==> $out/survey_demo_yew_bg.wasm: $raw bytes, $gz gzipped"
