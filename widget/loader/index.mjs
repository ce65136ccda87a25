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

// ------------------------------------------------------------------------ module abort ---
//
// The module is built with panic = "abort": a panic, or a trap such as a failed allocation
// (`unreachable`), ends the one WebAssembly instance that every widget on the page shares. A
// panic passes through the Rust panic hook first (mount.rs), a trap does not; both surface in
// JavaScript as a WebAssembly.RuntimeError, thrown out of whichever call into the module was
// running: a mount() below, or an event listener, timer or promise callback of the glue, which
// the browser reports as an `error` or `unhandledrejection` event on the window. From then on
// no widget can work, so each one is replaced by a plain message (with the survey's own `link`,
// where it can answer it instead), and this file makes no further call into the module.

/** Element → the options it was mounted with, for every widget that is in use now. */
const live = new Map();

/** The RuntimeError that ended the module, once it has. */
let aborted = null;

/**
 * A RuntimeError is this module's if its stack passes through the glue or the .wasm (their
 * names survive bundlers, which only add a hash): another WebAssembly module on the page may
 * trap without any effect on the widgets.
 */
function ours(error) {
  return (
    typeof WebAssembly === "object" &&
    error instanceof WebAssembly.RuntimeError &&
    /survey_widget(?:_bg)?\b/.test(String(error.stack))
  );
}

let watching = false;

/** Page-lifetime listeners, added once with the first load: never one per widget. */
function watchForAbort() {
  if (watching || typeof addEventListener !== "function") return;
  watching = true;
  addEventListener("error", (event) => {
    if (ours(event.error)) abort(event.error);
  });
  addEventListener("unhandledrejection", (event) => {
    if (ours(event.reason)) abort(event.reason);
  });
}

/** Runs a call into the module; a trap in it ends the module for every widget. */
function guard(call) {
  try {
    return call();
  } catch (error) {
    if (typeof WebAssembly === "object" && error instanceof WebAssembly.RuntimeError) abort(error);
    throw error;
  }
}

function abort(error) {
  if (aborted) return;
  aborted = error;
  console.error("survey-widget: the WebAssembly module stopped; every widget on the page now shows a message:", error);
  for (const [element, raw] of live) stopped(element, raw);
}

const STOPPED =
  "Sorry, this survey stopped working. Your answers on this page were not sent. Reload the page to try again";

/**
 * The survey's `link` (its own page, docs/survey-format.md) as an absolute http(s) URL, or
 * null. A relative link is resolved against the definition's URL: the page lives beside the
 * definition (on the collector), not on the host page.
 */
function linkOf(definition, lang, base) {
  let link = definition && definition.link;
  if (link && typeof link === "object") link = link[lang] || link[definition.default_language] || Object.values(link)[0];
  if (typeof link !== "string" || !link.trim()) return null;
  try {
    const url = new URL(link, base || document.baseURI);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * The survey's link, read without the module: from the inline JSON, or from the definition's
 * URL again (the browser usually has it cached). Resolves to null when there is none.
 */
async function findLink(raw) {
  try {
    if (raw.survey_json) return linkOf(JSON.parse(raw.survey_json), raw.lang);
    if (raw.survey_url) {
      // As the widget fetched it: without cookies or Referer, and never through a redirect.
      const response = await fetch(raw.survey_url, { credentials: "omit", referrerPolicy: "no-referrer", redirect: "error" });
      if (response.ok) return linkOf(await response.json(), raw.lang, raw.survey_url);
    }
  } catch {
    // Offline, or not JSON: the message without a link still says what happened.
  }
  return null;
}

/**
 * Replaces the widget in `element` with the plain message, at once; the link to the survey's
 * own page follows as soon as it is known. The widget's container is swapped for a fresh one,
 * so no event reaches the listeners the dead module left on the old container.
 */
function stopped(element, raw) {
  let root = element.shadowRoot;
  if (!root && raw.render !== "light") {
    try {
      root = element.attachShadow({ mode: "open" }); // a widget mounted after the abort
    } catch {
      // An element that cannot host a shadow root: write into it.
    }
  }
  root = root || element;
  const container = document.createElement("div");
  container.className = "sw-root";
  const box = document.createElement("div");
  box.className = "sw sw-problem";
  box.setAttribute("role", "alert");
  const text = document.createElement("p");
  text.className = "sw-body";
  text.textContent = STOPPED + ".";
  box.appendChild(text);
  container.appendChild(box);
  // (`:scope >` matches nothing in a shadow root, which is not an element: walk its children.)
  const old = [...root.children].find((child) => child.classList.contains("sw-root"));
  if (old) old.replaceWith(container);
  else root.appendChild(container);
  live.delete(element);
  const remove = () => {
    if (current.get(element) === remove) current.delete(element);
    container.remove();
    for (const link of [...root.children]) {
      if (link.localName === "link" && link.href === raw.stylesheet) link.remove();
    }
  };
  remove.raw = raw; // lets the handle of the widget it stands in for remove it
  current.set(element, remove);
  findLink(raw).then((href) => {
    if (!href || !container.isConnected) return;
    text.textContent = STOPPED + ", or ";
    const a = document.createElement("a");
    a.className = "sw-link";
    a.href = href;
    a.textContent = "answer the survey on its own page";
    text.append(a, ".");
  });
  element.dispatchEvent(
    new CustomEvent("survey:error", {
      bubbles: true,
      composed: true,
      detail: { survey_id: "", code: "aborted", message: String(aborted) },
    }),
  );
}

/**
 * Imports the wasm-bindgen glue and instantiates the WebAssembly, once. Everything starts at
 * once: the stylesheet, the glue and the Wasm, whose response the glue compiles as it streams
 * in (instantiateStreaming) rather than asking for it only once the glue has arrived.
 */
function ready() {
  if (!glue) {
    // Warm the stylesheet so the first widget appears styled, in parallel with the Wasm. The
    // body is read to its end: a response left unread may be cancelled when it is collected
    // (Chromium then reports the request aborted) and leaves no complete copy in the cache.
    if (typeof fetch === "function") {
      fetch(STYLESHEET, { referrerPolicy: "no-referrer" })
        .then((response) => response.arrayBuffer())
        .catch(() => {});
    }
    watchForAbort();
    const wasmUrl = new URL("survey_widget_bg.wasm", import.meta.url);
    // As the loader preloads it (survey-widget.js): no Referer, and the same mode and credentials.
    const wasm = typeof fetch === "function" ? fetch(wasmUrl, { referrerPolicy: "no-referrer" }) : wasmUrl;
    // If the glue fails first, nobody awaits the Wasm's response: not an unhandled rejection.
    if (wasm instanceof Promise) wasm.catch(() => {});
    glue = import("./survey_widget.js").then((module) =>
      module.default({ module_or_path: wasm }).then(() => module),
    );
    // A failed download may succeed later (flaky network): let the next mount try again.
    glue.catch(() => {
      glue = null;
    });
  }
  return glue;
}

/**
 * The definition at `url`, fetched as the widget fetches it (no cookies, no Referer, never
 * through a redirect), so that it arrives while the module downloads. Resolves to its text, or
 * to null on any failure: the widget then fetches it itself and reports what went wrong.
 */
function prefetch(url) {
  if (typeof fetch !== "function") return null;
  // No longer than the widget's own attempt would wait (http.rs): then it tries once more itself.
  const signal = typeof AbortSignal === "function" && AbortSignal.timeout ? AbortSignal.timeout(30_000) : undefined;
  return fetch(url, { credentials: "omit", referrerPolicy: "no-referrer", redirect: "error", signal })
    .then((response) => (response.ok ? response.text() : null))
    .catch(() => null);
}

// -------------------------------------------------------------------------------- delivery ---
//
// The JavaScript counterpart of widget/src/delivery: on page load, if the outbox holds a
// submission that can still be sent, load the WebAssembly and start its flush, whether or not
// this page shows a survey. Everything else about delivery (posting, backoff, what each answer
// means, the records themselves) is the WebAssembly's. The classic loader only checks that a key
// of the outbox exists before importing this file.

/**
 * The outbox's keys (widget/src/delivery/outbox.rs): each submission under OUTBOX + ":" + its
 * id, and, from earlier releases, one list under OUTBOX.
 */
const OUTBOX = "survey-widget:outbox";

/**
 * Whether an entry of the outbox could be sent now or later. An entry that is `held` (refused,
 * or in conflict) waits for its respondent on the survey's own page, and loads nothing here.
 * An entry this file cannot read is for the WebAssembly to sort out, and loads nothing either.
 */
function outboxPending() {
  let store;
  try {
    store = globalThis.localStorage;
    if (!store) return false;
  } catch {
    return false; // storage disabled or sandboxed
  }
  for (let i = 0; i < store.length; i++) {
    try {
      const key = store.key(i);
      if (key !== OUTBOX && !key.startsWith(`${OUTBOX}:`)) continue;
      const value = JSON.parse(store.getItem(key));
      const entries = key === OUTBOX ? value : [value];
      if (Array.isArray(entries) && entries.some((e) => e && typeof e.body === "string" && !e.held)) return true;
    } catch {
      // Unreadable here; the others may still be pending.
    }
  }
  return false;
}

/**
 * Sends the answers an earlier visit could not deliver. It runs by itself when this module is
 * imported and answers are pending; call it again after the host learns the network is back.
 */
export function flushOutbox() {
  return ready().then((module) => {
    if (!aborted && typeof module.flush_outbox === "function") guard(() => module.flush_outbox());
  });
}

// docs/submission.md: a kept submission is retried on the next page load, whether or not this page
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

/** JS API options (docs/embedding.md) as the options JSON of the WebAssembly's mount(). */
function fromOptions(options) {
  const raw = {
    endpoint: options.endpoint,
    lang: options.lang,
    anonymous: options.anonymous,
    hidden: strings(options.hidden),
    heading_level: options.headingLevel,
    render: options.render,
    request_timeout: options.requestTimeout,
    words: options.words,
    channel: options.channel,
    metrics: options.metrics,
    events: options.events === undefined ? undefined : absolute(options.events),
    preview: options.preview === true,
  };
  const survey = options.survey;
  if (typeof survey === "string" || survey instanceof URL) raw.survey_url = absolute(survey);
  else if (survey !== undefined && survey !== null) raw.survey_json = JSON.stringify(survey);
  return raw;
}

/** An attribute holding JSON (`words='{"send": "Submit"}'`); the text itself if it is not JSON,
 * so the widget can say what is wrong with it. */
function jsonAttribute(element, name) {
  const text = attribute(element, name);
  if (text === null) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function attribute(element, name) {
  const value = element.getAttribute(name);
  return value === null ? element.getAttribute("data-" + name) : value;
}

/**
 * An element's attributes (`src`, `endpoint`, `lang`, `anonymous`, `hidden-NAME`,
 * `heading-level`, `render`, `request-timeout`, `channel`, `metrics`, `events`, or their `data-`
 * forms) as mount options.
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
    words: jsonAttribute(element, "words"),
    channel: attribute(element, "channel"),
    metrics: attribute(element, "metrics"),
    events: attribute(element, "events"),
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
 * to a handle whose `destroy()` removes it and every listener it added, and whose
 * `update(definition)` shows a changed definition in place. Without `options`, the element's
 * own attributes are read, as the script-tag embed does.
 *
 * Mounting into an element that already shows a widget replaces that widget. If the bundle
 * cannot run, a plain message is shown in the element, `survey:error` is dispatched with code
 * "unsupported", and the promise rejects.
 */
export async function mount(element, options) {
  if (!element || element.nodeType !== 1) throw new TypeError("survey-widget: mount() needs an element");
  const raw = options == null ? fromElement(element) : fromOptions(options);
  raw.stylesheet = STYLESHEET;
  const definition = raw.survey_url && !raw.survey_json ? prefetch(raw.survey_url) : null;
  let module;
  try {
    module = await ready();
  } catch (error) {
    clear(element);
    unsupported(element, raw, error);
    throw error;
  }
  // The definition was asked for beside the module (it is usually here first): waiting for it
  // is never slower than the widget asking again, which would wait for the same network.
  const text = definition && (await definition);
  if (typeof text === "string") raw.survey_text = text;
  // Decided now rather than when mount() was called: with two mounts in flight into one
  // element, the later call wins and the earlier widget is gone before the later one appears.
  clear(element);
  if (aborted) {
    stopped(element, raw);
    throw aborted;
  }
  // In `live` before the call, so that a trap during it shows the message here too.
  live.set(element, raw);
  let widget;
  try {
    widget = guard(() => module.mount(element, JSON.stringify(raw)));
  } catch (error) {
    if (live.get(element) === raw) live.delete(element);
    throw error;
  }
  const destroy = () => {
    if (current.get(element) === destroy) current.delete(element);
    if (live.get(element) === raw) live.delete(element);
    const message = current.get(element);
    if (message && message.raw === raw) message(); // the module stopped: the message stood in for it
    if (!widget) return;
    const last = widget;
    widget = null;
    // Once the module has stopped, the message has replaced the widget and nothing may call in.
    if (aborted) return;
    guard(() => {
      last.destroy(); // the widget's DOM, its yew app and the listeners on its container
      last.free(); // the Rust value itself
    });
  };
  current.set(element, destroy);
  // A definition (object or JSON text) shown in place of the current one, keeping the answers
  // to the questions it still has: a preview updated as its survey is edited. A definition
  // with problems throws them, and the widget keeps the last good one.
  const update = (definition) => {
    if (!widget || aborted) return;
    const text = typeof definition === "string" ? definition : JSON.stringify(definition);
    guard(() => widget.update(text));
  };
  return Object.freeze({ destroy, update });
}
