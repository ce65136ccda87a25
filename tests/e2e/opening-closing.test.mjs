// Opening and closing: before `opens_at` and from `closes_at` on, the widget says so in words,
// with the date and time in the respondent's own time zone, instead of showing the form; in
// between it shows the form as usual. The collector's side (422 `closed`, the seven days for
// answers written before the close) is tested in demo/collector/tests/public.rs and the
// widget's handling of a 422 `closed` in delivery-outcomes.test.mjs.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serverAndBrowser } from './lib/suite.mjs';
import { DESKTOP, openPage, waitForSurveyEvent, withArtifactsOnFailure } from './lib/browser.mjs';
import { htmlPage, serveFiles } from './lib/embed.mjs';
import { findWidget } from './lib/pages.mjs';

const DAY_MS = 86_400_000;
// A survey that closed eight days ago, beside the demo's: answers written before its close but
// arriving now are past the seven days the collector still takes them for.
const CLOSED_AT = new Date(Date.now() - 8 * DAY_MS);
const surveysDir = mkdtempSync(path.join(tmpdir(), 'survey-e2e-closing-'));
const demoSurveys = fileURLToPath(new URL('../../demo/surveys/', import.meta.url));
for (const file of readdirSync(demoSurveys)) {
  if (file.endsWith('.json')) copyFileSync(path.join(demoSurveys, file), path.join(surveysDir, file));
}
writeFileSync(
  path.join(surveysDir, 'late.json'),
  JSON.stringify({
    format: 1,
    id: 'late',
    version: 1,
    title: 'Winter opening hours',
    closes_at: CLOSED_AT.toISOString(),
    pages: [{ id: 'p', questions: [{ id: 'why', type: 'text', title: 'Why?', required: true }] }],
  }),
);
const suite = serverAndBrowser({ env: { SURVEYS_DIR: surveysDir } });

function definition(times) {
  return JSON.stringify({
    format: 1,
    id: 'opening-hours',
    version: 1,
    title: { en: 'Opening hours at the surgery', cy: 'Oriau agor y feddygfa' },
    languages: ['en', 'cy'],
    default_language: 'en',
    ...times,
    pages: [{ id: 'p', questions: [{ id: 'q', type: 'text', title: { en: 'Why?', cy: 'Pam?' } }] }],
  });
}

/** The survey with `times`, inline in a page on the site's origin, in `lang`. */
async function show(times, { lang = 'en', timezoneId = 'Europe/London' } = {}) {
  const { server, browser } = suite;
  const { context, page } = await openPage(browser, { ...DESKTOP, timezoneId });
  const body = `<main><survey-widget endpoint="${server.url}/api/responses" lang="${lang}" loading="eager">
<script type="application/json">${definition(times)}</script></survey-widget></main>`;
  await serveFiles(page, server, {
    '/opening': htmlPage({
      title: 'Opening hours',
      head: `<script src="${server.url}/survey-widget/survey-widget.js" referrerpolicy="no-referrer" async></script>`,
      body,
    }),
  });
  await page.goto(`${server.site}/opening`);
  await waitForSurveyEvent(page, 'survey:ready');
  return { context, page, widget: findWidget(page) };
}

/** The widget's visible text and whether it shows a form. */
async function shown(widget) {
  return widget.evaluate((host) => {
    const root = host.shadowRoot ?? host;
    return { text: root.querySelector('.sw').innerText.replace(/\s+/g, ' ').trim(), form: root.querySelector('form') !== null };
  });
}

test('a closed survey says when it closed, in the respondent\'s time zone, instead of the form', { timeout: 60_000 }, async () => {
  const { context, page, widget } = await show({ closes_at: '2026-01-31T17:00:00Z' });
  await withArtifactsOnFailure(page, 'closed survey notice', async () => {
    const { text, form } = await shown(widget);
    assert.match(text, /Opening hours at the surgery This survey closed/, 'the title, then the notice');
    assert.match(text, /This survey closed on 31 January 2026 at 17:00, so it no longer takes answers\./);
    assert.equal(form, false, 'no form');
    assert.equal(await widget.getByRole('textbox').count(), 0);
  });
  await context.close();
});

test('a survey not open yet says when it opens, in local summer time, and in Welsh too', { timeout: 60_000 }, async () => {
  const times = { opens_at: '2099-06-01T09:00:00Z', closes_at: '2099-07-01T09:00:00Z' };
  for (const [lang, expected] of [
    ['en', /This survey opens on 1 June 2099 at 10:00\./],
    ['cy', /Bydd yr arolwg hwn yn agor ar 1 Mehefin 2099 am 10:00\./],
  ]) {
    const { context, page, widget } = await show(times, { lang });
    await withArtifactsOnFailure(page, `not yet open ${lang}`, async () => {
      const { text, form } = await shown(widget);
      assert.match(text, expected);
      assert.equal(form, false, 'no form');
    });
    await context.close();
  }
});

test('an open survey with a closing date shows its form', { timeout: 60_000 }, async () => {
  const { context, page, widget } = await show({ opens_at: '2026-01-01T00:00:00Z', closes_at: '2099-01-01T00:00:00Z' });
  await withArtifactsOnFailure(page, 'open survey', async () => {
    await widget.getByRole('textbox', { name: 'Why?' }).waitFor({ state: 'visible' });
    const { text } = await shown(widget);
    assert.doesNotMatch(text, /closed on|opens on/);
  });
  await context.close();
});

test('answers written before the close but arriving too late are refused, said so, and kept on screen', { timeout: 60_000 }, async () => {
  const { server, browser } = suite;
  const { context, page } = await openPage(browser, DESKTOP);
  // The respondent's device thinks it is nine days ago, before the close: the form shows, and
  // the answers say they were written then. Only the clock is fixed; timers run as usual.
  await page.clock.setFixedTime(new Date(CLOSED_AT.getTime() - DAY_MS));
  await withArtifactsOnFailure(page, 'closed while answering', async () => {
    await serveFiles(page, server, {
      '/late': htmlPage({
        title: 'Winter opening hours',
        head: `<script src="${server.url}/survey-widget/survey-widget.js" referrerpolicy="no-referrer" async></script>`,
        body: `<main><survey-widget src="${server.url}/surveys/late.json" endpoint="${server.url}/api/responses"></survey-widget></main>`,
      }),
    });
    await page.goto(`${server.site}/late`);
    const widget = findWidget(page);
    const why = widget.getByRole('textbox', { name: 'Why?' });
    await why.fill('The clinic is too far away.');
    const refused = page.waitForResponse((r) => r.url().endsWith('/api/responses') && r.request().method() === 'POST');
    await widget.getByRole('button', { name: 'Send answers' }).click();
    const response = await refused;
    assert.equal(response.status(), 422);
    const body = await response.json();
    assert.equal(body.code, 'closed', JSON.stringify(body));
    const error = await waitForSurveyEvent(page, 'survey:error');
    assert.equal(error.detail?.code, 'survey_closed');
    await widget.getByRole('alert').filter({ hasText: 'This survey has closed, so your answers could not be sent.' }).waitFor({ state: 'visible' });
    assert.equal(await why.inputValue(), 'The clinic is too far away.', 'the answer is still on screen');
  });
  await context.close();
  const stored = await fetch(`${server.url}/admin/surveys/late/responses.json`, { headers: { Authorization: `Bearer ${server.token}` } });
  assert.deepEqual(await stored.json(), [], 'nothing stored');
});
