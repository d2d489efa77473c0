/* 练习模式 and 模拟面试: draw questions from questions.json, reveal the 速答, grade 会 / 模糊 / 不会.
   Runs only on the page that has <div id="kb-quiz">. Keyboard: space reveals, 1 / 2 / 3 grade
   会 / 模糊 / 不会, ← / → move between cards (练习 only). Schedule: see progress.js.

   Order: questions that are due come first (earliest first), then the new ones in a shuffled
   order. The shuffle is seeded: ?seed=N in the address, else a seed kept in sessionStorage for
   this tab, so a reload shows the same order and a new tab a new one.

   Card states: "question" (reveal button, no grades) -> "answer" (reveal button gone, three
   grade buttons, none highlighted) -> graded (next card). A card graded 不会 comes back a few
   cards later as a 回顾 card that does not count towards "第 i / K 题".

   模拟面试: K questions (10 / 20 / 30) from the chosen topics, levels mixed 3:5:2
   (基础 / 进阶 / 深入, the shortfall of a level filled from the others), an optional time limit
   per question, then a summary by topic and level with links to the weak ones; the result is
   kept with kbProgress.saveSession and an unfinished interview survives a reload (sessionStorage). */
(function () {
  "use strict";
  var root = null, P = window.kbProgress;
  var form, setup, status, card, message, past, tagClear, params, seed;
  var LABELS = JSON.parse(document.getElementById("kb-labels").textContent);  // docs/assets/data/labels.yml (overrides/partials/kb-labels.html)
  var LEVELS = LABELS.levels.map(function (l) { return l.name; }), MIX = {};
  LABELS.levels.forEach(function (l) { MIX[l.name] = l.mix; });
  var GRADE_BUTTONS = LABELS.grades.map(function (g) { return [g.value, g.label, g.key]; });
  var all = [], byId = {}, tagCounts = {};
  var queue = [], pos = 0, state = "question", reviewAll = false, mode = "practice", mock = null, timerId = 0, pending = "";

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }

  /* ---- seeded shuffle (mulberry32) ---- */
  function rng(seed) {
    var a = seed >>> 0;
    return function () {
      a = (a + 0x6D2B79F5) >>> 0;
      var t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  function shuffle(list, seed) {
    var out = list.slice(), r = rng(seed);
    for (var i = out.length - 1; i > 0; i--) {
      var j = Math.floor(r() * (i + 1)), t = out[i];
      out[i] = out[j]; out[j] = t;
    }
    return out;
  }
  function session(name) { try { return window.sessionStorage; } catch (e) { return null; } }
  function sget(key) { var s = session(); try { return s ? s.getItem(P.scopedKey(key)) : null; } catch (e) { return null; } }
  function sset(key, v) { var s = session(); try { if (s) { if (v === null) s.removeItem(P.scopedKey(key)); else s.setItem(P.scopedKey(key), v); } } catch (e) { /* order just not kept */ } }
  function chooseSeed() {
    params = new URLSearchParams(location.search);
    seed = parseInt(params.get("seed"), 10);
    if (!(seed >= 0)) {
      seed = parseInt(sget("quiz-seed"), 10);
      if (!(seed >= 0)) { seed = Math.floor(Math.random() * 1e9); sset("quiz-seed", String(seed)); }
    }
  }

  /* The page's controls; buttons say what they do with data-act (one click listener, in init). */
  function draw() {
    root.innerHTML =
      '<div class="kb-quiz-modes" role="group" aria-label="模式">' +
      '<button type="button" class="kb-quiz-mode" data-mode="practice" aria-pressed="true">练习</button>' +
      '<button type="button" class="kb-quiz-mode" data-mode="mock" aria-pressed="false">模拟面试</button>' +
      "</div>" +
      '<form class="kb-quiz-filters kb-practice-form" aria-label="筛选题目" onsubmit="return false">' +
      '<label>主题 <select name="topic"><option value="">全部主题</option></select></label>' +
      '<label>难度 <select name="level"><option value="">全部难度</option>' + LEVELS.map(function (l) { return "<option>" + l + "</option>"; }).join("") + '</select></label>' +
      '<label class="kb-quiz-tag">标签 <span class="kb-quiz-tagbox"><input type="search" name="tag" list="kb-quiz-tags" placeholder="输入以搜索标签" autocomplete="off">' +
      '<button type="button" class="kb-quiz-tagclear" aria-label="清除标签" hidden>×</button></span><datalist id="kb-quiz-tags"></datalist></label>' +
      '<label class="kb-quiz-check"><input type="checkbox" name="hot"> 只看高频</label>' +
      "</form>" +
      '<form class="kb-mock-setup kb-practice-form" aria-label="模拟面试设置" hidden onsubmit="return false">' +
      '<fieldset class="kb-mock-topics"><legend>主题（不选即全部）</legend></fieldset>' +
      '<fieldset class="kb-mock-row"><legend>题数</legend>' +
      '<label class="kb-chip"><input type="radio" name="length" value="10" checked> 10 题</label>' +
      '<label class="kb-chip"><input type="radio" name="length" value="20"> 20 题</label>' +
      '<label class="kb-chip"><input type="radio" name="length" value="30"> 30 题</label></fieldset>' +
      '<label>每题限时 <select name="timer"><option value="0">不限时</option><option value="60">1 分钟</option><option value="120">2 分钟</option><option value="180">3 分钟</option></select></label>' +
      '<label class="kb-quiz-check"><input type="checkbox" name="mock_hot"> 只抽高频</label>' +
      '<p class="kb-mock-hint">难度按 ' + LEVELS.map(function (l) { return l + " " + MIX[l]; }).join(" : ") + ' 抽取，由浅入深。</p>' +
      '<button type="button" class="md-button md-button--primary kb-mock-start">开始模拟面试</button>' +
      "</form>" +
      '<p class="kb-quiz-status" aria-live="polite">正在载入题目…</p>' +
      '<section class="kb-quiz-card" aria-label="当前题目" tabindex="-1"></section>' +
      '<div class="kb-quiz-actions">' +
      '<button type="button" class="md-button" data-act="export">导出进度</button>' +
      '<label class="md-button kb-quiz-import">导入进度<input type="file" accept="application/json" hidden></label>' +
      '<button type="button" class="md-button" data-act="reset">重置进度</button>' +
      "</div>" +
      '<div class="kb-quiz-message" role="status" aria-live="polite" hidden></div>' +
      '<section class="kb-mock-history" aria-label="最近的模拟面试" hidden></section>';
    form = root.querySelector(".kb-quiz-filters"); setup = root.querySelector(".kb-mock-setup");
    status = root.querySelector(".kb-quiz-status"); card = root.querySelector(".kb-quiz-card");
    message = root.querySelector(".kb-quiz-message"); past = root.querySelector(".kb-mock-history");
    tagClear = root.querySelector(".kb-quiz-tagclear");
  }

  /* A message under the buttons (import result, errors); `actions` are [label, handler] pairs. */
  function say(text, kind, actions) {
    message.innerHTML = "";
    message.hidden = false;
    message.className = "kb-quiz-message" + (kind ? " kb-quiz-message--" + kind : "");
    message.appendChild(el("p", {}, text));
    message.kbActions = actions || [];
    message.kbActions.forEach(function (a, i) {
      message.appendChild(el("button", { type: "button", class: "md-button" + (a[2] ? " md-button--primary" : ""), "data-say": String(i) }, a[0]));
    });
    if (message.scrollIntoView) message.scrollIntoView({ block: "nearest" });
  }
  function unsay() { message.hidden = true; message.innerHTML = ""; }

  /* ---- 练习 ---- */
  function currentTag() { var t = form.tag.value.trim(); return tagCounts[t] ? t : ""; }
  function filtered() {
    var f = { topic: form.topic.value, level: form.level.value, tag: currentTag(), hot: form.hot.checked };
    return all.filter(function (q) {
      return (!f.topic || q.topic_id === f.topic) && (!f.level || q.level === f.level) &&
        (!f.tag || q.tags.indexOf(f.tag) >= 0) && (!f.hot || q.hot);
    });
  }

  function build() {
    var data = P.load(), now = P.today(), list = filtered();
    var due = list.filter(function (q) { return data[q.id] && data[q.id].due <= now; })
      .sort(function (a, b) { return data[a.id].due - data[b.id].due || data[a.id].grade - data[b.id].grade; });
    var fresh = shuffle(list.filter(function (q) { return !data[q.id]; }), seed);
    var items = reviewAll ? shuffle(list, seed) : due.concat(fresh);
    queue = items.map(function (q) { return { q: q, retry: false }; });
    pos = 0;
    render();
  }
  function roundSize() { return queue.filter(function (x) { return !x.retry; }).length; }
  function ordinal(i) { return queue.slice(0, i + 1).filter(function (x) { return !x.retry; }).length; }

  function practiceStatus() {
    var data = P.load(), list = filtered(), m = P.mastery(list, data), k = roundSize();
    var left = queue.slice(pos).filter(function (x) { return !x.retry; }).length;
    status.textContent = "当前筛选 " + list.length + " 题，已掌握 " + m.done + " 题；本轮 " + k + " 题" +
      (reviewAll || k === list.length ? "" : "（到期与新题，其余未到复习日）") + "，还剩 " + left + " 题。";
  }

  function gradeButtons() {
    var grades = el("div", { class: "kb-quiz-grades", role: "group", "aria-label": "自评" });
    GRADE_BUTTONS.forEach(function (g) {
      grades.appendChild(el("button", { type: "button", class: "md-button kb-grade kb-grade-" + g[0], "data-grade": String(g[0]), "aria-pressed": "false" }, g[1] + "（" + g[2] + "）"));
    });
    return grades;
  }
  function gradeShown(g) { if (mode === "mock") gradeMock(g); else gradeCurrent(g); }

  /* The question side of a card: meta, title, reveal button, hidden answer with grades. */
  function drawCard(q, metaText) {
    card.innerHTML = "";
    state = "question";
    card.appendChild(el("p", { class: "kb-quiz-meta" }, metaText));
    card.appendChild(el("h2", { class: "kb-quiz-title" }, q.title));
    card.appendChild(el("button", { type: "button", class: "md-button md-button--primary kb-quiz-reveal" }, "显示速答（空格）"));
    var answer = el("div", { class: "kb-quiz-answer", hidden: "" });
    answer.appendChild(el("p", { class: "kb-quiz-summary" }, q.summary));
    answer.appendChild(el("a", { href: P.siteRoot() + q.url }, "查看完整答案 →"));
    answer.appendChild(el("p", { class: "kb-quiz-ask" }, "自评：答出要点了吗？"));
    answer.appendChild(gradeButtons());
    card.appendChild(answer);
  }

  function render() {
    stopTimer();
    practiceStatus();
    if (pos >= queue.length) {
      card.innerHTML = "";
      state = "done";
      card.appendChild(el("p", {}, queue.length ? "本轮完成。" : "当前筛选下没有到期或新的题目。"));
      card.appendChild(el("button", { type: "button", class: "md-button md-button--primary", "data-act": "review-all" }, "复习当前筛选的全部题目"));
      return;
    }
    var slot = queue[pos], q = slot.q, rec = P.load()[q.id];
    drawCard(q, q.topic + " · " + q.level + (q.hot ? " · 高频" : "") + (rec ? " · 上次：" + P.GRADES[rec.grade] : ""));
    var k = roundSize();
    card.appendChild(el("p", { class: "kb-quiz-nav" }, slot.retry ? "回顾：本轮答“" + P.GRADES[0] + "”的题 · ← → 切换" : "第 " + ordinal(pos) + " / " + k + " 题 · ← → 切换"));
  }

  function show() {
    if (state !== "question") return;
    var answer = card.querySelector(".kb-quiz-answer");
    if (!answer) return;
    answer.hidden = false;
    state = "answer";
    var reveal = card.querySelector(".kb-quiz-reveal");
    if (reveal) reveal.remove();
    card.focus({ preventScroll: true });  // keyboard focus stays off the grades: none looks chosen
  }

  function gradeCurrent(g) {
    if (state !== "answer") return;
    var slot = queue[pos];
    if (!slot) return;
    P.grade(slot.q.id, g);
    if (g === 0 && !reviewAll && !slot.retry) queue.splice(Math.min(queue.length, pos + 4), 0, { q: slot.q, retry: true });
    pos += 1;
    render();
  }

  /* ---- 模拟面试 ---- */
  function mockTopics() {
    var picked = [].slice.call(setup.querySelectorAll('.kb-mock-topics input:checked')).map(function (i) { return i.value; });
    return picked;
  }
  /* Draw `n` questions: per level a quota in the 3:5:2 mix, topics spread round-robin inside a level. */
  function drawMock(n, topics, hot, s) {
    var pool = all.filter(function (q) { return (!topics.length || topics.indexOf(q.topic_id) >= 0) && (!hot || q.hot); });
    n = Math.min(n, pool.length);
    var byLevel = {};
    LEVELS.forEach(function (l) { byLevel[l] = spread(shuffle(pool.filter(function (q) { return q.level === l; }), s + LEVELS.indexOf(l) + 1)); });
    var quota = {}, total = 0;
    LEVELS.forEach(function (l) { quota[l] = Math.min(byLevel[l].length, Math.round(n * MIX[l] / 10)); total += quota[l]; });
    while (total > n) { var big = LEVELS.slice().sort(function (a, b) { return quota[b] - quota[a]; })[0]; quota[big]--; total--; }
    var order = LEVELS.slice().sort(function (a, b) { return MIX[b] - MIX[a]; });  // the largest share first
    while (total < n) {
      var grew = false;
      for (var i = 0; i < order.length && total < n; i++) {
        if (quota[order[i]] < byLevel[order[i]].length) { quota[order[i]]++; total++; grew = true; }
      }
      if (!grew) break;
    }
    var out = [];
    LEVELS.forEach(function (l) { out = out.concat(byLevel[l].slice(0, quota[l])); });
    return out;
  }
  function spread(list) {  // round-robin over topics so that one topic does not take a whole level
    var groups = {}, keys = [];
    list.forEach(function (q) { if (!groups[q.topic_id]) { groups[q.topic_id] = []; keys.push(q.topic_id); } groups[q.topic_id].push(q); });
    var out = [];
    for (var i = 0; out.length < list.length; i++) keys.forEach(function (k) { if (groups[k][i]) out.push(groups[k][i]); });
    return out;
  }

  function saveMock() { sset("mock", mock ? JSON.stringify(mock) : null); }
  function startMock() {
    var n = Number(setup.querySelector('input[name="length"]:checked').value);
    var s = Math.floor(Math.random() * 1e9);
    if (params.get("seed")) s = seed;
    var qs = drawMock(n, mockTopics(), setup.mock_hot.checked, s);
    if (!qs.length) { say("所选主题下没有题目。", "error"); return; }
    mock = { ids: qs.map(function (q) { return q.id; }), pos: 0, grades: [], timedOut: [], timer: Number(setup.timer.value), started: Date.now(), left: Number(setup.timer.value) };
    saveMock();
    renderMock();
  }

  function stopTimer() { if (timerId) { clearInterval(timerId); timerId = 0; } }
  function renderMock() {
    stopTimer();
    setup.hidden = true;
    form.hidden = true;
    past.hidden = true;
    if (mock.pos >= mock.ids.length) { finishMock(); return; }
    var q = byId[mock.ids[mock.pos]], n = mock.ids.length;
    status.textContent = "模拟面试：第 " + (mock.pos + 1) + " / " + n + " 题" + (mock.timer ? "，每题限时 " + mock.timer / 60 + " 分钟" : "") + "。先口头作答，再看速答自评。";
    drawCard(q, q.topic + " · " + q.level + (q.hot ? " · 高频" : ""));
    var bar = el("div", { class: "kb-mock-bar" });
    var progress = el("span", { class: "kb-mock-progress", role: "progressbar", "aria-valuemin": "0", "aria-valuemax": String(n), "aria-valuenow": String(mock.pos), "aria-label": "已答题数" });
    progress.appendChild(el("span", { style: "width:" + (100 * mock.pos / n) + "%" }));
    bar.appendChild(progress);
    if (mock.timer) {
      var clock = el("span", { class: "kb-mock-clock", "aria-live": "off" });
      bar.appendChild(clock);
      var tick = function () {
        var t = Math.max(0, mock.left);
        clock.textContent = "剩余 " + Math.floor(t / 60) + ":" + String(t % 60).padStart(2, "0");
        clock.classList.toggle("kb-mock-clock--low", t <= 10);
        if (t <= 0) {
          stopTimer();
          mock.timedOut[mock.pos] = true;
          clock.textContent = "时间到";
          show();
        }
      };
      tick();
      timerId = setInterval(function () { if (state === "question") { mock.left -= 1; saveMock(); tick(); } }, 1000);
    }
    bar.appendChild(el("button", { type: "button", class: "md-button kb-mock-quit", "data-act": "quit" }, "结束面试"));
    card.insertBefore(bar, card.firstChild);
  }

  function gradeMock(g) {
    if (state !== "answer" || !mock) return;
    P.grade(mock.ids[mock.pos], g);
    mock.grades[mock.pos] = g;
    mock.pos += 1;
    mock.left = mock.timer;
    saveMock();
    renderMock();
  }

  function finishMock() {
    stopTimer();
    var done = mock, items = [];
    mock = null;
    saveMock();
    done.ids.forEach(function (id, i) {
      var q = byId[id];
      if (q && done.grades[i] !== undefined) items.push({ id: id, topic: q.topic, level: q.level, grade: done.grades[i], timedOut: !!done.timedOut[i] });
    });
    if (!items.length) { setMode("mock"); return; }
    var rec = { date: Date.now(), timer: done.timer, items: items };
    var ok = P.saveSession(rec);
    status.textContent = "模拟面试完成：" + items.length + " 题。" + (ok ? "结果已保存在本浏览器。" : "");
    card.innerHTML = "";
    state = "done";
    card.appendChild(summary(rec, true));
    card.appendChild(el("button", { type: "button", class: "md-button md-button--primary", "data-act": "mock-again" }, "再来一次"));
    card.focus({ preventScroll: true });
  }

  function score(items) {
    var c = [0, 0, 0];
    items.forEach(function (it) { c[it.grade] += 1; });
    return { know: c[2], fuzzy: c[1], no: c[0], pct: Math.round(100 * (c[2] + 0.5 * c[1]) / items.length) };
  }
  function table(caption, key, items) {
    var groups = {}, keys = [];
    items.forEach(function (it) { var k = it[key]; if (!groups[k]) { groups[k] = []; keys.push(k); } groups[k].push(it); });
    if (key === "level") keys.sort(function (a, b) { return LEVELS.indexOf(a) - LEVELS.indexOf(b); });
    var t = el("table", { class: "kb-mock-table" });
    t.appendChild(el("caption", {}, caption));
    var head = el("tr");
    [caption.replace("按", ""), "题数", P.GRADES[2], P.GRADES[1], P.GRADES[0], "得分"].forEach(function (h) { head.appendChild(el("th", { scope: "col" }, h)); });
    t.appendChild(el("thead")).appendChild(head);
    var body = t.appendChild(el("tbody"));
    keys.forEach(function (k) {
      var s = score(groups[k]), tr = el("tr");
      tr.appendChild(el("th", { scope: "row" }, k));
      [groups[k].length, s.know, s.fuzzy, s.no, s.pct + "%"].forEach(function (v) { tr.appendChild(el("td", {}, String(v))); });
      body.appendChild(tr);
    });
    return t;
  }
  /* The result of one session: overall score, tables by topic and by level, weak questions linked. */
  function summary(rec, full) {
    var box = el("div", { class: "kb-mock-summary" }), s = score(rec.items);
    box.appendChild(el("h2", { class: "kb-mock-score" }, "得分 " + s.pct + "%：" + P.GRADES[2] + " " + s.know + " · " + P.GRADES[1] + " " + s.fuzzy + " · " + P.GRADES[0] + " " + s.no));
    if (!full) return box;
    var tables = el("div", { class: "kb-mock-tables" });
    tables.appendChild(table("按主题", "topic", rec.items));
    tables.appendChild(table("按难度", "level", rec.items));
    box.appendChild(tables);
    var weak = rec.items.filter(function (it) { return it.grade < 2; });
    if (weak.length) {
      box.appendChild(el("h3", {}, "需要复习的 " + weak.length + " 题"));
      var ul = el("ul", { class: "kb-mock-weak" });
      weak.sort(function (a, b) { return a.grade - b.grade; }).forEach(function (it) {
        var q = byId[it.id];
        if (!q) return;
        var li = el("li");
        li.appendChild(el("a", { href: P.siteRoot() + q.url }, q.title));
        li.appendChild(document.createTextNode(" · " + q.topic + " · " + q.level + " · " + P.GRADES[it.grade] + (it.timedOut ? " · 超时" : "")));
        ul.appendChild(li);
      });
      box.appendChild(ul);
    } else {
      box.appendChild(el("p", {}, "全部答“会”。"));
    }
    return box;
  }

  function renderHistory() {
    var list = P.sessions().slice(-5).reverse();
    past.innerHTML = "";
    past.hidden = !list.length || mode !== "mock";
    if (!list.length) return;
    past.appendChild(el("h2", {}, "最近的模拟面试"));
    list.forEach(function (rec, i) {
      var d = new Date(rec.date), s = score(rec.items);
      var det = el("details", { class: "kb-mock-past" });
      if (i === 0) det.open = true;
      det.appendChild(el("summary", {}, d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0") + " " +
        String(d.getHours()).padStart(2, "0") + ":" + String(d.getMinutes()).padStart(2, "0") + " · " + rec.items.length + " 题 · 得分 " + s.pct + "%"));
      det.appendChild(summary(rec, true));
      past.appendChild(det);
    });
  }

  function setMode(m) {
    mode = m;
    stopTimer();
    [].forEach.call(root.querySelectorAll(".kb-quiz-mode"), function (b) { b.setAttribute("aria-pressed", String(b.dataset.mode === m)); });
    form.hidden = m !== "practice";
    setup.hidden = m !== "mock";
    unsay();
    if (m === "practice") { past.hidden = true; build(); return; }
    if (mock) { renderMock(); return; }
    card.innerHTML = "";
    state = "setup";
    card.appendChild(el("p", { class: "kb-mock-intro" }, "像真实面试一样：每题先口头作答（可以限时），再看速答并如实自评，最后看按主题和难度的小结。"));
    status.textContent = "模拟面试：选择主题和题数，然后开始。";
    renderHistory();
  }
  function chooseMode(b) {
    if (!all.length) { pending = b.dataset.mode; return; }  // applied once the questions are in (summaries need their titles)
    if (mock && b.dataset.mode === "practice" && !confirm("离开正在进行的模拟面试？（回到模拟面试可以继续）")) return;
    setMode(b.dataset.mode);
    var url = new URL(location.href);
    if (b.dataset.mode === "mock") url.searchParams.set("mode", "mock"); else url.searchParams.delete("mode");
    if (window.history.replaceState) window.history.replaceState(null, "", url);
  }

  function onKey(e) {
    if (e.target && /INPUT|SELECT|TEXTAREA/.test(e.target.tagName) && e.target.type !== "checkbox" && e.target.type !== "radio") return;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (document.activeElement && document.activeElement.closest && document.activeElement.closest(".md-search")) return;
    if (state !== "question" && state !== "answer") return;
    if (e.key === " ") { e.preventDefault(); show(); }
    else if (state === "answer" && (e.key === "1" || e.key === "2" || e.key === "3")) { gradeShown({ 1: 2, 2: 1, 3: 0 }[e.key]); }
    else if (mode === "practice" && e.key === "ArrowRight" && pos < queue.length) { pos += 1; render(); }
    else if (mode === "practice" && e.key === "ArrowLeft" && pos > 0) { pos -= 1; render(); }
  }

  function tagChanged() {
    var t = form.tag.value.trim();
    tagClear.hidden = !t;
    if (t && !tagCounts[t]) { form.tag.setCustomValidity("没有这个标签"); return; }
    form.tag.setCustomValidity("");
    reviewAll = false; build();
  }

  function resetProgress() {
    if (confirm("清空本站在这个浏览器中的全部练习进度？（其他网站的记录不受影响；可以先导出进度备份）")) {
      P.reset(); reviewAll = false;
      if (mode === "mock") renderHistory(); else build();
      say("进度已清空。");
    }
  }
  function exportProgress() {
    var blob = new Blob([JSON.stringify(P.exportData(), null, 1)], { type: "application/json" });
    var a = el("a", { href: URL.createObjectURL(blob), download: "llm-kb-progress.json" });
    document.body.appendChild(a); a.click(); a.remove();
  }
  /* A progress file chosen for import: read, checked, previewed, merged on 确认导入. */
  function importFile(input) {
    var file = input.files[0];
    if (!file) return;
    input.value = "";  // choosing the same file again fires change again
    file.text().then(function (text) {
      var parsed = P.parseImport(text);
      if (parsed.error) { say("没有导入：" + parsed.error, "error"); return; }
      var p = parsed.preview, changes = p.added.length + p.updated.length;
      var summaryText = "文件含 " + (changes + p.kept.length) + " 题的记录：新增 " + p.added.length + " 题，更新 " + p.updated.length +
        " 题（文件中的记录更新），保留本地 " + p.kept.length + " 题（本地记录更新或相同）。";
      if (!changes) { say(summaryText + "没有需要导入的内容。"); return; }
      say(summaryText, "preview", [
        ["确认导入", function () {
          var ok = P.applyImport(parsed);
          reviewAll = false;
          if (mode === "practice") build();
          say("已导入 " + changes + " 题的记录。" + (ok ? "" : "（浏览器没有保存：记录只在本页有效。）"));
        }, true],
        ["取消", unsay],
      ]);
    }).catch(function () { say("没有导入：无法读取这个文件（可能已被移动或删除），请重新选择。", "error"); });
  }

  var CLICKS = [
    [".kb-quiz-mode", chooseMode],
    [".kb-mock-start", startMock],
    [".kb-quiz-reveal", show],
    [".kb-quiz-grades .kb-grade", function (b) { gradeShown(Number(b.getAttribute("data-grade"))); }],
    ['[data-act="quit"]', function () { if (confirm("结束这次模拟面试？已答的题会计入小结。")) { mock.ids = mock.ids.slice(0, mock.pos); renderMock(); } }],
    ['[data-act="review-all"]', function () { reviewAll = true; build(); }],
    ['[data-act="mock-again"]', function () { setMode("mock"); }],
    [".kb-quiz-tagclear", function () { form.tag.value = ""; tagChanged(); form.tag.focus(); }],
    ['[data-act="reset"]', resetProgress],
    ['[data-act="export"]', exportProgress],
    [".kb-quiz-message [data-say]", function (b) { message.kbActions[Number(b.getAttribute("data-say"))][1](); }],
  ];

  /* questions.json: on failure the card says so, with a 重试 that asks again (no page reload). */
  function loadQuestions() {
    status.textContent = "正在载入题目…";
    card.innerHTML = "";
    state = "loading";
    P.questions().then(useQuestions, function () {
      status.textContent = "题目列表没有载入（网络或文件出错）。";
      state = "error";
      var box = kb.failure(card, "题目列表没有载入，请检查网络后重试；也可以直接阅读", loadQuestions);
      var p = box.querySelector("p");
      p.appendChild(el("a", { href: P.siteRoot() + "cheatsheet/" }, "速记表"));
      p.appendChild(document.createTextNode("。"));
    });
  }

  function useQuestions(qs) {
    all = qs;
    var topics = {};
    qs.forEach(function (q) { byId[q.id] = q; topics[q.topic_id] = q.topic; q.tags.forEach(function (t) { tagCounts[t] = (tagCounts[t] || 0) + 1; }); });
    var box = setup.querySelector(".kb-mock-topics");
    Object.keys(topics).forEach(function (id) {
      form.topic.appendChild(el("option", { value: id }, topics[id]));
      var l = el("label", { class: "kb-chip" });
      l.appendChild(el("input", { type: "checkbox", value: id }));
      l.appendChild(document.createTextNode(" " + topics[id]));
      box.appendChild(l);
    });
    var dl = root.querySelector("#kb-quiz-tags");
    Object.keys(tagCounts).sort(function (a, b) { return tagCounts[b] - tagCounts[a] || (a < b ? -1 : 1); }).forEach(function (t) {
      dl.appendChild(el("option", { value: t, label: tagCounts[t] + " 题" }));
    });
    if (params.get("topic")) form.topic.value = params.get("topic");
    if (params.get("tag") && tagCounts[params.get("tag")]) { form.tag.value = params.get("tag"); tagClear.hidden = false; }
    try { mock = JSON.parse(sget("mock") || "null"); } catch (e) { mock = null; }
    if (mock && !(Array.isArray(mock.ids) && mock.ids.every(function (id) { return byId[id]; }))) mock = null;
    if (mock || params.get("mode") === "mock" || pending === "mock") setMode("mock"); else setMode("practice");
  }

  function init() {
    root = document.getElementById("kb-quiz");
    if (!root || !P) return;
    chooseSeed();
    draw();
    root.addEventListener("click", function (e) { kb.dispatch(e, CLICKS); });
    root.addEventListener("change", function (e) {
      var t = e.target;
      if (t.matches(".kb-quiz-import input")) importFile(t);
      else if (t.form === form && t.name === "tag") tagChanged();
      else if (t.form === form) { reviewAll = false; build(); }
    });
    root.addEventListener("input", function (e) {
      if (e.target === form.tag) { if (!form.tag.value || tagCounts[form.tag.value.trim()]) tagChanged(); else tagClear.hidden = false; }
    });
    document.addEventListener("keydown", onKey);
    loadQuestions();
  }
  kb.ready(init);
})();
