// The survey editor in WebKit and Firefox: the people who write surveys use Safari and Firefox
// too. Signed in through the form, they open the demo survey in the editor, change its title
// by typing, see the preview (the real widget, beside the editor) follow in place, save the
// draft and publish it; the collector then serves the new title as version 2. axe audits the
// editor with its preview, and once published with the snippet, in each engine (with a canary:
// a field whose label is taken away must be found).

import assert from 'node:assert/strict';
import { forEachEngine, journey } from '../lib/webdriver-suite.mjs';
import { eventually, find, press, signInToAdmin } from '../lib/webdriver-pages.mjs';
import { problems, runAxe } from '../lib/webdriver-axe.mjs';
import { SURVEY_ID } from '../lib/survey.mjs';

const NEW_TITLE = 'Tell us how we talk with you online';

/** The editor's line that says where saving stands. */
async function saveStatus(session) {
  return session.execute(() => document.querySelector('.save-status')?.textContent ?? '');
}

/**
 * The editor lets the browser skip drawing questions far off screen (content-visibility: auto),
 * and axe cannot read the colours of what is not drawn; a person scrolling gets every question
 * drawn with the same styles, so for the audit they are all drawn (a rule added to the editor's
 * own style sheet, which the page's Content Security Policy allows).
 */
async function drawEveryQuestion(session) {
  await session.execute(() => {
    const sheet = [...document.styleSheets].find((s) => s.href?.endsWith('/editor.css'));
    sheet.insertRule('.question { content-visibility: visible !important; }', sheet.cssRules.length);
  });
}

forEachEngine({}, (suite) => {
  journey(suite, 'the editor: a title typed, followed by the preview, saved and published; axe finds nothing', async () => {
    const { session, server } = suite;
    await session.setScriptTimeout(60_000);
    await session.setWindowSize(1280, 900);
    const found = [];
    const audit = async (state) => found.push(...problems(state, await runAxe(session)));
    // The collector's own pages, on its own origin (the editor's changes must come from there).
    const collector = server.admin.url;
    await signInToAdmin(session, server.admin);

    await session.navigate(`${collector}/admin/editor/${SURVEY_ID}`);
    const editor = await eventually(() => session.findCss('#survey-editor'));
    const title = await find(session, editor, 'field', 'Title');
    const preview = await eventually(() => session.findCss('#survey-editor-preview'));
    await eventually(async () => assert.equal(await session.execute((e) => e.dataset.previewReady, preview), 'true', 'the preview is mounted'));
    await find(session, preview, 'heading', 'Help us improve how we talk with you online');
    await drawEveryQuestion(session);
    await audit('the demo survey in the editor, with its preview');

    // The title is typed anew, key by key, as a person would.
    await session.execute((e) => e.select(), title);
    await session.type(title, NEW_TITLE);
    assert.equal(await session.execute((e) => e.value, title), NEW_TITLE);
    await find(session, preview, 'heading', NEW_TITLE);

    await press(session, editor, 'button', 'Save draft');
    await eventually(async () => assert.match(await saveStatus(session), /^Draft saved/));
    await press(session, editor, 'button', 'Publish');
    await find(session, editor, 'heading', 'Version 2 is published');
    await audit('published, with the snippet to copy');
    assert.deepEqual(found, [], `axe ${suite.engine.name}, the editor:\n${found.join('\n')}`);
    // Canary: the audit runs, and finds a field whose label is taken away.
    await session.execute((field) => document.querySelector(`label[for="${field.id}"]`)?.remove(), title);
    const canary = await runAxe(session);
    assert.ok(canary.violations.some((v) => v.id === 'label'), `axe finds the unlabelled title: ${JSON.stringify(canary.violations.map((v) => v.id))}`);

    const served = await fetch(`${collector}/surveys/${SURVEY_ID}.json`).then((r) => r.json());
    assert.deepEqual([served.title, served.version], [NEW_TITLE, 2]);
  });
});
