// Small enhancements only: every page reads and every form works without this script.
(function () {
  "use strict";
  // A summary of errors takes the focus, so that a screen reader says what went wrong first.
  var summary = document.querySelector("[data-nt-error-summary]");
  if (summary) summary.focus();
})();
