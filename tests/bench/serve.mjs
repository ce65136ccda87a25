// The two origins of the benchmark, as in production: the collector (the widget's bundle, its
// definitions, and for SurveyJS its scripts, stylesheet and converted surveys, all compressed
// the same way) and a host site with one page per side and survey.
//
// The collector is the project's own release build, serving a folder made for the run: the
// widget's bundle as pkg-scripts/build.sh wrote it (with its .br and .gz copies), and SurveyJS's
// files from tests/bench/node_modules, precompressed by the same pkg-scripts/precompress.mjs.

import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, spawnServer } from '../e2e/lib/server.mjs';
import { bundleBytes } from './bytes.mjs';
import { SURVEYS } from './surveys.mjs';
import { toSurveyJs } from './to-surveyjs.mjs';

const BENCH = path.join(ROOT, 'tests', 'bench');

/** SurveyJS as a web team includes it by script tag: the core, the UI, the default theme. */
export const SURVEYJS_FILES = {
  'survey.core.min.js': 'node_modules/survey-core/survey.core.min.js',
  'survey-js-ui.min.js': 'node_modules/survey-js-ui/survey-js-ui.min.js',
  // The theme without its web font (from Google's servers): both sides use the page's fonts.
  'survey-core.fontless.min.css': 'node_modules/survey-core/survey-core.fontless.min.css',
};

/** The folder the collector serves as /survey-widget/, and the surveys folder. */
function prepareFolders() {
  const dist = mkdtempSync(path.join(tmpdir(), 'bench-dist-'));
  // BENCH_DIST: another build of the bundle (one with function names, to profile it).
  const widgetDist = process.env.BENCH_DIST ?? path.join(ROOT, 'dist', 'survey-widget');
  for (const name of readdirSync(widgetDist)) copyFileSync(path.join(widgetDist, name), path.join(dist, name));
  bundleBytes(dist); // throws unless the copy is a whole bundle (a build may have been running)
  const ours = [];
  for (const [name, from] of Object.entries(SURVEYJS_FILES)) {
    copyFileSync(path.join(BENCH, from), path.join(dist, name));
    ours.push(path.join(dist, name));
  }
  const surveys = mkdtempSync(path.join(tmpdir(), 'bench-surveys-'));
  for (const [id, definition] of Object.entries(SURVEYS)) {
    writeFileSync(path.join(surveys, `${id}.json`), JSON.stringify(definition, null, 2));
    const converted = path.join(dist, `surveyjs-${id}.json`);
    writeFileSync(converted, JSON.stringify(toSurveyJs(definition), null, 2));
    ours.push(converted);
  }
  execFileSync('node', [path.join(ROOT, 'pkg-scripts', 'precompress.mjs'), ...ours]);
  return { dist, surveys, data: mkdtempSync(path.join(tmpdir(), 'bench-data-')) };
}

function page(head, body) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Benchmark</title>
${head}
</head>
<body>
<main>
<h1>Tell us what you think</h1>
${body}
</main>
</body>
</html>
`;
}

/** The host page of one side for one survey: the widget by its snippet, SurveyJS by script tags. */
function hostPage(side, id, collector) {
  if (side === 'widget') {
    return page(
      '',
      `<survey-widget src="${collector}/surveys/${id}.json" endpoint="${collector}/api/responses"></survey-widget>
<script src="${collector}/survey-widget/survey-widget.js" async></script>`,
    );
  }
  return page(
    `<link rel="stylesheet" href="${collector}/survey-widget/survey-core.fontless.min.css">`,
    `<div id="survey"></div>
<script src="${collector}/survey-widget/survey.core.min.js"></script>
<script src="${collector}/survey-widget/survey-js-ui.min.js"></script>
<script src="/surveyjs-page.js" data-definition="${collector}/survey-widget/surveyjs-${id}.json"></script>`,
  );
}

/** SurveyJS's documented start: fetch the JSON, make a model, render it into an element. */
const SURVEYJS_PAGE_SCRIPT = `const definition = document.currentScript.dataset.definition;
fetch(definition).then((r) => r.json()).then((json) => {
  new Survey.Model(json).render(document.getElementById('survey'));
});
`;

/** Starts the host site on a free port of localhost (another origin than the collector's). */
async function startSite(collector) {
  const server = createServer((request, response) => {
    const url = new URL(request.url, 'http://localhost');
    const match = /^\/(widget|surveyjs)\/(bench-\d+)$/.exec(url.pathname);
    if (url.pathname === '/surveyjs-page.js') {
      response.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-cache' });
      response.end(SURVEYJS_PAGE_SCRIPT);
    } else if (match && SURVEYS[match[2]]) {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' });
      response.end(hostPage(match[1], match[2], collector));
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, 'localhost', resolve));
  return { url: `http://localhost:${server.address().port}`, stop: () => new Promise((r) => server.close(r)) };
}

/** Starts the collector (release build) and the host site. Resolves to their URLs and folders. */
export async function startServers() {
  const folders = prepareFolders();
  const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(ROOT, 'target');
  process.env.SURVEY_COLLECTOR_BIN ??= path.join(targetDir, 'release', 'survey-collector');
  const collector = await spawnServer('survey-collector', {
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: folders.data,
    SURVEYS_DIR: folders.surveys,
    DIST_DIR: folders.dist,
    ADMIN_TOKEN: 'bench-admin-token-not-secret-0123456789',
    ALLOWED_ORIGINS: 'http://localhost',
    RATE_LIMIT_PER_MINUTE: '0',
    RUST_LOG: 'warn',
  });
  const site = await startSite(collector.url);
  return {
    collector: collector.url,
    site: site.url,
    folders,
    stop: async () => {
      await site.stop();
      await collector.stop();
      for (const folder of Object.values(folders)) rmSync(folder, { recursive: true, force: true });
    },
  };
}
