/* The timetable editor: lays the sessions out on each day's grid (rows are 15 minutes, columns
   are rooms), lets the organiser drag a session to another room or time, drag its lower edge
   to change its end, or drag a session to place from the side list into the grid. Each drop
   is saved at once (POST to the session's schedule URL, times in the congress's local time);
   the answer's conflict warnings are shown, then the board is reloaded through htmx.
   SortableJS reorders lists but cannot place on a time grid or resize: hence pointer events.
   Keyboard users open a session (its title is a link) and type the room and times. */
(function () {
  "use strict";
  var SLOT_MINUTES = 15;
  var drag = null;
  var suppressClick = false;

  function board() { return document.getElementById("timetable-board"); }
  function csrfToken() {
    var input = document.querySelector("#drop-result [name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function layout() {
    var root = board();
    if (!root) { return; }
    root.querySelectorAll(".tt-grid").forEach(function (grid) {
      grid.style.gridTemplateColumns = "4.5rem repeat(" + grid.dataset.columns + ", minmax(9rem, 1fr))";
      grid.querySelectorAll("[data-row]").forEach(function (cell) {
        var end = cell.dataset.rowEnd || String(Number(cell.dataset.row) + 1);
        cell.style.gridRow = cell.dataset.row + " / " + end;
        cell.style.gridColumn = cell.dataset.col;
      });
    });
    root.querySelectorAll(".tt-session[data-track-colour]").forEach(function (card) {
      card.style.borderInlineStartColor = card.dataset.trackColour;
    });
  }

  /* "2027-06-15T09:30" plus minutes, as wall-clock time (the server reads it in the congress's zone). */
  function addMinutes(local, minutes) {
    var parts = local.split(/[-T:]/).map(Number);
    var moment = new Date(Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3], parts[4] + minutes));
    return moment.toISOString().slice(0, 16);
  }

  function slotAt(x, y) {
    var found = document.elementsFromPoint(x, y);
    for (var index = 0; index < found.length; index++) {
      if (found[index].classList && found[index].classList.contains("tt-slot")) { return found[index]; }
    }
    return null;
  }
  function overUnscheduledList(x, y) {
    return document.elementsFromPoint(x, y).some(function (el) { return el.id === "unscheduled-list"; });
  }

  function clearHighlight() {
    document.querySelectorAll(".tt-slot.is-target").forEach(function (slot) { slot.classList.remove("is-target"); });
  }
  function highlight(target) {
    clearHighlight();
    if (!target || !target.grid) { return; }
    for (var row = target.firstRow; row < target.lastRow; row++) {
      var slot = target.grid.querySelector('.tt-slot[data-col="' + target.col + '"][data-row="' + row + '"]');
      if (slot) { slot.classList.add("is-target"); }
    }
  }

  function targetFor(state, x, y) {
    var card = state.card;
    var slot = slotAt(x, y);
    var duration = Number(card.dataset.duration);
    if (!slot) {
      if (!state.resize && card.dataset.row && overUnscheduledList(x, y)) {
        return { room: "", start: card.dataset.start, duration: duration };
      }
      return null;
    }
    var grid = slot.closest(".tt-grid");
    if (state.resize) {
      if (grid !== card.closest(".tt-grid") || slot.dataset.col !== card.dataset.col) { return null; }
      var lastRow = Math.max(Number(slot.dataset.row), Number(card.dataset.row)) + 1;
      var lastSlot = grid.querySelector('.tt-slot[data-col="' + card.dataset.col + '"][data-row="' + (lastRow - 1) + '"]');
      return { grid: grid, col: card.dataset.col, firstRow: Number(card.dataset.row), lastRow: lastRow,
        room: slot.dataset.room, start: card.dataset.start, end: addMinutes(lastSlot.dataset.start, SLOT_MINUTES) };
    }
    var firstRow = Math.max(2, Number(slot.dataset.row) - state.grabOffset);
    var first = grid.querySelector('.tt-slot[data-col="' + slot.dataset.col + '"][data-row="' + firstRow + '"]');
    if (!first) { return null; }
    return { grid: grid, col: slot.dataset.col, firstRow: firstRow,
      lastRow: firstRow + Math.max(1, Math.ceil(duration / SLOT_MINUTES)),
      room: slot.dataset.room, start: first.dataset.start, duration: duration };
  }

  function showResult(text, warnings, isError) {
    var box = document.getElementById("drop-result");
    var list = document.getElementById("drop-warnings");
    document.getElementById("drop-message").textContent = text;
    list.textContent = "";
    (warnings || []).forEach(function (warning) {
      var item = document.createElement("li");
      item.textContent = warning.message;
      if (warning.code) { item.dataset.code = warning.code; }
      list.appendChild(item);
    });
    box.dataset.state = isError ? "error" : ((warnings || []).length ? "warning" : "ok");
    box.hidden = false;
  }

  function refresh() {
    if (window.htmx) {
      return window.htmx.ajax("GET", window.location.pathname, { target: "#timetable-board", select: "#timetable-board", swap: "outerHTML" });
    }
    window.location.reload();
  }

  function save(card, target) {
    var root = board();
    var body = new FormData();
    body.append("room", target.room);
    body.append("starts_at", target.start);
    if (target.end) { body.append("ends_at", target.end); } else { body.append("duration", String(target.duration)); }
    root.setAttribute("aria-busy", "true");
    return fetch(card.dataset.scheduleUrl, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (answer) {
        if (answer.saved) {
          showResult(answer.message, answer.warnings, false);
        } else {
          showResult(root.dataset.error + " " + (answer.errors || []).join(" "), [], true);
        }
        return refresh();
      });
    }).catch(function () {
      showResult(root.dataset.networkError, [], true);
    }).finally(function () {
      var current = board();
      if (current) { current.removeAttribute("aria-busy"); }
    });
  }

  document.addEventListener("pointerdown", function (event) {
    if (event.button !== 0 || !board() || !board().contains(event.target)) { return; }
    var card = event.target.closest(".tt-session");
    if (!card) { return; }
    var resize = Boolean(event.target.closest(".tt-resize"));
    var grabOffset = 0;
    if (!resize && card.dataset.row) {
      var slot = slotAt(event.clientX, event.clientY);
      if (slot) { grabOffset = Math.max(0, Number(slot.dataset.row) - Number(card.dataset.row)); }
    }
    drag = { card: card, resize: resize, grabOffset: grabOffset, x: event.clientX, y: event.clientY, started: false };
  });
  document.addEventListener("pointermove", function (event) {
    if (!drag) { return; }
    if (!drag.started) {
      if (Math.abs(event.clientX - drag.x) + Math.abs(event.clientY - drag.y) < 6) { return; }
      drag.started = true;
      drag.card.classList.add("is-dragging");
      document.body.classList.add("tt-dragging");
    }
    event.preventDefault();
    highlight(targetFor(drag, event.clientX, event.clientY));
  });
  function endDrag(event, cancelled) {
    if (!drag) { return; }
    var state = drag;
    drag = null;
    state.card.classList.remove("is-dragging");
    document.body.classList.remove("tt-dragging");
    clearHighlight();
    if (!state.started) { return; }
    suppressClick = true;
    window.setTimeout(function () { suppressClick = false; }, 0);
    if (cancelled) { return; }
    var target = targetFor(state, event.clientX, event.clientY);
    if (target) { save(state.card, target); }
  }
  document.addEventListener("pointerup", function (event) { endDrag(event, false); });
  document.addEventListener("pointercancel", function (event) { endDrag(event, true); });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && drag) { endDrag(event, true); }
  });
  document.addEventListener("click", function (event) {
    if (suppressClick) { event.preventDefault(); event.stopPropagation(); }
  }, true);
  document.addEventListener("dragstart", function (event) {
    if (event.target.closest && event.target.closest(".tt-session")) { event.preventDefault(); }
  });
  document.addEventListener("htmx:afterSettle", layout);
  layout();
}());
