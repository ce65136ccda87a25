// Saving in the editor when things go wrong: a save that cannot reach the collector says so and
// keeps every change on screen; leaving the page with changes not yet saved makes the browser
// ask first, and once they are saved it no longer does.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { saveStatus, signInAt, storedDraft } from './lib/admin.mjs';
import { DESKTOP, withArtifactsOnFailure } from './lib/browser.mjs';
import { checkVisible } from './lib/pages.mjs';
import { serverAndBrowser } from './lib/suite.mjs';
import { SURVEY_ID } from './lib/survey.mjs';
import { eventually } from './lib/wait.mjs';

const suite = serverAndBrowser();

/** The stored draft's title; null if no draft is kept. */
async function storedTitle(context) {
  return (await storedDraft(context, suite.server, SURVEY_ID))?.title ?? null;
}

test('a save the collector never gets keeps the changes and says so; leaving unsaved asks first', { timeout: 120_000 }, async () => {
  const context = await suite.browser.newContext({ viewport: DESKTOP.viewport });
  const page = await context.newPage();
  await signInAt(page, suite.server, `${suite.server.url}/admin/editor/${SURVEY_ID}`);
  const title = page.getByLabel('Title', { exact: true });
  await checkVisible(title);
  const status = saveStatus(page);

  await withArtifactsOnFailure(page, 'editor saving', async () => {
    // The network drops every save: the editor says the collector could not be reached, and
    // nothing typed is lost.
    await page.route('**/admin/api/surveys/*/draft', (route) =>
      route.request().method() === 'PUT' ? route.abort('internetdisconnected') : route.continue(),
    );
    await title.fill('Typed while offline');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await eventually(async () => assert.match(await page.getByRole('alert').innerText(), /could not be reached.*Nothing was lost/s));
    assert.match(await status.innerText(), /^Not saved/);
    assert.equal(await title.inputValue(), 'Typed while offline');
    assert.equal(await storedTitle(context), null, 'nothing reached the collector');

    // Leaving now asks first (the browser's own question), and staying keeps the page.
    const asked = [];
    page.once('dialog', (dialog) => {
      asked.push(dialog.type());
      dialog.dismiss();
    });
    await page.close({ runBeforeUnload: true });
    await eventually(() => assert.deepEqual(asked, ['beforeunload']));
    assert.equal(page.isClosed(), false, 'dismissing the question keeps the page');

    // Back online: Save draft keeps the changes, and leaving no longer asks.
    await page.unroute('**/admin/api/surveys/*/draft');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await eventually(async () => assert.match(await status.innerText(), /^Draft saved/));
    assert.equal(await storedTitle(context), 'Typed while offline');
    page.on('dialog', (dialog) => {
      asked.push(dialog.type());
      dialog.accept();
    });
    await page.close({ runBeforeUnload: true });
    await eventually(() => assert.equal(page.isClosed(), true));
    assert.deepEqual(asked, ['beforeunload'], 'not asked again once saved');
  });
  await context.close();
});
