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
  // Browser push for the trusted network: this browser subscribed with the server's key, its
  // subscription posted to the server with the page's form token. Without this script the page says
  // push needs JavaScript.
  var push = document.querySelector("[data-nt-push]");
  if (push) {
    var said = document.getElementById("push-status");
    var key = function (b64) {
      var s = atob(b64.replace(/-/g, "+").replace(/_/g, "/"));
      var out = new Uint8Array(s.length);
      for (var i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
      return out;
    };
    push.hidden = false;
    if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
      push.disabled = true;
      said.textContent = push.getAttribute("data-unsupported");
    }
    push.addEventListener("click", function () {
      navigator.serviceWorker.register("/sw.js").then(function () {
        return navigator.serviceWorker.ready;
      }).then(function (reg) {
        return Notification.requestPermission().then(function (answer) {
          if (answer !== "granted") throw new Error(push.getAttribute("data-denied"));
          return reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key(push.getAttribute("data-nt-push")) });
        });
      }).then(function (sub) {
        var j = sub.toJSON();
        var body = new URLSearchParams({ csrf: push.getAttribute("data-csrf"), endpoint: j.endpoint, p256dh: j.keys.p256dh, auth: j.keys.auth });
        return fetch("/console/network/push", { method: "POST", body: body, credentials: "same-origin" });
      }).then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        said.textContent = push.getAttribute("data-done");
      }).catch(function (e) {
        said.textContent = push.getAttribute("data-failed") + " " + ((e && e.message) || "");
      });
    });
  }
})();
