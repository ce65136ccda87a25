// The results page in a real browser: responses arrive through two channels (the payload's
// `channel`), a team member signs in, reads the numbers in the tables beside the charts,
// filters by channel (the page, its CSV link and the written answers follow), searches and
// pages the written answers, and gets a clear error for a date that is not one. axe sweeps the
// results page, the written answers and the error, under the page's strict policy.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serverAndBrowser } from './lib/suite.mjs';
import { signInAt } from './lib/admin.mjs';
import { DESKTOP, cspViolations, openPage, withArtifactsOnFailure } from './lib/browser.mjs';
import { checkFocused, checkVisible } from './lib/pages.mjs';
import { Audit } from './lib/a11y.mjs';
import { ROOT } from './lib/server.mjs';

// The demo's surveys, and one with a matrix and a ranking (the grids the demo survey lacks).
const surveysDir = mkdtempSync(path.join(tmpdir(), 'survey-e2e-results-'));
cpSync(path.join(ROOT, 'demo', 'surveys'), surveysDir, { recursive: true });
const option = (value) => ({ value, label: `Label ${value}` });
writeFileSync(path.join(surveysDir, 'library-visit.json'), JSON.stringify({
  format: 1, id: 'library-visit', version: 1, title: 'Your library visit',
  default_language: 'en', languages: ['en'], anonymous: true,
  pages: [{ id: 'visit', title: 'Your visit', questions: [
    { id: 'grid', type: 'matrix', title: 'How were these?', rows: ['staff', 'space'].map(option), columns: ['good', 'poor'].map(option) },
    { id: 'order', type: 'ranking', title: 'Rank these', options: ['quiet', 'late', 'cafe'].map(option) },
  ] }],
}));
after(() => rmSync(surveysDir, { recursive: true, force: true }));

const suite = serverAndBrowser({ env: { SURVEYS_DIR: surveysDir } });
const SURVEY = 'digital-engagement';
const HEARD = 'How did you hear about this survey?';
const IMPROVE = 'What one thing would make it easier to give us your views?';

/** Sends one response to the demo survey straight to the collector, as a widget would. */
async function answer(channel, { heard, ease, improve }) {
  await send(SURVEY, channel, { heard, ease, consent: true, ...(improve ? { improve } : {}) });
}

async function send(survey, channel, answers) {
  const payload = {
    format: 'survey-response/1',
    survey: { id: survey, version: 1 },
    submission_id: randomUUID(),
    submitted_at: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    language: 'en',
    anonymous: true,
    answers,
    channel,
  };
  const res = await fetch(`${suite.server.url}/api/responses`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: suite.server.site },
    body: JSON.stringify(payload),
  });
  assert.equal(res.status, 201, await res.text());
}

/** The cells of the row headed `label` in `table`, as text. */
async function row(table, label) {
  const cells = table.getByRole('row').filter({ has: table.page().getByRole('rowheader', { name: label, exact: true }) }).getByRole('cell');
  return cells.allInnerTexts();
}

test('the team reads, filters and searches the results in a browser', { timeout: 300_000 }, async () => {
  // 25 through the newsletter (every fifth about the bus), 3 through facebook.
  for (let i = 0; i < 25; i += 1) {
    const improve = i % 5 === 0 ? `Number ${i}: a bus stop nearer the library` : `Number ${i}: answer emails faster`;
    await answer('newsletter', { heard: i < 15 ? 'website' : 'newsletter', ease: 4, improve });
  }
  for (const ease of [1, 2, 2]) await answer('facebook', { heard: 'social', ease });

  const { context, page } = await openPage(suite.browser, DESKTOP);
  await withArtifactsOnFailure(page, 'admin results', async () => {
    const results = `${suite.server.url}/admin/surveys/${SURVEY}`;
    await signInAt(page, suite.server, results);
    assert.match(await page.locator('.total').innerText(), /^28 responses\b/);

    // Each question: its chart (hidden from screen readers) and its table of numbers.
    const heard = page.getByRole('table', { name: HEARD });
    assert.deepEqual(await row(heard, 'Our website'), ['15', '54%']);
    assert.deepEqual(await row(heard, 'Email newsletter'), ['10', '36%']);
    assert.deepEqual(await row(heard, 'Social media'), ['3', '11%']);
    const ease = page.getByRole('table', { name: 'How easy is it to find information about our services online?' });
    assert.deepEqual(await row(ease, '4'), ['25', '89%']);
    assert.deepEqual(await row(ease, '2'), ['2', '7%']);
    const section = page.getByRole('region', { name: HEARD });
    assert.equal(await section.locator('svg.chart').getAttribute('aria-hidden'), 'true');
    await checkVisible(section.locator('svg.chart'));
    // Chart text is the page's text on the page's background (lib/a11y.mjs lets axe skip it on
    // that ground), in light and dark.
    for (const colorScheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme });
      const colours = await page.evaluate(() => {
        const label = getComputedStyle(document.querySelector('svg.chart .chart-label'));
        const body = getComputedStyle(document.body);
        return { fill: label.fill, text: body.color, main: getComputedStyle(document.querySelector('main')).backgroundColor };
      });
      assert.equal(colours.fill, colours.text, `${colorScheme}: chart text is the page's text colour`);
      assert.equal(colours.main, 'rgba(0, 0, 0, 0)', `${colorScheme}: on the page's own background`);
    }
    await page.emulateMedia({ colorScheme: 'light' });

    // Filter by channel: the page, the export link and the written answers follow.
    await page.getByLabel('Channel').selectOption('facebook');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(`${results}?channel=facebook&from=&to=`);
    assert.match(await page.locator('.total').innerText(), /^3 responses through the channel “facebook”/);
    assert.deepEqual(await row(page.getByRole('table', { name: HEARD }), 'Social media'), ['3', '100%']);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'download as CSV' }).click()]);
    const csv = Buffer.concat(await (await download.createReadStream()).toArray()).toString('utf8');
    assert.equal(csv.trim().split('\n').length, 4, `a header and three rows: ${csv}`);

    await page.getByLabel('Channel').selectOption('newsletter');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    assert.match(await page.locator('.total').innerText(), /^25 responses through the channel “newsletter”/);
    const audit = new Audit(page, { name: 'admin results', hosts: [] });
    await audit.sweep('results page, filtered by channel');

    // The written answers: 25, 20 to a page, then a search.
    await page.getByRole('link', { name: `Read the 25 answers to “${IMPROVE}”` }).click();
    await checkVisible(page.getByRole('heading', { name: `Answers to “${IMPROVE}”`, level: 1 }));
    assert.match(await page.locator('.total').innerText(), /^25 answers through the channel “newsletter”\. Showing 1 to 20, page 1 of 2\./);
    assert.equal(await page.locator('ol.answers > li').count(), 20);
    const pages = page.getByRole('navigation', { name: 'Pages of answers' });
    await pages.getByRole('link', { name: 'Page 2' }).click();
    assert.equal(await page.locator('ol.answers > li').count(), 5);
    assert.equal(await page.getByRole('link', { name: 'Page 2' }).getAttribute('aria-current'), 'page');
    await page.getByRole('link', { name: 'Previous page' }).click();
    assert.equal(await page.locator('ol.answers > li').count(), 20);

    await page.getByRole('searchbox', { name: 'Search the answers' }).fill('BUS STOP');
    await page.getByRole('button', { name: 'Search' }).click();
    assert.match(await page.locator('.total').innerText(), /^5 answers containing “BUS STOP”, through the channel “newsletter”\./);
    const texts = await page.locator('.answer-text').allInnerTexts();
    assert.equal(texts.length, 5);
    assert.ok(texts.every((t) => t.includes('a bus stop nearer the library')), texts.join('\n'));
    await audit.sweep('written answers, searched');

    // A date that is not one: the form again, with the problem, and a link to the field.
    await page.goto(results);
    await page.getByLabel(/^From/).fill('2026-02-30');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await checkVisible(page.getByRole('heading', { name: 'There is a problem' }));
    await page.getByRole('link', { name: /The start date must be a real date/ }).click();
    await checkFocused(page, page.getByLabel(/^From/), 'the start date, from the error summary');
    await audit.sweep('results page, a date that is not one');

    assert.deepEqual(await cspViolations(page), [], 'nothing broke the page policy');
    const summary = audit.assertClean();
    assert.ok(summary.axeRuns >= 21, `three states, seven runs each: ${summary.axeRuns}`);
  });
  await context.close();
});

test('a matrix and a ranking: a stacked bar per row, and tables with counts and shares', { timeout: 180_000 }, async () => {
  await send('library-visit', 'website', { grid: { staff: 'good', space: 'poor' }, order: ['quiet', 'late', 'cafe'] });
  await send('library-visit', 'website', { grid: { staff: 'good', space: 'good' }, order: ['quiet', 'cafe', 'late'] });
  await send('library-visit', 'leaflet', { grid: { staff: 'poor' }, order: ['cafe', 'quiet', 'late'] });

  const { context, page } = await openPage(suite.browser, DESKTOP);
  await withArtifactsOnFailure(page, 'admin results grids', async () => {
    await signInAt(page, suite.server, `${suite.server.url}/admin/surveys/library-visit`);
    const grid = page.getByRole('table', { name: /^How were these\?/ });
    assert.deepEqual(await grid.getByRole('columnheader').allInnerTexts(), ['Label good', 'Label poor']);
    assert.deepEqual(await row(grid, 'Label staff'), ['2 (67%)', '1 (33%)']);
    assert.deepEqual(await row(grid, 'Label space'), ['1 (50%)', '1 (50%)']);
    const ranking = page.getByRole('table', { name: /^Rank these/ });
    assert.deepEqual(await ranking.getByRole('columnheader').allInnerTexts(), ['1st', '2nd', '3rd', 'Average position']);
    assert.deepEqual(await row(ranking, 'Label quiet'), ['2 (67%)', '1 (33%)', '0 (0%)', '1.3']);
    assert.deepEqual(await row(ranking, 'Label cafe'), ['1 (33%)', '1 (33%)', '1 (33%)', '2.0']);
    // Each row a stacked bar: one segment per column chosen, under a legend of the columns.
    const chart = page.getByRole('region', { name: 'How were these?' }).locator('svg.chart');
    assert.equal(await chart.locator('rect.series-0').count(), 3, 'the legend and two rows with "good"');
    assert.equal(await chart.locator('rect.series-1').count(), 3, 'the legend and two rows with "poor"');

    const audit = new Audit(page, { name: 'admin results grids', hosts: [] });
    await audit.sweep('results page with a matrix and a ranking');
    assert.deepEqual(await cspViolations(page), []);
    const summary = audit.assertClean();
    assert.ok(summary.axeRuns >= 7, `one state, seven runs: ${summary.axeRuns}`);
  });
  await context.close();
});
