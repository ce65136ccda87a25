/*! survey-widget: the ES module entry (npm "survey-widget", or /survey-widget/index.mjs).
 *
 *   import { mount } from "survey-widget";
 *   const handle = await mount(element, { survey: "/surveys/x.json", endpoint: "/api/responses" });
 *   handle.destroy(); // removes the widget and every listener it added
 *
 * This file is the one place where a host's options (JS options or an element's attributes)
 * become the options JSON the WebAssembly's mount() reads; the classic loader
 * (survey-widget.js) imports this same file rather than keeping a copy. It uses no build step:
 * the glue, the .wasm and the stylesheet are found next to it through import.meta.url. Vite and
 * webpack 5 follow those references and emit the files; with esbuild or Rollup, copy the
 * package's files next to the output (or leave this import external, as demo/react does).
 */

const STYLESHEET = new URL("survey-widget.css", import.meta.url).href;

/** Element → the destroy function of the widget (or the problem message) it shows now. */
const current = new WeakMap();

let glue = null;

/** Imports the wasm-bindgen glue and instantiates the WebAssembly, once. */
function ready() {
  if (!glue) {
    // Warm the stylesheet so the first widget appears styled, in parallel with the Wasm.
    if (typeof fetch === "function") fetch(STYLESHEET).catch(() => {});
    glue = import("./survey_widget.js").then((module) =>
      module.default({ module_or_path: new URL("survey_widget_bg.wasm", import.meta.url) }).then(() => module),
    );
    // A failed download may succeed later (flaky network): let the next mount try again.
    glue.catch(() => {
      glue = null;
    });
  }
  return glue;
}

/** Where the widget keeps answers not delivered yet (widget/src/storage.rs, OUTBOX_KEY). */
const OUTBOX = "survey-widget:outbox";

function outboxPending() {
  try {
    return Boolean(globalThis.localStorage && localStorage.getItem(OUTBOX));
  } catch {
    return false; // storage disabled or sandboxed: nothing can be pending either
  }
}

/**
 * Sends the answers an earlier visit could not deliver. It runs by itself when this module is
 * imported and answers are pending; call it again after the host learns the network is back.
 */
export function flushOutbox() {
  return ready().then((module) => {
    if (typeof module.flush_outbox === "function") module.flush_outbox();
  });
}

// SPEC section 3: a kept submission is retried on the next page load, whether or not this page
// shows a survey (the Wasm is fetched for it only when something is pending).
if (outboxPending()) flushOutbox().catch(() => {});

/**
 * Fetches and compiles the widget's WebAssembly now, so that a later `mount()` is instant.
 * `mount()` calls it by itself; calling it more than once is harmless.
 */
export function load() {
  return ready().then(() => undefined);
}

function absolute(url) {
  try {
    return new URL(url, document.baseURI).href;
  } catch {
    return String(url);
  }
}

function strings(map) {
  const out = {};
  for (const [name, value] of Object.entries(map || {})) {
    if (value !== undefined && value !== null) out[name] = String(value);
  }
  return out;
}

/** JS API options (SPEC section 1) as the options JSON of the WebAssembly's mount(). */
function fromOptions(options) {
  const raw = {
    endpoint: options.endpoint,
    lang: options.lang,
    anonymous: options.anonymous,
    hidden: strings(options.hidden),
    heading_level: options.headingLevel,
    render: options.render,
    request_timeout: options.requestTimeout,
  };
  const survey = options.survey;
  if (typeof survey === "string" || survey instanceof URL) raw.survey_url = absolute(survey);
  else if (survey !== undefined && survey !== null) raw.survey_json = JSON.stringify(survey);
  return raw;
}

function attribute(element, name) {
  const value = element.getAttribute(name);
  return value === null ? element.getAttribute("data-" + name) : value;
}

/**
 * An element's attributes (`src`, `endpoint`, `lang`, `anonymous`, `hidden-NAME`,
 * `heading-level`, `render`, `request-timeout`, or their `data-` forms) as mount options.
 */
function fromElement(element) {
  const raw = {
    endpoint: attribute(element, "endpoint"),
    // On a <div>, `lang` is the language of the CMS's content, not an option: only data-lang counts.
    lang: element.localName === "survey-widget" ? attribute(element, "lang") : element.getAttribute("data-lang"),
    anonymous: attribute(element, "anonymous"),
    heading_level: attribute(element, "heading-level"),
    render: attribute(element, "render"),
    request_timeout: attribute(element, "request-timeout"),
    hidden: {},
  };
  const inline = element.querySelector('script[type="application/json"]');
  const src = attribute(element, "src");
  if (inline) raw.survey_json = inline.textContent;
  else if (src) raw.survey_url = absolute(src);
  for (const { name, value } of element.attributes) {
    const match = /^(?:data-)?hidden-(.+)$/.exec(name);
    if (match) raw.hidden[match[1]] = value;
  }
  return raw;
}

/** Removes whatever the element shows now (a widget or a problem message), if anything. */
function clear(element) {
  const destroy = current.get(element);
  if (destroy) destroy();
}

/**
 * A plain message in place of the widget when the bundle cannot run at all (no WebAssembly, a
 * policy without 'wasm-unsafe-eval', the files unreachable), also reported as `survey:error`.
 */
function unsupported(element, raw, error) {
  console.error("survey-widget: could not start:", error);
  let root = element.shadowRoot;
  if (!root && raw.render !== "light") {
    try {
      root = element.attachShadow({ mode: "open" });
    } catch {
      // An element that cannot host a shadow root (or none in this browser): write into it.
    }
  }
  root = root || element;
  const message = document.createElement("p");
  message.setAttribute("role", "alert");
  message.textContent =
    "Sorry, this survey cannot be shown in this browser or on this page." +
    (/CompileError|unsafe-eval/.test(String(error))
      ? " (The page's security policy does not allow WebAssembly: it needs 'wasm-unsafe-eval'.)"
      : "");
  root.appendChild(message);
  const remove = () => {
    if (current.get(element) === remove) current.delete(element);
    message.remove();
  };
  current.set(element, remove);
  element.dispatchEvent(
    new CustomEvent("survey:error", {
      bubbles: true,
      composed: true,
      detail: { survey_id: "", code: "unsupported", message: String(error) },
    }),
  );
}

/**
 * Mounts a survey into `element` (in an open shadow root unless `render: "light"`) and resolves
 * to a handle whose `destroy()` removes it and every listener it added. Without `options`, the
 * element's own attributes are read, as the script-tag embed does.
 *
 * Mounting into an element that already shows a widget replaces that widget. If the bundle
 * cannot run, a plain message is shown in the element, `survey:error` is dispatched with code
 * "unsupported", and the promise rejects.
 */
export async function mount(element, options) {
  if (!element || element.nodeType !== 1) throw new TypeError("survey-widget: mount() needs an element");
  const raw = options == null ? fromElement(element) : fromOptions(options);
  raw.stylesheet = STYLESHEET;
  let module;
  try {
    module = await ready();
  } catch (error) {
    clear(element);
    unsupported(element, raw, error);
    throw error;
  }
  // Decided now rather than when mount() was called: with two mounts in flight into one
  // element, the later call wins and the earlier widget is gone before the later one appears.
  clear(element);
  let widget = module.mount(element, JSON.stringify(raw));
  const destroy = () => {
    if (current.get(element) === destroy) current.delete(element);
    if (!widget) return;
    const last = widget;
    widget = null;
    last.destroy(); // the widget's DOM, its yew app and the listeners on its container
    last.free(); // the Rust value itself
  };
  current.set(element, destroy);
  return Object.freeze({ destroy });
}
