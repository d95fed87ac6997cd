// The only script of the web pages (CSP: script-src 'self', nothing inline).
// 1. A run's page asks for its state every two seconds and reloads when the run has finished.
// 2. Print buttons print.
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
  document.querySelectorAll(".print-button").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
}());
