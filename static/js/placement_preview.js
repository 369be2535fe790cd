// Placement preview map: one canvas per zone, drawn from the compact array in #host-map-data
// (names, one verdict letter per host, groups). A host's details are fetched when asked for:
// pointing at it (after a pause), clicking it, or Enter on the keyboard cursor.
(function () {
  "use strict";

  var CELL = 11; // px including a 1px gap
  var SIZE = CELL - 1;
  var LABEL = 18;
  var GAP = 14;
  var FONT = "12px system-ui, sans-serif";
  var HOVER_DELAY = 200; // ms before a pointed-at host's details are fetched
  var WORDS = {
    B: "picked",
    P: "passes",
    F: "rejected by a filter",
    X: "rejected by Placement or a pre-filter",
    E: "Nova would error",
  };
  var COLOURS = { B: "#1b5e20", P: "#66bb6a", F: "#ef6c00", X: "#757575", E: "#c62828" };

  // Colour and pattern, so a verdict never rests on colour alone.
  function drawCell(ctx, code, x, y) {
    ctx.fillStyle = COLOURS[code] || "#bdbdbd";
    if (code === "X") {
      ctx.fillRect(x, y, SIZE, SIZE);
      ctx.clearRect(x + 2, y + 2, SIZE - 4, SIZE - 4);
      return;
    }
    ctx.fillRect(x, y, SIZE, SIZE);
    ctx.fillStyle = code === "F" ? "#ffe0b2" : "#fff";
    if (code === "B") {
      ctx.fillRect(x + 4, y + 4, 2, 2);
    } else if (code === "F") {
      ctx.fillRect(x, y + 2, SIZE, 2); // striped
      ctx.fillRect(x, y + 6, SIZE, 2);
    } else if (code === "E") {
      ctx.fillRect(x + 4, y + 1, 2, SIZE - 2);
      ctx.fillRect(x + 1, y + 4, SIZE - 2, 2);
    }
  }

  // The zone's groups as tiles flowing side by side; each group wraps within the full width.
  function layout(map, width, measure) {
    var perRow = Math.max(1, Math.floor((width - 4) / CELL));
    var cells = [];
    var labels = [];
    var x = 0, y = 0, lineHeight = 0;
    map.groups.forEach(function (group) {
      var text = group.label + " (" + group.count + ")";
      var columns = Math.min(perRow, Math.max(1, group.count));
      var tileWidth = Math.min(width, Math.max(columns * CELL, measure(text) + 4)) + GAP;
      var tileHeight = LABEL + Math.ceil(group.count / columns) * CELL + 6;
      if (x > 0 && x + tileWidth > width) {
        x = 0;
        y += lineHeight;
        lineHeight = 0;
      }
      labels.push({ text: text, x: x + 2, y: y + 13 });
      for (var k = 0; k < group.count; k++) {
        cells.push([x + 2 + (k % columns) * CELL, y + LABEL + Math.floor(k / columns) * CELL]);
      }
      x += tileWidth;
      lineHeight = Math.max(lineHeight, tileHeight);
    });
    return { cells: cells, labels: labels, height: Math.max(y + lineHeight, 24) };
  }

  function Zone(canvas, data, first, groups, panel) {
    this.canvas = canvas;
    this.data = data;
    this.first = first; // global index of the zone's first host
    this.groups = groups;
    this.panel = panel;
    this.count = groups.reduce(function (sum, group) { return sum + group.count; }, 0);
    this.cursor = -1; // index within the zone
    this.plan = null;
  }

  Zone.prototype.measure = function (text) {
    var ctx = this.canvas.getContext("2d");
    ctx.font = FONT;
    return ctx.measureText(text).width;
  };

  Zone.prototype.draw = function () {
    // Folded (inside a closed <details>): drawn when opened.
    var fold = this.canvas.closest("details");
    var width = fold && !fold.open ? 0 : this.canvas.clientWidth;
    if (!width) return;
    this.plan = layout(this, width, this.measure.bind(this));
    var ratio = window.devicePixelRatio || 1;
    var canvas = this.canvas;
    canvas.style.height = this.plan.height + "px";
    canvas.width = Math.floor(width * ratio);
    canvas.height = Math.floor(this.plan.height * ratio);
    var ctx = canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.font = FONT;
    ctx.fillStyle = "#555";
    this.plan.labels.forEach(function (label) { ctx.fillText(label.text, label.x, label.y); });
    var verdicts = this.data.verdicts;
    for (var i = 0; i < this.plan.cells.length; i++) {
      drawCell(ctx, verdicts[this.first + i], this.plan.cells[i][0], this.plan.cells[i][1]);
    }
    this.mark(this.data.gained, "#1565c0");
    this.mark(this.data.lost, "#6a1b9a");
    if (this.cursor >= 0) {
      var c = this.plan.cells[this.cursor];
      ctx.strokeStyle = "#000";
      ctx.lineWidth = 2;
      ctx.strokeRect(c[0] - 1.5, c[1] - 1.5, SIZE + 3, SIZE + 3);
    }
    canvas.dataset.cells = String(this.plan.cells.length);
  };

  Zone.prototype.mark = function (indices, colour) {
    var ctx = this.canvas.getContext("2d");
    ctx.strokeStyle = colour;
    ctx.lineWidth = 1.5;
    for (var k = 0; k < indices.length; k++) {
      var local = indices[k] - this.first;
      if (local < 0 || local >= this.count) continue;
      var c = this.plan.cells[local];
      ctx.strokeRect(c[0] - 0.5, c[1] - 0.5, SIZE + 1, SIZE + 1);
    }
  };

  Zone.prototype.cellAt = function (event) {
    if (!this.plan) return -1;
    var box = this.canvas.getBoundingClientRect();
    var x = event.clientX - box.left, y = event.clientY - box.top;
    for (var i = 0; i < this.plan.cells.length; i++) {
      var c = this.plan.cells[i];
      if (x >= c[0] && x < c[0] + CELL && y >= c[1] && y < c[1] + CELL) return i;
    }
    return -1;
  };

  Zone.prototype.groupOf = function (local) {
    for (var g = 0; g < this.groups.length; g++) {
      if (local < this.groups[g].count) return this.groups[g];
      local -= this.groups[g].count;
    }
    return null;
  };

  Zone.prototype.describe = function (local) {
    var index = this.first + local;
    var group = this.groupOf(local);
    return this.data.names[index] + ": " + WORDS[this.data.verdicts[index]] + " (" +
      (group ? group.label : "") + "; host " + (local + 1) + " of " + this.count + ")";
  };

  // The nearest cell one row up or down (by position, as the eye sees the tiles).
  Zone.prototype.vertical = function (from, direction) {
    var here = this.plan.cells[from];
    var best = -1, bestScore = Infinity;
    for (var i = 0; i < this.plan.cells.length; i++) {
      var c = this.plan.cells[i];
      var dy = (c[1] - here[1]) * direction;
      if (dy <= 0) continue;
      var score = dy * 1000 + Math.abs(c[0] - here[0]);
      if (score < bestScore) { bestScore = score; best = i; }
    }
    return best < 0 ? from : best;
  };

  Zone.prototype.move = function (key) {
    var last = this.count - 1;
    var at = this.cursor < 0 ? 0 : this.cursor;
    if (this.cursor < 0) return 0;
    if (key === "ArrowRight") return Math.min(last, at + 1);
    if (key === "ArrowLeft") return Math.max(0, at - 1);
    if (key === "ArrowDown") return this.vertical(at, 1);
    if (key === "ArrowUp") return this.vertical(at, -1);
    if (key === "Home") return 0;
    if (key === "End") return last;
    return null;
  };

  Zone.prototype.bind = function () {
    var zone = this, canvas = this.canvas, panel = this.panel;
    var timer = null;
    canvas.addEventListener("mousemove", function (event) {
      var local = zone.cellAt(event);
      canvas.style.cursor = local < 0 ? "default" : "pointer";
      clearTimeout(timer);
      if (local < 0) return;
      var name = zone.data.names[zone.first + local];
      panel.say(zone.describe(local));
      timer = setTimeout(function () { panel.headline(name); }, HOVER_DELAY);
    });
    canvas.addEventListener("mouseleave", function () { clearTimeout(timer); });
    canvas.addEventListener("click", function (event) {
      var local = zone.cellAt(event);
      if (local < 0) return;
      zone.cursor = local;
      zone.draw();
      panel.explain(zone.data.names[zone.first + local]);
    });
    canvas.addEventListener("focus", function () {
      if (zone.cursor < 0 && zone.count) {
        zone.cursor = 0;
        zone.draw();
      }
      if (zone.cursor >= 0) panel.say(zone.describe(zone.cursor));
    });
    canvas.addEventListener("keydown", function (event) {
      if (!zone.count) return;
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        if (zone.cursor >= 0) panel.explain(zone.data.names[zone.first + zone.cursor]);
        return;
      }
      var next = zone.move(event.key);
      if (next === null) return;
      event.preventDefault();
      zone.cursor = next;
      zone.draw();
      panel.say(zone.describe(next));
    });
    var details = canvas.closest("details");
    if (details) details.addEventListener("toggle", function () { zone.draw(); });
  };

  // The hover line (aria-live) and the details box, fed by the per-host fragment.
  function Panel(root, data) {
    this.url = root.dataset.hostUrl;
    this.output = document.getElementById("map-hover");
    this.slot = document.getElementById("host-detail-slot");
    this.form = document.getElementById("why-form");
    this.data = data;
    this.cache = {};
  }

  Panel.prototype.say = function (text) {
    if (this.output) this.output.textContent = text;
  };

  Panel.prototype.fragment = function (name) {
    if (!this.cache[name]) {
      var url = this.url + (this.url.indexOf("?") < 0 ? "?" : "&") + "host=" + encodeURIComponent(name);
      this.cache[name] = fetch(url, { credentials: "same-origin", headers: { "HX-Request": "true" } })
        .then(function (response) {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.text();
        });
      this.cache[name].catch(function () { delete this.cache[name]; }.bind(this));
    }
    return this.cache[name];
  };

  Panel.prototype.headline = function (name) {
    var panel = this;
    this.fragment(name).then(function (html) {
      var box = document.createElement("template");
      box.innerHTML = html;
      var line = box.content.querySelector("[data-testid=host-headline]");
      if (line) panel.say(line.textContent.replace(/\s+/g, " ").trim());
    }, function () { /* the local line stays */ });
  };

  Panel.prototype.explain = function (name) {
    var panel = this;
    if (this.form) this.form.elements.host.value = name;
    this.fragment(name).then(function (html) {
      panel.slot.innerHTML = html;
    }, function (error) {
      panel.slot.textContent = "Could not explain " + name + ": " + error.message;
    });
  };

  function start() {
    var root = document.querySelector("[data-testid=host-map]");
    var source = document.getElementById("host-map-data");
    if (!root || !source || root.dataset.ready) return;
    root.dataset.ready = "1";
    var data = JSON.parse(source.textContent);
    var panel = new Panel(root, data);
    var first = 0;
    var byZone = data.zones.map(function () { return []; });
    var starts = data.zones.map(function () { return -1; });
    data.groups.forEach(function (group) {
      if (starts[group[0]] < 0) starts[group[0]] = first;
      byZone[group[0]].push({ label: group[1], count: group[2] });
      first += group[2];
    });
    var zones = [];
    root.querySelectorAll("canvas[data-zone-index]").forEach(function (canvas) {
      var index = Number(canvas.dataset.zoneIndex);
      var zone = new Zone(canvas, data, starts[index], byZone[index], panel);
      zone.bind();
      zones.push(zone);
    });
    // Drawn right after the first frame: the page's text paints first, the map a moment later.
    requestAnimationFrame(function () {
      setTimeout(function () {
        zones.forEach(function (zone) { zone.draw(); });
      }, 0);
    });
    window.addEventListener("resize", function () {
      zones.forEach(function (zone) { zone.draw(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
  // The form's htmx swaps bring a new map.
  document.addEventListener("htmx:afterSettle", start);
})();
