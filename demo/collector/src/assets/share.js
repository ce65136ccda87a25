/* The "Copy link" and "Share" buttons of the collector's list of surveys (/surveys).
 *
 * Progressive enhancement: each survey's link is already in the page as an ordinary link, and
 * stays there. Where the browser can copy to the clipboard, a "Copy link" button is added; where
 * it has a native share sheet (navigator.share, mostly phones), a "Share" button too. What
 * happened is said in the survey's own status line (role="status", in the page from the start,
 * so screen readers announce it). No inline script or style: the page's policy forbids both.
 */
(function () {
  "use strict";
  var d = document, nav = window.navigator;
  var canCopy = !!(nav.clipboard && nav.clipboard.writeText && window.isSecureContext);
  var canShare = typeof nav.share === "function";

  /** Puts `message` in the status line. Emptied first, so the same words twice are read twice. */
  function say(status, message) {
    status.textContent = "";
    window.setTimeout(function () { status.textContent = message; }, 50);
  }

  /** A button whose visible text is `label`, and whose name also says which survey. */
  function button(label, surveyTitle, onclick) {
    var b = d.createElement("button");
    b.type = "button";
    b.className = "share-button";
    b.appendChild(d.createTextNode(label));
    var hidden = d.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = (label === "Copy link" ? " to " : " ") + surveyTitle;
    b.appendChild(hidden);
    b.addEventListener("click", onclick);
    return b;
  }

  function enhance(block) {
    var url = block.getAttribute("data-share-url");
    var surveyTitle = block.getAttribute("data-share-title") || "";
    var status = block.querySelector(".share-status");
    if (!url || !status || (!canCopy && !canShare)) return;
    var buttons = d.createElement("div");
    buttons.className = "share-buttons";
    if (canCopy) {
      buttons.appendChild(button("Copy link", surveyTitle, function () {
        nav.clipboard.writeText(url).then(function () {
          say(status, "Link copied");
        }, function () {
          say(status, "The link could not be copied. Select it above and copy it yourself.");
        });
      }));
    }
    if (canShare) {
      buttons.appendChild(button("Share", surveyTitle, function () {
        nav.share({ title: surveyTitle, url: url })["catch"](function (e) {
          // Closing the share sheet is not a failure.
          if (!e || e.name !== "AbortError") {
            say(status, "The link could not be shared. Select it above and copy it yourself.");
          }
        });
      }));
    }
    block.insertBefore(buttons, status);
  }

  function start() {
    var blocks = d.querySelectorAll("[data-share-url]");
    for (var i = 0; i < blocks.length; i++) enhance(blocks[i]);
  }

  if (d.readyState === "loading") d.addEventListener("DOMContentLoaded", start);
  else start();
})();
