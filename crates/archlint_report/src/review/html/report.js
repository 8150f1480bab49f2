// The findings table of the archlint report: filters, search as you type, pages, and a detail
// row per finding with its code frame and its rule's explanation. The DOM is built with
// createElement and textContent only: no data is ever parsed as HTML.
(function () {
  "use strict";
  var PAGE = 200;
  var SEVERITIES = { error: 0, warning: 1, info: 2 };
  var island = document.getElementById("review-data");
  var data = JSON.parse(island.textContent);
  var chapterTitle = {};
  data.chapters.forEach(function (c) { chapterTitle[c.key] = c.title; });
  var isNew = {};
  data.new.forEach(function (i) { isNew[i] = true; });

  // Findings as objects, with a lower-case text to search.
  var findings = data.findings.map(function (f, index) {
    var code = data.codes[f[0]];
    var path = data.paths[f[2]];
    return {
      index: index,
      code: code[0],
      name: code[1],
      chapter: code[2],
      severity: f[1],
      path: path,
      line: f[3],
      column: f[4],
      message: f[5],
      frameLine: f[6],
      frame: f[7],
      confidence: f[8],
      weight: f[9],
      haystack: (code[0] + " " + code[1] + " " + path + " " + f[5]).toLowerCase()
    };
  });

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  var $ = function (id) { return document.getElementById(id); };
  var chapterSelect = $("filter-chapter");
  var severitySelect = $("filter-severity");
  var ruleSelect = $("filter-rule");
  var pathInput = $("filter-path");
  var searchInput = $("filter-search");
  var newBox = $("filter-new");
  var body = $("findings-body");
  var count = $("findings-count");
  var prev = $("page-prev");
  var next = $("page-next");
  var pageStatus = $("page-status");

  // The options, with how many findings each has.
  function tally(key) {
    var counts = {};
    findings.forEach(function (f) { counts[f[key]] = (counts[f[key]] || 0) + 1; });
    return counts;
  }
  var byChapter = tally("chapter");
  data.chapters.forEach(function (c) {
    var option = el("option", null, c.title + " (" + (byChapter[c.key] || 0) + ")");
    option.value = c.key;
    chapterSelect.appendChild(option);
  });
  var byCode = tally("code");
  var names = {};
  findings.forEach(function (f) { names[f.code] = f.name; });
  Object.keys(byCode).sort().forEach(function (code) {
    var option = el("option", null, code + " " + names[code] + " (" + byCode[code] + ")");
    option.value = code;
    ruleSelect.appendChild(option);
  });

  var matches = findings;
  var page = 0;
  var open = {};

  function filter() {
    var chapter = chapterSelect.value;
    var severity = severitySelect.value;
    var rule = ruleSelect.value;
    var path = pathInput.value.trim().toLowerCase();
    var terms = searchInput.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    var onlyNew = newBox ? newBox.checked : false;
    matches = findings.filter(function (f) {
      if (chapter && f.chapter !== chapter) { return false; }
      if (severity && f.severity !== severity) { return false; }
      if (rule && f.code !== rule) { return false; }
      if (onlyNew && !isNew[f.index]) { return false; }
      if (path && f.path.toLowerCase().indexOf(path) < 0) { return false; }
      for (var i = 0; i < terms.length; i++) {
        if (f.haystack.indexOf(terms[i]) < 0) { return false; }
      }
      return true;
    });
    page = 0;
    render();
  }

  function frameBlock(f) {
    var pre = el("pre", "frame");
    var width = String(f.frameLine + f.frame.length).length;
    f.frame.forEach(function (text, i) {
      var number = f.frameLine + i;
      var line = el("span", number === f.line ? "hit" : null);
      var label = String(number);
      while (label.length < width) { label = " " + label; }
      line.appendChild(el("span", "ln", label + " | "));
      line.appendChild(document.createTextNode(text));
      pre.appendChild(line);
      if (i < f.frame.length - 1) { pre.appendChild(document.createTextNode("\n")); }
    });
    return pre;
  }

  // The rules' documentation is Markdown wrapped at a fixed width: paragraphs are joined,
  // list items keep their lines, fenced blocks stay code and `spans` become code elements.
  var FENCE = /^\s*```/;
  function prose(text, box) {
    var lines = text.split("\n");
    var i = 0;
    while (i < lines.length) {
      if (FENCE.test(lines[i])) {
        var code = [];
        for (i++; i < lines.length && !FENCE.test(lines[i]); i++) { code.push(lines[i]); }
        i++;
        box.appendChild(el("pre", "frame", code.join("\n")));
      } else if (!lines[i].trim()) {
        i++;
      } else {
        var paragraph = [];
        for (; i < lines.length && lines[i].trim() && !FENCE.test(lines[i]); i++) {
          paragraph.push(lines[i]);
        }
        box.appendChild(spans(paragraph));
      }
    }
  }

  function spans(lines) {
    var p = el("p");
    var text = lines.map(function (line, k) {
      var item = /^\s*([-*]|\d+\.) /.test(line);
      return (k === 0 ? "" : item ? "\n" : " ") + (item ? line.replace(/\s+$/, "") : line.trim());
    }).join("");
    return withCode(p, text);
  }

  // `text` into `parent`, its `spans` as code elements (when the backticks pair up).
  function withCode(parent, text) {
    var parts = text.split("`");
    if (parts.length % 2 === 0) {
      parent.appendChild(document.createTextNode(text));
      return parent;
    }
    parts.forEach(function (part, k) {
      parent.appendChild(k % 2 ? el("code", null, part) : document.createTextNode(part));
    });
    return parent;
  }

  function ruleDoc(f) {
    var doc = data.rules[f.code];
    var box = el("div", "rule-doc");
    var title = f.code + " " + f.name;
    if (f.confidence) { title += " · confidence " + f.confidence; }
    title += " · weight " + f.weight;
    box.appendChild(el("h5", null, title));
    if (!doc) {
      box.appendChild(el("p", null, "No documentation for this rule in the report."));
      return box;
    }
    [["What it does", doc.what], ["Why it matters", doc.why], ["Use instead", doc.fix]].forEach(function (part) {
      if (!part[1]) { return; }
      box.appendChild(el("h5", null, part[0]));
      prose(part[1], box);
    });
    if (!doc.default_enabled) {
      box.appendChild(el("p", "small", "This rule is off by default (opt-in), so its findings weigh less in the score."));
    }
    return box;
  }

  function detailRow(f) {
    var row = el("tr", "finding-detail");
    row.id = "finding-detail-" + f.index;
    var cell = el("td");
    cell.colSpan = 5;
    if (f.frame.length) { cell.appendChild(frameBlock(f)); }
    cell.appendChild(ruleDoc(f));
    row.appendChild(cell);
    return row;
  }

  function toggle(f, button, row) {
    var expanded = !open[f.index];
    if (expanded) {
      open[f.index] = true;
      row.parentNode.insertBefore(detailRow(f), row.nextSibling);
    } else {
      delete open[f.index];
      var detail = $("finding-detail-" + f.index);
      if (detail) { detail.parentNode.removeChild(detail); }
    }
    button.setAttribute("aria-expanded", expanded ? "true" : "false");
    if (expanded) {
      button.setAttribute("aria-controls", "finding-detail-" + f.index);
    } else {
      button.removeAttribute("aria-controls");
    }
  }

  function findingRow(f) {
    var row = el("tr", "finding" + (isNew[f.index] ? " is-new" : ""));
    row.setAttribute("data-index", String(f.index));
    row.setAttribute("data-chapter", f.chapter);
    row.setAttribute("data-code", f.code);
    row.setAttribute("data-severity", f.severity);
    row.appendChild(el("td", "sev sev-" + f.severity, f.severity));
    var code = el("td", "code");
    code.appendChild(el("code", null, f.code));
    code.title = f.name;
    row.appendChild(code);
    row.appendChild(el("td", "chapter", chapterTitle[f.chapter] || f.chapter));
    var loc = el("td", "loc");
    loc.appendChild(el("code", null, f.path + ":" + f.line + ":" + f.column));
    row.appendChild(loc);
    var message = el("td", "message");
    var button = withCode(el("button", "toggle"), f.message);
    button.type = "button";
    button.setAttribute("aria-expanded", "false");
    button.addEventListener("click", function () { toggle(f, button, row); });
    message.appendChild(button);
    row.appendChild(message);
    return row;
  }

  function render() {
    var pages = Math.max(1, Math.ceil(matches.length / PAGE));
    if (page >= pages) { page = pages - 1; }
    var start = page * PAGE;
    var shown = matches.slice(start, start + PAGE);
    var fragment = document.createDocumentFragment();
    shown.forEach(function (f) {
      var row = findingRow(f);
      fragment.appendChild(row);
      if (open[f.index]) {
        var button = row.querySelector("button.toggle");
        button.setAttribute("aria-expanded", "true");
        button.setAttribute("aria-controls", "finding-detail-" + f.index);
        fragment.appendChild(detailRow(f));
      }
    });
    while (body.firstChild) { body.removeChild(body.firstChild); }
    body.appendChild(fragment);
    var total = findings.length;
    count.setAttribute("data-count", String(matches.length));
    count.textContent = matches.length === total
      ? number(total) + " findings"
      : number(matches.length) + " of " + number(total) + " findings match";
    pageStatus.textContent = matches.length
      ? "Findings " + (start + 1) + "–" + (start + shown.length) + ", page " + (page + 1) + " of " + pages
      : "No finding matches";
    prev.disabled = page === 0;
    next.disabled = page >= pages - 1;
  }

  function number(n) { return n.toLocaleString("en"); }

  var timer = null;
  function later() {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(function () { timer = null; filter(); }, 150);
  }

  [chapterSelect, severitySelect, ruleSelect].forEach(function (select) {
    select.addEventListener("change", filter);
  });
  if (newBox) { newBox.addEventListener("change", filter); }
  pathInput.addEventListener("input", later);
  searchInput.addEventListener("input", later);
  $("filters").addEventListener("submit", function (event) { event.preventDefault(); filter(); });
  $("filter-reset").addEventListener("click", function () {
    chapterSelect.value = "";
    severitySelect.value = "";
    ruleSelect.value = "";
    pathInput.value = "";
    searchInput.value = "";
    if (newBox) { newBox.checked = false; }
    filter();
  });
  prev.addEventListener("click", function () { if (page > 0) { page--; render(); } });
  next.addEventListener("click", function () { page++; render(); });

  // The cards' links filter the table to their chapter.
  Array.prototype.forEach.call(document.querySelectorAll("a.filter-link"), function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      chapterSelect.value = link.getAttribute("data-chapter");
      severitySelect.value = "";
      ruleSelect.value = "";
      pathInput.value = "";
      searchInput.value = "";
      filter();
      $("findings").scrollIntoView();
      chapterSelect.focus();
    });
  });

  // Printing opens the folded parts.
  window.addEventListener("beforeprint", function () {
    Array.prototype.forEach.call(document.querySelectorAll("details"), function (d) { d.open = true; });
  });

  filter();
  document.body.setAttribute("data-ready", "true");
})();
