// e in WebKit and Firefox: someone who uses only a keyboard (Tab, Shift+Tab, arrow keys, Space,
// Enter) answers and sends the survey, and finds their way back from the error summary: its
// link, followed with Enter, puts focus on the field it names. Shift+Tab goes through the same
// WebDriver key actions as typing, with every key released in the same sequence.
//
// WebKitGTK moves Tab to buttons and links like Chromium and Firefox; Safari by default does
// not (only with "Press Tab to highlight each item"), so this is not Safari's Tab order.

import assert from 'node:assert/strict';
import { storedResponses } from '../lib/server.mjs';
import { forEachEngine, journey } from '../lib/webdriver-suite.mjs';
import { checkChecked, checkConfirmation, checkErrorSummary, checkFocused, find, openSurvey, tabTo } from '../lib/webdriver-pages.mjs';
import { Q, SURVEY_ID } from '../lib/survey.mjs';

forEachEngine({}, (suite) => {
  journey(suite, 'the survey can be answered and sent with the keyboard alone', async () => {
    const { session, server } = suite;
    await session.setWindowSize(1280, 800);
    const widget = await openSurvey(session, `${server.site}/`, { firstQuestion: Q.heard });

    // From the top of the page into the first question; the arrow key picks the next option.
    const heard = await find(session, widget, 'group', Q.heard);
    const firstRadio = await session.execute((group) => group.querySelector('input[type="radio"]'), heard);
    await tabTo(session, firstRadio, `the first radio of "${Q.heard}"`);
    await session.press('ArrowDown');
    await checkChecked(session, await find(session, heard, 'radio', 'Our website'), true, '"Our website"');
    await tabTo(session, await find(session, widget, 'button', 'Continue'), '"Continue"');
    await session.press('Enter');

    // Second page: the rating with arrow keys, then Shift+Tab back to check it.
    const ease = await find(session, widget, 'group', Q.ease);
    await tabTo(session, await session.execute((group) => group.querySelector('input[type="radio"]'), ease), 'the first rating');
    await session.press('ArrowRight', 'ArrowRight', 'ArrowRight');
    const four = await find(session, ease, 'radio', /^4\b/);
    await checkChecked(session, four, true, 'the rating 4');
    const continueTwo = await find(session, widget, 'button', 'Continue');
    await tabTo(session, continueTwo, '"Continue" on the second page');
    await tabTo(session, four, 'the chosen rating, going back', { back: true });
    await checkChecked(session, four, true, 'the rating 4 after Shift+Tab');
    await tabTo(session, continueTwo, '"Continue" on the second page');
    await session.press('Enter');

    // Last page: send without consent; the error summary's link, with Enter, reaches the box.
    const send = await find(session, widget, 'button', 'Send answers');
    await tabTo(session, send, '"Send answers"');
    await session.press('Enter');
    const summary = await checkErrorSummary(session, widget);
    assert.equal(summary.links.length, 1, 'only the consent is missing');
    await tabTo(session, await find(session, widget, 'link', summary.links[0]), 'the error summary link');
    await session.press('Enter');
    const consent = await find(session, widget, 'checkbox', Q.consent);
    await checkFocused(session, consent, 'the consent box');
    await session.press('Space');
    await checkChecked(session, consent, true, 'the consent box');
    // Typing after Shift+Tab: Shift is not left held down (a WebKitWebDriver trap).
    await tabTo(session, send, '"Send answers"');
    await session.press('Enter');
    await checkConfirmation(session, widget, Q.completion);

    const stored = await storedResponses(server.admin, SURVEY_ID);
    assert.equal(stored.length, 1);
    assert.deepEqual(stored[0].answers, { heard: 'website', ease: 4, consent: true });
    assert.deepEqual(stored[0].hidden, { channel: 'blog' });
  });
});
