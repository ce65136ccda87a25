// The survey editor's benchmark (issue 16): "Editing a 50-question survey stays smooth:
// keystroke to preview under 50 ms at 4× CPU throttle". pkg-scripts/bench-editor.sh builds what
// it needs and runs this; BENCHMARKS.md ("The survey editor") keeps the figures.
//
// It starts the release collector with a fresh data folder, saves a 50-question draft (ten pages
// of five questions) through the admin API, signs in through the form in Chromium and opens the
// draft in the editor. Then, at 1× and at 4× CPU (Emulation.setCPUThrottlingRate), it types one
// character at a time at the end of a question's title, in two cases:
//   - question 3, with the preview on page 1 (where the preview opens);
//   - question 25, with the preview moved on to page 5 by its own Continue button, so the
//     question being edited is on screen in the preview, as an author would look at it.
// The first 5 keystrokes of each case warm up and are not counted; the next BENCH_KEYSTROKES
// (at least 30) are. Each keystroke is measured on its own: the next one is pressed only once
// the preview has shown this one, and a short pause later (a person types about 5 to 10 keys a
// second), so one slow key does not make the next one look slow.
//
// What is measured, in the page, on its own clock (performance.now()). Every time starts at the
// keydown event's time stamp, which the browser sets when the key arrives, before the page's
// main thread gets to it, so any wait for a busy (or throttled) main thread is counted.
//   - input echo: to the end of the next frame after the keydown: the frame that paints the
//     typed character in the editor's own field. (Chromium runs keydown, the insertion of the
//     letter and the input event in one task, and yew renders the editor in that task's
//     microtasks, as a DevTools trace shows, so no frame comes between the key and the echo.)
//   - preview event: to the moment the editor sends the definition as `survey-editor:preview`
//     (a capturing listener on window, which runs before the page script's listener): the
//     editor's own work for a keystroke before the preview (the change applied, the model's
//     check, the JSON written). The editor sends it from its input handler; it draws the rest
//     of its form only after the frame that shows the keystroke, in a task of background
//     priority (editor/src/store.rs), which the normal-priority task this page posts to find
//     that frame's end (below) runs before.
//   - preview updated: to the return of the page script's `handle.update(text)` (a listener on
//     the preview's element added after the page script's, so it runs just after it).
//   - preview shown: to the end of the first frame in which the preview's shadow root holds
//     the question's new title (a MutationObserver on the shadow root notices the text; the
//     frame after that is the one that paints it). This is "keystroke to preview": what issue 16
//     asks to keep under 50 ms at 4×.
// "End of the next frame" is as in ./page-probes.mjs: a task posted from that frame's
// requestAnimationFrame callback runs once the frame has been produced.
//
// Also the renderer main thread's time per counted keystroke (DevTools Performance.getMetrics)
// and the size of the page's DOM, to show where the time goes.
//
// Prints Markdown tables. Exits 1 if the slower of the two 4× "preview shown" medians exceeds
// 50 ms (the figures are printed either way). --write records the tables in BENCHMARKS.md,
// between its editor-bench markers.
//
// Settings (environment, optional): BENCH_KEYSTROKES (30, at least 30), CHROMIUM
// (/usr/bin/chromium), BENCH_EDITOR_PROFILE=FILE.cpuprofile to record a CPU profile (CDP
// Profiler) of the 4× question-25 keystrokes, to see where their time goes, and
// BENCH_EDITOR_TRACE=FILE.json to record a DevTools trace of them (style, layout, paint: the
// browser's own work, which a CPU profile shows only as "(program)"). Either slows that case a
// little: do not --write a profiled run.
//
// Usage: node tests/bench/editor.mjs [--write]   (after pkg-scripts/build.sh --widget-only,
//        pkg-scripts/build-editor.sh and cargo build --release -p survey-collector;
//        pkg-scripts/bench-editor.sh does all three)

import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { ROOT, spawnServer } from '../e2e/lib/server.mjs';
import { median, percentile } from './report.mjs';

const SURVEY_ID = 'bench-editor';
const WARM_UP = 5;
const KEYSTROKES = Math.max(30, Number(process.env.BENCH_KEYSTROKES ?? 30));
const GOAL_MS = 50;
const PAUSE_MS = 120; // between one keystroke's preview and the next key
const KEY_TIMEOUT_MS = 10_000;
const RATES = [1, 4];
const BENCHMARKS = path.join(ROOT, 'BENCHMARKS.md');
const MARKERS = ['<!-- editor-bench:start -->', '<!-- editor-bench:end -->'];

const args = process.argv.slice(2);
const write = args.includes('--write');
for (const arg of args) {
  if (arg !== '--write') throw new Error(`unknown argument ${arg}; usage: node tests/bench/editor.mjs [--write]`);
}

/** playwright-core from tests/bench if its packages are installed, else from tests/e2e. */
function loadPlaywright() {
  for (const dir of ['tests/bench', 'tests/e2e']) {
    try {
      return createRequire(path.join(ROOT, dir, 'package.json'))('playwright-core');
    } catch (error) {
      if (error.code !== 'MODULE_NOT_FOUND') throw error;
    }
  }
  throw new Error('playwright-core is not installed: run `npm ci` in tests/e2e (or tests/bench)');
}

// ------------------------------------------------------------------------------ the survey ---

const TOPICS = [
  'how you first heard about the service',
  'how easy the website was to use',
  'how long you waited for an answer',
  'what you came to do today',
  'how clear the letters we sent were',
  'how helpful the staff on the phone were',
  'what you would change first',
  'how often you use the service',
  'how safe you felt using it',
  'how likely you are to recommend it',
];

/** Question n (1 to 50): a single choice with 4 options, a text or a rating, in turn. */
function question(n) {
  const id = `q${n}`;
  const title = `Question ${n}: tell us ${TOPICS[(n - 1) % TOPICS.length]}`;
  switch ((n - 1) % 3) {
    case 0:
      return {
        id,
        type: 'single_choice',
        title,
        options: [
          { value: 'a', label: 'Very well' },
          { value: 'b', label: 'Well' },
          { value: 'c', label: 'Not well' },
          { value: 'd', label: 'Not at all' },
        ],
      };
    case 1:
      return { id, type: 'text', title, hint: 'A few words are enough.', max_length: 200 };
    default:
      return { id, type: 'rating', title, min: 1, max: 5, min_label: 'Very poor', max_label: 'Very good' };
  }
}

/** Fifty questions on ten pages, one language; none required, so the preview can move on. */
function benchSurvey() {
  return {
    format: 1,
    id: SURVEY_ID,
    title: 'A long survey for the editor benchmark',
    description: 'Fifty questions on ten pages.',
    pages: Array.from({ length: 10 }, (_, p) => ({
      id: `page${p + 1}`,
      title: `Part ${p + 1}`,
      questions: Array.from({ length: 5 }, (_, k) => question(p * 5 + k + 1)),
    })),
  };
}

const CASES = [
  { question: 3, page: 1, field: '#ed-pages-0-questions-2-title' },
  { question: 25, page: 5, field: '#ed-pages-4-questions-4-title' },
];

// -------------------------------------------------------------------------- the collector ---

async function startCollector() {
  const data = mkdtempSync(path.join(os.tmpdir(), 'bench-editor-data-'));
  const token = randomBytes(20).toString('hex'); // 40 characters
  process.env.SURVEY_COLLECTOR_BIN ??= path.join(process.env.CARGO_TARGET_DIR ?? path.join(ROOT, 'target'), 'release', 'survey-collector');
  const collector = await spawnServer('survey-collector', {
    PORT: '0',
    DATA_DIR: data,
    SURVEYS_DIR: path.join(ROOT, 'demo', 'surveys'),
    DIST_DIR: path.join(ROOT, 'dist', 'survey-widget'),
    EDITOR_DIR: path.join(ROOT, 'dist', 'survey-editor'),
    ADMIN_TOKEN: token,
    RATE_LIMIT_PER_MINUTE: '0',
  });
  return {
    url: collector.url,
    token,
    stop: async () => {
      await collector.stop();
      rmSync(data, { recursive: true, force: true });
    },
  };
}

/**
 * Saves the survey as its draft (again before each CPU rate, so every rate starts from the same
 * text: the editor saves what was typed by itself). A bearer token needs no Origin header: only
 * a browser's session cookie is checked against cross-site forgery.
 */
async function saveDraft(collector) {
  const response = await fetch(`${collector.url}/admin/api/surveys/${SURVEY_ID}/draft`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${collector.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(benchSurvey(), null, 2),
  });
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new Error(`PUT the draft answered ${response.status}: ${JSON.stringify(body)}`);
  if (!body.publishable) throw new Error(`the benchmark's survey has problems: ${JSON.stringify(body.problems)}`);
}

// ------------------------------------------------------------------------------ the page ---

/** Runs in the page: the probes for one case (see the top of this file). */
function installProbes({ field, expected }) {
  const input = document.querySelector(field);
  const host = document.getElementById('survey-editor-preview');
  const root = host.shadowRoot;
  const probe = { keys: [], waiting: null };
  window.__editorBench = probe;
  // Resolves once keystroke n has reached the screen on both sides. The runner waits on this
  // rather than polling the page, which would add tasks of its own to the main thread.
  const settle = () => {
    const key = probe.waiting && probe.keys[probe.waiting.n];
    if (key && key.echo !== null && key.shown !== null) {
      probe.waiting.resolve();
      probe.waiting = null;
    }
  };
  probe.done = (n) => new Promise((resolve) => {
    probe.waiting = { n, resolve };
    settle();
  });
  const afterNextFrame = (record) =>
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => record(performance.now());
      channel.port2.postMessage(null);
    });
  const current = () => probe.keys[probe.keys.length - 1];
  // Only what changed is read (the changed text, or the element whose children changed), so the
  // probe adds next to nothing to the frame it measures.
  const check = (records) => {
    const key = current();
    if (!key || key.domAt !== null) return;
    if (!records.some((record) => (record.target.textContent || '').includes(key.expected))) return;
    key.domAt = performance.now() - key.start;
    afterNextFrame((now) => {
      key.shown = now - key.start;
      settle();
    });
  };
  input.addEventListener(
    'keydown',
    (event) => {
      const key = { start: event.timeStamp, expected: expected[probe.keys.length], echo: null, sent: null, updated: null, domAt: null, shown: null };
      probe.keys.push(key);
      afterNextFrame((now) => {
        key.echo = now - key.start;
        settle();
      });
    },
    true,
  );
  window.addEventListener(
    'survey-editor:preview',
    () => {
      const key = current();
      if (key && key.sent === null) key.sent = performance.now() - key.start;
    },
    true,
  );
  host.addEventListener('survey-editor:preview', () => {
    const key = current();
    if (key && key.updated === null) key.updated = performance.now() - key.start;
  });
  new MutationObserver(check).observe(root, { subtree: true, childList: true, characterData: true });
}

/** Signs in through the form and opens the draft in the editor, with the preview mounted. */
async function openEditor(browser, collector) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  await page.goto(`${collector.url}/admin/editor/${SURVEY_ID}`);
  await page.getByLabel('Admin token').fill(collector.token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${collector.url}/admin/editor/${SURVEY_ID}`);
  await page.locator('#survey-editor-preview[data-preview-ready="true"]').waitFor({ state: 'attached' });
  for (const c of CASES) {
    if ((await page.locator(c.field).count()) !== 1) throw new Error(`the editor has no field ${c.field}`);
  }
  await preview(page).getByText(question(1).title).first().waitFor();
  return { context, page, cdp: await context.newCDPSession(page) };
}

function preview(page) {
  return page.locator('#survey-editor-preview');
}

/** Moves the preview on, with its Continue button, until `pageNumber` is shown. */
async function showPreviewPage(page, pageNumber) {
  for (let p = 2; p <= pageNumber; p++) {
    await preview(page).getByRole('button', { name: 'Continue', exact: true }).click();
    await preview(page).getByText(question((p - 1) * 5 + 1).title).first().waitFor();
  }
}

/** The renderer main thread's time so far (Performance.getMetrics), in ms, by kind; the DOM's size. */
async function mainThread(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const value = (name) => metrics.find((m) => m.name === name)?.value ?? NaN;
  return {
    task: 1000 * value('TaskDuration'),
    script: 1000 * value('ScriptDuration'),
    style: 1000 * value('RecalcStyleDuration'),
    layout: 1000 * value('LayoutDuration'),
    nodes: value('Nodes'),
  };
}

/** The main thread's time per counted keystroke between two readings of mainThread(), and the DOM's size. */
function perKeystroke(start, end) {
  const times = ['task', 'script', 'style', 'layout'].map((kind) => [kind, (end[kind] - start[kind]) / KEYSTROKES]);
  return { ...Object.fromEntries(times), nodes: end.nodes };
}

/** `promise`, or an error once KEY_TIMEOUT_MS have passed. */
async function withTimeout(promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not on screen after ${KEY_TIMEOUT_MS / 1000} s`)), KEY_TIMEOUT_MS);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Types into one question's title; resolves to each counted keystroke's times (ms) and the main
 * thread's time per keystroke.
 */
async function typingCase(page, cdp, benchCase, profile) {
  const field = page.locator(benchCase.field);
  // On screen on both sides: the question in the preview (which scrolls on its own, beside the
  // editor), then the field in the editor.
  await preview(page).getByText(question(benchCase.question).title).first().scrollIntoViewIfNeeded();
  await field.scrollIntoViewIfNeeded();
  await field.focus();
  await page.keyboard.press('End');
  const before = await field.inputValue();
  const typed = Array.from({ length: WARM_UP + KEYSTROKES }, (_, i) => String.fromCharCode(97 + (i % 26)));
  const expected = typed.map((_, i) => before + typed.slice(0, i + 1).join(''));
  await page.evaluate(installProbes, { field: benchCase.field, expected });
  let metricsBefore;
  for (let i = 0; i < typed.length; i++) {
    if (i === WARM_UP) metricsBefore = await mainThread(cdp);
    if (i === WARM_UP && profile?.cpu) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }
    if (i === WARM_UP && profile?.trace) {
      await page.context().browser().startTracing(page, { path: profile.trace, categories: ['devtools.timeline', 'blink', 'v8'] });
    }
    await page.keyboard.press(typed[i]);
    await withTimeout(page.evaluate((n) => window.__editorBench.done(n), i), `question ${benchCase.question}, keystroke ${i + 1}`);
    await page.waitForTimeout(PAUSE_MS);
  }
  const work = perKeystroke(metricsBefore, await mainThread(cdp));
  if (profile?.cpu) writeFileSync(profile.cpu, JSON.stringify((await cdp.send('Profiler.stop')).profile));
  if (profile?.trace) await page.context().browser().stopTracing();
  const value = await field.inputValue();
  if (value !== expected.at(-1)) throw new Error(`question ${benchCase.question}: the field holds "${value}", not "${expected.at(-1)}"`);
  const keys = await page.evaluate(() => window.__editorBench.keys);
  if (keys.length !== typed.length) throw new Error(`question ${benchCase.question}: ${keys.length} keydowns for ${typed.length} keys`);
  return { keys: keys.slice(WARM_UP), work };
}

/**
 * The floor: the same keystroke-to-next-frame probe on a page holding one bare text field and
 * nothing else, in the same browser at the same CPU rate. No page can echo a key sooner than
 * this here, so it shows how much of the editor's figures is the editor's own.
 */
async function plainFieldEcho(browser, rate) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    await page.setContent('<!doctype html><html lang="en"><title>A bare field</title><label for="plain">Text</label><input id="plain">');
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate });
    await page.locator('#plain').focus();
    await page.evaluate(() => {
      const keys = [];
      window.__plainKeys = keys;
      document.getElementById('plain').addEventListener('keydown', (event) => {
        const key = { start: event.timeStamp, echo: null };
        keys.push(key);
        requestAnimationFrame(() => {
          const channel = new MessageChannel();
          channel.port1.onmessage = () => { key.echo = performance.now() - key.start; };
          channel.port2.postMessage(null);
        });
      }, true);
    });
    for (let i = 0; i < WARM_UP + KEYSTROKES; i++) {
      await page.keyboard.press(String.fromCharCode(97 + (i % 26)));
      await page.waitForFunction((n) => window.__plainKeys[n]?.echo != null, i);
      await page.waitForTimeout(PAUSE_MS);
    }
    const echoes = (await page.evaluate(() => window.__plainKeys.map((k) => k.echo))).slice(WARM_UP);
    return { median: median(echoes), p90: percentile(echoes, 90) };
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------------------- the report ---

const MEASURES = [
  ['echo', 'input echo (next frame)'],
  ['sent', 'editor sends the preview event'],
  ['updated', 'preview `handle.update()` returned'],
  ['shown', '**preview shows the text (next frame)**'],
];

function summarise(keys) {
  return Object.fromEntries(
    MEASURES.map(([measure]) => {
      const values = keys.map((k) => k[measure]);
      if (values.some((v) => v === null)) throw new Error(`a keystroke has no "${measure}" time`);
      return [measure, { median: median(values), p90: percentile(values, 90) }];
    }),
  );
}

const ms = (x) => `${x.toFixed(1)} ms`;

function renderTable(report) {
  const lines = [
    `Measured ${report.date} on ${report.machine}; ${report.chromium}; the editor's build ${report.editorBuild}; ${KEYSTROKES} keystrokes per case after ${WARM_UP} warm-up ones.`,
    'Command: `pkg-scripts/bench-editor.sh`',
    '',
    '| CPU | typing into | preview on | from the keystroke to | median | p90 |',
    '|---|---|---|---|---:|---:|',
  ];
  for (const r of report.results) {
    for (const [measure, label] of MEASURES) {
      const s = r.summary[measure];
      lines.push(`| ${r.rate}× | question ${r.question}'s title | page ${r.page} | ${label} | ${ms(s.median)} | ${ms(s.p90)} |`);
    }
  }
  for (const [rate, s] of Object.entries(report.floor)) {
    lines.push(`| ${rate}× | a bare text field alone on a page (the floor) | – | input echo (next frame) | ${ms(s.median)} | ${ms(s.p90)} |`);
  }
  lines.push(
    '',
    'The main thread\'s time per counted keystroke (DevTools `Performance.getMetrics`, all tasks, the pauses between keys included):',
    '',
    '| CPU | typing into | tasks | of which script | style | layout | DOM nodes in the page |',
    '|---|---|---:|---:|---:|---:|---:|',
  );
  for (const r of report.results) {
    const w = r.work;
    lines.push(`| ${r.rate}× | question ${r.question}'s title | ${ms(w.task)} | ${ms(w.script)} | ${ms(w.style)} | ${ms(w.layout)} | ${w.nodes} |`);
  }
  const worst = report.verdict.worst;
  lines.push(
    '',
    `Goal (issue 16): keystroke to preview under ${GOAL_MS} ms at 4× CPU, median: ${report.verdict.met ? 'met' : 'missed'} (${ms(worst)}, the slower of the two 4× cases).`,
    `Of that, ${ms(report.floor[4].median)} is the floor: the next frame after a key in a bare text field on an empty page, at 4× here. The editor and the preview add ${ms(worst - report.floor[4].median)} to it (at 1×: ${ms(report.verdict.worst1 - report.floor[1].median)}).`,
  );
  return lines.join('\n');
}

function describeMachine() {
  const cpu = os.cpus()[0]?.model?.trim() ?? 'unknown CPU';
  return `${os.cpus().length} cores (${cpu}), ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, Linux ${os.release()}, node ${process.version}; load average before the run: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`;
}

/** Which build of the editor was measured: its Wasm file's size and the start of its SHA-256. */
function describeEditorBuild() {
  const wasm = readFileSync(path.join(ROOT, 'dist', 'survey-editor', 'survey_editor_bg.wasm'));
  return `\`survey_editor_bg.wasm\` ${wasm.length} bytes, SHA-256 ${createHash('sha256').update(wasm).digest('hex').slice(0, 12)}`;
}

function writeBenchmarks(table) {
  const text = readFileSync(BENCHMARKS, 'utf8');
  const start = text.indexOf(MARKERS[0]);
  const end = text.indexOf(MARKERS[1]);
  if (start < 0 || end < start) throw new Error(`BENCHMARKS.md has no ${MARKERS[0]} … ${MARKERS[1]} section`);
  writeFileSync(BENCHMARKS, `${text.slice(0, start + MARKERS[0].length)}\n${table}\n${text.slice(end)}`);
}

// ------------------------------------------------------------------------------------ run ---

async function main() {
  const { chromium } = loadPlaywright();
  const date = new Date().toISOString().slice(0, 10);
  const machine = describeMachine();
  const editorBuild = describeEditorBuild();
  const collector = await startCollector();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  const chromiumVersion = browser.version();
  const results = [];
  const floor = {};
  try {
    for (const rate of RATES) {
      process.stderr.write(`bench-editor: ${rate}× CPU, a bare text field (the floor)\n`);
      floor[rate] = await plainFieldEcho(browser, rate);
    }
    for (const rate of RATES) {
      await saveDraft(collector);
      const { context, page, cdp } = await openEditor(browser, collector);
      try {
        await cdp.send('Performance.enable');
        await cdp.send('Emulation.setCPUThrottlingRate', { rate });
        for (const benchCase of CASES) {
          process.stderr.write(`bench-editor: ${rate}× CPU, typing into question ${benchCase.question} (preview on page ${benchCase.page})\n`);
          await showPreviewPage(page, benchCase.page);
          const profiled = rate === 4 && benchCase.question === 25;
          const profile = profiled ? { cpu: process.env.BENCH_EDITOR_PROFILE, trace: process.env.BENCH_EDITOR_TRACE } : undefined;
          const { keys, work } = await typingCase(page, cdp, benchCase, profile);
          results.push({ rate, ...benchCase, summary: summarise(keys), work });
        }
      } finally {
        await context.close();
      }
    }
  } finally {
    await browser.close();
    await collector.stop();
  }
  const worst = Math.max(...results.filter((r) => r.rate === 4).map((r) => r.summary.shown.median));
  const worst1 = Math.max(...results.filter((r) => r.rate === 1).map((r) => r.summary.shown.median));
  const report = {
    date,
    machine,
    editorBuild,
    chromium: `headless Chromium ${chromiumVersion} (Debian, \`${process.env.CHROMIUM ?? '/usr/bin/chromium'}\`)`,
    results,
    floor,
    verdict: { worst, worst1, met: worst <= GOAL_MS },
  };
  const table = renderTable(report);
  process.stdout.write(`${table}\n`);
  if (write) {
    writeBenchmarks(table);
    process.stderr.write('bench-editor: recorded in BENCHMARKS.md\n');
  }
  if (!report.verdict.met) {
    process.stderr.write(`bench-editor: the 4× median keystroke to preview is ${ms(worst)}, over ${GOAL_MS} ms\n`);
    process.exitCode = 1;
  }
}

await main();
