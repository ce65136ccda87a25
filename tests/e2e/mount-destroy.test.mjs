// g. handle.destroy() removes everything: a page that mounts the survey (an inline definition
//    object, through the ES module) and destroys it 1000 times ends with as many DOM nodes,
//    event listeners and as much WebAssembly memory as after the first few cycles.
//    The numbers are printed (and saved to artifacts/mount-destroy.json) for the README.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { serverAndBrowser } from './lib/suite.mjs';
import { ARTIFACTS, DESKTOP, cspViolations, openPage, withArtifactsOnFailure } from './lib/browser.mjs';
import { domCounters, eventListeners, openCdp, wasmMemoryBytes } from './lib/cdp.mjs';
import { glueUrl, serveFiles } from './lib/embed.mjs';

const CYCLES = 1000;
/** Cycles run before the first reading, so one-time allocations (interned strings, caches) are in. */
const WARM_UP = 20;

// Growth allowed over CYCLES cycles. One leaked node or listener per cycle would be 1000.
const MAX_NODE_GROWTH = 50;
const MAX_LISTENER_GROWTH = 10;
/** Wasm memory grows in 64 KiB pages and never shrinks; allow the allocator two more. */
const MAX_WASM_GROWTH = 2 * 64 * 1024;

// The pages are made up on the site's origin (with the site's policy); the widget, the survey
// and the endpoint are on the collector's.
const testPage = (head = '') => `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Mount and destroy</title>${head}</head>
<body><main><h1>Mount and destroy</h1><div id="host"></div><p>After the widget.</p></main></body>
</html>
`;

const suite = serverAndBrowser();

/**
 * Runs `count` cycles in the page: mount, wait for survey:ready, destroy. `api` is "module"
 * (index.mjs's mount) or "loader" (the classic script's window.SurveyWidget.mount).
 */
async function cycles(page, count, api = 'module') {
  return page.evaluate(
    async ({ count, api, collector }) => {
      const mount =
        api === 'loader' ? window.SurveyWidget.mount : (await import(`${collector}/survey-widget/index.mjs`)).mount;
      window.__definition ??= await (await fetch(`${collector}/surveys/digital-engagement.json`)).json();
      const host = document.getElementById('host');
      for (let i = 0; i < count; i++) {
        const ready = new Promise((resolve, reject) => {
          host.addEventListener('survey:ready', resolve, { once: true });
          host.addEventListener('survey:error', (event) => reject(new Error(JSON.stringify(event.detail))), { once: true });
        });
        const handle = await mount(host, { survey: window.__definition, endpoint: `${collector}/api/responses`, hidden: { channel: 'test' } });
        await ready;
        if (!host.shadowRoot.querySelector('input[type="radio"]')) throw new Error(`cycle ${i}: no question rendered`);
        handle.destroy();
        if (host.shadowRoot.childNodes.length !== 0) throw new Error(`cycle ${i}: destroy() left ${host.shadowRoot.innerHTML}`);
      }
      // The one-shot survey:error listener of each cycle is still there (only survey:ready
      // fired): replace the host so it goes, and the counts measure the widget alone.
      const fresh = document.createElement('div');
      fresh.id = 'host';
      host.replaceWith(fresh);
    },
    { count, api, collector: suite.server.url },
  );
}

async function reading(page, cdp) {
  const counters = await domCounters(cdp);
  return {
    ...counters,
    documentListeners: (await eventListeners(cdp, 'document')).length,
    pageListeners: (await eventListeners(cdp, 'document', { subtree: true })).length,
    // The glue the widget loaded: its name carries a content hash.
    wasmMemoryBytes: await wasmMemoryBytes(page, await glueUrl(suite.server)),
  };
}

test(`${CYCLES} mounts and destroys leave no nodes, listeners or Wasm memory behind`, { timeout: 600_000 }, async () => {
  const { context, page } = await openPage(suite.browser, DESKTOP);
  await withArtifactsOnFailure(page, 'g mount destroy', async () => {
    await serveFiles(page, suite.server, { '/mount-destroy.html': testPage() });
    await page.goto(`${suite.server.site}/mount-destroy.html`);
    const cdp = await openCdp(page);

    await cycles(page, WARM_UP);
    const before = await reading(page, cdp);
    const started = Date.now();
    await cycles(page, CYCLES);
    const seconds = (Date.now() - started) / 1000;
    const afterCycles = await reading(page, cdp);

    const growth = Object.fromEntries(Object.keys(before).map((key) => [key, afterCycles[key] - before[key]]));
    const report = { cycles: CYCLES, warmUp: WARM_UP, seconds, before, after: afterCycles, growth };
    console.log(`mount/destroy ×${CYCLES} (${seconds.toFixed(1)} s):`);
    console.table({ before, after: afterCycles, growth });
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(path.join(ARTIFACTS, 'mount-destroy.json'), JSON.stringify(report, null, 2) + '\n');

    assert.ok(growth.nodes <= MAX_NODE_GROWTH, `DOM nodes grew by ${growth.nodes} over ${CYCLES} cycles`);
    assert.ok(growth.jsEventListeners <= MAX_LISTENER_GROWTH, `JS event listeners grew by ${growth.jsEventListeners}`);
    assert.ok(growth.documentListeners <= 0, `listeners on the document grew by ${growth.documentListeners}`);
    assert.ok(growth.pageListeners <= 0, `listeners in the page grew by ${growth.pageListeners}`);
    assert.ok(growth.wasmMemoryBytes <= MAX_WASM_GROWTH, `Wasm memory grew by ${growth.wasmMemoryBytes} bytes`);
    assert.deepEqual(await cspViolations(page), [], 'no Content Security Policy violations');
    assert.deepEqual(page.problems, [], 'no console errors or uncaught exceptions');
    await cdp.detach();
  });
  await context.close();
});

test('the classic loader: SurveyWidget.mount and destroy leave nothing, and neither does removing the element', { timeout: 300_000 }, async () => {
  const { context, page: page } = await openPage(suite.browser, DESKTOP);
  await withArtifactsOnFailure(page, 'g loader mount destroy', async () => {
    await serveFiles(page, suite.server, {
      '/loader-mount-destroy.html': testPage(`<script src="${suite.server.url}/survey-widget/survey-widget.js" async></script>`),
    });
    await page.goto(`${suite.server.site}/loader-mount-destroy.html`);
    await page.waitForFunction(() => window.SurveyWidget?.version);
    const cdp = await openCdp(page);

    const count = 200;
    await cycles(page, WARM_UP, 'loader');
    const before = await reading(page, cdp);
    await cycles(page, count, 'loader');
    const afterCycles = await reading(page, cdp);
    console.log(`SurveyWidget.mount/destroy ×${count}:`);
    console.table({ before, after: afterCycles });
    for (const key of ['nodes', 'jsEventListeners', 'pageListeners', 'wasmMemoryBytes']) {
      assert.ok(afterCycles[key] - before[key] <= (key === 'wasmMemoryBytes' ? MAX_WASM_GROWTH : 0), `${key}: ${before[key]} → ${afterCycles[key]}`);
    }

    // A developer who removes the element instead of calling destroy(): the loader cleans up.
    const host = await page.evaluateHandle(async (collector) => {
      const element = document.getElementById('host');
      const ready = new Promise((resolve) => element.addEventListener('survey:ready', resolve, { once: true }));
      await window.SurveyWidget.mount(element, { survey: window.__definition, endpoint: `${collector}/api/responses` });
      await ready;
      element.remove();
      return element;
    }, suite.server.url);
    await page.waitForFunction((element) => element.shadowRoot.childNodes.length === 0, host);
    await host.dispose();

    assert.deepEqual(await cspViolations(page), [], 'no Content Security Policy violations');
    assert.deepEqual(page.problems, [], 'no console errors or uncaught exceptions');
    await cdp.detach();
  });
  await context.close();
});
