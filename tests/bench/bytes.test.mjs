// The byte budget can fail: `bytes.mjs` passes with a budget equal to the bundle as built, and
// fails (exit 1) with one a byte too small, once past the allowance. Runs against the bundle in
// dist/survey-widget (pkg-scripts/build.sh writes it), with budgets written to a temp folder.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleBytes, checkBytes } from './bytes.mjs';

const SCRIPT = fileURLToPath(new URL('./bytes.mjs', import.meta.url));
const DIST = fileURLToPath(new URL('../../dist/survey-widget', import.meta.url));

function runWithBudget(bytes) {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'bytes-budget-')), 'budget.json');
  writeFileSync(file, JSON.stringify({ bytes }));
  return spawnSync(process.execPath, [SCRIPT, DIST, file], { encoding: 'utf8' });
}

test('the bundle as built is within a budget of its own size, and over one a byte smaller', () => {
  const { gzip_total, brotli_total } = bundleBytes(DIST);
  assert.ok(gzip_total > 50_000 && brotli_total > 50_000, `measured ${gzip_total} and ${brotli_total} bytes`);

  const exact = runWithBudget({ gzip_total, brotli_total, allowance: 0 });
  assert.equal(exact.status, 0, exact.stderr);

  const gzipOver = runWithBudget({ gzip_total: gzip_total - 1, brotli_total, allowance: 0 });
  assert.equal(gzipOver.status, 1, 'one gzipped byte over the budget fails');
  assert.match(gzipOver.stderr, /OVER BUDGET: gzip_total is \d+ bytes, over the recorded \d+ \+ 0 allowance by 1\b/);

  const brotliOver = runWithBudget({ gzip_total, brotli_total: brotli_total - 1000, allowance: 999 });
  assert.equal(brotliOver.status, 1, 'past the allowance fails');
  assert.match(brotliOver.stderr, /brotli_total .* by 1\b/);

  const withinAllowance = runWithBudget({ gzip_total: gzip_total - 500, brotli_total, allowance: 500 });
  assert.equal(withinAllowance.status, 0, withinAllowance.stderr);
});

test('a budget without figures fails rather than passing everything', () => {
  assert.deepEqual(checkBytes({ gzip_total: 1, brotli_total: 1 }, {}), ['the budget has no bytes.gzip_total', 'the budget has no bytes.brotli_total']);
  assert.equal(runWithBudget({}).status, 1);
});
