/* Draws every dashboard section from the JSON the page embeds; ECharts is vendored (static/vendor/echarts). */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("sections-data").textContent);
  var palette = ["#b42318", "#0b5cad", "#1b7f3b", "#c77700", "#6941c6", "#0e7090", "#9e165f", "#475467"];

  function option(key, table) {
    var rows = table.rows, header = table.header;
    var base = { color: palette, tooltip: { trigger: "item" }, animation: false };
    switch (table.chart) {
      case "pie":
        return Object.assign(base, { series: [{ type: "pie", radius: ["35%", "65%"],
          data: rows.map(function (r) { return { name: String(r[0]), value: r[1] }; }) }] });
      case "line":
        return Object.assign(base, { tooltip: { trigger: "axis" }, legend: { data: header.slice(1) },
          xAxis: { type: "category", data: rows.map(function (r) { return r[0]; }) }, yAxis: { type: "value" },
          series: header.slice(1).map(function (name, i) { return { name: name, type: "line", data: rows.map(function (r) { return r[i + 1]; }) }; }) });
      case "stacked":
        return Object.assign(base, { tooltip: { trigger: "axis" }, legend: { data: header.slice(1) },
          xAxis: { type: "category", data: rows.map(function (r) { return r[0]; }) }, yAxis: { type: "value" },
          series: header.slice(1).map(function (name, i) { return { name: name, type: "bar", stack: "s", data: rows.map(function (r) { return r[i + 1]; }) }; }) });
      case "sankey":
        var nodes = {}, links = [];
        rows.forEach(function (r) {
          var from = r[0] + "（转出）", to = r[1] + "（接收）";
          nodes[from] = true; nodes[to] = true;
          links.push({ source: from, target: to, value: r[2] });
        });
        return Object.assign(base, { series: [{ type: "sankey", emphasis: { focus: "adjacency" },
          data: Object.keys(nodes).map(function (n) { return { name: n }; }), links: links }] });
      case "quality":
        return Object.assign(base, { tooltip: { trigger: "axis" },
          xAxis: { type: "category", data: rows.map(function (r) { return r[0]; }), axisLabel: { rotate: 30 } },
          yAxis: { type: "value", max: 100 },
          series: [{ type: "bar", data: rows.map(function (r) { return parseFloat(r[2]); }) }] });
      default:
        var valueColumn = header.length - 1;
        for (var i = 1; i < header.length; i++) { if (typeof (rows[0] || [])[i] === "number") { valueColumn = i; break; } }
        return Object.assign(base, { tooltip: { trigger: "axis" },
          xAxis: { type: "category", data: rows.map(function (r) { return String(r[0]) + (table.header.length > 3 && key === "services" ? "·" + r[1] : ""); }), axisLabel: { rotate: 30 } },
          yAxis: { type: "value" }, series: [{ type: "bar", data: rows.map(function (r) { return r[valueColumn]; }) }] });
    }
  }

  Object.keys(data).forEach(function (key) {
    var table = data[key];
    var el = document.getElementById("chart-" + key);
    if (!el || !table.chart) { return; }
    if (!table.rows.length) { el.textContent = "暂无数据"; el.className += " empty-chart"; return; }
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option(key, table));
    el.setAttribute("data-rendered", "true");
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
