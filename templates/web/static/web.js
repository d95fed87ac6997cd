// The only script of the web pages (CSP: script-src 'self', nothing inline).
// 1. A run's page asks for its state every two seconds and reloads when the run has finished.
// 2. Print buttons print.
// 3. Every table cell learns its column's name (data-label), so on a phone a table reads as cards (web.css).
(function () {
  "use strict";
  var job = document.getElementById("job");
  if (job && (job.dataset.state === "queued" || job.dataset.state === "running")) {
    var poll = function () {
      fetch(job.dataset.statusUrl, { credentials: "same-origin", cache: "no-store" })
        .then(function (response) { return response.json(); })
        .then(function (status) {
          document.getElementById("job-state").textContent = status.state;
          document.getElementById("job-step").textContent = status.step;
          if (status.state === "done" || status.state === "failed") { window.location.reload(); }
          else { window.setTimeout(poll, 2000); }
        })
        .catch(function () { window.setTimeout(poll, 5000); });
    };
    window.setTimeout(poll, 1000);
  }
  document.querySelectorAll("main table").forEach(function (table) {
    var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) { return th.textContent.trim(); });
    table.querySelectorAll("tbody tr").forEach(function (row) {
      var column = 0;  // a cell spanning columns is labelled by the first, and moves the next ones on
      Array.prototype.forEach.call(row.children, function (cell) {
        if (!cell.hasAttribute("data-label") && heads[column]) { cell.setAttribute("data-label", heads[column]); }
        column += cell.colSpan || 1;
      });
    });
  });
  document.querySelectorAll(".print-button").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
}());
