// Working on a poor connection. Every page registers the service worker (/sw.js), which keeps
// the quick capture page (/offline) so that it opens without a connection. Entries typed there
// are kept in this browser and sent when the connection returns, each exactly once: each has
// its own Idempotency-Key, and the server applies a key once however often it is sent.
(function () {
  'use strict';
  var OUTBOX = 'cairn-outbox';
  var sending = false;

  function load() {
    try { return JSON.parse(localStorage.getItem(OUTBOX) || '[]'); } catch (e) { return []; }
  }
  function save(list) { localStorage.setItem(OUTBOX, JSON.stringify(list)); }
  function say(text) {
    document.querySelectorAll('[data-outbox-status]').forEach(function (el) {
      el.textContent = text;
      el.hidden = !text;
    });
  }
  function waiting(list) {
    return list.length === 1
      ? '1 entry is kept on this device, waiting to be sent to your record.'
      : list.length + ' entries are kept on this device, waiting to be sent to your record.';
  }
  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }
  function localToday() {
    var d = new Date();
    return d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0') + '-' + String(d.getDate()).padStart(2, '0');
  }

  async function flush() {
    var list = load();
    if (sending || !list.length) return;
    sending = true;
    try {
      while (list.length) {
        var item = list[0];
        var response;
        try {
          response = await fetch('/api/v1/me/entries', {
            method: 'POST',
            credentials: 'same-origin',
            headers: { 'Content-Type': 'application/json', 'Idempotency-Key': item.key },
            body: JSON.stringify(item.entry)
          });
        } catch (e) {
          say(waiting(list) + ' They will be sent when the connection returns.');
          return;
        }
        if (response.status === 401) {
          say(waiting(list) + ' Sign in, and they will be sent.');
          return;
        }
        if (!response.ok) {
          // Refused (a date in the future, say): kept, with the reason, for the person to fix.
          var problem = await response.json().catch(function () { return {}; });
          var why = (problem.errors && problem.errors[0] && problem.errors[0].message) || problem.detail || 'it was refused';
          say('\u201c' + item.entry.title + '\u201d could not be sent: ' + why + '. It is still kept on this device.');
          return;
        }
        list.shift();
        save(list);
      }
      say('Everything kept on this device has been sent to your record.');
    } finally {
      sending = false;
    }
  }

  function capture(form) {
    var date = form.querySelector('[name=date]');
    if (date && !date.value) date.value = localToday();
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var data = new FormData(form);
      var title = String(data.get('title') || '').trim();
      var error = form.querySelector('[data-title-error]');
      if (!title) {
        error.hidden = false;
        form.querySelector('[name=title]').setAttribute('aria-invalid', 'true');
        form.querySelector('[name=title]').focus();
        return;
      }
      error.hidden = true;
      form.querySelector('[name=title]').removeAttribute('aria-invalid');
      var entry = {
        title: title,
        date: String(data.get('date') || localToday()),
        hours: String(data.get('hours') || '').trim() || '0',
        kind: String(data.get('kind') || 'other')
      };
      var reflection = String(data.get('reflection') || '').trim();
      if (reflection) entry.reflection = reflection;
      var list = load();
      list.push({ key: newKey(), entry: entry });
      save(list);
      form.reset();
      if (date) date.value = localToday();
      say(waiting(list));
      flush();
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    var form = document.querySelector('[data-offline-capture]');
    if (form) capture(form);
    var list = load();
    if (list.length) say(waiting(list));
    if (navigator.onLine) flush();
  });
  window.addEventListener('online', flush);
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/sw.js').catch(function () { /* pages work without it */ });
  }
})();
