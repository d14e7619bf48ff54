// The request form, guided: show the facility or the place field according to the
// requester kind, the item's unit next to each quantity, and lines added and removed in
// place. Without JavaScript every field is shown and "Add a line" posts the form back.
(function () {
  "use strict";
  var form = document.getElementById("request-form");
  if (!form) return;
  var kind = form.querySelector("[name=requester_kind]");

  function toggleKind() {
    var value = kind ? kind.value : "";
    form.querySelectorAll("[data-shown-for]").forEach(function (el) {
      var kinds = el.getAttribute("data-shown-for").split(" ");
      if (!kinds[0]) return;
      el.hidden = kinds.indexOf(value) === -1;
    });
  }

  function showUnit(row) {
    var select = row.querySelector(".line-item select");
    var suffix = row.querySelector(".line-quantity .suffix");
    if (!select || !suffix) return;
    var option = select.options[select.selectedIndex];
    var service = row.querySelector(".line-service select");
    var unit = option && option.getAttribute("data-unit");
    suffix.textContent = unit || (service && service.value ? form.dataset.serviceUnit || "" : "");
  }

  var rows = document.getElementById("line-rows");
  var template = document.getElementById("line-template");
  var next = 0;
  rows.querySelectorAll(".line-row").forEach(function (row) {
    next = Math.max(next, parseInt(row.getAttribute("data-line"), 10) + 1);
    showUnit(row);
  });

  function addLine() {
    var html = template.innerHTML
      .replace(/line0_/g, "line" + next + "_")
      .replace(/__i__/g, String(next));
    next += 1;
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    var row = holder.firstElementChild;
    rows.appendChild(row);
    showUnit(row);
    var first = row.querySelector("select");
    if (first) first.focus();
  }

  form.addEventListener("change", function (event) {
    if (event.target === kind) toggleKind();
    var row = event.target.closest(".line-row");
    if (row) showUnit(row);
  });
  form.addEventListener("click", function (event) {
    var add = event.target.closest("#add-line");
    if (add) {
      event.preventDefault();
      addLine();
      return;
    }
    var remove = event.target.closest("[data-remove-line]");
    if (remove) {
      event.preventDefault();
      var row = remove.closest(".line-row");
      if (rows.querySelectorAll(".line-row").length > 1) {
        row.remove();
      } else {
        row.querySelectorAll("select, input").forEach(function (el) { el.value = ""; });
        showUnit(row);
      }
    }
  });
  toggleKind();
})();
