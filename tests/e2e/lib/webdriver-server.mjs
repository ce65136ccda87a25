// The servers for the WebDriver journeys (tests/e2e/engines/): the real collector and the demo
// site on two origins, as lib/server.mjs starts them, with a gate between the pages and the
// collector. Without the DevTools protocol a test cannot see or block a page's requests from
// inside the browser, so it does so on the wire:
//
//   site pages (http://localhost:SITE) ──▶ gate (http://127.0.0.1:GATE) ──▶ collector
//
// The site names the gate as its collector (COLLECTOR_URL), so its pages, under the site's
// own strict policy, load the bundle and post answers through it. The gate records every
// request (method, path, time) and can refuse connections, which is what a phone that lost its
// signal sees. The site serves a copy of demo/site/pages with any extra pages a test adds, and
// the collector a copy of dist/survey-widget taken when the servers start.

import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ROOT, freePort, spawnServer, waitForHealth } from './server.mjs';
import { PROBE_SCRIPT, withProbe } from './webdriver-pages.mjs';

/** Response headers without those that let a browser reuse the answer, and with `no-store`. */
function withoutCaching(rawHeaders) {
  const kept = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (!/^(cache-control|etag|last-modified|expires)$/i.test(rawHeaders[i])) kept.push(rawHeaders[i], rawHeaders[i + 1]);
  }
  return [...kept, 'Cache-Control', 'no-store'];
}

/** A demo page as the site has it in demo/site/pages/, with the probe script loaded first. */
export function probedDemoPage(name) {
  return withProbe(readFileSync(path.join(ROOT, 'demo', 'site', 'pages', name), 'utf8'));
}

/**
 * A forwarding HTTP proxy on 127.0.0.1 in front of `target` that remembers what passed.
 * `requests` lists `{ method, path, at, status, answeredAt }` (times from Date.now(); `answeredAt` once
 * the whole answer was handed to the browser, else null); `setReachable(false)` closes
 * every open connection and resets new ones at once, so the browser sees a network error;
 * `uncached(path)` makes every load ask for that file again, as on a first visit (so each
 * load's request for it shows here); `delay(path, ms)` holds its answers back.
 */
export async function startGate(target) {
  const requests = [];
  const sockets = new Set();
  const noStore = new Set();
  const delays = new Map();
  let reachable = true;
  const server = http.createServer(async (request, response) => {
    const path = request.url.split('?')[0];
    const record = { method: request.method, path: request.url, at: Date.now(), status: null, answeredAt: null };
    requests.push(record);
    response.on('finish', () => {
      record.answeredAt = Date.now();
    });
    if (delays.has(path)) await new Promise((resolve) => setTimeout(resolve, delays.get(path)));
    const upstream = http.request(
      `${target}${request.url}`,
      { method: request.method, headers: request.headers },
      (answer) => {
        record.status = answer.statusCode;
        response.writeHead(answer.statusCode, noStore.has(path) ? withoutCaching(answer.rawHeaders) : answer.rawHeaders);
        answer.pipe(response);
      },
    );
    upstream.on('error', () => response.destroy());
    request.pipe(upstream);
  });
  server.on('connection', (socket) => {
    if (!reachable) {
      socket.resetAndDestroy?.() ?? socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    requests,
    /** Requests whose path (without its query) is `p`. */
    requestsFor: (p) => requests.filter((r) => r.path.split('?')[0] === p),
    uncached: (p) => noStore.add(p),
    /** Holds requests for `p` back `ms` before forwarding them, as a slow connection would. */
    delay: (p, ms) => delays.set(p, ms),
    setReachable(value) {
      reachable = value;
      if (!value) for (const socket of sockets) socket.destroy();
    },
    stop: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * Starts the collector, the gate and the demo site. `pages` ({ "name.html": html }) are added to
 * the site's copy of demo/site/pages; they may name the collector as `{{collector}}`, as the
 * demo pages do, which the site replaces with the gate's URL. `/e2e-probe.js` is always there
 * (see withProbe in lib/webdriver-pages.mjs).
 *
 * Resolves to `{ url, site, gate, admin, stop }`: `url` is the collector as pages see it (the
 * gate), `admin` the collector itself with its token (`{ url, token }`, for storedResponses),
 * so reading what was stored never depends on the gate.
 */
export async function startGatedServer({ pages = {} } = {}) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'survey-wd-'));
  const pagesDir = path.join(dataDir, 'pages');
  cpSync(path.join(ROOT, 'demo', 'site', 'pages'), pagesDir, { recursive: true });
  writeFileSync(path.join(pagesDir, 'e2e-probe.js'), PROBE_SCRIPT);
  // The bundle as it is now (dist/survey-widget, or SURVEY_DIST_DIR): a rebuild while the file's
  // tests run cannot change it.
  const bundle = process.env.SURVEY_DIST_DIR || path.join(ROOT, 'dist', 'survey-widget');
  const distDir = path.join(dataDir, 'dist');
  if (['survey-widget.js', 'index.mjs'].some((file) => !existsSync(path.join(bundle, file)))) {
    rmSync(dataDir, { recursive: true, force: true });
    throw new Error(`${bundle} has no survey-widget.js or index.mjs: build the bundle first (pkg-scripts/build.sh)`);
  }
  cpSync(bundle, distDir, { recursive: true });
  for (const [name, html] of Object.entries(pages)) writeFileSync(path.join(pagesDir, name), html);
  mkdirSync(path.join(dataDir, 'data'));
  const token = `e2e-${randomBytes(24).toString('hex')}`;
  const site = `http://localhost:${await freePort()}`;
  const started = [];
  let gate = null;
  const stop = async () => {
    await gate?.stop();
    await Promise.all(started.map((s) => s.stop()));
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const collector = await spawnServer('survey-collector', {
      PORT: '0',
      DATA_DIR: path.join(dataDir, 'data'),
      SURVEYS_DIR: path.join(ROOT, 'demo', 'surveys'),
      DIST_DIR: distDir,
      ADMIN_TOKEN: token,
      ALLOWED_ORIGINS: site,
      // Every browser in a test is 127.0.0.1 (see lib/server.mjs).
      RATE_LIMIT_PER_MINUTE: '0',
    });
    started.push(collector);
    gate = await startGate(collector.url);
    const demo = await spawnServer('survey-demo-site', {
      PORT: new URL(site).port,
      PAGES_DIR: pagesDir,
      COLLECTOR_URL: gate.url,
    });
    started.push(demo);
    await waitForHealth(`${collector.url}/healthz`, collector);
    return { url: gate.url, site, gate, admin: { url: collector.url, token }, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
