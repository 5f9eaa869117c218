// Drag-and-drop ordering for organiser pages (SortableJS, our own static copy).
// Every `[data-sortable]` list can be reordered by its rows' `.drag-handle`. Rows carry a
// hidden input (`item` = an id, or `row_order` = a formset row's prefix); the browser posts
// them in the rows' new order. Inside a form with hx-post and hx-trigger="end", htmx saves
// the order as soon as a row is dropped; in a formset, the order is saved with the form.
(function () {
  "use strict";
  function init(root) {
    root.querySelectorAll("[data-sortable]").forEach(function (list) {
      if (list.dataset.sortableReady) { return; }
      list.dataset.sortableReady = "1";
      window.Sortable.create(list, { handle: ".drag-handle", animation: 150 });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSettle", function (event) { init(event.target); });
}());
