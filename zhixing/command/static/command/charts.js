/* 指挥中心图表：trend, map of the courts, ranking — from the page's JSON (#chart-data) or, on the big
   screen, from the data URL refreshed every data-refresh seconds. No inline script (CSP). */
(function () {
  "use strict";
  var charts = {};

  function chartFor(el, dark) {
    var key = el.getAttribute("data-chart");
    if (!charts[key]) {
      charts[key] = window.echarts.init(el, dark ? "dark" : null);
      window.addEventListener("resize", function () { charts[key].resize(); });
      charts[key].on("click", function (p) {
        if (p.data && p.data.url) { window.location.href = p.data.url; }
      });
    }
    return charts[key];
  }

  function trendOption(d) {
    var months = d.trend.map(function (r) { return r.month; });
    var prev = (d.trend_previous || []).map(function (r) { return r.closed; });
    return {
      backgroundColor: "transparent",
      tooltip: { trigger: "axis" },
      legend: { top: 0, left: "center", data: ["新收", "已结", "执行完毕", "终本", "对比期已结"] },
      grid: { left: 40, right: 16, top: 40, bottom: 28 },
      xAxis: { type: "category", data: months },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: "新收", type: "bar", data: d.trend.map(function (r) { return r.filed; }) },
        { name: "已结", type: "bar", data: d.trend.map(function (r) { return r.closed; }) },
        { name: "执行完毕", type: "line", data: d.trend.map(function (r) { return r.fully; }) },
        { name: "终本", type: "line", data: d.trend.map(function (r) { return r.no_assets; }) },
        { name: "对比期已结", type: "line", lineStyle: { type: "dashed" }, data: prev }
      ]
    };
  }

  function mapOption(d) {
    var rows = (d.branches || []).filter(function (r) { return r.lng !== null && r.lat !== null; });
    var max = Math.max.apply(null, rows.map(function (r) { return r.pending; }).concat([1]));
    function span(key) {
      var v = rows.map(function (r) { return r[key]; });
      var lo = Math.min.apply(null, v), hi = Math.max.apply(null, v), pad = Math.max((hi - lo) * 0.15, 0.05);
      return { min: lo - pad, max: hi + pad };
    }
    var lng = rows.length ? span("lng") : { min: 0, max: 1 };
    var lat = rows.length ? span("lat") : { min: 0, max: 1 };
    return {
      backgroundColor: "transparent",
      tooltip: {
        formatter: function (p) {
          var r = p.data.row;
          return r.name + "<br>未结 " + r.pending + " · 已结 " + r.closed + "<br>执结率 " +
            (r.closure_rate === null ? "—" : r.closure_rate + "%") + " · 预警 " + r.alerts;
        }
      },
      grid: { left: 24, right: 56, top: 24, bottom: 24 },
      xAxis: { type: "value", show: false, min: lng.min, max: lng.max },
      yAxis: { type: "value", show: false, min: lat.min, max: lat.max },
      visualMap: { show: false, dimension: 2, min: 0, max: 100, inRange: { color: ["#c0392b", "#f5a623", "#2e9d5b"] } },
      series: [{
        type: "scatter",
        label: { show: true, position: "right", formatter: function (p) { return p.data.row.name; } },
        symbolSize: function (v) { return 14 + 36 * Math.sqrt(v[3] / max); },
        data: rows.map(function (r) {
          return { value: [r.lng, r.lat, r.closure_rate === null ? 0 : r.closure_rate, r.pending], url: r.url, row: r };
        })
      }]
    };
  }

  function rankingOption(d) {
    var rows = (d.branches || []).slice().reverse();
    return {
      backgroundColor: "transparent",
      tooltip: { trigger: "axis" },
      grid: { left: 64, right: 24, top: 8, bottom: 24 },
      xAxis: { type: "value", max: 100 },
      yAxis: { type: "category", data: rows.map(function (r) { return r.name; }) },
      series: [{
        type: "bar", name: "执结率",
        data: rows.map(function (r) { return { value: r.closure_rate, url: r.url }; }),
        label: { show: true, position: "right", formatter: "{c}%" }
      }]
    };
  }

  function draw(d, dark) {
    if (!window.echarts || !d) { return; }
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var kind = el.getAttribute("data-chart");
      var option = kind === "trend" ? trendOption(d) : kind === "map" ? mapOption(d) : rankingOption(d);
      chartFor(el, dark).setOption(option, true);
    });
  }

  function fmt(v, unit) {
    if (v === null || v === undefined) { return "—"; }
    return unit === "days" ? Number(v).toFixed(1) + " 日" : Number(v).toFixed(2) + "%";
  }

  function fill(body, data) {
    function set(name, value) {
      var el = body.querySelector('[data-field="' + name + '"]');
      if (el) { el.textContent = value; }
    }
    set("period", data.period);
    set("as_of", data.as_of ? "数据截至 " + data.as_of : "尚未统计");
    set("filed", data.totals.filed);
    set("closed", data.totals.closed);
    set("pending", data.totals.pending);
    set("received", Number(data.totals.received).toLocaleString("zh-CN"));
    set("alerts", data.alerts.total);
    set("instructions", data.instructions.total);
    var box = body.querySelector(".kpis");
    box.textContent = "";
    data.kpis.forEach(function (k) {
      var tile = document.createElement("div");
      tile.className = "tile" + (k.meets_target === false ? " miss" : "");
      tile.setAttribute("data-testid", "screen-kpi-" + k.code);
      var label = document.createElement("span");
      label.textContent = k.label;
      var value = document.createElement("b");
      value.textContent = fmt(k.value, k.unit);
      var cmp = document.createElement("small");
      cmp.textContent = k.previous === null ? "" : "同期 " + fmt(k.previous, k.unit);
      tile.appendChild(label); tile.appendChild(value); tile.appendChild(cmp);
      box.appendChild(tile);
    });
    draw(data.chart, true);
  }

  function screen(body) {
    var url = body.getAttribute("data-url");
    var every = Math.max(5, parseInt(body.getAttribute("data-refresh"), 10) || 60) * 1000;
    function load() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
        .then(function (data) { body.classList.remove("stale"); fill(body, data); })
        .catch(function () { body.classList.add("stale"); });
    }
    load();
    window.setInterval(load, every);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var body = document.body;
    if (body.classList.contains("screen")) { screen(body); return; }
    var el = document.getElementById("chart-data");
    if (el) { draw(JSON.parse(el.textContent), false); }
  });
})();
