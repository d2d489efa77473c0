/* Ways in and ways to narrow: progress on the study paths (home page, 学习路径) and topics, filters on
   topic pages and the cheat sheet (高频, a level, not yet mastered; kept in the URL query so
   that a reload or a shared link shows the same list), per-topic collapse on the cheat sheet,
   filter and sort on the glossary. Progress comes from progress.js (window.kbProgress: load,
   mastery) and is never written here. */
(function () {
  "use strict";
  var P = window.kbProgress;
  var LEVELS = JSON.parse(document.getElementById("kb-labels").textContent).levels.map(function (l) { return l.name; });  // docs/assets/data/labels.yml

  function mastered(data, id) { return !!P && P.mastery([{ id: id }], data).done === 1; }
  function loadProgress() { return P ? P.load() : {}; }
  function decodeHash(h) { try { return decodeURIComponent(h); } catch (e) { return h; } }  // a malformed hash (#%E0%A4%A) is taken as written
  function idOf(a) { return decodeHash((a.hash || "").slice(1)); }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text) e.textContent = text;
    return e;
  }

  /* ---- Study paths (home page cards, 学习路径 page) and topic mastery ---------------------- */
  function home() {
    var scopes = document.querySelectorAll("[data-kb-scope]");
    var cells = document.querySelectorAll(".kb-topic-mastery[data-ids]");
    if (!scopes.length && !cells.length) return;
    // where each question lives, from the topic table (a home card lists IDs, not links)
    var where = {};
    cells.forEach(function (cell) {
      var link = cell.closest("tr") && cell.closest("tr").querySelector("a[href]");
      if (link) cell.getAttribute("data-ids").split(" ").forEach(function (id) { where[id] = link.href.split("#")[0] + "#" + id; });
    });
    function refresh() {
      var data = loadProgress();
      scopes.forEach(function (scope) {
        var items = Array.prototype.slice.call(scope.querySelectorAll("ol > li"));
        var ids = scope.hasAttribute("data-ids") ? scope.getAttribute("data-ids").split(" ")
          : items.map(function (li) { return idOf(li.querySelector("a")); });
        var next = -1, done = 0;
        ids.forEach(function (id, i) {
          var ok = mastered(data, id);
          if (items[i]) items[i].classList.toggle("kb-done", ok);
          if (ok) done += 1; else if (next < 0) next = i;
        });
        var head = scope.querySelector(":scope > .kb-path-head");
        head.querySelector(".kb-path-progress").textContent = "已掌握 " + done + " / " + ids.length;
        head.querySelector(".kb-path-bar > span").style.width = (ids.length ? 100 * done / ids.length : 0) + "%";
        var button = scope.querySelector(":scope > p > .kb-path-next");
        if (button && ids.length) {
          var i = next < 0 ? 0 : next;
          var href = items[i] ? items[i].querySelector("a").href : where[ids[i]];
          if (href) button.href = href;
          button.textContent = next < 0 ? "已全部掌握：从头复习" : done ? "继续：第 " + (next + 1) + " 题" : "从第 1 题开始";
        }
      });
      cells.forEach(function (cell) {
        var ids = cell.getAttribute("data-ids").split(" ");
        var m = P ? P.mastery(ids.map(function (id) { return { id: id }; }), data) : { done: 0, total: ids.length };
        cell.textContent = m.done + " / " + m.total;
      });
    }
    refresh();
    document.addEventListener("kb:progress", refresh);
    window.addEventListener("storage", refresh);
    window.addEventListener("pageshow", function (e) { if (e.persisted) refresh(); });
  }

  /* ---- Filters: topic pages and the cheat sheet ------------------------------------------- */
  // A unit is one question (its elements), a section a heading with its units.
  function topicUnits(article) {
    var sections = [], section = { head: [], units: [] }, unit = null;
    sections.push(section);
    Array.prototype.forEach.call(article.children, function (child) {
      if (child.classList.contains("kb-q")) {
        unit = { els: [child], id: child.id, level: child.getAttribute("data-level"), hot: false };
        section.units.push(unit);
      } else if (/^H[1-6]$/.test(child.tagName)) {
        unit = null;
        section = { head: child.tagName === "H1" ? [] : [child], units: [] };
        sections.push(section);
      } else if (unit) {
        unit.els.push(child);
        if (child.classList.contains("kb-meta") && child.querySelector(".kb-hot")) unit.hot = true;
      } else if (section.head.length) {
        section.head.push(child);
      }
    });
    return sections.filter(function (s) { return s.units.length; });
  }

  function cheatUnits(box) {
    var sections = [], section = null;
    Array.prototype.forEach.call(box.children, function (child) {
      if (child.tagName === "H2") {
        section = { head: [child], units: [], lists: [] };
        sections.push(section);
      } else if (section && (child.tagName === "UL" || child.tagName === "OL")) {
        section.lists.push(child);
        Array.prototype.forEach.call(child.children, function (li) {
          var level = li.querySelector(".kb-level");
          section.units.push({ els: [li], id: idOf(li.querySelector("a")), level: level ? level.textContent : "", hot: !!li.querySelector(".kb-hot") });
        });
      } else if (section) {
        section.head.push(child);
      }
    });
    return sections;
  }

  // the entry of a heading in the page's table of contents (hidden with its question)
  function tocEntry(id) {
    var link = id && document.querySelector('.md-nav--secondary a.md-nav__link[href="#' + CSS.escape(id) + '"]');
    return link ? [link.closest("li")] : [];
  }

  function readState() {
    var q = new URLSearchParams(location.search);
    return { hot: q.get("hot") === "1", level: LEVELS.indexOf(q.get("level")) >= 0 ? q.get("level") : "", todo: q.get("todo") === "1" };
  }
  function writeState(state) {
    var q = new URLSearchParams(location.search);
    ["hot", "level", "todo"].forEach(function (k) { q.delete(k); });
    if (state.hot) q.set("hot", "1");
    if (state.level) q.set("level", state.level);
    if (state.todo) q.set("todo", "1");
    var search = q.toString();
    history.replaceState(history.state, "", location.pathname + (search ? "?" + search : "") + location.hash);
  }

  function filterBar(sections, anchor, noun) {
    var all = [];
    sections.forEach(function (s) { all = all.concat(s.units); });
    var state = readState();
    var bar = el("div", { "class": "kb-filters", role: "group", "aria-label": "筛选题目", "data-search-exclude": "" });
    var hot = el("label", { "class": "kb-filter-check" });
    var hotBox = el("input", { type: "checkbox", name: "hot" });
    hot.append(hotBox, document.createTextNode("只看高频"));
    var levels = el("span", { "class": "kb-filter-levels", role: "radiogroup", "aria-label": "难度" });
    [""].concat(LEVELS).forEach(function (lv) {
      var label = el("label");
      var radio = el("input", { type: "radio", name: "level", value: lv });
      label.append(radio, document.createTextNode(lv || "全部难度"));
      levels.append(label);
    });
    var todo = el("label", { "class": "kb-filter-check" });
    var todoBox = el("input", { type: "checkbox", name: "todo" });
    todo.append(todoBox, document.createTextNode("只看未掌握"));
    var status = el("span", { "class": "kb-filter-status", "aria-live": "polite" });
    var clear = el("button", { type: "button", "class": "kb-filter-clear" }, "清除筛选");
    bar.append(hot, levels, todo, status, clear);
    anchor.parentNode.insertBefore(bar, anchor.nextSibling);

    function sync() {
      hotBox.checked = state.hot;
      todoBox.checked = state.todo;
      levels.querySelectorAll("input").forEach(function (r) { r.checked = r.value === state.level; });
      clear.hidden = !(state.hot || state.level || state.todo);
    }
    function apply() {
      var data = loadProgress(), shown = 0;
      var target = decodeHash(location.hash.slice(1));
      sections.forEach(function (s) {
        var visible = 0;
        s.units.forEach(function (u) {
          var ok = (!state.hot || u.hot) && (!state.level || u.level === state.level) && (!state.todo || !mastered(data, u.id));
          if (target && u.id === target) ok = true;  // a deep link always shows its question
          u.els.concat(tocEntry(u.id)).forEach(function (e) { e.classList.toggle("kb-filtered", !ok); });
          if (ok) visible += 1;
        });
        s.head.concat(s.head[0] ? tocEntry(s.head[0].id) : []).forEach(function (e) { e.classList.toggle("kb-filtered", !visible); });
        shown += visible;
      });
      status.textContent = (state.hot || state.level || state.todo) ? "显示 " + shown + " / " + all.length + " " + noun : "共 " + all.length + " " + noun;
      document.dispatchEvent(new CustomEvent("kb:filtered", { detail: { shown: shown, total: all.length } }));
    }
    bar.kbFilter = {  // called by the page's listeners (init)
      change: function (t) {
        if (t.name === "hot") state.hot = t.checked;
        else if (t.name === "todo") state.todo = t.checked;
        else if (t.name === "level") state.level = t.value;
        else return;
        writeState(state); sync(); apply();
      },
      clear: function () {
        state = { hot: false, level: "", todo: false };
        writeState(state); sync(); apply();
      },
    };
    sync(); apply();
    return bar;
  }

  function topicPage() {
    var toolbar = document.querySelector(".kb-toolbar");
    var article = toolbar && toolbar.closest("article");
    if (!article) return;
    var sections = topicUnits(article);
    if (sections.length) filterBar(sections, toolbar, "题");
  }

  function cheatSheet() {
    var box = document.querySelector(".kb-cheatsheet");
    if (!box) return;
    var sections = cheatUnits(box);
    if (!sections.length) return;
    var bar = filterBar(sections, box.previousElementSibling || box, "题");
    box.parentNode.insertBefore(bar, box);
    var all = el("span", { "class": "kb-filter-collapse" });
    all.append(el("button", { type: "button", "data-fold": "close" }, "全部收起"), el("button", { type: "button", "data-fold": "open" }, "全部展开"));
    bar.append(all);
    bar.kbSections = sections;
    sections.forEach(function (s) {
      s.toggle = el("button", { type: "button", "class": "kb-cs-toggle", "aria-expanded": "true", "data-search-exclude": "" }, "收起");
      s.toggle.setAttribute("aria-label", "收起或展开：" + s.head[0].textContent.replace(/#$/, ""));
      s.toggle.kbSection = s;
      s.head[0].append(s.toggle);
    });
  }
  function setOpen(s, open) {
    s.head[0].classList.toggle("kb-collapsed", !open);
    s.toggle.setAttribute("aria-expanded", String(open));
    s.toggle.textContent = open ? "收起" : "展开";
    s.lists.forEach(function (l) { l.classList.toggle("kb-collapsed-list", !open); });
  }

  /* ---- Glossary: filter box and sortable columns ------------------------------------------ */
  function glossary() {
    var box = document.querySelector(".kb-glossary");
    var table = box && box.querySelector("table");
    if (!table) return;
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var bar = el("div", { "class": "kb-filters kb-glossary-filter", role: "search", "data-search-exclude": "" });
    var input = el("input", { type: "search", name: "term", placeholder: "筛选术语：中文、英文或释义", "aria-label": "筛选术语" });
    var status = el("span", { "class": "kb-filter-status", "aria-live": "polite" }, "共 " + rows.length + " 条");
    bar.append(input, status);
    box.parentNode.insertBefore(bar, box);
    var q0 = new URLSearchParams(location.search).get("q");
    if (q0) input.value = q0;
    input.kbFilter = filter;
    function filter() {
      var q = input.value.trim().toLowerCase(), shown = 0;
      rows.forEach(function (r) {
        var ok = !q || r.textContent.toLowerCase().indexOf(q) >= 0;
        r.hidden = !ok;
        if (ok) shown += 1;
      });
      status.textContent = q ? "显示 " + shown + " / " + rows.length + " 条" : "共 " + rows.length + " 条";
      var params = new URLSearchParams(location.search);
      if (q) params.set("q", input.value.trim()); else params.delete("q");
      var s = params.toString();
      history.replaceState(history.state, "", location.pathname + (s ? "?" + s : "") + location.hash);
    }
    if (q0) filter();
    Array.prototype.slice.call(table.tHead.rows[0].cells, 0, 2).forEach(function (th, col) {
      var label = th.textContent;
      th.textContent = "";
      th.append(el("button", { type: "button", "class": "kb-sort" }, label));
      th.setAttribute("aria-sort", col === 1 ? "ascending" : "none");
    });
  }
  var collator = null;
  function sortBy(button) {
    var th = button.closest("th"), table = th.closest("table"), body = table.tBodies[0], col = th.cellIndex;
    var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
    table.tHead.rows[0].querySelectorAll("th").forEach(function (o) { o.setAttribute("aria-sort", "none"); });
    th.setAttribute("aria-sort", dir);
    collator = collator || new Intl.Collator(["zh-Hans-CN-u-co-pinyin", "en"], { sensitivity: "base", numeric: true });
    var sorted = Array.prototype.slice.call(body.rows).sort(function (a, b) {
      var c = collator.compare(a.cells[col].textContent.trim(), b.cells[col].textContent.trim());
      return dir === "ascending" ? c : -c;
    });
    sorted.forEach(function (r) { body.appendChild(r); });
  }

  /* ---- one listener per event type ---------------------------------------------------------- */
  var CLICKS = [
    [".kb-filters .kb-filter-clear", function (b) { b.closest(".kb-filters").kbFilter.clear(); }],
    [".kb-filter-collapse [data-fold]", function (b) {
      var open = b.getAttribute("data-fold") === "open";
      b.closest(".kb-filters").kbSections.forEach(function (s) { setOpen(s, open); });
    }],
    [".kb-cs-toggle", function (b) { setOpen(b.kbSection, b.getAttribute("aria-expanded") !== "true"); }],
    [".kb-glossary th .kb-sort", sortBy],
  ];

  function init() {
    home();
    topicPage();
    cheatSheet();
    glossary();
    document.addEventListener("click", function (e) { kb.dispatch(e, CLICKS); });
    document.addEventListener("change", function (e) {
      var bar = e.target.closest && e.target.closest(".kb-filters");
      if (bar && bar.kbFilter) bar.kbFilter.change(e.target);
    });
    document.addEventListener("input", function (e) { if (e.target.kbFilter) e.target.kbFilter(); });
  }
  kb.ready(init);
})();
