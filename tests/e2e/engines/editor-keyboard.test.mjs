// The survey editor with the keyboard alone, in WebKit and Firefox (keys through WebDriver's key
// actions, every one released in the same sequence). Tab to the title and type it; add a
// question with Enter, and focus is on its title; move it up, and focus stays with it (on its
// other move button); publish with an id the model refuses, and focus is on the problem list,
// whose link, followed with Enter, puts focus on the field; fix it and publish, and focus is on
// the published panel. (WebKitGTK's Tab reaches buttons like Chromium's and Firefox's; Safari's,
// by default, does not.)

import assert from 'node:assert/strict';
import { forEachEngine, journey } from '../lib/webdriver-suite.mjs';
import { checkFocused, eventually, find, signInToAdmin, tabTo } from '../lib/webdriver-pages.mjs';

/** Types `text` into whatever has focus, one key at a time. */
function typeKeys(session, text) {
  return session.press(...text);
}

/** Replaces the text of the focused field: select all, then type. */
async function retype(session, text) {
  await session.press(['Control', 'a']);
  await typeKeys(session, text);
}

forEachEngine({}, (suite) => {
  journey(suite, 'the editor with the keyboard alone: write, add and move a question, follow a problem to its field, publish', async () => {
    const { session, server } = suite;
    await session.setWindowSize(1280, 900);
    await signInToAdmin(session, server.admin);
    await session.navigate(`${server.admin.url}/admin/editor`);
    const editor = await eventually(() => session.findCss('#survey-editor'));
    const byId = (id) => eventually(() => session.findCss(`#${id}`));
    const value = async (id) => session.execute((e) => e.value, await byId(id));

    await tabTo(session, await find(session, editor, 'field', 'Title'), 'the title', { max: 60 });
    await typeKeys(session, 'Written with a keyboard');
    await tabTo(session, await find(session, editor, 'field', 'Survey id'), 'the survey id', { max: 60 });
    await typeKeys(session, 'by-keyboard');
    await tabTo(session, await byId('ed-pages-0-questions-0-title'), 'the first question', { max: 150 });
    await typeKeys(session, 'First question');
    assert.deepEqual([await value('ed-title'), await value('ed-id'), await value('ed-pages-0-questions-0-title')],
      ['Written with a keyboard', 'by-keyboard', 'First question']);

    // A new question takes focus at its title.
    await tabTo(session, await find(session, editor, 'button', 'Add a question to page 1'), '"Add a question"', { max: 150 });
    await session.press('Enter');
    await checkFocused(session, await byId('ed-pages-0-questions-1-title'), 'the new question\'s title');
    await typeKeys(session, 'Second question');

    // Moving it up keeps focus with it, on its other move button now it is first.
    await tabTo(session, await find(session, editor, 'button', 'Move up question 2'), '"Move up" of question 2', { max: 150 });
    await session.press('Enter');
    await checkFocused(session, await byId('ed-pages-0-questions-0-down'), '"Move down" of the moved question');
    assert.equal(await value('ed-pages-0-questions-0-title'), 'Second question');

    // A problem: Publish refuses, the problem list takes focus, its link leads to the field.
    const id = await byId('ed-pages-0-questions-0-id');
    await tabTo(session, id, 'the moved question\'s id', { back: true, max: 150 });
    await retype(session, 'Not An Id');
    const publish = await find(session, editor, 'button', 'Publish');
    await tabTo(session, publish, '"Publish"', { back: true, max: 250 });
    await session.press('Enter');
    const summary = await eventually(() => session.findCss('.error-summary'));
    await checkFocused(session, summary, 'the problem list');
    assert.match(await session.execute((e) => e.textContent, summary), /There is 1 problem to fix before publishing/);
    await session.press('Tab');
    await session.press('Enter');
    await checkFocused(session, id, 'the field the problem is about');
    await retype(session, 'second');

    await tabTo(session, publish, '"Publish"', { back: true, max: 250 });
    await session.press('Enter');
    await checkFocused(session, await eventually(() => session.findCss('.notice-success')), 'the published panel');
    await find(session, editor, 'heading', 'Version 1 is published');
  });
});
