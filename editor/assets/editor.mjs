// The survey editor's page script (served by the collector at /_collector/editor/editor.mjs).
//
// 1. Starts the editor (Rust, compiled to WebAssembly) in #survey-editor.
// 2. Runs the preview: the real widget, imported from the collector's own bundle and mounted
//    through its public API with `preview: true`. The editor sends every definition the model
//    accepts as the event `survey-editor:preview` (its detail is the JSON text); the first
//    mounts the widget, every later one goes to `handle.update()`, so the preview keeps its
//    answers and focus while the author types.
import init, { start } from './survey_editor.js';

const root = document.getElementById('survey-editor');

let handle = null;
let mounting = null;
let latest = null;

function showPreviewProblem(host, text) {
  const note = document.getElementById('survey-editor-preview-problem');
  if (note) note.textContent = text;
  host.dataset.previewProblem = text ? 'true' : 'false';
}

async function mountPreview(host) {
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
    showPreviewProblem(host, '');
  } catch (error) {
    showPreviewProblem(host, `The preview could not be shown: ${error && error.message ? error.message : error}`);
  }
}

document.addEventListener('survey-editor:preview', (event) => {
  const host = event.target;
  latest = event.detail;
  if (handle) {
    try {
      handle.update(latest);
      showPreviewProblem(host, '');
    } catch (error) {
      showPreviewProblem(host, `The preview was not updated: ${error.message}`);
    }
    return;
  }
  if (!mounting) mounting = mountPreview(host);
});

try {
  await init();
  root.textContent = '';
  start(root);
} catch (error) {
  root.querySelector('.loading').textContent =
    `The editor could not start in this browser (${error && error.message ? error.message : error}). ` +
    'It needs WebAssembly, which every current browser has.';
}
