// A background import's page: while it runs, ask every few seconds how it stands and say so
// in the status box (a live region), without reloading the page or moving focus. Without
// JavaScript the "Check again" link does the same.
(function () {
  var section = document.querySelector('[data-job]');
  var status = document.querySelector('[data-job-status]');
  if (!section || !status || !window.fetch) return;
  var text = status.querySelector('[data-job-text]');
  var bar = status.querySelector('[data-job-progress]');
  var link = document.querySelector('[data-job-link]');
  function poll() {
    fetch(section.getAttribute('data-job'), { credentials: 'same-origin' })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) {
        if (!body) return;
        var job = body.job;
        bar.value = body.percent;
        bar.textContent = body.percent + '%';
        if (job.status === 'done' || job.status === 'failed') {
          text.textContent = job.status === 'done' ? 'Finished.' : 'The import stopped.';
          if (link) link.textContent = job.status === 'done' ? 'Show the report' : 'Show why';
          return;
        }
        text.textContent = job.status === 'queued' ? 'Waiting to start.' : 'Importing: ' + body.percent + '% done.';
        setTimeout(poll, 3000);
      })
      .catch(function () { setTimeout(poll, 10000); });
  }
  setTimeout(poll, 2000);
})();
