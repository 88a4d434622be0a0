// Filters, search and "download this view" for the report pages, and the navigation menus.
// Plain JavaScript, no libraries, nothing fetched: works offline and from file://.
//
// A filter bar (<div class="filters" data-target="#list" data-items=".row">) filters the
// items of its target. Each <select data-filter="KEY"> is a facet: it keeps the items whose
// data-KEY is the chosen value (an option's data-any lists several); each option shows how
// many items it would keep with the other filters as they are. The search box keeps the
// items whose passage text (elements .text, else the item's own text, never citations or
// marks) holds every word of the query (words are separated by spaces) and marks them.
// The filters live in the page address (?KEY=VALUE&q=WORDS), so a view can be bookmarked
// and sent. "Download this view" writes the shown items as CSV (data-columns, see value()).
// Every word a reader sees comes from the page's HTML, never from here.
(function () {
  "use strict";

  // Elements whose text is not passage text: marks, citations, labels, links to histories.
  var NOT_TEXT = "sup, cite, small, .fate, .rel, .changes, .hist, .none, .was, .definition";

  function textNodes(root) {
    var out = [];
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        if (node.nodeType === 3) { return NodeFilter.FILTER_ACCEPT; }
        return node.matches(NOT_TEXT) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_SKIP;
      }
    });
    while (walker.nextNode()) {
      if (walker.currentNode.nodeType === 3) { out.push(walker.currentNode); }
    }
    return out;
  }

  function passageText(root) {
    return textNodes(root).map(function (n) { return n.data; }).join("");
  }

  // The query's words: separated by spaces (ASCII or ideographic), case ignored.
  function words(query) {
    var seen = {};
    return query.toLowerCase().split(/[\s\u3000]+/).filter(function (w) {
      if (!w || seen[w]) { return false; }
      seen[w] = true;
      return true;
    });
  }

  // Wrap every occurrence of the words in the passage text of `region` in <mark class="hit">,
  // also where an occurrence runs across elements (a redline's <ins> and plain text).
  function highlight(region, terms) {
    var nodes = textNodes(region);
    var text = "";
    var starts = [];
    nodes.forEach(function (n) { starts.push(text.length); text += n.data; });
    var lower = text.toLowerCase();
    var ranges = [];
    terms.forEach(function (t) {
      var at = lower.indexOf(t);
      while (at >= 0) { ranges.push([at, at + t.length]); at = lower.indexOf(t, at + t.length); }
    });
    if (!ranges.length) { return; }
    ranges.sort(function (a, b) { return a[0] - b[0]; });
    var merged = [ranges[0]];
    ranges.slice(1).forEach(function (r) {
      var last = merged[merged.length - 1];
      if (r[0] <= last[1]) { last[1] = Math.max(last[1], r[1]); } else { merged.push(r); }
    });
    for (var i = nodes.length - 1; i >= 0; i--) {
      var node = nodes[i];
      var s = starts[i];
      var e = s + node.data.length;
      for (var k = merged.length - 1; k >= 0; k--) {
        var a = Math.max(merged[k][0], s);
        var b = Math.min(merged[k][1], e);
        if (a >= b) { continue; }
        if (b - s < node.data.length) { node.splitText(b - s); }
        var hit = a > s ? node.splitText(a - s) : node;
        var mark = document.createElement("mark");
        mark.className = "hit";
        hit.parentNode.replaceChild(mark, hit);
        mark.appendChild(hit);
        if (hit === node) { break; }
        e = a;
      }
    }
  }

  function unhighlight(root) {
    var parents = [];
    root.querySelectorAll("mark.hit").forEach(function (mark) {
      var parent = mark.parentNode;
      while (mark.firstChild) { parent.insertBefore(mark.firstChild, mark); }
      parent.removeChild(mark);
      if (parents.indexOf(parent) < 0) { parents.push(parent); }
    });
    parents.forEach(function (p) { p.normalize(); });
  }

  function unitOf(el) {
    var href = el.getAttribute("href") || "";
    return el.getAttribute("data-unit") || (href.indexOf("#") >= 0 ? href.slice(href.indexOf("#") + 1) : "") || el.id;
  }

  // The element of an item that holds NAME: the item or an element in it marked
  // data-cell="NAME", or in a table row the cell under the header marked data-col="NAME".
  function cellOf(item, name) {
    var marked = '[data-cell="' + name + '"]';
    if (item.matches(marked)) { return item; }
    var inside = item.querySelector(marked);
    if (inside) { return inside; }
    var table = item.tagName === "TR" && item.closest("table");
    var header = table && table.querySelector('thead th[data-col="' + name + '"]');
    if (header) { return item.cells[header.cellIndex] || null; }
    // A column named after a document: the item's passage of that document.
    return item.querySelector('a.text[href*="doc-' + name + '.html#"]');
  }

  // A CSV column's value for an item: the attribute data-COLUMN of the item or of an element
  // around it; else the passage text of the item's element for COLUMN (cellOf: a cell, or
  // for a column named after a document the item's passage there); for
  // X_text, X_unit and X_section the passage text, unit id and citation of the passage in
  // the element for X; else the words of an element of class COLUMN (kinds of change); for
  // thread, the thread its history link leads to; for unit and text, the item's own.
  function value(item, column) {
    var name = "data-" + column.replace(/_/g, "-");
    var owner = item.closest("[" + name + "]");
    if (owner) { return owner.getAttribute(name); }
    var cell = cellOf(item, column);
    if (cell) { return passageText(cell); }
    var parts = /^(.+)_(unit|text|section)$/.exec(column);
    var el = parts && cellOf(item, parts[1]);
    if (el) {
      var passage = el.matches(".text") ? el : el.querySelector(".text");
      var cite = el.querySelector("cite");
      if (parts[2] === "section") { return cite ? cite.textContent : ""; }
      if (!passage) { return ""; }
      return parts[2] === "unit" ? unitOf(passage) : passageText(passage);
    }
    if (parts) { return ""; }
    var classed = item.querySelector("." + column);
    if (classed) { return classed.textContent; }
    if (column === "thread") {
      var history = item.querySelector("a.hist");
      return history ? unitOf(history) : item.id;
    }
    if (column === "unit") { return unitOf(item); }
    if (column === "text") { return passageText(item); }
    return "";
  }

  function csvField(v) {
    v = String(v);
    return /[",\r\n]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v;
  }

  function download(name, columns, items) {
    var lines = [columns.map(csvField).join(",")];
    items.forEach(function (item) {
      lines.push(columns.map(function (c) { return csvField(value(item, c)); }).join(","));
    });
    // A byte-order mark, so that spreadsheets read the Chinese text as UTF-8.
    var blob = new Blob(["\ufeff" + lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
  }

  function setUp(bar) {
    var scope = document.querySelector(bar.getAttribute("data-target"));
    if (!scope) { return; }
    var items = Array.prototype.slice.call(scope.querySelectorAll(bar.getAttribute("data-items") || ".row"));
    var selects = Array.prototype.slice.call(bar.querySelectorAll("select[data-filter]"));
    var search = bar.querySelector("input[data-search]");
    var shown = bar.querySelector("[data-shown]");
    var total = bar.querySelector("[data-total]");
    var isText = scope.classList.contains("document");
    var keys = selects.map(function (s) { return s.getAttribute("data-filter"); });
    var values = items.map(function (item) {
      return keys.map(function (k) { return item.getAttribute("data-" + k); });
    });
    var texts = null;
    var inHeading = items.map(function (item) { return isText && !!item.closest("h1, h2, h3, h4, h5, h6"); });
    selects.forEach(function (s) {
      Array.prototype.forEach.call(s.options, function (o) { o.setAttribute("data-label", o.textContent); });
    });
    if (total) { total.textContent = items.length; }

    function itemText(i) {
      if (!texts) {
        texts = items.map(function (item) {
          var regions = item.querySelectorAll(".text");
          var parts = regions.length ? Array.prototype.map.call(regions, passageText) : [passageText(item)];
          return parts.join("\u0000").toLowerCase();
        });
      }
      return texts[i];
    }

    function matches(option, v) {
      if (!option.value) { return true; }
      var any = option.getAttribute("data-any");
      return any ? v !== null && (" " + any + " ").indexOf(" " + v + " ") >= 0 : v === option.value;
    }

    function apply(remember) {
      var chosen = selects.map(function (s) { return s.options[s.selectedIndex]; });
      var terms = search ? words(search.value) : [];
      var active = terms.length > 0 || selects.some(function (s) { return s.value; });
      var visible = [];
      var counts = selects.map(function (s) { return Array.prototype.map.call(s.options, function () { return 0; }); });
      items.forEach(function (item, i) {
        var found = terms.every(function (t) { return itemText(i).indexOf(t) >= 0; });
        var pass = chosen.map(function (o, k) { return matches(o, values[i][k]); });
        var failed = pass.filter(function (p) { return !p; }).length;
        if (found) {
          // Each facet counts what its options would show with the other filters kept.
          selects.forEach(function (s, k) {
            if (failed === 0 || (failed === 1 && !pass[k])) {
              Array.prototype.forEach.call(s.options, function (o, n) {
                if (matches(o, values[i][k])) { counts[k][n] += 1; }
              });
            }
          });
        }
        var show = found && failed === 0;
        item.classList.toggle("hidden", !show && !inHeading[i]);
        item.classList.toggle("match", show && active);
        if (show) { visible.push(item); }
      });
      selects.forEach(function (s, k) {
        Array.prototype.forEach.call(s.options, function (o, n) {
          o.textContent = o.getAttribute("data-label") + " (" + counts[k][n] + ")";
        });
      });
      if (isText) { showText(active); } else {
        scope.querySelectorAll(".group").forEach(function (group) {
          group.classList.toggle("hidden", !group.querySelector(".row:not(.hidden)"));
        });
      }
      unhighlight(scope);
      if (terms.length) {
        visible.forEach(function (item) {
          var regions = item.querySelectorAll(".text");
          (regions.length ? Array.prototype.slice.call(regions) : [item]).forEach(function (r) { highlight(r, terms); });
        });
      }
      if (shown) { shown.textContent = visible.length; }
      bar.visibleItems = visible;
      if (remember) { remember(selects, search); }
    }

    // The document page: with a filter or a search, its text becomes the list of the
    // passages that match, each paragraph reduced to them, under the headings they sit in.
    function showText(active) {
      scope.classList.toggle("filtering", active);
      var stack = [];
      Array.prototype.forEach.call(scope.children, function (el) {
        var level = /^H([1-6])$/.exec(el.tagName);
        if (level) {
          var depth = Number(level[1]);
          while (stack.length && stack[stack.length - 1].depth >= depth) { stack.pop(); }
          stack.push({ el: el, depth: depth });
          el.classList.toggle("hidden", active && !el.querySelector(".match"));
        } else if (el.tagName === "P") {
          var any = !active || el.querySelector(".clause:not(.hidden)");
          el.classList.toggle("hidden", !any);
          if (any && active) { stack.forEach(function (h) { h.el.classList.remove("hidden"); }); }
        }
      });
    }

    var timer = null;
    function later() {
      clearTimeout(timer);
      timer = setTimeout(function () { apply(remember); }, 150);
    }
    selects.forEach(function (s) { s.addEventListener("change", function () { apply(remember); }); });
    if (search) { search.addEventListener("input", later); }
    var clear = bar.querySelector("[data-clear]");
    if (clear) {
      clear.addEventListener("click", function () {
        selects.forEach(function (s) { s.value = ""; });
        if (search) { search.value = ""; }
        apply(remember);
      });
    }
    var button = bar.querySelector("[data-download]");
    if (button) {
      button.addEventListener("click", function () {
        download(button.getAttribute("data-download"), button.getAttribute("data-columns").split(/\s+/),
                 bar.visibleItems || []);
      });
    }

    // The address holds the filters: read it first, then keep it up to date.
    var params = new URLSearchParams(location.search);
    selects.forEach(function (s) {
      var wanted = params.get(s.getAttribute("data-filter"));
      if (wanted !== null && Array.prototype.some.call(s.options, function (o) { return o.value === wanted; })) {
        s.value = wanted;
      }
    });
    if (search && params.get("q") !== null) { search.value = params.get("q"); }
    apply(null);
  }

  function remember(selects, search) {
    var params = new URLSearchParams(location.search);
    selects.forEach(function (s) {
      var key = s.getAttribute("data-filter");
      if (s.value) { params.set(key, s.value); } else { params.delete(key); }
    });
    if (search) {
      if (search.value.trim()) { params.set("q", search.value.trim()); } else { params.delete("q"); }
    }
    var query = params.toString();
    try {
      history.replaceState(history.state, "", location.pathname + (query ? "?" + query : "") + location.hash);
    } catch (e) {
      // Some browsers refuse to change the address of a page opened from a file: the view
      // still works, it cannot be bookmarked there.
    }
  }

  // Sticky table headers sit below the sticky filter bar, never under it.
  function stickBelow(bar) {
    function measure() {
      var sticky = getComputedStyle(bar).position === "sticky";
      document.documentElement.style.setProperty("--sticky-top", (sticky ? bar.getBoundingClientRect().height : 0) + "px");
    }
    measure();
    if (window.ResizeObserver) { new ResizeObserver(measure).observe(bar); }
    window.addEventListener("resize", measure);
  }

  // A passage's fate, theme and section as its tooltip, made when pointed at (the words
  // come from the filter bar's options), so the page does not carry thousands of them.
  function tooltips(bar) {
    var scope = document.querySelector(bar.getAttribute("data-target"));
    if (!scope || !scope.classList.contains("document")) { return; }
    function label(key, v) {
      var select = bar.querySelector('select[data-filter="' + key + '"]');
      var option = select && Array.prototype.find.call(select.options, function (o) { return o.value === v; });
      return option ? option.getAttribute("data-label") : v;
    }
    scope.addEventListener("mouseover", function (event) {
      var clause = event.target.closest && event.target.closest(".clause");
      if (clause && !clause.title) {
        clause.title = [label("fate", clause.getAttribute("data-fate")), label("theme", clause.getAttribute("data-theme")),
                        clause.closest("[data-section]").getAttribute("data-section")].join(" · ");
      }
    });
  }

  document.querySelectorAll(".filters").forEach(function (bar) {
    setUp(bar);
    stickBelow(bar);
    tooltips(bar);
  });

  // The navigation's menus: one open at a time, closed by a click elsewhere or Escape.
  var menus = Array.prototype.slice.call(document.querySelectorAll("nav.site details"));
  menus.forEach(function (menu) {
    menu.addEventListener("toggle", function () {
      if (menu.open) { menus.forEach(function (m) { if (m !== menu) { m.open = false; } }); }
    });
  });
  document.addEventListener("click", function (event) {
    menus.forEach(function (m) { if (m.open && !m.contains(event.target)) { m.open = false; } });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { menus.forEach(function (m) { m.open = false; }); }
  });

  // A long document page is in parts (doc-ID.html, doc-ID.2.html…): the first names the
  // places of the others, and an address to one of those on the first part (a bookmark
  // made before the page was cut) goes on to the part that holds it.
  var moved = document.getElementById("moved-parts");
  if (moved && location.hash.length > 1) {
    var place = decodeURIComponent(location.hash.slice(1));
    if (!document.getElementById(place)) {
      var parts = JSON.parse(moved.textContent);
      Object.keys(parts).forEach(function (page) {
        if (parts[page].indexOf(place) >= 0) { location.replace(page + location.search + location.hash); }
      });
    }
  }

  // Opened with a filter (?fate=…): show the filtered list, or the place asked for in it (#id).
  if (location.search) {
    var target = location.hash.length > 1 ? document.getElementById(decodeURIComponent(location.hash.slice(1)))
      : document.querySelector(".filters");
    if (target) { target.scrollIntoView(); }
  }
}());
