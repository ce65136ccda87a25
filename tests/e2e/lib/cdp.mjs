// What leaks look like from outside the page, read through the Chrome DevTools Protocol: live
// DOM nodes and JS event listeners (after a full garbage collection), the listeners on a
// subtree, and the widget's WebAssembly memory.

/** A DevTools session on the page, with the domains the readers below need. */
export async function openCdp(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('DOM.enable');
  await cdp.send('DOMDebugger.enable').catch(() => {}); // not a separate domain in every Chromium
  return cdp;
}

/**
 * Collects garbage (twice: the first pass can free what keeps more alive) and returns
 * `Memory.getDOMCounters`: `{ documents, nodes, jsEventListeners }` for the whole renderer,
 * detached nodes and listeners included.
 */
export async function domCounters(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { documents, nodes, jsEventListeners } = await cdp.send('Memory.getDOMCounters');
  return { documents, nodes, jsEventListeners };
}

/**
 * The event listeners on the object `expression` evaluates to (an element or the document), and
 * with `subtree` on every node below it, open shadow roots included.
 */
export async function eventListeners(cdp, expression, { subtree = false } = {}) {
  const { result } = await cdp.send('Runtime.evaluate', { expression });
  if (!result.objectId) throw new Error(`${expression} is not an object`);
  try {
    const { listeners } = await cdp.send('DOMDebugger.getEventListeners', {
      objectId: result.objectId,
      depth: subtree ? -1 : 0,
      pierce: subtree,
    });
    return listeners.map(({ type, useCapture }) => ({ type, useCapture }));
  } finally {
    await cdp.send('Runtime.releaseObject', { objectId: result.objectId });
  }
}

/**
 * The widget's WebAssembly memory in bytes. wasm-bindgen's glue initialises once per page and
 * hands the same exports (`memory` among them) to every later call of its init function, so this
 * asks the glue the widget already loaded, at `glueUrl` (absolute: the collector's, with its
 * content hash). Any other URL would be a second copy of the module with a memory of its own,
 * so it must be one the page has already loaded.
 */
export async function wasmMemoryBytes(page, glueUrl) {
  return page.evaluate(async (url) => {
    if (!performance.getEntriesByType('resource').some((entry) => entry.name === url)) {
      throw new Error(`the page has not loaded the glue ${url}: importing it would start a second module`);
    }
    const glue = await import(url);
    const exports = await glue.default();
    return exports.memory.buffer.byteLength;
  }, glueUrl);
}
