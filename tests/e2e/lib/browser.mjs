// Debian's Chromium driven by playwright-core (no browser is ever downloaded), the two kinds of
// visitor the tests play (a phone and a desktop), and probes that record what a person cannot
// see: console errors, Content Security Policy violations and the widget's events.

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ARTIFACTS = path.resolve(fileURLToPath(new URL('../artifacts', import.meta.url)));

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** How long any one action or wait may take before the test fails. */
export const ACTION_TIMEOUT_MS = 20_000;

export async function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: process.env.HEADED ? false : true,
  });
}

/** A phone: small touch screen, high density, mobile viewport rules. */
export const PHONE = {
  viewport: { width: 390, height: 844 },
  hasTouch: true,
  isMobile: true,
  deviceScaleFactor: 2,
};

/** A desktop or laptop with a keyboard. */
export const DESKTOP = {
  viewport: { width: 1280, height: 800 },
};

/**
 * Runs in every page before any of its scripts. Added through the DevTools protocol, so the
 * page's Content Security Policy does not apply to it (unlike an inline script would).
 */
function installProbes() {
  const probes = {
    cspViolations: [],
    events: [],
    /** The focused element, looking through open shadow roots. */
    deepActive() {
      let element = document.activeElement;
      while (element && element.shadowRoot && element.shadowRoot.activeElement) {
        element = element.shadowRoot.activeElement;
      }
      return element;
    },
    /** The document and every open shadow root in it. */
    roots(start = document) {
      const found = [start];
      const walk = (root) => {
        for (const element of root.querySelectorAll('*')) {
          if (element.shadowRoot) {
            found.push(element.shadowRoot);
            walk(element.shadowRoot);
          }
        }
      };
      walk(start);
      return found;
    },
    /** querySelectorAll through open shadow roots. */
    queryAll(selector, start = document) {
      return probes.roots(start).flatMap((root) => [...root.querySelectorAll(selector)]);
    },
    /** Text as a person reads it: whitespace collapsed. */
    text(node) {
      return (node.textContent || '').replace(/\s+/g, ' ').trim();
    },
  };
  Object.defineProperty(window, '__e2e', { value: probes });
  document.addEventListener('securitypolicyviolation', (event) => {
    probes.cspViolations.push({
      directive: event.effectiveDirective || event.violatedDirective,
      blockedURI: event.blockedURI,
      sample: event.sample,
      source: `${event.sourceFile}:${event.lineNumber}`,
    });
  });
  for (const type of ['survey:ready', 'survey:start', 'survey:page', 'survey:submit', 'survey:queued', 'survey:complete', 'survey:error']) {
    document.addEventListener(
      type,
      (event) => {
        let detail = null;
        try {
          detail = JSON.parse(JSON.stringify(event.detail ?? null));
        } catch {
          detail = String(event.detail);
        }
        const host = event.target instanceof Element ? event.target : null;
        probes.events.push({
          type,
          detail,
          host: host ? host.tagName.toLowerCase() : null,
          bubbles: event.bubbles,
          composed: event.composed,
        });
      },
      true,
    );
  }
}

/**
 * A new browser context and page with the probes installed.
 * `page.problems` collects console errors and uncaught page errors as they happen, and
 * `page.consoleMessages` every console message.
 */
export async function openPage(browser, device = DESKTOP) {
  const context = await browser.newContext({ ...device, locale: 'en-GB' });
  context.setDefaultTimeout(ACTION_TIMEOUT_MS);
  await context.addInitScript(installProbes);
  const page = await context.newPage();
  const problems = [];
  const consoleMessages = [];
  page.on('console', (message) => {
    consoleMessages.push({ type: message.type(), text: message.text() });
    if (message.type() === 'error') problems.push(`console.error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.problems = problems;
  page.consoleMessages = consoleMessages;
  return { context, page };
}

/** Content Security Policy violations the page reported so far. */
export async function cspViolations(page) {
  return page.evaluate(() => window.__e2e.cspViolations);
}

/** The widget events recorded so far, optionally only those of one type. */
export async function surveyEvents(page, type) {
  const events = await page.evaluate(() => window.__e2e.events);
  return type ? events.filter((event) => event.type === type) : events;
}

/** Waits until the widget has dispatched an event of `type`, and returns the first one. */
export async function waitForSurveyEvent(page, type, timeout = ACTION_TIMEOUT_MS) {
  await page.waitForFunction((wanted) => window.__e2e.events.some((event) => event.type === wanted), type, { timeout });
  return (await surveyEvents(page, type))[0];
}

/** A file name made from a label: "b 01 empty page" → "b-01-empty-page". */
function slug(label) {
  return label.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/**
 * Saves a screenshot to tests/e2e/artifacts/NAME.png: by default what the person sees (the
 * viewport, where the page has scrolled to), or the whole page with `fullPage`.
 */
export async function screenshot(page, name, { fullPage = false } = {}) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${slug(name)}.png`);
  // caret: 'initial' keeps Playwright from touching the page's styles to hide the caret.
  await page.screenshot({ path: file, fullPage, caret: 'initial' });
  return file;
}

/**
 * Runs `body`; if it throws, saves the page's HTML with every open shadow root written out,
 * the console problems and a screenshot to tests/e2e/artifacts/, then rethrows.
 */
export async function withArtifactsOnFailure(page, name, body) {
  try {
    return await body();
  } catch (error) {
    try {
      mkdirSync(ARTIFACTS, { recursive: true });
      writeFileSync(path.join(ARTIFACTS, `${slug(name)}-failure-console.txt`), page.problems.join('\n') + '\n');
      // getHTML() serialises the shadow roots it is given as <template shadowrootmode>
      // without cloning anything (a clone would re-apply style attributes and trip the CSP).
      const html = await page.evaluate(() =>
        document.documentElement.getHTML({ shadowRoots: window.__e2e.roots().slice(1) }),
      );
      writeFileSync(path.join(ARTIFACTS, `${slug(name)}-failure.html`), `<!doctype html>\n${html}\n`);
      await screenshot(page, `${name} failure`, { fullPage: true });
    } catch (artifactError) {
      console.error(`could not save failure artifacts for ${name}: ${artifactError.message}`);
    }
    throw error;
  }
}
