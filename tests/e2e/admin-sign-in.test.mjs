// The engagement team reads results in a browser, not with curl. A respondent answers the
// survey on the blog (the site's origin); a team member opens the results link they were sent,
// is asked for the admin token, comes back to that very page, downloads the CSV from a link,
// and signs out. A mistyped token gets the form again with its error, tied to the field.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser } from './lib/suite.mjs';
import { DESKTOP, openPage, withArtifactsOnFailure } from './lib/browser.mjs';
import { checkConfirmation, checkFocused, checkVisible, findButton, openSurvey } from './lib/pages.mjs';
import { Q, answerRequiredQuestions } from './lib/survey.mjs';

const suite = serverAndBrowser();

test('a team member signs in from a results link, reads and downloads the answers, and signs out', { timeout: 120_000 }, async () => {
  const { context, page } = await openPage(suite.browser, DESKTOP);
  await withArtifactsOnFailure(page, 'admin sign-in', async () => {
    // A respondent on the blog.
    const widget = await openSurvey(page, `${suite.server.site}/`, { firstQuestion: Q.heard });
    await answerRequiredQuestions(widget, { heard: 'Our website', ease: 4 });
    await findButton(widget, 'Send answers').click();
    await checkConfirmation(widget, Q.completion);

    // The team member opens the results link while signed out.
    const results = `${suite.server.url}/admin/surveys/digital-engagement`;
    await page.goto(results);
    assert.equal(new URL(page.url()).pathname, '/admin/sign-in', 'sent to the sign-in page');
    await checkVisible(page.getByRole('heading', { name: 'Sign in to the results' }));

    // A mistyped token: the form again, the summary focused, the field described by its error.
    await page.getByLabel('Admin token').fill(`${suite.server.token}x`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await checkVisible(page.getByRole('heading', { name: 'There is a problem' }));
    const field = page.getByLabel('Admin token');
    assert.equal(await field.getAttribute('aria-describedby'), 'token-hint token-error');
    await checkVisible(page.locator('#token-error'));
    await page.getByRole('link', { name: 'The admin token is not right' }).click();
    await checkFocused(page, field, 'the token field, from the error summary');

    // The right token: back on the results page, with the answer counted.
    await field.fill(suite.server.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(results);
    await checkVisible(page.getByRole('heading', { name: 'Help us improve how we talk with you online', level: 1 }));
    assert.match(await page.locator('.total').innerText(), /^1 response\b/);

    const [cookie] = (await context.cookies(results)).filter((c) => c.name === 'survey_admin');
    assert.ok(cookie, 'a session cookie is set');
    assert.equal(cookie.httpOnly, true, 'HttpOnly');
    assert.equal(cookie.sameSite, 'Strict', 'SameSite=Strict');
    assert.equal(cookie.path, '/admin');
    assert.ok(cookie.expires > Date.now() / 1000 + 7 * 3600, 'expires in about 8 hours, not at once');

    // The CSV downloads from a link, with the cookie alone.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'download as CSV' }).click(),
    ]);
    const csv = await (await download.createReadStream()).toArray();
    const text = Buffer.concat(csv).toString('utf8');
    assert.equal(text.trim().split('\n').length, 2, `a header and one row: ${text}`);
    assert.match(text, /\bwebsite\b/, 'the answer "Our website" is in the row');

    // All surveys, then sign out; the results need the token again.
    await page.getByRole('link', { name: 'All surveys' }).click();
    await checkVisible(page.getByRole('heading', { name: 'Surveys', level: 1 }));
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${suite.server.url}/admin/sign-in`);
    await page.goto(results);
    assert.equal(new URL(page.url()).pathname, '/admin/sign-in', 'signed out: the form again');
    assert.equal((await context.cookies(results)).filter((c) => c.name === 'survey_admin').length, 0);
  });
  await context.close();
});
