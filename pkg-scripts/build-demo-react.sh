#!/usr/bin/env bash
# Builds the React demo (demo/react) into demo/site/pages/react/app.js, served at /embed-react.html.
# Installs its npm packages (react, react-dom, esbuild; exact versions from its committed
# package-lock.json) with `npm ci` the first time and whenever the lock file changes.
# pkg-scripts/build.sh runs it after the widget bundle.
set -euo pipefail
cd "$(dirname "$0")/../demo/react"

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "==> installing the React demo's npm packages (npm ci in demo/react)"
  npm ci --no-audit --no-fund
fi
echo "==> building the React demo (esbuild)"
npm run --silent build
