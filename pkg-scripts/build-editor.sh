#!/usr/bin/env bash
# Builds the collector's survey editor (crate survey-editor, editor/) into dist/survey-editor/,
# which the collector serves at /_collector/editor/ (its EDITOR_DIR):
#   survey_editor.js         wasm-bindgen's ES module glue
#   survey_editor_bg.wasm    the editor, size-optimised by wasm-opt -Oz
#   editor.mjs, editor.css   the page's script (starts the editor, runs the preview) and styles
#   FILE.br, FILE.gz         Brotli and gzip copies, which the collector sends
# pkg-scripts/build.sh runs it after the widget bundle. Needs the same tools as build.sh.
set -euo pipefail
# shellcheck source=pkg-scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"

out=dist/survey-editor
wasm_bundle survey-editor survey_editor "$out"
cp editor/assets/editor.mjs editor/assets/editor.css "$out/"
node "$ROOT/pkg-scripts/precompress.mjs" "$out/survey_editor.js" "$out/survey_editor_bg.wasm" "$out/editor.mjs" "$out/editor.css"

raw=$(wc -c < "$out/survey_editor_bg.wasm"); gz=$(gzip -9 -c "$out/survey_editor_bg.wasm" | wc -c)
echo "==> $out/survey_editor_bg.wasm: $raw bytes, $gz gzipped"
