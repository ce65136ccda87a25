// The fixture of every file in tests/e2e/engines/: for each engine E2E_ENGINES selects
// (lib/webdriver-engines.mjs), a describe block with its own servers (lib/webdriver-server.mjs),
// driver and browser session, started before its tests and always stopped after them, even
// when a test fails; and a test wrapper that saves the screen and the page on failure.

import { after, before, describe, test } from 'node:test';
import { startDriver } from './webdriver.mjs';
import { selectedEngines } from './webdriver-engines.mjs';
import { startGatedServer } from './webdriver-server.mjs';
import { saveFailure } from './webdriver-pages.mjs';

/** The longest one journey may take in one engine. */
export const JOURNEY_TIMEOUT_MS = 240_000;

/**
 * Calls `body(suite, engine)` inside `describe(engine.label)` for each selected engine.
 * `suite.server`, `suite.driver` and `suite.session` are set once the tests run.
 * `serverOptions` goes to startGatedServer (extra pages).
 */
export function forEachEngine(serverOptions, body) {
  for (const engine of selectedEngines()) {
    describe(engine.label, () => {
      const suite = { engine, server: undefined, driver: undefined, session: undefined };
      before(async () => {
        suite.server = await startGatedServer(serverOptions);
        suite.driver = await startDriver(engine);
        suite.session = await suite.driver.newSession();
      });
      after(async () => {
        await suite.session?.close();
        await suite.driver?.stop();
        await suite.server?.stop();
      });
      body(suite, engine);
    });
  }
}

/** A test that saves `artifacts/ENGINE-NAME-failure.{png,html}` when it fails. */
export function journey(suite, name, fn, { timeout = JOURNEY_TIMEOUT_MS } = {}) {
  test(name, { timeout }, async () => {
    try {
      await fn();
    } catch (error) {
      if (suite.session) await saveFailure(suite.session, `${suite.engine.name} ${name}`.slice(0, 80), suite.server?.gate.requests);
      throw error;
    }
  });
}
