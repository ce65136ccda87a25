// n. When the WebAssembly module aborts, every widget on the page says so plainly.
//    The module is built with panic = "abort", and a trap such as a failed allocation ends it
//    for every widget at once without passing through the panic hook. The test makes it happen
//    for real: it takes the module's memory (the glue's init returns the instance's exports to
//    any script of the page, as it does to index.mjs) and grows it until it can grow no more,
//    then pastes a text larger than all the memory the module had into one widget's text box:
//    the allocation for it fails and the module traps. Both widgets must then show the plain
//    message, the one whose survey has a `link` with that link, and dispatch survey:error
//    "aborted"; a widget mounted afterwards shows the message without calling the dead module.
//    Before that, a trap in another page's WebAssembly module must leave the widgets working.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './lib/server.mjs';
import { serverAndBrowser } from './lib/suite.mjs';
import { DESKTOP, cspViolations, openPage, screenshot, surveyEvents, withArtifactsOnFailure } from './lib/browser.mjs';
import { checkVisible, choose, findField, findQuestion, findRadio } from './lib/pages.mjs';
import { Q } from './lib/survey.mjs';
import { glueUrl, htmlPage, serveFiles } from './lib/embed.mjs';
import { eventually } from './lib/wait.mjs';

const suite = serverAndBrowser();

const STOPPED = /^Sorry, this survey stopped working\. Your answers on this page were not sent\. Reload the page to try again/;

/** The demo survey without its `link`, inline in the page (JSON safe inside a script element). */
function inlineDefinitionWithoutLink() {
  const definition = JSON.parse(readFileSync(path.join(ROOT, 'demo', 'surveys', 'digital-engagement.json'), 'utf8'));
  delete definition.link;
  return JSON.stringify(definition).replace(/</g, '\\u003c');
}

/** What a widget shows in place of the survey: the alert's text, its link, and what is left. */
function shown(host) {
  return host.evaluate((element) => {
    const root = element.shadowRoot;
    const alert = root.querySelector('[role="alert"]');
    const link = alert && alert.querySelector('a');
    return {
      text: alert ? alert.textContent.replace(/\s+/g, ' ').trim() : null,
      link: link ? link.href : null,
      controls: root.querySelectorAll('input, button, select, textarea').length,
      containers: root.querySelectorAll('.sw-root').length,
    };
  });
}

test('a trap in the module replaces every widget with a plain message, with the survey link', { timeout: 120_000 }, async () => {
  const { context, page } = await openPage(suite.browser, DESKTOP);
  await withArtifactsOnFailure(page, 'n module abort', async () => {
    const collector = suite.server.url;
    await serveFiles(page, suite.server, {
      '/e2e-abort.html': htmlPage({
        title: 'Two widgets, one module',
        head: `<script src="${collector}/survey-widget/survey-widget.js" async></script>`,
        body: `<h1>Two widgets</h1>
          <survey-widget id="linked" src="${collector}/surveys/digital-engagement.json" endpoint="${collector}/api/responses" loading="eager"></survey-widget>
          <survey-widget id="unlinked" endpoint="${collector}/api/responses" loading="eager"><script type="application/json">${inlineDefinitionWithoutLink()}</script></survey-widget>`,
      }),
    });
    await page.goto(`${suite.server.site}/e2e-abort.html`);
    const linked = page.locator('#linked');
    const unlinked = page.locator('#unlinked');
    await checkVisible(findQuestion(linked, Q.heard));
    await checkVisible(findQuestion(unlinked, Q.heard));

    // Another module on the page traps: not ours, so the widgets carry on.
    await page.evaluate(() => {
      // (module (func (export "boom") unreachable))
      const bytes = new Uint8Array([
        0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00,
        0x07, 0x08, 0x01, 0x04, 0x62, 0x6f, 0x6f, 0x6d, 0x00, 0x00, 0x0a, 0x05, 0x01, 0x03, 0x00, 0x00, 0x0b,
      ]);
      return WebAssembly.instantiate(bytes).then(({ instance }) => {
        setTimeout(() => instance.exports.boom());
      });
    });
    await eventually(() => assert.ok(page.problems.some((p) => /unreachable/.test(p)), 'the foreign module trapped'));
    await choose(findRadio(findQuestion(linked, Q.heard), 'Somewhere else'));
    const detail = findField(linked, Q.heardDetail);
    await checkVisible(detail);
    assert.deepEqual(await surveyEvents(page, 'survey:error'), [], 'no widget stopped for a trap that is not its own');
    const foreignProblems = page.problems.length;

    // Exhaust the module's memory: grow it in halving steps until not one more page fits.
    // The glue the widgets loaded (its name carries a content hash), from the collector.
    const memory = await page.evaluate(async (glueUrl) => {
      const glue = await import(glueUrl);
      const { memory } = await glue.default(); // already initialised: the live instance's exports
      const before = memory.buffer.byteLength;
      for (let pages = 65536; pages >= 1; ) {
        try {
          memory.grow(pages);
        } catch {
          pages = Math.floor(pages / 2);
        }
      }
      return { before, after: memory.buffer.byteLength };
    }, await glueUrl(suite.server));
    assert.ok(memory.after > memory.before, `the memory grew from ${memory.before} to ${memory.after} bytes`);

    // A paste larger than all the memory the module had: copying it in must allocate, and fails.
    await detail.evaluate((input, length) => {
      input.value = 'x'.repeat(length);
      input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
      input.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
    }, memory.before + (1 << 20));

    for (const host of [linked, unlinked]) {
      await eventually(async () => assert.match((await shown(host)).text ?? '', STOPPED));
    }
    await eventually(async () =>
      assert.equal((await shown(linked)).link, `${suite.server.url}/s/digital-engagement`, 'the survey link is offered'),
    );
    assert.deepEqual(await shown(linked), {
      text: 'Sorry, this survey stopped working. Your answers on this page were not sent. Reload the page to try again, or answer the survey on its own page.',
      link: `${suite.server.url}/s/digital-engagement`,
      controls: 0,
      containers: 1,
    });
    assert.deepEqual(await shown(unlinked), {
      text: 'Sorry, this survey stopped working. Your answers on this page were not sent. Reload the page to try again.',
      link: null,
      controls: 0,
      containers: 1,
    });
    const errors = await surveyEvents(page, 'survey:error');
    assert.deepEqual(
      errors.map((event) => [event.detail.code, event.bubbles, event.composed]),
      [
        ['aborted', true, true],
        ['aborted', true, true],
      ],
      'survey:error "aborted" from each widget',
    );
    await screenshot(page, 'n 01 module stopped', { fullPage: true });

    // The second widget is no more interactive than the first: clicking its message does
    // nothing, and a widget mounted now gets the message at once, not a call into the module.
    await unlinked.getByText(STOPPED).click();
    const late = await page.evaluate(async (collector) => {
      const element = document.createElement('div');
      element.id = 'late';
      document.body.append(element);
      try {
        await window.SurveyWidget.mount(element, {
          survey: `${collector}/surveys/digital-engagement.json`,
          endpoint: `${collector}/api/responses`,
        });
        return { rejected: false };
      } catch (error) {
        return { rejected: true, error: String(error) };
      }
    }, collector);
    assert.equal(late.rejected, true, 'mount() after the abort rejects');
    assert.match(late.error, /RuntimeError/);
    assert.match((await shown(page.locator('#late'))).text ?? '', STOPPED);

    // Removing a stopped widget removes its message too (the loader destroys it).
    await page.evaluate(() => document.getElementById('unlinked').remove());
    await page.waitForFunction(() => !document.querySelector('#unlinked'));

    // What the console heard: the foreign trap, then one trap of ours and one explanation.
    const ours = page.problems.slice(foreignProblems);
    assert.equal(ours.filter((p) => /survey-widget: the WebAssembly module stopped/.test(p)).length, 1, ours.join('\n'));
    assert.ok(
      ours.every((p) => /RuntimeError|unreachable|survey-widget: the WebAssembly module stopped|could not start/.test(p)),
      `nothing else went wrong:\n${ours.join('\n')}`,
    );
    assert.deepEqual(await cspViolations(page), [], 'no Content Security Policy violations');
  });
  await context.close();
});
