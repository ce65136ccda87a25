// b in WebKit and Firefox. A person on a phone-sized screen answers the survey on the blog post:
// is told what is missing, follows the error summary's link, changes their mind about "None of
// these", goes back and finds their answers kept, forgets the consent, sends; the collector
// then holds exactly their answers, and nothing is left on the device. The blog post comes from
// the site's origin and the widget, definition and answers from the collector's, so this is
// also the cross-origin journey under the site's strict Content Security Policy.

import assert from 'node:assert/strict';
import { storedResponses } from '../lib/server.mjs';
import { forEachEngine, journey } from '../lib/webdriver-suite.mjs';
import {
  checkChecked,
  checkConfirmation,
  checkErrorSummary,
  checkFocused,
  checkNoHorizontalScroll,
  checkValue,
  eventually,
  find,
  openSurvey,
  press,
  recorded,
  saveScreenshot,
  setChecked,
  storageKeys,
  typeInto,
} from '../lib/webdriver-pages.mjs';
import { Q, SURVEY_ID } from '../lib/survey.mjs';

const IMPROVE = 'Answer messages on Facebook, and put surveys like this one in the newsletter';
/**
 * The narrowest windows these browsers open (MiniBrowser 447 px, Firefox 500 px) are wider than
 * a phone, but the widget lays out by its own width and keeps its narrow, phone layout below
 * 36em (576 px), so a viewport up to 500 px shows what a phone shows.
 */
const PHONE_WIDTH_AT_MOST = 500;

forEachEngine({}, (suite, engine) => {
  journey(suite, 'a person on a phone answers the survey and the collector stores exactly their answers', async () => {
    const { session, server } = suite;
    const [width] = await session.setWindowSize(390, 844);
    assert.ok(width <= PHONE_WIDTH_AT_MOST, `the viewport is phone-sized: ${width}px`);
    const touch = { touch: true };
    const shot = (label) => saveScreenshot(session, `${engine.name}-b-${label}`);

    const widget = await openSurvey(session, `${server.site}/`, { firstQuestion: Q.heard });
    await checkNoHorizontalScroll(session);

    // Nothing answered: the error summary says what is missing and takes focus.
    await press(session, widget, 'button', 'Continue', touch);
    const summary = await checkErrorSummary(session, widget);
    assert.equal(summary.links.length, 1, 'one required question is unanswered on the first page');
    await shot('error-summary');

    // Its link takes the person to the question's first radio.
    await press(session, widget, 'link', summary.links[0], touch);
    const heard = await find(session, widget, 'group', Q.heard);
    const firstRadio = await session.execute((group) => group.querySelector('input[type="radio"]'), heard);
    await checkFocused(session, firstRadio, `the first radio of "${Q.heard}"`);

    // "Somewhere else" with details; "None of these" unticks the others.
    await setChecked(session, heard, 'radio', 'Somewhere else', true, touch);
    await typeInto(session, widget, Q.heardDetail, 'A leaflet in the library', touch);
    const channels = await find(session, widget, 'group', Q.channels);
    const email = await setChecked(session, channels, 'checkbox', 'Email', true, touch);
    const telephone = await setChecked(session, channels, 'checkbox', 'Telephone', true, touch);
    const none = await setChecked(session, channels, 'checkbox', 'None of these', true, touch);
    await checkChecked(session, email, false, '"Email" after "None of these"');
    await checkChecked(session, telephone, false, '"Telephone" after "None of these"');
    await setChecked(session, channels, 'checkbox', 'None of these', false, touch);
    await setChecked(session, channels, 'checkbox', 'Email', true, touch);
    await shot('first-page');
    await press(session, widget, 'button', 'Continue', touch);

    // Second page.
    const ease = await find(session, widget, 'group', Q.ease);
    assert.equal(await session.execute((g) => g.querySelectorAll('input[type="radio"]').length, ease), 5, 'the rating offers 1 to 5');
    await setChecked(session, ease, 'radio', /^4\b/, true, touch);
    await typeInto(session, widget, Q.improve, IMPROVE, touch);
    await typeInto(session, widget, Q.area, 'Northfield', touch);
    await checkNoHorizontalScroll(session);

    // Back keeps the first page's answers, and Continue the second's.
    await press(session, widget, 'button', 'Back', touch);
    const heardAgain = await find(session, widget, 'group', Q.heard);
    await checkChecked(session, await find(session, heardAgain, 'radio', 'Somewhere else'), true, '"Somewhere else"');
    await checkValue(session, await find(session, widget, 'field', Q.heardDetail), 'A leaflet in the library');
    const channelsAgain = await find(session, widget, 'group', Q.channels);
    await checkChecked(session, await find(session, channelsAgain, 'checkbox', 'Email'), true, '"Email"');
    await checkChecked(session, await find(session, channelsAgain, 'checkbox', 'Telephone'), false, '"Telephone"');
    await press(session, widget, 'button', 'Continue', touch);
    const easeAgain = await find(session, widget, 'group', Q.ease);
    await checkChecked(session, await find(session, easeAgain, 'radio', /^4\b/), true, 'the rating 4');
    await checkValue(session, await find(session, widget, 'field', Q.area), 'Northfield');
    await press(session, widget, 'button', 'Continue', touch);

    // Without the consent nothing is sent.
    await find(session, widget, 'checkbox', Q.consent);
    await press(session, widget, 'button', 'Send answers', touch);
    const consentSummary = await checkErrorSummary(session, widget);
    assert.equal(consentSummary.links.length, 1, 'only the consent is missing');
    assert.equal(server.gate.requestsFor('/api/responses').length, 0, 'nothing is sent while an answer is missing');

    await setChecked(session, widget, 'checkbox', Q.consent, true, touch);
    await press(session, widget, 'button', 'Send answers', touch);
    const reference = await checkConfirmation(session, widget, Q.completion);
    await checkNoHorizontalScroll(session);
    await shot('confirmation');

    // One POST, through the collector's origin; the stored answers are exactly these.
    const posts = server.gate.requestsFor('/api/responses').filter((r) => r.method === 'POST');
    assert.equal(posts.length, 1, 'one POST to /api/responses');
    const stored = await storedResponses(server.admin, SURVEY_ID);
    assert.equal(stored.length, 1, 'exactly one stored response');
    assert.equal(stored[0].anonymous, true);
    assert.deepEqual(stored[0].answers, { heard: 'other', channels: ['email'], ease: 4, improve: IMPROVE, area: 'Northfield', consent: true });
    assert.deepEqual(stored[0].other_text, { heard: 'A leaflet in the library' });
    assert.deepEqual(stored[0].hidden, { channel: 'blog' });

    const { events, csp, errors } = await recorded(session);
    const completed = events.find((e) => e.type === 'survey:complete');
    assert.ok(completed, 'survey:complete was dispatched');
    assert.equal(completed.detail.reference, reference, 'survey:complete carries the reference shown');
    assert.equal(completed.detail.submission_id, stored[0].submission_id);
    assert.deepEqual(csp, [], 'no Content Security Policy violations');
    assert.deepEqual(errors, [], 'no uncaught errors');
    // Anonymous: once delivered, nothing about the person stays on the device.
    await eventually(async () => assert.deepEqual(await storageKeys(session), []), { message: 'localStorage is empty after delivery' });
  });
});
