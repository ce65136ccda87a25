// k. "Never lose an answer, never store one twice", measured. Respondents answer a short survey
//    in real tabs while a fault injector in front of the real collector fails most POSTs (500,
//    503, timeouts, dropped connections, hangs, and answers lost after the response was stored),
//    and for a while every device is fully offline and pages are reloaded. At the end the
//    collector must hold exactly one response per submission made, each with the answers its
//    respondent gave, and no device may keep anything in its outbox.
//
//    The faults come from a seeded generator: the seed is printed, and FAULT_SEED=n replays the
//    same sequence of decisions (the interleaving of tabs still depends on timing).
//
//    Devices are browser contexts; tabs of one device share localStorage, and so the outbox,
//    as real tabs do. "home" has two tabs on purpose: a reloaded tab shows (and sends) the first
//    pending submission of the survey in the shared outbox, which may be the other tab's, and a
//    pending submission that neither tab shows must still be sent while both stay open.
//
//    A tab is reused by respondent after respondent: after each one presses "Send answers" the
//    page is reloaded for the next, so a queued submission has to survive the reload; a tab
//    that then shows it queued waits, without further reloads, until the widget delivers it.
//
//    Two collector instances on one PostgreSQL database take the answers, as behind a load
//    balancer: the injector forwards each POST it lets through to one and then the other, so
//    retries of one submission land on both (with TEST_DATABASE_URL, which pkg-scripts/test.sh
//    sets; without it, one collector on SQLite, and a note says so).
//
//    What the injector cannot see: a retry that the old page starts at the very moment it is
//    reloaded can escape both Playwright's routing and its offline emulation (a Chromium
//    artefact). The collector then stores it without the injector having decided anything; the
//    summary counts those, and every assertion about what was stored reads the collector.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, postgresAvailable, startServer, storedResponses, storedResponsesCsv } from './lib/server.mjs';
import { DESKTOP, launchBrowser, openPage, screenshot, withArtifactsOnFailure } from './lib/browser.mjs';
import { UUID_V4, choose, findButton, findField, findHeading, findQuestion, findRadio, typeInto } from './lib/pages.mjs';
import { eventually } from './lib/wait.mjs';
import { outboxEntries, outboxIds, outboxKeys } from './lib/outbox.mjs';
import { allowMadeUpPages, serverCsp } from './lib/embed.mjs';

const SURVEY = 'quick-check';
const SURVEYS_DIR = path.join(ROOT, 'tests', 'e2e', 'fixtures', 'surveys');
const REQUEST_TIMEOUT_MS = 1_500;

/** What the quick-check survey says (tests/e2e/fixtures/surveys/quick-check.json). */
const QC = {
  visit: 'How was your visit today?',
  note: 'Anything else you want to tell us?',
  options: [
    { value: 'good', label: 'Good' },
    { value: 'okay', label: 'Okay' },
    { value: 'poor', label: 'Poor' },
  ],
  completion: 'Thank you, that is all',
};
const QUEUED = 'Your answers are saved on this device';
const SEND = 'Send answers';

/** Devices (browser contexts) and their tabs. */
const DEVICES = [
  { name: 'home', tabs: 2 },
  { name: 'library', tabs: 1 },
  { name: 'phone', tabs: 1 },
];

/** Respondents before the outage, during it (one per tab), and in all. */
const BEFORE_OUTAGE = 24;
const TOTAL = 56;

/** The injector fails at least this share of the POSTs that reach it (offline ones aside). */
const FAILURE_TARGET = 0.58;
const FAILURE_PROBABILITY = 0.62;
/**
 * After this many failures in a row for one submission from one page, its next attempt goes
 * through. It bounds the widget's backoff (1-2 s, 2-4 s, 4-8 s, ...) and so the run time.
 */
const MAX_FAILURES_IN_A_ROW = 3;
/** A hang holds the request longer than the widget's request timeout, then drops it. */
const HANG_MS = REQUEST_TIMEOUT_MS + 1_000;

const FAULTS = [
  { kind: 'http-500', weight: 18 },
  { kind: 'http-503', weight: 18 },
  { kind: 'abort-timedout', weight: 12 },
  { kind: 'abort-connectionreset', weight: 10 },
  { kind: 'abort-connectionclosed', weight: 8 },
  { kind: 'hang', weight: 8 },
  // The nastiest: the collector stores the answers, and the response never reaches the browser.
  { kind: 'stored-response-lost', weight: 26 },
];

/** How long the collector may take, after the last submission, to hold every response. */
const FINAL_DEADLINE_MS = 90_000;
/**
 * How long submissions queued offline may take to arrive once the network is back (and the
 * endpoint healthy), with every page left open and none reloaded.
 */
const AFTER_OUTAGE_DEADLINE_MS = 15_000;
/** How long one tab may wait for a queued submission it shows to be delivered. */
const QUEUED_DEADLINE_MS = 60_000;

// A page on the site (served with the site's own policy), the widget, the survey and the
// endpoint on the collector at `collector`, as on the real pages.
const PAGE_PATH = '/fault/visit.html';
const visitPage = (collector) => `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Your visit</title>
  <script src="${collector}/survey-widget/survey-widget.js" async></script>
</head>
<body>
  <main>
    <h1>Your visit</h1>
    <survey-widget src="${collector}/surveys/${SURVEY}.json" endpoint="${collector}/api/responses" request-timeout="${REQUEST_TIMEOUT_MS}"></survey-widget>
  </main>
</body>
</html>
`;

/** mulberry32: a small seeded generator, so a run's fault decisions can be replayed. */
function generator(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = process.env.FAULT_SEED !== undefined ? Number(process.env.FAULT_SEED) >>> 0 : Math.floor(Math.random() * 2 ** 32);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Ignores the error of a route call made after the page went away (reload, timeout, abort). */
const quietly = (promise) => promise.catch(() => {});

/**
 * Everything that decides and records what happens to POST /api/responses: one instance for
 * the whole run, shared by every device.
 */
class Injector {
  /**
   * `site` is the origin of the pages: injected answers carry the CORS header the collector gives
   * it. `collectors` are the instances' origins: what goes through is forwarded to each in turn.
   */
  constructor(seed, site, collectors) {
    this.random = generator(seed);
    this.cors = { 'Access-Control-Allow-Origin': site, Vary: 'Origin' };
    this.attempts = []; // { id, tab, load, device, kind, at (ms), status?, reference? }
    this.failuresInARow = new Map(); // submission id and page -> injected failures since its last success
    this.answered = new Map(); // submission id -> [{ status, reference, at }] as the collector answered
    this.bodies = new Map(); // submission id -> Set of request bodies
    this.offline = new Set(); // names of the devices that are offline now
    this.calm = false; // while true, everything that reaches the injector goes through
    this.started = Date.now();
    this.collectors = collectors;
    this.forwarded = 0;
  }

  /**
   * Sends a POST on to the next collector instance in turn, and records which on `attempt`.
   * Resolves to the collector's answer.
   */
  forward(route, attempt) {
    attempt.instance = this.forwarded % this.collectors.length;
    this.forwarded += 1;
    return route.fetch({ url: `${this.collectors[attempt.instance]}/api/responses` });
  }

  injected() {
    return this.attempts.filter((attempt) => attempt.kind !== 'offline');
  }

  failureRate() {
    const injected = this.injected();
    if (injected.length === 0) return 1;
    return injected.filter((attempt) => attempt.kind !== 'pass').length / injected.length;
  }

  decide(streak) {
    const roll = this.random();
    const pick = this.random();
    if (this.calm) return 'pass';
    const inARow = this.failuresInARow.get(streak) ?? 0;
    if (inARow >= MAX_FAILURES_IN_A_ROW) return 'pass';
    if (roll >= FAILURE_PROBABILITY && this.failureRate() >= FAILURE_TARGET) return 'pass';
    const total = FAULTS.reduce((sum, fault) => sum + fault.weight, 0);
    let at = pick * total;
    for (const fault of FAULTS) {
      at -= fault.weight;
      if (at < 0) return fault.kind;
    }
    return FAULTS[FAULTS.length - 1].kind;
  }

  async collectorAnswer(id, response) {
    let reference = null;
    try {
      reference = JSON.parse(await response.text())?.reference ?? null;
    } catch {
      // Not JSON: recorded without a reference.
    }
    const answers = this.answered.get(id) ?? [];
    answers.push({ status: response.status(), reference, at: Date.now() - this.started });
    this.answered.set(id, answers);
    return reference;
  }

  /**
   * The handler for one device's context. `tabOf(page)` names the tab a request came from and
   * counts its page loads so far.
   */
  handler(device, tabOf) {
    return async (route) => {
      const request = route.request();
      if (request.method() !== 'POST') return route.continue();
      const id = request.headers()['idempotency-key'] ?? '(none)';
      const bodies = this.bodies.get(id) ?? new Set();
      bodies.add(request.postData());
      this.bodies.set(id, bodies);
      let tab = { name: '?', loads: null };
      try {
        tab = tabOf(request.frame().page());
      } catch {
        // The page is already gone.
      }
      const attempt = { id, tab: tab.name, load: tab.loads, device, kind: 'offline', at: Date.now() - this.started };
      this.attempts.push(attempt);

      if (this.offline.has(device)) {
        // The device is offline (context.setOffline): fail it as the browser does. With
        // route.continue() the browser would fail it too, except one continued just before the
        // device comes back, which can reach the collector unrecorded.
        return quietly(route.abort('internetdisconnected'));
      }
      // Failures in a row are counted per page: each page backs off on its own schedule.
      const streak = `${id} ${tab.name} ${tab.loads}`;
      const kind = this.decide(streak);
      attempt.kind = kind;
      if (kind === 'pass') this.failuresInARow.set(streak, 0);
      else this.failuresInARow.set(streak, (this.failuresInARow.get(streak) ?? 0) + 1);

      switch (kind) {
        case 'http-500':
          // With the collector's CORS header, so the page reads an HTTP error, not a network one.
          return quietly(route.fulfill({ status: 500, contentType: 'text/plain', headers: this.cors, body: 'injected: internal error' }));
        case 'http-503':
          return quietly(
            route.fulfill({ status: 503, contentType: 'text/plain', headers: { ...this.cors, 'Retry-After': '1' }, body: 'injected: unavailable' }),
          );
        case 'abort-timedout':
          return quietly(route.abort('timedout'));
        case 'abort-connectionreset':
          return quietly(route.abort('connectionreset'));
        case 'abort-connectionclosed':
          return quietly(route.abort('connectionclosed'));
        case 'hang':
          // Longer than the widget's request timeout; if the widget gives up first, the abort
          // below finds the request gone, which is fine.
          await sleep(HANG_MS);
          return quietly(route.abort('timedout'));
        case 'stored-response-lost': {
          try {
            const response = await this.forward(route, attempt);
            attempt.status = response.status();
            attempt.reference = await this.collectorAnswer(id, response);
          } catch (error) {
            attempt.error = String(error.message ?? error);
          }
          return quietly(route.abort('connectionreset'));
        }
        case 'pass': {
          let response;
          try {
            response = await this.forward(route, attempt);
          } catch (error) {
            attempt.error = String(error.message ?? error);
            return quietly(route.abort('failed'));
          }
          attempt.status = response.status();
          attempt.reference = await this.collectorAnswer(id, response);
          return quietly(route.fulfill({ response }));
        }
        default:
          throw new Error(`unknown fault ${kind}`);
      }
    };
  }
}

let server;
let browser;

before(async () => {
  if (!postgresAvailable()) {
    console.log('note: TEST_DATABASE_URL is not set: one collector on SQLite takes the answers, not two on PostgreSQL');
  }
  server = await startServer({ env: { SURVEYS_DIR }, instances: postgresAvailable() ? 2 : 1 });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test(
  `${TOTAL} respondents, most POSTs failing and an outage with reloads: every answer stored exactly once`,
  { timeout: 240_000 },
  async () => {
    const started = Date.now();
    const timeoutSupported = /request-timeout|request_timeout/.test(
      readFileSync(path.join(ROOT, 'dist', 'survey-widget', 'index.mjs'), 'utf8'),
    );
    console.log(`fault injection: FAULT_SEED=${SEED} (replay with FAULT_SEED=${SEED})`);
    console.log(
      `the bundle ${timeoutSupported ? 'reads' : 'does NOT read'} the request-timeout attribute` +
        (timeoutSupported ? ` (${REQUEST_TIMEOUT_MS} ms)` : ': the widget waits up to its 20 s default, and hangs end when the injector drops them'),
    );
    const injector = new Injector(SEED, server.site, server.urls);
    console.log(`collectors: ${server.urls.join(' and ')}${server.urls.length > 1 ? ', one PostgreSQL database' : ', SQLite'}`);
    const csp = await serverCsp(server);
    /** Problems found on the way; the run goes on to measure the rest, and fails at the end. */
    const violations = [];

    // ------------------------------------------------------------------ devices and tabs ---
    const cache = new Map(); // URL -> { status, headers, body }: what a reload gets offline
    const tabs = [];
    const devices = [];
    const tabOf = (page) => {
      const tab = tabs.find((candidate) => candidate.page === page);
      return { name: tab?.name ?? '?', loads: tab?.loads ?? null };
    };
    for (const spec of DEVICES) {
      const { context, page: first } = await openPage(browser, DESKTOP);
      const device = { name: spec.name, context, tabs: [] };
      devices.push(device);
      await context.route(`${server.url}/api/responses`, injector.handler(spec.name, tabOf));
      await allowMadeUpPages(context, server);
      await context.route(`${server.site}${PAGE_PATH}`, (route) =>
        route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', headers: { 'Content-Security-Policy': csp }, body: visitPage(server.url) }),
      );
      // The widget's files and the definition: fetched while online and kept, so a reload
      // while offline gets them from the copy, as it would from a service worker's cache.
      await context.route(
        (url) => url.origin === server.url && (url.pathname.startsWith('/survey-widget/') || url.pathname.startsWith('/surveys/')),
        async (route) => {
          const url = route.request().url();
          if (injector.offline.has(spec.name)) {
            const kept = cache.get(url);
            return kept ? quietly(route.fulfill(kept)) : quietly(route.abort('internetdisconnected'));
          }
          try {
            const response = await route.fetch();
            const kept = { status: response.status(), headers: response.headers(), body: await response.body() };
            if (kept.status === 200) cache.set(url, kept);
            return quietly(route.fulfill(kept));
          } catch {
            return quietly(route.abort('failed'));
          }
        },
      );
      for (let index = 0; index < spec.tabs; index++) {
        const page = index === 0 ? first : await context.newPage();
        const tab = {
          name: spec.tabs > 1 ? `${spec.name}-${index + 1}` : spec.name,
          device,
          page,
          widget: page.locator('survey-widget'),
          uncaught: [],
          warnings: [],
          loads: 0,
          foreignResumes: 0,
          own: null, // the submission id of this tab's latest respondent
        };
        page.on('pageerror', (error) => tab.uncaught.push(error.message));
        page.on('console', (message) => {
          if (/survey-widget stopped/.test(message.text())) tab.uncaught.push(message.text());
          if (/survey-widget/.test(message.text())) tab.warnings.push(`${tab.loads}: ${message.text()}`);
        });
        device.tabs.push(tab);
        tabs.push(tab);
      }
    }
    const setOffline = async (offline) => {
      for (const device of devices) {
        if (offline) {
          await device.context.setOffline(true);
          injector.offline.add(device.name);
        } else {
          injector.offline.delete(device.name);
          await device.context.setOffline(false);
        }
      }
    };

    // ---------------------------------------------------------------------- respondents ---
    /** submission id -> { respondent, tab, answers, during } */
    const expected = new Map();
    let next = 1;
    const respondentAnswers = (n) => {
      const option = QC.options[Math.floor(generator(SEED ^ (n * 2654435761))() * QC.options.length)];
      return { option, answers: { visit: option.value, note: `respondent-${n}` } };
    };

    const load = async (tab) => {
      tab.loads += 1;
      if (tab.loads === 1) await tab.page.goto(`${server.site}${PAGE_PATH}`);
      else await tab.page.reload();
    };

    /** What the tab's widget shows once it has settled: 'form', 'queued' or 'complete'. */
    const screen = async (tab, timeout = 20_000) => {
      const complete = findHeading(tab.widget, QC.completion);
      const queued = findHeading(tab.widget, QUEUED);
      const form = findButton(tab.widget, SEND);
      try {
        return await eventually(
          async () => {
            if (await complete.isVisible()) return 'complete';
            if (await queued.isVisible()) return 'queued';
            if (await form.isVisible()) return 'form';
            throw new Error('not settled');
          },
          { timeout },
        );
      } catch (error) {
        const shown = await tab.widget
          .evaluate((host) => window.__e2e.text(host.shadowRoot ?? host))
          .catch((e) => `(unreadable: ${e.message})`);
        throw new Error(
          `${tab.name}: after ${timeout / 1000} s the widget shows neither a form, nor a queued submission, nor a ` +
            `confirmation, but: "${shown}"; page load ${tab.loads}; the widget said: ${JSON.stringify(tab.warnings.slice(-5))}; ` +
            `its latest POSTs: ${JSON.stringify(injector.attempts.filter((a) => a.tab === tab.name).slice(-4))}`,
          { cause: error },
        );
      }
    };

    /** The submission a page delivered or queued, from the widget's events. */
    const handledBy = (tab) =>
      tab.page.evaluate(() => {
        const event = window.__e2e.events.find((e) => e.type === 'survey:complete' || e.type === 'survey:queued');
        return event?.detail?.submission_id ?? null;
      });

    /**
     * Reloads until the tab offers a fresh form. A tab that shows a queued submission (its own,
     * or on a shared device another tab's) is left to deliver it by itself first.
     */
    const freshForm = async (tab) => {
      for (let round = 0; round < 20; round++) {
        const shown = await screen(tab);
        if (shown === 'form') return;
        if (shown === 'queued') {
          try {
            await eventually(async () => assert.equal(await screen(tab), 'complete'), { timeout: QUEUED_DEADLINE_MS });
          } catch (error) {
            const id = await handledBy(tab).catch(() => null);
            const outbox = await outboxEntries(tab.page).then(JSON.stringify, () => null);
            throw new Error(
              `${tab.name}: the queued submission ${id} was not delivered within ${QUEUED_DEADLINE_MS / 1000} s; ` +
                `its POSTs: ${JSON.stringify(injector.attempts.filter((a) => a.id === id))}; outbox: ${outbox}; ` +
                `the widget said: ${JSON.stringify(tab.warnings.slice(-5))}`,
              { cause: error },
            );
          }
          const id = await handledBy(tab);
          if (id && id !== tab.own) tab.foreignResumes += 1;
        }
        await load(tab);
      }
      throw new Error(`${tab.name}: no fresh form after 20 reloads`);
    };

    /** One respondent answers in the tab and presses "Send answers". Returns what they see. */
    const respond = async (tab, n, during) => {
      const { option, answers } = respondentAnswers(n);
      const visit = findQuestion(tab.widget, QC.visit);
      await choose(findRadio(visit, option.label));
      await typeInto(findField(tab.widget, QC.note), answers.note);
      await findButton(tab.widget, SEND).click();
      const id = await eventually(async () => {
        const found = await tab.page.evaluate(() => window.__e2e.events.find((e) => e.type === 'survey:submit')?.detail?.submission_id);
        assert.ok(found, 'survey:submit was not dispatched');
        return found;
      });
      assert.match(id, UUID_V4, `${tab.name}: submission_id is a UUID v4`);
      assert.ok(!expected.has(id), `${tab.name}: respondent ${n} got the submission id of an earlier submission`);
      expected.set(id, { respondent: n, tab: tab.name, device: tab.device.name, answers, during });
      tab.own = id;
      // Sending can take a hang plus the widget's timeout.
      let shown = await screen(tab, HANG_MS + 25_000);
      if (shown === 'form') {
        shown = await eventually(async () => {
          const now = await screen(tab);
          assert.notEqual(now, 'form', 'still sending');
          return now;
        }, { timeout: HANG_MS + 25_000 });
      }
      if (shown === 'complete') {
        // The reference shown is the one the collector gave this submission.
        const text = await tab.widget.getByText(/Your reference is/).first().textContent();
        const shownReference = /Your reference is\s*:?\s*([A-Z0-9][A-Z0-9-]{3,})/i.exec(text ?? '')?.[1];
        const given = (injector.answered.get(id) ?? []).map((answer) => answer.reference);
        if (!given.includes(shownReference)) {
          violations.push(`${tab.name}: respondent ${n} (${id}) was shown reference ${shownReference}, the collector gave ${JSON.stringify(given)}`);
        }
      }
      return { id, shown };
    };

    /**
     * A tab's loop: respondents take turns until `last`, each followed by a reload. With
     * `settle`, the tab ends on a fresh form (everything it showed delivered); without, it is
     * left as the last reload found it, a queued submission included.
     */
    const serve = async (tab, last, { settle }) => {
      for (;;) {
        if (!settle && next > last) return;
        await freshForm(tab);
        if (next > last) return;
        const n = next++;
        await respond(tab, n, 'online');
        // The next visitor opens the page; a queued submission must survive it.
        await load(tab);
      }
    };

    const outage = {};
    const withArtifacts = (body) =>
      withArtifactsOnFailure(tabs[0].page, 'k fault injection', body).catch(async (error) => {
        for (const tab of tabs.slice(1)) {
          await screenshot(tab.page, `k fault injection ${tab.name} failure`).catch(() => {});
        }
        throw error;
      });

    await withArtifacts(async () => {
      for (const tab of tabs) await load(tab);

      // ------------------------------------------------------------- 1. faults, online ---
      await Promise.all(tabs.map((tab) => serve(tab, BEFORE_OUTAGE, { settle: true })));
      const beforeOutage = next - 1;

      // ------------------------------------------------------------------- 2. outage ---
      // Every tab offers a fresh form (serve() ends there); then the network goes.
      await setOffline(true);
      outage.started = Date.now();
      outage.ids = [];
      for (const tab of tabs) {
        const n = next++;
        const { id, shown } = await respond(tab, n, 'offline');
        outage.ids.push(id);
        assert.equal(shown, 'queued', `${tab.name}: offline, respondent ${n} sees "${QUEUED}"`);
      }
      await screenshot(tabs[0].page, 'k 01 queued while offline');
      for (const device of devices) {
        const kept = await outboxIds(device.tabs[0].page);
        const mine = outage.ids.filter((id) => expected.get(id).device === device.name);
        assert.deepEqual([...kept].sort(), [...mine].sort(), `${device.name}: the outbox holds exactly the submissions made offline on it`);
      }
      // Reloads while still offline (pages come from the kept copy): each shows a pending
      // submission again, which the widget tries at once and fails to send.
      for (const tab of tabs) {
        const before = injector.attempts.length;
        await load(tab);
        assert.equal(await screen(tab), 'queued', `${tab.name}: after an offline reload the submission shows as queued`);
        await eventually(() => assert.ok(injector.attempts.slice(before).some((a) => a.tab === tab.name && a.kind === 'offline')), {
          message: `${tab.name}: the reloaded page tried to send the pending submission`,
        });
        await screen(tab).then((shown) => assert.equal(shown, 'queued'));
      }
      // One more reload of the first tab, still offline.
      await load(tabs[0]);
      assert.equal(await screen(tabs[0]), 'queued');
      await screenshot(tabs[0].page, 'k 02 queued after an offline reload');
      outage.offlineAttempts = injector.attempts.filter((a) => a.kind === 'offline').length;

      // Back online: the pages still open deliver what they hold (the `online` event), and
      // every submission made offline must arrive without anyone reloading. The endpoint is
      // healthy for that moment, so what is measured is the recovery, not the backoff.
      injector.calm = true;
      outage.loadsAtOnline = Object.fromEntries(tabs.map((tab) => [tab.name, tab.loads]));
      await setOffline(false);
      outage.ended = Date.now();
      const arrived = async () => {
        const stored = new Set((await storedResponses(server, SURVEY)).map((r) => r.submission_id));
        return outage.ids.filter((id) => !stored.has(id));
      };
      try {
        await eventually(async () => assert.deepEqual(await arrived(), []), { timeout: AFTER_OUTAGE_DEADLINE_MS });
        outage.deliveredAfterMs = Date.now() - outage.ended;
      } catch {
        const missing = await arrived();
        const outboxes = {};
        for (const device of devices) {
          outboxes[device.name] = await outboxIds(device.tabs[0].page);
        }
        const shows = {};
        for (const tab of tabs) shows[tab.name] = `${await screen(tab)} ${await handledBy(tab)}`;
        outage.missing = missing;
        violations.push(
          `${AFTER_OUTAGE_DEADLINE_MS / 1000} s after the network came back, with every page left open, ` +
            `${missing.length} of the ${outage.ids.length} submissions made offline were not stored: ` +
            missing.map((id) => `${id} (respondent ${expected.get(id).respondent}, tab ${expected.get(id).tab})`).join(', ') +
            `. POSTs for them since the network came back: ${JSON.stringify(
              Object.fromEntries(missing.map((id) => [id, injector.attempts.filter((a) => a.id === id && a.at > outage.ended - injector.started).length])),
            )}. Outboxes: ${JSON.stringify(outboxes)}. Tabs show: ${JSON.stringify(shows)}`,
        );
        await screenshot(tabs[0].page, 'k 03 after the outage');
      }

      injector.calm = false;

      // ------------------------------------------------------- 3. faults, online again ---
      await Promise.all(tabs.map((tab) => serve(tab, TOTAL, { settle: false })));
      assert.equal(next - 1, TOTAL);
      assert.equal(expected.size, TOTAL, 'every respondent made one submission');

      // ------------------------------------------------------------------ 4. the count ---
      // Nobody reloads any more: whatever is still pending is delivered by the widgets on
      // their own. Wait until the collector holds as many responses as were made.
      const lastSubmission = Date.now();
      const pendingAtLastSubmission = TOTAL - (await storedResponses(server, SURVEY)).length;
      let stored = [];
      try {
        await eventually(
          async () => {
            stored = await storedResponses(server, SURVEY);
            assert.ok(stored.length >= TOTAL, `${stored.length} of ${TOTAL} stored`);
          },
          { timeout: FINAL_DEADLINE_MS },
        );
      } catch (error) {
        const ids = new Set(stored.map((r) => r.submission_id));
        const missing = [...expected].filter(([id]) => !ids.has(id));
        const outboxes = {};
        for (const device of devices) {
          outboxes[device.name] = await outboxIds(device.tabs[0].page);
        }
        throw new Error(
          `${error.message} ${FINAL_DEADLINE_MS / 1000} s after the last respondent was done` +
            `\nnot stored: ${JSON.stringify(missing.map(([id, e]) => ({ id, ...e, attempts: injector.attempts.filter((a) => a.id === id) })), null, 1)}` +
            `\noutboxes: ${JSON.stringify(outboxes)}`,
          { cause: error },
        );
      }
      const settledAfterMs = Date.now() - lastSubmission;
      // Let anything still in flight land, then count again: the number must not move.
      await eventually(async () => {
        const inFlight = await Promise.all(
          devices.map((device) => outboxKeys(device.tabs[0].page)),
        );
        assert.deepEqual(inFlight, devices.map(() => []), 'an outbox is not empty');
      }, { timeout: 30_000, message: 'every outbox is empty once everything is delivered' });
      stored = await storedResponses(server, SURVEY);

      // --------------------------------------------------------------- 5. the numbers ---
      const injected = injector.injected();
      const byKind = {};
      for (const attempt of injector.attempts) byKind[attempt.kind] = (byKind[attempt.kind] ?? 0) + 1;
      const perSubmission = [...expected.keys()].map((id) => injector.attempts.filter((a) => a.id === id).length);
      const retries = perSubmission.map((count) => count - 1);
      const histogram = {};
      for (const r of retries) histogram[r] = (histogram[r] ?? 0) + 1;
      const lostButStored = injector.attempts.filter((a) => a.kind === 'stored-response-lost' && (a.status === 201 || a.status === 200));
      const rate = injector.failureRate();
      // Submissions whose first stored copy came by a request the injector never saw: a retry
      // the old page starts just as it is reloaded escapes both Playwright's routing and its
      // offline emulation (an artefact of the automation, not of the widget: it arrives with
      // the browser's default Accept-Language, not the context's); the collector stores it
      // once, and the next attempt is answered 200 with the same reference.
      const unseen = [...expected.keys()].filter((id) => !(injector.answered.get(id) ?? []).some((a) => a.status === 201));
      // Page loads that sent one pending submission twice at once (the loader's outbox flush
      // and the widget's own resume): harmless with idempotency keys, but worth seeing.
      const perLoad = new Map();
      for (const a of injector.attempts) {
        const key = `${a.id} ${a.tab} ${a.load}`;
        perLoad.set(key, [...(perLoad.get(key) ?? []), a.at]);
      }
      const doubleSendLoads = [...perLoad.values()].filter((times) => times.some((t, i) => i > 0 && t - times[i - 1] < 100)).length;
      const summary = {
        seed: SEED,
        devices: DEVICES.map((d) => `${d.name}×${d.tabs}`).join(', '),
        submissions: expected.size,
        respondents: { beforeOutage, offline: outage.ids.length, afterOutage: TOTAL - beforeOutage - outage.ids.length },
        stored: stored.length,
        postAttempts: injector.attempts.length,
        reachedInjector: injected.length,
        injectedFailures: injected.filter((a) => a.kind !== 'pass').length,
        injectedFailureRate: `${(rate * 100).toFixed(1)} %`,
        attemptsByKind: byKind,
        // What each collector instance answered to what was forwarded to it.
        answeredByInstance: server.urls.map((_, instance) => {
          const answered = injector.attempts.filter((a) => a.instance === instance && a.status !== undefined);
          return { forwarded: injector.attempts.filter((a) => a.instance === instance).length, created: answered.filter((a) => a.status === 201).length, repeated: answered.filter((a) => a.status === 200).length };
        }),
        storedThenResponseLost: lostButStored.length,
        firstStoredByARequestTheInjectorNeverSaw: unseen.length,
        // Attempts beyond the first, by every tab and page load that sent the submission.
        retriesPerSubmission: {
          mean: +(retries.reduce((s, r) => s + r, 0) / retries.length).toFixed(2),
          max: Math.max(...retries),
          histogram,
        },
        outage: {
          submissionsMadeOffline: outage.ids.length,
          offlineAttempts: outage.offlineAttempts,
          lastedMs: outage.ended - outage.started,
          allStoredAfterMs: outage.deliveredAfterMs ?? `not within ${AFTER_OUTAGE_DEADLINE_MS} ms`,
          // For any that were late: when the collector stored them after all, and how.
          late: (outage.missing ?? []).map((id) => {
            const created = (injector.answered.get(id) ?? []).find((a) => a.status === 201);
            const attempt = injector.attempts.find((a) => a.id === id && a.status === 201);
            return {
              id,
              storedMsAfterOnline: created ? created.at - (outage.ended - injector.started) : null,
              byTab: attempt?.tab ?? null,
              onThatTabsPageLoad: attempt?.load ?? null,
              outageEndedOnPageLoad: outage.loadsAtOnline?.[attempt?.tab] ?? null,
            };
          }),
        },
        pageLoads: Object.fromEntries(tabs.map((tab) => [tab.name, tab.loads])),
        pageLoadsSendingOneSubmissionTwiceAtOnce: doubleSendLoads,
        tabsShowingAnotherTabsSubmission: Object.fromEntries(tabs.map((tab) => [tab.name, tab.foreignResumes])),
        notYetStoredWhenTheLastRespondentWasDone: pendingAtLastSubmission,
        allStoredAfterLastSubmissionMs: settledAfterMs,
        runMs: Date.now() - started,
      };
      console.log(`fault injection summary:\n${JSON.stringify(summary, null, 2)}`);

      // ---------------------------------------------------------------- 6. the promise ---
      const storedIds = stored.map((r) => r.submission_id);
      assert.equal(stored.length, TOTAL, `exactly ${TOTAL} responses stored`);
      assert.equal(new Set(storedIds).size, storedIds.length, 'every stored submission_id is unique');
      const sentIds = new Set(injector.attempts.map((a) => a.id));
      assert.deepEqual([...sentIds].sort(), [...expected.keys()].sort(), 'the browser sent exactly the submissions the respondents made');
      assert.deepEqual([...storedIds].sort(), [...expected.keys()].sort(), 'the stored submissions are exactly the ones sent');
      for (const response of stored) {
        const want = expected.get(response.submission_id);
        assert.deepEqual(
          response.answers,
          want.answers,
          `respondent ${want.respondent} (${want.tab}, ${want.during}): the stored answers are the ones given`,
        );
        assert.equal(response.anonymous, true);
        assert.ok(!('context' in response), 'an anonymous response has no context');
      }
      // Every attempt of one submission carried the same bytes, and every answer from the
      // collector for it named the same reference; no two submissions share one.
      for (const [id, bodies] of injector.bodies) {
        assert.equal(bodies.size, 1, `${id}: every attempt sends the same body`);
        const [body] = bodies;
        assert.equal(JSON.parse(body).submission_id, id, `${id}: the Idempotency-Key is the submission_id`);
      }
      const referenceOf = new Map();
      for (const [id, answers] of injector.answered) {
        const references = new Set(answers.filter((a) => a.status === 200 || a.status === 201).map((a) => a.reference));
        assert.equal(references.size, 1, `${id}: the collector answered ${JSON.stringify(answers)}`);
        const statuses = answers.map((a) => a.status);
        const story = () =>
          `${JSON.stringify(expected.get(id))}; the collector answered ${JSON.stringify(answers)}; ` +
          `its POSTs: ${JSON.stringify(injector.attempts.filter((a) => a.id === id))}; the outage: ${outage.started - started}-${outage.ended - started} ms`;
        // None created, only repeated: the first copy arrived by a request the injector never
        // saw (counted in the summary). More than one created would be a duplicate.
        assert.ok(statuses.filter((s) => s === 201).length <= 1, `${id}: created at most once: ${story()}`);
        assert.ok(statuses.every((s) => s === 201 || s === 200), `${id}: only 201 and 200: ${story()}`);
        referenceOf.set(id, [...references][0]);
      }
      assert.equal(referenceOf.size, TOTAL, 'the collector answered every submission at least once with its reference');
      assert.equal(new Set(referenceOf.values()).size, referenceOf.size, 'no two submissions share a reference');
      const csv = (await storedResponsesCsv(server, SURVEY)).split(/\r?\n/).filter((line) => line.trim() !== '');
      assert.equal(csv.length, TOTAL + 1, 'the CSV has a header and one row per response');
      for (const reference of referenceOf.values()) {
        assert.equal(csv.filter((line) => line.includes(reference)).length, 1, `reference ${reference} is in the CSV once`);
      }

      // Every instance took a share, and they agree on what is stored: one database. Some
      // submissions were answered by both (stored by one, then a retry repeated by the other),
      // and the checks above held for them too.
      if (server.urls.length > 1) {
        const answeredByBoth = [...expected.keys()].filter(
          (id) => new Set(injector.attempts.filter((a) => a.id === id && a.status !== undefined).map((a) => a.instance)).size > 1,
        );
        console.log(`submissions answered by both collectors: ${answeredByBoth.length}`);
        assert.ok(answeredByBoth.length > 0, 'no submission was answered by both collectors: the alternation tested nothing');
      }
      for (const [instance, url] of server.urls.entries()) {
        assert.ok(
          injector.attempts.some((a) => a.instance === instance && a.status === 201),
          `collector ${url} stored some of the submissions itself`,
        );
        const seen = await storedResponses({ ...server, url }, SURVEY);
        assert.deepEqual(seen.map((r) => r.submission_id).sort(), [...storedIds].sort(), `collector ${url} sees every stored response`);
      }

      // What the promise needs measured: most requests failed, and it still held.
      assert.ok(rate >= 0.5, `the injector failed ${(rate * 100).toFixed(1)} % of the POSTs that reached it, not at least half`);
      assert.ok(lostButStored.length >= 3, `at least 3 responses were lost after their answers were stored (${lostButStored.length})`);
      for (const tab of tabs) {
        assert.deepEqual(tab.uncaught, [], `${tab.name}: no uncaught exception or widget crash`);
        assert.deepEqual(
          await tab.page.evaluate(() => Object.keys(localStorage)),
          [],
          `${tab.name}: nothing is left in localStorage`,
        );
      }
      assert.deepEqual(violations, [], 'no answer waited, went missing or was confirmed wrongly');
    });
    for (const device of devices) await device.context.close();
  },
);
