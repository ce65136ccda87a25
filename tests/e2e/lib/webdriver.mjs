// A small W3C WebDriver client over fetch, for the engines playwright-core cannot drive here:
// WebKit (WebKitGTK's MiniBrowser through WebKitWebDriver) and Gecko (Firefox ESR through
// geckodriver). It speaks only the standard protocol (https://www.w3.org/TR/webdriver2/), so
// what a test does in one engine it does the same way in the other.
//
// `startDriver(engine)` starts the engine's driver on a free loopback port, in its own process
// group, and `session.close()` / `driver.stop()` end the browser and the driver; both also end
// when this Node process exits or is killed (the driver runs under a wrapper that kills it when
// our end of its stdin closes, as lib/server.mjs does for the servers).
//
// Two quirks of WebKitWebDriver shape the API:
// - releasing a pointer press with `DELETE /session/{id}/actions` can leave it dropping Shift
//   from later typing, so `click()` sends its own pointer-up in the same action sequence and
//   nothing here calls `DELETE /actions`;
// - element screenshots of an element outside the viewport come back black, so
//   `elementScreenshot()` scrolls the element into view first.

import { spawn } from 'node:child_process';
import { freePort, running } from './server.mjs';

/** The key under which WebDriver serialises an element reference (the W3C constant). */
export const ELEMENT_KEY = 'element-6066-11e4-a52e-4f735466cecf';

const DRIVER_STARTUP_MS = 30_000;
const DRIVER_STOP_MS = 5_000;
/** How long one command may take: a navigation waits for the page's load event. */
const COMMAND_TIMEOUT_MS = 60_000;
/** How long a browser may take to start: a first Firefox profile on a cold, busy machine is slow. */
const SESSION_TIMEOUT_MS = 120_000;

/** The W3C key codes the tests press (Unicode private-use characters, WebDriver §17.4.2). */
export const Key = Object.freeze({
  Backspace: '\uE003',
  Tab: '\uE004',
  Enter: '\uE007',
  Shift: '\uE008',
  Control: '\uE009',
  Space: ' ',
  ArrowLeft: '\uE012',
  ArrowUp: '\uE013',
  ArrowRight: '\uE014',
  ArrowDown: '\uE015',
});

// `sh -c WRAPPER PROGRAM ARGS…`: run the driver, and once stdin reaches end of file (on stop(),
// and whenever this Node process ends, even killed outright) end its whole process group: the
// driver, the browser it started, and Xvfb with xvfb-run (which, signalled itself, would leave
// its command running). The watcher ignores the TERM it sends so it can follow with KILL.
const WRAPPER = `
exec 3<&0
"$@" 3<&- &
driver=$!
( trap '' TERM; read -r _ignored <&3; kill -TERM 0; sleep 3; kill -KILL 0 ) >/dev/null 2>&1 &
exec 3<&-
wait "$driver"
`;

/** An error answered by the driver, with the W3C error code (`no such element`, …) kept. */
export class WebDriverError extends Error {
  constructor(command, status, value) {
    super(`${command}: ${value?.error ?? `HTTP ${status}`}: ${value?.message ?? JSON.stringify(value)}`);
    this.code = value?.error;
  }
}

/** One HTTP command to the driver; resolves to the answer's `value`. */
async function command(base, method, path, body, timeout = COMMAND_TIMEOUT_MS) {
  const what = `${method} ${path}`;
  const response = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json; charset=utf-8' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeout),
  });
  const text = await response.text();
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${what}: HTTP ${response.status}, not JSON: ${text.slice(0, 300)}`);
  }
  if (!response.ok) throw new WebDriverError(what, response.status, parsed?.value);
  return parsed?.value;
}

/**
 * Starts a driver: `engine.driverCommand(port)` gives `[program, ...args]`. Resolves once its
 * `/status` says ready, to `{ url, engine, newSession(), stop(), log() }`.
 */
export async function startDriver(engine) {
  const port = await freePort();
  const [program, ...args] = engine.driverCommand(port);
  const child = spawn('sh', ['-c', WRAPPER, 'driver', program, ...args], {
    detached: true, // its own process group: stop() ends the driver, the browser and Xvfb together
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...(engine.env ?? {}) },
  });
  running.add(child);
  let log = '';
  const keep = (chunk) => {
    log = (log + chunk).slice(-32_000);
  };
  child.stdout.setEncoding('utf8').on('data', keep);
  child.stderr.setEncoding('utf8').on('data', keep);
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
  });
  child.unref();
  child.stdout.unref?.();
  child.stderr.unref?.();
  child.stdin.unref?.();

  const url = `http://127.0.0.1:${port}`;
  const signal = (name) => {
    try {
      process.kill(-child.pid, name);
    } catch {
      // Already gone.
    }
  };
  // The whole process group: the driver, the browser it started, and Xvfb under xvfb-run.
  const stop = async () => {
    child.stdin.end();
    if (running.has(child)) {
      signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), DRIVER_STOP_MS);
      await exited;
      clearTimeout(timer);
    }
    signal('SIGKILL');
  };
  const deadline = Date.now() + DRIVER_STARTUP_MS;
  for (;;) {
    if (!running.has(child)) throw new Error(`${program} exited before it was ready:\n${log}`);
    try {
      const status = await command(url, 'GET', '/status');
      if (status?.ready) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${program} was not ready within ${DRIVER_STARTUP_MS / 1000} s:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    engine,
    log: () => log,
    stop,
    /** A new browser session with the engine's capabilities. */
    async newSession() {
      const value = await command(url, 'POST', '/session', { capabilities: { alwaysMatch: engine.capabilities() } }, SESSION_TIMEOUT_MS);
      return new Session(url, value.sessionId, value.capabilities);
    },
  };
}

/** An element reference as WebDriver serialises it. */
function ref(element) {
  if (!element || typeof element[ELEMENT_KEY] !== 'string') throw new Error(`not an element reference: ${JSON.stringify(element)}`);
  return element[ELEMENT_KEY];
}

/** One browser session: the commands the journeys use, each a W3C endpoint. */
export class Session {
  constructor(driverUrl, id, capabilities) {
    this.base = `${driverUrl}/session/${id}`;
    this.driverUrl = driverUrl;
    this.id = id;
    this.capabilities = capabilities;
  }

  /** `browserName browserVersion`, as the driver reports them. */
  get browser() {
    return `${this.capabilities.browserName} ${this.capabilities.browserVersion}`;
  }

  send(method, path, body) {
    return command(this.base, method, path, body);
  }

  /** Goes to `url` and waits for its load event (the default page load strategy). */
  navigate(url) {
    return this.send('POST', '/url', { url });
  }

  currentUrl() {
    return this.send('GET', '/url');
  }

  /** Sets the window's inner size where the engine allows (headless Firefox and MiniBrowser both do). */
  async setWindowSize(width, height) {
    await this.send('POST', '/window/rect', { width, height });
    // The rect is the outer window: correct by the frame's size until the page sees the size
    // asked for. Under Xvfb a resize can land a moment after the command returns, so a size
    // read at once may still be the old one; correcting again converges. A browser that will
    // not go smaller (MiniBrowser stops at 447 px wide) keeps its size: stop when a correction
    // changes nothing, and answer with the size the page really has.
    const inner = () => this.execute('return [window.innerWidth, window.innerHeight]');
    let seen = await inner();
    for (let attempt = 0; attempt < 20 && (seen[0] !== width || seen[1] !== height); attempt++) {
      const rect = await this.send('GET', '/window/rect');
      await this.send('POST', '/window/rect', { width: rect.width + width - seen[0], height: rect.height + height - seen[1] });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const now = await inner();
      if (now[0] === seen[0] && now[1] === seen[1] && attempt > 0) break;
      seen = now;
    }
    return seen;
  }

  /**
   * Runs `script` (a function body, or a function whose source is sent) in the page with
   * `args`; element references pass both ways, including elements inside open shadow roots.
   */
  execute(script, ...args) {
    const body = typeof script === 'function' ? `return (${script}).apply(null, arguments);` : script;
    return this.send('POST', '/execute/sync', { script: body, args });
  }

  /** Like execute, for an async function: its promise's value is the result. */
  executeAsync(fn, ...args) {
    const body = `const done = arguments[arguments.length - 1];
Promise.resolve().then(() => (${fn}).apply(null, Array.prototype.slice.call(arguments, 0, -1)))
  .then((value) => done({ ok: true, value }), (error) => done({ ok: false, error: String(error && error.stack || error) }));`;
    return this.send('POST', '/execute/async', { script: body, args }).then((result) => {
      if (!result?.ok) throw new Error(`script failed in the page: ${result?.error}`);
      return result.value;
    });
  }

  /** Sets the script timeout (ms) for executeAsync. */
  setScriptTimeout(ms) {
    return this.send('POST', '/timeouts', { script: ms });
  }

  /** The first element matching a CSS selector in the document (not in shadow roots). */
  findCss(selector) {
    return this.send('POST', '/element', { using: 'css selector', value: selector });
  }

  /**
   * A press and release of the primary pointer at the centre of `element` (scrolled into view
   * first), in one action sequence with its own pointer-up: what a person's click or tap does.
   * `pointerType` "touch" taps.
   */
  async click(element, { pointerType = 'mouse' } = {}) {
    await this.scrollIntoView(element);
    await this.send('POST', '/actions', {
      actions: [
        {
          type: 'pointer',
          id: pointerType === 'touch' ? 'finger' : 'mouse',
          parameters: { pointerType },
          actions: [
            { type: 'pointerMove', duration: 0, origin: { [ELEMENT_KEY]: ref(element) }, x: 0, y: 0 },
            { type: 'pointerDown', button: 0 },
            { type: 'pointerUp', button: 0 },
          ],
        },
      ],
    });
  }

  /** Focuses `element` by clicking it, then types `text` into it with real key events. */
  async type(element, text) {
    await this.send('POST', `/element/${ref(element)}/value`, { text });
  }

  /**
   * Presses keys: each item of `keys` is a key (a character or a `Key` code), or an array of
   * keys held together (["Shift", "Tab"] for Shift+Tab). Every key pressed is released in the
   * same sequence.
   */
  async press(...keys) {
    const actions = [];
    for (const item of keys) {
      const chord = (Array.isArray(item) ? item : [item]).map((k) => Key[k] ?? k);
      for (const value of chord) actions.push({ type: 'keyDown', value });
      for (const value of [...chord].reverse()) actions.push({ type: 'keyUp', value });
    }
    await this.send('POST', '/actions', { actions: [{ type: 'key', id: 'keyboard', actions }] });
  }

  /** Scrolls `element` to the middle of the viewport. */
  scrollIntoView(element) {
    return this.execute('arguments[0].scrollIntoView({ block: "center", inline: "center" })', element);
  }

  /** A PNG of the viewport. */
  async screenshot() {
    return Buffer.from(await this.send('GET', '/screenshot'), 'base64');
  }

  /** A PNG of `element`, scrolled into view first (off-screen ones come back black in WebKit). */
  async elementScreenshot(element) {
    await this.scrollIntoView(element);
    return Buffer.from(await this.send('GET', `/element/${ref(element)}/screenshot`), 'base64');
  }

  /** Ends the session and closes the browser. */
  async close() {
    try {
      await command(this.driverUrl, 'DELETE', `/session/${this.id}`);
    } catch {
      // The browser is gone already; the driver's stop() ends whatever is left.
    }
  }
}
