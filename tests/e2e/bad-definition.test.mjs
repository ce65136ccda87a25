// f. A broken survey definition is refused where the widget would be, with every problem named
//    by its JSON path, reported as a survey:error event and in the console; the page around it
//    is untouched.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser } from './lib/suite.mjs';
import { DESKTOP, cspViolations, openPage, screenshot, waitForSurveyEvent, withArtifactsOnFailure } from './lib/browser.mjs';
import { checkVisible, findHeading, findWidget } from './lib/pages.mjs';
import { eventually } from './lib/wait.mjs';
import { allowMadeUpPages, serveFiles, serverCsp } from './lib/embed.mjs';

/**
 * A page on the site with a survey from the collector at `collector`, its definition at
 * `${collector}${survey}`.
 */
const hostPage = (collector, survey) => `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>A page with a broken survey</title>
  <script src="${collector}/survey-widget/survey-widget.js" async></script>
</head>
<body>
  <main>
    <h1>A page with a broken survey</h1>
    <p>Text before the survey.</p>
    <survey-widget src="${collector}${survey}" endpoint="${collector}/api/responses"></survey-widget>
    <p>Text after the survey.</p>
  </main>
</body>
</html>
`;

// Two problems, both in the second question: its id repeats the first one's, and it offers no
// options.
const BAD_DEFINITION = {
  format: 1,
  id: 'broken',
  version: 1,
  title: 'A broken survey',
  default_language: 'en',
  languages: ['en'],
  anonymous: true,
  pages: [
    {
      id: 'only-page',
      title: 'Questions',
      questions: [
        {
          id: 'colour',
          type: 'single_choice',
          title: 'Which colour do you like best?',
          options: [
            { value: 'red', label: 'Red' },
            { value: 'blue', label: 'Blue' },
          ],
        },
        { id: 'colour', type: 'single_choice', title: 'Which colour do you like least?', options: [] },
      ],
    },
  ],
};

const suite = serverAndBrowser();

test('a malformed definition is refused visibly, listing its problems by JSON path', { timeout: 120_000 }, async () => {
  const { context, page } = await openPage(suite.browser, DESKTOP);
  await withArtifactsOnFailure(page, 'f bad definition', async () => {
    // The page on the site under the site's own policy, the broken definition on the
    // collector (readable from any origin, as the collector serves its definitions).
    await serveFiles(page, suite.server, { '/bad-definition.html': hostPage(suite.server.url, '/surveys/bad.json') });
    await page.route(`${suite.server.url}/surveys/bad.json`, (route) =>
      route.fulfill({
        status: 200,
        contentType: 'application/json',
        headers: { 'Access-Control-Allow-Origin': '*' },
        body: JSON.stringify(BAD_DEFINITION),
      }),
    );

    await page.goto(`${suite.server.site}/bad-definition.html`);
    const widget = findWidget(page);

    const error = await waitForSurveyEvent(page, 'survey:error');
    assert.equal(error.host, 'survey-widget', 'survey:error is dispatched on the host element');
    assert.ok(error.bubbles && error.composed, 'survey:error bubbles and is composed');
    assert.ok(error.detail?.code, `survey:error has a code: ${JSON.stringify(error.detail)}`);
    assert.ok(typeof error.detail?.message === 'string' && error.detail.message.length > 0, 'survey:error has a message');

    // Shown where the widget would be, each problem by its path.
    await checkVisible(widget.getByText('pages[0].questions[1].id'));
    await checkVisible(widget.getByText('options: must not be empty'));
    const shown = await widget.evaluate((host) => window.__e2e.text(host.shadowRoot ?? host));
    assert.match(shown, /pages\[0\]\.questions\[1\]\.options: must not be empty/);
    await screenshot(page, 'f 01 refused definition');

    // And in the console, for the web team.
    await eventually(() =>
      assert.ok(
        page.consoleMessages.some((message) => message.text.includes('pages[0].questions[1]')),
        `the console names the problems; it says: ${JSON.stringify(page.consoleMessages)}`,
      ),
    );

    // The page around it is intact.
    await checkVisible(findHeading(page, 'A page with a broken survey'));
    await checkVisible(page.getByText('Text before the survey.'));
    await checkVisible(page.getByText('Text after the survey.'));
    assert.deepEqual(await cspViolations(page), [], 'no Content Security Policy violations');
    assert.deepEqual(
      page.problems.filter((problem) => problem.startsWith('uncaught')),
      [],
      'no uncaught exception (a panic would be one)',
    );
  });
  await context.close();
});

// A host whose policy has no 'wasm-unsafe-eval' cannot run the widget at all: the reader gets a
// plain message that says why, the web team a survey:error, and the page stays intact.
test('a policy without wasm-unsafe-eval gets a plain message instead of a blank box', { timeout: 120_000 }, async () => {
  const { context, page } = await openPage(suite.browser, DESKTOP);
  await withArtifactsOnFailure(page, 'f no wasm', async () => {
    // The site's own policy, less 'wasm-unsafe-eval'.
    const siteCsp = await serverCsp(suite.server);
    const noWasm = siteCsp.replace(/\s*'wasm-unsafe-eval'/g, '');
    assert.notEqual(noWasm, siteCsp, `the site's policy allows WebAssembly (test premise): ${siteCsp}`);
    await allowMadeUpPages(context, suite.server);
    await page.route(`${suite.server.site}/no-wasm.html`, (route) =>
      route.fulfill({
        status: 200,
        contentType: 'text/html; charset=utf-8',
        headers: { 'Content-Security-Policy': noWasm },
        body: hostPage(suite.server.url, '/surveys/digital-engagement.json'),
      }),
    );
    await page.goto(`${suite.server.site}/no-wasm.html`);
    const widget = findWidget(page);
    const error = await waitForSurveyEvent(page, 'survey:error');
    assert.equal(error.detail?.code, 'unsupported');
    const alert = widget.getByRole('alert');
    await checkVisible(alert);
    assert.match(await alert.textContent(), /cannot be shown.*wasm-unsafe-eval/s);
    await checkVisible(page.getByText('Text after the survey.'));
    await screenshot(page, 'f 02 no wasm policy');
  });
  await context.close();
});
