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
  // "Add a choice": a formset's empty row (a <template>, prefix "__prefix__") appended with
  // the next form number, and the management form's TOTAL_FORMS raised by one.
  function addRow(button) {
    var template = document.getElementById(button.dataset.addRow);
    var rows = button.closest("form").querySelector(button.dataset.rows);
    var total = document.getElementById(button.dataset.total);
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var first = rows.lastElementChild.querySelector("input[type=text]");
    if (first) { first.focus(); }
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-add-row]");
    if (button) { addRow(button); }
  });
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSettle", function (event) { init(event.target); });
}());
