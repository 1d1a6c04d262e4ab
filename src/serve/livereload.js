// Injected by `digest serve` into the pages it serves (never into `digest build` output):
// reloads the page when a rebuild changed it, swaps stylesheets when only CSS changed, and
// shows the build's errors over the page until they are fixed.
(function () {
  "use strict";
  var overlayId = "digest-error-overlay";
  function removeOverlay() {
    var old = document.getElementById(overlayId);
    if (old) old.remove();
  }
  function showErrors(errors) {
    removeOverlay();
    var box = document.createElement("div");
    box.id = overlayId;
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;" +
      "background:rgba(20,20,24,.94);color:#f5f5f5;font:14px/1.5 ui-monospace,monospace;";
    var title = document.createElement("h2");
    title.textContent = "digest: the last edit did not build (" + errors.length + " error" +
      (errors.length === 1 ? "" : "s") + "); showing the last good build";
    title.style.cssText = "font:bold 16px/1.4 system-ui,sans-serif;color:#ff8a80;margin:0 0 1rem";
    box.appendChild(title);
    errors.forEach(function (e) {
      var item = document.createElement("pre");
      item.style.cssText = "white-space:pre-wrap;margin:0 0 1rem;padding:.75rem;background:#2a2a30;border-radius:6px";
      item.textContent = e.location + ": " + e.message + (e.hint ? "\n  hint: " + e.hint : "");
      box.appendChild(item);
    });
    document.body.appendChild(box);
  }
  function swapStylesheets() {
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href);
      url.searchParams.set("digest-reload", Date.now());
      link.href = url.toString();
    });
  }
  var events = new EventSource("/__digest/events");
  events.addEventListener("reload", function (event) {
    var data = JSON.parse(event.data);
    var here = location.pathname.replace(/index\.html$/, "");
    if (data.all || data.paths.indexOf(here) !== -1 || data.paths.indexOf(location.pathname) !== -1) {
      location.reload();
    }
  });
  events.addEventListener("css", swapStylesheets);
  events.addEventListener("errors", function (event) { showErrors(JSON.parse(event.data)); });
  events.addEventListener("ok", removeOverlay);
})();
