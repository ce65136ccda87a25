// The survey editor in WebKit and Firefox: the people who write surveys use Safari and Firefox
// too. Signed in through the form, they open the demo survey in the editor, change its title
// by typing, see the preview (the real widget, beside the editor) follow in place, save the
// draft and publish it; the collector then serves the new title as version 2.

import assert from 'node:assert/strict';
import { forEachEngine, journey } from '../lib/webdriver-suite.mjs';
import { eventually, find, press, typeInto } from '../lib/webdriver-pages.mjs';
import { SURVEY_ID } from '../lib/survey.mjs';

const NEW_TITLE = 'Tell us how we talk with you online';

/** The editor's line that says where saving stands. */
async function saveStatus(session) {
  return session.execute(() => document.querySelector('.save-status')?.textContent ?? '');
}

forEachEngine({}, (suite) => {
  journey(suite, 'the editor: a title typed, followed by the preview, saved and published', async () => {
    const { session, server } = suite;
    await session.setWindowSize(1280, 900);
    // The collector's own pages, on its own origin (the editor's changes must come from there).
    const collector = server.admin.url;
    await session.navigate(`${collector}/admin`);
    const page = await session.findCss('body');
    await typeInto(session, page, 'Admin token', server.admin.token);
    await press(session, page, 'button', 'Sign in');
    // Signed in: the list of surveys (a new page, so the body is looked up again).
    await eventually(async () => find(session, await session.findCss('body'), 'link', 'Write a new survey', { timeout: 1_000 }));

    await session.navigate(`${collector}/admin/editor/${SURVEY_ID}`);
    const editor = await eventually(() => session.findCss('#survey-editor'));
    const title = await find(session, editor, 'field', 'Title');
    const preview = await eventually(() => session.findCss('#survey-editor-preview'));
    await eventually(async () => assert.equal(await session.execute((e) => e.dataset.previewReady, preview), 'true', 'the preview is mounted'));

    // The title is typed anew, key by key, as a person would.
    await session.execute((e) => e.select(), title);
    await session.type(title, NEW_TITLE);
    assert.equal(await session.execute((e) => e.value, title), NEW_TITLE);
    await find(session, preview, 'heading', NEW_TITLE);

    await press(session, editor, 'button', 'Save draft');
    await eventually(async () => assert.match(await saveStatus(session), /^Draft saved/));
    await press(session, editor, 'button', 'Publish');
    await find(session, editor, 'heading', 'Version 2 is published');

    const served = await fetch(`${collector}/surveys/${SURVEY_ID}.json`).then((r) => r.json());
    assert.deepEqual([served.title, served.version], [NEW_TITLE, 2]);
  });
});
