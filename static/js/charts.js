// Draws every chart on the page: each <div class="chart" data-figure="ID"> gets the plotly
// figure stored as JSON in <script type="application/json" id="ID"> (Django's json_script).
// One static file and no inline code, so the pages work under a strict Content-Security-Policy.
//
// The chart fills its box (CSS gives the box a real height; plotly's responsive config follows
// it on every resize). A figure may carry "narrow": layout changes for boxes under NARROW pixels
// (short round labels, smaller margins), applied again whenever the width crosses that line.
// A <select data-chart-show="CHART_ID"> chooses which lines a chart shows (see force_detail.html).
(function () {
  "use strict";

  var NARROW = 560;
  // Only the download-as-PNG button: nothing that leaves the site, one stop in the tab order.
  var CONFIG = {
    displaylogo: false,
    responsive: true,
    modeBarButtons: [["toImage"]],
    showSendToCloud: false,
    showEditInChartStudio: false,
    showLink: false,
    toImageButtonOptions: { format: "png", scale: 2 },
  };

  function merge(target, source) {
    Object.keys(source).forEach(function (key) {
      var value = source[key];
      if (value && typeof value === "object" && !Array.isArray(value) && target[key] && typeof target[key] === "object") {
        merge(target[key], value);
      } else {
        target[key] = value;
      }
    });
    return target;
  }

  function isNarrow(element) {
    return element.clientWidth > 0 && element.clientWidth < NARROW;
  }

  function layoutFor(figure, narrow) {
    var layout = JSON.parse(JSON.stringify(figure.layout));
    if (narrow && figure.narrow) merge(layout, JSON.parse(JSON.stringify(figure.narrow)));
    return layout;
  }

  // "narrow_data" holds per-trace changes for narrow boxes (shorter words in heatmap cells); going
  // wide again puts back the figure's own values of the same keys. Other state (visibility) is kept.
  function dataFor(figure, narrow, current) {
    var changes = figure.narrow_data || [];
    return current.map(function (trace, index) {
      var change = changes[index];
      if (!change) return trace;
      var copy = Object.assign({}, trace);
      Object.keys(change).forEach(function (key) {
        copy[key] = narrow ? change[key] : figure.data[index][key];
      });
      return copy;
    });
  }

  function draw(element) {
    var source = document.getElementById(element.dataset.figure);
    if (!source || typeof Plotly === "undefined") {
      element.classList.add("chart--unavailable");
      element.textContent = "The chart could not be drawn; the table has the same numbers.";
      return;
    }
    var figure = JSON.parse(source.textContent);
    // A figure whose height follows its rows sizes its box (CSSOM, allowed under the CSP);
    // the others fill the height the stylesheet gives the box.
    if (figure.layout.height) element.style.height = figure.layout.height + "px";
    element.peelFigure = figure;
    element.peelNarrow = isNarrow(element);
    var data = dataFor(figure, element.peelNarrow, figure.data);
    Plotly.newPlot(element, data, layoutFor(figure, element.peelNarrow), CONFIG).then(function () {
      element.classList.add("chart--drawn");
      element.setAttribute("data-drawn", "true");
    });
  }

  function relayoutIfCrossed() {
    document.querySelectorAll(".chart[data-drawn]").forEach(function (element) {
      var narrow = isNarrow(element);
      if (!element.peelFigure || narrow === element.peelNarrow) return;
      element.peelNarrow = narrow;
      // Keep the lines the reader chose (element.data), change only the layout.
      Plotly.react(element, dataFor(element.peelFigure, narrow, element.data), layoutFor(element.peelFigure, narrow), CONFIG);
    });
  }

  function showLines(select) {
    var element = document.getElementById(select.dataset.chartShow);
    if (!element || !element.data) return;
    var choice = select.value;
    var visible = element.data.map(function (trace) {
      var meta = trace.meta || {};
      var shown = choice === "all" || (choice === "headline" ? meta.headline : meta.theme === choice);
      return shown ? true : "legendonly";
    });
    Plotly.restyle(element, { visible: visible });
  }

  function drawAll() {
    document.querySelectorAll(".chart[data-figure]").forEach(draw);
    document.querySelectorAll("select[data-chart-show]").forEach(function (select) {
      select.addEventListener("change", function () { showLines(select); });
    });
    // Wide tables open at their latest column (the newest round), the row labels stay put.
    document.querySelectorAll("[data-scroll-end]").forEach(function (container) {
      container.scrollLeft = container.scrollWidth;
    });
    var timer = null;
    window.addEventListener("resize", function () {
      clearTimeout(timer);
      timer = setTimeout(relayoutIfCrossed, 100);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
