// l. The yew app (embed-yew.html, demo/yew-app): the survey is the crate's `Survey` component,
//    rendered by the app itself in its own DOM with the bundle's stylesheet linked by the page.
//    It is answered and stored once; a route change unmounts it, leaving no survey markup and
//    no listeners behind (two visits leave the same listeners as one); coming back mounts a
//    fresh survey. All under the demo site's strict Content Security Policy.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { storedResponses } from './lib/server.mjs';
import { serverAndBrowser } from './lib/suite.mjs';
import { PHONE, cspViolations, openPage, screenshot, withArtifactsOnFailure } from './lib/browser.mjs';
import { eventListeners, openCdp } from './lib/cdp.mjs';
import { checkConfirmation, checkFocused, checkVisible, findButton, findHeading, findQuestion, pressButton } from './lib/pages.mjs';
import { Q, SURVEY_ID, answerRequiredQuestions, recordSubmissions } from './lib/survey.mjs';
import { eventually } from './lib/wait.mjs';

const suite = serverAndBrowser();

/** What the survey left in the page: its markup, its ids (all start with the app's prefix). */
async function surveyMarkup(page) {
  return page.evaluate(() => ({
    roots: document.querySelectorAll('.sw-root, .sw').length,
    ids: document.querySelectorAll('[id^="yew-survey"]').length,
    controls: document.querySelectorAll('#app input, #app button, #app select, #app textarea').length,
  }));
}

/** Listeners on the window and anywhere in the document (yew's delegated ones included). */
async function listeners(cdp) {
  return {
    window: (await eventListeners(cdp, 'window')).length,
    document: (await eventListeners(cdp, 'document', { subtree: true })).length,
  };
}

test('the yew app answers with the Survey component, and a route change unmounts it cleanly', { timeout: 180_000 }, async () => {
  const { context, page } = await openPage(suite.browser, PHONE);
  const posts = recordSubmissions(page);
  await withArtifactsOnFailure(page, 'l yew app', async () => {
    const cdp = await openCdp(page);
    const wasm = [];
    page.on('request', (request) => {
      if (request.url().endsWith('.wasm')) wasm.push(new URL(request.url()).pathname);
    });
    await page.goto(`${suite.server.site}/embed-yew.html?view=feedback`);
    const nav = page.getByRole('navigation', { name: 'App' });
    await checkVisible(findHeading(page, 'Feedback'));
    const survey = page.locator('#app .yew-survey');
    await checkVisible(findQuestion(survey, Q.heard));
    assert.deepEqual(wasm, ['/yew/survey_demo_yew_bg.wasm'], 'only the app Wasm: the survey is compiled into it');
    assert.equal(await page.evaluate(() => document.querySelector('survey-widget, [data-survey-widget]')), null, 'no embed');
    assert.equal(await survey.evaluate((element) => element.shadowRoot), null, "rendered in the app's own DOM");
    // Styled by the bundle's stylesheet, linked by the page: the green accent of the defaults.
    const continueButton = findButton(survey, 'Continue');
    assert.equal(await continueButton.evaluate((b) => getComputedStyle(b).backgroundColor), 'rgb(0, 112, 60)');
    assert.equal(await survey.getByRole('heading', { level: 2 }).first().textContent(), 'Help us improve how we talk with you online');

    await answerRequiredQuestions(survey);
    await pressButton(survey, 'Send answers');
    const reference = await checkConfirmation(survey, Q.completion);
    await screenshot(page, 'l 01 yew app sent');

    assert.equal(posts.length, 1, 'one POST');
    const sent = JSON.parse(posts[0].body);
    const stored = await eventually(async () => {
      const found = (await storedResponses(suite.server, SURVEY_ID)).filter((r) => r.hidden?.channel === 'yew');
      assert.equal(found.length, 1, 'one stored response from the yew app');
      return found[0];
    });
    assert.equal(stored.submission_id, sent.submission_id);
    assert.deepEqual(stored.answers, { heard: 'website', ease: 3, consent: true });

    // Route change: the app unmounts the survey; the home view heard the onevent callback.
    await nav.getByRole('link', { name: 'Home', exact: true }).tap();
    const home = findHeading(page, 'Your local health services');
    await checkVisible(home);
    await checkFocused(page, home, 'the home heading');
    await checkVisible(page.getByText(`Thank you for your feedback. Your reference is ${reference}.`));
    assert.deepEqual(await surveyMarkup(page), { roots: 0, ids: 0, controls: 0 }, 'nothing of the survey is left');
    const afterFirstVisit = await listeners(cdp);

    // Again: a fresh survey (the delivered one left no draft), then away once more. yew keeps
    // one delegated listener per event type on the app's root, so the first visit may add
    // some; a second visit must add none.
    await nav.getByRole('link', { name: 'Feedback', exact: true }).tap();
    await checkVisible(findQuestion(survey, Q.heard));
    assert.equal(await survey.getByRole('radio', { checked: true }).count(), 0, 'a fresh survey, nothing chosen');
    await page.goBack(); // the browser's Back button is a route change too
    await checkVisible(home);
    await eventually(async () => assert.deepEqual(await surveyMarkup(page), { roots: 0, ids: 0, controls: 0 }));
    assert.deepEqual(await listeners(cdp), afterFirstVisit, 'a second visit leaves no listener behind');

    assert.equal(posts.length, 1, 'nothing more was sent');
    assert.deepEqual(await cspViolations(page), [], 'no Content Security Policy violations');
    assert.deepEqual(page.problems, [], 'no console errors or uncaught exceptions');
  });
  await context.close();
});
