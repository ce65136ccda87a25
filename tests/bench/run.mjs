// The side-by-side benchmark: the widget and SurveyJS 2.5.38 show the same surveys, in the same
// Chromium, served by the same collector, and are timed by the same probes (./page-probes.mjs).
// pkg-scripts/bench-widget.sh builds what it needs and runs this; BENCHMARKS.md explains the
// figures.
//
// Cases: 1× CPU, 4× CPU (Emulation.setCPUThrottlingRate), and 4× CPU on a slow-4G network.
// Each run is a fresh browser context (empty cache); the two sides alternate which goes first.
// For each case it reports the median of BENCH_RUNS runs (at least 7) of:
//   first question, interactive, memory (20-question survey); transferred bytes;
// and, at 1× and 4×, keystroke to next frame in a text field of the 200-question survey.
//
// Then it compares with tests/bench/budget.json (the figures BENCHMARKS.md records) and exits 1
// if a ratio got worse by more than the noise measured (the spread of the per-run ratios), or
// the widget's bytes grew past their allowance. --write records the new figures instead.
//
// BENCH_CASES=2,3 runs only those cases (numbered as above), for a quicker look; --write then
// refuses, since the record needs every case.
//
// Usage: node tests/bench/run.mjs [--write]   (after pkg-scripts/build.sh --widget-only and
//        cargo build --release -p survey-collector; pkg-scripts/bench-widget.sh does both)

import { readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { ROOT } from '../e2e/lib/server.mjs';
import { bundleBytes, checkBytes, gzipSize, readBudget, BUDGET_FILE } from './bytes.mjs';
import { installProbes } from './page-probes.mjs';
import { startServers } from './serve.mjs';
import { FIRST_TITLE, TYPING_QUESTION } from './surveys.mjs';
import { median, percentile, renderReport, spread } from './report.mjs';

const RUNS = Math.max(7, Number(process.env.BENCH_RUNS ?? 7));
const KEYSTROKES = Number(process.env.BENCH_KEYSTROKES ?? 20);
const write = process.argv.includes('--write');

/**
 * Lighthouse's mobile network with DevTools throttling (its "slow 4G"): 150 ms round trips and
 * 1.6 Mbit/s down, scaled as Lighthouse scales them for request-level throttling.
 */
const SLOW_4G = { offline: false, latency: 150 * 3.75, downloadThroughput: (1638.4 * 0.9 * 1024) / 8, uploadThroughput: (675 * 0.9 * 1024) / 8 };

const CASES = [
  { name: '1× CPU', cpu: 1, network: null, typing: true },
  { name: '4× CPU', cpu: 4, network: null, typing: true },
  { name: '4× CPU, slow 4G', cpu: 4, network: SLOW_4G, typing: false },
];
const SIDES = ['widget', 'surveyjs'];
const QUIET_MS = 500; // no long task for this long after the first question: interactive
const PAGE_TIMEOUT_MS = 90_000;

/** A phone-sized page with the probes in it and the case's throttling on. */
async function openPage(browser, benchCase) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const page = await context.newPage();
  page.setDefaultTimeout(PAGE_TIMEOUT_MS);
  await page.addInitScript(installProbes, FIRST_TITLE);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: benchCase.cpu });
  await cdp.send('Network.enable');
  if (benchCase.network) await cdp.send('Network.emulateNetworkConditions', benchCase.network);
  const transferred = new Map(); // URL → bytes on the wire (headers included, as DevTools counts)
  const urls = new Map();
  cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
  cdp.on('Network.loadingFinished', (e) => {
    const url = urls.get(e.requestId);
    if (url) transferred.set(url, (transferred.get(url) ?? 0) + e.encodedDataLength);
  });
  return { context, page, cdp, transferred };
}

/** Waits for the first question, then for a quiet main thread; returns both times (ms). */
async function waitInteractive(page) {
  await page.waitForFunction(() => window.__bench.firstQuestion !== null, null, { polling: 50 });
  return page.evaluate(
    (quiet) =>
      new Promise((resolve) => {
        const check = () => {
          const { firstQuestion, longTasks } = window.__bench;
          const busyUntil = Math.max(firstQuestion, ...longTasks.map(([, end]) => end));
          if (performance.now() - busyUntil >= quiet) resolve({ firstQuestion, interactive: busyUntil });
          else setTimeout(check, 50);
        };
        check();
      }),
    QUIET_MS,
  );
}

/** JS heap and array buffers (the Wasm memory is one) after a full collection, in bytes. */
async function memory(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  const usage = await cdp.send('Runtime.getHeapUsage');
  return usage.usedSize + (usage.backingStorageSize ?? 0);
}

/** One load of the 20-question survey: times, memory and bytes transferred per URL. */
async function loadRun(browser, servers, benchCase, side) {
  const { context, page, cdp, transferred } = await openPage(browser, benchCase);
  try {
    await page.goto(`${servers.site}/${side}/bench-20`);
    const times = await waitInteractive(page);
    const heap = await memory(cdp);
    const files = {};
    for (const [url, bytes] of transferred) {
      if (url.startsWith(servers.collector)) files[new URL(url).pathname] = bytes;
    }
    return { ...times, heap, files };
  } finally {
    await context.close();
  }
}

/** Types into the middle text field of the 200-question survey; each key's time to next frame. */
async function typingRun(browser, servers, benchCase, side) {
  const { context, page } = await openPage(browser, benchCase);
  try {
    await page.goto(`${servers.site}/${side}/bench-200`);
    await waitInteractive(page);
    const field = page.getByRole('textbox', { name: TYPING_QUESTION.title });
    await field.focus();
    for (let i = 1; i <= KEYSTROKES; i++) {
      await page.keyboard.press(String.fromCharCode(96 + ((i - 1) % 26) + 1));
      await page.evaluate(
        (n) => new Promise((resolve) => {
          const check = () => (window.__bench.keys.length >= n ? setTimeout(resolve, 30) : setTimeout(check, 5));
          check();
        }),
        i,
      );
    }
    const typed = await field.inputValue();
    if (typed.length !== KEYSTROKES) throw new Error(`${side}: typed ${KEYSTROKES} keys but the field holds "${typed}"`);
    return await page.evaluate(() => window.__bench.keys);
  } finally {
    await context.close();
  }
}

/** Each fetched file's size on disk, gzipped, and as transferred. */
function describeFiles(folders, transferred) {
  return Object.fromEntries(
    Object.entries(transferred).map(([pathname, bytes]) => {
      const name = pathname.split('/').pop();
      const folder = pathname.startsWith('/survey-widget/') ? folders.dist : pathname.startsWith('/surveys/') ? folders.surveys : null;
      // Anything else (the widget's reach report, say) has no file: only its transfer counts.
      if (!folder) return [pathname, { raw: null, gzip: null, transferred: bytes }];
      const file = path.join(folder, name);
      return [name, { raw: statSync(file).size, gzip: gzipSize(file), transferred: bytes }];
    }),
  );
}

/** Runs the sides in turn, alternating which goes first, `RUNS` times. */
async function alternate(run) {
  const results = { widget: [], surveyjs: [] };
  for (let i = 0; i < RUNS; i++) {
    const order = i % 2 === 0 ? SIDES : [...SIDES].reverse();
    for (const side of order) results[side].push(await run(side));
  }
  return results;
}

/** Medians per side, per-run ratios, and the spread of those ratios (the noise). */
function compare(results, pick) {
  const values = Object.fromEntries(SIDES.map((side) => [side, results[side].map(pick)]));
  const ratios = values.widget.map((w, i) => w / values.surveyjs[i]);
  return {
    widget: median(values.widget),
    surveyjs: median(values.surveyjs),
    ratio: median(values.widget) / median(values.surveyjs),
    noise: spread(ratios),
  };
}

function describeMachine() {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${os.cpus().length} cores (${cpu.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, Linux ${os.release()}, node ${process.version}; load average before the runs: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`;
}

async function main() {
  if (write && process.env.BENCH_CASES) throw new Error('--write records every case: unset BENCH_CASES');
  const started = new Date();
  const machine = describeMachine();
  const servers = await startServers();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  const cases = [];
  try {
    const version = browser.version();
    const only = process.env.BENCH_CASES?.split(',').map(Number);
    for (const benchCase of CASES.filter((_, i) => !only || only.includes(i + 1))) {
      process.stderr.write(`bench: ${benchCase.name}: loading the 20-question survey ${RUNS}× per side\n`);
      const loads = await alternate((side) => loadRun(browser, servers, benchCase, side));
      const result = {
        name: benchCase.name,
        firstQuestion: compare(loads, (r) => r.firstQuestion),
        interactive: compare(loads, (r) => r.interactive),
        heap: compare(loads, (r) => r.heap),
        transferred: compare(loads, (r) => Object.values(r.files).reduce((a, b) => a + b, 0)),
        files: Object.fromEntries(SIDES.map((side) => [side, describeFiles(servers.folders, loads[side][0].files)])),
      };
      if (benchCase.typing) {
        process.stderr.write(`bench: ${benchCase.name}: typing ${KEYSTROKES} keys into the 200-question survey ${RUNS}× per side\n`);
        const typing = await alternate((side) => typingRun(browser, servers, benchCase, side));
        result.typing = {
          median: compare(typing, (keys) => median(keys)),
          p90: compare(typing, (keys) => percentile(keys, 90)),
        };
      }
      cases.push(result);
    }
    const bytes = bundleBytes(servers.folders.dist);
    const report = { date: started.toISOString().slice(0, 10), machine, chromium: version, runs: RUNS, keystrokes: KEYSTROKES, cases, bytes };
    const markdown = renderReport(report);
    process.stdout.write(`${markdown}\n`);
    const failures = write ? [] : regressions(report, readBudget());
    if (write) record(report, markdown);
    for (const failure of failures) process.stderr.write(`bench: REGRESSION: ${failure}\n`);
    process.exitCode = failures.length ? 1 : 0;
  } finally {
    await browser.close();
    await servers.stop();
  }
}

/** What the budget gates: the 4× CPU ratios, and the widget's bytes. */
function gatedRatios(report) {
  const slow = report.cases.find((c) => c.name === '4× CPU');
  if (!slow) return {}; // a partial run (BENCH_CASES) gates only the bytes
  return {
    first_question_4x: slow.firstQuestion,
    interactive_4x: slow.interactive,
    keystroke_median_4x: slow.typing.median,
  };
}

/** The ways this run is worse than the budget, beyond the noise measured now or then. */
function regressions(report, budget) {
  const failures = [];
  for (const [name, now] of Object.entries(gatedRatios(report))) {
    const then = budget.ratios?.[name];
    if (!then) continue;
    const noise = Math.max(now.noise, then.noise);
    if (now.ratio > then.ratio * (1 + noise)) {
      failures.push(`${name}: ratio ${now.ratio.toFixed(2)}, recorded ${then.ratio.toFixed(2)}, noise ±${(noise * 100).toFixed(0)}%`);
    }
  }
  failures.push(...checkBytes(report.bytes, budget));
  return failures;
}

/** Writes the table into BENCHMARKS.md (between its markers) and the figures into budget.json. */
function record(report, markdown) {
  const file = path.join(ROOT, 'BENCHMARKS.md');
  const text = readFileSync(file, 'utf8');
  const start = '<!-- widget-bench:start -->';
  const end = '<!-- widget-bench:end -->';
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`BENCHMARKS.md has no ${start} … ${end} markers`);
  writeFileSync(file, `${text.slice(0, from + start.length)}\n${markdown}\n${text.slice(to)}`);
  const old = readBudget();
  const ratios = Object.fromEntries(Object.entries(gatedRatios(report)).map(([k, v]) => [k, { ratio: round(v.ratio), noise: round(v.noise) }]));
  const { gzip_total, brotli_total } = report.bytes;
  const budget = { ...old, measured: report.date, ratios, bytes: { ...old.bytes, gzip_total, brotli_total } };
  writeFileSync(BUDGET_FILE, `${JSON.stringify(budget, null, 2)}\n`);
  process.stderr.write(`bench: wrote BENCHMARKS.md and ${path.relative(ROOT, BUDGET_FILE)}\n`);
}

function round(x) {
  return Math.round(x * 1000) / 1000;
}

main().catch((error) => {
  process.stderr.write(`bench: ${error.stack ?? error}\n`);
  process.exit(2);
});
