// The widget's byte budget: what a page downloads to show the first question (the loader,
// index.mjs, the glue, the Wasm and the stylesheet), gzipped at level 9 and as the Brotli copies
// the build writes (what the collector sends to a browser). Bytes are not noisy, so
// pkg-scripts/test.sh checks them on every run against tests/bench/budget.json; the benchmark
// (./run.mjs --write) records new figures there. The allowance lets a small feature land
// without a budget change; anything bigger is a deliberate edit of budget.json.
//
// Usage: node tests/bench/bytes.mjs [DIST_DIR [BUDGET_FILE]]   (exit 1 when over budget)
// Node's own modules only: test.sh runs it without installing tests/bench's packages.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants, gzipSync } from 'node:zlib';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const BUDGET_FILE = path.join(HERE, 'budget.json');
const DEFAULT_DIST = path.join(HERE, '..', '..', 'dist', 'survey-widget');

/** The bundle files the first question needs, by kind, as pkg-scripts/package.sh names them. */
const KINDS = {
  loader: /^survey-widget\.js$/,
  index: /^index\.mjs$/,
  glue: /^survey_widget\.[0-9a-f]{10}\.js$/,
  wasm: /^survey_widget_bg\.[0-9a-f]{10}\.wasm$/,
  css: /^survey-widget\.[0-9a-f]{10}\.css$/,
};

export function gzipSize(file) {
  return gzipSync(readFileSync(file), { level: constants.Z_BEST_COMPRESSION }).length;
}

/** Each first-question file's raw, gzip -9 and Brotli (.br copy) size, and the totals. */
export function bundleBytes(dist = DEFAULT_DIST) {
  const names = readdirSync(dist);
  const files = {};
  for (const [kind, pattern] of Object.entries(KINDS)) {
    const found = names.filter((n) => pattern.test(n));
    if (found.length !== 1) throw new Error(`bytes: expected one ${kind} file in ${dist}, found ${found.length}; run pkg-scripts/build.sh`);
    const file = path.join(dist, found[0]);
    if (!existsSync(`${file}.br`)) throw new Error(`bytes: ${file}.br is missing; run pkg-scripts/build.sh`);
    files[found[0]] = { raw: statSync(file).size, gzip: gzipSize(file), brotli: statSync(`${file}.br`).size };
  }
  const total = (key) => Object.values(files).reduce((sum, f) => sum + f[key], 0);
  return { files, gzip_total: total('gzip'), brotli_total: total('brotli') };
}

export function readBudget(file = BUDGET_FILE) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** The ways `bytes` is over `budget` by more than its allowance: empty when within. */
export function checkBytes(bytes, budget) {
  const allowance = budget.bytes?.allowance ?? 0;
  const failures = [];
  for (const key of ['gzip_total', 'brotli_total']) {
    const limit = budget.bytes?.[key];
    if (typeof limit !== 'number') {
      failures.push(`the budget has no bytes.${key}`);
    } else if (bytes[key] > limit + allowance) {
      failures.push(`${key} is ${bytes[key]} bytes, over the recorded ${limit} + ${allowance} allowance by ${bytes[key] - limit - allowance}`);
    }
  }
  return failures;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [dist = DEFAULT_DIST, budgetFile = BUDGET_FILE] = process.argv.slice(2);
  try {
    const bytes = bundleBytes(dist);
    const budget = readBudget(budgetFile);
    const failures = checkBytes(bytes, budget);
    const allowance = budget.bytes?.allowance ?? 0;
    console.log(`bytes: first question ${bytes.gzip_total} gzipped (budget ${budget.bytes?.gzip_total} + ${allowance}), ${bytes.brotli_total} Brotli (budget ${budget.bytes?.brotli_total} + ${allowance})`);
    for (const failure of failures) console.error(`bytes: OVER BUDGET: ${failure}`);
    process.exitCode = failures.length ? 1 : 0;
  } catch (error) {
    console.error(error.message);
    process.exitCode = 2;
  }
}
