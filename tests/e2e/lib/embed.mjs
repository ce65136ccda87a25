// Helpers for the embed-*.test.mjs files: pages made up by a test but served from the demo
// site's origin with the site's own Content Security Policy (the widget, its definitions and
// the answers staying on the collector's origin, named by absolute URLs, as on the demo
// pages), a record of what the page downloads, the bundle's content-hashed file names, and a
// pixel comparison of two screenshots.

import assert from 'node:assert/strict';

/** The Content Security Policy the demo site sends with its pages (read, not copied). */
export async function serverCsp(server) {
  const response = await fetch(`${server.site}/`);
  await response.arrayBuffer();
  const csp = response.headers.get('content-security-policy');
  assert.ok(csp, 'the demo site sends a Content Security Policy');
  assert.ok(csp.includes(server.url), `the demo site's policy names the collector ${server.url}: ${csp}`);
  return csp;
}

/**
 * Lets pages that a test makes up on the site's origin reach the collector, as the site's own
 * pages can. A page fulfilled by `route.fulfill` came from no server address, so Chromium's
 * Local Network Access counts it as a public page, and its requests to the collector on the
 * loopback address need a permission a person would be asked for (headless: refused). The
 * real site is on the loopback address itself and needs none; this grant, for the site's
 * origin only, puts a made-up page back on the same footing.
 */
export async function allowMadeUpPages(context, server) {
  await context.grantPermissions(['local-network-access'], { origin: server.site });
}

/**
 * Serves `files` ({ "/path": { body, type, delayMs } } or { "/path": "html" }) at the demo site's
 * origin, HTML with the site's own policy, so a made-up page is held to the same rules as the
 * demo pages. The pages name the collector's files with absolute URLs (`${server.url}/…`).
 * `delayMs` holds a file back that long, as a slow server or network would.
 */
export async function serveFiles(page, server, files) {
  const csp = await serverCsp(server);
  await allowMadeUpPages(page.context(), server);
  for (const [path, file] of Object.entries(files)) {
    const { body, type = 'text/html; charset=utf-8', delayMs = 0 } = typeof file === 'string' ? { body: file } : file;
    const headers = type.startsWith('text/html') ? { 'Content-Security-Policy': csp } : {};
    await page.route(`${server.site}${path}`, async (route) => {
      if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
      await route.fulfill({ status: 200, contentType: type, headers, body });
    });
  }
}

/** The bundle's file names: the glue, the Wasm and the stylesheet carry a content hash. */
export const BUNDLE_FILE = {
  glue: /^survey_widget\.[0-9a-f]+\.js$/,
  wasm: /^survey_widget_bg\.[0-9a-f]+\.wasm$/,
  css: /^survey-widget\.[0-9a-f]+\.css$/,
};

/** Whether `url` is the widget's Wasm (any hash), wherever it is served from. */
export function isWidgetWasm(url) {
  const { pathname } = new URL(url);
  return pathname.startsWith('/survey-widget/') && BUNDLE_FILE.wasm.test(pathname.slice('/survey-widget/'.length));
}

/**
 * The absolute URL of the wasm-bindgen glue the collector's `index.mjs` imports (its name
 * carries a content hash), read from that `index.mjs` itself, so it is the very module the
 * widget runs: a page that imports this URL gets the instance the widgets share.
 */
export async function glueUrl(server) {
  const index = `${server.url}/survey-widget/index.mjs`;
  const response = await fetch(index);
  const text = await response.text();
  assert.equal(response.status, 200, `GET ${index}`);
  const names = [...new Set([...text.matchAll(/import\(\s*["']\.\/(survey_widget\.[0-9a-f]+\.js)["']\s*\)/g)].map((m) => m[1]))];
  assert.equal(names.length, 1, `index.mjs imports one glue file: ${JSON.stringify(names)}`);
  return new URL(names[0], index).href;
}

/** A minimal page: `head` and `body` are HTML. */
export function htmlPage({ title, head = '', body }) {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>${head}</head>
<body>${body}</body>
</html>
`;
}

/**
 * Records the page's requests for the widget's files. `bundle.wasm`, `bundle.index`,
 * `bundle.loader` and `bundle.glue` list the URLs requested, in order.
 */
export function recordBundleRequests(page) {
  const bundle = { wasm: [], index: [], loader: [], glue: [] };
  page.on('request', (request) => {
    const { pathname } = new URL(request.url());
    if (!pathname.startsWith('/survey-widget/')) return;
    const file = pathname.slice('/survey-widget/'.length);
    if (file.endsWith('.wasm')) bundle.wasm.push(request.url());
    else if (file === 'index.mjs') bundle.index.push(request.url());
    else if (file === 'survey-widget.js') bundle.loader.push(request.url());
    else if (BUNDLE_FILE.glue.test(file)) bundle.glue.push(request.url());
  });
  return bundle;
}

/** Per host element (by id): how many widgets it shows and how many survey:ready it sent. */
export async function widgetCounts(page) {
  return page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll('survey-widget, [data-survey-widget]')].map((host) => [
        host.id,
        {
          containers: host.shadowRoot ? host.shadowRoot.querySelectorAll('.sw-root').length : 0,
          stylesheets: host.shadowRoot ? host.shadowRoot.querySelectorAll('link[rel="stylesheet"]').length : 0,
          ready: Number(host.dataset.e2eReady || 0),
        },
      ]),
    ),
  );
}

/**
 * Counts each host's survey:ready events in `data-e2e-ready` (the probes record events page
 * wide; this tells the hosts apart). Must run before the widgets load: call it right after
 * `openPage`.
 */
export async function countReadyPerHost(context) {
  await context.addInitScript(() => {
    document.addEventListener(
      'survey:ready',
      (event) => {
        const host = event.target;
        if (host instanceof Element) host.dataset.e2eReady = String(Number(host.dataset.e2eReady || 0) + 1);
      },
      true,
    );
  });
}

/**
 * Compares two PNG screenshots pixel by pixel in a blank page of `browser` (decoded by the
 * browser itself, drawn on a canvas). A pixel differs when any channel differs by more than
 * `threshold` (0–255). Returns the sizes, the count of differing pixels, the largest channel
 * difference, and the bounding box of the differences.
 */
export async function comparePngs(browser, a, b, { threshold = 0 } = {}) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    return await page.evaluate(
      async ({ a, b, threshold }) => {
        const pixels = async (base64) => {
          const bitmap = await createImageBitmap(await (await fetch(`data:image/png;base64,${base64}`)).blob());
          const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
          const context = canvas.getContext('2d', { willReadFrequently: true });
          context.drawImage(bitmap, 0, 0);
          return { width: bitmap.width, height: bitmap.height, data: context.getImageData(0, 0, bitmap.width, bitmap.height).data };
        };
        const [one, two] = await Promise.all([pixels(a), pixels(b)]);
        const result = {
          a: { width: one.width, height: one.height },
          b: { width: two.width, height: two.height },
          sameSize: one.width === two.width && one.height === two.height,
          differing: 0,
          total: one.width * one.height,
          maxChannelDifference: 0,
          box: null,
        };
        if (!result.sameSize) return result;
        let [left, top, right, bottom] = [Infinity, Infinity, -1, -1];
        for (let i = 0; i < one.data.length; i += 4) {
          let worst = 0;
          for (let c = 0; c < 4; c++) worst = Math.max(worst, Math.abs(one.data[i + c] - two.data[i + c]));
          result.maxChannelDifference = Math.max(result.maxChannelDifference, worst);
          if (worst > threshold) {
            result.differing++;
            const x = (i / 4) % one.width;
            const y = Math.floor(i / 4 / one.width);
            [left, top, right, bottom] = [Math.min(left, x), Math.min(top, y), Math.max(right, x), Math.max(bottom, y)];
          }
        }
        if (result.differing) result.box = { left, top, right, bottom };
        return result;
      },
      { a: a.toString('base64'), b: b.toString('base64'), threshold },
    );
  } finally {
    await context.close();
  }
}
