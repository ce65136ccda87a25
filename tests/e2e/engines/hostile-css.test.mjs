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
const HOSTILE = readFileSync(path.join(ROOT, 'demo', 'site', 'pages', 'embed-hostile.html'), 'utf8');
const CLEAN = HOSTILE.replace('href="/hostile.css"', 'href="/e2e-clean.css"');

/** Pixels that differ at all between two PNGs of the same size, and the box around them. */
function differingPixels(a, b) {
  const one = decodePng(a);
  const two = decodePng(b);
  assert.deepEqual([one.width, one.height], [two.width, two.height], 'the widget has the same size on both pages');
  let differing = 0;
  const box = { left: Infinity, top: Infinity, right: -1, bottom: -1 };
  for (let i = 0; i < one.rgba.length; i += 4) {
    if (one.rgba[i] !== two.rgba[i] || one.rgba[i + 1] !== two.rgba[i + 1] || one.rgba[i + 2] !== two.rgba[i + 2]) {
      differing++;
      const x = (i / 4) % one.width;
      const y = Math.floor(i / 4 / one.width);
      Object.assign(box, { left: Math.min(box.left, x), top: Math.min(box.top, y), right: Math.max(box.right, x), bottom: Math.max(box.bottom, y) });
    }
  }
  return { differing, total: one.width * one.height, box };
}

forEachEngine({ pages: { 'e2e-clean.css': PLACEMENT, 'e2e-clean.html': CLEAN } }, (suite) => {
  journey(suite, 'the widget looks the same on the hostile page as on a clean one, and answers', async () => {
    const { session, server } = suite;
    assert.notEqual(CLEAN, HOSTILE, 'the clean page differs from the hostile one by its stylesheet (test premise)');
    const shots = {};
    for (const name of ['e2e-clean.html', 'embed-hostile.html']) {
      await session.setWindowSize(1280, 800);
      await session.navigate(`${server.site}/${name}`);
      const widget = await findWidget(session);
      await find(session, widget, 'group', Q.heard);
      // The whole widget in the viewport, or its picture is cut where the viewport ends.
      const height = await session.execute((host) => Math.ceil(host.getBoundingClientRect().bottom), widget);
      await session.setWindowSize(1280, height + 48);
      // The widget's own stylesheet has applied, and the host's transitions (hostile.css
      // animates `all`) have settled: two pictures in a row are the same.
      await eventually(async () => {
        assert.ok(await session.execute((host) => {
          const link = host.shadowRoot.querySelector('link[rel="stylesheet"]');
          return Boolean(link && link.sheet);
        }, widget));
        const first = await session.elementScreenshot(widget);
        const second = await session.elementScreenshot(widget);
        assert.ok(first.equals(second), 'the widget is still changing');
        shots[name] = second;
      });
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    for (const [name, png] of Object.entries(shots)) writeFileSync(path.join(ARTIFACTS, `${suite.engine.name}-m-${name.replace('.html', '')}.png`), png);
    const { differing, total, box } = differingPixels(shots['e2e-clean.html'], shots['embed-hostile.html']);
    assert.ok(total > 600 * 400, `the comparison covers the widget, not an empty box: ${total} pixels`);
    assert.equal(differing, 0, `${differing} of ${total} pixels differ between the clean and the hostile page, in ${JSON.stringify(box)}`);

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
