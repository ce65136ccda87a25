// The fixture every end-to-end file needs: the collector and the demo site (on two origins, see
// server.mjs) and one Chromium for the file's tests, started before them and always stopped after.

import { after, before } from 'node:test';
import { startServer } from './server.mjs';
import { launchBrowser } from './browser.mjs';

/** Registers before/after hooks; the returned object's `server` and `browser` are set once the tests run. */
export function serverAndBrowser(serverOptions) {
  const suite = { server: undefined, browser: undefined };
  before(async () => {
    suite.server = await startServer(serverOptions);
    suite.browser = await launchBrowser();
  });
  after(async () => {
    await suite.browser?.close();
    await suite.server?.stop();
  });
  return suite;
}
