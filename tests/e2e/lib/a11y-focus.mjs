// What a keyboard user sees of focus: where it is, whether its ring is visible with 3:1
// contrast against what is behind it, and whether anything covers it (WCAG 1.4.11, 2.4.7,
// 2.4.11). Read in the page through open shadow roots.
//
// A ring counts only if focus drew it: each stop is read focused, then unfocused (blurred and
// focused again), and an outline or shadow that is there at rest too (a button's resting
// shadow, say) is no focus indicator, however well it contrasts.

/**
 * The focused element (through shadow roots) and its focus indicator. The indicator is drawn on
 * the element itself, or, for an input hidden under its label (opacity 0, as the rating scale's
 * radios are), on the label.
 */
export async function focusReport(page) {
  return page.evaluate(() => {
    const el = window.__e2e.deepActive();
    if (!el || el === document.body) return null;
    const parse = (color) => {
      const m = /rgba?\(([^)]+)\)/.exec(color);
      if (!m) return null;
      const [r, g, b, a = 1] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
      return { r, g, b, a };
    };
    const luminance = ({ r, g, b }) => {
      const f = (c) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const contrast = (x, y) => {
      const [l1, l2] = [luminance(x), luminance(y)].sort((p, q) => q - p);
      return (l1 + 0.05) / (l2 + 0.05);
    };
    /** The first opaque background at or above `node`, crossing shadow boundaries. */
    const background = (node) => {
      for (let n = node; n; n = n.parentElement ?? n.getRootNode()?.host ?? null) {
        const c = parse(getComputedStyle(n).backgroundColor);
        if (c && c.a > 0.5) return c;
      }
      return { r: 255, g: 255, b: 255, a: 1 };
    };
    const indicator = getComputedStyle(el).opacity === '0' && el.labels?.[0] ? el.labels[0] : el;
    const behind = background(indicator.parentElement ?? indicator.getRootNode().host);
    const ringsNow = () => {
      const style = getComputedStyle(indicator);
      const found = [];
      if (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2) {
        const c = parse(style.outlineColor);
        if (c) found.push({ kind: `outline ${style.outlineWidth}`, color: style.outlineColor, contrast: contrast(c, behind) });
      }
      if (style.boxShadow && style.boxShadow !== 'none') {
        for (const m of style.boxShadow.matchAll(/rgba?\([^)]+\)/g)) {
          const c = parse(m[0]);
          if (c && c.a > 0.5) found.push({ kind: 'box-shadow', color: m[0], contrast: contrast(c, behind) });
        }
      }
      return found;
    };
    const focusedRings = ringsNow();
    const visibleBefore = el.matches(':focus-visible');
    el.blur();
    const restingRings = ringsNow();
    el.focus({ preventScroll: true });
    const refocused = window.__e2e.deepActive() === el && el.matches(':focus-visible') === visibleBefore;
    const rings = focusedRings.filter((r) => !restingRings.some((q) => q.kind === r.kind && q.color === r.color));
    const r = indicator.getBoundingClientRect();
    const root = el.getRootNode();
    // 2.4.11 asks that the focused control is not entirely hidden: look at the part of it that
    // is inside the viewport, and at what is drawn at that part's centre.
    const left = Math.max(r.left, 0);
    const right = Math.min(r.right, window.innerWidth);
    const top = Math.max(r.top, 0);
    const bottom = Math.min(r.bottom, window.innerHeight);
    const x = Math.min((left + right) / 2, window.innerWidth - 1);
    const y = Math.min((top + bottom) / 2, window.innerHeight - 1);
    const hit = root.elementFromPoint ? root.elementFromPoint(x, y) : null;
    const covered = !(hit && (hit === el || el.contains(hit) || hit === indicator || indicator.contains(hit) || hit.contains(el)));
    const text = el.getAttribute('aria-label') || window.__e2e.text(el).slice(0, 200) || el.getAttribute('value') || '';
    return {
      tag: el.localName,
      id: el.id,
      type: el.getAttribute('type'),
      name: el.getAttribute('name'),
      text,
      label: el.labels?.[0] ? window.__e2e.text(el.labels[0]) : null,
      question: el.closest('[data-question]')?.getAttribute('data-question') ?? null,
      inWidget: Boolean(el.closest('.sw-root') || (root instanceof ShadowRoot)),
      hostId: root instanceof ShadowRoot ? root.host.id : el.closest('[data-survey-widget], survey-widget')?.id ?? null,
      bestRing: rings.reduce((best, ring) => Math.max(best, ring.contrast), 0),
      rings,
      restingRings,
      refocused,
      inView: right - left >= 1 && bottom - top >= 1,
      programmatic: el.getAttribute('tabindex') === '-1',
      covered,
      hitWhat: hit ? `<${hit.localName} class="${hit.className}">` : 'nothing',
    };
  });
}

/** One line naming a focus stop, for messages. */
export function stopName(stop) {
  if (!stop) return 'nothing';
  return `<${stop.tag}${stop.id ? `#${stop.id}` : ''}${stop.type ? ` type=${stop.type}` : ''}> "${stop.label ?? stop.text}"`;
}
