/* 练习模式: draw questions from questions.json, reveal the 速答, grade 会 / 模糊 / 不会.
   Runs only on the page that has <div id="kb-quiz">. Keyboard: space reveals, 1 / 2 / 3 grade
   会 / 模糊 / 不会, ← / → move between cards. Schedule: see progress.js. */
(function () {
  "use strict";
  var root = document.getElementById("kb-quiz");
  if (!root || !window.kbProgress) return;
  var P = window.kbProgress;
  var all = [], queue = [], pos = 0, revealed = false, reviewAll = false;

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }

  root.innerHTML =
    '<form class="kb-quiz-filters" aria-label="筛选题目">' +
    '<label>主题 <select name="topic"><option value="">全部</option></select></label>' +
    '<label>难度 <select name="level"><option value="">全部</option><option>基础</option><option>进阶</option><option>深入</option></select></label>' +
    '<label>标签 <select name="tag"><option value="">全部</option></select></label>' +
    '<label><input type="checkbox" name="hot"> 只看高频</label>' +
    "</form>" +
    '<p class="kb-quiz-status" aria-live="polite">正在载入题目…</p>' +
    '<section class="kb-quiz-card" aria-label="当前题目"></section>' +
    '<div class="kb-quiz-actions">' +
    '<button type="button" class="md-button" data-act="export">导出进度</button>' +
    '<label class="md-button kb-quiz-import">导入进度<input type="file" accept="application/json" hidden></label>' +
    '<button type="button" class="md-button" data-act="reset">重置进度</button>' +
    "</div>" +
    '<div class="kb-quiz-message" role="status" aria-live="polite" hidden></div>';
  var form = root.querySelector("form"), status = root.querySelector(".kb-quiz-status"), card = root.querySelector(".kb-quiz-card");
  var message = root.querySelector(".kb-quiz-message");

  /* A message under the buttons (import result, errors); `actions` are [label, handler] pairs. */
  function say(text, kind, actions) {
    message.innerHTML = "";
    message.hidden = false;
    message.className = "kb-quiz-message" + (kind ? " kb-quiz-message--" + kind : "");
    message.appendChild(el("p", {}, text));
    (actions || []).forEach(function (a) {
      var b = el("button", { type: "button", class: "md-button" + (a[2] ? " md-button--primary" : "") }, a[0]);
      b.addEventListener("click", a[1]);
      message.appendChild(b);
    });
    if (message.scrollIntoView) message.scrollIntoView({ block: "nearest" });
  }
  function unsay() { message.hidden = true; message.innerHTML = ""; }

  function filtered() {
    var f = { topic: form.topic.value, level: form.level.value, tag: form.tag.value, hot: form.hot.checked };
    return all.filter(function (q) {
      return (!f.topic || q.topic_id === f.topic) && (!f.level || q.level === f.level) &&
        (!f.tag || q.tags.indexOf(f.tag) >= 0) && (!f.hot || q.hot);
    });
  }

  function build() {
    var data = P.load(), now = P.today(), list = filtered();
    var due = list.filter(function (q) { return data[q.id] && data[q.id].due <= now; })
      .sort(function (a, b) { return data[a.id].due - data[b.id].due || data[a.id].grade - data[b.id].grade; });
    var fresh = list.filter(function (q) { return !data[q.id]; });
    queue = reviewAll ? list.slice() : due.concat(fresh);
    pos = 0;
    render();
  }

  function render() {
    var data = P.load(), list = filtered(), m = P.mastery(list, data);
    status.textContent = "当前筛选 " + list.length + " 题，已掌握 " + m.done + " 题；本轮待练 " + Math.max(0, queue.length - pos) + " 题。";
    card.innerHTML = "";
    revealed = false;
    if (pos >= queue.length) {
      card.appendChild(el("p", {}, queue.length ? "本轮完成。" : "当前筛选下没有到期或新的题目。"));
      var again = el("button", { type: "button", class: "md-button md-button--primary" }, "复习当前筛选的全部题目");
      again.addEventListener("click", function () { reviewAll = true; build(); });
      card.appendChild(again);
      return;
    }
    var q = queue[pos], rec = data[q.id];
    var meta = el("p", { class: "kb-quiz-meta" }, q.topic + " · " + q.level + (q.hot ? " · 高频" : "") + (rec ? " · 上次：" + P.GRADES[rec.grade] : ""));
    var title = el("h2", { class: "kb-quiz-title" }, q.title);
    var reveal = el("button", { type: "button", class: "md-button md-button--primary kb-quiz-reveal" }, "显示速答（空格）");
    var answer = el("div", { class: "kb-quiz-answer", hidden: "" });
    answer.appendChild(el("p", {}, q.summary));
    var link = el("a", { href: P.siteRoot() + q.url }, "查看完整答案 →");
    answer.appendChild(link);
    var grades = el("div", { class: "kb-quiz-grades", role: "group", "aria-label": "自评" });
    [[2, "会", "1"], [1, "模糊", "2"], [0, "不会", "3"]].forEach(function (g) {
      var b = el("button", { type: "button", class: "md-button kb-grade-" + g[0], "data-grade": String(g[0]) }, g[1] + "（" + g[2] + "）");
      b.addEventListener("click", function () { gradeCurrent(g[0]); });
      grades.appendChild(b);
    });
    answer.appendChild(grades);
    reveal.addEventListener("click", show);
    var nav = el("p", { class: "kb-quiz-nav" }, "第 " + (pos + 1) + " / " + queue.length + " 题 · ← → 切换");
    [meta, title, reveal, answer, nav].forEach(function (x) { card.appendChild(x); });
  }

  function show() {
    var answer = card.querySelector(".kb-quiz-answer");
    if (!answer) return;
    answer.hidden = false;
    revealed = true;
    var reveal = card.querySelector(".kb-quiz-reveal");
    if (reveal) reveal.hidden = true;
    var first = answer.querySelector("button");
    if (first) first.focus();
  }

  function gradeCurrent(g) {
    var q = queue[pos];
    if (!q) return;
    P.grade(q.id, g);
    if (g === 0 && !reviewAll) queue.splice(Math.min(queue.length, pos + 4), 0, q);
    pos += 1;
    render();
  }

  document.addEventListener("keydown", function (e) {
    if (e.target && /INPUT|SELECT|TEXTAREA/.test(e.target.tagName) && e.target.type !== "checkbox") return;
    if (document.activeElement && document.activeElement.closest && document.activeElement.closest(".md-search")) return;
    if (e.key === " ") { e.preventDefault(); show(); }
    else if (revealed && (e.key === "1" || e.key === "2" || e.key === "3")) { gradeCurrent({ 1: 2, 2: 1, 3: 0 }[e.key]); }
    else if (e.key === "ArrowRight" && pos < queue.length) { pos += 1; render(); }
    else if (e.key === "ArrowLeft" && pos > 0) { pos -= 1; render(); }
  });

  form.addEventListener("change", function () { reviewAll = false; build(); });
  root.querySelector('[data-act="reset"]').addEventListener("click", function () {
    if (confirm("清空本站在这个浏览器中的全部练习进度？（其他网站的记录不受影响；可以先导出进度备份）")) { P.reset(); reviewAll = false; build(); say("进度已清空。"); }
  });
  root.querySelector('[data-act="export"]').addEventListener("click", function () {
    var blob = new Blob([JSON.stringify(P.exportData(), null, 1)], { type: "application/json" });
    var a = el("a", { href: URL.createObjectURL(blob), download: "llm-kb-progress.json" });
    document.body.appendChild(a); a.click(); a.remove();
  });
  root.querySelector(".kb-quiz-import input").addEventListener("change", function (e) {
    var file = e.target.files[0];
    if (!file) return;
    e.target.value = "";  // choosing the same file again fires change again
    file.text().then(function (text) {
      var parsed = P.parseImport(text);
      if (parsed.error) { say("没有导入：" + parsed.error, "error"); return; }
      var p = parsed.preview, changes = p.added.length + p.updated.length;
      var summary = "文件含 " + (changes + p.kept.length) + " 题的记录：新增 " + p.added.length + " 题，更新 " + p.updated.length +
        " 题（文件中的记录更新），保留本地 " + p.kept.length + " 题（本地记录更新或相同）。";
      if (!changes) { say(summary + "没有需要导入的内容。"); return; }
      say(summary, "preview", [
        ["确认导入", function () {
          var ok = P.applyImport(parsed);
          reviewAll = false; build();
          say("已导入 " + changes + " 题的记录。" + (ok ? "" : "（浏览器没有保存：记录只在本页有效。）"));
        }, true],
        ["取消", unsay],
      ]);
    }).catch(function () { say("没有导入：无法读取这个文件。", "error"); });
  });

  P.questions().catch(function () {
    status.textContent = "题目列表没有载入（网络或文件出错）。";
    card.innerHTML = "";
    var retry = el("button", { type: "button", class: "md-button md-button--primary" }, "重新载入");
    retry.addEventListener("click", function () { location.reload(); });
    card.appendChild(el("p", {}, "请检查网络后重试；也可以直接阅读速记表。"));
    card.appendChild(retry);
    return null;
  }).then(function (qs) {
    if (!qs) return;
    all = qs;
    var topics = {}, tags = {};
    qs.forEach(function (q) { topics[q.topic_id] = q.topic; q.tags.forEach(function (t) { tags[t] = (tags[t] || 0) + 1; }); });
    Object.keys(topics).forEach(function (id) { form.topic.appendChild(el("option", { value: id }, topics[id])); });
    Object.keys(tags).filter(function (t) { return tags[t] >= 3; }).sort().forEach(function (t) { form.tag.appendChild(el("option", { value: t }, t)); });
    var params = new URLSearchParams(location.search);
    if (params.get("topic")) form.topic.value = params.get("topic");
    build();
  });
})();
