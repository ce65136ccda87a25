// Starts the real demo server (target/debug/survey-demo) on a free loopback port with a fresh
// data directory, and reads what it stored through the admin export.
//
// The server always stops by itself: it runs under a small shell wrapper that kills it when
// our end of its stdin closes, which happens on stop(), on normal exit and even when this
// Node process is killed outright.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = path.resolve(fileURLToPath(new URL('../../..', import.meta.url)));

const STARTUP_DEADLINE_MS = 30_000;
const STOP_DEADLINE_MS = 5_000;
const LISTENING = /survey-demo listening on (http:\/\/127\.0\.0\.1:\d+)/;

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

const running = new Set();
process.on('exit', () => {
  for (const child of running) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
});

function serverBinary() {
  if (process.env.SURVEY_DEMO_BIN) return process.env.SURVEY_DEMO_BIN;
  const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(ROOT, 'target');
  return path.join(targetDir, 'debug', 'survey-demo');
}

/**
 * Starts the demo server and waits until `GET /healthz` answers 200.
 *
 * @param {{ env?: Record<string, string> }} [options] extra environment for the server
 * @returns {Promise<{ url: string, token: string, dataDir: string, stderr: () => string, stop: () => Promise<void> }>}
 */
export async function startServer({ env = {} } = {}) {
  const binary = serverBinary();
  if (!existsSync(binary)) {
    throw new Error(`${binary} does not exist: build it first with \`cargo build -p survey-demo\``);
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), 'survey-e2e-'));
  const token = `e2e-${randomBytes(16).toString('hex')}`;

  const child = spawn('sh', ['-c', WRAPPER, binary], {
    cwd: ROOT,
    detached: true, // its own process group, so stop() can end the wrapper and the server together
    stdio: ['pipe', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PORT: '0',
      DATA_DIR: dataDir,
      SURVEYS_DIR: path.join(ROOT, 'demo', 'surveys'),
      DIST_DIR: path.join(ROOT, 'dist', 'survey-widget'),
      SITE_DIR: path.join(ROOT, 'demo', 'site'),
      ADMIN_TOKEN: token,
      ALLOWED_ORIGINS: '',
      ...env,
    },
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
    `\n--- server stdout ---\n${stdout.trimEnd()}\n--- server stderr ---\n${stderr.trimEnd()}\n---`;

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
    rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + STARTUP_DEADLINE_MS;
  try {
    const url = await new Promise((resolve, reject) => {
      const lines = createInterface({ input: child.stdout });
      let found = false;
      lines.on('line', (line) => {
        stdout = (stdout + line + '\n').slice(-64_000);
        const match = LISTENING.exec(line);
        if (match && !found) {
          found = true;
          resolve(match[1]);
        }
      });
      exited.then(({ code, signal }) =>
        reject(new Error(`survey-demo exited (code ${code}, signal ${signal}) before it was listening${describe()}`)),
      );
      const timer = setTimeout(
        () => reject(new Error(`survey-demo did not print "survey-demo listening on …" within ${STARTUP_DEADLINE_MS / 1000} s${describe()}`)),
        STARTUP_DEADLINE_MS,
      );
      timer.unref();
    });

    // Listening is not the same as ready: poll /healthz until 200, within the same deadline.
    let last = 'no answer';
    for (;;) {
      try {
        const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
        if (res.status === 200) break;
        last = `HTTP ${res.status}`;
      } catch (error) {
        last = String(error?.cause?.code ?? error);
      }
      if (!running.has(child)) throw new Error(`survey-demo exited while starting${describe()}`);
      if (Date.now() > deadline) {
        throw new Error(`GET ${url}/healthz did not answer 200 within ${STARTUP_DEADLINE_MS / 1000} s (last: ${last})${describe()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    // Nothing here may keep the test process alive if a test forgets stop(): the exit handler
    // above cleans up.
    child.unref();
    child.stdout.unref?.();
    child.stderr.unref?.();
    child.stdin.unref?.();
    return { url, token, dataDir, stderr: () => stderr, stop };
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
