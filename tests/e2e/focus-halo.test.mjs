// w. The focus halo in Chromium: a radio and a checkbox reached with Tab show the yellow halo
//    around their dark outline, counted in a screenshot (lib/focus-halo.mjs); without focus they
//    show none. engines/focus-halo.test.mjs checks the same in WebKit and Firefox.

import { test } from 'node:test';
import { serverAndBrowser } from './lib/suite.mjs';
import { DESKTOP, openPage, withArtifactsOnFailure } from './lib/browser.mjs';
import { findButton, findCheckbox, findQuestion, openSurvey } from './lib/pages.mjs';
import { checkHalo, countHalo, haloGeometryInPage } from './lib/focus-halo.mjs';
import { Q } from './lib/survey.mjs';

const MAX_TABS = 80;
const suite = serverAndBrowser();

/** Presses Tab until the element `locator` finds has focus. */
async function tabTo(page, locator, what) {
  const handle = await locator.elementHandle();
  for (let presses = 0; presses < MAX_TABS; presses++) {
    if (await page.evaluate((element) => window.__e2e.deepActive() === element, handle)) return handle;
    await page.keyboard.press('Tab');
  }
  throw new Error(`${MAX_TABS} presses of Tab never reached ${what}`);
}

test('a radio and a checkbox reached with Tab show the yellow focus halo', { timeout: 120_000 }, async () => {
  const { context, page } = await openPage(suite.browser, DESKTOP);
  await withArtifactsOnFailure(page, 'w focus halo', async () => {
    const widget = await openSurvey(page, `${suite.server.site}/`, { firstQuestion: Q.heard });
    const shotOf = async (handle) => countHalo(await page.screenshot(), await page.evaluate(haloGeometryInPage, handle));

    const radio = await tabTo(page, findQuestion(widget, Q.heard).getByRole('radio').first(), `the first radio of "${Q.heard}"`);
    const radioFocused = await shotOf(radio);
    const email = await tabTo(page, findCheckbox(findQuestion(widget, Q.channels), 'Email'), 'the first checkbox');
    const radioUnfocused = await shotOf(radio);
    const emailFocused = await shotOf(email);
    // Far from the checkbox, so no other control's halo falls in the band around it.
    await tabTo(page, findButton(widget, 'Continue'), '"Continue"');
    const emailUnfocused = await shotOf(email);

    checkHalo('the radio', radioFocused, radioUnfocused);
    checkHalo('the checkbox', emailFocused, emailUnfocused);
  });
  await context.close();
});
