// The wizard's page behaviour. Every page works without it; with it:
// - leaving a page with unsaved edits (a link, the stepper, an htmx swap, closing the tab)
//   asks first, and the header says "Unsaved changes";
// - Ctrl+S (Cmd+S) saves the page's one form;
// - the trigger page's sections are tabs, and a save lands back on the tab it was sent from;
// - the Security step shows the fields of the chosen authentication type only;
// - a trigger parameter's dynamic-values fields show only while "Dynamic values" is chosen.
// Loaded as a file: the Content-Security-Policy allows no inline script.
(function () {
  "use strict";

  document.documentElement.classList.add("js");
  var FORM_ID = "wizard-form";
  var dirty = false;
  var submitting = false;

  function pageForm() { return document.getElementById(FORM_ID); }

  function belongsToPageForm(element) {
    var form = pageForm();
    return !!form && !!element && (element.form === form);
  }

  function setDirty(value) {
    dirty = value;
    document.querySelectorAll("[data-dirty-note]").forEach(function (note) { note.hidden = !value; });
  }

  // Any edit of a field of the page's form (including the title in the header bar, which
  // joins the form through its form attribute) makes the page dirty.
  ["input", "change"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      var target = event.target;
      if (target && target.name && belongsToPageForm(target) && !target.hasAttribute("data-not-an-edit")) {
        setDirty(true);
      }
    });
  });

  document.addEventListener("submit", function (event) {
    if (event.target && event.target.id === FORM_ID) { submitting = true; }
  });

  window.addEventListener("beforeunload", function (event) {
    if (dirty && !submitting) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // htmx swaps (the stepper, links with hx-get) replace the page without unloading it: ask
  // first. The live preview the form sends while typing saves nothing and needs no question.
  document.addEventListener("htmx:confirm", function (event) {
    var element = event.detail && event.detail.elt;
    if (!dirty || !element || element.id === FORM_ID) return;
    if (element.closest && element.closest("#" + FORM_ID)) return;
    event.preventDefault();
    if (window.confirm("You have unsaved changes on this page. Leave without saving them?")) {
      setDirty(false);
      event.detail.issueRequest(true);
    }
  });

  // A swapped-in page starts clean (its form holds what was saved).
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail && event.detail.target && event.detail.target.id === "wizard") {
      setDirty(false);
      submitting = false;
      initialise(document);
    }
  });

  // Ctrl+S / Cmd+S saves the page's form with its Save button (so the browser's own
  // validation and the button's name/value go along).
  document.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && !event.altKey && (event.key === "s" || event.key === "S")) {
      var form = pageForm();
      if (!form) return;
      event.preventDefault();
      var save = document.querySelector("button[data-save]");
      if (save && !save.disabled) {
        form.requestSubmit(save);
      }
    }
  });

  // Tabs: remember the shown one in the form, so that the save lands back on it, and in the
  // address bar, so that a reload shows it again.
  document.addEventListener("shown.bs.tab", function (event) {
    var tab = event.target && event.target.getAttribute("data-tab");
    if (!tab) return;
    var field = document.querySelector("input[name='tab'][form='" + FORM_ID + "'], #" + FORM_ID + " input[name='tab']");
    if (field) field.value = tab;
    var url = new URL(window.location.href);
    url.searchParams.set("tab", tab);
    window.history.replaceState(window.history.state, "", url);
  });

  // Security: the chosen type's fields only.
  function showSecurityType(root) {
    var chosen = root.querySelector("input[name='type']:checked");
    if (!chosen) return;
    root.querySelectorAll("[data-security-type]").forEach(function (group) {
      group.hidden = group.getAttribute("data-security-type") !== chosen.value;
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target && event.target.name === "type" && event.target.closest("[data-security-types]")) {
      showSecurityType(event.target.closest("[data-security-types]"));
    }
  });

  // Parameters: a row's dynamic-values fields only while "Dynamic values" is chosen.
  function showDynamicValues(group) {
    var mode = group.querySelector("select[name$='-mode']");
    if (!mode) return;
    group.querySelectorAll("[data-dynamic-only]").forEach(function (part) {
      part.hidden = mode.value !== "dynamic";
    });
  }
  document.addEventListener("change", function (event) {
    var group = event.target && event.target.closest && event.target.closest("[data-dynamic-values]");
    if (group && event.target.name && /-mode$/.test(event.target.name)) showDynamicValues(group);
  });

  function initialise(root) {
    root.querySelectorAll("[data-security-types]").forEach(showSecurityType);
    root.querySelectorAll("[data-dynamic-values]").forEach(showDynamicValues);
    // A refused save comes back with the typed edits, still unsaved.
    if (root.querySelector("[data-dirty-note][data-unsaved]")) setDirty(true);
  }

  document.addEventListener("DOMContentLoaded", function () { initialise(document); });
})();
