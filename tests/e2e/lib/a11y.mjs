// The accessibility audit the a11y-*.test.mjs files share: axe-core injected into the page and
// run over the document and every open shadow root, plus the measurements axe does not make
// (reflow, target size, text size of fields), repeated at each viewport and media variant, with
// screenshots for people to look at.
//
// A sweep never stops at the first problem: it records everything it finds in the audit, and
// `audit.assertClean()` fails once, at the end, listing every violation, every unexpected
// `incomplete` result and every layout problem, with the state and viewport where it showed.

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ARTIFACTS } from './browser.mjs';
import { ROOT } from './server.mjs';

const require = createRequire(import.meta.url);
export const AXE_SOURCE = require('axe-core').source;
export const AXE_VERSION = require('axe-core/package.json').version;

/** WCAG 2.0, 2.1 and 2.2 A and AA, and axe's best practices. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

/** Where the screenshots for people go (linked from the README). */
export const SCREENSHOTS = path.join(ROOT, 'docs', 'screenshots');

export const VIEWPORTS = {
  'small-phone': { width: 320, height: 640 },
  phone: { width: 390, height: 844 },
  tablet: { width: 768, height: 1024 },
  desktop: { width: 1280, height: 800 },
};

/** Screenshots are taken at these viewports. */
const SHOT_VIEWPORTS = new Set(['phone', 'tablet']);

const DEFAULT_MEDIA = { colorScheme: 'light', forcedColors: 'none', reducedMotion: 'no-preference' };

/** Each state is audited once more in each of these, at the phone viewport. */
export const VARIANTS = {
  dark: { colorScheme: 'dark' },
  'forced-colours': { forcedColors: 'active' },
  'reduced-motion': { reducedMotion: 'reduce' },
};

/**
 * `incomplete` results axe may return, each with the reason it is not a problem here. Anything
 * axe reports as incomplete that is not matched below fails the audit, so a new kind of doubt
 * is looked at by a person before it is accepted.
 */
export const ALLOWED_INCOMPLETE = [
  {
    rule: 'color-contrast',
    // In forced colours the browser paints every text and background in the user's own system
    // colours, whatever the stylesheet says, so axe reads identical foreground and background
    // and gives up ("1:1"). Contrast there is the user's choice, not the page's (WCAG 1.4.3 is
    // about author colours); that controls stay visible is checked by the focus and outline
    // tests in a11y-keyboard, and the same elements pass color-contrast in every other variant.
    why: 'forced colours: colours are the user\'s system palette, axe reads 1:1',
    matches: (node, target, where) => where.includes('forced-colours') && node.messages.some((m) => m.messageKey === 'equalRatio'),
  },
  {
    rule: 'color-contrast',
    // The ranking's move buttons show only an arrow (↑ ↓, hidden from assistive technology; the
    // button's name says "Move up 2: Better online booking"). axe does not measure symbols. The
    // arrow is the secondary button's text colour on its background, and a11y-phone measures
    // that pair for every button (4.5:1 or more, hovered or not).
    why: 'ranking arrows are symbols axe does not measure; their colours are measured in a11y-phone',
    matches: (node) => /^<span aria-hidden="true">[↑↓]<\/span>$/.test(node.html) && node.messages.some((m) => m.messageKey === 'nonBmp'),
  },
  {
    rule: 'color-contrast',
    // The collector's result charts are SVG, hidden from assistive technology (the table beside
    // each carries its numbers). axe cannot find the background behind SVG text ("imgNode") and
    // skips short texts such as "4". Their fill is the page's text colour on the page's
    // background, the pair axe measures on every paragraph; admin-results checks that the
    // computed colours are that pair.
    why: 'chart text inside an aria-hidden SVG: the page text colour, checked in admin-results',
    matches: (node) => /^<text class="chart-(label|value)"/.test(node.html)
      && node.messages.some((m) => m.messageKey === 'imgNode' || m.messageKey === 'shortTextContent'),
  },
  {
    rule: 'label-content-name-mismatch',
    // Same buttons: the visible label is an arrow symbol, not words, so there is no visible text
    // for the name to contain (WCAG 2.5.3 is about text labels). A speech user says the name
    // ("Move up 2"), which starts with what the arrow means.
    why: 'ranking arrows: the visible label is a symbol, the name says what it does',
    matches: (node) => /class="[^"]*\bsw-ranking__move\b/.test(node.html),
  },
];

/** A readable one-line name for an axe node target (arrays of selectors cross shadow roots). */
function targetName(target) {
  return target.map((part) => (Array.isArray(part) ? part.join(' >>> ') : part)).join(' | ');
}

/** Runs axe over the whole page (the document and its open shadow roots). */
export async function runAxe(page) {
  const loaded = await page.evaluate(() => typeof window.axe === 'object');
  if (!loaded) {
    // page.evaluate runs through the DevTools protocol, so the page's CSP does not block it (an
    // added <script> would be); the widget itself still runs under the real policy.
    await page.evaluate(AXE_SOURCE);
    await page.evaluate(() => window.axe.configure({ allowedOrigins: ['<same_origin>'] }));
  }
  return page.evaluate(axeFindings, AXE_TAGS);
}

/**
 * Runs in the page (through Playwright or WebDriver): axe over the document and its open shadow
 * roots with `tags`, and target-size; its violations and incomplete results in brief.
 */
export async function axeFindings(tags) {
  const result = await window.axe.run(document, {
    runOnly: { type: 'tag', values: tags },
    rules: { 'target-size': { enabled: true } },
    resultTypes: ['violations', 'incomplete'],
  });
  const brief = (item) => ({
    id: item.id,
    impact: item.impact,
    help: item.help,
    nodes: item.nodes.map((node) => ({
      target: node.target,
      html: node.html.slice(0, 200),
      summary: node.failureSummary ?? '',
      messages: [...node.any, ...node.all, ...node.none].map((check) => ({
        id: check.id,
        message: check.message,
        messageKey: check.data?.messageKey ?? null,
      })),
    })),
  });
  return { violations: result.violations.map(brief), incomplete: result.incomplete.map(brief) };
}

/**
 * What axe does not measure, inside each widget host given by CSS selector:
 * - the page or any element of a widget sticking out sideways (WCAG 1.4.10);
 * - a control whose target (the control with its label) is under 44×44 CSS px (2.5.5, 2.5.8);
 *   links in running text are exempt, as 2.5.8 allows;
 * - a text field whose text is under 16 px (phones zoom in on focus).
 */
export async function layoutProblems(page, hosts) {
  return page.evaluate((selectors) => {
    const problems = [];
    const describe = (el) => {
      const id = el.id ? `#${el.id}` : '';
      const cls = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
      const text = (el.textContent || el.getAttribute('aria-label') || '').replace(/\s+/g, ' ').trim().slice(0, 40);
      return `<${el.localName}${id}${cls}>${text ? ` "${text}"` : ''}`;
    };
    const hidden = (el) => {
      if (el.getClientRects().length === 0) return true;
      if (el.closest('.sw-visually-hidden')) return true;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden') return true;
      const r = el.getBoundingClientRect();
      return r.width <= 1 && r.height <= 1;
    };
    const { scrollWidth } = document.documentElement;
    if (scrollWidth > window.innerWidth) {
      problems.push(`the page scrolls sideways: ${scrollWidth} px of content in a ${window.innerWidth} px viewport`);
    }
    for (const selector of selectors) {
      const host = document.querySelector(selector);
      if (!host) {
        problems.push(`no widget host ${selector}`);
        continue;
      }
      const root = host.shadowRoot ?? host;
      const box = host.getBoundingClientRect();
      for (const el of root.querySelectorAll('*')) {
        if (el.localName === 'link' || el.localName === 'style' || hidden(el)) continue;
        const r = el.getBoundingClientRect();
        if (r.right > box.right + 1 || r.left < box.left - 1) {
          problems.push(`${selector}: ${describe(el)} sticks out of the widget (${Math.round(r.left)}–${Math.round(r.right)} px, widget ${Math.round(box.left)}–${Math.round(box.right)} px)`);
        }
      }
      const controls = root.querySelectorAll('input:not([type="hidden"]), select, textarea, button, a[href], [tabindex]:not([tabindex="-1"])');
      for (const el of controls) {
        if (hidden(el) && !(el.labels && el.labels.length)) continue;
        if (el.localName === 'a') {
          // A link inside a sentence or paragraph of other text is exempt (2.5.8 "inline").
          const block = el.closest('p, li, dd, td');
          const own = (el.textContent || '').trim().length;
          const all = (block?.textContent || '').replace(/\s+/g, ' ').trim().length;
          if (block && all > own + 1) continue;
        }
        const rects = [el.getBoundingClientRect(), ...[...(el.labels || [])].map((l) => l.getBoundingClientRect())]
          .filter((rect) => rect.width > 1 && rect.height > 1);
        if (rects.length === 0) continue;
        // The target is the control and its labels together when they touch (pressing either
        // works, and a 12 px margin between them is still one area); otherwise the largest box.
        const near = (a, b) =>
          a.left <= b.right + 12 && b.left <= a.right + 12 && a.top <= b.bottom + 12 && b.top <= a.bottom + 12;
        const touching = rects.filter((rect) => near(rect, rects[0]));
        const union = {
          width: Math.max(...touching.map((rect) => rect.right)) - Math.min(...touching.map((rect) => rect.left)),
          height: Math.max(...touching.map((rect) => rect.bottom)) - Math.min(...touching.map((rect) => rect.top)),
        };
        const width = Math.max(union.width, ...rects.map((rect) => rect.width));
        const height = Math.max(union.height, ...rects.map((rect) => rect.height));
        if (width < 43.5 || height < 43.5) {
          problems.push(`${selector}: target ${describe(el)} is ${Math.round(width)}×${Math.round(height)} px, under 44×44`);
        }
      }
      for (const el of root.querySelectorAll('input:not([type="radio"]):not([type="checkbox"]), select, textarea')) {
        if (hidden(el)) continue;
        const size = parseFloat(getComputedStyle(el).fontSize);
        if (size < 16) problems.push(`${selector}: field ${describe(el)} has ${size} px text; phones zoom in under 16 px`);
      }
    }
    return problems;
  }, hosts);
}

/** Waits until the browser has laid out and painted what the last change did. */
export async function settle(page) {
  await page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))),
  );
}

function slug(text) {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/**
 * Collects what the sweeps find on one page, for one or more widgets.
 *
 * `hosts`: CSS selectors of the widget hosts on the page; `shots`: the selector of the widget to
 * photograph (or null for none) and a `types` map of question id → screenshot name for the
 * question-by-question pictures.
 */
export class Audit {
  constructor(page, { name, hosts, shots = null }) {
    this.page = page;
    this.name = name;
    this.hosts = hosts;
    this.shots = shots;
    this.runs = 0;
    this.states = [];
    this.violations = [];
    this.unexpectedIncomplete = [];
    this.allowedIncomplete = new Map();
    this.layout = [];
    this.pictures = [];
  }

  async #axe(where) {
    const { violations, incomplete } = await runAxe(this.page);
    this.runs += 1;
    for (const v of violations) {
      for (const node of v.nodes) {
        this.violations.push({ where, rule: v.id, impact: v.impact, help: v.help, target: targetName(node.target), summary: node.summary });
      }
    }
    for (const item of incomplete) {
      for (const node of item.nodes) {
        const target = targetName(node.target);
        const allowed = ALLOWED_INCOMPLETE.find((entry) => entry.rule === item.id && entry.matches(node, target, where));
        if (allowed) {
          const key = `${item.id}: ${allowed.why}`;
          this.allowedIncomplete.set(key, (this.allowedIncomplete.get(key) ?? 0) + 1);
        } else {
          this.unexpectedIncomplete.push({
            where,
            rule: item.id,
            target,
            html: node.html,
            messages: node.messages.map((m) => `${m.id}${m.messageKey ? `/${m.messageKey}` : ''}: ${m.message}`),
          });
        }
      }
    }
  }

  async #layout(where) {
    for (const problem of await layoutProblems(this.page, this.hosts)) this.layout.push(`${where}: ${problem}`);
  }

  /** Screenshots of the widget and of each question in it, at most once per file name. */
  async #photograph(state, size) {
    if (!this.shots) return;
    mkdirSync(SCREENSHOTS, { recursive: true });
    const prefix = size === 'phone' ? 'phone' : 'tablet';
    const widget = this.page.locator(this.shots.host);
    const write = async (locator, file) => {
      if (this.pictures.includes(file)) return;
      this.pictures.push(file);
      await locator.screenshot({ path: path.join(SCREENSHOTS, file), caret: 'initial', animations: 'disabled' });
    };
    await write(widget, `${prefix}-${slug(this.shots.survey)}-${slug(state)}.png`);
    const kind = /(error|answered|empty)s?$/.exec(state)?.[1];
    if (!kind || !this.shots.types) return;
    for (const [id, type] of Object.entries(this.shots.types)) {
      const question = widget.locator(`[data-question="${id}"]`);
      if ((await question.count()) !== 1 || !(await question.isVisible())) continue;
      await write(question, `${prefix}-${type}-${kind}.png`);
    }
  }

  /**
   * Audits the page as it is now: axe and the layout checks at each viewport (screenshots at
   * phone and tablet size), then axe at phone size in each media variant. Leaves the page at
   * phone size in the default media.
   */
  async sweep(state, { viewports = Object.keys(VIEWPORTS), variants = Object.keys(VARIANTS) } = {}) {
    this.states.push(state);
    const page = this.page;
    // The pointer rests where nothing is, so no sweep depends on what the last click hovered
    // (hover is checked on its own in a11y-phone).
    await page.mouse.move(0, 0);
    for (const size of viewports) {
      await page.setViewportSize(VIEWPORTS[size]);
      await settle(page);
      const where = `${state} @ ${size} ${VIEWPORTS[size].width}×${VIEWPORTS[size].height}`;
      await this.#axe(where);
      await this.#layout(where);
      if (SHOT_VIEWPORTS.has(size)) await this.#photograph(state, size);
    }
    await page.setViewportSize(VIEWPORTS.phone);
    for (const variant of variants) {
      await page.emulateMedia({ ...DEFAULT_MEDIA, ...VARIANTS[variant] });
      await settle(page);
      const where = `${state} @ phone, ${variant}`;
      await this.#axe(where);
      await this.#layout(where);
    }
    await page.emulateMedia(DEFAULT_MEDIA);
    await settle(page);
  }

  /** A summary for the report file and the test log. */
  summary() {
    return {
      name: this.name,
      axe: AXE_VERSION,
      tags: AXE_TAGS,
      states: this.states,
      axeRuns: this.runs,
      violations: this.violations,
      unexpectedIncomplete: this.unexpectedIncomplete,
      allowedIncomplete: Object.fromEntries(this.allowedIncomplete),
      layoutProblems: this.layout,
      screenshots: this.pictures,
    };
  }

  /** Writes artifacts/a11y-NAME.json and fails if anything was found. */
  assertClean() {
    const summary = this.summary();
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(path.join(ARTIFACTS, `a11y-${slug(this.name)}.json`), JSON.stringify(summary, null, 2) + '\n');
    const lines = [];
    const group = (items, key) => {
      const by = new Map();
      for (const item of items) {
        const k = key(item);
        by.set(k, [...(by.get(k) ?? []), item.where]);
      }
      return [...by].map(([k, wheres]) => `  ${k}\n    in ${wheres.length} run(s), first: ${wheres[0]}`);
    };
    if (summary.violations.length) {
      lines.push('axe violations:', ...group(summary.violations, (v) => `${v.rule} (${v.impact}) ${v.target}: ${v.summary.replace(/\s+/g, ' ')}`));
    }
    if (summary.unexpectedIncomplete.length) {
      lines.push('axe incomplete results not in ALLOWED_INCOMPLETE:', ...group(summary.unexpectedIncomplete, (v) => `${v.rule} ${v.target}: ${v.messages.join('; ')}`));
    }
    if (summary.layoutProblems.length) lines.push('layout:', ...summary.layoutProblems.slice(0, 40).map((p) => `  ${p}`));
    assert.ok(summary.axeRuns > 0, 'axe never ran');
    assert.equal(lines.length, 0, `${this.name}: ${summary.axeRuns} axe runs over ${summary.states.length} states found:\n${lines.join('\n')}`);
    return summary;
  }
}
