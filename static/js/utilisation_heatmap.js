// Host heatmap on one canvas (usable at 10,000 hosts): cells grouped by zone and aggregate.
(function () {
  "use strict";

  var CELL = 9; // px including a 1px gap
  var LABEL = 18;
  var GAP = 14; // px between group tiles on a line
  var FONT = "12px system-ui, sans-serif";

  function colour(pct) {
    if (pct <= 0) return "#d9dee4";
    if (pct >= 90) return "#c62828";
    if (pct >= 70) return "#f9a825";
    // green, darker as it fills
    var light = 75 - Math.round(pct / 2);
    return "hsl(130, 45%, " + light + "%)";
  }

  function value(data, metric, i) {
    if (metric === "max") {
      return Math.max(data.vcpus[i], data.memory_mb[i], data.local_gb[i]);
    }
    return data[metric][i];
  }

  // Groups are tiles that flow side by side (a 20-host rack takes 20 cells, not a whole line);
  // each zone starts a new line; a group larger than a line wraps within the full width.
  function layout(data, width, measure) {
    var perRow = Math.max(1, Math.floor((width - 4) / CELL));
    var cells = new Array(data.names.length);
    var labels = [];
    var x = 0;
    var y = 0;
    var lineHeight = 0;
    var zone = null;
    var index = 0;
    data.groups.forEach(function (group) {
      var text = group[0] + " · " + group[1] + " (" + group[2] + ")";
      var columns = Math.min(perRow, Math.max(1, group[2]));
      var tileWidth = Math.min(width, Math.max(columns * CELL, measure(text) + 4)) + GAP;
      var tileHeight = LABEL + Math.ceil(group[2] / columns) * CELL + 6;
      if (x > 0 && (group[0] !== zone || x + tileWidth > width)) {
        x = 0;
        y += lineHeight;
        lineHeight = 0;
      }
      zone = group[0];
      labels.push({ text: text, x: x + 2, y: y + 13 });
      for (var k = 0; k < group[2]; k++) {
        cells[index + k] = [x + 2 + (k % columns) * CELL, y + LABEL + Math.floor(k / columns) * CELL];
      }
      x += tileWidth;
      lineHeight = Math.max(lineHeight, tileHeight);
      index += group[2];
    });
    return { cells: cells, labels: labels, height: Math.max(y + lineHeight, 40), perRow: perRow };
  }

  function draw(canvas, data, metric, plan) {
    var ratio = window.devicePixelRatio || 1;
    canvas.style.width = canvas.parentElement.clientWidth + "px";
    canvas.style.height = plan.height + "px";
    canvas.width = Math.floor(canvas.parentElement.clientWidth * ratio);
    canvas.height = Math.floor(plan.height * ratio);
    var ctx = canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.font = FONT;
    ctx.fillStyle = "#555";
    plan.labels.forEach(function (label) { ctx.fillText(label.text, label.x, label.y); });
    for (var i = 0; i < plan.cells.length; i++) {
      ctx.fillStyle = colour(value(data, metric, i));
      ctx.fillRect(plan.cells[i][0], plan.cells[i][1], CELL - 1, CELL - 1);
    }
    canvas.dataset.cells = String(plan.cells.length);
  }

  function start() {
    var canvas = document.getElementById("heatmap");
    var source = document.getElementById("heatmap-data");
    if (!canvas || !source || !canvas.getContext) return;
    var data = JSON.parse(source.textContent);
    var select = document.getElementById("heatmap-metric");
    var hover = document.getElementById("heatmap-hover");
    var context = canvas.getContext("2d");
    var measure = function (text) {
      context.font = FONT; // resizing the canvas resets it
      return context.measureText(text).width;
    };
    var plan = layout(data, canvas.parentElement.clientWidth, measure);
    var redraw = function () { draw(canvas, data, select.value, plan); };
    redraw();
    select.addEventListener("change", redraw);
    window.addEventListener("resize", function () {
      plan = layout(data, canvas.parentElement.clientWidth, measure);
      redraw();
    });
    var cellAt = function (event) {
      var box = canvas.getBoundingClientRect();
      var x = event.clientX - box.left;
      var y = event.clientY - box.top;
      for (var i = 0; i < plan.cells.length; i++) {
        var c = plan.cells[i];
        if (x >= c[0] && x < c[0] + CELL && y >= c[1] && y < c[1] + CELL) return i;
      }
      return -1;
    };
    canvas.addEventListener("mousemove", function (event) {
      var i = cellAt(event);
      canvas.style.cursor = i < 0 ? "default" : "pointer";
      if (i < 0) return;
      var text = data.names[i] + ": vCPU " + data.vcpus[i] + " %, RAM " +
        data.memory_mb[i] + " %, disk " + data.local_gb[i] + " %";
      hover.textContent = text;
      canvas.title = text;
    });
    // A click opens the host's page (its servers, aggregates and history).
    canvas.addEventListener("click", function (event) {
      var i = cellAt(event);
      if (i >= 0 && canvas.dataset.hostUrl) {
        window.location.href = canvas.dataset.hostUrl.replace("__host__", encodeURIComponent(data.names[i]));
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
