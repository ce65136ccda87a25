// Reach without tracking: people answer the demo survey through two channels (a page on the
// site's origin embedding it with channel="website", another with channel="newsletter"); some
// finish, some give up part way, some only look. The collector's metrics.json and the results
// page's funnel and drop-off tables must then say exactly that, and no reach event may carry a
// cookie, a Referer, an id or anything but the survey, its version, the channel and the kind.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser } from './lib/suite.mjs';
import { DESKTOP, openPage, waitForSurveyEvent, withArtifactsOnFailure } from './lib/browser.mjs';
import { htmlPage, serveFiles } from './lib/embed.mjs';
import { answer, loadDefinition, primaryButton } from './lib/a11y-walk.mjs';
import { DE_PLAN } from './lib/a11y-plans.mjs';
import { findWidget } from './lib/pages.mjs';

const SURVEY = 'digital-engagement';
const definition = loadDefinition(SURVEY);
const suite = serverAndBrowser();

/** A page of the host site embedding the survey through `channel`. */
function hostPage(server, channel) {
  return htmlPage({
    title: `Have your say (${channel})`,
    head: `<script src="${server.url}/survey-widget/survey-widget.js" referrerpolicy="no-referrer" async></script>`,
    body: `<main><h1>Have your say</h1>
<survey-widget src="${server.url}/surveys/${SURVEY}.json" endpoint="${server.url}/api/responses"
  channel="${channel}"></survey-widget></main>`,
  });
}

/**
 * What is wrong with one request to /api/events, if anything: the privacy promises of
 * docs/submission.md ("Reach events"), checked on what the browser really sent.
 */
export function eventProblems({ url, headers, body }) {
  const problems = [];
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  if (lower.cookie !== undefined) problems.push(`sent a cookie: ${lower.cookie}`);
  if (lower.referer !== undefined) problems.push(`sent a Referer: ${lower.referer}`);
  if (new URL(url).search !== '') problems.push(`has a query: ${url}`);
  let event;
  try {
    event = JSON.parse(body ?? '');
  } catch {
    return [...problems, `body is not JSON: ${body}`];
  }
  const keys = Object.keys(event).sort();
  const allowed = ['channel', 'kind', 'page', 'survey'];
  for (const key of keys) if (!allowed.includes(key)) problems.push(`carries "${key}"`);
  if (JSON.stringify(Object.keys(event.survey ?? {}).sort()) !== '["id","version"]') problems.push('survey is not {id, version}');
  if (!['viewed', 'started', 'page'].includes(event.kind)) problems.push(`kind ${event.kind}`);
  return problems;
}

/** Every request the page makes to /api/events, with the headers the browser really sent. */
function recordEvents(page) {
  const seen = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname !== '/api/events') return;
    if (request.method() === 'OPTIONS') return;
    seen.push(request.allHeaders().then((headers) => ({ url: request.url(), headers, body: request.postData() })));
  });
  return seen;
}

/** Waits until `recorded` holds `n` requests: what the widget sends, never a fixed time. */
async function waitForCount(page, recorded, n) {
  for (let tries = 0; recorded.length < n && tries < 200; tries++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(recorded.length >= n, `${n} event requests sent (got ${recorded.length})`);
}

/**
 * One person: opens the page and answers `pages` pages (Infinity: to the end, and sends), then
 * leaves. `sent` is how many event requests that makes: a view, then a page event for each
 * page shown, and one start at the first answer.
 */
async function visit(channel, pages, events, sent) {
  const { server, browser } = suite;
  const { context, page } = await openPage(browser, DESKTOP);
  // A cookie on the collector's origin: the events must not carry it.
  await context.addCookies([{ name: 'visitor', value: 'tracked-123', url: server.url }]);
  const recorded = recordEvents(page);
  await withArtifactsOnFailure(page, `reach ${channel} ${pages}`, async () => {
    await serveFiles(page, server, { [`/have-your-say-${channel}`]: hostPage(server, channel) });
    await page.goto(`${server.site}/have-your-say-${channel}`);
    const widget = findWidget(page);
    await waitForSurveyEvent(page, 'survey:ready');
    await primaryButton(widget).first().waitFor({ state: 'visible' });
    for (const p of definition.pages.slice(0, pages === Infinity ? undefined : pages)) {
      for (const q of p.questions) {
        if (DE_PLAN.good[q.id] !== undefined) await answer(widget, q, DE_PLAN.good[q.id]);
      }
      await primaryButton(widget).click();
    }
    if (pages === Infinity) await waitForSurveyEvent(page, 'survey:complete');
    await waitForCount(page, recorded, sent);
  });
  // Leaving the page: events sent with keepalive still arrive.
  await page.close();
  events.push(...(await Promise.all(recorded)));
  await context.close();
}

async function adminJson(path) {
  const { server } = suite;
  const response = await fetch(`${server.url}${path}`, { headers: { Authorization: `Bearer ${server.token}` } });
  assert.equal(response.status, 200, `GET ${path}`);
  return response.json();
}

/** The rows of the table named `caption`, each as its cells' texts (header cell first). */
async function tableRows(page, caption) {
  const table = page.getByRole('table', { name: caption });
  await table.waitFor({ state: 'visible' });
  return table.evaluate((t) =>
    [...t.tBodies[0].rows].map((r) => [...r.cells].map((c) => c.textContent.trim())),
  );
}

test('views, starts, pages and responses are counted per channel, and no event identifies anyone', { timeout: 300_000 }, async () => {
  const events = [];
  // website: one finishes, one stops after the first page, one only looks.
  await visit('website', Infinity, events, 5);
  await visit('website', 1, events, 4);
  await visit('website', 0, events, 2);
  // newsletter: one finishes, one only looks.
  await visit('newsletter', Infinity, events, 5);
  await visit('newsletter', 0, events, 2);

  // Counters only arrive after the widget's fetches do; wait for them, never for a fixed time.
  const expected = { views: 5, starts: 3, completions: 2 };
  let metrics;
  for (let tries = 0; tries < 50; tries++) {
    metrics = await adminJson(`/admin/surveys/${SURVEY}/metrics.json`);
    if (metrics.views === expected.views && metrics.starts === expected.starts) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.deepEqual({ views: metrics.views, starts: metrics.starts, completions: metrics.completions }, expected);
  assert.deepEqual(metrics.by_channel, {
    website: { views: 3, starts: 2, completions: 1 },
    newsletter: { views: 2, starts: 1, completions: 1 },
  });
  assert.equal(metrics.by_day.length, 1, 'all on one day');
  assert.deepEqual(
    Object.fromEntries(metrics.by_page.map((p) => [p.page, p.reached])),
    // The first page shows at once, so every visit reaches it.
    { 'finding-us': 5, 'your-views': 3, send: 2 },
  );
  const newsletter = await adminJson(`/admin/surveys/${SURVEY}/metrics.json?channel=newsletter`);
  assert.deepEqual([newsletter.views, newsletter.starts, newsletter.completions], [2, 1, 1]);

  // Every event request, as sent: no cookie, no Referer, nothing but the four keys.
  assert.equal(events.length, 5 + 4 + 2 + 5 + 2, 'one request per view, start and page');
  for (const e of events) assert.deepEqual(eventProblems(e), [], JSON.stringify(e));
  const channels = new Set(events.map((e) => JSON.parse(e.body).channel));
  assert.deepEqual([...channels].sort(), ['newsletter', 'website']);

  // The responses carry their channel too, so exports can be filtered by it.
  const exported = await adminJson(`/admin/surveys/${SURVEY}/responses.json?channel=website`);
  assert.equal(exported.length, 1);
  assert.equal(exported[0].channel, 'website');
  assert.equal(exported[0].hidden.channel, 'website', 'the hidden field channel says the same');

  // The results page, read as a team member reads it.
  const { context, page } = await openPage(suite.browser, DESKTOP);
  await context.setExtraHTTPHeaders({ Authorization: `Bearer ${suite.server.token}` });
  await withArtifactsOnFailure(page, 'reach results page', async () => {
    await page.goto(`${suite.server.url}/admin/surveys/${SURVEY}`);
    assert.deepEqual(await tableRows(page, 'Funnel by channel (percentages of views)'), [
      ['newsletter', '2', '1 (50%)', '1 (50%)'],
      ['website', '3', '2 (67%)', '1 (33%)'],
    ]);
    const pages = await tableRows(page, 'How many reached each page');
    assert.deepEqual(pages.map((r) => r.slice(1)), [['5', '100%'], ['3', '60%'], ['2', '40%']]);
    const days = await tableRows(page, 'Views, starts and answers sent per day (UTC)');
    assert.deepEqual(days.map((r) => r.slice(1)), [['5', '3', '2']]);
  });
  await context.close();
});

test('the privacy check of event requests fails on a request that carries a cookie or a Referer', () => {
  // Canary: the checker above must be able to fail.
  const body = JSON.stringify({ survey: { id: SURVEY, version: 1 }, kind: 'viewed' });
  assert.deepEqual(eventProblems({ url: 'http://c/api/events', headers: {}, body }), []);
  assert.equal(eventProblems({ url: 'http://c/api/events', headers: { Cookie: 'a=b' }, body }).length, 1);
  assert.equal(eventProblems({ url: 'http://c/api/events', headers: { Referer: 'http://site/post' }, body }).length, 1);
  assert.equal(eventProblems({ url: 'http://c/api/events?u=1', headers: {}, body }).length, 1);
  const tagged = JSON.stringify({ survey: { id: SURVEY, version: 1 }, kind: 'viewed', visitor: 'x' });
  assert.equal(eventProblems({ url: 'http://c/api/events', headers: {}, body: tagged }).length, 1);
});

test('metrics="off" sends no reach event, and the answers still arrive', { timeout: 120_000 }, async () => {
  const { server, browser } = suite;
  const { context, page } = await openPage(browser, DESKTOP);
  const recorded = recordEvents(page);
  await withArtifactsOnFailure(page, 'reach metrics off', async () => {
    const html = hostPage(server, 'quiet').replace('channel="quiet"', 'channel="quiet" metrics="off"');
    await serveFiles(page, server, { '/quiet': html });
    await page.goto(`${server.site}/quiet`);
    const widget = findWidget(page);
    await waitForSurveyEvent(page, 'survey:ready');
    for (const p of definition.pages) {
      for (const q of p.questions) {
        if (DE_PLAN.good[q.id] !== undefined) await answer(widget, q, DE_PLAN.good[q.id]);
      }
      await primaryButton(widget).click();
    }
    await waitForSurveyEvent(page, 'survey:complete');
  });
  await page.close();
  assert.equal((await Promise.all(recorded)).length, 0, 'no request to /api/events');
  await context.close();
  const quiet = await adminJson(`/admin/surveys/${SURVEY}/metrics.json?channel=quiet`);
  assert.deepEqual([quiet.views, quiet.starts, quiet.completions], [0, 0, 1]);
});
