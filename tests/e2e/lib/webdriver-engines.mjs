// The engines the WebDriver journeys (tests/e2e/engines/) run in, and how each is started:
// - WebKit: WebKitGTK's MiniBrowser through WebKitWebDriver (Debian's webkit2gtk-driver),
//   under Xvfb (`xvfb-run -a`, any free display, a screen tall enough for a whole widget)
//   because MiniBrowser needs a display;
// - Firefox: Firefox ESR (Debian's firefox-esr) through geckodriver (`cargo install
//   geckodriver`), headless.
// pkg-scripts/setup.sh installs all of them. E2E_ENGINES ("webkit,firefox" by default) picks
// which ones a run uses, so pkg-scripts/test.sh can run the engines one after another.

import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

const MINIBROWSER = process.env.WEBKIT_MINIBROWSER ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const FIREFOX = process.env.FIREFOX ?? '/usr/bin/firefox-esr';

/** geckodriver from PATH, or where `cargo install` puts it when ~/.cargo/bin is not on PATH. */
function geckodriver() {
  if (process.env.GECKODRIVER) return process.env.GECKODRIVER;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, 'geckodriver'))) return path.join(dir, 'geckodriver');
  }
  const cargoHome = process.env.CARGO_HOME ?? path.join(homedir(), '.cargo');
  return path.join(cargoHome, 'bin', 'geckodriver');
}

export const ENGINES = {
  webkit: {
    name: 'webkit',
    label: 'WebKit (WebKitGTK MiniBrowser)',
    driverCommand: (port) => ['xvfb-run', '-a', '-s', '-screen 0 1600x1600x24', 'WebKitWebDriver', `--port=${port}`],
    capabilities: () => ({
      'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
    }),
  },
  firefox: {
    name: 'firefox',
    label: 'Firefox ESR',
    driverCommand: (port) => [geckodriver(), '--port', String(port), '--binary', FIREFOX, '--log', 'error'],
    capabilities: () => ({
      browserName: 'firefox',
      'moz:firefoxOptions': {
        args: process.env.HEADED ? [] : ['-headless'],
        prefs: {
          // No first-run pages, telemetry or update checks: nothing but the test's own traffic.
          'browser.shell.checkDefaultBrowser': false,
          'datareporting.policy.dataSubmissionEnabled': false,
          'app.update.enabled': false,
          'browser.aboutwelcome.enabled': false,
        },
      },
    }),
  },
};

/** The engines this run uses, from E2E_ENGINES (comma-separated; default: all of them). */
export function selectedEngines() {
  const names = (process.env.E2E_ENGINES ?? Object.keys(ENGINES).join(','))
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  return names.map((name) => {
    const engine = ENGINES[name];
    if (!engine) throw new Error(`E2E_ENGINES names "${name}"; known engines: ${Object.keys(ENGINES).join(', ')}`);
    return engine;
  });
}
