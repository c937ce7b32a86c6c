// Draws every chart on the page: each <div class="chart" data-figure="ID"> gets the plotly
// figure stored as JSON in <script type="application/json" id="ID"> (Django's json_script).
// One static file and no inline code, so the pages work under a strict Content-Security-Policy.
(function () {
  "use strict";

  var CONFIG = {
    displaylogo: false,
    responsive: true,
    modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d"],
    toImageButtonOptions: { format: "png", scale: 2 },
  };

  function draw(element) {
    var source = document.getElementById(element.dataset.figure);
    if (!source || typeof Plotly === "undefined") {
      element.classList.add("chart--unavailable");
      element.textContent = "The chart could not be drawn; the table has the same numbers.";
      return;
    }
    var figure = JSON.parse(source.textContent);
    Plotly.newPlot(element, figure.data, figure.layout, CONFIG).then(function () {
      element.classList.add("chart--drawn");
      element.setAttribute("data-drawn", "true");
    });
  }

  function drawAll() {
    document.querySelectorAll(".chart[data-figure]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
