/* The road page: the held quantities show only when the outcome is "partially passed"
   (without JavaScript they are always shown and the service ignores them otherwise). */
(function () {
  "use strict";
  var form = document.getElementById("passage-form");
  if (!form) { return; }
  var rows = form.querySelector("[data-held-rows]");
  if (!rows) { return; }
  var partial = rows.getAttribute("data-held-rows");
  function update() {
    var checked = form.querySelector("input[name$='outcome']:checked");
    rows.hidden = !(checked && checked.value === partial);
  }
  form.addEventListener("change", update);
  update();
})();
