/*! survey-widget loader. A classic script: paste it once, with async, anywhere on the page.
 *
 * It finds <survey-widget> elements and <div data-survey-widget> blocks and, only when a widget
 * is on the page (and, unless the widget says loading="eager", only when it comes near the
 * viewport), imports index.mjs from its own folder, which reads the element's attributes and
 * loads the WebAssembly. Widgets added or removed later are mounted and cleaned up; loading this
 * script twice is harmless. window.SurveyWidget.mount(element, options) is the JS API, the same
 * function the ES module exports.
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
  var mounted = new Map(); // element -> Promise of its handle
  var manual = new WeakSet(); // elements a developer mounts with SurveyWidget.mount
  var entry = null;

  /**
   * What index.mjs asks for as soon as it runs, asked for now beside it: on a slow network that
   * saves a round trip. pkg-scripts/package.sh writes in the hashed names index.mjs uses, so
   * the module's import() and fetch() find these downloads under way (same URL, mode and
   * credentials). No Referer, as with the loader itself. Each link goes once its download
   * has ended (the browser keeps what it preloaded for the page): the host's DOM stays its own.
   */
  function preload() {
    [["modulepreload", "./survey_widget.js"], ["preload", "survey_widget_bg.wasm", "fetch"]].forEach(function (p) {
      var link = d.createElement("link");
      link.rel = p[0];
      link.href = base + p[1].replace("./", "");
      if (p[2]) link.as = p[2];
      link.crossOrigin = "anonymous";
      link.referrerPolicy = "no-referrer";
      link.onload = link.onerror = function () { link.remove(); };
      (d.head || d.documentElement).appendChild(link);
    });
  }

  /** index.mjs: the mount() of the ES module, shared by the script tag and the JS API. */
  function entryModule() {
    if (!entry) {
      if (base) preload();
      entry = import(base + "index.mjs");
      entry["catch"](function () { entry = null; });
    }
    return entry;
  }

  /** When even index.mjs cannot be fetched, say so plainly rather than leave a blank box. */
  function unreachable(el, error) {
    if (w.console) console.error("survey-widget: could not load " + base + "index.mjs:", error);
    var p = d.createElement("p");
    p.setAttribute("role", "alert");
    p.textContent = "Sorry, this survey cannot be shown at the moment.";
    (el.shadowRoot || el).appendChild(p);
    el.dispatchEvent(new CustomEvent("survey:error", {
      bubbles: true, composed: true,
      detail: { survey_id: "", code: "unsupported", message: String(error) }
    }));
  }

  /** Mounts el; `options` undefined means "read its attributes". Resolves to index.mjs's handle. */
  function start(el, options) {
    var p = entryModule().then(function (m) {
      return m.mount(el, options);
    }, function (e) {
      unreachable(el, e);
      throw e;
    });
    mounted.set(el, p);
    // index.mjs has already shown and reported the problem; forget el so a rescan may retry.
    p["catch"](function () { if (mounted.get(el) === p) mounted["delete"](el); });
    return p;
  }

  function stop(el) {
    var p = mounted.get(el);
    if (!p) return;
    mounted["delete"](el);
    p.then(function (h) { h.destroy(); }, function () {});
  }

  var io = w.IntersectionObserver ? new IntersectionObserver(function (entries) {
    entries.forEach(function (e) {
      if (e.isIntersecting) { io.unobserve(e.target); start(e.target); }
    });
  }, { rootMargin: "300px 0px" }) : null;

  /** Whether el has a box within the observer's margin (300 px above or below) of the viewport now. */
  function nearViewport(el) {
    if (!el.getClientRects().length) return false; // display: none, as the observer sees it
    var r = el.getBoundingClientRect(), h = w.innerHeight || d.documentElement.clientHeight;
    return r.bottom >= -300 && r.top <= h + 300 && r.right >= 0 && r.left <= (w.innerWidth || d.documentElement.clientWidth);
  }

  /** Whether every stylesheet the page links has arrived, so that its layout is the real one. */
  function styled() {
    if (d.readyState === "complete") return true;
    var links = d.querySelectorAll('link[rel~="stylesheet"]');
    for (var i = 0; i < links.length; i++) if (!links[i].sheet && !links[i].disabled) return false;
    return true;
  }

  /** Runs fn once the page's layout can be trusted: now, or when the page has loaded. */
  function whenStyled(fn) {
    if (styled()) fn();
    else w.addEventListener("load", fn, { once: true });
  }

  function consider(el) {
    if (mounted.has(el) || manual.has(el) || el.hasAttribute("data-survey-widget-manual")) return;
    var loading = el.getAttribute("loading") || el.getAttribute("data-loading");
    if (!io || loading === "eager") { start(el); return; }
    io.observe(el);
    // Near the viewport already: start now rather than wait for the observer's first callback,
    // which WebKit delivers only with a repaint that an idle, painted page may not get for
    // seconds. Measured only once the page's stylesheets are in: before, a widget below a tall
    // block that a stylesheet has yet to size looks near, and would load at once.
    whenStyled(function () {
      if (!mounted.has(el) && el.isConnected && nearViewport(el)) { io.unobserve(el); start(el); }
    });
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
    version: "dev", // pkg-scripts/package.sh writes the crate's version here
    /**
     * Mounts a widget into el now (options as docs/embedding.md; omitted: el's attributes) and
     * resolves to a handle whose destroy() removes the widget and every listener it added.
     * Removing el from the page destroys it too.
     */
    mount: function (el, options) {
      manual.add(el);
      if (io) io.unobserve(el);
      var p = start(el, options);
      return p.then(function (h) {
        return {
          destroy: function () {
            if (mounted.get(el) === p) mounted["delete"](el);
            h.destroy();
          }
        };
      });
    },
    /** Looks for widgets again (new ones are found automatically; this is for the rare host that needs it). */
    scan: function () { scan(d); },
    /** Starts fetching the bundle now. */
    load: function () { return entryModule().then(function (m) { return m.load(); }); }
  };

  // Answers an earlier visit could not deliver are sent now, even if no widget is on this page:
  // if a key of the outbox is there (one per submission, "survey-widget:outbox:ID", or an
  // earlier release's "survey-widget:outbox"), index.mjs (the delivery part) decides whether the
  // Wasm is needed and starts the flush.
  try {
    for (var s = w.localStorage, i = 0; s && i < s.length; i++) {
      if (String(s.key(i)).lastIndexOf("survey-widget:outbox", 0) === 0) {
        entryModule()["catch"](function () {});
        break;
      }
    }
  } catch (e) { /* storage disabled: nothing can be pending */ }

  if (d.readyState === "loading") d.addEventListener("DOMContentLoaded", function () { scan(d); });
  else scan(d);
})();
