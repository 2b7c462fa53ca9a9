// The weekly check-in form. htmx saves the draft as the person types
// (hx-trigger on the form); this file only adds two small kindnesses.
(function () {
  "use strict";

  // After a send with problems, move focus to the summary so a screen reader
  // announces it and a keyboard user starts from there.
  var problems = document.getElementById("checkin-problems");
  if (problems) problems.focus();

  // When the tab is hidden or closed, save what is there at once instead of
  // waiting for the typing pause.
  var form = document.querySelector(".checkin-form");
  if (form) {
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") {
        form.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  }
})();
