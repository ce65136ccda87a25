// Issue 16's journey: a person signs in to the collector, writes a three-page survey in the
// editor (a condition on page 2, a Welsh translation), watches the preview follow along in
// place, follows a problem from the list to its field, publishes, pastes the snippet into a
// page on another origin, answers it there, and reads the answer in the results.

import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { startServer, freePort } from './lib/server.mjs';
import { DESKTOP, launchBrowser, openPage, withArtifactsOnFailure } from './lib/browser.mjs';
import { checkConfirmation, checkFocused, checkVisible, findButton, findQuestion, findRadio, revealSurvey } from './lib/pages.mjs';
import { eventually } from './lib/wait.mjs';

const suite = {};
let paste;

before(async () => {
  // The web team's own site: another origin, where the snippet is pasted as it is.
  const port = await freePort();
  paste = { origin: `http://127.0.0.1:${port}`, html: '' };
  paste.server = createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(paste.html);
  });
  await new Promise((resolve) => paste.server.listen(port, '127.0.0.1', resolve));
  suite.server = await startServer({ env: { ALLOWED_ORIGINS: `http://localhost:0,${paste.origin}` } });
  suite.browser = await launchBrowser();
});

after(async () => {
  await suite.browser?.close();
  await suite.server?.stop();
  await new Promise((resolve) => paste?.server?.close(resolve));
});

/** The fieldset of a text written in several languages, by its label. */
function translations(page, label) {
  return page.getByRole('group', { name: label, exact: true });
}

/** The preview's widget host. */
function preview(page) {
  return page.locator('#survey-editor-preview');
}

test('a survey is written, previewed, published, embedded on another site, answered and read', { timeout: 240_000 }, async () => {
  const { context, page } = await openPage(suite.browser, DESKTOP);
  page.on('dialog', (dialog) => dialog.accept());
  await withArtifactsOnFailure(page, 'editor journey', async () => {
    // Signed out, "Write a new survey" goes through the sign-in and comes back.
    await page.goto(`${suite.server.url}/admin/editor`);
    await page.getByLabel('Admin token').fill(suite.server.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${suite.server.url}/admin/editor`);
    await checkVisible(page.getByRole('heading', { name: 'About the survey' }));

    // A blank survey lists what it lacks, by place, not by JSON path.
    const summary = page.locator('.error-summary');
    await checkVisible(summary);
    assert.match(await summary.innerText(), /Title: /);
    assert.doesNotMatch(await summary.innerText(), /pages\[0\]/);

    await page.getByLabel('Survey id').fill('gp-visits');
    await page.getByLabel('Title', { exact: true }).fill('Visiting your GP');

    // Welsh: every text now has a box per language, side by side.
    await page.getByLabel('Add a translation').selectOption('cy');
    await page.getByRole('button', { name: 'Add the language' }).click();
    const title = translations(page, 'Title');
    await checkVisible(title);
    assert.equal(await title.getByLabel('English').inputValue(), 'Visiting your GP');
    await title.getByLabel('Cymraeg (Welsh)').fill('Ymweld â’ch meddyg teulu');
    assert.equal(await title.getByLabel('Cymraeg (Welsh)').getAttribute('lang'), 'cy');

    // Page 1: the question every new survey starts with (yes or no).
    const q1 = page.locator('#ed-pages-0-questions-0');
    await translations(q1, 'Question').getByLabel('English').fill('Have you seen your GP this year?');
    await translations(q1, 'Question').getByLabel('Cymraeg (Welsh)').fill('Ydych chi wedi gweld eich meddyg teulu eleni?');
    await q1.getByLabel('Question id').fill('seen');

    // Page 2, shown only to those who said yes: a rating.
    await page.getByRole('button', { name: 'Add a page' }).click();
    const p2 = page.locator('#ed-pages-1');
    const q2 = page.locator('#ed-pages-1-questions-0');
    await q2.getByLabel('Type').selectOption('rating');
    await translations(q2, 'Question').getByLabel('English').fill('How easy was it to get an appointment?');
    await q2.getByLabel('Question id').fill('ease');
    await p2.getByRole('button', { name: 'Add a condition to this page' }).click();
    const rule = p2.locator('.condition');
    await checkVisible(rule);
    // Chosen from the earlier question and its answers, not typed.
    assert.match(await rule.getByLabel('Question').locator('option:checked').innerText(), /Have you seen your GP this year\?/);
    assert.equal(await rule.getByLabel('Test').locator('option:checked').innerText(), 'is');
    await rule.getByLabel('Answer').selectOption('yes');

    // Page 3: anything else, in long text.
    await page.getByRole('button', { name: 'Add a page' }).click();
    const q3 = page.locator('#ed-pages-2-questions-0');
    await q3.getByLabel('Type').selectOption('long_text');
    await translations(q3, 'Question').getByLabel('English').fill('Anything else to tell us?');
    await q3.getByLabel('Question id').fill('else');

    // Nothing left to fix; the preview shows the survey.
    await eventually(async () => assert.equal(await summary.count(), 0, 'no problems are listed'));
    const shown = preview(page);
    await checkVisible(shown.getByRole('heading', { name: 'Visiting your GP' }));
    await checkVisible(findQuestion(shown, /Have you seen your GP this year\?/));

    // The preview is updated in place: an answer given in it survives a change to the title.
    await findRadio(findQuestion(shown, /Have you seen your GP/), 'Yes').check();
    await title.getByLabel('English').fill('Visiting your GP surgery');
    await checkVisible(shown.getByRole('heading', { name: 'Visiting your GP surgery' }));
    assert.equal(await findRadio(findQuestion(shown, /Have you seen your GP/), 'Yes').isChecked(), true, 'the answer is kept');

    // Phone width.
    await page.getByRole('button', { name: 'Phone' }).click();
    assert.equal(await page.getByRole('button', { name: 'Phone' }).getAttribute('aria-pressed'), 'true');
    const width = await page.locator('.preview-frame').evaluate((el) => el.getBoundingClientRect().width);
    assert.ok(width <= 375, `the preview is phone wide: ${width}px`);

    // A problem is listed by its place and its link moves focus to the field.
    await q1.getByLabel('Question id').fill('Seen It');
    await checkVisible(summary);
    const link = summary.getByRole('link', { name: /Page 1 › Question 1 “Have you seen your GP this year\?” › Id/ });
    await checkVisible(link);
    await link.click();
    await checkFocused(page, q1.getByLabel('Question id'), 'the question id field, from the problem list');
    assert.match(await q1.getByLabel('Question id').getAttribute('aria-describedby'), /ed-pages-0-questions-0-id-error/);
    // The preview keeps the last good definition meanwhile.
    await checkVisible(shown.getByRole('heading', { name: 'Visiting your GP surgery' }));
    await q1.getByLabel('Question id').fill('seen');
    await eventually(async () => assert.equal(await summary.count(), 0));

    // Publish: version 1, with the snippet filled in with the collector's own URLs.
    await page.getByRole('button', { name: 'Publish' }).click();
    const published = page.getByRole('heading', { name: 'Version 1 is published' });
    await checkVisible(published);
    const snippet = await page.getByLabel(/To put it in a web page/).inputValue();
    assert.ok(snippet.includes(`${suite.server.url}/surveys/gp-visits.json`), snippet);
    assert.ok(snippet.includes(`${suite.server.url}/api/responses`), snippet);
    assert.match(page.url(), /\/admin\/editor\/gp-visits$/, 'the address names the survey now');

    // The web team pastes it into their own page, on their own origin.
    paste.html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Our surgery</title></head>
      <body><h1>Our surgery</h1><p>Tell us about your visits.</p>\n${snippet}\n</body></html>`;
    const site = await context.newPage();
    await site.goto(`${paste.origin}/visits.html`);
    const widget = await revealSurvey(site, { firstQuestion: /Have you seen your GP this year\?/ });
    await findRadio(findQuestion(widget, /Have you seen your GP this year\?/), 'Yes').check();
    await findButton(widget, 'Continue').click();
    // Page 2 is shown because of the answer "Yes".
    const ease = findQuestion(widget, /How easy was it to get an appointment\?/);
    await checkVisible(ease);
    await findRadio(ease, '4').check();
    await findButton(widget, 'Continue').click();
    await checkVisible(widget.getByLabel(/Anything else to tell us\?/));
    await widget.getByLabel(/Anything else to tell us\?/).fill('The new phone line helps.');
    await findButton(widget, 'Send answers').click();
    await checkConfirmation(widget, /Thank you/);

    // Read in the results.
    await page.goto(`${suite.server.url}/admin/surveys/gp-visits`);
    assert.match(await page.locator('.total').innerText(), /^1 response\b/);
    const json = await (await page.request.get(`${suite.server.url}/admin/surveys/gp-visits/responses.json`)).json();
    assert.equal(json.length, 1);
    assert.deepEqual(json[0].answers.seen, 'yes');
    assert.equal(json[0].answers.ease, 4);
    assert.equal(json[0].answers.else, 'The new phone line helps.');
  });
  await context.close();
});
