/* Service worker of {{ scope }} (the check-in scanner, or a participant's badge QR page):
   the page keeps working when the network drops. Built by badges.views._service_worker; its
   cache name changes with the assets, so a new deployment replaces the old copies.
   - the scanner's assets are cached at install and served from the cache;
   - scanner pages are fetched from the network first and kept, so reloading the tab in a
     dead zone shows the last copy instead of ERR_INTERNET_DISCONNECTED;
   - the API is never cached here: scans, the offline list and uploads are the page's job
     (salted hashes and a queue in the browser's storage, uploads idempotent by scan id). */
"use strict";
var CACHE = "{{ cache_name }}";
var ASSETS = {{ assets|safe }};

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(ASSETS); }));
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("{{ cache_prefix }}") === 0 && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

// The scanner page asks to be kept as soon as the worker is ready, so the very first visit
// with the network is enough for the page to reload without it.
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type !== "keep-page" || typeof data.url !== "string") { return; }
  var url = new URL(data.url, self.location.origin);
  if (url.origin !== self.location.origin || url.pathname.indexOf(self.registration.scope.replace(self.location.origin, "")) !== 0) { return; }
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return fetch(url.pathname, { credentials: "same-origin" }).then(function (response) {
      if (response.ok && !response.redirected) { return cache.put(url.pathname, response); }
    });
  }).then(function () {
    if (event.source) { event.source.postMessage({ type: "page-kept", url: url.pathname }); }
  }).catch(function () { /* offline now: the next visit with the network keeps it */ }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.indexOf("/api/") === 0) { return; }
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).then(function (response) {
      if (response.ok && !response.redirected) {
        var copy = response.clone();
        event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.put(request, copy); }));
      }
      return response;
    }).catch(function () {
      return caches.match(request, { ignoreSearch: true }).then(function (cached) {
        return cached || Response.error();
      });
    }));
    return;
  }
  if (ASSETS.indexOf(url.pathname) !== -1) {
    event.respondWith(caches.match(request).then(function (cached) {
      return cached || fetch(request);
    }));
  }
});
