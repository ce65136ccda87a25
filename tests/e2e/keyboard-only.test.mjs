// e. Someone who uses only a keyboard (Tab, Shift+Tab, arrow keys, Space, Enter) can answer
//    and send the survey, including finding their way back from the error summary.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { storedResponses } from './lib/server.mjs';
import { serverAndBrowser } from './lib/suite.mjs';
import { DESKTOP, openPage, screenshot, withArtifactsOnFailure } from './lib/browser.mjs';
import {
  checkChecked,
  checkConfirmation,
  checkErrorSummaryMatchesInlineErrors,
  checkFocused,
  checkVisible,
  describeFocus,
  findButton,
  findCheckbox,
  findQuestion,
  findRadio,
  openSurvey,
  tabTo,
} from './lib/pages.mjs';
import { Q, SURVEY_ID } from './lib/survey.mjs';
import { storedReference } from './lib/csv.mjs';

const suite = serverAndBrowser();

/** The focused element shows a focus indicator: an outline of 2 px or more, or a box shadow. */
async function checkFocusIndicator(page, what) {
  const style = await page.evaluate(() => {
    const style = getComputedStyle(window.__e2e.deepActive());
    return { outlineStyle: style.outlineStyle, outlineWidth: style.outlineWidth, boxShadow: style.boxShadow };
  });
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  assert.ok(outline || style.boxShadow !== 'none', `${what} shows no focus indicator: ${JSON.stringify(style)}`);
}

test('the survey can be answered and sent with the keyboard alone', { timeout: 120_000 }, async () => {
  const { context, page } = await openPage(suite.browser, DESKTOP);
  await withArtifactsOnFailure(page, 'e keyboard', async () => {
    const widget = await openSurvey(page, `${suite.server.site}/`, { firstQuestion: Q.heard });

    // From the top of the page into the first question; the arrow key picks the next option.
    const heard = findQuestion(widget, Q.heard);
    await tabTo(page, heard.getByRole('radio').first(), `the first radio of "${Q.heard}"`);
    await page.keyboard.press('ArrowDown');
    await checkChecked(findRadio(heard, 'Our website'), true);

    const continueButton = findButton(widget, 'Continue');
    await tabTo(page, continueButton, '"Continue"');
    await checkFocusIndicator(page, '"Continue"');
    await page.keyboard.press('Enter');

    // Second page: the rating with arrow keys, then Shift+Tab back to check it.
    const ease = findQuestion(widget, Q.ease);
    await checkVisible(ease);
    await tabTo(page, ease.getByRole('radio').first(), `the first radio of "${Q.ease}"`);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    const four = findRadio(ease, /^4\b/);
    await checkChecked(four, true);
    await tabTo(page, findButton(widget, 'Continue'), '"Continue" on the second page');
    await tabTo(page, four, 'the chosen rating, going back', { back: true });
    await checkChecked(four, true);
    await tabTo(page, findButton(widget, 'Continue'), '"Continue" on the second page');
    await page.keyboard.press('Enter');

    // Last page: send without consent, follow the error summary's link with Enter.
    const send = findButton(widget, 'Send answers');
    await checkVisible(send);
    await tabTo(page, send, '"Send answers"');
    await page.keyboard.press('Enter');
    const summary = await checkErrorSummaryMatchesInlineErrors(page, widget);
    await tabTo(page, widget.getByRole('link', { name: summary.links[0], exact: true }), 'the error summary link');
    await page.keyboard.press('Enter');
    const consent = findCheckbox(widget, Q.consent);
    await checkFocused(page, consent, 'the consent box');
    await page.keyboard.press('Space');
    await checkChecked(consent, true);

    await tabTo(page, send, '"Send answers"');
    await page.keyboard.press('Enter');
    const reference = await checkConfirmation(widget, Q.completion);
    await screenshot(page, 'e 01 sent by keyboard');

    const stored = await storedResponses(suite.server, SURVEY_ID);
    assert.equal(stored.length, 1);
    assert.deepEqual(stored[0].answers, { heard: 'website', ease: 4, consent: true });
    assert.deepEqual(stored[0].hidden, { channel: 'blog' });
    // The reference on the confirmation is the one the collector stored for this submission.
    assert.equal(await storedReference(suite.server, SURVEY_ID, stored[0].submission_id), reference);
  });
  await context.close();
});
