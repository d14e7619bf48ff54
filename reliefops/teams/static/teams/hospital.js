/* Hospital page: the daily caseload chart (Chart.js, stacked by measure). Data comes
   from a json_script block; no inline script (the CSP allows only 'self'). The table
   under the chart has the same figures; suppressed days (1–4 people) are gaps. */
(function () {
  "use strict";
  var canvas = document.getElementById("caseload-chart");
  var source = document.getElementById("caseload-chart-data");
  if (!canvas || !source || !window.Chart) { return; }
  var data = JSON.parse(source.textContent);
  var colours = { admissions: "#2b6cb0", discharges: "#38a169", referrals_in: "#d69e2e", referrals_out: "#805ad5" };
  var labels = document.getElementById("caseload-labels").dataset;
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels.map(function (d) { return d.slice(5); }),
      datasets: data.datasets.map(function (s) {
        return { label: s.label, data: s.data, backgroundColor: colours[s.key] || "#718096" };
      })
    },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false,
      scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, title: { display: true, text: labels.axis } } },
      plugins: { legend: { position: "bottom" } }
    }
  });
  canvas.dataset.ready = "1";
})();
