/* Search: one result per question, ranked across all pages, in the theme's header box.

   hooks/search_index.py writes the index as scripts (so that it also loads from file://):
   search/head.js (per question: title, tags, synonyms, term names; the term groups; the Chinese
   words of the index), search/summary.js (the 速答) and search/body-N.js (the 详解 text).
   Nothing loads with the page:
   the search library (assets/vendor/minisearch.js, MiniSearch from npm) and head.js load when the
   reader shows intent (focus, pointer on the box or its icon, "/" or "s"). The first results come
   from the short fields (title, tags, synonyms, term names); then the 速答 loads (snippets) and is
   indexed, and the 详解 chunks load, each refining the list. A query typed while the index loads is run as soon as
   it is ready.

   Chinese is segmented once, at build time, by jieba (words separated by U+200B); a query is cut
   into the fewest words of the same vocabulary. Question words and particles (为什么, 区别 …)
   weigh almost nothing unless nothing else is left. English terms, dotted identifiers
   (model.eval) and hyphenated names (top-p) are kept whole and also split into their parts.

   window.kbSearch = {ready, complete, query(text) -> [{id, score}], tokens(text)} is exposed for
   tests/test_search.py and scripts/bench.py. */
(function () {
  "use strict";
  var script = document.currentScript || document.querySelector('script[src*="javascripts/search.js"]');
  var root = new URL("../../", script.src).href;  // the site root, under any sub-path or on file://
  var box, input, list, status, toggle;

  var SEP = "\u200b";
  var HAN = /[\u3400-\u9fff\uf900-\ufaff]/;
  var TOKEN = /[\u3400-\u9fff\uf900-\ufaff\u200b]+|[a-z0-9]+(?:[._\-+@'][a-z0-9]+)*/g;
  var STOP = new Set(("为什么 为啥 什么 什么样 怎么 怎么样 怎样 如何 区别 有何 有什么 有哪些 哪些 哪个 哪里 是不是 "
    + "是 的 吗 呢 了 要 用 和 与 及 或 在 对 把 被 给 能 会 可以 需要 还 就 都 也 一个 这 那 这个 那个 多少 几 "
    + "分别 各 各自 具体 讲讲 介绍 说说 一下 请 比较 对比 之间 以及 还是 时候 为 吧 啊 么 中 里 "
    + "vs and or the of a an is are what how why to in on for with").split(" "));
  var MAX_RESULTS = 20;
  var SNIPPET = 160;

  var head = null, vocab = null, longest = 1, index = null, summaryIndex = null, bodyIndex = null;
  var summaries = [], bodyText = [];
  var loading = false, lastQuery = "", active = -1, results = [], partial = "";

  /* --- tokens: the same function for the index (build-time segmented text) and the query */
  function subwords(word, out) {
    if (!vocab || word.length < 3) return;
    for (var len = Math.min(word.length - 1, longest); len >= 2; len--) {
      for (var i = 0; i + len <= word.length; i++) {
        var w = word.slice(i, i + len);
        if (vocab.has(w)) out.push(w);
      }
    }
  }

  function cut(run) {  // the fewest vocabulary words covering a Han run (single characters where none fits)
    var best = [[]];
    for (var i = 1; i <= run.length; i++) {
      best[i] = null;
      for (var k = Math.max(0, i - longest); k < i; k++) {
        var w = run.slice(k, i);
        if (best[k] && (i - k === 1 || vocab.has(w)) && (!best[i] || best[k].length + 1 < best[i].length)) {
          best[i] = best[k].concat([w]);
        }
      }
    }
    return best[run.length];
  }

  function ascii(token, out) {
    out.push(token);
    var parts = token.split(/[._\-+@']/);
    if (parts.length > 1) {
      parts.forEach(function (p) { if (p) out.push(p); });
      if (/-/.test(token)) out.push(parts.join(""));  // p-tuning -> ptuning
    }
  }

  /* Terms of a text. For the index, Han runs are already cut (U+200B); for a query, they are cut
     here, and each term gets a weight (weights, read by boostTerm): 1 for a word, 0.3 for a word
     inside a longer word, 0.5 for a part of a dotted or hyphenated name or a term's pair, 0.2 for a
     single Chinese character, 0.05 for a question word or particle. */
  var weights = new Map();

  function tokens(text, query) {
    var out = [];
    var m;
    text = String(text).toLowerCase().replace(/√/g, " 根号 ");
    TOKEN.lastIndex = 0;
    while ((m = TOKEN.exec(text))) {
      var t = m[0];
      if (HAN.test(t)) {
        var words = query ? [].concat.apply([], t.split(SEP).map(cut)) : t.split(SEP);
        words.forEach(function (w) {
          if (!w) return;
          out.push(w);
          weigh(w, w.length === 1 ? 0.2 : 1);
          var subs = [];
          subwords(w, subs);
          subs.forEach(function (sw) { out.push(sw); weigh(sw, 0.3); });
        });
      } else if (t !== SEP) {
        var parts = [];
        ascii(t, parts);
        parts.forEach(function (p, i) { out.push(p); weigh(p, i === 0 ? 1 : 0.5); });
      }
    }
    return out;

    function weigh(term, w) { if (query && !(weights.get(term) >= w)) weights.set(term, w); }
  }

  function queryTokens(text) {
    weights = new Map();
    var all = tokens(text, true);
    var topical = all.filter(function (t) { return !STOP.has(t); });
    all.forEach(function (t) { if (STOP.has(t) && topical.length) weights.set(t, 0.05); });
    // a term's pairs (terms.yml): 旋转位置编码 also finds RoPE, and the other way round
    var joined = " " + all.join(" ") + " ";
    (head ? head.groups : []).forEach(function (group) {
      var names = group.map(function (n) { return tokens(n, false); });
      var hit = names.some(function (ts) { return ts.length && (" " + ts.join(" ") + " ").length <= joined.length && ts.every(function (x) { return joined.indexOf(" " + x + " ") >= 0; }); });
      if (!hit) return;
      var added = [];
      names.forEach(function (ts) { ts.forEach(function (x) { if (!weights.has(x) && added.indexOf(x) < 0) added.push(x); }); });
      added.forEach(function (x) { all.push(x); weights.set(x, Math.min(0.45, 0.6 / added.length)); });  // together worth about half a word
    });
    var seen = new Set();
    return all.filter(function (t) { if (seen.has(t)) return false; seen.add(t); return true; });
  }

  /* --- loading on intent; a script that does not load leaves a message with a 重试 button in the
     results (the search works with what did load: titles alone, or titles and 速答) */
  function load() {
    if (loading) return;
    loading = true;
    api.timings.intent = performance.now();
    setStatus("正在加载搜索索引…");
    clearFailure();
    Promise.all([
      window.MiniSearch ? null : kb.loadScript(root + "assets/vendor/minisearch.js"),
      window.__kbSearchHead ? null : kb.loadScript(root + "search/head.js"),
    ]).then(build, function () {
      loading = false;  // the next intent (or 重试) tries again
      setStatus("搜索索引没有载入");
      failed("搜索索引没有载入（网络或文件出错）。请检查网络后重试。", load);
    });
  }

  function failed(text, retry) { kb.failure(list.parentNode, text, function () { partial = ""; retry(); }); }
  function clearFailure() { var old = list.parentNode.querySelector(".kb-load-error"); if (old) old.remove(); }

  function options(fields) {
    return {
      fields: fields,
      idField: "n",
      tokenize: function (text) { return tokens(text, false); },
      processTerm: function (term) { return term; },
      searchOptions: {
        tokenize: queryTokens,
        processTerm: function (term) { return term; },
        prefix: function (term) { return HAN.test(term) ? term.length === 1 : term.length >= 3; },
        fuzzy: function (term) { return term.length >= 5 && !HAN.test(term) ? 0.2 : false; },
        weights: { fuzzy: 0.3, prefix: 0.5 },
        boostTerm: function (term) { return weights.get(term) || 1; }
      }
    };
  }

  function build() {
    api.timings.loaded = performance.now();
    head = window.__kbSearchHead;
    vocab = new Set();
    head.vocab.split("\n").forEach(function (w) { vocab.add(w); if (w.length > longest) longest = w.length; });
    // first the short fields (title, tags, synonyms, term names): enough for the first results
    index = new window.MiniSearch(options(["t", "g", "y", "k"]));
    index.addAll(head.docs.map(function (d, n) { return { n: n, t: d[4], g: d[5], y: d[6], k: d[7] }; }));
    summaryIndex = new window.MiniSearch(options(["s"]));
    bodyIndex = new window.MiniSearch(options(["b"]));
    api.timings.built = performance.now();
    api.ready = true;
    run(true);
    loadSummary();
  }

  // then the 速答 (indexed in slices that leave the page responsive), then the 详解 chunks
  function loadSummary() {
    kb.loadScript(root + head.summary).then(function () {
      summaries = window.__kbSearchSummary;
      run(true);  // the snippets
      summaryIndex.addAllAsync(summaries.map(function (s, n) { return { n: n, s: s }; }), { chunkSize: 500 }).then(function () {
        api.timings.summary = performance.now();
        run(true);
        loadBody(0);
      });
    }, function () {
      partial = "速答和详解没有载入，只按标题和标签找";
      run(true);
      failed("速答和详解没有载入（网络或文件出错），结果只按标题和标签排序。", loadSummary);
    });
  }

  function loadBody(i) {
    if (i >= head.body.length) { api.complete = true; api.timings.complete = performance.now(); run(true); return; }
    kb.loadScript(root + head.body[i]).then(function () {
      var chunks = window.__kbSearchBody || [];
      while (chunks.length) {
        chunks.shift()[1].forEach(function (row) {
          bodyText[row[0]] = row[1];
          bodyIndex.add({ n: row[0], b: row[1] });
        });
      }
      run(true);
      loadBody(i + 1);
    }, function () {
      partial = "部分详解没有载入，结果可能不全";
      run(true);
      failed("部分详解没有载入（网络或文件出错），结果可能不全。", function () { loadBody(i); });
    });
  }

  /* --- ranking: the short fields, the 速答 and the 详解 (three indexes, built one after the
     other) add up to a question's score */
  var BOOST = { t: 6, g: 3, y: 2, k: 3 };
  var SUMMARY_WEIGHT = 1.5;
  var BODY_WEIGHT = 0.4;

  function query(text) {
    if (!index) return [];
    var scores = new Map(), terms = new Map();
    function add(hits, weight) {
      hits.forEach(function (h) {
        scores.set(h.id, (scores.get(h.id) || 0) + h.score * weight);
        var seen = terms.get(h.id) || new Set();
        h.terms.forEach(function (t) { seen.add(t); });
        h.queryTerms.forEach(function (t) { seen.add(t); });
        terms.set(h.id, seen);
      });
    }
    add(index.search(text, { boost: BOOST }), 1);
    if (summaryIndex.documentCount) add(summaryIndex.search(text), SUMMARY_WEIGHT);
    if (bodyIndex.documentCount) add(bodyIndex.search(text), BODY_WEIGHT);
    // a question that matches more of the query's words comes first
    var main = [];
    weights.forEach(function (w, t) { if (w >= 1) main.push(t); });
    var out = [];
    scores.forEach(function (score, n) {
      var matched = terms.get(n);
      var covered = main.length ? main.filter(function (t) { return matched.has(t); }).length / main.length : 1;
      out.push({ n: n, score: score * (0.25 + 0.75 * covered * covered), terms: Array.from(matched) });
    });
    out.sort(function (a, b) { return b.score - a.score || a.n - b.n; });
    return out.map(function (r) { var d = head.docs[r.n]; r.id = d[0]; return r; });
  }

  /* --- rendering */
  function plain(text) { return String(text || "").split(SEP).join(""); }

  var escapeHtml = kb.escapeHtml;

  function termPattern(terms) {  // the query's own words (no pairs, particles or single characters)
    var list = terms.filter(function (t) { return t.length > 1 && (weights.get(t) || 0) >= 0.5; })
      .sort(function (a, b) { return b.length - a.length; })
      .map(function (t) {
        var e = t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        return HAN.test(t) ? e : "(?<![a-z0-9_])" + e + "(?![a-z0-9])";  // English words whole: kv, not n_kv
      });
    if (!list.length) return null;
    if (terms.indexOf("根号") >= 0) list.push("√");  // 根号d finds √d_k: mark the root sign
    return new RegExp(list.join("|"), "gi");
  }

  function highlight(text, pattern) {
    if (!pattern) return escapeHtml(text);
    var out = "", last = 0, m;
    pattern.lastIndex = 0;
    while ((m = pattern.exec(text))) {
      if (!m[0]) { pattern.lastIndex++; continue; }
      out += escapeHtml(text.slice(last, m.index)) + "<mark>" + escapeHtml(m[0]) + "</mark>";
      last = m.index + m[0].length;
    }
    return out + escapeHtml(text.slice(last));
  }

  function window_(text, pattern) {  // at most SNIPPET characters, around the first match when there is one
    text = text.replace(/\s+/g, " ").trim();
    if (text.length <= SNIPPET) return text;
    var at = 0;
    if (pattern) { pattern.lastIndex = 0; var m = pattern.exec(text); if (m) at = m.index; }
    var start = Math.max(0, Math.min(at - 30, text.length - SNIPPET + 1));
    var end = start + SNIPPET - 1 - (start > 0 ? 1 : 0);
    return (start > 0 ? "…" : "") + text.slice(start, end).trim() + "…";
  }

  function snippet(r, pattern) {
    var summary = plain(summaries[r.n]);
    var body = plain(bodyText[r.n]);
    var text = summary;
    if (pattern && body) {
      pattern.lastIndex = 0;
      if (!pattern.test(summary)) { pattern.lastIndex = 0; if (pattern.test(body)) text = body; }
    }
    return highlight(window_(text, pattern), pattern);
  }

  function render(text) {
    var hits = query(text).slice(0, MAX_RESULTS);
    var chosen = active >= 0 && results[active] ? results[active].id : null;  // kept when the 详解 refines the list
    results = hits;
    active = -1;
    var pattern = termPattern(queryTokens(text));
    list.innerHTML = hits.map(function (r, i) {
      var d = head.docs[r.n], topic = head.topics[d[1]];
      var href = root + topic[1] + "#" + d[0];
      return '<li class="md-search-result__item" role="presentation">'
        + '<a class="md-search-result__link kb-search-hit" role="option" aria-selected="false" tabindex="-1" id="kb-hit-' + i
        + '" href="' + escapeHtml(href) + '" data-kb-id="' + d[0] + '">'
        + '<article class="md-search-result__article">'
        + '<h3 class="kb-search-title">' + highlight(plain(d[4]), pattern) + "</h3>"
        + '<p class="kb-search-meta"><span>' + escapeHtml(topic[0]) + "</span> · <span>" + escapeHtml(d[2]) + "</span>"
        + (d[3] ? " · <span>高频</span>" : "") + "</p>"
        + '<p class="kb-search-snippet">' + snippet(r, pattern) + "</p>"
        + "</article></a></li>";
    }).join("");
    input.setAttribute("aria-expanded", hits.length ? "true" : "false");
    input.removeAttribute("aria-activedescendant");
    if (hits.length && !api.timings.firstResult) api.timings.firstResult = performance.now();
    var again = chosen ? hits.findIndex(function (h) { return h.id === chosen; }) : -1;
    if (again >= 0) select(again);
    var more = partial ? "（" + partial + "）" : api.complete ? "" : "（正在加载详解…）";
    setStatus(hits.length ? "找到 " + (hits.length < MAX_RESULTS ? hits.length : hits.length + "+") + " 道题" + more
      : (api.complete ? "没有找到相关的题" : partial ? "没有找到" + more : "没有找到，正在加载详解…"));
  }

  function setStatus(text) { if (status.textContent !== text) status.textContent = text; }

  function run(force) {
    var text = input.value.trim();
    if (!force && text === lastQuery) return;
    if (text !== lastQuery) active = -1;
    lastQuery = text;
    if (!text) { list.innerHTML = ""; results = []; input.setAttribute("aria-expanded", "false"); setStatus("输入题目中的词，中英文均可"); return; }
    if (!index) { load(); return; }
    render(text);
  }

  /* --- keyboard and the theme's search toggle */
  function open() {
    if (toggle && !toggle.checked) { toggle.checked = true; toggle.dispatchEvent(new Event("change")); }
    load();
  }

  function close() {
    if (toggle && toggle.checked) { toggle.checked = false; toggle.dispatchEvent(new Event("change")); }
    input.blur();
  }

  function select(i) {
    var links = list.querySelectorAll("a.kb-search-hit");
    if (!links.length) return;
    active = (i + links.length) % links.length;
    links.forEach(function (a, k) { a.setAttribute("aria-selected", k === active ? "true" : "false"); });
    input.setAttribute("aria-activedescendant", links[active].id);
    links[active].scrollIntoView({ block: "nearest" });
  }

  function go(link) {
    var target = new URL(link.href, location.href);
    close();
    if (target.pathname === location.pathname && target.hash === location.hash) {
      window.dispatchEvent(new HashChangeEvent("hashchange"));  // same question again: open and scroll to it
    }
    location.href = target.href;
  }

  /* One listener per event type: the box's own (focus, input, keys in the box, results) and the
     document's (the header's search icons, the "/" and "s" shortcut, the theme's toggle). */
  function onInputKey(e) {
    if (e.key === "ArrowDown") { e.preventDefault(); select(active + 1); }
    else if (e.key === "ArrowUp") { e.preventDefault(); select(active - 1); }
    else if (e.key === "Enter") {
      e.preventDefault();
      var links = list.querySelectorAll("a.kb-search-hit");
      if (links.length) go(links[Math.max(active, 0)]);
    } else if (e.key === "Escape") { e.preventDefault(); close(); }
  }

  function onKey(e) {  // anywhere on the page: "/" or "s" opens the search
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
    var el = document.activeElement;
    if (el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName))) return;
    if (e.key === "/" || e.key === "s" || e.key === "S") {
      e.preventDefault();
      open();
      input.focus();
      input.select();
    }
  }

  function onToggle() {
    if (!toggle.checked) return;
    load();
    // on a phone the box becomes visible with the toggle: focus it now and once it is shown
    var tries = 0;
    (function focus() {
      if (document.activeElement === input || !toggle.checked) return;
      input.focus();
      if (document.activeElement !== input && ++tries < 20) setTimeout(focus, 25);
    })();
  }

  function init() {
    box = document.querySelector("[data-kb-search]");
    if (!box) return;
    input = box.querySelector("[data-kb-search-input]");
    list = box.querySelector("[data-kb-search-results]");
    status = box.querySelector("[data-kb-search-status]");
    toggle = document.getElementById("__search");
    input.addEventListener("focus", open);
    input.addEventListener("input", function () { run(false); });
    input.addEventListener("keydown", onInputKey);  // before the document's: the box's own keys
    box.addEventListener("click", function (e) {
      var link = e.target.closest("a.kb-search-hit");
      if (!link || e.ctrlKey || e.metaKey || e.shiftKey || e.button) return;
      e.preventDefault();
      go(link);
    });
    box.addEventListener("mousemove", function (e) {
      var link = e.target.closest("a.kb-search-hit");
      if (link) select(Array.prototype.indexOf.call(list.querySelectorAll("a.kb-search-hit"), link));
    });
    box.addEventListener("reset", function () {
      setTimeout(function () { run(false); input.focus(); }, 0);
    });
    // intent: a pointer on the box or on any of the header's search icons starts loading
    document.addEventListener("pointerdown", function (e) {
      if (e.target.closest && e.target.closest('[data-kb-search-input], label[for="__search"]')) load();
    });
    document.addEventListener("keydown", onKey);
    if (toggle) toggle.addEventListener("change", onToggle);
  }

  var api = window.kbSearch = {
    ready: false,
    complete: false,
    timings: {},  // performance.now() at intent, scripts loaded, first index built, 速答 indexed, 详解 complete (scripts/bench.py)
    load: load,
    tokens: function (text) { return queryTokens(String(text)); },
    query: function (text) { return query(String(text)).map(function (r) { return { id: r.id, score: r.score }; }); }
  };
  kb.ready(init);
})();
