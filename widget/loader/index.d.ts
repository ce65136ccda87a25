// Type declarations for survey-widget: the ES module (`import { mount } from "survey-widget"`),
// the events every widget dispatches, and `window.SurveyWidget` of the classic loader
// (`survey-widget/loader`). The contract they describe is docs/embedding.md.

/** A survey definition, format 1 (docs/survey-format.md). Checked by the widget when it mounts. */
export interface SurveyDefinition {
  format: 1;
  id: string;
  version: number;
  pages: readonly unknown[];
  [field: string]: unknown;
}

/** What a host decides about one widget. */
export interface MountOptions {
  /** The definition itself, or the URL it is fetched from (resolved against the page). */
  survey: SurveyDefinition | string | URL;
  /** URL the answers are POSTed to (docs/submission.md). */
  endpoint: string;
  /** Preferred language tag (`"en"`, `"cy"`, …); falls back to the survey's default. */
  lang?: string;
  /** `true` forces anonymous mode. It can only make a survey stricter, never less anonymous. */
  anonymous?: boolean;
  /** Values for the hidden fields the survey declares (campaign, channel, …). */
  hidden?: Record<string, string>;
  /**
   * `"shadow"` (default): an open shadow root isolates styles both ways. `"light"`: rendered in
   * the page's DOM, for hosts that need browser autofill.
   */
  render?: "shadow" | "light";
  /** Level of the survey's top heading (default 2), so the host keeps its own outline. */
  headingLevel?: 1 | 2 | 3 | 4 | 5;
  /**
   * How long one POST of the answers may take, in milliseconds (500 to 120000, default 20000),
   * before it counts as failed and the answers are kept on the device for a retry.
   */
  requestTimeout?: number;
  /**
   * Replacements for the widget's own words (buttons, errors, progress), by key: `{ send: "Submit" }`
   * for every language, or `{ cy: { send: "Cyflwyno" } }` for one. The keys are listed in the README.
   */
  words?: Record<string, string | Record<string, string>>;
  /**
   * Where this embed is (`"website"`, `"newsletter"`, `"facebook"`…): letters, digits, `-`, `_`
   * and `.`, up to 40. Sent with the answers and with the reach counts; it also fills a hidden
   * field named `channel` if the survey declares one.
   */
  channel?: string;
  /** `"off"` stops the aggregate reach events (viewed, started, pages reached) of this embed. */
  metrics?: "on" | "off";
  /** Where reach events are POSTed; by default `events` beside the endpoint (`/api/events`). */
  events?: string;
  /**
   * `true` for a preview (a survey editor's): no draft is read or kept, no reach events, opening
   * times are not applied, and sending checks the answers, shows the confirmation and sends
   * nothing ("Preview: these answers were not sent.").
   */
  preview?: boolean;
}

/** A mounted widget. */
export interface SurveyHandle {
  /**
   * Removes the widget, its stylesheet link and every listener it added. Safe to call more
   * than once. The element keeps its (then empty) shadow root, which the DOM cannot remove; a
   * later `mount()` into it reuses it.
   */
  destroy(): void;
  /**
   * Shows `definition` (an object, or its JSON text) in place of the survey on screen, keeping
   * the answers to the questions it still has and the page if it is still there; made for a
   * preview updated as its survey is edited. Throws, listing every problem, if the definition
   * is not valid; the widget then keeps showing the last good one. Does nothing after
   * `destroy()`.
   */
  update(definition: SurveyDefinition | string): void;
}

/**
 * Mounts a survey into `element` and resolves once it is in the page (the definition, if given
 * as a URL, is then still loading). Without `options`, the element's own attributes are read,
 * as the script-tag embed does (`src`, `endpoint`, `lang`, `request-timeout`, …).
 *
 * Mounting into an element that already shows a widget replaces it. Problems with the options
 * or the definition are shown in the widget and dispatched as `survey:error`; the promise
 * rejects only when the widget cannot run at all (no WebAssembly, a Content Security Policy
 * without `'wasm-unsafe-eval'`, the bundle unreachable), after showing a plain message.
 */
export function mount(element: Element, options?: MountOptions): Promise<SurveyHandle>;

/** Fetches and compiles the WebAssembly now, so that the first `mount()` is instant. */
export function load(): Promise<void>;

/**
 * Sends the answers kept on this device because an earlier visit could not deliver them
 * (docs/submission.md). Importing the module already does this when answers are pending; call it
 * again when the host knows the network is back.
 */
export function flushOutbox(): Promise<void>;

/** `survey:ready`: the survey is shown. */
export interface SurveyReadyDetail {
  survey_id: string;
}

/** `survey:start`: the respondent gave their first answer. */
export interface SurveyStartDetail {
  survey_id: string;
}

/** `survey:page`: a page is shown; `index` counts from 0 in the definition's `pages`. */
export interface SurveyPageDetail {
  survey_id: string;
  index: number;
  page_id: string;
}

/** `survey:submit`: the answers are being sent. */
export interface SurveySubmitDetail {
  survey_id: string;
  submission_id: string;
}

/** `survey:queued`: the answers could not be delivered yet and are kept for retry. */
export interface SurveyQueuedDetail {
  survey_id: string;
  submission_id: string;
}

/** `survey:complete`: the endpoint accepted the answers. */
export interface SurveyCompleteDetail {
  survey_id: string;
  submission_id: string;
  /** The reference the endpoint gave, shown to the respondent; `null` if it gave none. */
  reference: string | null;
}

/** Stable codes of `survey:error`. */
export type SurveyErrorCode =
  | "bad_definition"
  | "bad_options"
  | "definition_unavailable"
  /** The endpoint refused the answers (400, 413, 422); they stay on screen and on the device. */
  | "submission_refused"
  /** The endpoint refused the answers because the survey has closed (422, code "closed"). */
  | "survey_closed"
  /** The endpoint holds other answers under this submission_id (409); these were not delivered. */
  | "submission_conflict"
  | "unsupported"
  | "dom"
  /** The WebAssembly module stopped (a panic or a trap); every widget on the page shows a plain message. */
  | "aborted";

/** `survey:error`: something stopped the survey or refused the answers. */
export interface SurveyErrorDetail {
  /** The survey's id, or `""` if it never became known (unusable options, unreachable file). */
  survey_id: string;
  code: SurveyErrorCode;
  /** A sentence for the web team's console, not for respondents. */
  message: string;
}

/**
 * Every event a widget dispatches on its host element (`bubbles` and `composed`, so a listener
 * on `document` hears them too).
 */
export interface SurveyEventMap {
  "survey:ready": CustomEvent<SurveyReadyDetail>;
  "survey:start": CustomEvent<SurveyStartDetail>;
  "survey:page": CustomEvent<SurveyPageDetail>;
  "survey:submit": CustomEvent<SurveySubmitDetail>;
  "survey:queued": CustomEvent<SurveyQueuedDetail>;
  "survey:complete": CustomEvent<SurveyCompleteDetail>;
  "survey:error": CustomEvent<SurveyErrorDetail>;
}

/** `window.SurveyWidget`, defined by the classic loader (`survey-widget.js`). */
export interface SurveyWidgetGlobal {
  /** The package version. */
  readonly version: string;
  /** As the module's `mount()`; removing the element from the page also destroys the widget. */
  mount(element: Element, options?: MountOptions): Promise<SurveyHandle>;
  /** Looks for new `<survey-widget>` and `[data-survey-widget]` elements now. */
  scan(): void;
  /** Fetches and compiles the WebAssembly now. */
  load(): Promise<void>;
}

declare global {
  interface HTMLElementEventMap extends SurveyEventMap {}
  interface DocumentEventMap extends SurveyEventMap {}
  interface HTMLElementTagNameMap {
    "survey-widget": HTMLElement;
  }
  interface Window {
    /** Present once the classic loader (`survey-widget/loader`) has run. */
    SurveyWidget?: SurveyWidgetGlobal;
  }
}
