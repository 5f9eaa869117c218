/* The check-in page: camera (BarcodeDetector or the bundled jsQR), keyboard/handheld scanner,
   manual search, offline validation against salted token hashes, and a queue of scans
   (with client scan ids) uploaded when the network returns. */
(function () {
  "use strict";
  var app = document.getElementById("checkin-app");
  if (!app) { return; }
  var messages = document.getElementById("messages").dataset;
  // Reason codes of the server's answers (not_signed_up, reissued...) -> translated words.
  var reasonLabels = JSON.parse(document.getElementById("reason-labels").textContent);
  function reasonLabel(code) { return reasonLabels[code] || code; }
  var slug = app.dataset.congress;
  var deviceKey = "badges-device-id";
  var deviceId = localStorage.getItem(deviceKey);
  if (!deviceId) { deviceId = newId(); localStorage.setItem(deviceKey, deviceId); }
  var queueKey = "badges-queue-" + slug;
  var listKey = "badges-offline-list-" + slug;
  // Badges admitted offline on this device (hash|checkpoint|day): a second scan of one of
  // them offline is "already checked in", as the server would say.
  var seenKey = "badges-offline-seen-" + slug;
  var online = navigator.onLine;
  var checkpointSelect = document.getElementById("checkpoint-select");
  var exitMode = document.getElementById("exit-mode");
  var lastToken = "", lastTokenAt = 0;

  function newId() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = new Uint8Array(16); crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.from(b).map(function (x) { return ("0" + x.toString(16)).slice(-2); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function csrf() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }
  function api(url, body) {
    var options = { credentials: "same-origin", headers: { "Accept": "application/json" } };
    if (body !== undefined) {
      options.method = "POST";
      options.headers["Content-Type"] = "application/json";
      options.headers["X-CSRFToken"] = csrf();
      options.body = JSON.stringify(body);
    }
    return fetch(url, options);
  }
  function checkpoint() { return parseInt(checkpointSelect.value, 10) || null; }
  function queue() { try { return JSON.parse(localStorage.getItem(queueKey) || "[]"); } catch (e) { return []; } }
  function saveQueue(items) { localStorage.setItem(queueKey, JSON.stringify(items)); showQueue(); }
  function showQueue() {
    var count = queue().length;
    document.getElementById("queue-status").textContent = count ? messages.queued + ": " + count : "";
  }
  function setOnline(state) {
    online = state;
    var status = document.getElementById("network-status");
    status.dataset.state = state ? "online" : "offline";
    status.textContent = state ? messages.online : messages.offline;
    if (state) { flushQueue(); }
  }
  function beep(ok) {
    try {
      var context = new (window.AudioContext || window.webkitAudioContext)();
      var oscillator = context.createOscillator();
      oscillator.frequency.value = ok ? 880 : 220;
      oscillator.connect(context.destination);
      oscillator.start(); oscillator.stop(context.currentTime + (ok ? 0.12 : 0.4));
    } catch (e) { /* no audio: the colour still shows the result */ }
  }
  function show(result, name, detail) {
    var box = document.getElementById("result");
    var colour = { ok: "green", already_checked_in: "amber", offline_ok: "green" }[result] || "red";
    box.dataset.result = result;
    box.dataset.colour = colour;
    var titles = { ok: messages.ok, already_checked_in: messages.already, invalid: messages.invalid,
      revoked: messages.revoked, not_allowed: messages.notAllowed, offline_ok: messages.offlineOk,
      rate_limited: messages.rateLimited };
    document.getElementById("result-title").textContent = titles[result] || result;
    document.getElementById("result-name").textContent = name || "";
    document.getElementById("result-detail").textContent = detail || "";
    beep(colour === "green");
  }
  function showOutcome(body) {
    var person = body.registration || {};
    var parts = [person.organisation, person.category].filter(Boolean);
    if (person.is_online && body.reason !== "online_participant") { parts.push(messages.onlineParticipant); }
    if (body.result === "already_checked_in" && body.first_checked_in_at) {
      parts.push(messages.firstScan + " " + new Date(body.first_checked_in_at).toLocaleTimeString());
    }
    if (body.result === "ok" && body.direction === "exit") { parts.push(messages.checkedOut); }
    if (body.result === "not_allowed" || body.result === "revoked") { parts.push(reasonLabel(body.reason)); }
    if (body.rehearsal) { parts.push(messages.rehearsal); }
    show(body.result, person.name, parts.join(" · "));
    if (typeof body.inside_now === "number") {
      document.getElementById("inside-count").textContent = body.inside_now;
    }
    // No badge is printed for a remote participant (online category).
    if (app.dataset.desk === "1" && (body.result === "ok" || body.result === "already_checked_in") && person.id && !person.is_online) {
      window.open(app.dataset.badgeUrl.replace("/0/", "/" + person.id + "/"), "_blank");
    }
  }
  function scan(token, registrationId) {
    var item = { token: token || "", checkpoint: checkpoint(), scan_id: newId(),
      direction: exitMode.checked ? "exit" : "entry", scanned_at: new Date().toISOString(),
      device_id: deviceId };
    if (registrationId) { item.registration = registrationId; }
    if (!online && !registrationId) { return offlineScan(item); }
    return api(app.dataset.apiCheckin, item).then(function (response) {
      if (response.status === 429) { show("rate_limited"); return; }
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json().then(showOutcome);
    }).catch(function () {
      if (registrationId) { setOnline(false); return; }
      setOnline(false);
      return offlineScan(item);
    });
  }
  function offlineScan(item) {
    var list = null;
    try { list = JSON.parse(localStorage.getItem(listKey) || "null"); } catch (e) { list = null; }
    var finish = function (entry, hash) {
      var result = "invalid";
      if (entry) {
        result = entry.s === "revoked" ? "revoked" : (entry.a ? "offline_ok" : "not_allowed");
      }
      if (result === "offline_ok" && item.direction === "entry") {
        var seen = {};
        try { seen = JSON.parse(localStorage.getItem(seenKey) || "{}"); } catch (e) { seen = {}; }
        var mark = hash + "|" + item.checkpoint + "|" + item.scanned_at.slice(0, 10);
        if (seen[mark] || entry.i) {
          result = "already_checked_in";
        } else {
          seen[mark] = item.scanned_at;
          localStorage.setItem(seenKey, JSON.stringify(seen));
        }
      }
      item.offline_result = result === "offline_ok" ? "ok" : result;
      var items = queue(); items.push(item); saveQueue(items);
      // The name travels in the offline list only where the organiser allows it (entry.n).
      show(result, entry && entry.n ? entry.n : "", entry ? entry.c : "");
    };
    if (!list || list.checkpoint !== item.checkpoint) { finish(null); return Promise.resolve(); }
    return window.badgeSha256Hex(list.salt + item.token).then(function (hash) {
      finish(list.index[hash], hash);
    });
  }
  // One upload at a time: coming back online fires "online" and a successful list sync at
  // once, and each asked for an upload of the same queue (the server treats a replay as
  // such, but the door's network and the server did the work twice). Scans queued during an
  // upload go with the next one.
  var flushing = null;
  function flushQueue() {
    if (flushing) { return flushing; }
    var items = queue();
    if (!items.length) { return Promise.resolve(); }
    flushing = uploadQueue(items).then(function () { flushing = null; }, function () { flushing = null; });
    return flushing;
  }
  function uploadQueue(items) {
    return api(app.dataset.apiBatch, { device_id: deviceId, scans: items }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json().then(function (body) {
        var sent = {};
        items.forEach(function (item) { sent[item.scan_id] = true; });
        saveQueue(queue().filter(function (item) { return !sent[item.scan_id]; }));
        if (body.conflicts) {
          document.getElementById("queue-status").textContent = messages.conflicts + ": " + body.conflicts;
        }
      });
    }).catch(function () { setOnline(false); });
  }
  function syncList() {
    var url = app.dataset.apiOffline + "?checkpoint=" + checkpoint();
    return api(url).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    }).then(function (body) {
      var index = {};
      body.entries.forEach(function (entry) { index[entry.h] = entry; });
      localStorage.setItem(listKey, JSON.stringify({ salt: body.salt, checkpoint: body.checkpoint,
        generated_at: body.generated_at, index: index }));
      // The salt changes with every list: earlier marks could never match again.
      localStorage.removeItem(seenKey);
      document.dispatchEvent(new CustomEvent("badges:list-synced"));
    }).catch(function () { /* keep the previous list */ });
  }
  function refreshCounter() {
    return api(app.dataset.apiCheckpoints).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      // An answer to a request sent before the browser went offline is no sign of the
      // network: only the browser's own state may say it is back.
      if (!online && navigator.onLine) { setOnline(true); }
      return response.json();
    }).then(function (rows) {
      rows.forEach(function (row) {
        if (row.id === checkpoint()) { document.getElementById("inside-count").textContent = row.inside_now; }
      });
    }).catch(function () { if (online) { setOnline(false); } });
  }
  function onCode(text) {
    var token = (text || "").trim();
    var now = Date.now();
    if (!token || (token === lastToken && now - lastTokenAt < 3000)) { return; }
    lastToken = token; lastTokenAt = now;
    scan(token);
  }
  document.getElementById("token-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var input = document.getElementById("token-input");
    lastToken = "";
    onCode(input.value); input.value = ""; input.focus();
  });
  document.getElementById("search-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var query = document.getElementById("search-input").value.trim();
    var list = document.getElementById("search-results");
    list.textContent = "";
    api(app.dataset.apiSearch + "?q=" + encodeURIComponent(query)).then(function (response) {
      return response.json();
    }).then(function (body) {
      var template = document.getElementById("search-result-template");
      if (!body.results.length) {
        var empty = document.createElement("li"); empty.textContent = messages.noResults; list.appendChild(empty);
      }
      body.results.forEach(function (person) {
        var row = template.content.firstElementChild.cloneNode(true);
        row.dataset.registration = person.id;
        row.querySelector(".search-name").textContent = person.name;
        row.querySelector(".search-meta").textContent = [person.organisation, person.category,
          person.is_online ? messages.onlineParticipant : ""].filter(Boolean).join(" · ");
        if (person.is_online) { row.dataset.online = "1"; }
        row.querySelector(".search-checkin").addEventListener("click", function () { scan("", person.id); });
        list.appendChild(row);
      });
    }).catch(function () { setOnline(false); });
  });
  checkpointSelect.addEventListener("change", function () { syncList(); refreshCounter(); });
  window.addEventListener("online", function () { setOnline(true); syncList(); });
  window.addEventListener("offline", function () { setOnline(false); });

  // Camera: the browser's BarcodeDetector where available, the bundled jsQR otherwise.
  document.getElementById("camera-start").addEventListener("click", function () {
    var video = document.getElementById("camera-video");
    var canvas = document.getElementById("camera-canvas");
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
      video.srcObject = stream; video.hidden = false; video.play();
      var detector = ("BarcodeDetector" in window) ? new window.BarcodeDetector({ formats: ["qr_code"] }) : null;
      if (!detector && !window.jsQR) {
        var script = document.createElement("script"); script.src = app.dataset.decoder; document.head.appendChild(script);
      }
      var tick = function () {
        if (video.readyState >= 2) {
          if (detector) {
            detector.detect(video).then(function (codes) { if (codes.length) { onCode(codes[0].rawValue); } });
          } else if (window.jsQR) {
            canvas.width = video.videoWidth; canvas.height = video.videoHeight;
            var context = canvas.getContext("2d");
            context.drawImage(video, 0, 0);
            var image = context.getImageData(0, 0, canvas.width, canvas.height);
            var code = window.jsQR(image.data, image.width, image.height);
            if (code) { onCode(code.data); }
          }
        }
        window.setTimeout(tick, 200);
      };
      tick();
    }).catch(function () { document.getElementById("camera-start").disabled = true; });
  });

  showQueue();
  // Opened (or reloaded from the service worker's copy) without the network: say so at once.
  if (!online) { setOnline(false); }
  syncList();
  refreshCounter();
  window.setInterval(function () { refreshCounter(); if (online) { flushQueue(); } }, 10000);
  // The offline list (with revocations) is synced again every few minutes while online.
  window.setInterval(function () { if (online) { syncList(); } }, 180000);
})();
