// A web team pastes the snippet on its own site; the bundle comes from the collector's origin.
// Every file of the bundle must load across origins (no CORS error, no blocked request), and a
// respondent who comes back must not download anything twice: the hashed glue, Wasm and
// stylesheet are immutable, the loader and index.mjs are fresh for five minutes, and the
// stylesheet that index.mjs warms with fetch() is the one the shadow root then links. Counted
// where it counts: in the collector's own request log.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser } from './lib/suite.mjs';
import { DESKTOP, cspViolations, openPage, withArtifactsOnFailure } from './lib/browser.mjs';
import { BUNDLE_FILE } from './lib/embed.mjs';
import { openSurvey } from './lib/pages.mjs';
import { Q } from './lib/survey.mjs';
import { eventually } from './lib/wait.mjs';

const suite = serverAndBrowser();

/** Bundle files and definitions the collector answered, from its log, by file name. */
function collectorFetches() {
  const counts = {};
  for (const match of suite.server.stderr().matchAll(/uri=\/(survey-widget\/[^\s}]+|surveys\/[^\s}]+)[^\n]*finished processing request[^\n]*status=(\d+)/g)) {
    const name = match[1].replace(/^survey-widget\//, '');
    counts[name] = (counts[name] ?? 0) + 1;
    assert.equal(match[2], '200', `${name} answered ${match[2]}`);
  }
  return counts;
}

/** The counts by kind of file: loader, index, glue, wasm, css, definition. */
function byKind(counts) {
  const kinds = { loader: 0, index: 0, glue: 0, wasm: 0, css: 0, definition: 0, other: [] };
  for (const [name, n] of Object.entries(counts)) {
    if (name === 'survey-widget.js') kinds.loader += n;
    else if (name === 'index.mjs') kinds.index += n;
    else if (BUNDLE_FILE.glue.test(name)) kinds.glue += n;
    else if (BUNDLE_FILE.wasm.test(name)) kinds.wasm += n;
    else if (BUNDLE_FILE.css.test(name)) kinds.css += n;
    else if (name.startsWith('surveys/')) kinds.definition += n;
    else kinds.other.push(name);
  }
  return kinds;
}

test('the bundle loads across origins once, and a return visit downloads nothing of it again', { timeout: 120_000 }, async () => {
  const { context, page } = await openPage(suite.browser, DESKTOP);
  const failed = [];
  // Requests the page has started and not yet seen end: the first visit is left only once there
  // are none, so that leaving cannot abort a download the test then counts as failed.
  const inFlight = new Set();
  page.on('request', (request) => inFlight.add(request));
  page.on('requestfinished', (request) => inFlight.delete(request));
  page.on('requestfailed', (request) => {
    inFlight.delete(request);
    // A reach event still on its way when the test navigates away is reported aborted by the
    // page (keepalive hands it to the browser, which may still deliver it). Events are the
    // business of reach.test.mjs; every other request must succeed.
    const aborted = request.failure()?.errorText === 'net::ERR_ABORTED';
    if (aborted && new URL(request.url()).pathname === '/api/events') return;
    failed.push(`${request.url()}: ${request.failure()?.errorText}`);
  });
  const consoleErrors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  await withArtifactsOnFailure(page, 'bundle caching', async () => {
    assert.notEqual(new URL(suite.server.site).origin, new URL(suite.server.url).origin, 'two origins');
    await openSurvey(page, `${suite.server.site}/`, { firstQuestion: Q.heard });
    const first = await eventually(() => {
      const kinds = byKind(collectorFetches());
      assert.deepEqual(kinds, { loader: 1, index: 1, glue: 1, wasm: 1, css: 1, definition: 1, other: [] }, 'each file once');
      return kinds;
    });

    // The same respondent comes back to the post (a new navigation, not a forced reload).
    await eventually(() => assert.deepEqual([...inFlight].map((r) => r.url()).filter((u) => !u.endsWith('/api/events')), [], 'nothing still loading'));
    await page.goto('about:blank');
    await openSurvey(page, `${suite.server.site}/`, { firstQuestion: Q.heard });
    const second = byKind(collectorFetches());
    // Only the definition is asked again (it says no-cache: authors edit surveys).
    assert.deepEqual(second, { ...first, definition: 2 }, 'nothing of the bundle was downloaded again');

    assert.deepEqual(failed, [], 'no request failed (a CORS refusal shows here)');
    assert.deepEqual(consoleErrors, [], 'no console errors');
    assert.deepEqual(await cspViolations(page), [], 'no Content Security Policy violation');
  });
  await context.close();
});
