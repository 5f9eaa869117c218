// Live word count for the abstract (the server checks the limit again).
(function () {
  "use strict";
  var counter = document.getElementById("word-count");
  var abstract = document.getElementById("id_abstract");
  if (!counter || !abstract) {
    return;
  }
  var limit = parseInt(counter.getAttribute("data-limit"), 10);
  function update() {
    var words = abstract.value.trim() ? abstract.value.trim().split(/\s+/).length : 0;
    counter.textContent = words + " / " + limit;
    counter.classList.toggle("over", words > limit);
  }
  abstract.addEventListener("input", update);
  update();
})();
