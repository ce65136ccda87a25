// The survey editor's page script (served by the collector at /_collector/editor/editor.mjs).
//
// 1. Starts the editor (Rust, compiled to WebAssembly) in #survey-editor.
// 2. Runs the preview beside it: the real widget, imported from the collector's own bundle and
//    mounted through its public API with `preview: true`. The editor sends every definition
//    the model accepts as the event `survey-editor:preview` on #survey-editor-preview (its
//    detail is the JSON text); the first mounts the widget, every later one goes to
//    `handle.update()`, so the preview keeps its answers and focus while the author types.
//    `survey-editor:preview-status` says whether the preview is behind the editor.
// 3. The Phone and Desktop buttons set the preview's width (the widget adapts to the width it
//    is given, not to the window's).
//
// The preview's element is outside #survey-editor on purpose: the widget is a second yew app,
// and yew would hand a click inside it to whichever editor handler has the same number.
import init, { start } from './survey_editor.js';

const root = document.getElementById('survey-editor');
const host = document.getElementById('survey-editor-preview');
const status = document.getElementById('survey-editor-preview-status');

const STATUS = {
  none: 'The preview appears once the survey has no problems.',
  behind: 'The preview shows the last version without problems. Fix the problems listed to see your newest changes.',
  current: 'As respondents will see it. Answers given here are never sent.',
};

let handle = null;
let mounting = null;
let latest = null;

function say(text) {
  status.textContent = text;
}

async function mountPreview() {
  try {
    const widget = await import(root.dataset.widget);
    const first = latest;
    handle = await widget.mount(host, {
      survey: JSON.parse(first),
      endpoint: new URL('/api/responses', location.href).href,
      preview: true,
    });
    // The author may have typed while the widget loaded.
    if (latest !== first) handle.update(latest);
    host.dataset.previewReady = 'true';
  } catch (error) {
    say(`The preview could not be shown: ${error && error.message ? error.message : error}`);
  }
}

host.addEventListener('survey-editor:preview', (event) => {
  latest = event.detail;
  if (handle) {
    try {
      handle.update(latest);
    } catch (error) {
      say(`The preview was not updated: ${error.message}`);
    }
  } else if (!mounting) {
    mounting = mountPreview();
  }
});

host.addEventListener('survey-editor:preview-status', (event) => {
  say(STATUS[event.detail] ?? '');
});

for (const button of document.querySelectorAll('[data-preview-width]')) {
  button.addEventListener('click', () => {
    const phone = button.dataset.previewWidth === 'phone';
    host.parentElement.classList.toggle('phone', phone);
    for (const other of document.querySelectorAll('[data-preview-width]')) {
      other.setAttribute('aria-pressed', String(other === button));
    }
  });
}

try {
  await init();
  root.textContent = '';
  start(root);
} catch (error) {
  root.querySelector('.loading').textContent =
    `The editor could not start in this browser (${error && error.message ? error.message : error}). ` +
    'It needs WebAssembly, which every current browser has.';
}
