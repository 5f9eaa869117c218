/* The participant's badge QR page: registered with its own service worker, which keeps a
   copy so that the page opens at the door without the network. */
(function () {
  "use strict";
  var page = document.getElementById("self-badge");
  if (!page || !("serviceWorker" in navigator)) { return; }
  navigator.serviceWorker.register(page.dataset.serviceWorker, { scope: page.dataset.scope })
    .then(function () { return navigator.serviceWorker.ready; })
    .then(function (registration) {
      if (registration.active && navigator.onLine) {
        registration.active.postMessage({ type: "keep-page", url: location.pathname });
      }
    })
    .catch(function () { /* no service worker: the page still works online */ });
})();
