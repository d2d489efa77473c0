/* Reader behaviour for question pages: open the answer a link points to, expand or collapse all
   answers, grade and copy a question, zoom figures, glossary tooltips, scroll cues, print.

   Also the helpers every script of the site shares (window.kb), loaded right after progress.js
   and before the others (mkdocs.yml extra_javascript, all deferred; plain scripts, no bundler, so
   that the offline copy works from file://):
     kb.ready(init)              run init once, when the DOM is ready (the one start of every script)
     kb.dispatch(e, table)       event delegation: table is [[selector, handler(el, e)], ...]; the
                                 first selector the event's target is inside of wins
     kb.failure(parent, text, retry, first)
                                 a visible message (role=alert) with a 重试 button where a feature
                                 could not load its data; retry() runs when it is pressed
     kb.fetchJSON(url)           fetch + HTTP status check + JSON (rejects on any failure)
     kb.loadScript(src)          a <script> that resolves on load, rejects (and is removed) on error
     kb.escapeHtml(text)

   Style: one listener per event type on document (or a feature's root), dispatching by
   closest(selector); no listeners added to elements in loops. Material's document$ and
   navigation.instant are not used: every page is a full load.

   The theme's DOM this site relies on (Material classes, ids, globals) is listed in one table,
   THEME_DOM in tests/test_frontend.py; a browser test fails by name if the theme stops providing
   one. Add a row there before using another theme selector here or in the stylesheets. */
(function () {
  "use strict";

  /* ---- shared helpers (window.kb) ---- */
  function ready(fn) {
    var done = false;
    function run() { if (!done) { done = true; fn(); } }
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
    else run();
  }

  function dispatch(e, table) {
    var t = e.target;
    if (!t || !t.closest) return false;
    for (var i = 0; i < table.length; i++) {
      var hit = t.closest(table[i][0]);
      if (hit) { table[i][1](hit, e); return true; }
    }
    return false;
  }

  function failure(parent, text, retry, first) {
    parent.querySelectorAll(":scope > .kb-load-error").forEach(function (old) {  // the same failure again
      if (old.firstChild.textContent === text) old.remove();
    });
    var box = document.createElement("div");
    box.className = "kb-load-error";
    box.setAttribute("role", "alert");
    var p = document.createElement("p");
    p.textContent = text;
    box.appendChild(p);
    if (retry) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "kb-retry";
      b.textContent = "重试";
      box.appendChild(b);
      box.kbRetry = retry;
    }
    if (first) parent.insertBefore(box, parent.firstChild); else parent.appendChild(box);
    return box;
  }

  function fetchJSON(url) {
    return fetch(url).then(function (r) {
      if (!r.ok) throw new Error(url + ": HTTP " + r.status);
      return r.json();
    });
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var tag = document.createElement("script");
      tag.src = src;
      tag.async = true;
      tag.onload = function () { resolve(); };
      tag.onerror = function () { tag.remove(); reject(new Error(src + " did not load")); };
      document.head.appendChild(tag);
    });
  }

  function escapeHtml(s) {
    return String(s).replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
  }

  window.kb = { ready: ready, dispatch: dispatch, failure: failure, fetchJSON: fetchJSON, loadScript: loadScript, escapeHtml: escapeHtml };

  /* ---- answers ---- */
  function answerOf(heading) {
    var el = heading.nextElementSibling;
    while (el && !(el.tagName === "DETAILS" && el.classList.contains("kb-answer"))) {
      if (/^H[1-6]$/.test(el.tagName)) return null;
      el = el.nextElementSibling;
    }
    return el;
  }

  function openFromHash() {
    var id;
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (e) { id = location.hash.slice(1); }  // a malformed %-escape
    if (!id) return;
    var target = document.getElementById(id);
    if (!target) return;
    var heading = target.classList.contains("kb-q") ? target : target.closest(".kb-answer") && target.closest(".kb-answer").previousElementSibling;
    var details = target.classList.contains("kb-q") ? answerOf(target) : target.closest("details.kb-answer");
    if (details) {
      details.open = true;
      (heading && heading.classList && heading.classList.contains("kb-q") ? heading : target).scrollIntoView();
    }
  }

  function setAll(open) {
    document.querySelectorAll("details.kb-answer").forEach(function (d) { d.open = open; });
  }

  /* ---- progress marks on topic pages (progress.js keeps the data) ---- */
  function showMarks() {
    var P = window.kbProgress;
    if (!P) return;
    var data = P.load(), metas = document.querySelectorAll(".kb-meta[data-kb-id]"), done = 0;
    metas.forEach(function (meta) {
      var rec = data[meta.getAttribute("data-kb-id")];
      if (rec && rec.grade === 2) done += 1;
      meta.querySelectorAll(".kb-mark button").forEach(function (b) {
        b.setAttribute("aria-pressed", String(!!rec && String(rec.grade) === b.getAttribute("data-grade")));
      });
    });
    var label = document.querySelector(".kb-page-mastery");
    if (label && metas.length) label.textContent = "已掌握 " + done + " / " + metas.length + " 题";
  }

  function grade(button) {
    if (window.kbProgress) window.kbProgress.grade(button.closest(".kb-meta").getAttribute("data-kb-id"), Number(button.getAttribute("data-grade")));
  }

  function copyLink(button) {
    var url = location.href.split("#")[0] + "#" + button.closest(".kb-meta").getAttribute("data-kb-id");
    var done = function () {
      button.textContent = "已复制";
      setTimeout(function () { button.textContent = "复制链接"; }, 1500);
    };
    if (navigator.clipboard) navigator.clipboard.writeText(url).then(done, function () { prompt("本题链接", url); });
    else prompt("本题链接", url);
  }

  /* ---- the "more" menu of each question (copy link, report an error) ---- */
  function closeMenus(except) {
    document.querySelectorAll('.kb-more[aria-expanded="true"]').forEach(function (b) {
      if (b !== except) b.setAttribute("aria-expanded", "false");
    });
  }
  function toggleMenu(button) {
    closeMenus(button);
    button.setAttribute("aria-expanded", String(button.getAttribute("aria-expanded") !== "true"));
  }

  /* ---- figures open larger on click (and close on click or Escape) ---- */
  function zoom(button) {
    var zoomed = button.closest(".kb-figure").classList.toggle("kb-zoomed");
    button.setAttribute("aria-expanded", String(zoomed));
  }
  function unzoomAll() {
    document.querySelectorAll(".kb-figure.kb-zoomed").forEach(function (fig) {
      fig.classList.remove("kb-zoomed");
      fig.querySelector(".kb-figure-zoom").setAttribute("aria-expanded", "false");
    });
  }

  /* ---- glossary tooltips: one shared bubble for every <abbr title> (Material's content.tooltips
     would build a component for each) ---- */
  var tip = null;
  function hideTip() { if (tip) tip.hidden = true; }
  function showTip(abbr) {
    if (abbr.hasAttribute("title")) {  // keep the text, drop the browser's own tooltip
      abbr.setAttribute("data-kb-title", abbr.getAttribute("title"));
      abbr.setAttribute("aria-label", abbr.textContent + "：" + abbr.getAttribute("title"));
      abbr.removeAttribute("title");
    }
    if (!tip) {
      tip = document.createElement("div");
      tip.className = "kb-tooltip";
      tip.setAttribute("role", "tooltip");
      document.body.appendChild(tip);
    }
    tip.textContent = abbr.getAttribute("data-kb-title");
    tip.hidden = false;
    var r = abbr.getBoundingClientRect();
    tip.style.left = Math.max(8, Math.min(r.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 8)) + "px";
    tip.style.top = (r.bottom + window.scrollY + 6) + "px";
  }

  /* ---- scroll boxes (wide tables, display formulas, figures): data-kb-more says on which side
     content is cut off, and kb.css fades that edge. Updated on scroll (one capturing listener for
     all boxes) and when a box changes size (an answer opens, the screen turns). ---- */
  var SCROLL_BOXES = ".md-typeset__scrollwrap, .kb-math, .kb-figure-scroll, .md-typeset pre > code, .kb-math-wide";
  var seen = new WeakSet(), boxes = [], ro = null;
  function scrollCue(box) {
    var max = box.scrollWidth - box.clientWidth;
    var more = max <= 1 ? "" : box.scrollLeft <= 1 ? "right" : box.scrollLeft >= max - 1 ? "left" : "both";
    if (more) box.setAttribute("data-kb-more", more);
    else box.removeAttribute("data-kb-more");
    // a box that scrolls can be scrolled from the keyboard: focusable while it overflows (unless
    // it holds something focusable already, or has a tabindex of its own)
    if (more && !box.hasAttribute("tabindex") && !box.querySelector("a, button, input, [tabindex]")) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("data-kb-focus", "");
    } else if (!more && box.hasAttribute("data-kb-focus")) {
      box.removeAttribute("tabindex");
      box.removeAttribute("data-kb-focus");
    }
  }
  function watchBoxes() {
    if (!ro) return;
    document.querySelectorAll(SCROLL_BOXES).forEach(function (box) {
      if (!seen.has(box)) { seen.add(box); boxes.push(box); ro.observe(box); }
    });
  }
  /* Inline math cannot wrap: a formula wider than its line becomes a scroll box of its own.
     Checked for the answers that are open, when one opens and when the screen turns. */
  function wideMath(root) {
    var wide = [];
    root.querySelectorAll(".kb-nobr, .katex:not(.kb-nobr > .katex)").forEach(function (el) {
      if (el.closest(".kb-math")) return;  // a display formula: its box scrolls already
      var block = el.parentElement.closest("p, li, td, th, dd, div");
      if (block && el.getBoundingClientRect().width > block.clientWidth + 1) wide.push(el);
    });
    wide.forEach(function (el) { el.classList.add("kb-math-wide"); });
    if (wide.length) watchBoxes();
  }

  /* ---- print: every answer open, then back as it was ---- */
  var printState = null;
  function beforePrint() {
    var all = document.querySelectorAll("details");
    printState = Array.prototype.map.call(all, function (d) { return d.open; });
    all.forEach(function (d) { d.open = true; });
  }
  function afterPrint() {
    if (!printState) return;
    document.querySelectorAll("details").forEach(function (d, i) { d.open = printState[i]; });
    printState = null;
  }

  /* ---- one listener per event type ---- */
  var CLICKS = [
    [".kb-load-error .kb-retry", function (b) { var box = b.closest(".kb-load-error"); box.remove(); box.kbRetry(); }],
    [".kb-more", toggleMenu],
    [".kb-toolbar .kb-expand-all", function () { setAll(true); }],
    [".kb-toolbar .kb-collapse-all", function () { setAll(false); }],
    [".kb-meta[data-kb-id] .kb-mark button", grade],
    [".kb-meta[data-kb-id] .kb-copy", copyLink],
    [".kb-figure-zoom", zoom],
  ];

  function init() {
    document.addEventListener("click", function (e) {
      if (!(e.target.closest && e.target.closest(".kb-more, .kb-more-menu"))) closeMenus(null);
      dispatch(e, CLICKS);
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { closeMenus(null); unzoomAll(); }
    });
    document.addEventListener("mouseover", function (e) {
      var abbr = e.target.closest && e.target.closest("abbr[title], abbr[data-kb-title]");
      if (abbr) showTip(abbr); else hideTip();
    });
    document.addEventListener("scroll", function (e) {
      var box = e.target;
      if (box.nodeType === 1 && box.matches(SCROLL_BOXES)) scrollCue(box);
    }, { capture: true, passive: true });
    window.addEventListener("scroll", hideTip, { passive: true });
    document.addEventListener("toggle", function (e) {
      if (e.target.open && e.target.matches && e.target.matches("details.kb-answer")) wideMath(e.target);
    }, true);
    window.addEventListener("resize", function () {
      document.querySelectorAll("details.kb-answer[open]").forEach(wideMath);
    });
    // Material wraps tables in .md-typeset__scrollwrap once its bundle has started: picked up at load
    window.addEventListener("load", function () { watchBoxes(); wideMath(document.querySelector("article") || document.body); });
    window.addEventListener("hashchange", openFromHash);
    window.addEventListener("beforeprint", beforePrint);
    window.addEventListener("afterprint", afterPrint);
    document.addEventListener("kb:progress", showMarks);
    if (window.ResizeObserver) {
      ro = new ResizeObserver(function (entries) { entries.forEach(function (en) { scrollCue(en.target); }); });
      // a web font arriving widens the content without resizing the box
      if (document.fonts) document.fonts.addEventListener("loadingdone", function () { boxes.forEach(scrollCue); });
      watchBoxes();
    }
    showMarks();
    openFromHash();
  }
  ready(init);
})();
