// The annual report page's own module script: mounts the survey with the ES module API and
// thanks the reader in the page once the collector has the answers.

import { mount } from "{{collector}}/survey-widget/index.mjs";

const element = document.getElementById("survey");
const thanks = document.getElementById("survey-thanks");

element.addEventListener("survey:complete", (event) => {
  const { reference } = event.detail;
  thanks.textContent = reference
    ? `Thank you: your answers reached us, with the reference ${reference}.`
    : "Thank you: your answers reached us.";
});

mount(element, {
  survey: "{{collector}}/surveys/digital-engagement.json",
  endpoint: "{{collector}}/api/responses",
  hidden: { channel: "module" },
  headingLevel: 3,
}).catch(() => {
  // The widget has already put a plain message in its place and dispatched survey:error.
});
