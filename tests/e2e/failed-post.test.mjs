// d. When sending fails (the network drops), the person is told plainly that their answers are
//    saved on this device, the submission waits in the outbox, and it is delivered once the
//    network is back: the same submission_id and the same bytes, stored once, nothing left over.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { storedResponses } from './lib/server.mjs';
import { serverAndBrowser } from './lib/suite.mjs';
import { DESKTOP, openPage, screenshot, surveyEvents, withArtifactsOnFailure } from './lib/browser.mjs';
import {
  checkConfirmation,
  checkStorageEmpty,
  checkVisible,
  findButton,
  findHeading,
  liveRegionTexts,
  openSurvey,
} from './lib/pages.mjs';
import { eventually } from './lib/wait.mjs';
import { outboxEntries } from './lib/outbox.mjs';
import { Q, SURVEY_ID, answerRequiredQuestions, recordSubmissions } from './lib/survey.mjs';

const suite = serverAndBrowser();

test('a failed POST is kept on the device and delivered once when the network is back', { timeout: 120_000 }, async () => {
  const { context, page } = await openPage(suite.browser, DESKTOP);
  const posts = recordSubmissions(page);
  await withArtifactsOnFailure(page, 'd failed post', async () => {
    const widget = await openSurvey(page, `${suite.server.site}/`, { firstQuestion: Q.heard });
    await answerRequiredQuestions(widget);

    const SUBMISSIONS = `${suite.server.url}/api/responses`;
    await page.route(SUBMISSIONS, (route) => route.abort('failed'));
    await findButton(widget, 'Send answers').click();

    const message = await eventually(
      async () => {
        const texts = await liveRegionTexts(page);
        const found = texts.find((text) => /\bsen[dt]\b/i.test(text) && /\bnot\b|n['’]t\b/i.test(text));
        assert.ok(found, `no alert or live region says the answers could not be sent; they say: ${JSON.stringify(texts)}`);
        return found;
      },
      { message: 'the failure was not announced' },
    );
    assert.ok(message.length > 10, `a plain message: "${message}"`);
    await screenshot(page, 'd 01 sending failed');

    // Nothing is lost: the submission is in the outbox, and the person is told so.
    await checkVisible(findHeading(widget, 'Your answers are saved on this device'));
    assert.equal(await findHeading(widget, Q.completion).count(), 0, 'no confirmation while nothing was delivered');
    const outbox = await outboxEntries(page);
    assert.equal(outbox.length, 1, 'one submission waits on the device');
    const [queued] = await eventually(async () => {
      const events = await surveyEvents(page, 'survey:queued');
      assert.equal(events.length, 1, 'survey:queued was dispatched once');
      return events;
    });

    assert.ok(posts.length >= 1, 'the widget tried to POST');
    const first = posts[0];
    assert.ok(first.key, 'the failed POST carried an Idempotency-Key');
    assert.equal(JSON.parse(first.body).submission_id, first.key);
    assert.deepEqual(await storedResponses(suite.server, SURVEY_ID), [], 'nothing reached the collector');

    assert.equal(outbox[0].submission_id, first.key);
    assert.equal(outbox[0].body, first.body, 'the outbox holds exactly what was POSTed');
    assert.equal(queued.detail.submission_id, first.key);

    // The network is back. The widget retries by itself after a short backoff; the person may
    // also press "Try sending now", as here.
    await page.unroute(SUBMISSIONS);
    const retry = findButton(widget, 'Try sending now');
    if (await retry.isVisible()) {
      await retry.click().catch(async (error) => {
        if ((await findHeading(widget, Q.completion).count()) === 0) throw error;
      });
    }
    const reference = await checkConfirmation(widget, Q.completion);
    await screenshot(page, 'd 02 sent after retry');

    for (const post of posts) {
      assert.equal(post.key, first.key, 'every attempt carries the same Idempotency-Key');
      assert.equal(post.body, first.body, 'every attempt sends the same bytes');
    }
    const stored = await storedResponses(suite.server, SURVEY_ID);
    assert.equal(stored.length, 1, 'stored once');
    assert.equal(stored[0].submission_id, first.key, 'the stored submission is the one first attempted');
    assert.equal(stored[0].answers.ease, 3);
    const [completed] = await surveyEvents(page, 'survey:complete');
    assert.equal(completed?.detail?.reference, reference);

    await checkStorageEmpty(page);
  });
  await context.close();
});
