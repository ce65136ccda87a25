// Adding and removing items in the editor.
// - A question or page added gets an id no other has, whichever page it is added to and
//   whatever was added elsewhere since that page was last drawn. (Found by reading the code: a
//   page left undrawn while another changed made its new question's id from the survey as it
//   was when it was last drawn, so it could take an id another page had just used.)
// - A question removed leaves focus where it was (WCAG 2.4.3): on the question that takes its
//   place, or the one before it if it was the last, or the page's list if it was the only one.
//   (Before, focus stayed on a Remove button now under another question, or fell to nothing.)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signInAt } from './lib/admin.mjs';
import { DESKTOP, openPage, withArtifactsOnFailure } from './lib/browser.mjs';
import { checkFocused, checkVisible } from './lib/pages.mjs';
import { serverAndBrowser } from './lib/suite.mjs';
import { eventually } from './lib/wait.mjs';

const suite = serverAndBrowser();

/** Each page's question ids, as the editor's "Question id" fields show them, in order. */
async function questionIds(page) {
  return page.locator('.page').evaluateAll((pages) =>
    pages.map((p, i) => [...p.querySelectorAll('.question')].map((q, j) => q.querySelector(`#ed-pages-${i}-questions-${j}-id`)?.value ?? '?')),
  );
}

test('questions and pages added anywhere get ids nobody has', { timeout: 120_000 }, async () => {
  const { context, page } = await openPage(suite.browser, DESKTOP);
  await withArtifactsOnFailure(page, 'editor new ids', async () => {
    await signInAt(page, suite.server, `${suite.server.url}/admin/editor`);
    await checkVisible(page.getByRole('heading', { name: 'About the survey' }));

    // A blank survey: page-1 with question-1. A second page comes with question-2; a question
    // added to it is question-3. Page 1 is not drawn again by that (nothing on it changed).
    await page.getByRole('button', { name: 'Add a page' }).click();
    await checkVisible(page.locator('#ed-pages-1-questions-0'));
    await page.getByRole('button', { name: 'Add a question to page 2' }).click();
    await checkVisible(page.locator('#ed-pages-1-questions-1'));
    // Now a question on page 1: it must not be question-3 again.
    await page.getByRole('button', { name: 'Add a question to page 1' }).click();
    await checkVisible(page.locator('#ed-pages-0-questions-1'));
    // And a third page after all that.
    await page.getByRole('button', { name: 'Add a page' }).click();
    await checkVisible(page.locator('#ed-pages-2-questions-0'));

    const shown = await questionIds(page);
    assert.deepEqual(shown, [['question-1', 'question-4'], ['question-2', 'question-3'], ['question-5']]);
    const all = shown.flat();
    assert.equal(new Set(all).size, all.length, `every question's id is its own: ${all.join(', ')}`);
    // The model finds no repeated id either.
    await eventually(async () => {
      const summary = page.locator('.error-summary');
      const text = (await summary.count()) ? await summary.innerText() : '';
      assert.doesNotMatch(text, /repeat|already/i);
    });
  });
  await context.close();
});

test('a question removed leaves focus where it was', { timeout: 120_000 }, async () => {
  const { context, page } = await openPage(suite.browser, DESKTOP);
  page.on('dialog', (dialog) => dialog.accept());
  await withArtifactsOnFailure(page, 'editor removing', async () => {
    await signInAt(page, suite.server, `${suite.server.url}/admin/editor`);
    await checkVisible(page.getByRole('heading', { name: 'About the survey' }));
    for (const n of [2, 3]) {
      await page.getByRole('button', { name: 'Add a question to page 1' }).click();
      await page.locator(`#ed-pages-0-questions-${n - 1}-title`).fill(`Question ${n}`);
    }
    await page.locator('#ed-pages-0-questions-0-title').fill('Question 1');
    const titles = () => page.locator('.question input[id$="-title"]').evaluateAll((inputs) => inputs.map((i) => i.value));

    // The first of three: the one after it takes its place, and focus.
    await page.getByRole('button', { name: 'Remove question 1' }).click();
    await eventually(async () => assert.deepEqual(await titles(), ['Question 2', 'Question 3']));
    await checkFocused(page, page.locator('#ed-pages-0-questions-0'), 'the question now first');
    // The last: focus goes to the one before it.
    await page.getByRole('button', { name: 'Remove question 2' }).click();
    await eventually(async () => assert.deepEqual(await titles(), ['Question 2']));
    await checkFocused(page, page.locator('#ed-pages-0-questions-0'), 'the question before it');
    // The only one: focus goes to the page's list of questions.
    await page.getByRole('button', { name: 'Remove question 1' }).click();
    await eventually(async () => assert.deepEqual(await titles(), []));
    await checkFocused(page, page.locator('#ed-pages-0-questions'), 'the list of questions');
  });
  await context.close();
});
