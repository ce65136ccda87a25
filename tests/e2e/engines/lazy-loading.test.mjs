// Lazy loading in WebKit and Firefox. The loader imports index.mjs only when a widget is
// within 300 px of the viewport. Twenty loads of a page with the widget in view at once, and
// twenty of a long page scrolled down to it: every one must request the module by itself,
// promptly, while the test sends the browser nothing at all (a WebDriver command can make the
// browser paint, and WebKit started loading an in-view widget only when something repainted the
// page, or about 2 s later). The gate in front of the collector sees the request, so watching
// needs no command either. The loader is held back 300 ms, as on a slow connection, so it runs
// after the page's first paint, which is when WebKit stalled.
//
// The times (loader arrived, or page scrolled, to module requested) go to
// artifacts/lazy-loading-ENGINE.json for BENCHMARKS.md; they are measured, not asserted: the
// bound below only tells a stall from a load.

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ARTIFACTS } from '../lib/browser.mjs';
import { forEachEngine, journey } from '../lib/webdriver-suite.mjs';
import { eventually } from '../lib/webdriver-pages.mjs';

const LOADS = 20;
/**
 * A stall, not a slow load: how long the module may take to be requested after the loader
 * arrived (or the page scrolled) while nobody touches the browser. Loads here take tens of ms;
 * WebKit's stalls lasted about 2 s, or until a repaint.
 */
const STALL_MS = 1_000;
/** How long the gate holds the loader back: it then runs after the page's first paint. */
const LOADER_DELAY_MS = 300;
const INDEX = '/survey-widget/index.mjs';
const LOADER = '/survey-widget/survey-widget.js';

const head = (title) => `<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="stylesheet" href="/e2e-lazy.css">
<script src="{{collector}}/survey-widget/survey-widget.js" async referrerpolicy="no-referrer"></script>`;
const widget = '<survey-widget id="survey" src="{{collector}}/surveys/digital-engagement.json" endpoint="{{collector}}/api/responses"></survey-widget>';

const PAGES = {
  'e2e-lazy.css': '.e2e-spacer { height: 4000px; }\n',
  'e2e-lazy-in-view.html': `<!doctype html><html lang="en"><head>${head('In view at load')}</head>
<body><main><h1>A survey at the top</h1>${widget}</main></body></html>`,
  'e2e-lazy-below.html': `<!doctype html><html lang="en"><head>${head('Further down')}</head>
<body><main><h1>A long article</h1><div class="e2e-spacer"></div>${widget}<p>The end.</p></main></body></html>`,
};

/** A list of times in ms, rounded to 0.1 ms, with its median, 90th percentile and slowest. */
function summarise(times) {
  const rounded = times.map((t) => Math.round(t * 10) / 10);
  const sorted = [...rounded].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return { loads: sorted.length, median: at(0.5), p90: at(0.9), max: sorted[sorted.length - 1], times: rounded };
}

/**
 * Waits, sending the browser nothing, until the gate has seen `count` requests for index.mjs,
 * and fails if that takes STALL_MS after `since()` (a time from Date.now(), or null while the
 * moment to count from has not come yet).
 */
async function moduleRequested(gate, count, since, what) {
  const giveUp = Date.now() + 30_000;
  while (gate.requestsFor(INDEX).length < count) {
    const from = since();
    assert.ok(from === null || Date.now() - from < STALL_MS, `${what}: index.mjs was not requested within ${STALL_MS} ms while the browser was left alone`);
    assert.ok(Date.now() < giveUp, `${what}: the loader never arrived`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Resource Timing for this load's index.mjs and loader: when the module's request started and
 * when the loader's answer had arrived, in ms after the navigation began. A request is listed
 * once its answer has arrived, so this waits for it.
 */
function pageTimes(session, what) {
  return eventually(async () => {
    const times = await session.execute(
      (index, loader) => {
        const last = (p) => performance.getEntriesByType('resource').filter((e) => new URL(e.name).pathname === p).pop();
        return { moduleStart: last(index)?.startTime ?? null, loaderEnd: last(loader)?.responseEnd ?? null };
      },
      INDEX,
      LOADER,
    );
    assert.equal(typeof times.moduleStart, 'number', `${what}: the page's Resource Timing lists index.mjs`);
    return times;
  });
}

forEachEngine({ pages: PAGES }, (suite, engine) => {
  const results = { engine: engine.label, browser: undefined, inView: null, scrolled: null };
  /** Writes what has been measured so far to artifacts/lazy-loading-ENGINE.json. */
  const save = () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(path.join(ARTIFACTS, `lazy-loading-${engine.name}.json`), `${JSON.stringify(results, null, 2)}\n`);
  };

  journey(suite, `in view at load: ${LOADS} loads each request the module without any nudge`, async () => {
    const { session, server } = suite;
    results.browser = session.browser;
    server.gate.uncached(INDEX);
    server.gate.uncached(LOADER);
    server.gate.delay(LOADER, LOADER_DELAY_MS);
    await session.setWindowSize(1280, 800);
    const times = [];
    for (let load = 1; load <= LOADS; load++) {
      const before = server.gate.requestsFor(INDEX).length;
      const loaders = server.gate.requestsFor(LOADER).length;
      // Not awaited: the navigation command returns at the load event, which waits for the
      // module when the module is part of the load; the gate is watched meanwhile.
      const navigated = session.navigate(`${server.site}/e2e-lazy-in-view.html?load=${load}`);
      await moduleRequested(server.gate, before + 1, () => server.gate.requestsFor(LOADER)[loaders]?.answeredAt ?? null, `load ${load}`);
      await navigated;
      const { moduleStart, loaderEnd } = await pageTimes(session, `load ${load}`);
      times.push(moduleStart - loaderEnd);
    }
    results.inView = summarise(times);
    save();
  });

  journey(suite, `scrolled into view: ${LOADS} loads request the module only once it comes near, without any nudge`, async () => {
    const { session, server } = suite;
    server.gate.uncached(INDEX);
    server.gate.uncached(LOADER);
    server.gate.delay(LOADER, LOADER_DELAY_MS);
    await session.setWindowSize(1280, 800);
    const times = [];
    for (let load = 1; load <= LOADS; load++) {
      const loadersBefore = server.gate.requestsFor(LOADER).length;
      const before = server.gate.requestsFor(INDEX).length;
      await session.navigate(`${server.site}/e2e-lazy-below.html?load=${load}`);
      assert.ok(server.gate.requestsFor(LOADER).length > loadersBefore, `load ${load}: the loader was requested`);
      // The loader has run and looked at the widget, and two frames have been drawn since:
      // far below the fold, nothing is fetched.
      await session.executeAsync(
        () =>
          new Promise((resolve) => {
            const settle = () => requestAnimationFrame(() => requestAnimationFrame(resolve));
            const ready = () => (window.SurveyWidget ? settle() : setTimeout(ready, 10));
            ready();
          }),
      );
      assert.equal(server.gate.requestsFor(INDEX).length, before, `load ${load}: index.mjs is not requested while the widget is far below`);
      const scrolledAt = await session.execute(() => {
        const top = document.getElementById('survey').getBoundingClientRect().top + window.scrollY;
        const at = performance.now();
        window.scrollTo(0, top - window.innerHeight / 2);
        return at;
      });
      const scrolled = Date.now();
      await moduleRequested(server.gate, before + 1, () => scrolled, `load ${load}, after scrolling`);
      const { moduleStart } = await pageTimes(session, `load ${load}`);
      times.push(moduleStart - scrolledAt);
    }
    results.scrolled = summarise(times);
    save();
  });
});
