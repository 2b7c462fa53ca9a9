// Exercises: after htmx swaps in the next step, move focus to its heading so
// keyboard and screen-reader users land where the new content begins.
(function () {
  "use strict";
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || target.id !== "exercise-main") return;
    var heading = document.getElementById("step-title");
    if (heading) heading.focus();
  });
})();
