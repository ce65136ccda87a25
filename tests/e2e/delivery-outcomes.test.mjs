// s. What is not a delivery (docs/submission.md, "How the widget reads the endpoint's answer"):
//    - a captive portal that answers the POST with 302 and its own page with 200 has delivered
//      nothing: the answers stay in the outbox and are sent once the portal is gone; and neither
//      the definition nor the answers name the page they came from (no Referer, no cookie);
//    - a 409 means another body holds this submission_id (here a page script that copied the
//      pending id and posted first): the respondent's answers stay on screen and on the device
//      until they choose to send them as a new response;
//    - a refusal met by the background flush on another page is kept on the device until the
//      respondent comes back to the survey, sees it with their answers, and starts again.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { storedResponses } from './lib/server.mjs';
import { serverAndBrowser } from './lib/suite.mjs';
import { DESKTOP, openPage, surveyEvents, waitForSurveyEvent, withArtifactsOnFailure } from './lib/browser.mjs';
import { checkConfirmation, checkVisible, findButton, findCheckbox, findHeading, openSurvey, pressButton } from './lib/pages.mjs';
import { Q, SURVEY_ID, answerRequiredQuestions, recordSubmissions } from './lib/survey.mjs';
import { eventually } from './lib/wait.mjs';
import { serveFiles } from './lib/embed.mjs';
import { outboxEntries as outbox, outboxKeys } from './lib/outbox.mjs';

const suite = serverAndBrowser();

/** Another page of the site, with the loader from the collector but no survey. */
const noSurvey = (collector) => `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Opening times</title>
  <script src="${collector}/survey-widget/survey-widget.js" async referrerpolicy="no-referrer"></script>
</head>
<body><main><h1>Opening times</h1><p>No survey on this page.</p></main></body>
</html>
`;

/**
 * A captive portal in front of the network: an HTTP proxy the browser goes through for every
 * request (loopback included). While `captive` is set, it answers every POST with a 302 to its
 * own sign-in page and that page with 200, as a hotel Wi-Fi does; otherwise it forwards. It
 * records the headers of what it forwards, as the collector would receive them.
 */
async function startPortal() {
  const portal = { captive: false, redirects: 0, signInVisits: 0, forwarded: [] };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url);
    // A permissive portal says yes to every CORS question, as some login proxies do: the worst
    // case, where the browser lets the page read the portal's 200.
    if ((portal.captive || url.pathname === '/portal/sign-in') && req.method === 'OPTIONS') {
      res.writeHead(204, {
        'access-control-allow-origin': req.headers.origin ?? '*',
        'access-control-allow-methods': 'GET, POST',
        'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*',
      });
      res.end();
      return;
    }
    if (url.pathname === '/portal/sign-in') {
      portal.signInVisits += 1;
      res.writeHead(200, { 'content-type': 'text/html', 'access-control-allow-origin': '*' });
      res.end('<!doctype html><title>Sign in to the Wi-Fi</title><h1>Welcome</h1>');
      return;
    }
    if (portal.captive && req.method === 'POST') {
      portal.redirects += 1;
      req.resume();
      res.writeHead(302, {
        location: `${url.origin}/portal/sign-in`,
        'access-control-allow-origin': req.headers.origin ?? '*',
      });
      res.end();
      return;
    }
    portal.forwarded.push({ method: req.method, pathname: url.pathname, headers: { ...req.headers } });
    const upstream = http.request(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  portal.server = `http://127.0.0.1:${server.address().port}`;
  portal.close = () => new Promise((resolve) => server.close(resolve));
  return portal;
}

test('a captive portal answering 302 then 200 delivers nothing, and no request names the page', { timeout: 120_000 }, async () => {
  const portal = await startPortal();
  // Through the portal for every request, loopback included (Chromium bypasses it otherwise).
  const { context, page } = await openPage(suite.browser, { ...DESKTOP, proxy: { server: portal.server, bypass: '<-loopback>' } });
  const posts = recordSubmissions(page);
  try {
    await withArtifactsOnFailure(page, 's captive portal', async () => {
      // A cookie the collector's origin set earlier: no request of the widget may carry it.
      await context.addCookies([{ name: 'tracker', value: 'who-are-you', url: suite.server.url }]);
      const widget = await openSurvey(page, `${suite.server.site}/`, { firstQuestion: Q.heard });
      await answerRequiredQuestions(widget);

      portal.captive = true;
      await pressButton(widget, 'Send answers');
      // Not delivered: kept on the device, and the person is told so, not thanked.
      await checkVisible(findHeading(widget, 'Your answers are saved on this device'));
      assert.ok(portal.redirects >= 1, 'the portal answered the POST with its redirect');
      assert.equal(await findHeading(widget, Q.completion).count(), 0, 'no confirmation for a redirect');
      const queued = await waitForSurveyEvent(page, 'survey:queued');
      const kept = await outbox(page);
      assert.deepEqual(kept.map((entry) => entry.submission_id), [queued.detail.submission_id], 'the answers wait in the outbox');
      assert.deepEqual(await surveyEvents(page, 'survey:complete'), [], 'no survey:complete for a redirect');
      assert.equal(portal.signInVisits, 0, 'the redirect is not followed to the portal');

      // The portal lets the device through: the same submission is delivered, once.
      portal.captive = false;
      const retry = findButton(widget, 'Try sending now');
      if (await retry.isVisible()) await retry.click().catch(() => {});
      await checkConfirmation(widget, Q.completion);
      const stored = (await storedResponses(suite.server, SURVEY_ID)).filter(
        (response) => response.submission_id === queued.detail.submission_id,
      );
      assert.equal(stored.length, 1, 'stored once, after the portal let the device through');
      assert.ok(posts.every((post) => post.key === queued.detail.submission_id), 'every attempt is the same submission');
      await eventually(async () => assert.deepEqual(await outbox(page), [], 'the outbox is empty once delivered'));

      // Anonymous means anonymous: what reached the collector for the definition and the
      // answers carried no Referer and no cookie.
      const collector = new URL(suite.server.url).host;
      const received = portal.forwarded.filter(
        (r) => r.headers.host === collector && (r.pathname.startsWith('/surveys/') || r.pathname === '/api/responses'),
      );
      assert.ok(received.some((r) => r.pathname.startsWith('/surveys/')), 'the definition was fetched');
      assert.ok(received.some((r) => r.method === 'POST'), 'the answers were posted');
      for (const { method, pathname, headers } of received) {
        assert.equal(headers.referer, undefined, `${method} ${pathname} arrived with Referer: ${headers.referer}`);
        assert.equal(headers.cookie, undefined, `${method} ${pathname} arrived with Cookie: ${headers.cookie}`);
      }
      // An anonymous survey's time of sending says the hour, not the second.
      const body = JSON.parse(posts.at(-1).body);
      assert.match(body.submitted_at, /T\d\d:00:00\.000Z$/, 'submitted_at is rounded down to the hour');
    });
  } finally {
    await context.close();
    await portal.close();
  }
});

test('a 409 for a copied submission_id keeps the answers until the person sends them as a new response', { timeout: 120_000 }, async () => {
  const { context, page } = await openPage(suite.browser, DESKTOP);
  const posts = recordSubmissions(page);
  await withArtifactsOnFailure(page, 's conflict', async () => {
    const widget = await openSurvey(page, `${suite.server.site}/`, { firstQuestion: Q.heard });
    await answerRequiredQuestions(widget, { ease: 4 });
    const SUBMISSIONS = `${suite.server.url}/api/responses`;
    await page.route(SUBMISSIONS, (route) => route.abort('internetdisconnected'));
    await pressButton(widget, 'Send answers');
    const queued = await waitForSurveyEvent(page, 'survey:queued');
    const id = queued.detail.submission_id;

    // A script on the page reads the pending submission and posts other answers under its id.
    await page.unroute(SUBMISSIONS);
    const [pending] = await outbox(page);
    const forged = await page.evaluate(
      async ({ entry, endpoint }) => {
        const payload = JSON.parse(entry.body);
        payload.answers.ease = 1;
        const response = await fetch(endpoint, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'Idempotency-Key': entry.submission_id },
          body: JSON.stringify(payload),
        });
        return response.status;
      },
      { entry: pending, endpoint: SUBMISSIONS },
    );
    assert.equal(forged, 201, 'the forged body was stored first');

    // The real answers arrive second and meet 409: not a delivery of these answers.
    const before = posts.length;
    await pressButton(widget, 'Try sending now');
    await eventually(() => assert.ok(posts.slice(before).some((post) => post.outcome === 'finished'), 'the retry was answered'));
    const error = await eventually(async () => {
      const [found] = (await surveyEvents(page, 'survey:error')).filter((e) => e.detail.code === 'submission_conflict');
      assert.ok(found, 'survey:error submission_conflict');
      return found;
    });
    assert.equal(error.detail.survey_id, SURVEY_ID);
    assert.deepEqual(await surveyEvents(page, 'survey:complete'), [], 'no survey:complete for a 409');
    assert.equal(await findHeading(widget, Q.completion).count(), 0, 'no confirmation for a 409');
    await checkVisible(widget.getByText(/already received under this submission/));
    // The answers are on screen, and on the device, until the person decides.
    await checkVisible(findCheckbox(widget, Q.consent));
    assert.equal(await findCheckbox(widget, Q.consent).isChecked(), true, 'the answers are still on screen');
    assert.deepEqual((await outbox(page)).map((entry) => entry.submission_id), [id], 'still kept on the device');

    // They send them as a new response: a new submission_id, stored beside the forged one.
    await pressButton(widget, 'Send answers');
    await checkConfirmation(widget, Q.completion);
    const mine = JSON.parse(posts.at(-1).body);
    assert.notEqual(mine.submission_id, id, 'sent under a new submission_id');
    const stored = await storedResponses(suite.server, SURVEY_ID);
    assert.equal(stored.find((r) => r.submission_id === id)?.answers.ease, 1, 'the forged one stays as it was stored');
    assert.equal(stored.find((r) => r.submission_id === mine.submission_id)?.answers.ease, 4, 'the real answers are stored');
    await eventually(async () => assert.deepEqual(await outbox(page), [], 'nothing is left once delivered'));
  });
  await context.close();
});

test('a refusal met by the background flush stays on the device until the person has seen it', { timeout: 120_000 }, async () => {
  const { context, page } = await openPage(suite.browser, DESKTOP);
  const posts = recordSubmissions(page);
  await withArtifactsOnFailure(page, 's refused unseen', async () => {
    const SUBMISSIONS = `${suite.server.url}/api/responses`;
    await page.route(SUBMISSIONS, (route) => route.abort('internetdisconnected'));
    const widget = await openSurvey(page, `${suite.server.site}/`, { firstQuestion: Q.heard });
    await answerRequiredQuestions(widget);
    await pressButton(widget, 'Send answers');
    const queued = await waitForSurveyEvent(page, 'survey:queued');
    const id = queued.detail.submission_id;

    // On another page of the site, the background flush meets a refusal.
    await page.unroute(SUBMISSIONS);
    await page.route(SUBMISSIONS, (route) =>
      route.request().method() === 'POST'
        ? route.fulfill({
            status: 422,
            contentType: 'application/json',
            headers: { 'access-control-allow-origin': suite.server.site },
            body: JSON.stringify({ error: 'invalid_response', message: 'The response was not accepted: 1 problem(s).', problems: [] }),
          })
        : route.fallback(),
    );
    await serveFiles(page, suite.server, { '/opening-times.html': noSurvey(suite.server.url) });
    const before = posts.length;
    await page.goto(`${suite.server.site}/opening-times.html`);
    await eventually(() => assert.ok(posts.slice(before).some((post) => post.outcome === 'finished'), 'the flush was answered'));
    // Never deleted unseen: kept, marked so that it is not sent again by itself.
    await eventually(async () => {
      const kept = await outbox(page);
      assert.deepEqual(kept.map((entry) => entry.submission_id), [id], 'the refused submission is still on the device');
      assert.equal(kept[0].held?.status, 422, 'marked as refused');
    });

    // The person comes back to the survey: told, with their answers, and they start again.
    await page.unroute(SUBMISSIONS);
    const again = await openSurvey(page, `${suite.server.site}/`);
    await checkVisible(again.getByText(/were not accepted/).first());
    await checkVisible(findCheckbox(again, Q.consent));
    assert.equal(await findCheckbox(again, Q.consent).isChecked(), true, 'their answers are on screen');
    assert.deepEqual((await outbox(page)).map((entry) => entry.submission_id), [id], 'seen, but not yet decided');
    const sentBefore = posts.length;
    await pressButton(again, 'Start again');
    await checkVisible(again.getByRole('group', { name: Q.heard }).or(again.getByRole('radiogroup', { name: Q.heard })));
    await eventually(async () => assert.deepEqual(await outboxKeys(page), [], 'removed once they chose'));
    assert.equal(posts.length, sentBefore, 'a refused submission is never sent again by itself');
  });
  await context.close();
});
