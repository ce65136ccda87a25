// i. The events of docs/embedding.md: every one is dispatched on the host element itself (not on a
//    node inside its shadow root), bubbles to the document, is composed, and carries exactly the
//    `detail` the docs give it. survey:queued is covered with a POST that fails once.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, storedResponses } from './lib/server.mjs';
import { serverAndBrowser } from './lib/suite.mjs';
import { DESKTOP, openPage, withArtifactsOnFailure } from './lib/browser.mjs';
import { checkConfirmation, checkVisible, openSurvey, pressButton } from './lib/pages.mjs';
import { Q, SURVEY_ID, answerRequiredQuestions, recordSubmissions } from './lib/survey.mjs';
import { eventually } from './lib/wait.mjs';
import { serveFiles } from './lib/embed.mjs';

const TYPES = ['survey:ready', 'survey:start', 'survey:page', 'survey:submit', 'survey:queued', 'survey:complete', 'survey:error'];
const ERROR_CODES = ['bad_definition', 'bad_options', 'definition_unavailable', 'submission_refused', 'unsupported'];
const PAGE_IDS = JSON.parse(readFileSync(path.join(ROOT, 'demo', 'surveys', `${SURVEY_ID}.json`), 'utf8')).pages.map((p) => p.id);

const suite = serverAndBrowser();

/**
 * Runs before the page's scripts: listens on the document in the bubbling phase (so an event
 * that does not bubble is never heard) and records, for each event, where it was dispatched:
 * `composedPath()[0]` is the node `dispatchEvent` was called on, even inside an open shadow root.
 */
function recordEvents(types) {
  const heard = [];
  Object.defineProperty(window, '__heard', { value: heard });
  for (const type of types) {
    document.addEventListener(type, (event) => {
      const origin = event.composedPath()[0];
      heard.push({
        type,
        detail: JSON.parse(JSON.stringify(event.detail)),
        origin: origin instanceof Element ? origin.localName + (origin.id ? `#${origin.id}` : '') : String(origin?.nodeName),
        originIsInShadowRoot: origin instanceof Node && origin.getRootNode() instanceof ShadowRoot,
        phase: event.eventPhase,
        bubbles: event.bubbles,
        composed: event.composed,
        isCustomEvent: event instanceof CustomEvent,
      });
    });
  }
}

async function openRecorded(host = 'survey-widget') {
  const { context, page } = await openPage(suite.browser, DESKTOP);
  await context.addInitScript(recordEvents, TYPES);
  const heard = async (type) => (await page.evaluate(() => window.__heard)).filter((event) => !type || event.type === type);
  const checkDispatch = async () => {
    for (const event of await heard()) {
      const where = `${event.type} ${JSON.stringify(event.detail)}`;
      assert.equal(event.origin, host, `${where} is dispatched on the host element`);
      assert.equal(event.originIsInShadowRoot, false, `${where} is not dispatched inside the shadow root`);
      assert.equal(event.phase, Event.BUBBLING_PHASE, `${where} reaches the document by bubbling`);
      assert.ok(event.bubbles && event.composed, `${where} has bubbles and composed`);
      assert.ok(event.isCustomEvent, `${where} is a CustomEvent`);
    }
  };
  return { context, page, heard, checkDispatch };
}

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

test('a survey answered and sent dispatches ready, start, page, submit and complete with their details', { timeout: 120_000 }, async () => {
  const { context, page, heard, checkDispatch } = await openRecorded();
  await withArtifactsOnFailure(page, 'i events', async () => {
    const widget = await openSurvey(page, `${suite.server.site}/`, { firstQuestion: Q.heard });
    await answerRequiredQuestions(widget);
    await pressButton(widget, 'Send answers');
    const reference = await checkConfirmation(widget, Q.completion);
    await eventually(async () => assert.equal((await heard('survey:complete')).length, 1));

    const events = await heard();
    const types = events.map((event) => event.type);
    assert.deepEqual(types.filter((type) => type === 'survey:ready'), ['survey:ready'], 'survey:ready once');
    assert.deepEqual(types.filter((type) => type === 'survey:start'), ['survey:start'], 'survey:start once, on the first answer');
    assert.ok(types.indexOf('survey:ready') < types.indexOf('survey:start'), 'ready comes before start');
    assert.ok(types.indexOf('survey:submit') < types.indexOf('survey:complete'), 'submit comes before complete');
    assert.deepEqual(types.slice(-2), ['survey:submit', 'survey:complete'], 'the last two events');
    assert.deepEqual(await heard('survey:error'), [], 'no survey:error');
    assert.deepEqual(await heard('survey:queued'), [], 'no survey:queued when the first POST is delivered');

    const one = async (type) => (await heard(type))[0].detail;
    assert.deepEqual(await one('survey:ready'), { survey_id: SURVEY_ID });
    assert.deepEqual(await one('survey:start'), { survey_id: SURVEY_ID });
    assert.deepEqual(
      (await heard('survey:page')).map((event) => event.detail),
      PAGE_IDS.map((page_id, index) => ({ survey_id: SURVEY_ID, index, page_id })),
      'survey:page for each page in turn, with its index and id',
    );
    const submit = await one('survey:submit');
    assert.deepEqual(Object.keys(submit).sort(), ['submission_id', 'survey_id']);
    assert.equal(submit.survey_id, SURVEY_ID);
    assert.match(submit.submission_id, ID);
    assert.deepEqual(await one('survey:complete'), { survey_id: SURVEY_ID, submission_id: submit.submission_id, reference });

    await checkDispatch();
  });
  await context.close();
});

test('answers that cannot be delivered yet dispatch survey:queued, then survey:complete once delivered', { timeout: 120_000 }, async () => {
  const { context, page, heard, checkDispatch } = await openRecorded();
  const posts = recordSubmissions(page);
  await withArtifactsOnFailure(page, 'i queued', async () => {
    // The network drops the first POST; the retry goes through.
    let dropped = 0;
    await page.route(`${suite.server.url}/api/responses`, (route) => {
      if (route.request().method() === 'POST' && dropped === 0) {
        dropped += 1;
        return route.abort('internetdisconnected');
      }
      return route.continue();
    });
    const widget = await openSurvey(page, `${suite.server.site}/`, { firstQuestion: Q.heard });
    await answerRequiredQuestions(widget);
    await pressButton(widget, 'Send answers');

    await eventually(async () => assert.equal((await heard('survey:queued')).length, 1, 'survey:queued'));
    const [submit] = await heard('survey:submit');
    const [queued] = await heard('survey:queued');
    assert.deepEqual(queued.detail, { survey_id: SURVEY_ID, submission_id: submit.detail.submission_id });

    const reference = await checkConfirmation(widget, Q.completion);
    const [complete] = await heard('survey:complete');
    assert.deepEqual(complete.detail, { survey_id: SURVEY_ID, submission_id: submit.detail.submission_id, reference });
    assert.equal((await heard('survey:submit')).length, 1, 'one survey:submit for the submission, however many attempts');
    assert.ok(posts.length >= 2, 'the answers were sent again');
    const stored = (await storedResponses(suite.server, SURVEY_ID)).filter((r) => r.submission_id === submit.detail.submission_id);
    assert.equal(stored.length, 1, 'stored once');

    await checkDispatch();
  });
  await context.close();
});

test('survey:error carries the survey id, a stable code and a message', { timeout: 120_000 }, async () => {
  const { context, page, heard, checkDispatch } = await openRecorded('div#host');
  await withArtifactsOnFailure(page, 'i errors', async () => {
    // A page on the site under the site's policy; the module, the surveys and the endpoints on
    // the collector.
    const collector = suite.server.url;
    await serveFiles(page, suite.server, {
      '/events.html': '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Events</title></head><body><div id="host"></div></body></html>',
    });
    await page.goto(`${suite.server.site}/events.html`);
    const mountInPage = (options) =>
      page.evaluate(
        async ({ collector, options }) => {
          const { mount } = await import(`${collector}/survey-widget/index.mjs`);
          await mount(document.getElementById('host'), options);
        },
        { collector, options },
      );
    const expectError = async (count, options) => {
      await mountInPage(options);
      await eventually(async () => assert.equal((await heard('survey:error')).length, count));
      return (await heard('survey:error'))[count - 1].detail;
    };

    // A definition that breaks the format: its id, as far as it could be read.
    const broken = { format: 1, id: 'broken', version: 1, title: 'Broken', default_language: 'en', languages: ['en'], pages: [] };
    const definition = await expectError(1, { survey: broken, endpoint: `${collector}/api/responses` });
    assert.equal(definition.survey_id, 'broken');
    assert.equal(definition.code, 'bad_definition');

    // Options without an endpoint: no survey was read yet, so no id.
    const options = await expectError(2, { survey: `${collector}/surveys/digital-engagement.json` });
    assert.equal(options.survey_id, '');
    assert.equal(options.code, 'bad_options');

    // A definition URL that answers 404 (readable from any origin, as the collector sends it).
    const missing = await expectError(3, {
      survey: `${collector}/surveys/no-such-survey.json`,
      endpoint: `${collector}/api/responses`,
    });
    assert.equal(missing.code, 'definition_unavailable');

    // The endpoint refuses the answers, with the CORS headers the collector sends the site (so
    // the page can read the refusal; without them it would look like a network failure).
    const cors = { 'Access-Control-Allow-Origin': suite.server.site, Vary: 'Origin' };
    await page.route(`${collector}/api/refuse`, (route) =>
      route.request().method() === 'OPTIONS'
        ? route.fulfill({
            status: 204,
            headers: {
              ...cors,
              'Access-Control-Allow-Methods': 'POST, OPTIONS',
              'Access-Control-Allow-Headers': 'content-type, idempotency-key',
            },
          })
        : route.fulfill({ status: 422, contentType: 'application/json', headers: cors, body: '{"error":"invalid","problems":[]}' }),
    );
    await mountInPage({ survey: `${collector}/surveys/digital-engagement.json`, endpoint: `${collector}/api/refuse` });
    const widget = page.locator('#host');
    await checkVisible(widget.getByRole('group', { name: Q.heard }));
    await answerRequiredQuestions(widget);
    await pressButton(widget, 'Send answers');
    await eventually(async () => assert.equal((await heard('survey:error')).length, 4));
    const refused = (await heard('survey:error'))[3].detail;
    assert.equal(refused.survey_id, SURVEY_ID);
    assert.equal(refused.code, 'submission_refused');
    await checkVisible(widget.getByRole('alert'));

    for (const detail of (await heard('survey:error')).map((event) => event.detail)) {
      assert.deepEqual(Object.keys(detail).sort(), ['code', 'message', 'survey_id'], `survey:error detail ${JSON.stringify(detail)}`);
      assert.ok(ERROR_CODES.includes(detail.code), `a documented code: ${detail.code}`);
      assert.ok(typeof detail.message === 'string' && detail.message.length > 0, 'a message');
    }
    await checkDispatch();
  });
  await context.close();
});
