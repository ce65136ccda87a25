// The survey that uses every question type, condition and flow of the contract
// (demo/surveys/gp-experience.json on /gp-survey.html), answered as people would: once in
// English with a mouse and keyboard, taking every branch and fixing every kind of mistake, and
// once in Welsh on a phone, taking the shortest branch. Each time the stored payload is checked
// field by field. A third journey answers every question type in Welsh.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { storedResponses } from './lib/server.mjs';
import { serverAndBrowser } from './lib/suite.mjs';
import { DESKTOP, PHONE, cspViolations, openPage, waitForSurveyEvent, withArtifactsOnFailure } from './lib/browser.mjs';
import {
  checkChecked,
  checkConfirmation,
  checkErrorSummaryMatchesInlineErrors,
  checkFocused,
  checkNoHorizontalScroll,
  checkVisible,
  choose,
  findButton,
  findCheckbox,
  findField,
  findHeading,
  findQuestion,
  findRadio,
  inlineErrors,
  pressButton,
  revealSurvey,
  tick,
  typeInto,
  untick,
} from './lib/pages.mjs';
import { eventually } from './lib/wait.mjs';
import { answer, loadDefinition, tr } from './lib/a11y-walk.mjs';
import { GP_PLAN } from './lib/a11y-plans.mjs';

const SURVEY_ID = 'gp-experience';
const GP = loadDefinition(SURVEY_ID);
const suite = serverAndBrowser();

/** The texts of the review page's rows, as `{ question: answer }`. */
async function reviewRows(widget) {
  return widget.evaluate((host) => {
    const root = host.shadowRoot ?? host;
    const rows = {};
    for (const row of root.querySelectorAll('.sw-summary__row')) {
      const key = row.querySelector('dt').textContent.trim();
      rows[key] = row.querySelector('.sw-summary__value').innerText.trim().replace(/\s*\n\s*/g, ' | ');
    }
    return rows;
  });
}

/** The labels of a question's checkboxes, in the order they are shown. */
async function checkboxLabels(question) {
  return question.getByRole('checkbox').evaluateAll((boxes) => boxes.map((box) => box.labels[0].textContent.trim()));
}

/** The response the collector stored for one submission. */
async function storedFor(submissionId) {
  return eventually(async () => {
    const found = (await storedResponses(suite.server, SURVEY_ID)).find((r) => r.submission_id === submissionId);
    assert.ok(found, `submission ${submissionId} is not stored`);
    return found;
  });
}

test('in English: every type, condition and correction, then Check your answers and Change', { timeout: 240_000 }, async () => {
  const { context, page } = await openPage(suite.browser, DESKTOP);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: suite.server.site });
  await withArtifactsOnFailure(page, 'every type english', async () => {
    await page.goto(`${suite.server.site}/gp-survey.html`);
    const widget = await revealSurvey(page);

    // The start page: what the survey is for, its privacy notice, and Start now.
    await checkVisible(findHeading(widget, 'Tell us about your GP practice'));
    await checkVisible(widget.getByText('It takes about 5 minutes.', { exact: false }));
    await checkVisible(widget.getByRole('link', { name: 'Read the privacy notice' }));
    assert.equal(await widget.getByRole('radio').count(), 0, 'no question on the start page');
    await pressButton(widget, 'Start now');
    await checkFocused(page, findHeading(widget, 'Your last contact'), 'the first page heading');
    assert.equal(await widget.getByText(/^Page \d+ of/).count(), 0, 'no progress: pages come and go with the answers');

    // Page 1: the error summary lists both required questions.
    await pressButton(widget, 'Continue');
    const summary = await checkErrorSummaryMatchesInlineErrors(page, widget);
    assert.deepEqual(summary.links, [
      'Select an answer to “How did you last contact your GP practice?”',
      'Select an answer to “Which practice are you registered with?”',
    ]);
    const method = findQuestion(widget, 'How did you last contact your GP practice?');
    await choose(findRadio(method, 'Another way'));
    await typeInto(findField(widget, 'How did you contact them?'), 'By letter');
    await widget.getByLabel('Which practice are you registered with?').selectOption({ label: 'Hillview Medical Centre' });
    const date = findQuestion(widget, 'When did you last contact them?');
    await typeInto(date.getByLabel('Day'), '14');
    await typeInto(date.getByLabel('Month'), '3');
    await typeInto(date.getByLabel('Year'), '2023');
    await pressButton(widget, 'Continue');
    await checkErrorSummaryMatchesInlineErrors(page, widget);
    assert.deepEqual(await inlineErrors(widget), ['“When did you last contact them?” must be on or after 1 January 2024']);
    await typeInto(date.getByLabel('Year'), '2026');
    await pressButton(widget, 'Continue');

    // Page 2: the statement shows for "another way"; "What made it harder?" for a low rating.
    await checkFocused(page, findHeading(widget, 'Your experience'), 'the page heading');
    await checkVisible(widget.getByText('About phone queues'));
    const difficulties = findQuestion(widget, 'What made it harder?');
    assert.equal(await difficulties.count(), 0, 'hidden until the rating is 3 or less');
    await choose(findRadio(findQuestion(widget, 'How easy was it to get the help you needed?'), /^2\b/));
    await checkVisible(difficulties);
    const shown = await checkboxLabels(difficulties);
    assert.deepEqual(shown.slice(-2), ['Something else', 'None of these'], `"other" then the exclusive option stay last: ${shown}`);
    assert.deepEqual([...shown].sort(), [
      'Booking an appointment', 'Getting help in my language', 'Getting into the building', 'None of these',
      'Something else', 'Using the website', 'Waiting for a call back',
    ]);
    const box = (label) => findCheckbox(difficulties, label);
    await tick(box('Booking an appointment'));
    await tick(box('Using the website'));
    await tick(box('None of these'));
    await checkChecked(box('Booking an appointment'), false);
    await checkChecked(box('Using the website'), false);
    await tick(box('Booking an appointment'));
    await checkChecked(box('None of these'), false);
    await tick(box('Using the website'));
    const detail = findField(widget, 'Tell us more about what made it harder');
    const said = 'The phone line was engaged for an hour.';
    await typeInto(detail, said);
    await checkVisible(widget.getByText(`You have ${300 - said.length} characters remaining`));
    // Too many ticked: the answer is not valid, so what depends on it hides until it is fixed.
    for (const label of ['Waiting for a call back', 'Getting into the building']) await tick(box(label));
    await eventually(async () => assert.equal(await detail.count(), 0), { message: 'the detail question hides' });
    const aspects = widget.getByRole('group', { name: 'How would you rate each of these?' });
    for (const [row, column] of [['Booking', 'Poor'], ['Reception staff', 'Good'], ['Information about services', 'Neither good nor poor']]) {
      await choose(findRadio(aspects.getByRole('group', { name: row, exact: true }), column));
    }
    await pressButton(widget, 'Continue');
    await checkErrorSummaryMatchesInlineErrors(page, widget);
    assert.deepEqual(await inlineErrors(widget), ['Select no more than 3 answers to “What made it harder?”']);
    await untick(box('Getting into the building'));
    await checkVisible(detail);
    assert.equal(await detail.inputValue(), said, 'what was typed comes back with the question');
    // Shuffled options keep their order while the respondent answers.
    assert.deepEqual(await checkboxLabels(difficulties), shown);
    await pressButton(widget, 'Continue');

    // Page 3: a high score shows "done well" and hides "why low"; ranking by buttons.
    await checkFocused(page, findHeading(widget, 'Improving services'), 'the page heading');
    await choose(findRadio(findQuestion(widget, 'How likely are you to recommend your practice to a friend?'), /^10\b/));
    await typeInto(findField(widget, 'What does your practice do well?'), 'Kind receptionists');
    assert.equal(await widget.getByLabel('What would make you more likely to recommend it?').count(), 0);
    await widget.getByRole('button', { name: /^Move up 4: Shorter waits$/ }).click();
    await widget.getByRole('button', { name: /^Move up 3: Shorter waits$/ }).click();
    await checkVisible(widget.getByRole('button', { name: /^Move up 2: Shorter waits$/ }));
    await choose(findRadio(findQuestion(widget, 'Would you like us to contact you about your answers?'), 'Yes'));
    await pressButton(widget, 'Continue');

    // Page 4, shown because they want a reply: each field with the right keyboard.
    await checkFocused(page, findHeading(widget, 'Your contact details'), 'the page heading');
    const email = findField(widget, 'Email address');
    assert.deepEqual(await email.evaluate((i) => [i.type, i.autocomplete]), ['email', 'email']);
    const phone = findField(widget, 'Phone number');
    assert.deepEqual(await phone.evaluate((i) => [i.type, i.autocomplete]), ['tel', 'tel']);
    const postcode = findField(widget, 'Postcode');
    assert.equal(await postcode.getAttribute('autocomplete'), 'postal-code');
    await typeInto(email, 'sam at example');
    await typeInto(phone, '01632 960 001');
    await typeInto(postcode, 'nf1 2ab');
    await pressButton(widget, 'Continue');
    await checkErrorSummaryMatchesInlineErrors(page, widget);
    assert.deepEqual(await inlineErrors(widget), ['Enter an email address in the correct format, like name@example.com, for “Email address”']);
    await typeInto(email, 'sam@example.org');
    await pressButton(widget, 'Continue');

    // Page 5: a number as people type it, a revealed web address, and a pattern with its message.
    await checkFocused(page, findHeading(widget, 'About you'), 'the page heading');
    const age = findField(widget, 'How old are you?');
    assert.equal(await age.getAttribute('inputmode'), 'numeric');
    await typeInto(age, '42.');
    await typeInto(findField(widget, 'If you are part of a community group, what is it called?'), 'Northfield Walkers');
    const site = findField(widget, 'What is the group’s website?');
    await checkVisible(site);
    assert.equal(await site.getAttribute('type'), 'url');
    await typeInto(site, 'walkers.example.org');
    const code = findField(widget, 'If you belong to your practice’s patient group, what is your member code?');
    await typeInto(code, 'A1234');
    await pressButton(widget, 'Continue');
    await checkErrorSummaryMatchesInlineErrors(page, widget);
    assert.deepEqual(await inlineErrors(widget), ['Enter your member code as 2 letters then 4 numbers, like AB1234']);
    await typeInto(code, 'AB1234');
    await pressButton(widget, 'Continue');

    // Page 6, then Check your answers.
    await tick(findCheckbox(widget, 'I agree that my answers can be used to improve local health services'));
    await pressButton(widget, 'Continue');
    await checkFocused(page, findHeading(widget, 'Check your answers'), 'the review heading');
    const rows = await reviewRows(widget);
    assert.equal(rows['How did you last contact your GP practice?'], 'Another way: By letter');
    assert.equal(rows['When did you last contact them?'], '14 March 2026');
    assert.equal(rows['How easy was it to get the help you needed?'], '2');
    assert.equal(rows['How likely are you to recommend your practice to a friend?'], '10 (Extremely likely)');
    assert.equal(rows['Put these improvements in order, most important first'],
      'Longer opening hours | Shorter waits | Better online booking | More staff');
    assert.equal(rows['How would you rate each of these?'],
      'Booking: Poor | Reception staff: Good | Information about services: Neither good nor poor');
    assert.ok(!('What would make you more likely to recommend it?' in rows), 'hidden questions are not reviewed');

    // Change goes to the question, and Continue comes straight back.
    await widget.getByRole('button', { name: 'Change How easy was it to get the help you needed?' }).click();
    const ease = findQuestion(widget, 'How easy was it to get the help you needed?');
    await checkFocused(page, ease.getByRole('radio').first(), 'the first radio of the changed question');
    await choose(findRadio(ease, /^3\b/));
    await pressButton(widget, 'Continue');
    await checkFocused(page, findHeading(widget, 'Check your answers'), 'the review heading again');
    assert.equal((await reviewRows(widget))['How easy was it to get the help you needed?'], '3');

    await pressButton(widget, 'Send answers');
    const reference = await checkConfirmation(widget, 'Thank you for your views');
    const complete = await waitForSurveyEvent(page, 'survey:complete');
    assert.equal(complete.detail.reference, reference);

    // The share link is absolute, and Copy link says it worked.
    const share = widget.getByRole('link', { name: 'Ask others to have their say' });
    assert.equal(await share.getAttribute('href'), `${suite.server.url}/s/gp-experience`);
    await pressButton(widget, 'Copy link');
    await checkVisible(widget.getByText('Link copied'), 10_000).catch(async () => {
      assert.fail(`no "Link copied": ${await widget.innerText()}`);
    });
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), `${suite.server.url}/s/gp-experience`);

    const stored = await storedFor(complete.detail.submission_id);
    assert.deepEqual(stored.survey, { id: SURVEY_ID, version: 1 });
    assert.equal(stored.language, 'en');
    assert.equal(stored.anonymous, false);
    assert.deepEqual(stored.answers, {
      contact_method: 'other',
      practice: 'hillview',
      contact_date: '2026-03-14',
      ease: 3,
      difficulties: ['booking', 'callback', 'website'],
      difficulty_detail: said,
      aspects: { booking: 'poor', reception: 'good', information: 'neither' },
      recommend: 10,
      done_well: 'Kind receptionists',
      priorities: ['hours', 'waits', 'online', 'staff'],
      follow_up: 'yes',
      email: 'sam@example.org',
      phone: '01632 960 001',
      postcode: 'NF1 2AB',
      age: 42,
      group: 'Northfield Walkers',
      group_site: 'walkers.example.org',
      member_code: 'AB1234',
      use_answers: true,
    });
    assert.deepEqual(stored.other_text, { contact_method: 'By letter' });
    assert.deepEqual(stored.hidden, { channel: 'gp-page' });
    assert.equal(stored.context.page_url, `${suite.server.site}/gp-survey.html`);

    assert.deepEqual(await cspViolations(page), [], 'no Content Security Policy violations');
    assert.deepEqual(page.problems, [], 'no console errors');
  });
  await context.close();
});

test('in Welsh on a phone: the language switch, Welsh words and errors, and the shortest branch', { timeout: 180_000 }, async () => {
  const { context, page } = await openPage(suite.browser, PHONE);
  const touch = { touch: true };
  await withArtifactsOnFailure(page, 'every type welsh', async () => {
    await page.goto(`${suite.server.site}/gp-survey.html`);
    const widget = await revealSurvey(page);
    await checkVisible(findButton(widget, 'Start now'));
    const cymraeg = findButton(widget, 'Cymraeg');
    assert.equal(await cymraeg.getAttribute('lang'), 'cy', 'the button is marked up in its own language');
    assert.equal(await cymraeg.getAttribute('aria-pressed'), 'false');
    await cymraeg.tap();
    await checkVisible(findHeading(widget, 'Dywedwch wrthym am eich meddygfa'));
    assert.equal(await cymraeg.getAttribute('aria-pressed'), 'true');
    assert.equal(await widget.locator('.sw').getAttribute('lang'), 'cy', 'lang is set on what is rendered');
    await checkVisible(widget.getByRole('link', { name: 'Darllenwch yr hysbysiad preifatrwydd' }));
    await checkNoHorizontalScroll(page);
    await pressButton(widget, 'Dechrau nawr', touch);

    await checkFocused(page, findHeading(widget, 'Eich cysylltiad diwethaf'), 'the first page heading');
    await pressButton(widget, 'Parhau', touch);
    await checkVisible(findHeading(widget, 'Mae problem wedi codi'));
    const links = await widget.locator('.sw-error-summary a').allInnerTexts();
    assert.deepEqual(links, [
      'Dewiswch ateb i “Sut wnaethoch chi gysylltu â’ch meddygfa ddiwethaf?”',
      'Dewiswch ateb i “Gyda pha feddygfa ydych chi wedi cofrestru?”',
    ]);
    const prefixes = await widget.locator('.sw-error-message .sw-visually-hidden').allTextContents();
    assert.deepEqual(prefixes.map((p) => p.trim()), ['Gwall:', 'Gwall:']);

    await choose(findRadio(findQuestion(widget, 'Sut wnaethoch chi gysylltu â’ch meddygfa ddiwethaf?'), 'Doeddwn i ddim yn gallu cysylltu'), touch);
    await widget.getByLabel('Gyda pha feddygfa ydych chi wedi cofrestru?').selectOption({ label: 'Meddygfa Glan yr Afon' });
    await pressButton(widget, 'Parhau', touch);

    // "Your experience" is skipped for someone who could not get through.
    await checkFocused(page, findHeading(widget, 'Gwella gwasanaethau'), 'the third page heading');
    await choose(findRadio(findQuestion(widget, 'Pa mor debygol ydych chi o argymell eich meddygfa i ffrind?'), /^3\b/), touch);
    await typeInto(findField(widget, 'Beth fyddai’n eich gwneud yn fwy tebygol o’i hargymell?'), 'Mwy o apwyntiadau', touch);
    await choose(findRadio(findQuestion(widget, 'Hoffech chi i ni gysylltu â chi am eich atebion?'), 'Na hoffwn'), touch);
    await pressButton(widget, 'Parhau', touch);

    // Contact details are skipped too; the optional questions say so in Welsh.
    await checkFocused(page, findHeading(widget, 'Amdanoch chi'), 'the about-you heading');
    await checkVisible(widget.getByText('(dewisol)').first());
    await pressButton(widget, 'Parhau', touch);
    await tick(findCheckbox(widget, 'Rwy’n cytuno y gellir defnyddio fy atebion i wella gwasanaethau iechyd lleol'), touch);
    await pressButton(widget, 'Parhau', touch);

    await checkFocused(page, findHeading(widget, 'Gwirio eich atebion'), 'the review heading');
    const rows = await reviewRows(widget);
    assert.equal(rows['Pryd wnaethoch chi gysylltu â nhw ddiwethaf?'], 'Heb ei ateb');
    assert.equal(rows['Pa mor debygol ydych chi o argymell eich meddygfa i ffrind?'], '3');
    assert.ok(!('Sut fyddech chi’n graddio pob un o’r rhain?' in rows), 'the skipped page is not reviewed');
    await pressButton(widget, 'Anfon yr atebion', touch);
    await checkVisible(findHeading(widget, 'Diolch am eich barn'));
    await checkVisible(widget.getByText('Eich cyfeirnod yw'));
    const complete = await waitForSurveyEvent(page, 'survey:complete');

    const stored = await storedFor(complete.detail.submission_id);
    assert.equal(stored.language, 'cy');
    assert.deepEqual(stored.answers, {
      contact_method: 'did_not',
      practice: 'riverside',
      recommend: 3,
      why_low: 'Mwy o apwyntiadau',
      follow_up: 'no',
      use_answers: true,
    });
    assert.deepEqual(stored.other_text ?? {}, {});
    assert.deepEqual(await cspViolations(page), [], 'no Content Security Policy violations');
    assert.deepEqual(page.problems, [], 'no console errors');
  });
  await context.close();
});

test('in Welsh: every question type answered, the longest branch, stored exactly', { timeout: 180_000 }, async () => {
  const { context, page } = await openPage(suite.browser, DESKTOP);
  await withArtifactsOnFailure(page, 'every type welsh all', async () => {
    await page.goto(`${suite.server.site}/gp-survey.html`);
    const widget = await revealSurvey(page);
    await findButton(widget, 'Cymraeg').click();
    await pressButton(widget, 'Dechrau nawr');

    // Page by page, in Welsh: every question the plan answers, found by its Welsh labels.
    const answered = new Set();
    for (let guard = 0; guard < GP.pages.length + 1; guard++) {
      const titles = await widget.evaluate((host) => [...(host.shadowRoot ?? host).querySelectorAll('h1,h2,h3,h4,h5,h6')].map((h) => h.textContent.trim()));
      if (titles.includes('Gwirio eich atebion')) break;
      const current = GP.pages.find((p) => titles.includes(tr(p.title, 'cy')));
      assert.ok(current, `a Welsh page title is shown: ${JSON.stringify(titles)}`);
      for (const q of current.questions) {
        if (GP_PLAN.good[q.id] === undefined) continue;
        await answer(widget, q, GP_PLAN.good[q.id], 'cy');
        answered.add(q.type === 'single_choice' && q.display === 'dropdown' ? 'dropdown' : q.type);
      }
      await pressButton(widget, 'Parhau');
    }
    // Every kind of question that takes an answer was answered in Welsh.
    const kinds = new Set(GP.pages.flatMap((p) => p.questions).filter((q) => q.type !== 'statement')
      .map((q) => (q.type === 'single_choice' && q.display === 'dropdown' ? 'dropdown' : q.type)));
    assert.deepEqual([...answered].sort(), [...kinds].sort(), 'every question type was answered');

    await checkFocused(page, findHeading(widget, 'Gwirio eich atebion'), 'the review heading');
    await pressButton(widget, 'Anfon yr atebion');
    await checkVisible(findHeading(widget, 'Diolch am eich barn'));
    const complete = await waitForSurveyEvent(page, 'survey:complete');

    const stored = await storedFor(complete.detail.submission_id);
    assert.equal(stored.language, 'cy');
    const good = GP_PLAN.good;
    assert.deepEqual(stored.answers, {
      contact_method: 'other',
      practice: good.practice,
      contact_date: '2026-03-12',
      ease: good.ease,
      difficulties: good.difficulties.values,
      difficulty_detail: good.difficulty_detail,
      aspects: good.aspects,
      recommend: good.recommend,
      why_low: good.why_low,
      priorities: ['online', 'hours', 'staff', 'waits'],
      follow_up: good.follow_up,
      email: good.email,
      phone: good.phone,
      postcode: good.postcode,
      age: 42,
      group: good.group,
      group_site: good.group_site,
      member_code: good.member_code,
      use_answers: true,
    });
    assert.deepEqual(stored.other_text, { contact_method: good.contact_method.detail, difficulties: good.difficulties.detail });
    assert.deepEqual(page.problems, [], 'no console errors');
  });
  await context.close();
});
