// d and j in WebKit and Firefox: the offline queue. The person presses "Send answers" just as
// the phone loses its signal: the gate in front of the collector refuses every connection, as a
// dead network does. They are told their answers are saved on this device, the submission waits
// in localStorage, and they leave. Later, online again, they open a page of the site that has
// the loader but no survey at all: it delivers the kept answers, once, with the same
// submission_id, and nothing is left on the device.

import assert from 'node:assert/strict';
import { storedResponses } from '../lib/server.mjs';
import { forEachEngine, journey } from '../lib/webdriver-suite.mjs';
import { eventually, find, openSurvey, press, recorded, setChecked, storageKeys, withProbe } from '../lib/webdriver-pages.mjs';
import { OUTBOX } from '../lib/outbox.mjs';
import { Q, SURVEY_ID } from '../lib/survey.mjs';

/** A page of the site with the loader and no survey, as the outbox's next chance comes. */
const NO_SURVEY = withProbe(`<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Opening times</title>
  <script src="{{collector}}/survey-widget/survey-widget.js" async referrerpolicy="no-referrer"></script>
</head>
<body><main><h1>Opening times</h1><p>Monday to Friday, 9am to 5pm.</p></main></body>
</html>
`);

const outboxKeys = async (session) => (await storageKeys(session)).filter((key) => key === OUTBOX || key.startsWith(`${OUTBOX}:`));

forEachEngine({ pages: { 'e2e-no-survey.html': NO_SURVEY } }, (suite) => {
  journey(suite, 'answers sent without a network are kept on the device and delivered once by the next page', async () => {
    const { session, server } = suite;
    await session.setWindowSize(1280, 800);
    const widget = await openSurvey(session, `${server.site}/`, { firstQuestion: Q.heard });
    await setChecked(session, await find(session, widget, 'group', Q.heard), 'radio', 'Our website', true);
    await press(session, widget, 'button', 'Continue');
    await setChecked(session, await find(session, widget, 'group', Q.ease), 'radio', /^3\b/, true);
    await press(session, widget, 'button', 'Continue');
    await setChecked(session, widget, 'checkbox', Q.consent, true);

    // The network goes.
    server.gate.setReachable(false);
    await press(session, widget, 'button', 'Send answers');
    await find(session, widget, 'heading', 'Your answers are saved on this device');
    const queued = await eventually(async () => {
      const event = (await recorded(session)).events.find((e) => e.type === 'survey:queued');
      assert.ok(event, 'survey:queued was dispatched');
      return event;
    });
    const submissionId = queued.detail.submission_id;
    assert.deepEqual(await outboxKeys(session), [`${OUTBOX}:${submissionId}`], 'the submission waits in the outbox under its own key');
    assert.deepEqual(await storedResponses(server.admin, SURVEY_ID), [], 'nothing reached the collector');
    assert.equal((await recorded(session)).events.filter((e) => e.type === 'survey:complete').length, 0, 'no confirmation');

    // They leave while still offline; later the network is back and they open another page.
    await session.navigate('about:blank');
    server.gate.setReachable(true);
    const postsBefore = server.gate.requestsFor('/api/responses').length;
    await session.navigate(`${server.site}/e2e-no-survey.html`);
    const stored = await eventually(async () => {
      const found = await storedResponses(server.admin, SURVEY_ID);
      assert.equal(found.length, 1, 'the kept answers were delivered');
      return found;
    });
    assert.equal(stored[0].submission_id, submissionId, 'the very submission that was kept');
    assert.deepEqual(stored[0].answers, { heard: 'website', ease: 3, consent: true });
    assert.ok(server.gate.requestsFor('/api/responses').length > postsBefore, 'the page without a survey posted them');
    await eventually(async () => assert.deepEqual(await outboxKeys(session), []), { message: 'the outbox is empty once delivered' });

    // Once only: another visit sends nothing more.
    await session.navigate(`${server.site}/e2e-no-survey.html?again`);
    await session.executeAsync(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    assert.equal((await storedResponses(server.admin, SURVEY_ID)).length, 1, 'stored once');
  });
});
