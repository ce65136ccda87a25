// Walks a survey through every state it can show, in one or more widgets on the same page at
// once, and calls back at each state so the audit can sweep it. The walk is driven by the
// survey's own definition and a plan of answers (good and bad) per question id, so it follows
// whatever pages and questions the definition has.
//
// Views the widget may or may not have are handled when they show: a "Start now" button before
// the first page, a "Check your answers" page before sending. A new state is one more
// `await onState('name')` where the widget shows it.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './server.mjs';
import { ACTION_TIMEOUT_MS } from './browser.mjs';
import { checkErrorSummaryMatchesInlineErrors, describeFocus } from './pages.mjs';

export function loadDefinition(id) {
  return JSON.parse(readFileSync(path.join(ROOT, 'demo', 'surveys', `${id}.json`), 'utf8'));
}

/** A definition text in English. */
export function en(text) {
  return typeof text === 'string' ? text : text?.en;
}

/** A definition text in `lang`, falling back to English as the widget does. */
export function tr(text, lang = 'en') {
  return typeof text === 'string' ? text : (text?.[lang] ?? text?.en);
}

/** The widget's own words that `answer()` needs, per language (widget/src/i18n.rs). */
const WORDS = {
  en: { day: 'Day', month: 'Month', year: 'Year', moveDown: 'Move down' },
  cy: { day: 'Diwrnod', month: 'Mis', year: 'Blwyddyn', moveDown: 'Symud i lawr' },
};

/** A short, stable name for a question's kind, used for screenshot names. */
export function kindName(q) {
  switch (q.type) {
    case 'single_choice':
      return q.display === 'dropdown' ? 'dropdown' : 'radios';
    case 'multiple_choice':
      return 'checkboxes';
    case 'text':
      if (q.pattern) return 'text-pattern';
      return q.input && q.input !== 'text' ? `text-${q.input}` : 'text';
    case 'long_text':
      return 'long-text';
    case 'rating':
      return q.max - q.min > 5 ? 'rating-0-10' : 'rating';
    default:
      return q.type;
  }
}

/** Question id → screenshot name, first question of each kind only. */
export function screenshotKinds(definition) {
  const seen = new Set();
  const kinds = {};
  for (const page of definition.pages) {
    for (const q of page.questions) {
      const kind = kindName(q);
      if (seen.has(kind)) continue;
      seen.add(kind);
      kinds[q.id] = kind;
    }
  }
  return kinds;
}

function optionLabel(q, value, lang) {
  if (value === 'other' && q.other) return tr(q.other.label, lang);
  const option = q.options.find((o) => o.value === value);
  assert.ok(option, `${q.id} has no option ${value}`);
  return tr(option.label, lang);
}

function otherDetailLabel(q, lang) {
  return tr(q.other.detail_label ?? q.other.label, lang);
}

/**
 * Gives `value` as the answer to question `q` in `widget`, with the mouse and keyboard as a
 * sighted person would (Playwright locators reach into open shadow roots). Values:
 * single_choice: option value, or { value: 'other', detail }; multiple_choice: [values] or
 * { values, detail }; text / long_text: string; rating: number; matrix: { row: column };
 * ranking: number of "move down" presses on the first item; date: [day, month, year];
 * consent: true. Labels are found in `lang`, the language the widget shows.
 */
export async function answer(widget, q, value, lang = 'en') {
  const words = WORDS[lang];
  const box = widget.locator(`[data-question="${q.id}"]`);
  await box.waitFor({ state: 'visible' });
  switch (q.type) {
    case 'single_choice': {
      const chosen = typeof value === 'object' ? value.value : value;
      if (q.display === 'dropdown') {
        await box.locator('select').selectOption(chosen);
      } else {
        await box.getByRole('radio', { name: optionLabel(q, chosen, lang), exact: true }).check();
      }
      if (typeof value === 'object' && value.detail !== undefined) {
        await box.getByLabel(otherDetailLabel(q, lang), { exact: true }).fill(value.detail);
      }
      return;
    }
    case 'multiple_choice': {
      const values = Array.isArray(value) ? value : value.values;
      for (const box2 of await box.getByRole('checkbox').all()) {
        if (await box2.isChecked()) await box2.uncheck();
      }
      for (const v of values) await box.getByRole('checkbox', { name: optionLabel(q, v, lang), exact: true }).check();
      if (!Array.isArray(value) && value.detail !== undefined) {
        await box.getByLabel(otherDetailLabel(q, lang), { exact: true }).fill(value.detail);
      }
      return;
    }
    case 'text':
      await box.locator('input').fill(value);
      return;
    case 'long_text':
      await box.locator('textarea').fill(value);
      return;
    case 'rating':
      await box.getByRole('radio', { name: new RegExp(`^${value}\\b`) }).check();
      return;
    case 'matrix':
      for (const [row, column] of Object.entries(value)) {
        const rowLabel = tr(q.rows.find((r) => r.value === row).label, lang);
        const columnLabel = tr(q.columns.find((c) => c.value === column).label, lang);
        await box.getByRole('group', { name: rowLabel, exact: true }).getByRole('radio', { name: columnLabel, exact: true }).check();
      }
      return;
    case 'ranking':
      for (let i = 0; i < value; i++) {
        await box.getByRole('button', { name: new RegExp(`^${words.moveDown} 1\\b`) }).click();
      }
      return;
    case 'date': {
      const [day, month, year] = value;
      await box.getByLabel(words.day, { exact: true }).fill(day);
      await box.getByLabel(words.month, { exact: true }).fill(month);
      await box.getByLabel(words.year, { exact: true }).fill(year);
      return;
    }
    case 'consent':
      await box.getByRole('checkbox').check();
      return;
    default:
      throw new Error(`answer(): ${q.type} takes no answer`);
  }
}

/** The primary button of the view (the form's submit: Continue, Send answers, …). */
export function primaryButton(widget) {
  return widget.getByRole('button', { name: /^(Continue|Send answers|Send|Accept and send)$/ });
}

/** The text of every heading in the widget, in order. */
async function headings(widget) {
  return widget.evaluate((host) =>
    [...(host.shadowRoot ?? host).querySelectorAll('h1, h2, h3, h4, h5, h6')].map((h) => window.__e2e.text(h)),
  );
}

/**
 * Waits until focus is on a heading in `widget` that is not `previous`, and returns its text:
 * moving to a new view (Continue, Back, Start now) must take focus to its heading (WCAG 2.4.3).
 */
export async function checkFocusOnNewHeading(page, widget, previous, what) {
  const host = await widget.elementHandle();
  try {
    const handle = await page.waitForFunction(
      ([hostElement, before]) => {
        const focused = window.__e2e.deepActive();
        const root = hostElement.shadowRoot ?? hostElement;
        if (!focused || !root.contains(focused) || !/^h[1-6]$/i.test(focused.localName)) return false;
        const text = window.__e2e.text(focused);
        return text !== before ? text : false;
      },
      [host, previous],
      { timeout: ACTION_TIMEOUT_MS },
    );
    return handle.jsonValue();
  } catch (error) {
    throw new Error(`${what}: focus did not move to the new view's heading; it is on ${await describeFocus(page)}`, { cause: error });
  }
}

/**
 * Follows each link of the focused error summary with the keyboard (focus the link, Enter),
 * and checks that it focuses a field of the question named in the link, with the field and the
 * label or legend that names it inside the viewport. Returns to the summary between links.
 */
export async function checkErrorLinks(page, widget) {
  const links = widget.locator('.sw-error-summary a');
  const count = await links.count();
  assert.ok(count > 0, 'the error summary has links');
  for (let i = 0; i < count; i++) {
    const link = links.nth(i);
    const text = (await link.textContent()).trim();
    await link.focus();
    await page.keyboard.press('Enter');
    const host = await widget.elementHandle();
    let where;
    try {
      where = await (
        await page.waitForFunction(
          (hostElement) => {
            const focused = window.__e2e.deepActive();
            const root = hostElement.shadowRoot ?? hostElement;
            if (!focused || !root.contains(focused)) return false;
            if (!/^(input|select|textarea|button)$/.test(focused.localName)) return false;
            const inView = (el) => {
              const r = el.getBoundingClientRect();
              return r.top >= -1 && r.bottom <= window.innerHeight + 1 && r.height > 0;
            };
            const fieldset = focused.closest('fieldset');
            const name = fieldset?.querySelector(':scope > legend') ?? focused.labels?.[0] ?? null;
            const control = focused.style && getComputedStyle(focused).opacity === '0' ? focused.labels?.[0] ?? focused : focused;
            return {
              field: `<${focused.localName} id="${focused.id}">`,
              question: focused.closest('[data-question]')?.getAttribute('data-question') ?? null,
              fieldInView: inView(control),
              name: name ? window.__e2e.text(name) : null,
              nameInView: name ? inView(name) : false,
            };
          },
          host,
          { timeout: ACTION_TIMEOUT_MS },
        )
      ).jsonValue();
    } catch (error) {
      throw new Error(`error link "${text}" did not focus a field; focus is on ${await describeFocus(page)}`, { cause: error });
    }
    assert.ok(where.question, `error link "${text}" focused ${where.field}, outside any question`);
    assert.ok(where.fieldInView, `error link "${text}" focused ${where.field}, which is not in view`);
    assert.ok(where.name, `error link "${text}" focused ${where.field}, which has no label or legend`);
    assert.ok(where.nameInView, `error link "${text}": the label "${where.name}" of ${where.field} is not in view`);
  }
}

/**
 * Walks `widgets` (locators of hosts showing the same survey on one page) through every view
 * of `definition`, giving the answers in `plan` ({ good, bad } maps of question id → value), and
 * awaits `onState(name)` at each state. Every widget gets the same actions, so all of them are
 * in the same state when it is swept. Stops on the view that sends the answers (the last page,
 * or "Check your answers"), before sending. Problems that need not stop the walk (Back) are
 * pushed to `problems` for the caller to assert.
 */
export async function walkToSend({ page, widgets, definition, plan, onState, problems = [] }) {
  const pageTitles = new Map(definition.pages.map((p) => [en(p.title), p]));
  const start = widgets[0].getByRole('button', { name: /^Start now$/ });
  const firstView = async (widget) =>
    widget
      .getByRole('button', { name: /^(Start now|Continue|Send answers)$/ })
      .first()
      .waitFor({ state: 'visible' });
  for (const widget of widgets) await firstView(widget);

  if (await start.isVisible()) {
    await onState('start');
    for (const widget of widgets) {
      await widget.getByRole('button', { name: /^Start now$/ }).click();
      await checkFocusOnNewHeading(page, widget, 'Start now', 'Start now');
    }
  }

  const seen = new Set();
  for (;;) {
    const titles = await headings(widgets[0]);
    if (titles.includes('Check your answers')) {
      await onState('review');
      return 'review';
    }
    const current = titles.map((t) => pageTitles.get(t)).find(Boolean);
    assert.ok(current, `the widget shows none of the survey's pages; headings: ${JSON.stringify(titles)}`);
    assert.ok(!seen.has(current.id), `page ${current.id} came round twice`);
    seen.add(current.id);
    const visible = async (q) => (await widgets[0].locator(`[data-question="${q.id}"]`).count()) > 0;

    await onState(`${current.id} empty`);

    // Bad answers where the plan has them, required questions left empty: the error summary.
    for (const widget of widgets) {
      for (const q of current.questions) {
        if (plan.bad[q.id] !== undefined && (await visible(q))) await answer(widget, q, plan.bad[q.id]);
      }
      await primaryButton(widget).click();
      await checkErrorSummaryMatchesInlineErrors(page, widget);
    }
    await onState(`${current.id} errors`);
    for (const widget of widgets) await checkErrorLinks(page, widget);

    // Good answers, in order: conditional questions appear as earlier ones are answered.
    for (const widget of widgets) {
      for (const q of current.questions) {
        if (plan.good[q.id] === undefined) continue;
        await answer(widget, q, plan.good[q.id]);
      }
    }
    await onState(`${current.id} answered`);

    const label = (await primaryButton(widgets[0]).textContent()).trim();
    if (/send/i.test(label)) return 'last page';
    for (const widget of widgets) {
      await primaryButton(widget).click();
      const next = await checkFocusOnNewHeading(page, widget, en(current.title), `Continue from ${current.id}`);
      if (seen.size === 1) {
        // Once, from the second page: Back and Continue again each move focus to the heading.
        // A failure here is recorded in `problems` and the walk goes on, so that one broken
        // button does not hide what the sweeps of the later states would find.
        try {
          await widget.getByRole('button', { name: 'Back', exact: true }).click();
          assert.equal(await checkFocusOnNewHeading(page, widget, next, `Back from ${next}`), en(current.title));
          await primaryButton(widget).click();
          assert.equal(await checkFocusOnNewHeading(page, widget, en(current.title), `Continue from ${current.id} again`), next);
        } catch (error) {
          problems.push(error.message);
          if (!(await headings(widget)).includes(next)) {
            await primaryButton(widget).click();
            await checkFocusOnNewHeading(page, widget, en(current.title), `Continue from ${current.id} again`);
          }
        }
      }
    }
  }
}
