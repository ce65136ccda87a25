// The survey editor is used by people who rely on a keyboard and a screen reader too, so it is
// held to the widget's own standards:
// - axe (WCAG 2.2 AA and best practice) and the layout checks (reflow, 44 px targets, 16 px
//   text) in its main states, at every viewport and in dark, forced colours and reduced motion;
// - a keyboard-only journey: write, add and reorder questions, follow a problem from the list
//   to its field, and publish, with a visible, uncovered focus ring at every stop;
// - canaries that break both checks on purpose, so they can fail.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser } from './lib/suite.mjs';
import { signInAt } from './lib/admin.mjs';
import { DESKTOP, openPage, withArtifactsOnFailure } from './lib/browser.mjs';
import { Audit, runAxe } from './lib/a11y.mjs';
import { focusReport, stopName } from './lib/a11y-focus.mjs';
import { checkFocused, checkVisible, tabTo } from './lib/pages.mjs';
import { eventually } from './lib/wait.mjs';

const suite = serverAndBrowser();
const HOSTS = ['#survey-editor', '#survey-editor-preview'];

async function signedInEditor(page, path = '/admin/editor') {
  await signInAt(page, suite.server, `${suite.server.url}${path}`);
  await checkVisible(page.getByRole('heading', { name: 'About the survey' }));
}

function translations(scope, label) {
  return scope.getByRole('group', { name: label, exact: true });
}

test('the editor passes axe and the layout checks in its main states, at every size and in every variant', { timeout: 300_000 }, async () => {
  const { context, page } = await openPage(suite.browser, DESKTOP);
  page.on('dialog', (dialog) => dialog.accept());
  await withArtifactsOnFailure(page, 'editor a11y sweep', async () => {
    await signedInEditor(page);
    // The editor lets the browser skip drawing questions far off screen (content-visibility:
    // auto, for speed), and axe cannot read colours the browser has not drawn. A person
    // scrolling gets every question drawn with the same styles, so the audit draws them all.
    await page.evaluate(() => {
      const sheet = [...document.styleSheets].find((s) => s.href?.endsWith('/editor.css'));
      sheet.insertRule('.question { content-visibility: visible !important; }', sheet.cssRules.length);
    });
    const audit = new Audit(page, { name: 'survey editor', hosts: HOSTS });
    await checkVisible(page.locator('.error-summary'));
    await audit.sweep('a new survey, with its problems listed');

    // A survey with most of what the editor offers on screen: two languages side by side,
    // tick boxes with "Other" and an exclusive option, a rating, a grid, a condition.
    await page.setViewportSize(DESKTOP.viewport);
    await page.getByLabel('Survey id').fill('sweep');
    await page.getByLabel('Add a translation').selectOption('cy');
    await page.getByRole('button', { name: 'Add the language' }).click();
    await translations(page, 'Title').getByLabel('English').fill('How we did');
    const q1 = page.locator('#ed-pages-0-questions-0');
    await q1.getByLabel('Type').selectOption('multiple_choice');
    await translations(q1, 'Question').getByLabel('English').fill('What did you use?');
    await q1.getByLabel('Offer “Other”').check();
    await q1.getByLabel(/Ticking option 2 clears the others/).check();
    await page.getByRole('button', { name: 'Add a question to page 1' }).click();
    const q2 = page.locator('#ed-pages-0-questions-1');
    await q2.getByLabel('Type').selectOption('rating');
    await translations(q2, 'Question').getByLabel('English').fill('How easy was it?');
    await q2.getByRole('button', { name: 'Add a condition to this question' }).click();
    await page.getByRole('button', { name: 'Add a page' }).click();
    const q3 = page.locator('#ed-pages-1-questions-0');
    await q3.getByLabel('Type').selectOption('matrix');
    await translations(q3, 'Question').getByLabel('English').fill('How often?');
    for (const [i, label] of ['Row 1', 'Row 2'].entries()) {
      await translations(q3.locator(`#ed-pages-1-questions-0-rows-${i}`), `Row ${i + 1}: label`).getByLabel('English').fill(label);
    }
    for (const [i, label] of ['Never', 'Sometimes', 'Often'].entries()) {
      await translations(q3.locator(`#ed-pages-1-questions-0-columns-${i}`), `Column ${i + 1}: label`).getByLabel('English').fill(label);
    }
    await eventually(async () => assert.equal(await page.locator('.error-summary').count(), 0, 'no problems left'));
    await checkVisible(page.locator('#survey-editor-preview').getByRole('heading', { name: 'How we did' }));
    await audit.sweep('a survey in two languages with a condition, and its preview');

    await page.setViewportSize(DESKTOP.viewport);
    await page.getByRole('button', { name: 'Publish' }).click();
    await checkVisible(page.getByRole('heading', { name: 'Version 1 is published' }));
    await audit.sweep('published, with the snippet to copy');
    audit.assertClean();

    // Canary: a field without its label is found.
    await page.evaluate(() => document.querySelector('label[for="ed-pages-0-questions-0-id"]').remove());
    const { violations } = await runAxe(page);
    assert.ok(violations.some((v) => v.id === 'label'), `axe finds the unlabelled field: ${violations.map((v) => v.id)}`);
  });
  await context.close();
});

test('keyboard only: write, add and reorder questions, follow a problem to its field, and publish', { timeout: 180_000 }, async () => {
  const { context, page } = await openPage(suite.browser, DESKTOP);
  page.on('dialog', (dialog) => dialog.accept());
  await withArtifactsOnFailure(page, 'editor keyboard', async () => {
    await signedInEditor(page);
    const problems = [];
    let stops = 0;
    let last = null;
    // At every stop: a ring of 3:1 or more, in view, not under the sticky bar. A stop inside
    // the same control (the parts of a date and time input) is read once: reading it focuses
    // the control again, which would put it back at its first part.
    const onStop = async () => {
      const here = await page.evaluateHandle(() => window.__e2e.deepActive());
      const same = await page.evaluate(([a, b]) => a === b, [here, last]);
      last = here;
      if (same) return;
      const stop = await focusReport(page);
      if (!stop) return;
      stops += 1;
      if (stop.type === 'datetime-local') {
        // focusReport reads the ring at rest by blurring, which leaves a date and time input's
        // inner part focused; read its ring directly instead: the yellow outline and the dark
        // inset line that gives it contrast.
        const ring = await page.evaluate(() => {
          const s = getComputedStyle(document.activeElement);
          return { visible: document.activeElement.matches(':focus-visible'), outline: parseFloat(s.outlineWidth), shadow: s.boxShadow };
        });
        if (!ring.visible || ring.outline < 2 || !/rgb\(11, 12, 12\).*inset/.test(ring.shadow)) problems.push(`${stopName(stop)}: no focus ring ${JSON.stringify(ring)}`);
      } else if (stop.bestRing < 3 && !stop.programmatic) problems.push(`${stopName(stop)}: focus ring contrast ${stop.bestRing.toFixed(2)}:1`);
      if (!stop.inView) problems.push(`${stopName(stop)}: focused but outside the viewport`);
      if (stop.covered) problems.push(`${stopName(stop)}: focused but covered by ${stop.hitWhat}`);
    };
    const go = (locator, what, options = {}) => tabTo(page, locator, what, { max: 250, onStop, ...options });
    const retype = async (text) => {
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type(text);
    };

    await go(page.getByLabel('Title', { exact: true }), 'the title');
    await page.keyboard.type('Written with a keyboard');
    await go(page.getByLabel('Survey id'), 'the survey id');
    await page.keyboard.type('by-keyboard');
    await go(page.locator('#ed-pages-0-questions-0-title'), 'the first question');
    await page.keyboard.type('First question');

    // A new question takes focus at its title.
    await go(page.getByRole('button', { name: 'Add a question to page 1' }), '"Add a question"');
    await page.keyboard.press('Enter');
    await checkFocused(page, page.locator('#ed-pages-0-questions-1-title'), 'the new question\'s title');
    await page.keyboard.type('Second question');

    // Moving it up keeps focus with it (on its other move button, now it is first).
    await go(page.getByRole('button', { name: 'Move up question 2' }), '"Move up" of question 2');
    await page.keyboard.press('Enter');
    await checkFocused(page, page.locator('#ed-pages-0-questions-0-down'), '"Move down" of the moved question');
    assert.equal(await page.locator('#ed-pages-0-questions-0-title').inputValue(), 'Second question');

    // A problem: Publish refuses, the list takes focus, its link leads to the field.
    await go(page.locator('#ed-pages-0-questions-0-id'), 'the moved question\'s id');
    await retype('Not An Id');
    await go(page.getByRole('button', { name: 'Publish' }), '"Publish"', { back: true });
    await page.keyboard.press('Enter');
    const summary = page.locator('.error-summary');
    await checkFocused(page, summary, 'the problem list');
    assert.match(await summary.getByRole('heading').innerText(), /There is 1 problem to fix before publishing/);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await checkFocused(page, page.locator('#ed-pages-0-questions-0-id'), 'the field the problem is about');
    await retype('second');

    await go(page.getByRole('button', { name: 'Publish' }), '"Publish"', { back: true });
    await page.keyboard.press('Enter');
    await checkFocused(page, page.locator('.notice-success'), 'the published panel');
    await checkVisible(page.getByRole('heading', { name: 'Version 1 is published' }));

    assert.ok(stops > 20, `focus stopped at ${stops} places`);
    assert.deepEqual(problems, [], 'every focus stop is visible and uncovered');

    // Canary: a control whose ring is taken away is caught.
    const button = page.getByRole('button', { name: 'Save draft' });
    await go(button, '"Save draft"', { back: true });
    await button.evaluate((el) => {
      for (const p of ['outline', 'box-shadow']) el.style.setProperty(p, 'none', 'important');
    });
    const stop = await focusReport(page);
    assert.ok(stop.bestRing < 3, `without its ring, the focused button fails: ${stopName(stop)} ${stop.bestRing}`);
  });
  await context.close();
});
