// The widget's focus indicator as a person sees it: a 3 px dark outline with a yellow halo
// around it (GOV.UK's focus style). A computed style can say a halo is there while nothing is
// drawn, or the other way round, so this counts the halo's pixels in a screenshot: in the band
// just outside the focused control, focused and then unfocused. The same check runs in
// Chromium (focus-halo.test.mjs, playwright) and in WebKit and Firefox
// (engines/focus-halo.test.mjs, WebDriver).

import assert from 'node:assert/strict';
import { decodePng } from './png.mjs';

/** How far outside the control the band reaches, in CSS px: the 6 px halo and a little more. */
const BAND_PX = 9;
/** How far a pixel's channel may be from the focus colour (antialiasing, colour management). */
const TOLERANCE = 12;

/**
 * Runs in the page (as `page.evaluate(fn, el)` or `session.execute(fn, el)`): the control's
 * box in CSS px, the device pixel ratio, and the widget's focus colour as [r, g, b].
 */
export function haloGeometryInPage(control) {
  const r = control.getBoundingClientRect();
  const root = control.closest('.sw-root');
  const declared = getComputedStyle(root).getPropertyValue('--_focus').trim();
  const canvas = document.createElement('canvas').getContext('2d');
  canvas.fillStyle = declared;
  const hex = canvas.fillStyle; // normalised to #rrggbb for an opaque colour
  const colour = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return { left: r.left, top: r.top, width: r.width, height: r.height, dpr: window.devicePixelRatio, colour, declared };
}

/**
 * Counts the pixels of the focus colour in the band around the control in `png` (a viewport
 * screenshot), and how many the band would hold if the halo filled it 3 px deep (the part the
 * outline does not cover). Returns `{ halo, expected }`.
 */
export function countHalo(png, geometry) {
  const { width, height, rgba } = decodePng(png);
  const s = geometry.dpr;
  const inner = { x0: geometry.left * s, y0: geometry.top * s, x1: (geometry.left + geometry.width) * s, y1: (geometry.top + geometry.height) * s };
  const outer = { x0: inner.x0 - BAND_PX * s, y0: inner.y0 - BAND_PX * s, x1: inner.x1 + BAND_PX * s, y1: inner.y1 + BAND_PX * s };
  const [r, g, b] = geometry.colour;
  let halo = 0;
  for (let y = Math.max(0, Math.floor(outer.y0)); y < Math.min(height, Math.ceil(outer.y1)); y++) {
    for (let x = Math.max(0, Math.floor(outer.x0)); x < Math.min(width, Math.ceil(outer.x1)); x++) {
      if (x >= inner.x0 && x < inner.x1 && y >= inner.y0 && y < inner.y1) continue;
      const i = (y * width + x) * 4;
      if (Math.abs(rgba[i] - r) <= TOLERANCE && Math.abs(rgba[i + 1] - g) <= TOLERANCE && Math.abs(rgba[i + 2] - b) <= TOLERANCE) halo++;
    }
  }
  const ring = (grow) => (geometry.width + 2 * grow) * (geometry.height + 2 * grow);
  const expected = (ring(6) - ring(3)) * s * s;
  return { halo, expected };
}

/**
 * Asserts that the focused control shows the halo (at least half the pixels a full 3 px band
 * would have) and that without focus it does not (under a twentieth): a canary, so a page that
 * is yellow anyway cannot pass.
 */
export function checkHalo(what, focused, unfocused) {
  assert.ok(
    focused.halo >= focused.expected / 2,
    `${what}: the focus halo is missing: ${focused.halo} pixels of the focus colour around it, expected about ${Math.round(focused.expected)}`,
  );
  assert.ok(
    unfocused.halo < unfocused.expected / 20,
    `${what}: ${unfocused.halo} pixels of the focus colour around it without focus: the check cannot tell focus from no focus`,
  );
}
