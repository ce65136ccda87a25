// Two tabs of the editor on the same survey (one author in two windows, or two authors): neither
// saves over the other's draft unseen. Each save is made only over the draft that tab last read
// or saved (If-Match / If-None-Match); a tab whose save is refused says so, keeps its changes on
// screen, stops saving by itself, and replaces the other draft only when its author chooses
// Save draft.

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

/** Opens the survey in a new tab of `context`, ready to edit. */
async function openTab(context) {
  const page = await context.newPage();
  page.on('dialog', (dialog) => dialog.accept());
  await page.goto(`${suite.server.url}/admin/editor/${SURVEY_ID}`);
  await checkVisible(page.getByLabel('Title', { exact: true }));
  return page;
}

test('two tabs on one survey never save over each other unseen, and nothing typed is lost', { timeout: 120_000 }, async () => {
  const context = await suite.browser.newContext({ viewport: DESKTOP.viewport });
  const signIn = await context.newPage();
  await signInAt(signIn, suite.server, `${suite.server.url}/admin`);
  await checkVisible(signIn.getByRole('link', { name: 'Write a new survey' }));
  await signIn.close();

  const a = await openTab(context);
  const b = await openTab(context);
  await withArtifactsOnFailure(b, 'editor tabs', async () => {
    // Tab A changes the title and saves by itself: the first draft.
    await a.getByLabel('Title', { exact: true }).fill('Title from tab A');
    await eventually(async () => assert.match(await saveStatus(a).innerText(), /^Draft saved/));
    assert.equal(await storedTitle(context), 'Title from tab A');

    // Tab B opened the survey before that draft existed: its save by itself is refused, it
    // says so, and A's draft is kept.
    await b.getByLabel('Title', { exact: true }).fill('Title from tab B');
    const told = b.getByRole('alert');
    await eventually(async () => assert.match(await told.innerText(), /changed somewhere else/));
    assert.match(await saveStatus(b).innerText(), /^Not saved/);
    assert.equal(await storedTitle(context), 'Title from tab A', 'A\'s draft is not saved over');
    assert.equal(await b.getByLabel('Title', { exact: true }).inputValue(), 'Title from tab B', 'B keeps what was typed');

    // B does not try again by itself, even after another change.
    await b.getByLabel('Introduction (optional)').fill('More from tab B');
    await b.waitForTimeout(3_000);
    assert.equal(await storedTitle(context), 'Title from tab A');

    // B's author chooses to keep theirs: Save draft replaces A's.
    await b.getByRole('button', { name: 'Save draft' }).click();
    await eventually(async () => assert.match(await saveStatus(b).innerText(), /^Draft saved/));
    assert.equal(await storedTitle(context), 'Title from tab B');

    // Now A is the one behind: its next save is refused in turn, and its text stays on screen.
    await a.getByLabel('Title', { exact: true }).fill('Title from tab A, again');
    await eventually(async () => assert.match(await a.getByRole('alert').innerText(), /changed somewhere else/));
    assert.equal(await storedTitle(context), 'Title from tab B');
    assert.equal(await a.getByLabel('Title', { exact: true }).inputValue(), 'Title from tab A, again');

    // Publish from A (an explicit choice) publishes A's text, not B's unseen one, and says so.
    await a.getByRole('button', { name: 'Publish' }).click();
    await checkVisible(a.getByRole('heading', { name: /Version 2 is published/ }));
    const served = await context.request.get(`${suite.server.url}/surveys/${SURVEY_ID}.json`);
    assert.equal((await served.json()).title, 'Title from tab A, again');

    // Publishing forgot the draft: A's next change is saved by itself as a new first draft.
    await a.getByLabel('Title', { exact: true }).fill('Title from tab A, after publishing');
    await eventually(async () => assert.match(await saveStatus(a).innerText(), /^Draft saved/));
    assert.equal(await storedTitle(context), 'Title from tab A, after publishing');
  });
  await context.close();
});
