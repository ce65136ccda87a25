// p in WebKit and Firefox: axe-core (the version tests/e2e/package.json pins), injected through
// WebDriver's Execute Script (which the page's Content Security Policy does not govern; the
// widget itself still runs under the site's strict policy), audits the main states of the demo
// survey on the blog post: the first page, its error summary, the second page, the last page
// with the consent missing, and the confirmation. WCAG 2.0 to 2.2 A and AA and best practice,
// with target-size; every violation fails, and so does any `incomplete` result that
// lib/a11y.mjs does not list with its reason. A canary page with an unlabelled field must fail,
// so the audit is known to run in each engine.

import assert from 'node:assert/strict';
import { forEachEngine, journey } from '../lib/webdriver-suite.mjs';
import { problems, runAxe } from '../lib/webdriver-axe.mjs';
import { checkConfirmation, checkErrorSummary, find, openSurvey, press, setChecked, typeInto } from '../lib/webdriver-pages.mjs';
import { Q } from '../lib/survey.mjs';

const CANARY = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Canary</title></head>
<body><main><h1>Canary</h1><input type="text"></main></body></html>
`;

forEachEngine({ pages: { 'e2e-axe-canary.html': CANARY } }, (suite) => {
  journey(suite, 'axe finds nothing in the main states of the survey', async () => {
    const { session, server } = suite;
    await session.setScriptTimeout(60_000);

    // The canary first: an unlabelled field must be found, or the audit is not running.
    await session.navigate(`${server.site}/e2e-axe-canary.html`);
    const canary = await runAxe(session);
    assert.ok(canary.violations.some((v) => v.id === 'label'), `axe finds the canary's unlabelled field: ${JSON.stringify(canary.violations.map((v) => v.id))}`);

    await session.setWindowSize(1280, 800);
    const found = [];
    const audited = [];
    const audit = async (state) => {
      audited.push(state);
      found.push(...problems(state, await runAxe(session)));
    };
    const widget = await openSurvey(session, `${server.site}/`, { firstQuestion: Q.heard });
    await audit('first page');
    await press(session, widget, 'button', 'Continue');
    await checkErrorSummary(session, widget);
    await audit('first page, error summary');
    await setChecked(session, await find(session, widget, 'group', Q.heard), 'radio', 'Somewhere else', true);
    await find(session, widget, 'field', Q.heardDetail);
    await audit('first page, "other" details');
    await typeInto(session, widget, Q.heardDetail, 'A poster at the library');
    await press(session, widget, 'button', 'Continue');
    const ease = await find(session, widget, 'group', Q.ease);
    await audit('second page');
    await setChecked(session, ease, 'radio', /^4\b/, true);
    await press(session, widget, 'button', 'Continue');
    await press(session, widget, 'button', 'Send answers');
    await checkErrorSummary(session, widget);
    await audit('last page, consent missing');
    await setChecked(session, widget, 'checkbox', Q.consent, true);
    await press(session, widget, 'button', 'Send answers');
    await checkConfirmation(session, widget, Q.completion);
    await audit('confirmation');

    assert.equal(audited.length, 6, 'six states audited');
    assert.deepEqual(found, [], `axe ${suite.engine.name}:\n${found.join('\n')}`);
  });
});
