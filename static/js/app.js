// trustwork's own script: small, no dependencies, served from our static files.
(function () {
  "use strict";

  // Quick exit: leave at once for a neutral site and replace this page in the
  // history, so the back button does not bring it back. The link's own href
  // (set by the server) is the destination, so it works without this script
  // too, only without the history replacement.
  var leaving = false;
  function quickExit(event) {
    if (event) event.preventDefault();
    if (leaving) return;
    leaving = true;
    var link = document.querySelector("[data-quick-exit]");
    var target = link ? link.href : "https://www.bbc.co.uk/weather";
    // Hide the page first: a slow network must not leave it on screen.
    document.title = "";
    document.documentElement.hidden = true;
    window.location.replace(target);
  }

  // Escape three times within two seconds, wherever the focus is (the capture
  // phase runs before any other handler could stop the event). A held-down key
  // repeats; only real presses count.
  var escapes = [];
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || event.repeat) return;
    var now = Date.now();
    escapes = escapes.filter(function (t) { return now - t < 2000; });
    escapes.push(now);
    if (escapes.length >= 3) quickExit(event);
  }, true);

  document.addEventListener("click", function (event) {
    var target = event.target.closest && event.target.closest("[data-quick-exit]");
    if (target) quickExit(event);
  }, true);

  // Ask before destructive actions when a form says so (the page also has a
  // confirmation step of its own where it matters; this is a second guard).
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  });
})();
