/**
 * Browser script of report.html: click a table header to sort its rows by that column (again to
 * reverse). Numbers sort as numbers, including "89.40 %", "12,345", "1 min 25 s", "2 of 10" and
 * "89.40 ± 0.70 %"; "—" sorts last.
 */
export const SORT_TABLES_SCRIPT = `
(function () {
  function key(text) {
    var t = text.replace(/,/g, "").trim();
    if (t === "" || t === "\\u2014") return null;
    var m = t.match(/^(\\d+) h (\\d+) min$/);
    if (m) return +m[1] * 3600 + +m[2] * 60;
    m = t.match(/^(\\d+) min (\\d+) s$/);
    if (m) return +m[1] * 60 + +m[2];
    m = t.match(/^-?\\d+(\\.\\d+)?(e-?\\d+)?/);
    return m ? parseFloat(m[0]) : t.toLowerCase();
  }
  function compare(a, b) {
    if (a === null || b === null) return (a === null) - (b === null);
    if (typeof a === typeof b) return a < b ? -1 : a > b ? 1 : 0;
    return typeof a === "number" ? -1 : 1;
  }
  document.querySelectorAll("main table").forEach(function (table) {
    var body = table.tBodies[0];
    table.querySelectorAll("thead th").forEach(function (th, column) {
      th.title = "Sort by this column";
      th.style.cursor = "pointer";
      th.addEventListener("click", function () {
        var descending = th.dataset.sort !== "desc";
        table.querySelectorAll("thead th").forEach(function (h) { delete h.dataset.sort; });
        th.dataset.sort = descending ? "desc" : "asc";
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r1, r2) {
          var a = key(r1.cells[column].textContent), b = key(r2.cells[column].textContent);
          if (a === null || b === null) return compare(a, b);
          return descending ? compare(b, a) : compare(a, b);
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });
})();
`;
