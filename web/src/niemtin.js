// Small enhancements only: every page reads and every form works without this script.
(function () {
  "use strict";
  // A summary of errors takes the focus, so that a screen reader says what went wrong first.
  var summary = document.querySelector("[data-nt-error-summary]");
  if (summary) summary.focus();
  // A file's SHA-256 computed here, shown, and sent beside the file: the server checks the two agree.
  var files = document.querySelectorAll("input[type=file][data-nt-sha256]");
  Array.prototype.forEach.call(files, function (input) {
    input.addEventListener("change", function () {
      var out = document.getElementById(input.getAttribute("data-nt-sha256"));
      var shown = document.getElementById(out.id + "-shown");
      out.value = "";
      if (shown) shown.textContent = "";
      var f = input.files && input.files[0];
      if (!f || !window.crypto || !window.crypto.subtle) return;
      f.arrayBuffer().then(function (buf) {
        return window.crypto.subtle.digest("SHA-256", buf);
      }).then(function (h) {
        var hex = Array.prototype.map.call(new Uint8Array(h), function (b) {
          return ("0" + b.toString(16)).slice(-2);
        }).join("");
        out.value = hex;
        if (shown) shown.textContent = "SHA-256: " + hex;
      });
    });
  });
})();
