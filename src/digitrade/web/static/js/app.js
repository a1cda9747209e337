// digitrade web shell behaviour: CSRF header for htmx, mobile menu, charts from data attributes.
(function () {
  "use strict";
  var token = document.querySelector('meta[name="csrf-token"]');
  document.body.addEventListener("htmx:configRequest", function (event) {
    if (token) { event.detail.headers["X-CSRF-Token"] = token.content; }
  });
  var toggle = document.querySelector(".nav-toggle");
  var nav = document.getElementById("main-nav");
  if (toggle && nav) {
    toggle.addEventListener("click", function () {
      var open = nav.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  // Progressive forms: a block marked data-show-if="name" shows only while checkbox "name" is
  // ticked, so people see only the questions their earlier answers make relevant. Without
  // JavaScript every block stays visible.
  document.querySelectorAll("[data-show-if]").forEach(function (block) {
    var box = document.querySelector('input[type=checkbox][name="' + block.dataset.showIf + '"]');
    if (!box) { return; }
    var sync = function () { block.hidden = !box.checked; };
    box.addEventListener("change", sync);
    sync();
  });
  function drawCharts() {
    if (!window.echarts) { return; }
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      var chart = window.echarts.init(element);
      if (element.dataset.chart === "gauge") {
        var max = Number(element.dataset.max || 100);
        var mark = Number(element.dataset.mark || max);
        chart.setOption({
          series: [{
            type: "gauge", min: 0, max: max, name: element.dataset.seriesName || "",
            axisLine: { lineStyle: { width: 14, color: [[mark / max, "#1a7f37"], [1, "#9a6700"]] } },
            splitNumber: 4,
            axisLabel: { formatter: function (v) { return v >= 1000 ? (v / 1000) + "k" : v; } },
            detail: { valueAnimation: false, fontSize: 18,
                      formatter: function (v) { return Number(v).toLocaleString(); } },
            title: { offsetCenter: [0, "75%"] },
            data: [{ value: Number(element.dataset.value || 0), name: element.dataset.seriesName || "" }]
          }]
        });
        window.addEventListener("resize", function () { chart.resize(); });
        element.dataset.rendered = "true";
        return;
      }
      chart.setOption({
        tooltip: { trigger: "axis" },
        grid: { left: 40, right: 16, top: 24, bottom: 40 },
        xAxis: { type: "category", data: JSON.parse(element.dataset.labels || "[]") },
        yAxis: { type: "value", minInterval: 1 },
        series: [{ name: element.dataset.seriesName || "", type: element.dataset.chart || "bar",
                   data: JSON.parse(element.dataset.values || "[]"), itemStyle: { color: "#0b5394" } }]
      });
      window.addEventListener("resize", function () { chart.resize(); });
      element.dataset.rendered = "true";
    });
  }
  if (document.readyState === "complete") { drawCharts(); } else { window.addEventListener("load", drawCharts); }
})();
