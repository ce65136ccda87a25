import path from 'node:path';
import http from 'node:http';
import { startServer, ROOT } from './lib/server.mjs';
import { launchBrowser, openPage } from './lib/browser.mjs';
const real = await startServer({ env: { SURVEYS_DIR: path.join(ROOT, 'tests/e2e/fixtures/surveys') } });
const target = new URL(real.url);
const T0 = Date.now(); const t = () => Date.now() - T0;
const proxy = http.createServer((req, res) => {
  const chunks = []; req.on('data', (c) => chunks.push(c)); req.on('end', () => {
    const body = Buffer.concat(chunks);
    if (req.method === 'POST') console.log(t(), 'PROXY POST', req.headers['accept-language'], req.headers['sec-fetch-mode']);
    const up = http.request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (r) => { res.writeHead(r.statusCode, r.headers); r.pipe(res); });
    up.on('error', () => res.destroy()); up.end(body);
  });
});
await new Promise((r) => proxy.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${proxy.address().port}`;
const browser = await launchBrowser();
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'";
const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Fault</title>
<script src="/survey-widget/survey-widget.js" async></script></head><body><main><h1>Fault page</h1>
<survey-widget src="/surveys/quick-check.json" endpoint="/api/responses"></survey-widget></main></body></html>`;
const DELAY = Number(process.argv[2] ?? 500);
const { context, page } = await openPage(browser);
let offline = false;
const cache = new Map();
await context.route(`${url}/api/responses`, async (route) => {
  console.log(t(), 'ROUTE POST offline=', offline);
  if (offline) return route.abort('internetdisconnected').catch(e => console.log('abort err', e.message));
  const r = await route.fetch(); return route.fulfill({ response: r });
});
await context.route(`${url}/fault.html`, (r) => r.fulfill({ status: 200, contentType: 'text/html', headers: { 'Content-Security-Policy': CSP }, body: PAGE }));
await context.route((u) => u.pathname.startsWith('/survey-widget/') || u.pathname.startsWith('/surveys/'), async (route) => {
  const u = route.request().url();
  if (offline) return route.fulfill(cache.get(u));
  const r = await route.fetch(); const kept = { status: r.status(), headers: r.headers(), body: await r.body() }; cache.set(u, kept); return route.fulfill(kept);
});
page.on('request', r => { if (r.method() === 'POST') console.log(t(), 'PAGE request'); });
page.on('framenavigated', f => { if (f === page.mainFrame()) console.log(t(), 'navigated'); });
await page.goto(`${url}/fault.html`);
const w = page.locator('survey-widget');
await w.getByRole('radio', { name: 'Good' }).click();
await context.setOffline(true); offline = true;
console.log(t(), '--- offline');
await w.getByRole('button', { name: 'Send answers' }).click();
await w.getByRole('heading', { name: 'Your answers are saved on this device' }).waitFor();
await new Promise(r => setTimeout(r, DELAY));
console.log(t(), '--- reload 1'); await page.reload();
await w.getByRole('heading', { name: 'Your answers are saved on this device' }).waitFor();
await new Promise(r => setTimeout(r, 1000));
console.log(t(), '--- done');
await browser.close(); proxy.close(); await real.stop();
