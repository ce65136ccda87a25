// The surveys the benchmark shows, in the widget's own format (docs/survey-format.md). SurveyJS
// gets the same surveys through ./to-surveyjs.mjs, never a second hand-written copy.
//
// - bench-20: one page of 20 questions, the kinds a short feedback survey has: a choice of
//   four (radios), a one-line text answer and a 1 to 5 rating, in turn, starting with a choice.
// - bench-200: the same kinds, 200 questions on one page: the page where typing costs the most
//   if a keystroke re-renders every question.

/** The n-th question (1-based): a choice, a text field or a rating, in turn. */
function question(n) {
  const id = `q${n}`;
  switch ((n - 1) % 3) {
    case 0:
      return {
        id,
        type: 'single_choice',
        title: `${n}. How did you first hear about service ${n}?`,
        options: [
          { value: 'friend', label: 'From a friend or relative' },
          { value: 'web', label: 'On a website' },
          { value: 'letter', label: 'In a letter' },
          { value: 'other', label: 'Somewhere else' },
        ],
      };
    case 1:
      return { id, type: 'text', title: `${n}. What would make service ${n} better?`, max_length: 200 };
    default:
      return {
        id,
        type: 'rating',
        title: `${n}. How satisfied are you with service ${n}?`,
        min: 1,
        max: 5,
        min_label: 'Very unsatisfied',
        max_label: 'Very satisfied',
      };
  }
}

/** A one-page survey of `count` questions with the id `id`. */
export function benchSurvey(id, count) {
  return {
    format: 1,
    id,
    version: 1,
    title: `A ${count}-question survey`,
    description: 'Made by the side-by-side benchmark (tests/bench).',
    default_language: 'en',
    languages: ['en'],
    anonymous: true,
    completion: { title: 'Thank you', message: 'Your answers have been sent.' },
    pages: [{ id: 'all', title: 'Your views', questions: Array.from({ length: count }, (_, i) => question(i + 1)) }],
  };
}

/** Both surveys, by id. */
export const SURVEYS = {
  'bench-20': benchSurvey('bench-20', 20),
  'bench-200': benchSurvey('bench-200', 200),
};

/** The title of the first question: when it is on screen, the first question is shown. */
export const FIRST_TITLE = SURVEYS['bench-20'].pages[0].questions[0].title;

/** The text question the typing measure types into: in the middle of the 200. */
export const TYPING_QUESTION = SURVEYS['bench-200'].pages[0].questions[100];
