// A running report's fragment is fetched again every second (htmx, outerHTML): keep the steps
// a person opened or folded as they were, as long as the step's result has not changed (a step
// that just failed opens by itself). Without JavaScript the page reloads nothing: all is HTML.
(function () {
  "use strict";

  var remembered = null;

  function foldStates(root) {
    var states = {};
    root.querySelectorAll("li.step[id] > details.step-fold").forEach(function (fold) {
      var step = fold.parentElement;
      var exchanges = Array.prototype.map.call(
        fold.querySelectorAll("details.exchange"), function (d) { return d.open; });
      states[step.id] = { status: step.className, open: fold.open, exchanges: exchanges };
    });
    return states;
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    remembered = target && target.id === "report-progress" ? foldStates(target) : null;
  });

  document.addEventListener("htmx:afterSettle", function () {
    var progress = document.getElementById("report-progress");
    if (!remembered || !progress) return;
    progress.querySelectorAll("li.step[id] > details.step-fold").forEach(function (fold) {
      var before = remembered[fold.parentElement.id];
      if (!before || before.status !== fold.parentElement.className) return;
      fold.open = before.open;
      fold.querySelectorAll("details.exchange").forEach(function (d, index) {
        if (index < before.exchanges.length) d.open = before.exchanges[index];
      });
    });
    remembered = null;
  });
})();
