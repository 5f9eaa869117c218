/* Badge template editor: the printed fields are reordered by drag and drop (SortableJS; the
   browser submits the ticked boxes in page order, so the order is the one shown), and the
   live preview (htmx) is asked again after each reorder. Swatches show category colours. */
(function () {
  "use strict";
  document.querySelectorAll(".colour-swatch[data-colour]").forEach(function (swatch) {
    swatch.style.backgroundColor = swatch.dataset.colour;
  });
  var list = document.getElementById("id_fields");
  if (!list || !window.Sortable) { return; }
  window.Sortable.create(list, {
    animation: 150,
    onEnd: function () { document.body.dispatchEvent(new CustomEvent("fields-sorted")); }
  });
  /* Keyboard: Alt+ArrowUp / Alt+ArrowDown on a ticked box moves its field. */
  list.addEventListener("keydown", function (event) {
    if (!event.altKey || (event.key !== "ArrowUp" && event.key !== "ArrowDown")) { return; }
    var item = event.target.closest("#id_fields > div");
    if (!item) { return; }
    event.preventDefault();
    if (event.key === "ArrowUp" && item.previousElementSibling) {
      list.insertBefore(item, item.previousElementSibling);
    } else if (event.key === "ArrowDown" && item.nextElementSibling) {
      list.insertBefore(item.nextElementSibling, item);
    }
    event.target.focus();
    document.body.dispatchEvent(new CustomEvent("fields-sorted"));
  });
}());
