/*
 * Reti — an edition's builds (decision 0041): while a build is queued or
 * running, the versions table carries data-editions-poll with the address of
 * its progress (JSON). This script asks it every two seconds, updates each
 * pending version's status and progress bar in place, and reloads the page
 * once no build is pending, so that the new files' links appear. Without
 * JavaScript, reloading the page shows the same state.
 */
(function () {
  'use strict';
  var table = document.querySelector('[data-editions-poll]');
  if (!table || !window.fetch) return;
  var url = table.getAttribute('data-editions-poll');

  function update(lines) {
    var pending = false;
    lines.forEach(function (line) {
      var cell = table.querySelector('[data-editions-version="' + line.number + '"]');
      if (!cell) return;
      var label = cell.querySelector('[data-editions-label]');
      if (label && label.textContent !== line.label) label.textContent = line.label;
      var bar = cell.querySelector('progress');
      if (bar) bar.value = line.progress;
      var percent = cell.querySelector('[data-editions-percent]');
      if (percent) percent.textContent = line.progress + '%';
      if (line.status === 'queued' || line.status === 'running') pending = true;
    });
    return pending;
  }

  function poll() {
    fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (lines) {
        if (update(lines)) {
          window.setTimeout(poll, 2000);
        } else {
          window.location.reload();
        }
      })
      .catch(function () {
        window.setTimeout(poll, 10000);
      });
  }

  window.setTimeout(poll, 2000);
})();
