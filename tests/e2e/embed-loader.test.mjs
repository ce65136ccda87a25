// k. The classic loader on awkward pages:
//    - included twice (once more with a cache-busting query): one widget per element, one
//      download of the module and the Wasm, widgets added later mounted once, no console error;
//    - the same survey twice on one page (shadow mode): no id shared between the two, each
//      answered on its own and stored as its own submission;
//    - lazy by default: no Wasm is fetched while the widget is far below the fold, and it is
//      fetched when the widget comes within the loader's margin, before it is in view;
//    - loading="eager" (and data-loading="eager") fetches at once, with the widget out of view.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { storedResponses } from './lib/server.mjs';
import { serverAndBrowser } from './lib/suite.mjs';
import { DESKTOP, cspViolations, openPage, surveyEvents, withArtifactsOnFailure } from './lib/browser.mjs';
import {
  checkConfirmation,
  checkVisible,
  choose,
  findButton,
  findCheckbox,
  findQuestion,
  findRadio,
  pressButton,
  tick,
} from './lib/pages.mjs';
import { Q, SURVEY_ID, recordSubmissions } from './lib/survey.mjs';
import { countReadyPerHost, htmlPage, isWidgetWasm, recordBundleRequests, serveFiles, widgetCounts } from './lib/embed.mjs';
import { eventually } from './lib/wait.mjs';

const suite = serverAndBrowser();

// The pages are on the site's origin; the loader, the survey and the answers on the collector's.
const collector = () => suite.server.url;
const loader = (query = '') => `<script src="${collector()}/survey-widget/survey-widget.js${query}" async></script>`;
const widget = (id, channel, extra = '') =>
  `<survey-widget id="${id}" src="${collector()}/surveys/digital-engagement.json" endpoint="${collector()}/api/responses" hidden-channel="${channel}"${extra}></survey-widget>`;

/** The page's stylesheet: a spacer pushes what follows it far below the fold. */
const TALL_CSS = { body: '.spacer { height: 5000px; } survey-widget, [data-survey-widget] { display: block; }', type: 'text/css' };

test('the loader included twice mounts each widget once, and widgets added later once', { timeout: 120_000 }, async () => {
  const { context, page } = await openPage(suite.browser, DESKTOP);
  await countReadyPerHost(context);
  const bundle = recordBundleRequests(page);
  await withArtifactsOnFailure(page, 'k loader twice', async () => {
    await serveFiles(page, suite.server, {
      '/e2e-loader-twice.html': htmlPage({
        title: 'Loader twice',
        // As a CMS does: the snippet in the template and again in a post, once with a
        // cache-busting query (a separate download and run of the script).
        head: `${loader()}${loader()}${loader('?v=2')}`,
        body: `<h1>Loader twice</h1>${widget('one', 'twice-1')}
          <div id="two" data-survey-widget data-src="${collector()}/surveys/digital-engagement.json" data-endpoint="${collector()}/api/responses" data-hidden-channel="twice-2"></div>
          ${loader()}`,
      }),
    });
    await page.goto(`${suite.server.site}/e2e-loader-twice.html`);
    await page.waitForFunction(() => window.__e2e.events.filter((e) => e.type === 'survey:ready').length >= 2);
    // Every copy of the script has run: they were all requested, and the page is idle.
    await page.waitForLoadState('networkidle');
    assert.ok(bundle.loader.length >= 2, `the loader was requested ${bundle.loader.length} times`);
    assert.ok(
      bundle.loader.some((url) => url.endsWith('?v=2')),
      'the copy with a query was downloaded too',
    );

    assert.deepEqual(await widgetCounts(page), {
      one: { containers: 1, stylesheets: 1, ready: 1 },
      two: { containers: 1, stylesheets: 1, ready: 1 },
    });
    assert.equal(bundle.index.length, 1, 'index.mjs is imported once');
    assert.equal(bundle.wasm.length, 1, 'the Wasm is downloaded once');

    // A widget added after load (a single-page app, a CMS preview) is mounted once, not once
    // per copy of the loader.
    await page.evaluate((collector) => {
      const late = document.createElement('survey-widget');
      late.id = 'three';
      late.setAttribute('src', `${collector}/surveys/digital-engagement.json`);
      late.setAttribute('endpoint', `${collector}/api/responses`);
      late.setAttribute('loading', 'eager');
      document.body.append(late);
    }, collector());
    await checkVisible(findQuestion(page.locator('#three'), Q.heard));
    // Wait for anything a second mount would still be doing.
    await page.waitForLoadState('networkidle');
    assert.deepEqual((await widgetCounts(page)).three, { containers: 1, stylesheets: 1, ready: 1 });
    assert.equal((await surveyEvents(page, 'survey:ready')).length, 3, 'three survey:ready in all');
    assert.equal(bundle.wasm.length, 1, 'still one download of the Wasm');

    assert.deepEqual(await cspViolations(page), [], 'no Content Security Policy violations');
    assert.deepEqual(page.problems, [], 'no console errors or uncaught exceptions');
  });
  await context.close();
});

test('the same survey twice on a page: no shared ids, two separate submissions', { timeout: 180_000 }, async () => {
  const { context, page } = await openPage(suite.browser, DESKTOP);
  const posts = recordSubmissions(page);
  await withArtifactsOnFailure(page, 'k same survey twice', async () => {
    await serveFiles(page, suite.server, {
      '/e2e-twice.html': htmlPage({
        title: 'The same survey twice',
        head: loader(),
        body: `<h1>Two surveys</h1>${widget('first', 'pair-1', ' loading="eager"')}<p>Between them.</p>${widget('second', 'pair-2', ' loading="eager"')}`,
      }),
    });
    await page.goto(`${suite.server.site}/e2e-twice.html`);
    const first = page.locator('#first');
    const second = page.locator('#second');
    await checkVisible(findQuestion(first, Q.heard));
    await checkVisible(findQuestion(second, Q.heard));

    const ids = await page.evaluate(() =>
      ['first', 'second'].map((id) => {
        const root = document.getElementById(id).shadowRoot;
        const own = [...root.querySelectorAll('[id]')].map((element) => element.id);
        // Every label and description reference inside a root must point inside that same root.
        // (aria-controls is left out: it names the "other" detail box before that is shown.)
        const references = [...root.querySelectorAll('[for], [aria-labelledby], [aria-describedby]')].flatMap(
          (element) =>
            ['for', 'aria-labelledby', 'aria-describedby'].flatMap((name) =>
              (element.getAttribute(name) || '').split(/\s+/).filter(Boolean),
            ),
        );
        return { own, dangling: references.filter((ref) => !root.getElementById(ref)) };
      }),
    );
    for (const [index, { own, dangling }] of ids.entries()) {
      assert.ok(own.length > 10, `widget ${index + 1} has ids (${own.length})`);
      assert.equal(new Set(own).size, own.length, `widget ${index + 1}: no id twice`);
      assert.deepEqual(dangling, [], `widget ${index + 1}: every id reference resolves in its own root`);
    }
    const shared = ids[0].own.filter((id) => ids[1].own.includes(id));
    assert.deepEqual(shared, [], 'the two widgets share no id (they would clash in light mode)');

    // Interleaved, as two people on one shared screen would: each keeps its own answers.
    await choose(findRadio(findQuestion(first, Q.heard), 'Our website'));
    await choose(findRadio(findQuestion(second, Q.heard), 'Email newsletter'));
    await pressButton(first, 'Continue');
    await pressButton(second, 'Continue');
    await checkVisible(findQuestion(first, Q.ease));
    await checkVisible(findQuestion(second, Q.ease));
    await choose(findRadio(findQuestion(first, Q.ease), /^3\b/));
    await choose(findRadio(findQuestion(second, Q.ease), /^5\b/));
    await pressButton(first, 'Continue');
    await pressButton(second, 'Continue');
    await tick(findCheckbox(first, Q.consent));
    await tick(findCheckbox(second, Q.consent));
    await pressButton(first, 'Send answers');
    const firstReference = await checkConfirmation(first, Q.completion);
    // The second is still on its last page, its answers intact, after the first was sent.
    await checkVisible(findButton(second, 'Send answers'));
    await pressButton(second, 'Send answers');
    const secondReference = await checkConfirmation(second, Q.completion);
    assert.notEqual(firstReference, secondReference, 'two references');

    assert.equal(posts.length, 2, 'two POSTs');
    const stored = await eventually(async () => {
      const all = await storedResponses(suite.server, SURVEY_ID);
      const pair = all.filter((response) => /^pair-/.test(response.hidden?.channel ?? ''));
      assert.equal(pair.length, 2, 'two stored responses');
      return pair;
    });
    const byChannel = Object.fromEntries(stored.map((response) => [response.hidden.channel, response]));
    assert.deepEqual(byChannel['pair-1'].answers, { heard: 'website', ease: 3, consent: true });
    assert.deepEqual(byChannel['pair-2'].answers, { heard: 'newsletter', ease: 5, consent: true });
    assert.notEqual(byChannel['pair-1'].submission_id, byChannel['pair-2'].submission_id, 'distinct submission ids');
    const sent = posts.map((post) => JSON.parse(post.body).submission_id).sort();
    assert.deepEqual(sent, [byChannel['pair-1'].submission_id, byChannel['pair-2'].submission_id].sort());

    assert.deepEqual(await cspViolations(page), [], 'no Content Security Policy violations');
    assert.deepEqual(page.problems, [], 'no console errors or uncaught exceptions');
  });
  await context.close();
});

/** How far the top of `selector` is below the bottom of the viewport, in CSS pixels. */
function distanceBelowFold(page, selector) {
  return page.evaluate((s) => document.querySelector(s).getBoundingClientRect().top - window.innerHeight, selector);
}

// The second case holds the stylesheet back (it sizes the block above the widget): until it
// arrives the widget looks near the top, and a loader that measured then loaded at once.
for (const [name, cssDelay] of [['', 0], [', even when the stylesheet that puts it there arrives late', 1500]]) test(`by default the Wasm is fetched only when the widget comes near the viewport${name}`, { timeout: 120_000 }, async () => {
  const { context, page } = await openPage(suite.browser, DESKTOP);
  const bundle = recordBundleRequests(page);
  await withArtifactsOnFailure(page, `k lazy ${cssDelay}`, async () => {
    await serveFiles(page, suite.server, {
      '/e2e-lazy.css': { ...TALL_CSS, delayMs: cssDelay },
      '/e2e-lazy.html': htmlPage({
        title: 'Far below the fold',
        head: `<link rel="stylesheet" href="/e2e-lazy.css">${loader()}`,
        body: `<h1>A long page</h1><div class="spacer"></div>${widget('far', 'lazy')}`,
      }),
    });
    await page.goto(`${suite.server.site}/e2e-lazy.html`);
    // The loader has run and looked at the page, and nothing is in flight.
    await page.waitForFunction(() => Boolean(window.SurveyWidget));
    await page.waitForLoadState('networkidle');
    assert.ok((await distanceBelowFold(page, '#far')) > 4000, 'the widget starts far below the fold');
    assert.deepEqual({ index: bundle.index, wasm: bundle.wasm }, { index: [], wasm: [] }, 'nothing fetched at load');

    // Scrolled closer, but still well outside the loader's margin: still nothing.
    await page.evaluate(() => {
      const top = document.getElementById('far').getBoundingClientRect().top + window.scrollY;
      window.scrollTo(0, top - window.innerHeight - 1000);
    });
    await page.waitForFunction(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(true)))));
    await page.waitForLoadState('networkidle');
    assert.ok(Math.abs((await distanceBelowFold(page, '#far')) - 1000) < 2, 'the widget is 1000px below the fold');
    assert.deepEqual(bundle.wasm, [], 'no Wasm while the widget is 1000px away');

    // Within the margin, still out of view: now the Wasm comes.
    const wasmRequest = page.waitForRequest((request) => isWidgetWasm(request.url()));
    await page.evaluate(() => window.scrollBy(0, 900));
    await wasmRequest;
    assert.ok((await distanceBelowFold(page, '#far')) > 0, 'fetched before the widget is in view');
    await page.waitForFunction(() => window.__e2e.events.some((e) => e.type === 'survey:ready'));
    assert.equal(bundle.wasm.length, 1);

    assert.deepEqual(await cspViolations(page), [], 'no Content Security Policy violations');
    assert.deepEqual(page.problems, [], 'no console errors or uncaught exceptions');
  });
  await context.close();
});

for (const [name, attribute] of [
  ['loading="eager"', 'loading="eager"'],
  ['data-loading="eager" on a div', 'data-loading="eager"'],
]) {
  test(`${name} fetches the Wasm at once, with the widget far out of view`, { timeout: 120_000 }, async () => {
    const { context, page } = await openPage(suite.browser, DESKTOP);
    const bundle = recordBundleRequests(page);
    await withArtifactsOnFailure(page, `k eager ${attribute}`, async () => {
      const host = attribute.startsWith('data-')
        ? `<div id="far" data-survey-widget data-src="${collector()}/surveys/digital-engagement.json" data-endpoint="${collector()}/api/responses" ${attribute}></div>`
        : widget('far', 'eager', ` ${attribute}`);
      await serveFiles(page, suite.server, {
        '/e2e-lazy.css': TALL_CSS,
        '/e2e-eager.html': htmlPage({
          title: 'Eager',
          head: `<link rel="stylesheet" href="/e2e-lazy.css">${loader()}`,
          body: `<h1>A long page</h1><div class="spacer"></div>${host}`,
        }),
      });
      const wasmRequest = page.waitForRequest((request) => isWidgetWasm(request.url()));
      await page.goto(`${suite.server.site}/e2e-eager.html`);
      await wasmRequest;
      await page.waitForFunction(() => window.__e2e.events.some((e) => e.type === 'survey:ready'));
      // Mounted and rendered while nobody scrolled.
      assert.equal(await page.evaluate(() => window.scrollY), 0, 'the page was not scrolled');
      assert.ok((await distanceBelowFold(page, '#far')) > 4000, 'the widget is still far below the fold');
      assert.equal(
        await page.evaluate(() => document.getElementById('far').shadowRoot.querySelectorAll('input[type="radio"]').length > 0),
        true,
        'the survey is rendered',
      );
      assert.equal(bundle.wasm.length, 1);
      assert.deepEqual(await cspViolations(page), [], 'no Content Security Policy violations');
      assert.deepEqual(page.problems, [], 'no console errors or uncaught exceptions');
    });
    await context.close();
  });
}
