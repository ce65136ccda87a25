// m in WebKit and Firefox. On embed-hostile.html, whose stylesheet attacks everything (resets on
// `*` with !important, rules for every form element, huge fonts, `all: unset`), the widget
// looks the same, pixel for pixel, as on the same page with only the rule that places it, and
// still answers: what the shadow root keeps out in Chromium it keeps out in these engines too.

import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../lib/server.mjs';
import { ARTIFACTS } from '../lib/browser.mjs';
import { forEachEngine, journey } from '../lib/webdriver-suite.mjs';
import { eventually, find, findWidget, press, recorded, recordPage, setChecked } from '../lib/webdriver-pages.mjs';
import { decodePng } from '../lib/png.mjs';
import { Q } from '../lib/survey.mjs';

/** All the clean page keeps of hostile.css: where the host puts the widget, and the page's background. */
const PLACEMENT = 'survey-widget { position: absolute; top: 24px; left: 24px; width: 600px; } html { background: #fffbe0; }\n';
/**
 * How far a pixel's channel may differ. Firefox renders the same widget in the same box to the
 * same pixels. WebKitGTK 2.50 does not quite: one clean page loaded twice differs by up to 2
 * levels at text edges, and on the hostile page the natively drawn radios and checkboxes and
 * their labels differ from the clean page's by up to 11 levels, with every computed style in
 * the shadow root the same (the cause is not known yet). Anything a style crossing the shadow
 * boundary changes (a colour, a font, a border, a position) differs by far more.
 */
const CHANNEL_THRESHOLD = { firefox: 0, webkit: 16 };
/** The widget's first page is about 1280 px tall on this page. */
const WINDOW_HEIGHT = 1500;
const HOSTILE = readFileSync(path.join(ROOT, 'demo', 'site', 'pages', 'embed-hostile.html'), 'utf8');
const CLEAN = HOSTILE.replace('href="/hostile.css"', 'href="/e2e-clean.css"');

/**
 * Pixels that differ at all between two viewport screenshots inside `rect` (CSS px, the
 * widget's box, the same on both pages), and the box around them.
 */
function differingPixels(a, b, rect, threshold) {
  const one = decodePng(a);
  const two = decodePng(b);
  assert.deepEqual([one.width, one.height], [two.width, two.height], 'the two screenshots have the same size');
  const [x0, y0] = [Math.ceil(rect.left), Math.ceil(rect.top)];
  const [x1, y1] = [Math.min(one.width, Math.floor(rect.right)), Math.min(one.height, Math.floor(rect.bottom))];
  let differing = 0;
  let maxChannel = 0;
  const box = { left: Infinity, top: Infinity, right: -1, bottom: -1 };
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = (y * one.width + x) * 4;
      const worst = Math.max(...[0, 1, 2].map((c) => Math.abs(one.rgba[i + c] - two.rgba[i + c])));
      maxChannel = Math.max(maxChannel, worst);
      if (worst > threshold) {
        differing++;
        Object.assign(box, { left: Math.min(box.left, x), top: Math.min(box.top, y), right: Math.max(box.right, x), bottom: Math.max(box.bottom, y) });
      }
    }
  }
  return { differing, total: (x1 - x0) * (y1 - y0), box, maxChannel };
}

forEachEngine({ pages: { 'e2e-clean.css': PLACEMENT, 'e2e-clean.html': CLEAN } }, (suite) => {
  journey(suite, 'the widget looks the same on the hostile page as on a clean one, and answers', async () => {
    const { session, server } = suite;
    assert.notEqual(CLEAN, HOSTILE, 'the clean page differs from the hostile one by its stylesheet (test premise)');
    const shots = {};
    const boxes = {};
    // A window tall enough for the whole widget from the first paint on: WebKit's pixels near
    // where a shorter viewport ended can differ by a shade after a resize.
    const size = await session.setWindowSize(1280, WINDOW_HEIGHT);
    assert.deepEqual(size, [1280, WINDOW_HEIGHT], 'the window has the size the comparison needs');
    for (const name of ['e2e-clean.html', 'embed-hostile.html']) {
      await session.navigate(`${server.site}/${name}`);
      const widget = await findWidget(session);
      await find(session, widget, 'group', Q.heard);
      const bottom = await session.execute((host) => host.getBoundingClientRect().bottom, widget);
      assert.ok(bottom < WINDOW_HEIGHT, `the whole widget is in the viewport (it ends at ${bottom}px)`);
      // The widget inside the host: the host element's own box belongs to the host page.
      const root = await session.execute((host) => host.shadowRoot.querySelector('.sw-root'), widget);
      // The widget's own stylesheet has applied, and the host's transitions (hostile.css
      // animates `all`) have settled: two pictures in a row are the same.
      await eventually(async () => {
        const running = await session.execute(() => document.getAnimations().length);
        assert.equal(running, 0, 'transitions are still running');
        assert.ok(await session.execute((host) => {
          const link = host.shadowRoot.querySelector('link[rel="stylesheet"]');
          return Boolean(link && link.sheet);
        }, widget));
        // The whole viewport: WebKit's element screenshots inside a shadow root are offset.
        const first = await session.screenshot();
        const second = await session.screenshot();
        assert.ok(first.equals(second), 'the widget is still changing');
        shots[name] = second;
        boxes[name] = await session.execute((e) => e.getBoundingClientRect().toJSON(), root);
      });
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    for (const [name, png] of Object.entries(shots)) writeFileSync(path.join(ARTIFACTS, `${suite.engine.name}-m-${name.replace('.html', '')}.png`), png);
    assert.deepEqual(boxes['e2e-clean.html'], boxes['embed-hostile.html'], 'the widget has the same box on both pages');
    const threshold = CHANNEL_THRESHOLD[suite.engine.name];
    const { differing, total, box, maxChannel } = differingPixels(shots['e2e-clean.html'], shots['embed-hostile.html'], boxes['e2e-clean.html'], threshold);
    assert.ok(total > 600 * 400, `the comparison covers the widget, not an empty box: ${total} pixels`);
    // The canary: beside the widget, where the host's own text runs, the two pages do differ,
    // so the hostile stylesheet was in force and the comparison can see a difference.
    const beside = differingPixels(shots['e2e-clean.html'], shots['embed-hostile.html'], { left: 660, top: 0, right: 1280, bottom: 600 }, threshold);
    assert.ok(beside.differing > 1000, `the hostile page looks different beside the widget: ${beside.differing} pixels differ there`);
    assert.equal(differing, 0, `${differing} of ${total} pixels differ between the clean and the hostile page, in ${JSON.stringify(box)}, by up to ${maxChannel} in a channel (allowed: ${threshold})`);

    // And it still works there: a choice, Continue, the next page.
    await recordPage(session);
    const widget = await findWidget(session);
    const heard = await find(session, widget, 'group', Q.heard);
    await setChecked(session, heard, 'radio', 'Our website', true);
    await press(session, widget, 'button', 'Continue');
    await find(session, widget, 'group', Q.ease);
    const { csp, errors } = await recorded(session);
    assert.deepEqual(csp, [], 'no Content Security Policy violations');
    assert.deepEqual(errors, [], 'no uncaught errors');
  });
});
