// Dashboard charts: numbers come from the json_script block the page renders (no inline script).
(function () {
  "use strict";
  function draw() {
    var holder = document.getElementById("dashboard-charts");
    if (!holder || typeof Chart === "undefined") { return; }
    var data = JSON.parse(holder.textContent);
    var common = { responsive: true, maintainAspectRatio: false, animation: false };
    var text = data.text || { balance: "Open balance ($)", month: "Month %(n)s", placed: "% of placed", cei: "CEI (%)" };
    var aging = document.getElementById("chart-aging");
    if (aging) {
      aging.chart = new Chart(aging, {
        type: "bar",
        data: { labels: data.aging.labels, datasets: [{ label: text.balance, data: data.aging.balance, backgroundColor: "#1f6feb" }] },
        options: common
      });
    }
    var liq = document.getElementById("chart-liquidation");
    if (liq) {
      var longest = 0;
      data.liquidation.forEach(function (c) { longest = Math.max(longest, c.points.length); });
      var labels = [];
      for (var i = 0; i < longest; i++) { labels.push(text.month.replace("%(n)s", i)); }
      liq.chart = new Chart(liq, {
        type: "line",
        data: { labels: labels, datasets: data.liquidation.map(function (c) { return { label: c.label, data: c.points, spanGaps: true }; }) },
        options: Object.assign({}, common, { scales: { y: { title: { display: true, text: text.placed } } } })
      });
    }
    var cei = document.getElementById("chart-cei");
    if (cei) {
      cei.chart = new Chart(cei, {
        type: "line",
        data: { labels: data.cei.labels, datasets: [{ label: text.cei, data: data.cei.values, borderColor: "#2da44e", spanGaps: true }] },
        options: common
      });
    }
    document.body.dataset.chartsReady = "1";
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
