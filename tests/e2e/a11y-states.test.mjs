// a11y. Every state of both demo surveys and of a refused definition, audited with axe-core
//    (WCAG 2.0/2.1/2.2 A and AA and best practices, target-size included) and measured for
//    reflow, target size and field text size: at 320×640, 390×844, 768×1024 and 1280×800 in the
//    default media, then at 390×844 in a dark colour scheme, forced colours and reduced motion.
//    Each page holds two widgets, one in a shadow root and one in the light DOM, walked in step,
//    so every sweep covers both render modes and two instances side by side. Screenshots of
//    each question kind and state at phone and tablet size go to docs/screenshots/.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { serverAndBrowser } from './lib/suite.mjs';
import { openPage, withArtifactsOnFailure } from './lib/browser.mjs';
import { Audit, SCREENSHOTS, VIEWPORTS, layoutProblems, runAxe, settle } from './lib/a11y.mjs';
import { en, loadDefinition, primaryButton, screenshotKinds, walkToSend } from './lib/a11y-walk.mjs';
import { DE_PLAN, GP_PLAN } from './lib/a11y-plans.mjs';
import { checkVisible, findHeading, liveRegionTexts } from './lib/pages.mjs';
import { eventually } from './lib/wait.mjs';
import { serveFiles } from './lib/embed.mjs';

// What the sweeps cover, counted (docs/ACCESSIBILITY.md reports these): 22 states of the
// every-type survey × its sizes and media variants, 11 of the short survey × its sizes.
const GP_STATES = 22;
const GP_AXE_RUNS = 154;
const DE_STATES = 11;
const DE_AXE_RUNS = 50;

const suite = serverAndBrowser();

/** A desktop-class context; the sweeps set each viewport themselves. */
const DEVICE = { viewport: VIEWPORTS.phone, deviceScaleFactor: 1 };

const GP = loadDefinition('gp-experience');
const DE = loadDefinition('digital-engagement');

/**
 * A host page like a11y.html, for surveys the demo site does not embed twice itself: on the
 * site, with the widget and `src` (a path) from the collector at `collector`.
 */
function twoWidgetPage(collector, src, title) {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${title}</title>
  <link rel="stylesheet" href="/site.css">
  <script src="${collector}/survey-widget/survey-widget.js" async></script>
</head>
<body>
  <main id="main" class="wrap">
    <h1>${title}</h1>
    <survey-widget id="survey-shadow" src="${collector}${src}" endpoint="${collector}/api/responses" hidden-channel="a11y-shadow" loading="eager"></survey-widget>
    <p><a id="after-shadow" href="/">After the first survey</a></p>
    <div id="survey-light" data-survey-widget data-src="${collector}${src}" data-endpoint="${collector}/api/responses"
         data-hidden-channel="a11y-light" data-render="light" data-loading="eager"></div>
    <p><a id="after-light" href="/">After the second survey</a></p>
  </main>
</body>
</html>
`;
}

/** Serves `twoWidgetPage` at `route` on the site, under the site's own policy. */
async function serveTwoWidgetPage(page, route, src, title) {
  await serveFiles(page, suite.server, { [route]: twoWidgetPage(suite.server.url, src, title) });
}

/**
 * Holds every POST of answers until `release` decides what happens to it, by the widget that
 * sent it (its hidden channel): 'deliver', 'fail' (network error) or { status } (a response).
 */
function holdSubmissions(page) {
  const held = [];
  const rules = new Map();
  page.route(`${suite.server.url}/api/responses`, async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    const channel = JSON.parse(route.request().postData() ?? '{}').hidden?.channel;
    const rule = rules.get(channel);
    if (rule) return apply(route, rule);
    held.push({ route, channel });
  });
  async function apply(route, rule) {
    if (rule === 'deliver') return route.continue();
    if (rule === 'fail') return route.abort('internetdisconnected');
    // With the CORS header the collector gives the site, so the page can read the refusal.
    return route.fulfill({
      status: rule.status,
      contentType: 'application/json',
      headers: { 'Access-Control-Allow-Origin': suite.server.site, Vary: 'Origin' },
      body: '{"error":"refused","problems":[]}',
    });
  }
  return {
    held,
    /** From now on, POSTs from `channel` get `rule`; held ones get it at once. */
    async release(channel, rule) {
      rules.set(channel, rule);
      for (const item of held.filter((h) => h.channel === channel)) {
        held.splice(held.indexOf(item), 1);
        await apply(item.route, rule).catch(() => {});
      }
    },
    waitHeld: (channel) => eventually(() => assert.ok(held.some((h) => h.channel === channel), `a POST from ${channel} is waiting`)),
  };
}

/**
 * Marks every live region now in `widget` (role status or alert, or aria-live), and returns a
 * check that waits until a region marked then says something matching `pattern`: a status a
 * screen reader hears must be spoken by a region that existed before its text changed.
 */
async function markLiveRegions(widget) {
  const count = await widget.evaluate((host) => {
    const regions = [...(host.shadowRoot ?? host).querySelectorAll('[role="status"], [role="alert"], [aria-live]:not([aria-live="off"])')];
    for (const region of regions) region.dataset.a11yBefore = 'yes';
    return regions.length;
  });
  assert.ok(count > 0, 'the widget has a live region before anything happens');
  return async (pattern, what) =>
    eventually(
      async () => {
        const said = await widget.evaluate((host) =>
          [...(host.shadowRoot ?? host).querySelectorAll('[data-a11y-before="yes"]')]
            .filter((region) => region.isConnected)
            .map((region) => window.__e2e.text(region)),
        );
        assert.ok(said.some((text) => pattern.test(text)), `${what}: no live region that existed before says ${pattern}; they say ${JSON.stringify(said)}`);
      },
      { message: what },
    );
}

async function photograph(page, locator, name) {
  for (const [size, prefix] of [['phone', 'phone'], ['tablet', 'tablet']]) {
    await page.setViewportSize(VIEWPORTS[size]);
    await settle(page);
    await locator.screenshot({ path: path.join(SCREENSHOTS, `${prefix}-${name}.png`), caret: 'initial', animations: 'disabled' });
  }
  await page.setViewportSize(VIEWPORTS.phone);
}

test('gp-experience: every state, shadow and light, at every size and media variant', { timeout: 240_000 }, async () => {
  const { context, page } = await openPage(suite.browser, DEVICE);
  const posts = holdSubmissions(page);
  const audit = new Audit(page, {
    name: 'gp-experience states',
    hosts: ['#survey-shadow', '#survey-light'],
    shots: { host: '#survey-shadow', survey: 'gp-experience', types: screenshotKinds(GP) },
  });
  await withArtifactsOnFailure(page, 'a11y gp states', async () => {
    await page.goto(`${suite.server.site}/a11y.html`);
    const widgets = [page.locator('#survey-shadow'), page.locator('#survey-light')];
    const [shadow, light] = widgets;
    const problems = [];
    await walkToSend({ page, widgets, definition: GP, plan: GP_PLAN, problems, onState: (state) => audit.sweep(state) });

    // Sending: both POSTs are held, so the "sending" state can be swept as it is.
    const heard = [await markLiveRegions(shadow), await markLiveRegions(light)];
    for (const widget of widgets) await primaryButton(widget).click();
    await posts.waitHeld('a11y-shadow');
    await posts.waitHeld('a11y-light');
    await heard[0](/Sending/i, 'shadow widget while sending');
    await heard[1](/Sending/i, 'light widget while sending');
    await audit.sweep('sending');

    // The first is delivered, the second cannot be and is kept on the device.
    await posts.release('a11y-shadow', 'deliver');
    await posts.release('a11y-light', 'fail');
    await checkVisible(findHeading(shadow, en(GP.completion.title)));
    await checkVisible(findHeading(light, 'Your answers are saved on this device'));
    await heard[0](/sent/i, 'shadow widget once delivered');
    await heard[1](/saved on this device/i, 'light widget once queued');
    await audit.sweep('confirmation and queued');
    await photograph(page, light, 'gp-experience-queued');

    const summary = audit.assertClean();
    assert.deepEqual(problems, [], 'Back and Continue move focus to the heading of the page they show');
    console.log(`gp-experience: ${summary.axeRuns} axe runs over ${summary.states.length} states: ${summary.states.join(', ')}`);
    // The numbers the accessibility notes report: a walk that silently skipped a state or a
    // variant would still be "clean", so the counts themselves are checked.
    assert.equal(summary.states.length, GP_STATES, 'states of gp-experience visited');
    assert.equal(summary.axeRuns, GP_AXE_RUNS, 'axe runs over gp-experience');
  });
  await context.close();
});

test('digital-engagement: every state, including a refused submission, shadow and light', { timeout: 180_000 }, async () => {
  const { context, page } = await openPage(suite.browser, DEVICE);
  const posts = holdSubmissions(page);
  const audit = new Audit(page, {
    name: 'digital-engagement states',
    hosts: ['#survey-shadow', '#survey-light'],
    shots: { host: '#survey-shadow', survey: 'digital-engagement', types: null },
  });
  await withArtifactsOnFailure(page, 'a11y de states', async () => {
    await serveTwoWidgetPage(page, '/a11y-digital-engagement.html', '/surveys/digital-engagement.json', 'Digital engagement, twice');
    await page.goto(`${suite.server.site}/a11y-digital-engagement.html`);
    const widgets = [page.locator('#survey-shadow'), page.locator('#survey-light')];
    const [shadow, light] = widgets;
    // Its question kinds are all in gp-experience, swept there in every media variant; here the
    // pages get the four viewports, and only the end states the variants as well.
    const problems = [];
    await walkToSend({ page, widgets, definition: DE, plan: DE_PLAN, problems, onState: (state) => audit.sweep(state, { variants: [] }) });

    // Refused by the endpoint (422): said plainly, answers kept.
    await posts.release('a11y-shadow', { status: 422 });
    await posts.release('a11y-light', { status: 422 });
    const heard = [await markLiveRegions(shadow), await markLiveRegions(light)];
    for (const widget of widgets) await primaryButton(widget).click();
    for (const widget of widgets) await checkVisible(widget.getByText(/not accepted/).first());
    // Also spoken by the polite region that was there before, not only by the alert that came with it.
    await heard[0](/not accepted/, 'shadow widget once refused');
    await heard[1](/not accepted/, 'light widget once refused');
    await audit.sweep('submission refused');

    // Then the shadow one is kept for later, the light one delivered.
    await posts.release('a11y-shadow', 'fail');
    await posts.release('a11y-light', 'deliver');
    for (const widget of widgets) await primaryButton(widget).click();
    await checkVisible(findHeading(shadow, 'Your answers are saved on this device'));
    await checkVisible(findHeading(light, en(DE.completion.title)));
    await audit.sweep('queued and confirmation');

    const summary = audit.assertClean();
    assert.deepEqual(problems, [], 'Back and Continue move focus to the heading of the page they show');
    console.log(`digital-engagement: ${summary.axeRuns} axe runs over ${summary.states.length} states`);
    assert.equal(summary.states.length, DE_STATES, 'states of digital-engagement visited');
    assert.equal(summary.axeRuns, DE_AXE_RUNS, 'axe runs over digital-engagement');
  });
  await context.close();
});

test('a refused definition, shadow and light', { timeout: 60_000 }, async () => {
  const { context, page } = await openPage(suite.browser, DEVICE);
  const audit = new Audit(page, {
    name: 'refused definition',
    hosts: ['#survey-shadow', '#survey-light'],
    shots: { host: '#survey-shadow', survey: 'refused-definition', types: null },
  });
  await withArtifactsOnFailure(page, 'a11y refused definition', async () => {
    const broken = { ...DE, pages: [{ ...DE.pages[0], questions: [DE.pages[0].questions[0], { ...DE.pages[0].questions[0], options: [] }] }] };
    // On the collector, readable from any origin as its definitions are.
    await page.route(`${suite.server.url}/surveys/broken.json`, (route) =>
      route.fulfill({
        status: 200,
        contentType: 'application/json',
        headers: { 'Access-Control-Allow-Origin': '*' },
        body: JSON.stringify(broken),
      }),
    );
    await serveTwoWidgetPage(page, '/a11y-broken.html', '/surveys/broken.json', 'A broken survey, twice');
    await page.goto(`${suite.server.site}/a11y-broken.html`);
    for (const selector of ['#survey-shadow', '#survey-light']) {
      await checkVisible(page.locator(selector).getByText(/must not be empty/));
    }
    assert.ok((await liveRegionTexts(page)).some((text) => /cannot be shown/.test(text)), 'the refusal is in an alert');
    await audit.sweep('shown');
    audit.assertClean();
  });
  await context.close();
});

// The audit can fail: a field without a label and a 20 px button inside an open shadow root
// must be reported, or every "no violations" above means nothing.
test('the audit sees problems inside an open shadow root', { timeout: 30_000 }, async () => {
  const { context, page } = await openPage(suite.browser, DEVICE);
  await serveFiles(page, suite.server, {
    '/a11y-canary.html':
      '<!doctype html><html lang="en"><head><title>Canary</title><link rel="stylesheet" href="/site.css"></head><body><main><h1>Canary</h1><div id="canary"></div></main></body></html>',
  });
  await page.goto(`${suite.server.site}/a11y-canary.html`);
  await page.evaluate(() => {
    const root = document.querySelector('#canary').attachShadow({ mode: 'open' });
    const input = document.createElement('input');
    const button = document.createElement('button');
    button.textContent = 'x';
    const sheet = new CSSStyleSheet();
    sheet.replaceSync('button { width: 20px; height: 20px; padding: 0; }');
    root.adoptedStyleSheets = [sheet];
    root.append(input, button);
  });
  const { violations } = await runAxe(page);
  assert.ok(violations.some((v) => v.id === 'label' && v.nodes.some((n) => Array.isArray(n.target[0]))), `axe reports the unlabelled field in the shadow root: ${JSON.stringify(violations.map((v) => v.id))}`);
  const layout = await layoutProblems(page, ['#canary']);
  assert.ok(layout.some((p) => /target <button> "x" is 20×20 px/.test(p)), `the small button is reported: ${JSON.stringify(layout)}`);
  await context.close();
});
