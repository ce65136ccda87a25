// a and f in WebKit and Firefox: the blog post on the site's origin loads the widget from the
// collector's origin under the site's strict Content Security Policy (no inline code or
// styles). The widget renders in an open shadow root inside the article, the post goes on
// below it, the host theme's rules do not reach inside, and nothing is refused by the policy
// or throws: a probe loaded first in the page (from the site itself, as the policy allows)
// records from the very start. A host whose policy lacks 'wasm-unsafe-eval' gets a plain
// message and a survey:error instead of a blank box.

import assert from 'node:assert/strict';
import { forEachEngine, journey } from '../lib/webdriver-suite.mjs';
import { eventually, find, findWidget, recorded, withProbe } from '../lib/webdriver-pages.mjs';
import { probedDemoPage } from '../lib/webdriver-server.mjs';
import { Q } from '../lib/survey.mjs';

/** A page whose own policy (a meta element, enforced with the site's header) has no 'wasm-unsafe-eval'. */
const NO_WASM_PAGE = withProbe(`<!doctype html>
<html lang="en">
<head>
  <meta http-equiv="Content-Security-Policy" content="script-src 'self' {{collector}}">
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>A host without WebAssembly</title>
  <script src="{{collector}}/survey-widget/survey-widget.js" async referrerpolicy="no-referrer"></script>
</head>
<body>
  <main>
    <h1>A host without WebAssembly</h1>
    <survey-widget src="{{collector}}/surveys/digital-engagement.json" endpoint="{{collector}}/api/responses"></survey-widget>
    <p id="after">Text after the survey.</p>
  </main>
</body>
</html>
`);

forEachEngine({ pages: { 'e2e-blog.html': probedDemoPage('index.html'), 'e2e-no-wasm.html': NO_WASM_PAGE } }, (suite) => {
  journey(suite, 'the blog post shows the survey inside the article, across origins, under the strict policy', async () => {
    const { session, server } = suite;
    await session.setWindowSize(1280, 800);
    const response = await fetch(`${server.site}/e2e-blog.html`);
    await response.arrayBuffer();
    const csp = response.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src[^;]*'self'/, 'the site sends a Content Security Policy');
    assert.doesNotMatch(csp, /unsafe-inline/, 'the policy allows no inline code or styles');
    assert.ok(csp.includes(server.url), 'the policy names the collector, another origin');

    await session.navigate(`${server.site}/e2e-blog.html`);
    const widget = await findWidget(session);
    await session.scrollIntoView(widget);
    await find(session, widget, 'group', Q.heard);
    await find(session, widget, 'button', 'Continue');

    const page = await session.execute((host) => {
      const heading = [...document.querySelectorAll('h2')].find((h) => h.textContent.trim() === 'What happens next');
      const pick = (element) => {
        const style = getComputedStyle(element);
        return { textTransform: style.textTransform, borderBottomWidth: style.borderBottomWidth, borderRadius: style.borderTopLeftRadius };
      };
      const root = host.shadowRoot;
      return {
        inArticle: host.closest('main article') !== null,
        shadowMode: root ? root.mode : null,
        follows: Boolean(host.compareDocumentPosition(heading) & Node.DOCUMENT_POSITION_FOLLOWING),
        hostBottom: host.getBoundingClientRect().bottom,
        hostHeight: host.getBoundingClientRect().height,
        headingTop: heading.getBoundingClientRect().top,
        hostButton: pick(document.querySelector('.site-search button')),
        hostHeading: pick(document.querySelector('article h2')),
        widgetButton: pick(root.querySelector('button')),
        widgetHeading: pick(root.querySelector('h1, h2, h3, h4, h5, h6')),
        widgetLabel: pick(root.querySelector('label')),
        bundleOrigin: new URL(document.querySelector('script[src*="survey-widget.js"]').src).origin,
      };
    }, widget);
    assert.ok(page.inArticle, 'the widget sits in the article');
    assert.equal(page.shadowMode, 'open', 'the widget renders in an open shadow root');
    assert.equal(page.bundleOrigin, server.url, 'the bundle comes from the collector');
    assert.notEqual(new URL(server.site).origin, page.bundleOrigin, 'the page and the bundle are on two origins');
    assert.ok(page.follows, '"What happens next" comes after the widget');
    assert.ok(page.hostHeight > 100, `the widget takes up room (${page.hostHeight}px high)`);
    assert.ok(page.headingTop >= page.hostBottom - 1, 'the text after the widget is below it, not under it');
    assert.equal(page.hostButton.textTransform, 'uppercase', 'the host theme uppercases buttons (test premise)');
    assert.notEqual(page.widgetButton.textTransform, 'uppercase', "the host's button rule does not reach the widget");
    assert.notEqual(page.widgetButton.borderRadius, page.hostButton.borderRadius, "the host's pill buttons do not reach the widget");
    assert.notEqual(page.widgetHeading.textTransform, 'uppercase', "the host's h2 rule does not reach the widget");
    assert.notEqual(page.widgetHeading.borderBottomWidth, page.hostHeading.borderBottomWidth, "the host's h2 underline does not reach the widget");
    assert.notEqual(page.widgetLabel.textTransform, 'uppercase', "the host's label rule does not reach the widget");

    const { events, csp: violations, errors } = await recorded(session);
    const ready = events.filter((e) => e.type === 'survey:ready');
    assert.equal(ready.length, 1, 'one survey:ready');
    assert.equal(ready[0].detail?.survey_id, 'digital-engagement');
    assert.deepEqual(events.filter((e) => e.type === 'survey:error'), [], 'no survey:error');
    assert.deepEqual(violations, [], 'no Content Security Policy violations, from the first byte');
    assert.deepEqual(errors, [], 'no uncaught errors');
  });

  journey(suite, "a policy without 'wasm-unsafe-eval' gets a plain message instead of a blank box", async () => {
    const { session, server } = suite;
    await session.navigate(`${server.site}/e2e-no-wasm.html`);
    const widget = await findWidget(session);
    const error = await eventually(async () => {
      const { events } = await recorded(session);
      const found = events.find((e) => e.type === 'survey:error');
      assert.ok(found, 'a survey:error');
      return found;
    });
    assert.equal(error.detail?.code, 'unsupported');
    const alert = await eventually(async () => {
      const text = await session.execute((host) => (host.shadowRoot ?? host).querySelector('[role="alert"]')?.textContent ?? null, widget);
      assert.ok(text, 'the widget shows an alert');
      return text;
    });
    assert.match(alert, /cannot be shown.*wasm-unsafe-eval/s);
    // (Firefox reports the refusal as a securitypolicyviolation event; WebKit 2.50 does not.)
    assert.equal(await session.execute(() => document.getElementById('after').textContent), 'Text after the survey.');
  });
});
