// a11y. The GP experience survey, every page, answered and sent with the keyboard alone (Tab,
//    Shift+Tab, arrow keys, Space, Enter, and typing), in the shadow-root widget of a11y.html.
//    At every Tab stop: the focus ring has 3:1 contrast against what is behind it, is in view
//    and is not covered (WCAG 1.4.11, 2.4.7, 2.4.11); each radio group is one Tab stop; Tab
//    from the widget's last control reaches the host page's next link and Shift+Tab comes back
//    (2.1.1, 2.1.2, 2.4.3). (keyboard-only.test.mjs does the shorter digital-engagement survey.)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser } from './lib/suite.mjs';
import { storedResponses } from './lib/server.mjs';
import { DESKTOP, openPage, screenshot, withArtifactsOnFailure } from './lib/browser.mjs';
import { checkErrorSummaryMatchesInlineErrors, checkVisible, describeFocus, findHeading } from './lib/pages.mjs';
import { checkFocusOnNewHeading, en, loadDefinition } from './lib/a11y-walk.mjs';
import { GP_PLAN } from './lib/a11y-plans.mjs';
import { focusReport, stopName } from './lib/a11y-focus.mjs';

/** Tab stops on the way through gp-experience, answering every question once. */
const FOCUS_STOPS = 112;

const suite = serverAndBrowser();
const GP = loadDefinition('gp-experience');
const QUESTIONS = new Map(GP.pages.flatMap((p) => p.questions).map((q) => [q.id, q]));
const MAX_STOPS = 120;

/** Checks the ring of the focused element, and returns what is focused. */
async function checkedStop(page, stops, problems) {
  const stop = await focusReport(page);
  if (stop?.inWidget) {
    stops.push(stop);
    // Headings and the summary that only scripts focus (tabindex -1) are not controls: GOV.UK
    // draws no ring on a page heading; the error summary's own ring is asserted below anyway.
    if (stop.bestRing < 3 && !(stop.programmatic && /^h[1-6]$/.test(stop.tag))) problems.push(`${stopName(stop)}: focus ring contrast ${stop.bestRing.toFixed(2)}:1 (${JSON.stringify(stop.rings)})`);
    if (!stop.refocused) problems.push(`${stopName(stop)}: focus could not be put back after reading it unfocused`);
    if (!stop.inView) problems.push(`${stopName(stop)}: focused but outside the viewport`);
    if (stop.covered) problems.push(`${stopName(stop)}: focused but covered by ${stop.hitWhat}`);
  }
  return stop;
}

/** Presses a key until `done(stop)` says so; fails after MAX_STOPS presses. */
async function pressUntil(page, key, done, what, stops, problems) {
  for (let i = 0; i < MAX_STOPS; i++) {
    const stop = await checkedStop(page, stops, problems);
    if (done(stop)) return stop;
    await page.keyboard.press(key);
  }
  throw new Error(`${MAX_STOPS} presses of ${key} never reached ${what}; focus is on ${await describeFocus(page)}`);
}

/** From the focused primary button: Tab leaves the widget for the host's next link, Shift+Tab returns. */
async function checkLeavesWidget(page, where, after, stops, problems) {
  const primary = await focusReport(page);
  const left = await pressUntil(page, 'Tab', (s) => s && !s.inWidget, 'the page after the widget', stops, problems);
  assert.equal(left.id, after, `${where}: Tab from the widget's last control reaches the host's next link, not ${stopName(left)}`);
  await page.keyboard.press('Shift+Tab');
  const back = await focusReport(page);
  assert.ok(back?.inWidget, `${where}: Shift+Tab from the host's link goes back into the widget, not ${stopName(back)}`);
  await pressUntil(page, 'Shift+Tab', (s) => s?.id === primary.id && s.text === primary.text, `${where}: the primary button again`, stops, problems);
}

/** Answers the focused control with keys, from the plan. Returns true if it did something. */
async function answerByKeyboard(page, stop, handled) {
  const q = QUESTIONS.get(stop.question);
  const value = q && GP_PLAN.good[q.id];
  const key = `${stop.id}`;
  if (!q || value === undefined || handled.has(key)) return false;
  handled.add(key);
  const press = (k, n = 1) => (async () => { for (let i = 0; i < n; i++) await page.keyboard.press(k); })();
  if (stop.tag === 'input' && stop.type === 'radio') {
    handled.add(stop.name);
    let index;
    if (q.type === 'rating') index = value - q.min;
    else if (q.type === 'matrix') {
      const row = Number(/-(\d+)-\d+$/.exec(stop.id)[1]);
      index = q.columns.findIndex((c) => c.value === value[q.rows[row].value]);
    } else {
      const chosen = typeof value === 'object' ? value.value : value;
      const values = q.options.map((o) => o.value);
      if (q.other) values.splice(values.findIndex((v, i) => q.options[i]?.exclusive) >>> 0, 0, 'other');
      index = values.indexOf(chosen);
    }
    // The group is entered on its first radio: Space picks it, each arrow press the next one.
    if (index === 0) await press('Space');
    else await press('ArrowDown', index);
    return true;
  }
  if (stop.tag === 'input' && stop.type === 'checkbox') {
    const values = q.type === 'consent' ? [true] : Array.isArray(value) ? value : value.values;
    const mine = q.type === 'consent' ? true : stop.label && q.options.concat(q.other ? [{ value: 'other', label: q.other.label }] : []).find((o) => en(o.label) === stop.label)?.value;
    if (values.includes(mine)) await press('Space');
    return true;
  }
  if (stop.tag === 'select') {
    const target = q.options.findIndex((o) => o.value === value) + 1;
    await press('ArrowDown', target);
    return true;
  }
  if (stop.tag === 'input' || stop.tag === 'textarea') {
    let text;
    if (/-other-detail$/.test(stop.id)) text = value.detail;
    else if (q.type === 'date') text = value[['day', 'month', 'year'].findIndex((p) => stop.id.endsWith(`-${p}`))];
    else text = value;
    await page.keyboard.type(String(text));
    return true;
  }
  if (stop.tag === 'button' && q.type === 'ranking' && /^Move down 1\b/.test(stop.text)) {
    await press('Enter', value);
    return true;
  }
  return false;
}

/** The two widgets of a11y.html, each followed by a link of the host page. */
const WIDGETS = [
  { host: 'survey-shadow', after: 'after-shadow', before: null, what: 'in a shadow root' },
  { host: 'survey-light', after: 'after-light', before: 'after-shadow', what: 'in the light DOM' },
];

for (const { host, after, before, what } of WIDGETS) {
  test(`gp-experience ${what} answered and sent with the keyboard alone; focus always visible; no traps`, { timeout: 150_000 }, async () => {
    const { context, page } = await openPage(suite.browser, DESKTOP);
    const stops = [];
    const problems = [];
    await withArtifactsOnFailure(page, `a11y keyboard ${host}`, async () => {
      await walk(page, { host, after, before, stops, problems });
    });
    await context.close();
  });
}

async function walk(page, { host, after, before, stops, problems }) {
  await page.goto(`${suite.server.site}/a11y.html`);
  const widget = page.locator(`#${host}`);
  await widget.getByRole('button', { name: /^(Start now|Continue)$/ }).first().waitFor();
  const isPrimary = (s) => s?.hostId === host && s.tag === 'button' && /^(Start now|Continue|Send answers|Send|Accept and send)$/.test(s.text);
  const mine = (s) => s?.hostId === host;

  // From the host's link before the widget (or the top of the page), into the widget.
  if (before) await page.locator(`#${before}`).focus();
  await page.keyboard.press('Tab');
  let stop = await pressUntil(page, 'Tab', isPrimary, 'the widget\'s first button', stops, problems);
  await checkLeavesWidget(page, 'first view', after, stops, problems);
  if (stop.text === 'Start now') {
    await page.keyboard.press('Enter');
    await checkFocusOnNewHeading(page, widget, 'Start now', 'Start now');
  }

  // Continue with nothing answered: the error summary takes focus; its first link, followed
  // with Enter, focuses the first field of the question it names.
  await pressUntil(page, 'Tab', isPrimary, 'Continue on the first page', stops, problems);
  await page.keyboard.press('Enter');
  const summary = await checkErrorSummaryMatchesInlineErrors(page, widget);
  await pressUntil(page, 'Tab', (s) => s?.tag === 'a' && s.text === summary.links[0], 'the first error link', stops, problems);
  await page.keyboard.press('Enter');
  const target = await focusReport(page);
  assert.equal(target.question, GP.pages[0].questions[0].id, `the first error link focuses the first question, not ${stopName(target)}`);

  // Every page: Tab through every control, answering as the plan says, then Enter on the
  // primary button, checking on the way that Tab leaves the widget only past its last control.
  const handled = new Set();
  for (let pageCount = 0; pageCount < 12; pageCount++) {
    const groupsSeen = new Map();
    for (let i = 0; ; i++) {
      assert.ok(i < MAX_STOPS, `no primary button reached on view ${pageCount}`);
      stop = await checkedStop(page, stops, problems);
      if (stop?.type === 'radio') {
        const seen = groupsSeen.get(stop.name);
        assert.ok(!seen || seen === stop.id, `radio group ${stop.name} is more than one Tab stop: ${seen} and ${stop.id}`);
        groupsSeen.set(stop.name, stop.id);
      }
      if (isPrimary(stop)) break;
      if (mine(stop)) await answerByKeyboard(page, stop, handled);
      await page.keyboard.press('Tab');
    }
    await checkLeavesWidget(page, `view ${pageCount}`, after, stops, problems);
    const previous = await focusReport(page);
    const heading = await widget.evaluate((el) => window.__e2e.text((el.shadowRoot ?? el).querySelector('[tabindex="-1"]:is(h1,h2,h3,h4,h5,h6)') ?? el));
    await page.keyboard.press('Enter');
    if (/^Send/.test(previous.text)) break;
    await checkFocusOnNewHeading(page, widget, heading, `Enter on ${previous.text}`);
    const titles = await widget.evaluate((el) => [...(el.shadowRoot ?? el).querySelectorAll('h1,h2,h3,h4,h5,h6')].map((h) => window.__e2e.text(h)));
    assert.ok(!titles.includes('There is a problem'), `the keyboard answers left errors: ${JSON.stringify(titles)}`);
  }

  await checkVisible(findHeading(widget, en(GP.completion.title)));
  await screenshot(page, `a11y keyboard sent ${host}`);
  // The confirmation's controls (copy, share) are reachable, and Tab still leaves the widget.
  await pressUntil(page, 'Tab', (s) => s && !s.inWidget && s.id === after, 'the host link after the confirmation', stops, problems);

  // What the keyboard gave is what the collector stored.
  const stored = (await storedResponses(suite.server, 'gp-experience')).find((r) => r.hidden?.channel === host.replace('survey-', 'a11y-'));
  const expected = { ...GP_PLAN.good };
  const answers = stored?.answers ?? {};
  assert.equal(answers.contact_method, 'other');
  assert.equal(stored.other_text?.contact_method, expected.contact_method.detail);
  assert.equal(answers.practice, expected.practice);
  assert.equal(answers.contact_date, '2026-03-12');
  assert.equal(answers.ease, expected.ease);
  assert.deepEqual([...answers.difficulties].sort(), [...expected.difficulties.values].sort());
  assert.deepEqual(answers.aspects, expected.aspects);
  assert.equal(answers.recommend, expected.recommend);
  assert.deepEqual(answers.priorities, ['online', 'hours', 'staff', 'waits']);
  for (const id of ['difficulty_detail', 'why_low', 'follow_up', 'email', 'phone', 'postcode', 'group', 'group_site', 'member_code']) {
    assert.equal(answers[id], expected[id], `stored ${id}`);
  }
  assert.equal(answers.age, 42);
  assert.equal(answers.use_answers, true);

  assert.deepEqual(problems, [], `focus problems at ${problems.length} of ${stops.length} stops`);
  const own = stops.filter(mine);
  const kinds = new Set(own.map((s) => `${s.tag}${s.type ? `[${s.type}]` : ''}`));
  console.log(`keyboard (${host}): ${own.length} focus stops checked (${[...kinds].join(', ')})`);
  // The count the notes report: a walk that stopped early would otherwise pass.
  assert.equal(own.length, FOCUS_STOPS, `focus stops on the keyboard walk through gp-experience in #${host}`);
  for (const kind of ['input[radio]', 'input[checkbox]', 'input[text]', 'input[email]', 'input[tel]', 'input[url]', 'select', 'textarea', 'button[button]', 'button[submit]', 'a']) {
    assert.ok(kinds.has(kind), `the walk focused at least one ${kind}`);
  }
}

// The canary: the same check on a widget whose focus styles are removed and whose buttons wear,
// at rest, a dark shadow that would pass a 3:1 test on its own. The check must flag every stop.
test('canary: a widget without a focus style fails the focus check, even with a resting shadow', { timeout: 60_000 }, async () => {
  const { context, page } = await openPage(suite.browser, DESKTOP);
  await withArtifactsOnFailure(page, 'a11y keyboard canary', async () => {
    await page.goto(`${suite.server.site}/a11y.html`);
    const widget = page.locator('#survey-shadow');
    await widget.getByRole('button', { name: /^(Start now|Continue)$/ }).first().waitFor();
    await widget.evaluate((host) => {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(`
        .sw-root :focus-visible, .sw-root :focus { outline: none !important; box-shadow: none !important; }
        .sw-root button { box-shadow: 0 0 0 4px #0b0c0c !important; }`);
      host.shadowRoot.adoptedStyleSheets = [...host.shadowRoot.adoptedStyleSheets, sheet];
    });
    const stops = [];
    const problems = [];
    await page.keyboard.press('Tab');
    await pressUntil(page, 'Tab', (s) => s?.hostId === 'survey-shadow' && s.tag === 'button', 'the widget\'s first button', stops, problems);
    const button = stops.find((s) => s.tag === 'button');
    assert.ok(button.restingRings.length > 0, 'the canary button has a resting shadow');
    assert.ok(
      problems.some((p) => p.includes(stopName(button)) && p.includes('focus ring contrast')),
      `the check flags the button whose only "ring" is its resting shadow: ${JSON.stringify(problems)}`,
    );
  });
  await context.close();
});
