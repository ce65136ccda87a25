// Page helpers for the WebDriver journeys, split as find / act / check like lib/pages.mjs:
//   find  returns element references, found as a person finds things: a question by its
//         legend, a radio or checkbox or field by its label, a button or link by its words,
//         looking inside the widget's open shadow root;
//   act   clicks, taps, types and presses keys through WebDriver actions (real input events);
//   check waits for what a person would see, polling, never sleeping a fixed time.
// Everything that runs in the page is a plain function sent with `execute`, so it runs the
// same in WebKit and Gecko, and nothing is injected before the page's own scripts.

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ARTIFACTS } from './browser.mjs';

/** How long any one wait may take before the test fails. */
export const WAIT_MS = 20_000;

import { eventually } from './wait.mjs';

export { eventually };

// ---------------------------------------------------------------------------------- find ---

/**
 * Runs in the page: the element `query` names inside `scope` (an element; its open shadow
 * root is searched when it has one), or null. `query.kind` is group | radio | checkbox | field
 * | button | link | heading; `query.name` an exact text, or `query.pattern` a RegExp source.
 */
function locateInPage(scope, query) {
  const root = scope.shadowRoot ?? scope;
  // A question's words without the "(optional)" the widget adds to them.
  const text = (element) => (element ? element.textContent.replace(/\s+/g, ' ').trim().replace(/ \(optional\)$/, '') : '');
  const matches = (value) => (query.pattern ? new RegExp(query.pattern).test(value) : value === query.name);
  const visible = (element) => element.getClientRects().length > 0 || (element.labels && element.labels[0]?.getClientRects().length > 0);
  const labelOf = (control) => text(control.labels && control.labels[0]);
  const all = (selector) => [...root.querySelectorAll(selector)].filter(visible);
  switch (query.kind) {
    case 'group':
      return all('fieldset').find((f) => matches(text(f.querySelector('legend')))) ?? null;
    case 'radio':
    case 'checkbox':
      return all(`input[type="${query.kind}"]`).find((input) => matches(labelOf(input))) ?? null;
    case 'field':
      return all('input:not([type="radio"]):not([type="checkbox"]), textarea, select').find((f) => matches(labelOf(f))) ?? null;
    case 'button':
      return all('button').find((b) => matches(text(b))) ?? null;
    case 'link':
      return all('a').find((a) => matches(text(a))) ?? null;
    case 'heading':
      return all('h1, h2, h3, h4, h5, h6').find((h) => matches(text(h))) ?? null;
    default:
      throw new Error(`unknown kind ${query.kind}`);
  }
}

function toQuery(kind, name) {
  return name instanceof RegExp ? { kind, pattern: name.source } : { kind, name };
}

/** The widget's host element (`survey-widget` by default). */
export async function findWidget(session, selector = 'survey-widget') {
  return eventually(() => session.findCss(selector), { message: `no ${selector} on the page` });
}

/** Waits until the element `kind`/`name` shows inside `scope` and returns its reference. */
export async function find(session, scope, kind, name, { timeout = WAIT_MS } = {}) {
  return eventually(
    async () => {
      const element = await session.execute(locateInPage, scope, toQuery(kind, name));
      assert.ok(element, `no visible ${kind} "${name}"`);
      return element;
    },
    { timeout },
  );
}

// ----------------------------------------------------------------------------------- act ---

/**
 * Runs in the page: records the widget's events, the page's Content Security Policy violations
 * and uncaught errors in `window.__wd`, once.
 */
function installRecorder() {
  if (window.__wd) return;
  const record = { events: [], csp: [], errors: [] };
  window.__wd = record;
  for (const type of ['survey:ready', 'survey:submit', 'survey:complete', 'survey:queued', 'survey:error']) {
    document.addEventListener(type, (event) => record.events.push({ type, detail: JSON.parse(JSON.stringify(event.detail ?? null)) }), true);
  }
  document.addEventListener('securitypolicyviolation', (event) => record.csp.push(`${event.violatedDirective} ${event.blockedURI}`));
  window.addEventListener('error', (event) => record.errors.push(String(event.message)));
}

/**
 * The recorder as a script file a page can load first thing (`/e2e-probe.js`, which
 * lib/webdriver-server.mjs puts on the site): from the site's own origin, so the strict policy
 * allows it, and before the loader, so nothing the page does goes unrecorded.
 */
export const PROBE_SCRIPT = `(${installRecorder})();\n`;

/** `html` with the probe script loaded first in its head. */
export function withProbe(html) {
  assert.match(html, /<head>/, 'the page has a <head>');
  return html.replace('<head>', '<head>\n  <script src="/e2e-probe.js"></script>');
}

/** Records the widget's events and the page's CSP violations from now on, unless the page's probe already does. */
export async function recordPage(session) {
  await session.execute(installRecorder);
}

/** Opens `url`, starts recording, and scrolls the widget into view as a reader would. */
export async function openSurvey(session, url, { selector = 'survey-widget', firstQuestion } = {}) {
  await session.navigate(url);
  await recordPage(session);
  const widget = await findWidget(session, selector);
  await session.scrollIntoView(widget);
  if (firstQuestion) await find(session, widget, 'group', firstQuestion);
  return widget;
}

/** Clicks (or, with `touch`, taps) the element `kind`/`name` in `scope`. */
/**
 * Signs in to the collector's admin pages through the form, on the collector's own origin, and
 * waits for the list of surveys.
 */
export async function signInToAdmin(session, admin) {
  await session.navigate(`${admin.url}/admin`);
  const page = await session.findCss('body');
  await typeInto(session, page, 'Admin token', admin.token);
  await press(session, page, 'button', 'Sign in');
  // Signed in: the list of surveys (a new page, so the body is looked up again).
  await eventually(async () => find(session, await session.findCss('body'), 'link', 'Write a new survey', { timeout: 1_000 }));
}

export async function press(session, scope, kind, name, { touch = false } = {}) {
  const element = await find(session, scope, kind, name);
  await session.click(element, { pointerType: touch ? 'touch' : 'mouse' });
  return element;
}

/** Chooses a radio or ticks/unticks a checkbox, and waits until it shows as `checked`. */
export async function setChecked(session, scope, kind, name, checked, options) {
  const element = await find(session, scope, kind, name);
  assert.notEqual(await isChecked(session, element), checked, `the ${kind} "${name}" is already ${checked ? 'checked' : 'unchecked'}`);
  await session.click(element, { pointerType: options?.touch ? 'touch' : 'mouse' });
  await checkChecked(session, element, checked, `${kind} "${name}"`);
  return element;
}

/** Types `text` into the field labelled `name` (a click on it first, as a person would). */
export async function typeInto(session, scope, name, text, options) {
  const field = await find(session, scope, 'field', name);
  await session.click(field, { pointerType: options?.touch ? 'touch' : 'mouse' });
  await session.type(field, text);
  await checkValue(session, field, text);
  return field;
}

// --------------------------------------------------------------------------------- check ---

export function isChecked(session, element) {
  return session.execute((e) => e.checked, element);
}

export async function checkChecked(session, element, expected, what = 'the control') {
  await eventually(async () => assert.equal(await isChecked(session, element), expected), {
    message: `${what} should be ${expected ? 'checked' : 'unchecked'}`,
  });
}

export async function checkValue(session, element, expected) {
  await eventually(async () => assert.equal(await session.execute((e) => e.value, element), expected), {
    message: 'unexpected field value',
  });
}

/** Runs in the page: the focused element, looking through open shadow roots. */
function deepActiveInPage() {
  let element = document.activeElement;
  while (element && element.shadowRoot && element.shadowRoot.activeElement) element = element.shadowRoot.activeElement;
  return element;
}

/** A short description of the focused element, for failure messages. */
export function describeFocus(session) {
  return session.execute(`const deepActive = ${deepActiveInPage};
const e = deepActive();
if (!e) return 'nothing';
return '<' + e.tagName.toLowerCase() + (e.id ? ' id=' + e.id : '') + (e.type ? ' type=' + e.type : '') + '> "' + e.textContent.replace(/\\s+/g, ' ').trim().slice(0, 60) + '"';`);
}

/** Whether focus (through shadow roots) is on `element`. */
export function isFocused(session, element) {
  return session.execute(`const deepActive = ${deepActiveInPage}; return deepActive() === arguments[0];`, element);
}

export async function checkFocused(session, element, what) {
  await eventually(async () => assert.ok(await isFocused(session, element), `focus is on ${await describeFocus(session)}`), {
    message: `focus did not move to ${what}`,
  });
}

/**
 * Waits until the error summary has focus; returns its heading, its links' words, and the
 * inline messages shown (without their visually hidden "Error:"), which must read the same.
 */
export async function checkErrorSummary(session, widget) {
  const summary = await eventually(
    async () => {
      const found = await session.execute(
        `const deepActive = ${deepActiveInPage};
const host = arguments[0];
const text = (e) => e.textContent.replace(/\\s+/g, ' ').trim();
const focused = deepActive();
if (!focused || !/There is a problem/.test(text(focused)) || !focused.querySelector('a')) return null;
const root = host.shadowRoot ?? host;
const inline = [...root.querySelectorAll('*')]
  .filter((e) => e.getClientRects().length > 0 && /^Error:\\s*\\S/.test(text(e)))
  .filter((e) => ![...e.children].some((c) => /^Error:\\s*\\S/.test(text(c))))
  .map((e) => text(e).replace(/^Error:\\s*/, ''));
return {
  heading: text(focused.querySelector('h1, h2, h3, h4, h5, h6')),
  alert: focused.getAttribute('role') === 'alert' || focused.querySelector('[role="alert"]') !== null,
  links: [...focused.querySelectorAll('a')].map(text),
  inline,
  hostFocused: host.shadowRoot ? document.activeElement === host : true,
};`,
        widget,
      );
      assert.ok(found, `the error summary does not have focus; focus is on ${await describeFocus(session)}`);
      return found;
    },
    { message: 'the error summary did not get focus' },
  );
  assert.equal(summary.heading, 'There is a problem');
  assert.ok(summary.alert, 'the error summary (or an element in it) has role="alert"');
  assert.ok(summary.hostFocused, 'the page sees focus on the widget host');
  assert.ok(summary.links.length > 0, 'the error summary has links');
  assert.deepEqual(summary.links, summary.inline, 'each error summary link reads exactly like its inline message');
  return summary;
}

/** Waits for the completion heading `title` and returns the reference shown. */
export async function checkConfirmation(session, widget, title) {
  await find(session, widget, 'heading', title);
  // Text nodes joined with spaces, so "ABCD-1234" in its own element stays a word of its own.
  const text = await session.execute((host) => {
    const walker = document.createTreeWalker(host.shadowRoot ?? host, NodeFilter.SHOW_TEXT);
    const words = [];
    while (walker.nextNode()) words.push(walker.currentNode.textContent);
    return words.join(' ').replace(/\s+/g, ' ');
  }, widget);
  const match = /Your reference is\s*:?\s*([A-Z0-9][A-Z0-9-]{3,})/i.exec(text);
  assert.ok(match, `no reference in "${text.slice(0, 300)}"`);
  return match[1];
}

/** What recordPage() has seen: `{ events, csp, errors }`. */
export function recorded(session) {
  return session.execute(() => window.__wd ?? { events: [], csp: [], errors: [] });
}

/** The page does not scroll sideways. */
export async function checkNoHorizontalScroll(session) {
  const [scrollWidth, innerWidth] = await session.execute(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(scrollWidth <= innerWidth, `the page scrolls sideways: ${scrollWidth}px wide in a ${innerWidth}px viewport`);
}

/** Keys the page keeps in localStorage. */
export function storageKeys(session) {
  return session.execute(() => Object.keys(localStorage));
}

// ------------------------------------------------------------------------------- artifacts ---

/** Saves a PNG of the viewport as artifacts/NAME.png. */
export async function saveScreenshot(session, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(path.join(ARTIFACTS, `${name.replace(/[^a-z0-9-]+/gi, '-')}.png`), await session.screenshot());
}

/**
 * On failure: the screen, the page's markup with its shadow roots written out, and what the
 * page and the gate saw (`requests`: the gate's log).
 */
export async function saveFailure(session, name, requests = []) {
  const base = name.replace(/[^a-z0-9-]+/gi, '-');
  mkdirSync(ARTIFACTS, { recursive: true });
  try {
    const state = await session.execute(() => ({
      url: location.href,
      readyState: document.readyState,
      visibilityState: document.visibilityState,
      viewport: [innerWidth, innerHeight],
      loader: typeof window.SurveyWidget,
      widgets: [...document.querySelectorAll('survey-widget, [data-survey-widget]')].map((e) => ({
        rect: e.getBoundingClientRect().toJSON(),
        rendered: Boolean((e.shadowRoot ?? e).querySelector('.sw-root')),
      })),
      recorded: window.__wd ?? null,
    }));
    writeFileSync(path.join(ARTIFACTS, `${base}-failure.json`), `${JSON.stringify({ state, requests }, null, 2)}\n`);
  } catch (error) {
    writeFileSync(path.join(ARTIFACTS, `${base}-failure.json`), JSON.stringify({ error: String(error), requests }, null, 2));
  }
  try {
    writeFileSync(path.join(ARTIFACTS, `${base}-failure.png`), await session.screenshot());
    const html = await session.execute(() => {
      const write = (node) =>
        [...node.childNodes]
          .map((child) => {
            if (child.nodeType === 3) return child.textContent;
            if (child.nodeType !== 1) return '';
            const attrs = [...child.attributes].map((a) => ` ${a.name}="${a.value}"`).join('');
            const shadow = child.shadowRoot ? `<template shadowrootmode="open">${write(child.shadowRoot)}</template>` : '';
            return `<${child.localName}${attrs}>${shadow}${write(child)}</${child.localName}>`;
          })
          .join('');
      return `<!doctype html>${write(document)}`;
    });
    writeFileSync(path.join(ARTIFACTS, `${base}-failure.html`), html);
  } catch (error) {
    writeFileSync(path.join(ARTIFACTS, `${base}-failure.txt`), `could not save the page: ${error}`);
  }
}

/** Presses Tab (or Shift+Tab) until `element` has focus, at most `max` times. */
export async function tabTo(session, element, what, { back = false, max = 80 } = {}) {
  for (let presses = 0; presses < max; presses++) {
    if (await isFocused(session, element)) return;
    await session.press(back ? ['Shift', 'Tab'] : 'Tab');
  }
  throw new Error(`${max} presses of ${back ? 'Shift+Tab' : 'Tab'} never reached ${what}; focus is on ${await describeFocus(session)}`);
}
