// a. The blog post loads with the survey in it, and the widget leaves the page around it alone:
//    it renders in an open shadow root inside the article, the post goes on after it, the
//    host theme's rules do not reach inside it, and nothing breaks the page's strict Content
//    Security Policy or logs an error.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser } from './lib/suite.mjs';
import { DESKTOP, PHONE, cspViolations, openPage, surveyEvents, waitForSurveyEvent, withArtifactsOnFailure } from './lib/browser.mjs';
import { checkNoHorizontalScroll, checkVisible, findButton, findHeading, findQuestion, openSurvey, revealSurvey } from './lib/pages.mjs';

const FIRST_QUESTION = 'How did you hear about this survey?';

const suite = serverAndBrowser();

test('the blog post shows the survey inside the article and the page stays intact', { timeout: 120_000 }, async () => {
  const { context, page } = await openPage(suite.browser, DESKTOP);
  await withArtifactsOnFailure(page, 'a blog page', async () => {
    const response = await page.goto(`${suite.server.site}/`);
    assert.equal(response.status(), 200);
    const csp = response.headers()['content-security-policy'] ?? '';
    assert.match(csp, /script-src[^;]*'self'/, 'the demo suite.server sends a Content Security Policy');
    assert.doesNotMatch(csp, /unsafe-inline/, 'the policy does not allow inline code');

    // The page itself, before the widget has done anything.
    await checkVisible(findHeading(page, 'Tell us how we should talk with you online'));
    await checkVisible(page.getByRole('banner'));
    await checkVisible(page.getByRole('navigation', { name: 'Main' }));
    await checkVisible(page.getByRole('contentinfo'));

    const widget = await revealSurvey(page, { firstQuestion: FIRST_QUESTION });
    assert.equal(await page.locator('main article survey-widget').count(), 1, 'the widget sits in the article');
    const shadow = await widget.evaluate((host) => (host.shadowRoot ? host.shadowRoot.mode : null));
    assert.equal(shadow, 'open', 'the widget renders in an open shadow root');

    const ready = await waitForSurveyEvent(page, 'survey:ready');
    assert.equal(ready.detail?.survey_id, 'digital-engagement');
    assert.equal(ready.host, 'survey-widget', 'survey:ready is dispatched on the host element');
    assert.ok(ready.bubbles && ready.composed, 'survey:ready bubbles and is composed');

    // The post goes on after the widget, below it, not under it.
    const next = findHeading(page, 'What happens next');
    await checkVisible(next);
    await checkVisible(page.getByText('Thank you for taking the time to help us.'));
    await checkVisible(page.getByRole('contentinfo').getByRole('link', { name: 'Privacy notice for the survey' }));
    const order = await widget.evaluate(
      (host, headingText) => {
        const heading = [...document.querySelectorAll('h2')].find((h) => h.textContent.trim() === headingText);
        const hostBox = host.getBoundingClientRect();
        const headingBox = heading.getBoundingClientRect();
        return {
          follows: Boolean(host.compareDocumentPosition(heading) & Node.DOCUMENT_POSITION_FOLLOWING),
          hostBottom: hostBox.bottom,
          hostHeight: hostBox.height,
          headingTop: headingBox.top,
        };
      },
      'What happens next',
    );
    assert.ok(order.follows, '"What happens next" comes after the widget');
    assert.ok(order.hostHeight > 100, `the widget takes up room in the page (${order.hostHeight}px high)`);
    assert.ok(order.headingTop >= order.hostBottom - 1, 'the text after the widget is below it, not overlapped');

    // The host theme styles bare h2, button and label elements; none of it may reach inside.
    const styles = await widget.evaluate((host) => {
      const root = host.shadowRoot;
      const pick = (element) => {
        if (!element) return null;
        const style = getComputedStyle(element);
        return {
          textTransform: style.textTransform,
          borderBottomWidth: style.borderBottomWidth,
          borderRadius: style.borderTopLeftRadius,
          backgroundColor: style.backgroundColor,
        };
      };
      return {
        hostButton: pick(document.querySelector('.site-search button')),
        hostHeading: pick(document.querySelector('article h2')),
        hostLabel: pick(document.querySelector('.site-search label')),
        widgetButton: pick(root.querySelector('button')),
        widgetHeading: pick(root.querySelector('h1, h2, h3, h4, h5, h6')),
        widgetLabel: pick(root.querySelector('label')),
      };
    });
    assert.equal(styles.hostButton.textTransform, 'uppercase', 'the host theme uppercases buttons (test premise)');
    assert.ok(styles.widgetButton, 'the widget has a button');
    assert.notEqual(styles.widgetButton.textTransform, 'uppercase', "the host's button rule does not reach the widget's buttons");
    assert.notEqual(styles.widgetButton.borderRadius, styles.hostButton.borderRadius, "the host's pill-shaped buttons do not reach the widget");
    assert.ok(styles.widgetHeading, 'the widget has a heading');
    assert.notEqual(styles.widgetHeading.textTransform, 'uppercase', "the host's h2 rule does not reach the widget's headings");
    assert.notEqual(styles.widgetHeading.borderBottomWidth, styles.hostHeading.borderBottomWidth, "the host's h2 underline does not reach the widget");
    assert.ok(styles.widgetLabel, 'the widget has a label');
    assert.notEqual(styles.widgetLabel.textTransform, 'uppercase', "the host's label rule does not reach the widget's labels");

    await checkVisible(findButton(widget, 'Continue'));
    await checkVisible(findQuestion(widget, FIRST_QUESTION));

    assert.deepEqual(await cspViolations(page), [], 'no Content Security Policy violations');
    assert.deepEqual(page.problems, [], 'no console errors or uncaught exceptions');
    assert.deepEqual((await surveyEvents(page, 'survey:error')), [], 'no survey:error event');
  });
  await context.close();
});

test('on a phone the blog post and the survey fit the screen', { timeout: 120_000 }, async () => {
  const { context, page } = await openPage(suite.browser, PHONE);
  await withArtifactsOnFailure(page, 'a blog page phone', async () => {
    await openSurvey(page, `${suite.server.site}/`, { firstQuestion: FIRST_QUESTION });
    await checkNoHorizontalScroll(page);
    assert.deepEqual(await cspViolations(page), [], 'no Content Security Policy violations');
    assert.deepEqual(page.problems, [], 'no console errors or uncaught exceptions');
  });
  await context.close();
});
