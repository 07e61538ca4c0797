// The course-assignment form's person picker: find by name, select all shown, clear, tick a whole
// unit, and a live count. Without this script the checkboxes and the unit list still submit.
(function () {
  "use strict";

  function normalise(text) {
    return (text || "").toLocaleLowerCase().replace(/\s+/g, " ").trim();
  }

  function setUp(picker) {
    var list = picker.querySelector("[data-picker-list]");
    if (!list) return;
    var rows = Array.prototype.map.call(list.querySelectorAll("input[type=checkbox]"), function (box) {
      var row = box.closest("li") || box.closest("div") || box.parentNode;
      return { box: box, row: row, text: normalise(row.textContent) };
    });
    var search = picker.querySelector("[data-picker-search]");
    var count = picker.querySelector("[data-picker-count]");
    var shown = picker.querySelector("[data-picker-shown]");
    var shownWrap = picker.querySelector("[data-picker-shown-wrap]");
    var none = picker.querySelector("[data-picker-none]");
    var unitSelect = picker.querySelector("select[name=org_unit]");
    var unitButton = picker.querySelector("[data-picker-unit]");

    function visible() {
      return rows.filter(function (r) { return !r.row.hidden; });
    }

    function update() {
      var ticked = rows.filter(function (r) { return r.box.checked; }).length;
      var seen = visible().length;
      count.textContent = ticked;
      shown.textContent = seen;
      shownWrap.hidden = seen === rows.length;
      none.hidden = seen > 0 || rows.length === 0;
    }

    function filter() {
      var words = normalise(search.value).split(" ").filter(Boolean);
      rows.forEach(function (r) {
        r.row.hidden = !words.every(function (w) { return r.text.indexOf(w) !== -1; });
      });
      update();
    }

    var timer = null;
    search.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(filter, 80);
    });
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault(); // searching, not submitting
    });
    picker.querySelector("[data-picker-all]").addEventListener("click", function () {
      visible().forEach(function (r) { r.box.checked = true; });
      update();
    });
    picker.querySelector("[data-picker-clear]").addEventListener("click", function () {
      rows.forEach(function (r) { r.box.checked = false; });
      update();
    });
    list.addEventListener("change", update);

    if (unitSelect && unitButton) {
      unitButton.hidden = false;
      unitButton.addEventListener("click", function () {
        var option = unitSelect.options[unitSelect.selectedIndex];
        var units = (option && option.getAttribute("data-subtree") || "").split(" ").filter(Boolean);
        if (!units.length) { unitSelect.focus(); return; }
        rows.forEach(function (r) {
          if (units.indexOf(r.box.getAttribute("data-unit")) !== -1) r.box.checked = true;
        });
        // The people are now ticked one by one: the unit itself need not be sent as well.
        unitSelect.value = "";
        update();
      });
    }

    picker.querySelector("[data-picker-tools]").hidden = false;
    picker.querySelector("[data-picker-status]").hidden = false;
    update();
  }

  document.querySelectorAll("[data-people-picker]").forEach(setUp);
})();
