#!/usr/bin/env bash
# Builds the release bundle into dist/survey-widget/ and prints each file's raw and gzipped size.
#   survey-widget.js            the classic-script loader a web team pastes (tiny, loads the rest)
#   survey_widget.HASH.js       wasm-bindgen's ES module glue
#   survey_widget_bg.HASH.wasm  the widget, size-optimised by wasm-opt -Oz
#   survey-widget.HASH.css      the stylesheet each widget loads into its shadow root
#   (HASH: the content's, so these can be cached for ever; index.mjs names them)
#   FILE.br, FILE.gz            Brotli and gzip copies, which the collector sends (brotli column)
#   index.mjs, index.d.ts, package.json, README.md: the same folder as the npm package
#                               "survey-widget" (pkg-scripts/package.sh writes them)
# Then builds the collector's survey editor (pkg-scripts/build-editor.sh: dist/survey-editor/), the
# demo site's React page (pkg-scripts/build-demo-react.sh: demo/site/pages/react/app.js) and its
# yew app (pkg-scripts/build-demo-yew.sh: demo/site/pages/yew/).
# Needs the wasm32 target, wasm-bindgen-cli and wasm-opt: pkg-scripts/setup.sh installs them.
#   --widget-only  only the bundle (the inner loop of pkg-scripts/test.sh --quick)
set -euo pipefail
widget_only=false
[ "${1:-}" = "--widget-only" ] && widget_only=true
# shellcheck source=pkg-scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"

out=dist/survey-widget
wasm_bundle survey-widget survey_widget "$out"

echo "==> packaging (the script-tag bundle is also the npm package \"survey-widget\")"
pkg-scripts/package.sh "$out"

echo "==> bundle in $out"
printf '%-32s %10s %10s %10s\n' file raw gzipped brotli
total_raw=0; total_gz=0; total_br=0
for f in survey-widget.js index.mjs "$out"/survey_widget.*.js "$out"/survey_widget_bg.*.wasm "$out"/survey-widget.*.css; do
  f=${f##*/}
  raw=$(wc -c < "$out/$f"); gz=$(gzip -9 -c "$out/$f" | wc -c); br=$(wc -c < "$out/$f.br")
  total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz)); total_br=$((total_br + br))
  printf '%-32s %10d %10d %10d\n' "$f" "$raw" "$gz" "$br"
done
printf '%-32s %10d %10d %10d\n' "total" "$total_raw" "$total_gz" "$total_br"

$widget_only && exit 0

# The collector serves the editor at /admin/editor (its EDITOR_DIR); it previews in this bundle.
pkg-scripts/build-editor.sh

# The demo site's React page imports this bundle at run time; build it alongside.
pkg-scripts/build-demo-react.sh

# The yew demo compiles the widget crate into its own Wasm and links the bundle's stylesheet.
pkg-scripts/build-demo-yew.sh
