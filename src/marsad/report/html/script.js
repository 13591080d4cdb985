// marsad report pages: sort a table by clicking a column header; filter a table's rows. The page is complete without it;
// each sortable cell carries data-sort so dates and numbers sort by value, not by their display text.
(function () {
  function key(cell) {
    var raw = cell.getAttribute("data-sort");
    if (raw === null) { raw = cell.textContent; }
    var num = Number(raw);
    return raw !== "" && !isNaN(num) ? num : raw;
  }
  function sortBy(table, th, index) {
    var body = table.tBodies[0];
    var descending = th.getAttribute("aria-sort") === "ascending";
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a.cells[index]), y = key(b.cells[index]);
      // Empty values (unknown dates) go last whatever the direction.
      if (x === "" || y === "") { return x === y ? 0 : (x === "" ? 1 : -1); }
      var order = x < y ? -1 : (x > y ? 1 : 0);
      return descending ? -order : order;
    });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", descending ? "descending" : "ascending");
    rows.forEach(function (row) { body.appendChild(row); });
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      th.addEventListener("click", function () { sortBy(table, th, index); });
    });
  });
  // Filter forms: keep the rows of the target table whose words, outlet and dates match. A form
  // with data-index fills the table from a JSON data block (search.html) instead of the page's rows.
  var LIMIT = 300;  // rows drawn from the data block at once
  function matcher(form) {
    var q = form.elements.q.value.trim().toLowerCase();
    var outlet = form.elements.outlet ? form.elements.outlet.value : "";
    var from = form.elements.from ? form.elements.from.value : "";
    var to = form.elements.to ? form.elements.to.value : "";
    return function (text, outlets, first, last) {
      if (q && text.toLowerCase().indexOf(q) < 0) { return false; }
      if (outlet && outlets.indexOf(outlet) < 0) { return false; }
      if (from && (last || first) && (last || first) < from) { return false; }
      if (to && (first || last) && (first || last).slice(0, to.length) > to) { return false; }
      return true;
    };
  }
  function storyRow(index, row, rank) {
    var tr = document.createElement("tr");
    var outlets = row[5].map(function (i) { return index.outlets[i]; });
    var cells = [String(rank), null, String(row[2]), row[3], row[4], outlets.slice(0, 4).join("، ")];
    cells.forEach(function (value, i) {
      var td = document.createElement("td");
      if (i === 1) {
        var a = document.createElement("a");
        a.setAttribute("href", row[0]);
        a.textContent = row[1] || "قصة بلا عنوان";
        td.appendChild(a);
      } else { td.textContent = value; }
      tr.appendChild(td);
    });
    return tr;
  }
  document.querySelectorAll("form.filter").forEach(function (form) {
    var table = document.getElementById(form.getAttribute("data-target"));
    if (!table || !table.tBodies.length) { return; }  // an empty list has no table to filter
    var block = form.getAttribute("data-index");
    var index = block ? JSON.parse(document.getElementById(block).textContent) : null;
    function apply() {
      var ok = matcher(form), shown = 0, total = 0;
      if (index) {
        var body = table.tBodies[0];
        while (body.firstChild) { body.removeChild(body.firstChild); }
        index.stories.forEach(function (row, i) {
          var outlets = row[5].map(function (n) { return index.outlets[n]; });
          if (!ok(row[1] + " " + outlets.join(" "), outlets, row[3], row[4])) { return; }
          total += 1;
          if (shown < LIMIT) { body.appendChild(storyRow(index, row, i + 1)); shown += 1; }
        });
      } else {
        Array.prototype.forEach.call(table.tBodies[0].rows, function (tr) {
          var outlets = (tr.getAttribute("data-outlets") || "").split("\n");
          var keep = ok(tr.getAttribute("data-text") || tr.textContent, outlets,
                        tr.getAttribute("data-first") || "", tr.getAttribute("data-last") || "");
          tr.hidden = !keep;
          total += keep ? 1 : 0;
        });
        shown = total;
      }
      form.elements.shown.value = shown < total ? shown + " / " + total : String(total);
    }
    form.addEventListener("input", apply);
    form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
    apply();
  });
  document.documentElement.setAttribute("data-js", "ready");
})();
