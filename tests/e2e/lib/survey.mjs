// What the demo survey (demo/surveys/digital-engagement.json) says, as a respondent reads it,
// and the shortest way through it.

import { choose, findButton, findCheckbox, findQuestion, findRadio, pressButton, tick, checkVisible } from './pages.mjs';

export const SURVEY_ID = 'digital-engagement';

export const Q = {
  heard: 'How did you hear about this survey?',
  heardDetail: 'Where did you hear about it?',
  channels: 'Which of these have you used to contact us in the last year?',
  ease: 'How easy is it to find information about our services online?',
  improve: 'What one thing would make it easier to give us your views?',
  area: 'Which town or area do you live in?',
  consent: 'I understand how my answers will be used',
  completion: 'Thank you for your views',
};

/**
 * Answers only the required questions, by mouse, and stops on the last page with the consent
 * box ticked and "Send answers" not yet pressed.
 */
export async function answerRequiredQuestions(widget, { heard = 'Our website', ease = 3 } = {}) {
  await choose(findRadio(findQuestion(widget, Q.heard), heard));
  await pressButton(widget, 'Continue');
  const easeQuestion = findQuestion(widget, Q.ease);
  await checkVisible(easeQuestion);
  await choose(findRadio(easeQuestion, new RegExp(`^${ease}\\b`)));
  await pressButton(widget, 'Continue');
  const consent = findCheckbox(widget, Q.consent);
  await checkVisible(consent);
  await tick(consent);
  await checkVisible(findButton(widget, 'Send answers'));
}

/** Records every POST to /api/responses the page makes: Idempotency-Key, body, and outcome. */
export function recordSubmissions(page) {
  const posts = [];
  const isSubmission = (request) => request.method() === 'POST' && new URL(request.url()).pathname === '/api/responses';
  page.on('request', (request) => {
    if (!isSubmission(request)) return;
    posts.push({
      request,
      key: request.headers()['idempotency-key'],
      contentType: request.headers()['content-type'],
      cookie: request.headers()['cookie'],
      body: request.postData(),
      outcome: null,
    });
  });
  const settle = (outcome) => (request) => {
    const post = posts.find((candidate) => candidate.request === request);
    if (post) post.outcome = outcome;
  };
  page.on('requestfinished', settle('finished'));
  page.on('requestfailed', settle('failed'));
  return posts;
}
