// cib serve: reload the page when a new build is in; while the sources have
// errors, show them over the page. Loaded by every page cib serve hands out.
(function () {
  "use strict";
  var seen = null;
  var box = null;
  function show(status) {
    var text = status.errors.join("\n");
    if (!text && !status.building) {
      if (box) { box.remove(); box = null; }
      return;
    }
    if (!box) {
      box = document.createElement("aside");
      box.id = "cib-overlay";
      box.setAttribute("role", "status");
      box.setAttribute("aria-label", "cib serve");
      box.style.cssText = "position:fixed;left:0;right:0;bottom:0;max-height:50vh;overflow:auto;" +
        "margin:0;padding:0.75em 1em;background:#1b1b1b;color:#f5f5f5;font:14px/1.4 monospace;" +
        "border-top:4px solid #c62828;z-index:2147483647;white-space:pre-wrap";
      document.body.appendChild(box);
    }
    box.style.borderTopColor = text ? "#c62828" : "#1565c0";
    box.textContent = text
      ? "The sources have errors; this page shows the last good build.\n\n" + text
      : "Rebuilding…";
  }
  function poll() {
    fetch("/__cib/status", { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (status) {
        if (seen === null) { seen = status.generation; }
        if (status.generation !== seen) { location.reload(); return; }
        show(status);
      })
      .catch(function () { /* the server restarts or stopped: try again */ })
      .then(function () { setTimeout(poll, 700); });
  }
  poll();
})();
