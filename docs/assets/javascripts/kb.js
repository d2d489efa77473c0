/* Reader behaviour for question pages: open the answer a link points to, expand or
   collapse all answers, copy a question's permalink, expand everything for print. */
(function () {
  "use strict";

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

  function toolbar() {
    var bar = document.querySelector(".kb-toolbar");
    if (!bar) return;
    bar.querySelector(".kb-expand-all").addEventListener("click", function () { setAll(true); });
    bar.querySelector(".kb-collapse-all").addEventListener("click", function () { setAll(false); });
  }

  /* Progress marks on topic pages and mastery counts (progress.js keeps the data). */
  function markButtons() {
    var P = window.kbProgress;
    if (!P) return;
    document.querySelectorAll(".kb-meta[data-kb-id] .kb-mark button").forEach(function (b) {
      var id = b.closest(".kb-meta").getAttribute("data-kb-id");
      b.addEventListener("click", function () { P.grade(id, Number(b.getAttribute("data-grade"))); });
    });
    showMarks();
    document.addEventListener("kb:progress", showMarks);
  }

  function showMarks() {
    var P = window.kbProgress, data = P.load();
    var metas = document.querySelectorAll(".kb-meta[data-kb-id]");
    var done = 0;
    metas.forEach(function (meta) {
      var rec = data[meta.getAttribute("data-kb-id")];
      if (rec && rec.grade === 2) done += 1;
      meta.querySelectorAll(".kb-mark button").forEach(function (b) {
        b.setAttribute("aria-pressed", String(!!rec && String(rec.grade) === b.getAttribute("data-grade")));
      });
    });
    var label = document.querySelector(".kb-page-mastery");
    if (label && metas.length) label.textContent = "已掌握 " + done + " / " + metas.length + " 题";
    var cells = document.querySelectorAll(".kb-mastery[data-topic]");
    if (cells.length) {
      P.questions().then(function (qs) {
        cells.forEach(function (cell) {
          var list = qs.filter(function (q) { return q.topic_id === cell.getAttribute("data-topic"); });
          var m = P.mastery(list, P.load());
          cell.textContent = m.done + " / " + m.total;
        });
      }, function () {
        cells.forEach(function (cell) { cell.textContent = "–"; cell.title = "题目列表没有载入"; });
      });
    }
  }

  function copyButtons() {
    document.querySelectorAll(".kb-meta[data-kb-id] .kb-copy").forEach(function (button) {
      var id = button.closest(".kb-meta").getAttribute("data-kb-id");
      button.addEventListener("click", function () {
        var url = location.href.split("#")[0] + "#" + id;
        var done = function () {
          button.textContent = "已复制";
          setTimeout(function () { button.textContent = "复制链接"; }, 1500);
        };
        if (navigator.clipboard) navigator.clipboard.writeText(url).then(done, function () { prompt("本题链接", url); });
        else prompt("本题链接", url);
      });
    });
  }

  var printState = null;
  window.addEventListener("beforeprint", function () {
    var all = document.querySelectorAll("details");
    printState = Array.prototype.map.call(all, function (d) { return d.open; });
    all.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    if (!printState) return;
    document.querySelectorAll("details").forEach(function (d, i) { d.open = printState[i]; });
    printState = null;
  });

  /* Figures open larger on click (and close on click or Escape). */
  function figures() {
    document.querySelectorAll(".kb-figure-zoom").forEach(function (button) {
      button.addEventListener("click", function () {
        var fig = button.closest(".kb-figure");
        var zoomed = fig.classList.toggle("kb-zoomed");
        button.setAttribute("aria-expanded", String(zoomed));
      });
    });
    document.addEventListener("keydown", function (e) {
      if (e.key !== "Escape") return;
      document.querySelectorAll(".kb-figure.kb-zoomed").forEach(function (fig) {
        fig.classList.remove("kb-zoomed");
        fig.querySelector(".kb-figure-zoom").setAttribute("aria-expanded", "false");
      });
    });
  }

  /* Glossary tooltips: one shared bubble for every <abbr title>, by event delegation (no work per
     abbreviation at load; Material's content.tooltips would build a component for each). */
  function abbrTooltips() {
    var tip = null;
    function hide() { if (tip) tip.hidden = true; }
    document.addEventListener("mouseover", function (e) {
      var abbr = e.target.closest && e.target.closest("abbr[title], abbr[data-kb-title]");
      if (!abbr) return hide();
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
    });
    window.addEventListener("scroll", hide, { passive: true });
  }

  function init() {
    abbrTooltips();
    figures();
    toolbar();
    copyButtons();
    markButtons();
    openFromHash();
  }
  window.addEventListener("hashchange", openFromHash);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
