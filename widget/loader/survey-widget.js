/*! survey-widget loader. A classic script: paste it once, with async, anywhere on the page.
 *
 * It finds <survey-widget> elements and <div data-survey-widget> blocks, fetches the WebAssembly
 * bundle that sits next to this file only when a widget is on the page (and, unless the widget
 * says loading="eager", only when it comes near the viewport), and mounts each widget in its own
 * open shadow root. Widgets added or removed later are mounted and cleaned up; loading this
 * script twice is harmless. window.SurveyWidget.mount(element, options) is the JS API.
 */
(function () {
  "use strict";
  var w = window, d = document;
  if (w.SurveyWidget && w.SurveyWidget.version) {
    // Loaded twice: the first copy already watches the page.
    w.SurveyWidget.scan();
    return;
  }

  var me = d.currentScript;
  if (!me || !me.src) {
    var all = d.querySelectorAll('script[src*="survey-widget.js"]');
    me = all[all.length - 1];
  }
  var base = me && me.src ? me.src.replace(/[^\/]*(?:[?#].*)?$/, "") : "";
  var SELECTOR = "survey-widget, [data-survey-widget]";
  var mounted = new Map(); // element -> Promise of handle
  var wasm = null;

  function load() {
    if (!wasm) {
      // Warm the stylesheet so widgets appear styled, in parallel with the Wasm.
      if (w.fetch) fetch(base + "survey-widget.css").catch(function () {});
      wasm = import(base + "survey_widget.js").then(function (m) {
        return m.default({ module_or_path: base + "survey_widget_bg.wasm" }).then(function () { return m; });
      });
    }
    return wasm;
  }

  function attr(el, name) {
    var v = el.getAttribute(name);
    return v === null ? el.getAttribute("data-" + name) : v;
  }

  function abs(url) {
    try { return new URL(url, d.baseURI).href; } catch (e) { return url; }
  }

  /** The element's attributes as mount options (SPEC section 1). */
  function fromElement(el) {
    var o = {
      endpoint: attr(el, "endpoint"),
      lang: el.localName === "survey-widget" ? attr(el, "lang") : el.getAttribute("data-lang"),
      anonymous: attr(el, "anonymous"),
      heading_level: attr(el, "heading-level"),
      render: attr(el, "render"),
      hidden: {}
    };
    var inline = el.querySelector('script[type="application/json"]');
    var src = attr(el, "src");
    if (inline) o.survey_json = inline.textContent;
    else if (src) o.survey_url = abs(src);
    for (var i = 0; i < el.attributes.length; i++) {
      var m = /^(?:data-)?hidden-(.+)$/.exec(el.attributes[i].name);
      if (m) o.hidden[m[1]] = el.attributes[i].value;
    }
    return o;
  }

  /** JS API options ({survey, endpoint, lang, anonymous, hidden, render, headingLevel}). */
  function fromApi(opts) {
    opts = opts || {};
    var o = {
      endpoint: opts.endpoint, lang: opts.lang, anonymous: opts.anonymous, hidden: opts.hidden || {},
      heading_level: opts.headingLevel || opts.heading_level, render: opts.render
    };
    if (typeof opts.survey === "string") o.survey_url = abs(opts.survey);
    else if (opts.survey) o.survey_json = JSON.stringify(opts.survey);
    return o;
  }

  /** A plain message in place of the widget when the bundle cannot run at all. */
  function fallback(el, error) {
    if (w.console) console.error("survey-widget: could not start:", error);
    var root = el.shadowRoot || (el.attachShadow ? el.attachShadow({ mode: "open" }) : el);
    var p = d.createElement("p");
    p.setAttribute("role", "alert");
    p.textContent = "Sorry, this survey cannot be shown in this browser or on this page." +
      (String(error).indexOf("CompileError") >= 0 || String(error).indexOf("unsafe-eval") >= 0
        ? " (The page's security policy does not allow WebAssembly: it needs 'wasm-unsafe-eval'.)" : "");
    root.appendChild(p);
    el.dispatchEvent(new CustomEvent("survey:error", {
      bubbles: true, composed: true,
      detail: { survey_id: "", code: "unsupported", message: String(error) }
    }));
  }

  function start(el, options) {
    if (mounted.has(el)) return mounted.get(el);
    options.stylesheet = base + "survey-widget.css";
    var p = load().then(function (m) {
      return m.mount(el, JSON.stringify(options));
    });
    p.catch(function (e) { mounted.delete(el); fallback(el, e); });
    mounted.set(el, p);
    return p;
  }

  function stop(el) {
    var p = mounted.get(el);
    if (!p) return;
    mounted.delete(el);
    p.then(function (h) { h.destroy(); h.free && h.free(); }, function () {});
  }

  var io = w.IntersectionObserver ? new IntersectionObserver(function (entries) {
    entries.forEach(function (e) {
      if (e.isIntersecting) { io.unobserve(e.target); start(e.target, fromElement(e.target)); }
    });
  }, { rootMargin: "300px 0px" }) : null;

  function consider(el) {
    if (mounted.has(el) || el.hasAttribute("data-survey-widget-manual")) return;
    if (io && attr(el, "loading") !== "eager") io.observe(el);
    else start(el, fromElement(el));
  }

  function scan(root) {
    var scope = root || d;
    if (scope.matches && scope.matches(SELECTOR)) consider(scope);
    if (scope.querySelectorAll) {
      var found = scope.querySelectorAll(SELECTOR);
      for (var i = 0; i < found.length; i++) consider(found[i]);
    }
  }

  function forget(node) {
    // A node moved within the page is removed and added again: wait a tick before destroying.
    Promise.resolve().then(function () {
      mounted.forEach(function (_, el) {
        if (!el.isConnected && (el === node || (node.contains && node.contains(el)))) {
          if (io) io.unobserve(el);
          stop(el);
        }
      });
    });
  }

  new MutationObserver(function (records) {
    records.forEach(function (r) {
      for (var i = 0; i < r.addedNodes.length; i++) if (r.addedNodes[i].nodeType === 1) scan(r.addedNodes[i]);
      for (var j = 0; j < r.removedNodes.length; j++) if (r.removedNodes[j].nodeType === 1) forget(r.removedNodes[j]);
    });
  }).observe(d.documentElement, { childList: true, subtree: true });

  w.SurveyWidget = {
    version: "0.1.0",
    /** Mounts a widget into element now; resolves to a handle with destroy(). */
    mount: function (el, opts) {
      el.setAttribute("data-survey-widget-manual", "");
      return start(el, fromApi(opts)).then(function (h) {
        return { destroy: function () { stop(el); el.removeAttribute("data-survey-widget-manual"); } };
      });
    },
    /** Looks for widgets again (new ones are found automatically; this is for the rare host that needs it). */
    scan: function () { scan(d); },
    /** Starts fetching the bundle now. */
    load: function () { return load().then(function () {}); }
  };

  if (d.readyState === "loading") d.addEventListener("DOMContentLoaded", function () { scan(d); });
  else scan(d);
})();
