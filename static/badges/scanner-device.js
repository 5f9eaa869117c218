/* The scanner as an offline-first app: registers the service worker (served under the
   scanner's URL so that it controls the scanner pages) and shows the "device ready?" check:
   whether the page reloads offline, the age and size of the badge list on this device, the
   scans waiting to be sent and whether the camera may be used. */
(function () {
  "use strict";
  var app = document.getElementById("checkin-app");
  if (!app) { return; }
  var text = document.getElementById("ready-messages").dataset;
  var slug = app.dataset.congress;

  function set(id, value, good) {
    var element = document.getElementById(id);
    element.textContent = value;
    element.dataset.ok = good ? "1" : "0";
  }
  function checkOffline() {
    if (!("serviceWorker" in navigator) || !window.caches) { set("ready-offline", text.unsupported, false); return; }
    caches.match(location.pathname, { ignoreSearch: true }).then(function (cached) {
      set("ready-offline", cached ? text.yes : text.no, Boolean(cached));
    });
  }
  function keepPage(registration) {
    var worker = registration.active || navigator.serviceWorker.controller;
    if (worker && navigator.onLine) { worker.postMessage({ type: "keep-page", url: location.pathname }); }
  }
  function checkList() {
    var list = null;
    try { list = JSON.parse(localStorage.getItem("badges-offline-list-" + slug) || "null"); } catch (e) { list = null; }
    if (!list || !list.generated_at) { set("ready-list", text.listNone, false); return; }
    var minutes = Math.max(0, Math.round((Date.now() - Date.parse(list.generated_at)) / 60000));
    var count = Object.keys(list.index || {}).length;
    set("ready-list", text.listAge.replace("{minutes}", minutes).replace("{count}", count), minutes < 15);
  }
  function checkQueue() {
    var queue = [];
    try { queue = JSON.parse(localStorage.getItem("badges-queue-" + slug) || "[]"); } catch (e) { queue = []; }
    set("ready-queue", String(queue.length), queue.length === 0);
  }
  function checkCamera() {
    if (!navigator.permissions || !navigator.permissions.query) { set("ready-camera", text.cameraUnknown, false); return; }
    navigator.permissions.query({ name: "camera" }).then(function (status) {
      var labels = { granted: text.cameraGranted, denied: text.cameraDenied, prompt: text.cameraPrompt };
      set("ready-camera", labels[status.state] || text.cameraUnknown, status.state === "granted");
    }).catch(function () { set("ready-camera", text.cameraUnknown, false); });
  }
  function checkAll() { checkOffline(); checkList(); checkQueue(); checkCamera(); }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "page-kept") { checkOffline(); }
    });
    navigator.serviceWorker.register(app.dataset.serviceWorker, { scope: app.dataset.scope })
      .then(function () { return navigator.serviceWorker.ready; })
      .then(keepPage)
      .catch(checkOffline);
  }
  document.getElementById("ready-check").addEventListener("click", checkAll);
  document.addEventListener("badges:list-synced", checkList);
  window.addEventListener("storage", function () { checkList(); checkQueue(); });
  window.setInterval(function () { checkList(); checkQueue(); }, 5000);
  checkAll();
})();
