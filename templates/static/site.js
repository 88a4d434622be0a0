// Filtering and search for report tables. Plain JavaScript, no libraries, works from file://.
(function () {
  "use strict";
  document.querySelectorAll(".filters").forEach(function (bar) {
    var scope = document.querySelector(bar.getAttribute("data-target")) || document;
    var selects = bar.querySelectorAll("select[data-filter]");
    var search = bar.querySelector("input[data-search]");
    function apply() {
      var wanted = {};
      selects.forEach(function (s) { if (s.value) { wanted[s.getAttribute("data-filter")] = s.value; } });
      var needle = search ? search.value.trim() : "";
      var items = scope.querySelectorAll(".row, .clause");
      items.forEach(function (item) {
        var show = true;
        Object.keys(wanted).forEach(function (key) {
          var value = item.getAttribute("data-" + key);
          if (value !== null && value !== wanted[key]) { show = false; }
        });
        if (show && needle && item.textContent.indexOf(needle) < 0) { show = false; }
        if (item.classList.contains("clause")) {
          item.style.opacity = show ? "" : "0.25";
        } else {
          item.classList.toggle("hidden", !show);
        }
      });
      scope.querySelectorAll("section.group").forEach(function (group) {
        var any = group.querySelector(".row:not(.hidden)");
        group.classList.toggle("hidden", !any);
      });
    }
    selects.forEach(function (s) { s.addEventListener("change", apply); });
    if (search) { search.addEventListener("input", apply); }
  });
}());
