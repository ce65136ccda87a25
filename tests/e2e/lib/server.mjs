// Starts the real collector (target/debug/survey-collector) and the demo site
// (target/debug/survey-demo-site) on free loopback ports with a fresh data directory, on two
// different origins, as in production: the host pages at http://localhost:SITE, the collector
// (bundle, definitions, answers) at http://127.0.0.1:PORT. It reads what the collector stored
// through the admin export.
//
// With `instances: 2`, two collectors share one PostgreSQL database (a new one on the server
// TEST_DATABASE_URL names, dropped on stop()), as behind a load balancer; the pages use the
// first one, and a test routes requests to either.
//
// The servers always stop by themselves: each runs under a small shell wrapper that kills it
// when our end of its stdin closes, which happens on stop(), on normal exit and even when this
// Node process is killed outright.

import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = path.resolve(fileURLToPath(new URL('../../..', import.meta.url)));

const STARTUP_DEADLINE_MS = 30_000;
const STOP_DEADLINE_MS = 5_000;

// `sh -c WRAPPER BINARY`: run the server, and kill it once stdin reaches end of file. (An
// asynchronous command's stdin is /dev/null, so the watcher reads the pipe through fd 3.)
const WRAPPER = `
exec 3<&0
"$0" 3<&- &
server=$!
( read -r _ignored <&3; kill "$server" 2>/dev/null ) >/dev/null 2>&1 &
exec 3<&-
wait "$server"
`;

/** Every child process a test library started and has not seen exit: killed (with its process
 * group) when the test process exits, however it exits. lib/webdriver.mjs adds its drivers. */
export const running = new Set();
process.on('exit', () => {
  for (const child of running) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
});

function binary(name) {
  const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(ROOT, 'target');
  return path.join(targetDir, 'debug', name);
}

/** A port that was free a moment ago (for the site, whose origin the collector must know first). */
export async function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts one of the project's servers and waits for its "NAME listening on URL" line.
 * Resolves to { url, stdout, stderr, stop }. (Exported for lib/webdriver-server.mjs, which puts
 * a gate between the pages and the collector.)
 */
export async function spawnServer(name, env) {
  const program = name === 'survey-collector' ? process.env.SURVEY_COLLECTOR_BIN ?? binary(name) : binary(name);
  if (!existsSync(program)) {
    throw new Error(`${program} does not exist: build it first with \`cargo build -p ${name}\``);
  }
  const child = spawn('sh', ['-c', WRAPPER, program], {
    cwd: ROOT,
    detached: true, // its own process group, so stop() can end the wrapper and the server together
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  running.add(child);

  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-64_000);
  });
  let stdout = '';
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
  });
  const describe = () =>
    `\n--- ${name} stdout ---\n${stdout.trimEnd()}\n--- ${name} stderr ---\n${stderr.trimEnd()}\n---`;

  const stop = async () => {
    child.stdin.end();
    if (running.has(child)) {
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }, STOP_DEADLINE_MS);
      await exited;
      clearTimeout(timer);
    }
  };

  const listening = new RegExp(`^${name} listening on (http://[^\\s]+)`);
  try {
    const url = await new Promise((resolve, reject) => {
      const lines = createInterface({ input: child.stdout });
      let found = false;
      lines.on('line', (line) => {
        stdout = (stdout + line + '\n').slice(-64_000);
        const match = listening.exec(line);
        if (match && !found) {
          found = true;
          resolve(match[1]);
        }
      });
      exited.then(({ code, signal }) =>
        reject(new Error(`${name} exited (code ${code}, signal ${signal}) before it was listening${describe()}`)),
      );
      const timer = setTimeout(
        () => reject(new Error(`${name} did not print "${name} listening on …" within ${STARTUP_DEADLINE_MS / 1000} s${describe()}`)),
        STARTUP_DEADLINE_MS,
      );
      timer.unref();
    });
    // Nothing here may keep the test process alive if a test forgets stop(): the exit handler
    // above cleans up.
    child.unref();
    child.stdout.unref?.();
    child.stderr.unref?.();
    child.stdin.unref?.();
    return { url, stdout: () => stdout, stderr: () => stderr, stop, running: () => running.has(child), describe };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Whether a PostgreSQL server for tests is named (TEST_DATABASE_URL, which pkg-scripts/test.sh sets). */
export function postgresAvailable() {
  return Boolean(process.env.TEST_DATABASE_URL?.trim());
}

/** Runs one SQL statement on the TEST_DATABASE_URL server with psql. */
function onTestServer(sql) {
  execFileSync('psql', [process.env.TEST_DATABASE_URL, '-v', 'ON_ERROR_STOP=1', '-q', '-c', sql], { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** `url` with its database replaced by `name`. */
function withDatabase(url, name) {
  const [base, query] = url.split('?');
  const [scheme, rest] = base.split('://');
  const authority = rest.split('/')[0];
  return `${scheme}://${authority}/${name}${query === undefined ? '' : `?${query}`}`;
}

/** A new, empty PostgreSQL database for one run; `drop()` removes it. */
function createDatabase() {
  if (!postgresAvailable()) {
    throw new Error('two collector instances need PostgreSQL: set TEST_DATABASE_URL (pkg-scripts/pg-cluster.sh starts a server)');
  }
  const name = `survey_e2e_${process.pid}_${randomBytes(4).toString('hex')}`;
  onTestServer(`CREATE DATABASE ${name} ENCODING 'UTF8' TEMPLATE template0`);
  return {
    url: withDatabase(process.env.TEST_DATABASE_URL, name),
    drop: () => onTestServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/** Polls `GET url` until it answers 200, within the startup deadline. */
export async function waitForHealth(url, server) {
  const deadline = Date.now() + STARTUP_DEADLINE_MS;
  let last = 'no answer';
  for (;;) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) return;
      last = `HTTP ${res.status}`;
    } catch (error) {
      last = String(error?.cause?.code ?? error);
    }
    if (!server.running()) throw new Error(`the server exited while starting${server.describe()}`);
    if (Date.now() > deadline) {
      throw new Error(`GET ${url} did not answer 200 within ${STARTUP_DEADLINE_MS / 1000} s (last: ${last})${server.describe()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Starts the collector and the demo site on two origins and waits until both answer.
 *
 * `url` is the collector's origin (bundle, definitions, `/api/responses`, `/admin`, `/s/{id}`);
 * `site` is the host pages' origin (`${site}/` is the demo blog post). The collector lets the
 * site's pages post answers (ALLOWED_ORIGINS) unless `env` says otherwise.
 *
 * With `instances: 2` a second collector shares the first one's database, a new PostgreSQL
 * database on the TEST_DATABASE_URL server (an error without one: check postgresAvailable()
 * first); `urls` lists both collectors, `url` is the first, which the site's pages use.
 *
 * @param {{ env?: Record<string, string>, siteHost?: string, instances?: 1 | 2 }} [options] extra
 *   environment for the collector; the host name of the site's origin (default "localhost");
 *   how many collectors (default 1, on SQLite)
 * @returns {Promise<{ url: string, urls: string[], site: string, token: string, dataDir: string, stderr: () => string, stop: () => Promise<void> }>}
 */
export async function startServer({ env = {}, siteHost = 'localhost', instances = 1 } = {}) {
  if (instances !== 1 && instances !== 2) throw new Error(`instances must be 1 or 2, not ${instances}`);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'survey-e2e-'));
  const token = `e2e-${randomBytes(24).toString('hex')}`;
  const sitePort = await freePort();
  const site = `http://${siteHost}:${sitePort}`;
  const started = [];
  let database = null;
  const stop = async () => {
    await Promise.all(started.map((s) => s.stop()));
    database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    if (instances === 2) database = createDatabase();
    const collectorEnv = {
      PORT: '0',
      DATA_DIR: dataDir,
      SURVEYS_DIR: path.join(ROOT, 'demo', 'surveys'),
      DIST_DIR: path.join(ROOT, 'dist', 'survey-widget'),
      EDITOR_DIR: path.join(ROOT, 'dist', 'survey-editor'),
      ADMIN_TOKEN: token,
      ALLOWED_ORIGINS: site,
      // Every browser in a test is 127.0.0.1: the per-client rate limit would throttle the suite
      // (its own tests are in demo/collector/tests/limits.rs).
      RATE_LIMIT_PER_MINUTE: '0',
      ...(database ? { DATABASE_URL: database.url } : {}),
      ...env,
    };
    const collector = await spawnServer('survey-collector', collectorEnv);
    started.push(collector);
    const collectors = [collector];
    if (instances === 2) {
      const second = await spawnServer('survey-collector', collectorEnv);
      started.push(second);
      collectors.push(second);
    }
    const pages = await spawnServer('survey-demo-site', {
      PORT: String(sitePort),
      PAGES_DIR: path.join(ROOT, 'demo', 'site', 'pages'),
      COLLECTOR_URL: collector.url,
    });
    started.push(pages);
    for (const c of collectors) await waitForHealth(`${c.url}/healthz`, c);
    const stderr = () => collectors.map((c) => c.stderr()).join('');
    return { url: collector.url, urls: collectors.map((c) => c.url), site, token, dataDir, stderr, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function admin(server, surveyId, format) {
  const url = `${server.url}/admin/surveys/${encodeURIComponent(surveyId)}/responses.${format}`;
  const res = await fetch(url, { headers: { Authorization: `Bearer ${server.token}` } });
  const body = await res.text();
  if (res.status !== 200) {
    throw new Error(`GET ${url} answered ${res.status}: ${body.slice(0, 500)}`);
  }
  return body;
}

/**
 * Every response stored for a survey, from `/admin/surveys/{id}/responses.json`.
 * Accepts a bare array or an object with a `responses` array.
 */
export async function storedResponses(server, surveyId = 'digital-engagement') {
  const body = JSON.parse(await admin(server, surveyId, 'json'));
  if (Array.isArray(body)) return body;
  if (body && Array.isArray(body.responses)) return body.responses;
  throw new Error(`unexpected shape of responses.json: ${JSON.stringify(body).slice(0, 500)}`);
}

/** The CSV export, `/admin/surveys/{id}/responses.csv`, as text. */
export async function storedResponsesCsv(server, surveyId = 'digital-engagement') {
  return admin(server, surveyId, 'csv');
}

/** Checks that the admin export refuses requests without the token. */
export async function adminStatusWithoutToken(server, surveyId = 'digital-engagement') {
  const res = await fetch(`${server.url}/admin/surveys/${encodeURIComponent(surveyId)}/responses.json`);
  await res.arrayBuffer();
  return res.status;
}
