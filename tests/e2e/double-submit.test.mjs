// c. Pressing "Send answers" twice stores the answers once, and so does the same submission
//    arriving again later (a retry after a lost response): the collector answers 200 with the
//    same reference. Uses the <div data-survey-widget> embed on the news page.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { storedResponses } from './lib/server.mjs';
import { serverAndBrowser } from './lib/suite.mjs';
import { DESKTOP, openPage, withArtifactsOnFailure } from './lib/browser.mjs';
import { checkConfirmation, findButton, openSurvey } from './lib/pages.mjs';
import { eventually } from './lib/wait.mjs';
import { Q, SURVEY_ID, answerRequiredQuestions, recordSubmissions } from './lib/survey.mjs';

const DIV = '[data-survey-widget]';

const suite = serverAndBrowser();

/** Waits until every POST the page made has either finished or failed. */
async function allSettled(posts) {
  await eventually(() => assert.ok(posts.every((post) => post.outcome !== null), 'a POST is still in flight'));
}

test('a double click on "Send answers" stores one response, and a resend is answered with the same reference', { timeout: 120_000 }, async () => {
  const { context, page } = await openPage(suite.browser, DESKTOP);
  const posts = recordSubmissions(page);
  await withArtifactsOnFailure(page, 'c double click', async () => {
    const widget = await openSurvey(page, `${suite.server.site}/embed-div.html`, { selector: DIV, firstQuestion: Q.heard });
    assert.equal(
      await widget.evaluate((host) => host.shadowRoot?.mode ?? null),
      'open',
      'the div embed renders in an open shadow root too',
    );
    await answerRequiredQuestions(widget);

    await findButton(widget, 'Send answers').dblclick();
    const reference = await checkConfirmation(widget, Q.completion);
    await allSettled(posts);

    assert.ok(posts.length >= 1, 'the answers were POSTed');
    const key = posts[0].key;
    for (const post of posts) {
      assert.equal(post.key, key, 'every POST carries the same Idempotency-Key');
      assert.equal(JSON.parse(post.body).submission_id, key, 'and the same submission_id');
    }

    const stored = (await storedResponses(suite.server, SURVEY_ID)).filter((response) => response.hidden?.channel === 'cms');
    assert.equal(stored.length, 1, 'one stored response for the news page');
    assert.equal(stored[0].submission_id, key);

    // The same submission again, as a retry whose first response was lost would send it.
    const resend = await fetch(`${suite.server.url}/api/responses`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key },
      body: posts[0].body,
    });
    const resendBody = await resend.text();
    assert.equal(resend.status, 200, `a resend is answered 200, not stored again: ${resendBody}`);
    assert.equal(JSON.parse(resendBody).reference, reference, 'a resend gets the same reference');

    const afterResend = (await storedResponses(suite.server, SURVEY_ID)).filter((response) => response.submission_id === key);
    assert.equal(afterResend.length, 1, 'still one stored response after the resend');
  });
  await context.close();
});

test('two presses within the same moment store one response', { timeout: 120_000 }, async () => {
  const { context, page } = await openPage(suite.browser, DESKTOP);
  const posts = recordSubmissions(page);
  await withArtifactsOnFailure(page, 'c same moment', async () => {
    const storedBefore = (await storedResponses(suite.server, SURVEY_ID)).length;
    const widget = await openSurvey(page, `${suite.server.site}/embed-div.html`, { selector: DIV, firstQuestion: Q.heard });
    await answerRequiredQuestions(widget, { heard: 'Email newsletter', ease: 5 });

    // Both clicks run before the widget can re-render or disable anything.
    await findButton(widget, 'Send answers').evaluate((button) => {
      button.click();
      button.click();
    });
    await checkConfirmation(widget, Q.completion);
    await allSettled(posts);

    const keys = new Set(posts.map((post) => post.key));
    assert.equal(keys.size, 1, 'every POST carries the same Idempotency-Key');
    const stored = await storedResponses(suite.server, SURVEY_ID);
    assert.equal(stored.length, storedBefore + 1, 'exactly one more stored response');
    assert.equal(stored.filter((response) => keys.has(response.submission_id)).length, 1);
  });
  await context.close();
});
