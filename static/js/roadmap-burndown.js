// Burndown charts of series and milestone pages: data from a json_script element, drawn by uPlot.
(function () {
  "use strict";

  function draw(element) {
    var source = document.getElementById(element.dataset.burndown);
    if (!source || typeof uPlot === "undefined") return;
    var data = JSON.parse(source.textContent);
    if (!data.days.length) {
      element.textContent = "No history in this period.";
      return;
    }
    var xs = data.days.map(function (day) { return Date.parse(day + "T00:00:00Z") / 1000; });
    var options = {
      width: Math.max(element.clientWidth, 320),
      height: 260,
      scales: { x: { time: true } },
      series: [
        {},
        { label: "Open", stroke: "#c62828", width: 2 },
        { label: "Complete", stroke: "#2e7d32", width: 2 },
        { label: "Ideal", stroke: "#9e9e9e", dash: [6, 4] },
      ],
      axes: [{}, { label: "Blueprints" }],
    };
    new uPlot(options, [xs, data.open, data.done, data.ideal], element);
  }

  function drawAll(root) {
    root.querySelectorAll("[data-burndown]").forEach(function (element) {
      if (element.dataset.drawn) return;
      element.dataset.drawn = "true";
      draw(element);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  document.addEventListener("htmx:afterSwap", function (event) { drawAll(event.target); });
})();
