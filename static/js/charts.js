/* The portal's charts (ECharts, vendored under static/vendor/echarts): each draws itself when its
 * element and its JSON data island are on the page. Labels come translated from the page, in a
 * <script type="application/json"> island; no page carries a script of its own. */
(function () {
  "use strict";

  function readJson(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : {};
  }

  /* The ledger: budget, committed, paid and available per budget line, in 万元. */
  function ledgerCharts() {
    var labels = readJson("ledger-chart-labels");
      document.querySelectorAll("[data-ledger-chart]").forEach(function (el) {
      var data = JSON.parse(document.getElementById(el.dataset.ledgerChart).textContent);
      var chart = echarts.init(el);
      chart.setOption({
        tooltip: {trigger: "axis"},
        legend: {top: 0},
        grid: {left: 60, right: 20, top: 40, bottom: 90},
        xAxis: {type: "category", data: data.names, axisLabel: {rotate: 30, interval: 0, fontSize: 11}},
        yAxis: {type: "value", name: labels.unit},
        series: [
          {name: labels.budget, type: "bar", data: data.budget},
          {name: labels.committed, type: "bar", data: data.committed},
          {name: labels.paid, type: "bar", data: data.paid},
          {name: labels.available, type: "bar", data: data.available}
        ]
      });
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  /* The indicator dashboard: heat map, trend, levels before/after, money by fund source. */
  function dashboardCharts() {
    if (!document.getElementById("dashboard-data")) { return; }
    (function () {
      var data = JSON.parse(document.getElementById("dashboard-data").textContent);
      var labels = readJson("dashboard-chart-labels");
      var base = document.getElementById("records-base");
      var charts = [];
      function chart(id) {
        var el = document.getElementById(id);
        if (!el) { return null; }
        var c = echarts.init(el);
        charts.push(c);
        return c;
      }
      var heat = chart("heat-chart");
      if (heat && data.heat) {
        var h = data.heat;
        heat.setOption({
          tooltip: {formatter: function (p) {
            var v = p.data;
            return h.units[v[1]] + " · " + h.numbers[v[0]] + (h.names ? " " + h.names[v[0]] : "") + "<br>" + labels.actual + " " + v[3] + " / " + labels.target + " " + v[4] +
              (v[5] === null ? "" : "<br>" + labels.completion + " " + v[5] + "%");
          }},
          grid: {left: 110, right: 20, top: 10, bottom: 95},
          xAxis: {type: "category", data: h.numbers, splitArea: {show: true}},
          yAxis: {type: "category", data: h.units, inverse: true, splitArea: {show: true}},
          // Colour by completion (capped at 100); a cell without a target is out of range: grey.
          visualMap: {min: 0, max: 100, calculable: true, orient: "horizontal", left: "center", bottom: 0,
                      inRange: {color: ["#f8d7da", "#fff3cd", "#d1e7dd", "#198754"]}, outOfRange: {color: "#e9ecef"}},
          series: [{type: "heatmap", label: {show: true, formatter: function (p) { return p.data[3]; }},
                    data: h.cells.map(function (c) {
                      return [c[0], c[1], c[2] === null ? -1 : Math.min(c[2], 100), c[3], c[4], c[2]];
                    })}]
        });
        heat.on("click", function (p) {
          var number = h.numbers[p.data[0]];
          var url = base.dataset.url + encodeURIComponent(number).replace("%2B", "+") + "/?period=" + base.dataset.period +
            "&unit=" + h.codes[p.data[1]] + "&as_of=" + base.dataset.asOf;
          window.location.href = url;
        });
      }
      var trend = chart("trend-chart");
      if (trend) {
        trend.setOption({
          tooltip: {trigger: "axis"},
          legend: {type: "scroll", top: 0},
          grid: {left: 50, right: 20, top: 40, bottom: 30},
          xAxis: {type: "category", data: data.trend.dates},
          yAxis: {type: "value"},
          series: data.trend.series.map(function (s) { return {name: s.name, type: "line", data: s.data, connectNulls: true}; })
        });
      }
      var levels = chart("levels-chart");
      if (levels) {
        levels.setOption({
          tooltip: {trigger: "axis"},
          legend: {top: 0, data: [labels.baseline, labels.after]},
          grid: {left: 50, right: 20, top: 40, bottom: 30},
          xAxis: {type: "category", data: data.levels.levels.map(function (l) { return "L" + l; })},
          yAxis: {type: "value", minInterval: 1},
          series: [
            {name: labels.baseline, type: "bar", data: data.levels.before},
            {name: labels.after, type: "bar", data: data.levels.after}
          ]
        });
      }
      var money = chart("money-chart");
      if (money) {
        money.setOption({
          tooltip: {trigger: "axis"},
          legend: {top: 0, data: [labels.committed, labels.paid]},
          grid: {left: 90, right: 20, top: 40, bottom: 30},
          // Every fund source's name, wrapped rather than dropped when the chart is narrow.
          xAxis: {type: "category", data: data.money.sources, axisLabel: {interval: 0, width: 120, overflow: "break"}},
          yAxis: {type: "value"},
          series: [
            {name: labels.committed, type: "bar", data: data.money.committed},
            {name: labels.paid, type: "bar", data: data.money.paid}
          ]
        });
      }
      window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
    })();
  }

  /* An enterprise's on-site evaluations: dimensions and scenes, before and after. */
  function assessmentCharts() {
    if (!document.getElementById("assessment-chart-data")) { return; }
    (function () {
      var data = JSON.parse(document.getElementById("assessment-chart-data").textContent);
      function bars(el, categories, before, after, max, horizontal) {
        var chart = echarts.init(document.getElementById(el));
        var valueAxis = {type: "value", max: max};
        var categoryAxis = {type: "category", data: categories, axisLabel: {interval: 0, fontSize: 11}};
        chart.setOption({
          tooltip: {trigger: "axis"}, legend: {top: 0},
          grid: {left: horizontal ? 110 : 40, right: 16, top: 28, bottom: 24},
          xAxis: horizontal ? valueAxis : categoryAxis, yAxis: horizontal ? categoryAxis : valueAxis,
          series: [
            {name: data.labels.before, type: "bar", data: before, itemStyle: {color: "#adb5bd"}},
            {name: data.labels.after, type: "bar", data: after, itemStyle: {color: "#b02a2a"}}
          ]
        });
        window.addEventListener("resize", function () { chart.resize(); });
      }
      bars("assessment-dimension-chart", data.dimensions, data.dimension_before, data.dimension_after, null, false);
      bars("assessment-scene-chart", data.scenes.slice().reverse(), data.scene_before.slice().reverse(), data.scene_after.slice().reverse(), 4, true);
    })();
  }

  /* The street/town assessment: the units' scores, highest first. */
  function assessmentRankingChart() {
    var el = document.getElementById("assessment-ranking-chart");
    if (!el || !document.getElementById("assessment-ranking-data")) { return; }
    var data = readJson("assessment-ranking-data");
    var labels = readJson("assessment-chart-labels");
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: {trigger: "axis"},
      grid: {left: 50, right: 20, top: 20, bottom: 90},
      xAxis: {type: "category", data: data.units, axisLabel: {rotate: 30, interval: 0, fontSize: 11}},
      yAxis: {type: "value", name: labels.score, min: 0, max: 100},
      series: [{name: labels.score, type: "bar", data: data.scores, itemStyle: {color: "#b02a2a"},
        label: {show: true, position: "top", fontSize: 10}}]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  ledgerCharts();
  dashboardCharts();
  assessmentCharts();
  assessmentRankingChart();
})();
