// Lighthouse with its default mobile settings (simulated slow 4G, 4× CPU slowdown, a phone's
// screen) on the two pages a respondent lands on: the collector's own page for a survey
// (/s/{id}) and the demo site's blog post with the widget embedded. Debian's Chromium
// (CHROME_PATH, default /usr/bin/chromium); the servers as the end-to-end tests start them,
// with the collector's release build. Each page is measured LIGHTHOUSE_RUNS times (default 3)
// and the run with the median performance score is reported.
//
// Usage: node tests/lighthouse/run.mjs [--write]   (--write puts the table into BENCHMARKS.md,
// between its lighthouse markers). pkg-scripts/lighthouse.sh builds what it needs first.

import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { ROOT, startServer } from '../e2e/lib/server.mjs';

const RUNS = Number(process.env.LIGHTHOUSE_RUNS ?? 3);
const CHROME_PATH = process.env.CHROME_PATH ?? '/usr/bin/chromium';

/** One Lighthouse run in a fresh Chromium (nothing cached). */
async function audit(url) {
  const chrome = await chromeLauncher.launch({
    chromePath: CHROME_PATH,
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  try {
    const result = await lighthouse(url, {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['performance', 'accessibility', 'best-practices'],
    });
    const { categories, audits } = result.lhr;
    if (result.lhr.runtimeError) throw new Error(`${url}: ${result.lhr.runtimeError.message}`);
    const score = (name) => Math.round((categories[name].score ?? 0) * 100);
    return {
      performance: score('performance'),
      accessibility: score('accessibility'),
      bestPractices: score('best-practices'),
      fcp: audits['first-contentful-paint'].numericValue,
      lcp: audits['largest-contentful-paint'].numericValue,
      tbt: audits['total-blocking-time'].numericValue,
      cls: audits['cumulative-layout-shift'].numericValue,
      bytes: audits['total-byte-weight'].numericValue,
      version: result.lhr.lighthouseVersion,
    };
  } finally {
    await chrome.kill();
  }
}

/** The run with the median performance score. */
async function measure(url) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await audit(url));
  runs.sort((a, b) => a.performance - b.performance);
  return { ...runs[Math.floor(runs.length / 2)], scores: runs.map((r) => r.performance) };
}

function table(rows, version) {
  const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
  return [
    `Measured ${new Date().toISOString().slice(0, 10)} with Lighthouse ${version} (mobile defaults), ${RUNS} runs per page, the median one shown; Chromium \`${CHROME_PATH}\`.`,
    'Command: `pkg-scripts/lighthouse.sh`',
    '',
    '| page | performance (all runs) | accessibility | best practices | first contentful paint | largest contentful paint | total blocking time | layout shift | transferred |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(([name, r]) =>
      `| ${name} | ${r.performance} (${r.scores.join(', ')}) | ${r.accessibility} | ${r.bestPractices} | ${s(r.fcp)} | ${s(r.lcp)} | ${Math.round(r.tbt)} ms | ${r.cls.toFixed(3)} | ${Math.round(r.bytes / 1024)} KiB |`),
  ].join('\n');
}

function record(markdown) {
  const file = path.join(ROOT, 'BENCHMARKS.md');
  const text = readFileSync(file, 'utf8');
  const [start, end] = ['<!-- lighthouse:start -->', '<!-- lighthouse:end -->'];
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`BENCHMARKS.md has no ${start} … ${end} markers`);
  writeFileSync(file, `${text.slice(0, from + start.length)}\n${markdown}\n${text.slice(to)}`);
}

async function main() {
  process.env.SURVEY_COLLECTOR_BIN ??= path.join(process.env.CARGO_TARGET_DIR ?? path.join(ROOT, 'target'), 'release', 'survey-collector');
  const server = await startServer();
  try {
    const rows = [];
    for (const [name, url] of [
      ['`/s/digital-engagement` (the collector)', `${server.url}/s/digital-engagement`],
      ['the demo blog post (`/`, the widget embedded)', `${server.site}/`],
    ]) {
      process.stderr.write(`lighthouse: ${url} ×${RUNS}\n`);
      rows.push([name, await measure(url)]);
    }
    const markdown = table(rows, rows[0][1].version);
    process.stdout.write(`${markdown}\n`);
    if (process.argv.includes('--write')) record(markdown);
  } finally {
    await server.stop();
  }
}

main().catch((error) => {
  process.stderr.write(`lighthouse: ${error.stack ?? error}\n`);
  process.exit(1);
});
