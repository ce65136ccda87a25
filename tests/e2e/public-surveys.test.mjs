// The collector's public pages in a real browser, under their strict Content Security Policy:
// someone finds a survey on /surveys, copies its link with the button (the clipboard really holds
// it, and "Link copied" is said by the survey's status line), and the link works without script
// too. Each survey's page shows its heading before the widget and only one heading once it has
// rendered; a closed survey's page says so. axe sweeps /surveys, an open survey's page and a
// closed one's.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serverAndBrowser } from './lib/suite.mjs';
import { DESKTOP, cspViolations, openPage, withArtifactsOnFailure } from './lib/browser.mjs';
import { checkFocused, checkVisible, findHeading, revealSurvey } from './lib/pages.mjs';
import { Audit } from './lib/a11y.mjs';
import { ROOT } from './lib/server.mjs';
import { eventually } from './lib/wait.mjs';

const TITLE = 'Help us improve how we talk with you online';
const CLOSED_TITLE = 'What should the new library offer?';

// The demo's surveys, and one that closed with its results published.
const surveysDir = mkdtempSync(path.join(tmpdir(), 'survey-e2e-public-'));
cpSync(path.join(ROOT, 'demo', 'surveys'), surveysDir, { recursive: true });
const closed = JSON.parse(readFileSync(path.join(ROOT, 'demo', 'surveys', 'digital-engagement.json'), 'utf8'));
Object.assign(closed, {
  id: 'library', title: CLOSED_TITLE, link: '/s/library',
  closes_at: '2026-01-31T17:00:00Z', publish_results: true,
});
writeFileSync(path.join(surveysDir, 'library.json'), JSON.stringify(closed));
after(() => rmSync(surveysDir, { recursive: true, force: true }));

const suite = serverAndBrowser({ env: { SURVEYS_DIR: surveysDir } });

// One audit across the tests, so its report lists every page swept. The layout checks look
// inside `survey-widget` where a page has one.
let audit;

test('copy link on /surveys puts the address on the clipboard and says so', { timeout: 120_000 }, async () => {
  const { context, page } = await openPage(suite.browser, DESKTOP);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: suite.server.url });
  await withArtifactsOnFailure(page, 'public surveys copy link', async () => {
    await page.goto(`${suite.server.url}/surveys`);
    await checkVisible(findHeading(page, 'Surveys'));
    const item = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: TITLE, exact: true }) });
    const address = `${suite.server.url}/s/digital-engagement`;
    await checkVisible(item.getByRole('link', { name: address }));

    // The script added the button, named with the survey it copies.
    const copy = item.getByRole('button', { name: `Copy link to ${TITLE}` });
    await checkVisible(copy);
    const status = item.getByRole('status');
    assert.equal(await status.innerText(), '', 'the status says nothing before');
    await copy.click();
    await eventually(async () => assert.equal(await status.innerText(), 'Link copied'));
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), address);

    // Again by keyboard, with something else on the clipboard first: the same words again.
    await page.evaluate(() => navigator.clipboard.writeText('something else'));
    await copy.focus();
    await checkFocused(page, copy, 'the Copy link button');
    await page.keyboard.press('Enter');
    await eventually(async () => assert.equal(await page.evaluate(() => navigator.clipboard.readText()), address));
    await eventually(async () => assert.equal(await status.innerText(), 'Link copied'));

    // A native share sheet only where the browser has one (headless Chromium on Linux has none).
    const canShare = await page.evaluate(() => typeof navigator.share === 'function');
    assert.equal(await item.getByRole('button', { name: `Share ${TITLE}` }).count(), canShare ? 1 : 0);

    // The closed survey is listed with its results, and has a link to share as well.
    const closedItem = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: CLOSED_TITLE, exact: true }) });
    await checkVisible(closedItem.getByText('Closed at 5pm on 31 January 2026. 0 people answered.'));
    await checkVisible(closedItem.getByRole('link', { name: `Read the results of ${CLOSED_TITLE}` }));

    assert.deepEqual(await cspViolations(page), [], 'nothing broke the page policy');
    assert.deepEqual(page.problems, [], 'no console errors');

    audit = new Audit(page, { name: 'public pages', hosts: [] });
    await audit.sweep('surveys list, link copied');
  });
  await context.close();
});

test('without script the list still links each survey and its address', { timeout: 60_000 }, async () => {
  const context = await suite.browser.newContext({ ...DESKTOP, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${suite.server.url}/surveys`);
  const address = `${suite.server.url}/s/digital-engagement`;
  await checkVisible(page.getByRole('link', { name: address }));
  assert.equal(await page.getByRole('button').count(), 0, 'no buttons that would do nothing');

  // The survey's own page shows its heading and introduction in the HTML itself.
  await page.goto(address);
  await checkVisible(page.getByRole('heading', { name: TITLE, level: 1 }));
  await checkVisible(page.getByText('It takes about 3 minutes.'));
  await context.close();
});

test("a survey's page: one heading once the widget renders; a closed one says so; axe finds nothing", { timeout: 180_000 }, async () => {
  const { context, page } = await openPage(suite.browser, DESKTOP);
  await withArtifactsOnFailure(page, 'public survey pages', async () => {
    await page.goto(`${suite.server.url}/s/digital-engagement`);
    const widget = await revealSurvey(page, { firstQuestion: 'How did you hear about this survey?' });
    // The server's heading is inside <survey-widget>: once the shadow root is there it is not
    // rendered, so the page has the widget's heading and no other.
    await eventually(async () => assert.equal(await page.getByRole('heading', { level: 1 }).count(), 1));
    await checkVisible(widget.getByRole('heading', { name: TITLE, level: 1 }));
    assert.equal(await page.locator('.survey-intro').isVisible(), false, 'the placeholder is not rendered');
    assert.equal(await page.locator('meta[property="og:url"]').getAttribute('content'), `${suite.server.url}/s/digital-engagement`);
    audit ??= new Audit(page, { name: 'public pages', hosts: [] });
    audit.page = page;
    audit.hosts = ['survey-widget'];
    await audit.sweep('survey page, first question');

    await page.goto(`${suite.server.url}/s/library`);
    await checkVisible(page.getByRole('heading', { name: CLOSED_TITLE, level: 1 }));
    await checkVisible(page.getByText('This survey closed at 5pm on 31 January 2026. It no longer takes answers.'));
    await checkVisible(page.getByRole('heading', { name: 'Results', level: 2 }));
    assert.equal(await page.locator('survey-widget').count(), 0, 'no form on a closed survey');
    audit.hosts = [];
    await audit.sweep('closed survey page with results');

    assert.deepEqual(await cspViolations(page), []);
    const summary = audit.assertClean();
    assert.ok(summary.axeRuns >= 21, `three states, seven runs each: ${summary.axeRuns}`);
  });
  await context.close();
});
