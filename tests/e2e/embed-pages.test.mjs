// h. The survey mounted from JavaScript rather than the script tag: the ES module page
//    (embed-module.html: the site's own module file imports index.mjs from the collector and
//    calls mount()) and the React app (embed-react.html, demo/react) each answer and submit
//    once, and the collector stores it;
//    in the React app a route change destroys the widget and coming back mounts a fresh one.
//    The themed page (embed-theme.html) shows the host's brand inside the widget.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { storedResponses } from './lib/server.mjs';
import { serverAndBrowser } from './lib/suite.mjs';
import { DESKTOP, PHONE, cspViolations, openPage, screenshot, withArtifactsOnFailure } from './lib/browser.mjs';
import { checkConfirmation, checkVisible, findButton, findHeading, findQuestion, findWidget, openSurvey, pressButton } from './lib/pages.mjs';
import { Q, SURVEY_ID, answerRequiredQuestions, recordSubmissions } from './lib/survey.mjs';
import { eventually } from './lib/wait.mjs';

const suite = serverAndBrowser();

/** Answers the required questions, sends, and returns the reference the widget shows. */
async function answerAndSend(widget) {
  await answerRequiredQuestions(widget);
  await pressButton(widget, 'Send answers');
  return checkConfirmation(widget, Q.completion);
}

/** The one stored response from `channel`, checked against what the page sent. */
async function checkStoredOnce(posts, channel) {
  assert.equal(posts.length, 1, 'one POST to /api/responses');
  const sent = JSON.parse(posts[0].body);
  const stored = (await storedResponses(suite.server, SURVEY_ID)).filter((response) => response.hidden?.channel === channel);
  assert.equal(stored.length, 1, `exactly one stored response from the ${channel} page`);
  assert.equal(stored[0].submission_id, sent.submission_id);
  assert.deepEqual(stored[0].answers, { heard: 'website', ease: 3, consent: true });
  return stored[0];
}

/** Every widget container in the page, in any open shadow root or in the light DOM. */
async function widgetContainers(page) {
  return page.evaluate(() => window.__e2e.queryAll('.sw-root').length);
}

test('the ES module page mounts the survey with mount(), and its answers are stored once', { timeout: 120_000 }, async () => {
  const { context, page } = await openPage(suite.browser, DESKTOP);
  const posts = recordSubmissions(page);
  await withArtifactsOnFailure(page, 'h module page', async () => {
    const widget = await openSurvey(page, `${suite.server.site}/embed-module.html`, { selector: '#survey', firstQuestion: Q.heard });
    assert.equal(await page.evaluate(() => typeof window.SurveyWidget), 'undefined', 'no classic loader on this page');
    assert.equal(await widget.evaluate((host) => host.shadowRoot?.mode ?? null), 'open', 'rendered in an open shadow root');
    // headingLevel: 3 under the page's h2.
    assert.equal(await widget.getByRole('heading', { level: 3 }).first().textContent(), 'Help us improve how we talk with you online');

    const reference = await answerAndSend(widget);
    // The page's own script heard survey:complete.
    await checkVisible(page.getByText(`Thank you: your answers reached us, with the reference ${reference}.`));
    await screenshot(page, 'h 01 module page sent');
    await checkStoredOnce(posts, 'module');

    assert.deepEqual(await cspViolations(page), [], 'no Content Security Policy violations');
    assert.deepEqual(page.problems, [], 'no console errors or uncaught exceptions');
  });
  await context.close();
});

test('the React app answers once, destroys the widget on a route change and mounts it again', { timeout: 180_000 }, async () => {
  const { context, page } = await openPage(suite.browser, PHONE);
  const posts = recordSubmissions(page);
  await withArtifactsOnFailure(page, 'h react page', async () => {
    const widget = await openSurvey(page, `${suite.server.site}/embed-react.html?view=survey`, {
      selector: '.react-survey',
      firstQuestion: Q.heard,
    });
    await checkVisible(findHeading(page, 'Have your say'));
    const reference = await answerAndSend(widget);
    await screenshot(page, 'h 02 react app sent');
    await checkStoredOnce(posts, 'react');

    // Route change: React unmounts the view; the effect's cleanup destroys the widget.
    const host = await widget.elementHandle();
    const appNav = page.getByRole('navigation', { name: 'App' });
    await appNav.getByRole('link', { name: 'Home', exact: true }).tap();
    await checkVisible(findHeading(page, 'Your local health services'));
    // The home view heard survey:complete through the component's onComplete.
    await checkVisible(page.getByText(`Your reference is ${reference}.`));
    await eventually(async () => {
      const left = await host.evaluate((element) => ({
        inPage: element.isConnected,
        shadowChildren: element.shadowRoot ? element.shadowRoot.childNodes.length : null,
      }));
      // React removing the element would not empty its shadow root; destroy() does.
      assert.deepEqual(left, { inPage: false, shadowChildren: 0 }, 'the old host is out of the page and its widget is gone');
    });
    assert.equal(await widgetContainers(page), 0, 'no widget left anywhere in the page');
    await host.dispose();
    await screenshot(page, 'h 03 react app home');

    // Back to the survey: a fresh widget, ready to answer.
    await appNav.getByRole('link', { name: 'Have your say', exact: true }).tap();
    const again = findWidget(page, '.react-survey');
    await checkVisible(findQuestion(again, Q.heard));
    await checkVisible(findButton(again, 'Continue'));
    assert.equal(await widgetContainers(page), 1, 'one widget, mounted again');

    // The browser's Back button is a route change too.
    await page.goBack();
    await checkVisible(findHeading(page, 'Your local health services'));
    await eventually(async () => assert.equal(await widgetContainers(page), 0, 'Back destroyed the widget'));

    assert.equal(posts.length, 1, 'nothing more was sent');
    assert.deepEqual(await cspViolations(page), [], 'no Content Security Policy violations');
    assert.deepEqual(page.problems, [], 'no console errors or uncaught exceptions');
  });
  await context.close();
});

test('the themed page shows the host brand inside the widget through the custom properties', { timeout: 120_000 }, async () => {
  const { context, page } = await openPage(suite.browser, DESKTOP);
  await withArtifactsOnFailure(page, 'h theme page', async () => {
    const widget = await openSurvey(page, `${suite.server.site}/embed-theme.html`, { firstQuestion: Q.heard });
    const button = findButton(widget, 'Continue');
    await checkVisible(button);
    const style = await button.evaluate((element) => {
      const computed = getComputedStyle(element);
      return {
        background: computed.backgroundColor,
        color: computed.color,
        radius: computed.borderTopLeftRadius,
        font: computed.fontFamily,
      };
    });
    assert.equal(style.background, 'rgb(91, 42, 134)', 'the accent is the host brand purple');
    assert.equal(style.color, 'rgb(255, 255, 255)', 'the accent text is the host white');
    assert.equal(style.radius, '12px', 'the host radius');
    assert.match(style.font, /Trebuchet MS/, 'the host font');
    await screenshot(page, 'h 04 themed page', { fullPage: true });
    assert.deepEqual(await cspViolations(page), [], 'no Content Security Policy violations');
    assert.deepEqual(page.problems, [], 'no console errors or uncaught exceptions');
  });
  await context.close();
});
