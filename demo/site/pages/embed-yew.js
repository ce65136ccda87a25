// Starts the yew demo app (demo/yew-app, built into /yew/ by pkg-scripts/build-demo-yew.sh).
// A file rather than an inline script, so the page keeps the strict Content Security Policy.
// The app's #[wasm_bindgen(start)] function renders it into #app once the Wasm is instantiated.

import init from "/yew/survey_demo_yew.js";

init().catch((error) => {
  // #app keeps its fallback text and link to the survey's own page.
  console.error("the yew demo could not start:", error);
});
