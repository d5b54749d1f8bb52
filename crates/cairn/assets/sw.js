// cairn's service worker: keeps the quick capture page and what it needs, so that it opens
// without a connection. Nothing personal is kept: every other page and all of the API go to
// the network, and a page that cannot be fetched is answered with the quick capture.
const CACHE = 'cairn-offline-v1';
const SHELL = ['/offline', '/assets/cairn.css', '/assets/offline.js', '/favicon.svg', '/manifest.webmanifest'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    event.respondWith(fetch(request).catch(() => caches.match('/offline')));
    return;
  }
  if (SHELL.includes(url.pathname)) {
    // The network first, so that a new stylesheet arrives; the kept copy when there is none.
    event.respondWith(fetch(request).catch(() => caches.match(request)));
  }
});
