// Waiting for conditions, never for fixed times. playwright-core has no `expect`, so this is
// the small part of it the tests need: retry an assertion until it passes or a deadline ends.

import { ACTION_TIMEOUT_MS } from './browser.mjs';

const POLL_MS = 50;

/**
 * Calls `assertion` until it stops throwing, and returns its result. After `timeout` ms the
 * last error is thrown, prefixed with `message` when given.
 */
export async function eventually(assertion, { timeout = ACTION_TIMEOUT_MS, message } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() > deadline) {
        if (message) error.message = `${message} (after ${timeout} ms): ${error.message}`;
        throw error;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
