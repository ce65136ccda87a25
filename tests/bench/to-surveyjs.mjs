// Converts a survey in the widget's format (docs/survey-format.md) into SurveyJS's JSON, for
// the kinds of question the benchmark uses: single_choice → radiogroup, text → text,
// rating → rating. Anything else is refused rather than approximated, so the two sides of the
// benchmark always show the same questions.
//
// Usage as a script: node tests/bench/to-surveyjs.mjs SURVEY.json > SURVEYJS.json

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The English text of a plain or translated text field. */
function text(value) {
  return typeof value === 'string' ? value : value?.en;
}

function convertQuestion(q) {
  const common = { name: q.id, title: text(q.title), isRequired: Boolean(q.required) };
  switch (q.type) {
    case 'single_choice':
      return { ...common, type: 'radiogroup', choices: q.options.map((o) => ({ value: o.value, text: text(o.label) })) };
    case 'text':
      return { ...common, type: 'text', ...(q.max_length ? { maxLength: q.max_length } : {}) };
    case 'rating':
      return {
        ...common,
        type: 'rating',
        rateMin: q.min,
        rateMax: q.max,
        ...(q.min_label ? { minRateDescription: text(q.min_label) } : {}),
        ...(q.max_label ? { maxRateDescription: text(q.max_label) } : {}),
      };
    default:
      throw new Error(`to-surveyjs: question ${q.id} is a ${q.type}, which the benchmark does not convert`);
  }
}

/** The SurveyJS model JSON of a widget survey definition. */
export function toSurveyJs(definition) {
  return {
    title: text(definition.title),
    description: text(definition.description),
    completedHtml: `<h3>${text(definition.completion?.title) ?? ''}</h3>`,
    // The titles carry their own numbers, as the widget shows them.
    showQuestionNumbers: 'off',
    pages: definition.pages.map((page) => ({
      name: page.id,
      title: text(page.title),
      elements: page.questions.map(convertQuestion),
    })),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node tests/bench/to-surveyjs.mjs SURVEY.json');
    process.exit(2);
  }
  process.stdout.write(`${JSON.stringify(toSurveyJs(JSON.parse(readFileSync(file, 'utf8'))), null, 2)}\n`);
}
