#!/usr/bin/env bash
# Completes the bundle folder (default dist/survey-widget/, after wasm-bindgen and wasm-opt have
# written the glue and the .wasm into it) so that it is both what a web team hosts for the
# script tag and the npm package "survey-widget":
#   survey-widget.js          the classic loader, with the crate's version written in
#   index.mjs                 the ES module entry: mount(), load(); the loader imports it too
#   survey_widget.HASH.js     the glue,       \  named by a hash of their content, so a host
#   survey_widget_bg.HASH.wasm the widget,    |  may cache them for ever; index.mjs names
#   survey-widget.HASH.css    the stylesheet  /  them, and is rewritten here to do so
#   survey-widget.css         the stylesheet under a stable name, for apps that link it
#   index.d.ts                TypeScript declarations
#   package.json              name, version (from widget/Cargo.toml), exports, files, licence
#   README.md                 the package's readme
#   FILE.br, FILE.gz          Brotli and gzip copies of each file a browser fetches, which the
#                             collector sends by Accept-Encoding (pkg-scripts/precompress.mjs);
#                             not in the npm package
# The loader and index.mjs keep their names: web teams paste the one, modules import the other.
# Fails if the loader is no longer a classic script or is over its 6 KB gzipped budget.
# pkg-scripts/build.sh runs it; run it alone to refresh these files without recompiling.
set -euo pipefail
cd "$(dirname "$0")/.."

out=${1:-dist/survey-widget}
src=widget/loader
[ -f "$out/survey_widget.js" ] && [ -f "$out/survey_widget_bg.wasm" ] ||
  { echo "package.sh: $out/survey_widget.js or its .wasm is missing; run pkg-scripts/build.sh" >&2; exit 1; }

# The first 10 hex digits of a file's SHA-256: enough that two releases never collide.
content_hash() {
  sha256sum "$1" | cut -c1-10
}

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' widget/Cargo.toml | head -n 1)
license=$(sed -n 's/^license = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
[ -n "$version" ] && [ -n "$license" ] || { echo "package.sh: no version in widget/Cargo.toml or licence in Cargo.toml" >&2; exit 1; }

sed "s/version: \"dev\"/version: \"$version\"/" "$src/survey-widget.js" > "$out/survey-widget.js"
grep -q "version: \"$version\"" "$out/survey-widget.js" || { echo "package.sh: the loader has no version: \"dev\" to fill in" >&2; exit 1; }
cp "$src/index.d.ts" widget/assets/survey-widget.css "$out/"

# Content-hashed names. The glue names the .wasm only as a default that index.mjs overrides.
rm -f "$out"/survey_widget.*.js "$out"/survey_widget_bg.*.wasm "$out"/survey-widget.*.css "$out"/*.br "$out"/*.gz
wasm="survey_widget_bg.$(content_hash "$out/survey_widget_bg.wasm").wasm"
glue="survey_widget.$(content_hash "$out/survey_widget.js").js"
css="survey-widget.$(content_hash "$out/survey-widget.css").css"
mv "$out/survey_widget_bg.wasm" "$out/$wasm"
mv "$out/survey_widget.js" "$out/$glue"
cp "$out/survey-widget.css" "$out/$css"
sed -e "s|\"./survey_widget.js\"|\"./$glue\"|" -e "s|\"survey_widget_bg.wasm\"|\"$wasm\"|" \
    -e "s|\"survey-widget.css\"|\"$css\"|" "$src/index.mjs" > "$out/index.mjs"
for name in "$glue" "$wasm" "$css"; do
  grep -q "\"\(./\)\?$name\"" "$out/index.mjs" || { echo "package.sh: index.mjs does not name $name" >&2; exit 1; }
done
# The loader preloads the glue and the Wasm beside index.mjs: the same names.
sed -i -e "s|\"./survey_widget.js\"|\"./$glue\"|" -e "s|\"survey_widget_bg.wasm\"|\"$wasm\"|" "$out/survey-widget.js"
for name in "$glue" "$wasm"; do
  grep -q "\"\(./\)\?$name\"" "$out/survey-widget.js" || { echo "package.sh: survey-widget.js does not name $name" >&2; exit 1; }
done
cp "$src/package-readme.md" "$out/README.md"
cp widget/model/survey-definition.schema.json "$out/"

cat > "$out/package.json" <<JSON
{
  "name": "survey-widget",
  "version": "$version",
  "description": "An accessible, optionally anonymous survey for any web page: a yew component compiled to WebAssembly, mounted from plain JS, React or any framework, or with one script tag.",
  "keywords": ["survey", "form", "accessibility", "webassembly", "embed", "anonymous"],
  "license": "$license",
  "type": "module",
  "main": "./index.mjs",
  "module": "./index.mjs",
  "types": "./index.d.ts",
  "exports": {
    ".": {
      "types": "./index.d.ts",
      "default": "./index.mjs"
    },
    "./survey-widget.css": "./survey-widget.css",
    "./loader": "./survey-widget.js",
    "./survey-definition.schema.json": "./survey-definition.schema.json",
    "./package.json": "./package.json"
  },
  "files": [
    "index.mjs",
    "index.d.ts",
    "survey-widget.js",
    "$glue",
    "$wasm",
    "$css",
    "survey-widget.css",
    "survey-definition.schema.json"
  ],
  "sideEffects": [
    "./survey-widget.js",
    "./survey-widget.css"
  ]
}
JSON

# A classic script (what <script src> without type="module" runs): parse it as one.
if command -v node >/dev/null 2>&1; then
  node -e 'new (require("vm").Script)(require("fs").readFileSync(process.argv[1], "utf8"), { filename: process.argv[1] })' \
    "$out/survey-widget.js" || { echo "package.sh: survey-widget.js does not parse as a classic script" >&2; exit 1; }
fi
budget=6144
gz=$(gzip -9 -c "$out/survey-widget.js" | wc -c)
if [ "$gz" -gt "$budget" ]; then
  echo "package.sh: survey-widget.js is $gz bytes gzipped, over its budget of $budget" >&2
  exit 1
fi

# What a browser fetches, compressed once here rather than on every request.
node pkg-scripts/precompress.mjs "$out/survey-widget.js" "$out/index.mjs" "$out/$glue" "$out/$wasm" \
  "$out/$css" "$out/survey-widget.css" "$out/survey-definition.schema.json"
