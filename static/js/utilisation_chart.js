// Utilisation history chart: uPlot over the page's json_script data (% of capacity per resource).
(function () {
  "use strict";

  function draw() {
    var holder = document.getElementById("utilisation-chart");
    var source = document.getElementById("utilisation-chart-data");
    if (!holder || !source || typeof uPlot === "undefined") return;
    var chart = JSON.parse(source.textContent);
    var data = chart.data;
    var width = Math.max(320, holder.clientWidth || 800);
    var options = {
      title: chart.title,
      width: width,
      height: 320,
      scales: { y: { range: [0, 100] } },
      axes: [{}, { label: "% of capacity" }],
      series: [
        {},
        { label: "vCPU %", stroke: "#1e88e5", width: 1.5 },
        { label: "RAM %", stroke: "#43a047", width: 1.5 },
        { label: "Disk %", stroke: "#fb8c00", width: 1.5 },
      ],
    };
    var plot = new uPlot(options, data, holder);
    // Read by tests and by people: how many points were drawn.
    holder.dataset.points = String(data[0].length);
    holder.dataset.rendered = "true";
    window.addEventListener("resize", function () {
      plot.setSize({ width: Math.max(320, holder.clientWidth), height: 320 });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
