// b. A person on a phone answers the survey on the blog post: gets told what is missing, fixes
//    it, changes their mind, goes back, sends; the collector then holds exactly their answers,
//    anonymously. A screenshot of each step goes to tests/e2e/artifacts/b-NN-*.png.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { storedResponses, storedResponsesCsv } from './lib/server.mjs';
import { serverAndBrowser } from './lib/suite.mjs';
import { PHONE, cspViolations, openPage, screenshot, surveyEvents, withArtifactsOnFailure } from './lib/browser.mjs';
import {
  UUID_V4,
  checkChecked,
  checkConfirmation,
  checkErrorSummaryMatchesInlineErrors,
  checkFocused,
  checkNoHorizontalScroll,
  checkStorageEmpty,
  checkValue,
  checkVisible,
  choose,
  findCheckbox,
  findField,
  findQuestion,
  findRadio,
  openSurvey,
  pressButton,
  tick,
  typeInto,
  untick,
} from './lib/pages.mjs';
import { Q, SURVEY_ID, recordSubmissions } from './lib/survey.mjs';
import { storedReference } from './lib/csv.mjs';

const IMPROVE = 'Answer messages on Facebook, and put surveys like this one in the newsletter';
const touch = { touch: true };

const suite = serverAndBrowser();

test('a person on a phone answers the survey and the collector stores exactly their answers', { timeout: 180_000 }, async () => {
  const { context, page } = await openPage(suite.browser, PHONE);
  const posts = recordSubmissions(page);
  const requested = [];
  page.on('request', (request) => requested.push(request.url()));
  let step = 0;
  const shot = (label) => screenshot(page, `b ${String(++step).padStart(2, '0')} ${label}`);

  await withArtifactsOnFailure(page, 'b phone', async () => {
    const widget = await openSurvey(page, `${suite.server.site}/`, { firstQuestion: Q.heard });
    await checkNoHorizontalScroll(page);
    await shot('first page');

    // Nothing answered: the error summary says what is missing and takes focus.
    await pressButton(widget, 'Continue', touch);
    const summary = await checkErrorSummaryMatchesInlineErrors(page, widget);
    assert.equal(summary.links.length, 1, 'one required question is unanswered on the first page');
    await checkVisible(findQuestion(widget, Q.heard));
    await shot('error summary');

    // Its link takes the person to the question.
    await widget.getByRole('link', { name: summary.links[0], exact: true }).tap();
    const heard = findQuestion(widget, Q.heard);
    await checkFocused(page, heard.getByRole('radio').first(), `the first radio of "${Q.heard}"`);
    await shot('focus on the question');

    // First page: "Somewhere else" with details, and a change of mind on the checkboxes.
    await choose(findRadio(heard, 'Somewhere else'), touch);
    const heardDetail = findField(widget, Q.heardDetail);
    await checkVisible(heardDetail);
    await typeInto(heardDetail, 'A leaflet in the library', touch);

    const channels = findQuestion(widget, Q.channels);
    const email = findCheckbox(channels, 'Email');
    const telephone = findCheckbox(channels, 'Telephone');
    const none = findCheckbox(channels, 'None of these');
    await tick(email, touch);
    await tick(telephone, touch);
    await shot('first page answered');

    await tick(none, touch);
    await checkChecked(email, false);
    await checkChecked(telephone, false);
    await shot('none of these unticks the others');

    await untick(none, touch);
    await tick(email, touch);
    await checkChecked(telephone, false);
    await checkChecked(none, false);
    await pressButton(widget, 'Continue', touch);

    // Second page.
    const ease = findQuestion(widget, Q.ease);
    await checkVisible(ease);
    assert.equal(await ease.getByRole('radio').count(), 5, 'the rating offers 1 to 5');
    await choose(findRadio(ease, /^4\b/), touch);
    await typeInto(findField(widget, Q.improve), IMPROVE, touch);
    await typeInto(findField(widget, Q.area), 'Northfield', touch);
    await checkNoHorizontalScroll(page);
    await shot('second page answered');

    // Back: the first page's answers are still there.
    await pressButton(widget, 'Back', touch);
    await checkVisible(findQuestion(widget, Q.heard));
    await checkChecked(findRadio(findQuestion(widget, Q.heard), 'Somewhere else'), true);
    await checkValue(findField(widget, Q.heardDetail), 'A leaflet in the library');
    await checkChecked(email, true);
    await checkChecked(telephone, false);
    await checkChecked(none, false);
    await shot('back keeps the answers');

    // Forward again: so are the second page's.
    await pressButton(widget, 'Continue', touch);
    await checkVisible(ease);
    await checkChecked(findRadio(ease, /^4\b/), true);
    await checkValue(findField(widget, Q.improve), IMPROVE);
    await checkValue(findField(widget, Q.area), 'Northfield');
    await pressButton(widget, 'Continue', touch);

    // Last page: sending without the consent is refused, and nothing is sent.
    const consent = findCheckbox(widget, Q.consent);
    await checkVisible(consent);
    await shot('last page');
    await pressButton(widget, 'Send answers', touch);
    const consentSummary = await checkErrorSummaryMatchesInlineErrors(page, widget);
    assert.equal(consentSummary.links.length, 1, 'only the consent is missing');
    assert.equal(posts.length, 0, 'nothing is sent while an answer is missing');
    await shot('consent missing');

    await tick(consent, touch);
    await pressButton(widget, 'Send answers', touch);
    const reference = await checkConfirmation(widget, Q.completion);
    await checkNoHorizontalScroll(page);
    await shot('confirmation');

    // Events the host page can listen to.
    const [submitted] = await surveyEvents(page, 'survey:submit');
    const [completed] = await surveyEvents(page, 'survey:complete');
    assert.ok(submitted, 'survey:submit was dispatched');
    assert.ok(completed, 'survey:complete was dispatched');
    assert.equal(completed.detail.survey_id, SURVEY_ID);
    assert.equal(completed.detail.reference, reference, 'survey:complete carries the reference shown');
    assert.equal(completed.detail.submission_id, submitted.detail.submission_id);

    // What went over the wire: one JSON POST, keyed by its submission id, with no cookie.
    assert.equal(posts.length, 1, 'one POST to /api/responses');
    const [post] = posts;
    assert.equal(post.request.url(), `${suite.server.url}/api/responses`, 'the answers go to the collector');
    assert.match(post.contentType ?? '', /^application\/json/);
    assert.equal(post.cookie, undefined, 'no cookie is sent');
    const sent = JSON.parse(post.body);
    assert.equal(post.key, sent.submission_id, 'Idempotency-Key is the submission id');
    assert.equal(sent.submission_id, completed.detail.submission_id);
    // The page comes from the site and the widget from the collector: nothing else is asked.
    const foreign = requested.filter(
      (url) => !url.startsWith(`${suite.server.site}/`) && !url.startsWith(`${suite.server.url}/`) && !/^(data|blob):/.test(url),
    );
    assert.deepEqual(foreign, [], 'no request goes anywhere but the site and the collector');
    assert.ok(requested.some((url) => url.startsWith(`${suite.server.site}/`)), 'the page came from the site');
    assert.ok(requested.some((url) => url.startsWith(`${suite.server.url}/survey-widget/`)), 'the widget came from the collector');

    // What the collector stored.
    const stored = await storedResponses(suite.server, SURVEY_ID);
    assert.equal(stored.length, 1, 'exactly one stored response');
    const [response] = stored;
    assert.equal(response.format, 'survey-response/1');
    assert.deepEqual(response.survey, { id: SURVEY_ID, version: 1 });
    assert.equal(response.anonymous, true);
    assert.equal(response.language, 'en');
    assert.ok(!('context' in response), 'an anonymous response has no context');
    assert.match(response.submission_id, UUID_V4, 'submission_id is a UUID v4');
    assert.equal(response.submission_id, sent.submission_id);
    assert.ok(!Number.isNaN(Date.parse(response.submitted_at)), 'submitted_at is a date and time');
    assert.deepEqual(response.answers, {
      heard: 'other',
      channels: ['email'],
      ease: 4,
      improve: IMPROVE,
      area: 'Northfield',
      consent: true,
    });
    assert.deepEqual(response.other_text, { heard: 'A leaflet in the library' });
    assert.deepEqual(response.hidden, { channel: 'blog' });
    // The reference on the confirmation is the one the collector stored for this submission.
    assert.equal(await storedReference(suite.server, SURVEY_ID, response.submission_id), reference);

    const csv = (await storedResponsesCsv(suite.server, SURVEY_ID)).split(/\r?\n/).filter((line) => line.trim() !== '');
    assert.equal(csv.length, 2, `the CSV has a header and one row:\n${csv.join('\n')}`);
    assert.ok(csv[1].includes(reference), `the CSV row carries the reference ${reference}: ${csv[1]}`);

    // Anonymous: nothing about the person is left behind on the device.
    assert.deepEqual(await context.cookies(), [], 'no cookies');
    await checkStorageEmpty(page);

    assert.deepEqual(await cspViolations(page), [], 'no Content Security Policy violations');
    assert.deepEqual(page.problems, [], 'no console errors or uncaught exceptions');
  });
  await context.close();
});
