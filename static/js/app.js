// trustwork's own script: small, no dependencies, served from our static files.
(function () {
  "use strict";

  // Quick exit: leave at once for a neutral site and replace this page in the
  // history, so the back button does not bring it back.
  function quickExit(event) {
    if (event) event.preventDefault();
    var link = document.querySelector("[data-quick-exit]");
    var target = link ? link.href : "https://www.bbc.co.uk/weather";
    document.body.hidden = true;
    window.location.replace(target);
  }

  var escapes = [];
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var now = Date.now();
    escapes = escapes.filter(function (t) { return now - t < 1500; });
    escapes.push(now);
    if (escapes.length >= 3) quickExit();
  });

  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-quick-exit]");
    if (target) quickExit(event);
  });

  // Ask before destructive actions when a form says so (the page also has a
  // confirmation step of its own where it matters; this is a second guard).
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  });
})();
