// Page helpers, split as find / act / check (after leptos's todo_app_sqlite_axum e2e):
//   find  returns Playwright locators, found as a person finds things: by role and by name;
//   act   does what a person does: tap or click, tick, type, press a button;
//   check reads what the person would see or hear, and waits for it rather than sleeping.
// Role and label locators pierce open shadow roots, so the same helpers work whether the
// widget renders in a shadow root (the default) or in the page.

import assert from 'node:assert/strict';
import { ACTION_TIMEOUT_MS } from './browser.mjs';
import { eventually } from './wait.mjs';

// ---------------------------------------------------------------------------------- find ---

/** The widget's host element: `<survey-widget>` or `<div data-survey-widget>`. */
export function findWidget(page, selector = 'survey-widget') {
  return page.locator(selector);
}

/** A question answered with radios or checkboxes: its fieldset, named by its legend. */
export function findQuestion(scope, title) {
  return scope.getByRole('group', { name: title }).or(scope.getByRole('radiogroup', { name: title }));
}

/** A radio in a question, by its label (a string is matched exactly; or pass a RegExp). */
export function findRadio(question, label) {
  return question.getByRole('radio', { name: label, exact: typeof label === 'string' ? true : undefined });
}

/** A checkbox, by its label. */
export function findCheckbox(scope, label) {
  return scope.getByRole('checkbox', { name: label, exact: typeof label === 'string' ? true : undefined });
}

/** A text field or text area, by its label. */
export function findField(scope, label) {
  return scope.getByLabel(label);
}

/** A button, by its exact name ("Continue", "Back", "Send answers"). */
export function findButton(scope, name) {
  return scope.getByRole('button', { name, exact: true });
}

/** A heading, by its exact text. */
export function findHeading(scope, name) {
  return scope.getByRole('heading', { name, exact: true });
}

// ----------------------------------------------------------------------------------- act ---

/**
 * Opens a page and brings the widget into view (see `revealSurvey`).
 */
export async function openSurvey(page, url, options = {}) {
  await page.goto(url);
  return revealSurvey(page, options);
}

/**
 * Brings the widget into view, as a reader scrolling down would (the widget loads when it
 * comes near the viewport), then waits until the question `firstQuestion` shows.
 */
export async function revealSurvey(page, { selector = 'survey-widget', firstQuestion } = {}) {
  const widget = findWidget(page, selector);
  await widget.waitFor({ state: 'attached' });
  await widget.evaluate((element) => element.scrollIntoView({ block: 'center' }));
  if (firstQuestion) {
    await findQuestion(widget, firstQuestion).waitFor({ state: 'visible' });
  }
  return widget;
}

/** Taps (touch) or clicks an element. */
async function press(locator, { touch = false } = {}) {
  if (touch) await locator.tap();
  else await locator.click();
}

/** Chooses a radio and waits until it shows as chosen. */
export async function choose(radio, options) {
  await press(radio, options);
  await checkChecked(radio, true);
}

/** Ticks a checkbox and waits until it shows as ticked. */
export async function tick(checkbox, options) {
  if (await checkbox.isChecked()) throw new Error('tick(): the box is already ticked');
  await press(checkbox, options);
  await checkChecked(checkbox, true);
}

/** Unticks a checkbox and waits until it shows as unticked. */
export async function untick(checkbox, options) {
  if (!(await checkbox.isChecked())) throw new Error('untick(): the box is not ticked');
  await press(checkbox, options);
  await checkChecked(checkbox, false);
}

/**
 * Types into a field. On a touch screen it taps the field and types key by key, as the
 * on-screen keyboard does; otherwise it fills the field.
 */
export async function typeInto(field, text, { touch = false } = {}) {
  if (touch) {
    await field.tap();
    await field.pressSequentially(text);
  } else {
    await field.fill(text);
  }
  await checkValue(field, text);
}

/** Presses a button by name. */
export async function pressButton(scope, name, options) {
  await press(findButton(scope, name), options);
}

// --------------------------------------------------------------------------------- check ---

export async function checkChecked(locator, expected) {
  await eventually(async () => assert.equal(await locator.isChecked(), expected), {
    message: `expected the control to be ${expected ? 'checked' : 'unchecked'}`,
  });
}

export async function checkValue(field, expected) {
  await eventually(async () => assert.equal(await field.inputValue(), expected), {
    message: 'unexpected field value',
  });
}

/** Waits until `locator` is visible. */
export async function checkVisible(locator, timeout = ACTION_TIMEOUT_MS) {
  await locator.first().waitFor({ state: 'visible', timeout });
}

/** Waits until the page's focus (looking through shadow roots) is on the element `locator` finds. */
export async function checkFocused(page, locator, what = 'the element') {
  const handle = await locator.elementHandle();
  try {
    await page.waitForFunction((element) => window.__e2e.deepActive() === element, handle, {
      timeout: ACTION_TIMEOUT_MS,
    });
  } catch (error) {
    const focused = await describeFocus(page);
    throw new Error(`focus did not move to ${what}; it is on ${focused}`, { cause: error });
  }
}

/**
 * Presses Tab (or Shift+Tab) until the element `target` finds has focus, as a keyboard user
 * moves through a page. `onStop`, if given, is awaited at every stop on the way (to check the
 * focus ring there, say).
 */
export async function tabTo(page, target, what, { back = false, max = 80, onStop } = {}) {
  await target.waitFor({ state: 'visible' });
  const handle = await target.elementHandle();
  for (let presses = 0; presses < max; presses++) {
    if (await page.evaluate((element) => window.__e2e.deepActive() === element, handle)) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    if (onStop) await onStop();
  }
  throw new Error(`${max} presses of ${back ? 'Shift+Tab' : 'Tab'} never reached ${what}; focus is on ${await describeFocus(page)}`);
}

/** A short description of the focused element, for failure messages. */
export async function describeFocus(page) {
  return page.evaluate(() => {
    const element = window.__e2e.deepActive();
    if (!element) return 'nothing';
    const text = window.__e2e.text(element).slice(0, 80);
    const attributes = ['id', 'class', 'role', 'type', 'name']
      .map((name) => (element.getAttribute(name) ? `${name}="${element.getAttribute(name)}"` : ''))
      .filter(Boolean)
      .join(' ');
    return `<${element.tagName.toLowerCase()} ${attributes}> "${text}"`;
  });
}

/**
 * Waits until the error summary has focus, and returns what it says: its heading and the text
 * of each link. The summary counts as focused when the deepest focused element contains both
 * the heading "There is a problem" and the links; in shadow rendering, the page's own
 * document.activeElement must then be the widget's host.
 */
export async function checkErrorSummaryFocused(page, widget) {
  const host = await widget.elementHandle();
  try {
    await page.waitForFunction(
      (hostElement) => {
        const focused = window.__e2e.deepActive();
        if (!focused || !/There is a problem/.test(window.__e2e.text(focused))) return false;
        if (!focused.querySelector('a, [role="link"]')) return false;
        return hostElement.shadowRoot ? document.activeElement === hostElement : true;
      },
      host,
      { timeout: ACTION_TIMEOUT_MS },
    );
  } catch (error) {
    throw new Error(`the error summary did not get focus; focus is on ${await describeFocus(page)}`, { cause: error });
  }
  return page.evaluate(() => {
    const summary = window.__e2e.deepActive();
    const heading = summary.querySelector('h1, h2, h3, h4, h5, h6, [role="heading"]');
    return {
      heading: heading ? window.__e2e.text(heading) : null,
      role: summary.getAttribute('role'),
      hasAlert: summary.getAttribute('role') === 'alert' || summary.querySelector('[role="alert"]') !== null,
      links: [...summary.querySelectorAll('a, [role="link"]')].map((link) => window.__e2e.text(link)),
    };
  });
}

/**
 * The inline error messages the widget shows, in page order, without their visually hidden
 * "Error:" prefix. An inline message is the smallest element whose text starts "Error:" and
 * goes on with the message.
 */
export async function inlineErrors(widget) {
  return widget.evaluate((host) => {
    const probes = window.__e2e;
    const start = host.shadowRoot ?? host;
    const pattern = /^Error:\s*\S/;
    return probes
      .queryAll('*', start)
      .filter((element) => element.getClientRects().length > 0)
      .filter((element) => pattern.test(probes.text(element)))
      .filter((element) => ![...element.children].some((child) => pattern.test(probes.text(child))))
      .map((element) => probes.text(element).replace(/^Error:\s*/, ''));
  });
}

/**
 * The inline error messages shown inside one question (found by `findQuestion` or by the
 * field's container), without the "Error:" prefix.
 */
export async function inlineErrorsIn(question) {
  return question.evaluate((container) => {
    const probes = window.__e2e;
    const pattern = /^Error:\s*\S/;
    return probes
      .queryAll('*', container)
      .filter((element) => element.getClientRects().length > 0)
      .filter((element) => pattern.test(probes.text(element)))
      .filter((element) => ![...element.children].some((child) => pattern.test(probes.text(child))))
      .map((element) => probes.text(element).replace(/^Error:\s*/, ''));
  });
}

/**
 * Checks the error summary against the inline errors: the heading is "There is a problem",
 * there is one link per inline message, in the same order, with the same words.
 */
export async function checkErrorSummaryMatchesInlineErrors(page, widget) {
  const summary = await checkErrorSummaryFocused(page, widget);
  assert.equal(summary.heading, 'There is a problem', 'the error summary heading');
  assert.ok(summary.hasAlert, 'the error summary (or an element in it) has role="alert"');
  const inline = await eventually(async () => {
    const found = await inlineErrors(widget);
    assert.ok(found.length > 0, 'no inline error message starting with a visually hidden "Error:" is shown');
    return found;
  });
  assert.ok(summary.links.length > 0, 'the error summary has no links');
  assert.deepEqual(summary.links, inline, 'each error summary link reads exactly like its inline message');
  return summary;
}

/** Waits for the completion heading and returns the reference shown ("Your reference is …"). */
export async function checkConfirmation(widget, title) {
  await checkVisible(findHeading(widget, title));
  const text = await widget.getByText(/Your reference is/).first().textContent();
  const match = /Your reference is\s*:?\s*([A-Z0-9][A-Z0-9-]{3,})/i.exec(text ?? '');
  assert.ok(match, `no reference in "${text}"`);
  return match[1];
}

/**
 * Texts of every element, in the page or in any open shadow root, that a screen reader
 * announces on change: role="alert", role="status" or aria-live.
 */
export async function liveRegionTexts(page) {
  return page.evaluate(() =>
    window.__e2e
      .queryAll('[role="alert"], [role="status"], [aria-live]:not([aria-live="off"])')
      .map((element) => window.__e2e.text(element))
      .filter(Boolean),
  );
}

/** The page does not scroll sideways (content reflows to the viewport's width). */
export async function checkNoHorizontalScroll(page) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  assert.ok(scrollWidth <= innerWidth, `the page scrolls sideways: ${scrollWidth}px wide in a ${innerWidth}px viewport`);
}

/**
 * Waits until the page keeps nothing in localStorage or sessionStorage: once answers are
 * delivered, an anonymous survey leaves nothing behind on the device.
 */
export async function checkStorageEmpty(page) {
  await eventually(
    async () => {
      const kept = await page.evaluate(() => ({ local: Object.keys(localStorage), session: Object.keys(sessionStorage) }));
      assert.deepEqual(kept, { local: [], session: [] });
    },
    { message: 'something is still kept in the browser storage after the answers were delivered' },
  );
}

/** UUID version 4, as `submission_id` must be. */
export const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
