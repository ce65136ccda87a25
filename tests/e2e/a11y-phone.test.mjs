// a11y. gp-experience at 320 px wide (a small phone), both widgets of
//    a11y.html, every page, empty and with errors. At each: no sideways scrolling with the WCAG
//    1.4.12 text-spacing overrides nor with text at 200% (1.4.4, 1.4.10); every id that a label,
//    aria-describedby or aria-labelledby names is in the same root (1.3.1, 4.1.2); hints and
//    errors are tied to their field; "(optional)" is said in words and no label leans on an
//    asterisk (3.3.2); buttons keep 4.5:1 text contrast when hovered in the light DOM, where the
//    host's CSS can reach them (1.4.3). Once: every input kind has the right type, inputmode and
//    autocomplete (1.3.5), and the host's viewport meta is left as it was.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser } from './lib/suite.mjs';
import { openPage, withArtifactsOnFailure } from './lib/browser.mjs';
import { VIEWPORTS, layoutProblems, settle } from './lib/a11y.mjs';
import { loadDefinition, walkToSend } from './lib/a11y-walk.mjs';
import { GP_PLAN } from './lib/a11y-plans.mjs';

const suite = serverAndBrowser();
const GP = loadDefinition('gp-experience');
const HOSTS = ['#survey-shadow', '#survey-light'];
// Not isMobile: Chromium's mobile emulation keeps a zoomed layout viewport after the width changes
// for the 200% check, which leaves clicks landing on the wrong element.
const SMALL_PHONE = { viewport: VIEWPORTS['small-phone'], deviceScaleFactor: 1 };

// WCAG 1.4.12: line height 1.5, paragraph spacing 2×, letter spacing 0.12×, word spacing 0.16×.
const TEXT_SPACING = `* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }`;

/**
 * Applies `css` to the document and to every open shadow root, as a user stylesheet would, or
 * takes it away (css = null). Constructed stylesheets are not blocked by the page's CSP.
 * Returns a computed value that proves the sheet took effect inside the widgets.
 */
async function userStyles(page, css) {
  return page.evaluate((text) => {
    window.__a11ySheet ??= new CSSStyleSheet();
    window.__a11ySheet.replaceSync(text ?? '');
    for (const root of window.__e2e.roots()) {
      if (!root.adoptedStyleSheets.includes(window.__a11ySheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, window.__a11ySheet];
    }
    const label = document.querySelector('#survey-shadow').shadowRoot.querySelector('.sw-title');
    return getComputedStyle(label).letterSpacing;
  }, css);
}

/** Markup rules inside each widget; returns problems found. */
async function markupProblems(page) {
  return page.evaluate((hosts) => {
    const problems = [];
    for (const selector of hosts) {
      const host = document.querySelector(selector);
      const root = host.shadowRoot ?? host;
      const byId = (id) => (root.getElementById ? root.getElementById(id) : root.querySelector(`#${CSS.escape(id)}`));
      for (const el of root.querySelectorAll('[for], [aria-describedby], [aria-labelledby], [aria-controls]')) {
        for (const attr of ['for', 'aria-describedby', 'aria-labelledby', 'aria-controls']) {
          for (const id of (el.getAttribute(attr) || '').split(/\s+/).filter(Boolean)) {
            if (!byId(id)) problems.push(`${selector}: ${el.localName}[${attr}] names #${id}, which is not in the same root`);
          }
        }
      }
      for (const question of root.querySelectorAll('[data-question]')) {
        const id = question.getAttribute('data-question');
        const error = question.querySelector('.sw-error-message');
        const hint = question.querySelector(':scope .sw-hint:not(.sw-choice__hint)');
        const described = [...question.querySelectorAll('[aria-describedby]')].flatMap((el) => el.getAttribute('aria-describedby').split(/\s+/));
        if (error && !described.includes(error.id)) problems.push(`${selector}: the error of ${id} is not tied to its field by aria-describedby`);
        if (hint && !described.includes(hint.id)) problems.push(`${selector}: the hint of ${id} is not tied to its field by aria-describedby`);
        if (error && !/^Error:/.test(window.__e2e.text(error))) problems.push(`${selector}: the error of ${id} does not start with a (visually hidden) "Error:"`);
      }
      for (const name of root.querySelectorAll('legend, label, .sw-legend')) {
        if (/\*/.test(name.textContent)) problems.push(`${selector}: "${window.__e2e.text(name)}" marks something with an asterisk`);
      }
    }
    return problems;
  }, HOSTS);
}

/** Whether each question's name says "(optional)" exactly when it is not required. */
async function optionalProblems(page, pageDef) {
  const problems = [];
  for (const selector of HOSTS) {
    for (const q of pageDef.questions) {
      if (q.type === 'statement') continue;
      const box = page.locator(selector).locator(`[data-question="${q.id}"]`);
      if ((await box.count()) === 0) continue;
      const name = await box.locator('legend, label, .sw-legend').first().textContent();
      const says = /\(optional\)/.test(name);
      if (says === Boolean(q.required)) problems.push(`${selector}: ${q.id} is ${q.required ? 'required' : 'optional'} but its name is "${name.trim()}"`);
    }
  }
  return problems;
}

/** Hovers every button of the light widget and measures its text against its background. */
async function hoverProblems(page) {
  const problems = [];
  const buttons = page.locator('#survey-light button:visible');
  const count = await buttons.count();
  for (let i = 0; i < count; i++) {
    const button = buttons.nth(i);
    await button.hover();
    const { text, ratio, fg, bg } = await button.evaluate((el) => {
      const parse = (c) => (/rgba?\(([^)]+)\)/.exec(c)?.[1].split(/[ ,/]+/).filter(Boolean).map(Number)) ?? [0, 0, 0, 0];
      const lum = ([r, g, b]) => {
        const f = (c) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
      };
      let bgColor = null;
      for (let n = el; n && !bgColor; n = n.parentElement) {
        const c = parse(getComputedStyle(n).backgroundColor);
        if ((c[3] ?? 1) > 0.5) bgColor = c;
      }
      bgColor ??= [255, 255, 255];
      const fgColor = parse(getComputedStyle(el).color);
      const [a, b] = [lum(fgColor), lum(bgColor)].sort((x, y) => y - x);
      return { text: el.getAttribute('aria-label') || el.textContent.trim(), ratio: (a + 0.05) / (b + 0.05), fg: getComputedStyle(el).color, bg: bgColor.join(',') };
    });
    if (ratio < 4.5) problems.push(`hovered "${text}": ${fg} on rgb(${bg}) is ${ratio.toFixed(2)}:1`);
  }
  await page.mouse.move(0, 0);
  return problems;
}

test('gp-experience on a 320 px phone: reflow, text spacing, 200% text, markup, hover', { timeout: 150_000 }, async () => {
  const { context, page } = await openPage(suite.browser, SMALL_PHONE);
  const problems = [];
  const checked = [];
  await withArtifactsOnFailure(page, 'a11y phone', async () => {
    await page.goto(`${suite.server.site}/a11y.html`);
    const viewportBefore = await page.evaluate(() => [...document.querySelectorAll('meta[name="viewport"]')].map((m) => m.content));
    const widgets = HOSTS.map((selector) => page.locator(selector));
    const pages = new Map(GP.pages.map((p) => [p.id, p]));

    await walkToSend({
      page,
      widgets,
      definition: GP,
      plan: GP_PLAN,
      problems,
      onState: async (state) => {
        const [pageId, kind] = state.split(' ');
        if (kind === 'answered' && state !== 'about-you answered') return;
        checked.push(state);
        await page.setViewportSize(VIEWPORTS['small-phone']);
        for (const p of await markupProblems(page)) problems.push(`${state}: ${p}`);
        if (pages.has(pageId)) for (const p of await optionalProblems(page, pages.get(pageId))) problems.push(`${state}: ${p}`);
        if (kind === 'empty' || state === 'start') for (const p of await hoverProblems(page)) problems.push(`${state}: ${p}`);

        const spaced = await userStyles(page, TEXT_SPACING);
        assert.notEqual(spaced, 'normal', 'the text-spacing overrides reach inside the shadow root');
        await settle(page);
        for (const p of (await layoutProblems(page, HOSTS)).filter((x) => !/under 44×44/.test(x))) problems.push(`${state} with text spacing: ${p}`);
        await userStyles(page, 'html { font-size: 200% !important; }');
        await page.setViewportSize({ width: 640, height: 800 });
        await settle(page);
        for (const p of (await layoutProblems(page, HOSTS)).filter((x) => !/under 44×44/.test(x))) problems.push(`${state} with 200% text at 640 px: ${p}`);
        await userStyles(page, null);
        await page.setViewportSize(VIEWPORTS['small-phone']);
        await settle(page);

        if (['contact-details empty', 'about-you answered', 'last-contact empty'].includes(state)) {
          for (const selector of HOSTS) {
            const attrs = await page.locator(selector).evaluate((host) =>
              Object.fromEntries(
                [...(host.shadowRoot ?? host).querySelectorAll('[data-question] input:not([type="radio"]):not([type="checkbox"])')].map((el) => [
                  `${el.closest('[data-question]').dataset.question}${/-(day|month|year)$/.exec(el.id)?.[0] ?? ''}`,
                  { type: el.type, inputmode: el.inputMode || null, autocomplete: el.getAttribute('autocomplete'), enterkeyhint: el.getAttribute('enterkeyhint') },
                ]),
              ),
            );
            const expect = {
              email: { type: 'email', inputmode: null, autocomplete: 'email' },
              phone: { type: 'tel', inputmode: null, autocomplete: 'tel' },
              postcode: { type: 'text', inputmode: null, autocomplete: 'postal-code' },
              age: { type: 'text', inputmode: 'numeric' },
              group_site: { type: 'url', inputmode: null, autocomplete: 'url' },
              'contact_date-day': { type: 'text', inputmode: 'numeric' },
              'contact_date-month': { type: 'text', inputmode: 'numeric' },
              'contact_date-year': { type: 'text', inputmode: 'numeric' },
            };
            if (process.env.A11Y_DEBUG) console.log(state, selector, Object.keys(attrs));
            for (const [id, want] of Object.entries(expect)) {
              if (!(id in attrs)) continue;
              checked.push(`${selector} ${id}`);
              for (const [attr, value] of Object.entries(want)) {
                if (attrs[id][attr] !== value) problems.push(`${selector}: ${id} has ${attr}=${attrs[id][attr]}, wants ${value}`);
              }
            }
          }
        }
      },
    });

    for (const id of ['email', 'phone', 'postcode', 'age', 'group_site', 'contact_date-day']) {
      assert.ok(checked.some((c) => c.endsWith(` ${id}`)), `the input kinds of ${id} were checked`);
    }
    const viewportAfter = await page.evaluate(() => [...document.querySelectorAll('meta[name="viewport"]')].map((m) => m.content));
    assert.deepEqual(viewportAfter, viewportBefore, "the host's viewport meta is left alone");
    assert.deepEqual(viewportBefore, ['width=device-width, initial-scale=1']);
    const inWidgets = await page.evaluate(() => window.__e2e.queryAll('meta').filter((m) => m.getRootNode() instanceof ShadowRoot).length);
    assert.equal(inWidgets, 0, 'no meta element inside a shadow root');
    assert.deepEqual(problems, [], `${problems.length} problems over ${checked.length} checks`);
  });
  await context.close();
});
