// Typing in the editor: the preview first, the form after, and nothing typed lost in between.
// A letter typed into a text field is in the preview by the next frame, the frame that shows
// it in the field; the rest of the form (here the question's heading) follows once that frame
// is out (editor/src/store.rs), so the frame carries none of the form's work. Whatever reads
// the survey meanwhile reads the newest: a letter typed and Save draft pressed in the same
// moment, before the form has drawn it, is saved.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { saveStatus, signInAt, storedDraft } from './lib/admin.mjs';
import { DESKTOP, openPage, withArtifactsOnFailure } from './lib/browser.mjs';
import { checkVisible } from './lib/pages.mjs';
import { serverAndBrowser } from './lib/suite.mjs';
import { SURVEY_ID } from './lib/survey.mjs';
import { eventually } from './lib/wait.mjs';

const suite = serverAndBrowser();
const TITLE = '#ed-pages-0-questions-0-title';
const HEADING = '#ed-pages-0-questions-0-heading';

/** The question's heading as its text (not as drawn: the question may be off screen, unpainted). */
function heading(page) {
  return page.locator(HEADING).evaluate((h) => h.textContent.replace(/\s+/g, ' ').trim());
}

/**
 * In the page, in one task: types `text` as the first question's title (the input event a
 * keystroke fires) and, if `thenSave`, presses Save draft at once. Resolves, at the next
 * frame, to what the preview and the question's heading say then.
 */
function typeInPage(page, text, thenSave) {
  return page.evaluate(
    ([selector, heading, text, thenSave]) => {
      const field = document.querySelector(selector);
      field.value = text;
      field.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: text.slice(-1) }));
      if (thenSave) {
        [...document.querySelectorAll('button')].find((b) => b.textContent === 'Save draft').click();
      }
      return new Promise((resolve) =>
        requestAnimationFrame(() =>
          resolve({
            preview: document.getElementById('survey-editor-preview').shadowRoot?.textContent ?? '',
            heading: document.querySelector(heading).textContent,
          }),
        ),
      );
    },
    [TITLE, HEADING, text, thenSave],
  );
}

test('a letter typed and saved at once is saved; one typed is in the preview by the next frame, and the form follows', { timeout: 120_000 }, async () => {
  const { context, page } = await openPage(suite.browser, DESKTOP);
  await withArtifactsOnFailure(page, 'editor typing', async () => {
    await signInAt(page, suite.server, `${suite.server.url}/admin/editor/${SURVEY_ID}`);
    await checkVisible(page.locator(TITLE));
    await page.locator('#survey-editor-preview[data-preview-ready="true"]').waitFor({ state: 'attached' });

    // Typed and saved in one moment (one task), before the form has drawn it: the save has it.
    // (Save draft's handler is the one the form was last drawn with; it must read the newest
    // survey, not the one it was drawn with.)
    const saves = [];
    page.on('request', (request) => {
      if (request.method() === 'PUT' && request.url().endsWith(`/surveys/${SURVEY_ID}/draft`)) saves.push(request.postData() ?? '');
    });
    await typeInPage(page, 'Saved at once', true);
    await eventually(async () => assert.match(await saveStatus(page).innerText(), /^Draft saved/));
    assert.ok(saves.length >= 1, 'Save draft sent the draft');
    assert.match(saves[0], /Saved at once/, 'the first save, the one pressed, has the letter typed just before');
    const draft = await storedDraft(context, suite.server, SURVEY_ID);
    const stored = draft.pages[0].questions[0].title;
    assert.equal(typeof stored === 'string' ? stored : stored.en, 'Saved at once');
    await eventually(async () => assert.equal(await heading(page), 'Question 1: Saved at once'));

    // The preview has the new title by the next frame; the heading in the form does not yet.
    const early = await typeInPage(page, 'Preview first', false);
    assert.match(early.preview, /Preview first/, 'the preview shows the typed title by the next frame');
    assert.doesNotMatch(early.heading, /Preview first/, 'the form is drawn after that frame, not in it');
    // …and the form follows.
    await eventually(async () => assert.equal(await heading(page), 'Question 1: Preview first'));
  });
  await context.close();
});
