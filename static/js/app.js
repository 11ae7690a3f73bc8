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

  // A <button data-copy="ID" hidden> copies the value of the field ID (an invitation link).
  // It stays hidden without JavaScript, where the read-only field is copied by hand.
  function showCopyButtons(root) {
    if (!navigator.clipboard) return;
    root.querySelectorAll("button[data-copy][hidden]").forEach(function (button) {
      button.hidden = false;
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element ? event.target.closest("button[data-copy]") : null;
    if (!button) return;
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) return;
    navigator.clipboard.writeText(field.value).then(function () {
      var label = button.querySelector(".copy-label");
      if (label) label.textContent = "Copied";
      setTimeout(function () { if (label) label.textContent = "Copy"; }, 2000);
    });
  });

  // The account menu (a <details>) closes on Escape and on a click elsewhere, like a menu.
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.app-menu[open]").forEach(function (menu) {
      if (!(event.target instanceof Node) || !menu.contains(event.target)) menu.open = false;
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("details.app-menu[open]").forEach(function (menu) {
      menu.open = false;
      var summary = menu.querySelector("summary");
      if (summary && menu.contains(document.activeElement)) summary.focus();
    });
  });

  // A report's start form shows the values of the ticked triggers only (all when none is
  // ticked, as the run covers them all then). Without script every value shows; the server
  // asks only for those of the chosen triggers.
  function showRunInputs(form) {
    var ticked = Array.prototype.map.call(
      form.querySelectorAll("input[name='triggers']:checked"), function (box) { return box.value; });
    var shown = 0;
    form.querySelectorAll(".run-input").forEach(function (row) {
      var used = (row.getAttribute("data-triggers") || "").split(" ");
      row.hidden = ticked.length > 0 && !used.some(function (id) { return ticked.indexOf(id) >= 0; });
      if (!row.hidden) shown += 1;
    });
    var section = form.querySelector(".run-inputs");
    if (section) section.hidden = shown === 0;
  }
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target && target.name === "triggers" && target.form && target.form.querySelector(".run-inputs")) {
      showRunInputs(target.form);
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    showToasts(document);
    showCopyButtons(document);
    document.querySelectorAll(".run-inputs").forEach(function (section) {
      var form = section.closest("form");
      if (form) showRunInputs(form);
    });
  });
})();
