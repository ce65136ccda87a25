// axe-core in WebKit and Firefox, through WebDriver: injected by Execute Script (which a page's
// Content Security Policy does not govern; the page itself still runs under its own policy),
// run over the document and its open shadow roots, and its findings read as lines, with the
// `incomplete` results that lib/a11y.mjs explains left out.

import { ALLOWED_INCOMPLETE, AXE_SOURCE, AXE_TAGS, axeFindings } from './a11y.mjs';

/** Runs axe over the document and its open shadow roots; returns violations and incomplete results. */
export async function runAxe(session) {
  if (!(await session.execute(() => typeof window.axe === 'object'))) {
    await session.execute(`${AXE_SOURCE}\nwindow.axe = axe; axe.configure({ allowedOrigins: ['<same_origin>'] });`);
  }
  const found = await session.executeAsync(axeFindings, AXE_TAGS);
  // Read as lines: each target on one line, each summary on one line.
  const lines = (item) => ({
    ...item,
    nodes: item.nodes.map((node) => ({ ...node, target: JSON.stringify(node.target), summary: node.summary.replace(/\s+/g, ' ') })),
  });
  return { violations: found.violations.map(lines), incomplete: found.incomplete.map(lines) };
}

/**
 * One doubt more than lib/a11y.mjs lists, seen in Firefox only: the rating's end words ("Very
 * easy"), visually hidden inside the number's label so that it is read "5 Very easy", sit under
 * the rating's transparent radio, and axe cannot decide the contrast of text it finds covered.
 * The text is a 1 px clipped box nobody sees; the visible end words are measured.
 */
const ENGINE_INCOMPLETE = [
  {
    rule: 'color-contrast',
    matches: (node) => /^<span[^>]*>\s*Very (easy|difficult)<\/span>$/.test(node.html) && node.messages.some((m) => m.messageKey === 'elmPartiallyObscured'),
  },
];

/** The problems axe found in `state`, as lines; allowed `incomplete` results are left out. */
export function problems(state, result) {
  const lines = [];
  for (const v of result.violations) for (const n of v.nodes) lines.push(`${state}: ${v.id} (${v.impact}) ${n.target}: ${n.summary}`);
  for (const v of result.incomplete) {
    for (const n of v.nodes) {
      if (![...ALLOWED_INCOMPLETE, ...ENGINE_INCOMPLETE].some((entry) => entry.rule === v.id && entry.matches(n, n.target, state))) {
        lines.push(`${state}: incomplete ${v.id} ${n.target} ${n.html}: ${JSON.stringify(n.messages)}`);
      }
    }
  }
  return lines;
}
