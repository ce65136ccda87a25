// x. The WebDriver client (lib/webdriver.mjs) and the PNG reader (lib/png.mjs) the WebKit and
//    Firefox journeys stand on, against a fake driver and made-up pictures, without a browser:
//    what goes over the wire for a click, keys and a screenshot (one action sequence that
//    releases what it pressed, never DELETE /actions; scrolled into view first), errors keep
//    their W3C code, a started driver is ready before use and gone after stop(); every PNG
//    filter type decodes to the pixels it encodes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { deflateSync } from 'node:zlib';
import { ELEMENT_KEY, Session, WebDriverError, startDriver } from './lib/webdriver.mjs';
import { decodePng } from './lib/png.mjs';

/** A fake driver: records each command and answers from `answer(method, path, body)`. */
async function fakeDriver(answer = () => undefined) {
  const seen = [];
  const server = http.createServer(async (request, response) => {
    let text = '';
    for await (const chunk of request) text += chunk;
    const body = text ? JSON.parse(text) : undefined;
    seen.push({ method: request.method, path: request.url, body });
    const [status, value] = answer(request.method, request.url, body) ?? [200, null];
    response.writeHead(status, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify({ value }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, seen, close: () => new Promise((r) => server.close(r)) };
}

const element = { [ELEMENT_KEY]: 'e1' };

test('a click is one pointer sequence with its own release, after scrolling the element into view', async () => {
  const driver = await fakeDriver();
  try {
    const session = new Session(driver.url, 's1', {});
    await session.click(element, { pointerType: 'touch' });
    assert.deepEqual(driver.seen.map((c) => `${c.method} ${c.path}`), ['POST /session/s1/execute/sync', 'POST /session/s1/actions']);
    assert.match(driver.seen[0].body.script, /scrollIntoView/);
    const [source] = driver.seen[1].body.actions;
    assert.equal(source.parameters.pointerType, 'touch');
    assert.deepEqual(source.actions.map((a) => a.type), ['pointerMove', 'pointerDown', 'pointerUp']);
    assert.deepEqual(source.actions[0].origin, element);
    assert.ok(!driver.seen.some((c) => c.method === 'DELETE'), 'nothing is released with DELETE /actions');
  } finally {
    await driver.close();
  }
});

test('keys: a chord is held together and released in reverse, in the same sequence', async () => {
  const driver = await fakeDriver();
  try {
    await new Session(driver.url, 's1', {}).press(['Shift', 'Tab'], 'a');
    const [keyboard] = driver.seen[0].body.actions;
    assert.equal(keyboard.type, 'key');
    assert.deepEqual(
      keyboard.actions.map((a) => `${a.type} ${a.value}`),
      ['keyDown \uE008', 'keyDown \uE004', 'keyUp \uE004', 'keyUp \uE008', 'keyDown a', 'keyUp a'],
    );
  } finally {
    await driver.close();
  }
});

test('a function runs in the page with its arguments; a driver error keeps its W3C code', async () => {
  const driver = await fakeDriver((method, path, body) => {
    if (path.endsWith('/execute/sync')) return [200, body.args];
    if (path.endsWith('/element')) return [404, { error: 'no such element', message: 'nothing matches .x' }];
    return undefined;
  });
  try {
    const session = new Session(driver.url, 's1', {});
    assert.deepEqual(await session.execute((a, b) => a + b, 1, element), [1, element]);
    assert.equal(driver.seen[0].body.script, 'return ((a, b) => a + b).apply(null, arguments);');
    await assert.rejects(session.findCss('.x'), (error) => error instanceof WebDriverError && error.code === 'no such element');
  } finally {
    await driver.close();
  }
});

test('an element screenshot scrolls the element into view first', async () => {
  const png = Buffer.from('not really a png');
  const driver = await fakeDriver((method, path) => (path.endsWith('/screenshot') ? [200, png.toString('base64')] : undefined));
  try {
    const shot = await new Session(driver.url, 's1', {}).elementScreenshot(element);
    assert.deepEqual(shot, png);
    assert.deepEqual(driver.seen.map((c) => c.path), ['/session/s1/execute/sync', '/session/s1/element/e1/screenshot']);
  } finally {
    await driver.close();
  }
});

test('a started driver answers once ready and is gone after stop()', async () => {
  // A stand-in driver: a Node process that serves /status on the port it is given.
  const program = `require('http').createServer((q, s) => { s.setHeader('Content-Type', 'application/json'); s.end(JSON.stringify({ value: { ready: true } })); }).listen(Number(process.argv[1]), '127.0.0.1')`;
  const driver = await startDriver({ driverCommand: (port) => [process.execPath, '-e', program, String(port)], capabilities: () => ({}) });
  const status = await fetch(`${driver.url}/status`).then((r) => r.json());
  assert.equal(status.value.ready, true);
  await driver.stop();
  await assert.rejects(fetch(`${driver.url}/status`), 'nothing listens after stop()');
});

/** A PNG of `rows` (arrays of [r, g, b, a]), each row written with the given filter type. */
function encodePng(rows, filters) {
  const width = rows[0].length;
  const raw = [];
  rows.forEach((row, y) => {
    const bytes = row.flat();
    const prior = y > 0 ? rows[y - 1].flat() : bytes.map(() => 0);
    const filter = filters[y];
    raw.push(filter);
    bytes.forEach((value, x) => {
      const left = x >= 4 ? bytes[x - 4] : 0;
      const up = prior[x];
      const upLeft = x >= 4 ? prior[x - 4] : 0;
      // Paeth: the one of left, up, up-left nearest to left + up - upLeft, ties in that order.
      const p = left + up - upLeft;
      const paeth = [left, up, upLeft].reduce((best, c) => (Math.abs(p - c) < Math.abs(p - best) ? c : best));
      const predictor = [0, left, up, (left + up) >> 1, paeth][filter];
      raw.push((value - predictor) & 0xff);
    });
  });
  const chunk = (type, data) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'latin1');
    return Buffer.concat([head, data, Buffer.alloc(4)]); // the reader does not check CRCs
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(rows.length, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.from(raw))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

test('the PNG reader decodes every filter type to the pixels encoded', () => {
  const rows = [0, 1, 2, 3, 4].map((y) => [0, 1, 2].map((x) => [(x * 90 + y * 40) & 0xff, (255 - x * 70) & 0xff, (y * 60) & 0xff, 255 - y]));
  const { width, height, rgba } = decodePng(encodePng(rows, [0, 1, 2, 3, 4]));
  assert.deepEqual([width, height], [3, 5]);
  assert.deepEqual([...rgba], rows.flat(2));
  assert.throws(() => decodePng(Buffer.from('GIF89a')), /not a PNG/);
});
