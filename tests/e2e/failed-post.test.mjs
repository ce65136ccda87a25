// d. When sending fails (the network drops), the person is told plainly, nothing they entered
//    is lost, and sending again delivers the same submission: same submission_id, stored once.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, storedResponses } from './lib/server.mjs';
import { DESKTOP, launchBrowser, openPage, screenshot, surveyEvents, withArtifactsOnFailure } from './lib/browser.mjs';
import {
  checkChecked,
  checkConfirmation,
  checkStorageEmpty,
  checkVisible,
  findButton,
  findCheckbox,
  findHeading,
  liveRegionTexts,
  openSurvey,
} from './lib/pages.mjs';
import { eventually } from './lib/wait.mjs';
import { Q, SURVEY_ID, answerRequiredQuestions, recordSubmissions } from './lib/survey.mjs';

const SUBMISSIONS = '**/api/responses';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a failed POST keeps the answers, and sending again delivers the same submission once', { timeout: 120_000 }, async () => {
  const { context, page } = await openPage(browser, DESKTOP);
  const posts = recordSubmissions(page);
  await withArtifactsOnFailure(page, 'd failed post', async () => {
    const widget = await openSurvey(page, `${server.url}/`, { firstQuestion: Q.heard });
    await answerRequiredQuestions(widget);

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

    // Nothing is lost: still on the last page, the consent still ticked, no confirmation.
    await checkChecked(findCheckbox(widget, Q.consent), true);
    await checkVisible(findButton(widget, 'Send answers'));
    assert.equal(await findHeading(widget, Q.completion).count(), 0, 'no confirmation while nothing was delivered');

    assert.ok(posts.length >= 1, 'the widget tried to POST');
    const first = posts[0];
    assert.ok(first.key, 'the failed POST carried an Idempotency-Key');
    assert.equal(JSON.parse(first.body).submission_id, first.key);
    assert.deepEqual(await storedResponses(server, SURVEY_ID), [], 'nothing reached the collector');

    // The network is back. The widget may already be retrying by itself; if the button is
    // still there, press it as the person would.
    await page.unroute(SUBMISSIONS);
    const send = findButton(widget, 'Send answers');
    if (await send.isVisible()) {
      await send.click().catch(async (error) => {
        if ((await findHeading(widget, Q.completion).count()) === 0) throw error;
      });
    }
    const reference = await checkConfirmation(widget, Q.completion);
    await screenshot(page, 'd 02 sent after retry');

    for (const post of posts) {
      assert.equal(post.key, first.key, 'every attempt carries the same Idempotency-Key');
    }
    const stored = await storedResponses(server, SURVEY_ID);
    assert.equal(stored.length, 1, 'stored once');
    assert.equal(stored[0].submission_id, first.key, 'the stored submission is the one first attempted');
    assert.equal(stored[0].answers.ease, 3);
    const [completed] = await surveyEvents(page, 'survey:complete');
    assert.equal(completed?.detail?.reference, reference);

    await checkStorageEmpty(page);
  });
  await context.close();
});
