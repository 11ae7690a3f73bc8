// Site-wide behaviour that HTML alone cannot give; every page works without it.
// Loaded as a file (the Content-Security-Policy allows no inline script).
(function () {
  "use strict";

  // Messages are toasts: confirmations fade after a few seconds, errors and warnings stay.
  function showToasts(root) {
    if (!window.bootstrap) return;
    root.querySelectorAll(".app-toasts .toast").forEach(function (element) {
      var autohide = element.dataset.autohide !== "false";
      window.bootstrap.Toast.getOrCreateInstance(element, { autohide: autohide, delay: 5000 }).show();
    });
  }

  // A <select data-autosubmit> (the team switcher) submits its form when changed.
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit") && target.form) {
      target.form.requestSubmit();
    }
  });

  document.addEventListener("DOMContentLoaded", function () { showToasts(document); });
})();
