// "Try sending now" delivers, and nothing else does. The page's clock is paused, so the
// widget's own backoff can never fire; no `online` event comes; the network refuses every POST
// until the moment the button is pressed. If the answers arrive, the button sent them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser } from './lib/suite.mjs';
import { storedResponses } from './lib/server.mjs';
import { DESKTOP, openPage, withArtifactsOnFailure } from './lib/browser.mjs';
import { checkConfirmation, checkStorageEmpty, checkVisible, findButton, findHeading, openSurvey } from './lib/pages.mjs';
import { Q, SURVEY_ID, answerRequiredQuestions, recordSubmissions } from './lib/survey.mjs';
import { eventually } from './lib/wait.mjs';

const suite = serverAndBrowser();

test('only "Try sending now" delivers answers kept on the device, at once and once', { timeout: 120_000 }, async () => {
  const { context, page } = await openPage(suite.browser, DESKTOP);
  const posts = recordSubmissions(page);
  await withArtifactsOnFailure(page, 'try sending now', async () => {
    // Timers stand still from the start: only what the test does moves the widget on.
    await page.clock.install();
    // A moment ahead of now: the clock can only be moved forward (a fixed date would stop
    // working once it had passed).
    await page.clock.pauseAt(new Date(Date.now() + 60_000));
    const widget = await openSurvey(page, `${suite.server.site}/`, { firstQuestion: Q.heard });
    await answerRequiredQuestions(widget);

    const SUBMISSIONS = `${suite.server.url}/api/responses`;
    let open = false;
    await page.route(SUBMISSIONS, (route) => (open ? route.continue() : route.abort('internetdisconnected')));
    await findButton(widget, 'Send answers').click();
    await checkVisible(findHeading(widget, 'Your answers are saved on this device'));
    const failed = posts.length;
    assert.ok(failed >= 1, 'the first attempt was made and failed');

    // A while of real time with the clock paused: the widget makes no attempt of its own.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(posts.length, failed, 'no attempt without the button');
    assert.deepEqual(await storedResponses(suite.server, SURVEY_ID), [], 'nothing stored yet');

    // The network is back, and the person presses the button.
    open = true;
    await findButton(widget, 'Try sending now').click();
    await checkConfirmation(widget, Q.completion);
    await eventually(() => assert.equal(posts.filter((p) => p.outcome === 'finished').length, 1, 'one attempt went through'));
    assert.equal(posts.length, failed + 1, 'exactly one attempt after the press: the button\'s');
    const stored = await storedResponses(suite.server, SURVEY_ID);
    assert.equal(stored.length, 1, 'stored once');
    assert.equal(stored[0].submission_id, posts[0].key, 'the kept submission, not a new one');
    await checkStorageEmpty(page);
  });
  await context.close();
});
