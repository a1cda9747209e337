// Services-trade monitor: charts from data-spec, PNG downloads, the growth scenario sliders and
// extra rows on the quarterly return form.
(function () {
  "use strict";

  function option(spec) {
    var marks = (spec.marks || []).map(function (mark) {
      return { name: mark.name, yAxis: mark.value, label: { position: "insideEndTop", formatter: "{b}: {c}" } };
    });
    var series = (spec.series || []).map(function (s, index) {
      var out = { name: s.name, type: s.type || "line", data: s.data, connectNulls: false };
      if (s.color) { out.itemStyle = { color: s.color }; out.lineStyle = { color: s.color }; }
      if (s.dashed) { out.lineStyle = Object.assign({}, out.lineStyle, { type: "dashed" }); }
      if (s.stack) { out.stack = s.stack; }
      if (s.type === "scatter") { out.symbolSize = 14; }
      if (s.hidden) { out.itemStyle = { color: "transparent" }; out.tooltip = { show: false }; }
      if (index === 0 && marks.length) {
        out.markLine = { symbol: "none", lineStyle: { type: "dotted", color: "#b42318" }, data: marks };
      }
      return out;
    });
    var visible = series.filter(function (s, i) { return !spec.series[i].hidden; });
    return {
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { data: visible.map(function (s) { return s.name; }), bottom: 0 },
      grid: { left: 56, right: 24, top: 32, bottom: 56 },
      xAxis: { type: "category", data: spec.categories || [] },
      yAxis: { type: "value", name: spec.unit || "" },
      series: series
    };
  }

  function drawCharts() {
    if (!window.echarts) { return; }
    document.querySelectorAll("[data-stats-chart]").forEach(function (element) {
      var chart = window.echarts.init(element);
      chart.setOption(option(JSON.parse(element.dataset.spec || "{}")));
      window.addEventListener("resize", function () { chart.resize(); });
      element.dataset.rendered = "true";
    });
  }

  // "Download PNG": the chart drawn on white at twice the screen resolution.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-png]");
    if (!button || !window.echarts) { return; }
    var chart = window.echarts.getInstanceByDom(document.getElementById(button.dataset.png));
    if (!chart) { return; }
    var link = document.createElement("a");
    link.href = chart.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: "#fff" });
    link.download = button.dataset.filename || "chart.png";
    document.body.appendChild(link);
    link.click();
    link.remove();
  });

  // Scenario: value * (1 + g) ^ years per component, summed; the same formula as the server's.
  function formatBillions(millions) {
    return (millions / 1000).toLocaleString("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  }
  document.querySelectorAll("[data-scenario]").forEach(function (box) {
    var years = Number(box.dataset.years || 0);
    var sliders = box.querySelectorAll("[data-scenario-rate]");
    var initial = Array.prototype.map.call(sliders, function (s) { return s.value; });
    function verdict(name, value, target) {
      var element = box.querySelector('[data-testid="' + name + '"]');
      if (element && target) { element.textContent = value >= target ? box.dataset.above : box.dataset.below; }
    }
    function update() {
      var total = 0;
      var dds = 0;
      sliders.forEach(function (slider) {
        var rate = Number(slider.value) / 100;
        var value = Number(slider.dataset.value) * Math.pow(1 + rate, years);
        total += value;
        if (slider.dataset.dds === "true") { dds += value; }
        var out = box.querySelector('[data-rate-output="' + slider.dataset.code + '"]');
        if (out) { out.textContent = Number(slider.value).toFixed(1); }
      });
      box.querySelector('[data-testid="scenario-total"]').textContent = formatBillions(total);
      box.querySelector('[data-testid="scenario-dds"]').textContent = formatBillions(dds);
      verdict("scenario-total-verdict", total, Number(box.dataset.totalTarget || 0));
      verdict("scenario-dds-verdict", dds, Number(box.dataset.ddsTarget || 0));
    }
    sliders.forEach(function (slider) { slider.addEventListener("input", update); });
    var reset = box.querySelector("[data-scenario-reset]");
    if (reset) {
      reset.addEventListener("click", function () {
        sliders.forEach(function (slider, i) { slider.value = initial[i]; });
        update();
      });
    }
  });

  // Return form: "Add a line" copies the last row with empty fields and the next number.
  document.querySelectorAll("[data-add-line]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var body = document.getElementById(button.dataset.addLine);
      var last = body.querySelector("tr:last-child");
      var next = body.querySelectorAll("tr").length + 1;
      var row = last.cloneNode(true);
      row.querySelectorAll("input, select, label").forEach(function (field) {
        ["name", "id", "for"].forEach(function (attribute) {
          var value = field.getAttribute(attribute);
          if (value) { field.setAttribute(attribute, value.replace(/line\d+_/, "line" + next + "_")); }
        });
        if (field.tagName === "LABEL") { field.textContent = field.textContent.replace(/\d+$/, String(next)); }
        if (field.tagName === "INPUT") { field.value = field.name.endsWith("_partner") ? "W00" : ""; }
      });
      body.appendChild(row);
    });
  });

  if (document.readyState === "complete") { drawCharts(); } else { window.addEventListener("load", drawCharts); }
})();
