#!/usr/bin/env bash
# Builds the yew demo (demo/yew-app, crate survey-demo-yew) into demo/site/pages/yew/, served at
# /embed-yew.html:
#   survey_demo_yew.js        wasm-bindgen's ES module glue (demo/site/embed-yew.js imports it)
#   survey_demo_yew_bg.wasm   the app with the survey compiled in, size-optimised by wasm-opt -Oz
# The app renders the Survey component itself, so it needs nothing from the widget bundle but
# its stylesheet, which the page links from /survey-widget/survey-widget.css.
# pkg-scripts/build.sh runs it after the widget bundle. Needs the same tools as build.sh.
set -euo pipefail
# shellcheck source=pkg-scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"

out=demo/site/pages/yew
wasm_bundle survey-demo-yew survey_demo_yew "$out"

raw=$(wc -c < "$out/survey_demo_yew_bg.wasm"); gz=$(gzip -9 -c "$out/survey_demo_yew_bg.wasm" | wc -c)
echo "==> $out/survey_demo_yew_bg.wasm: $raw bytes, $gz gzipped"
