/* Study progress, kept in this browser (localStorage), shared by the quiz and the topic pages.

   Each question has a record {grade, interval, due, reviews, last}: grade 2 = 会, 1 = 模糊,
   0 = 不会; days are counted from 1970-01-01. The schedule (a simple spaced repetition):
   - 不会: due again today (the quiz brings it back a few cards later), interval reset to 0;
   - 模糊: due tomorrow, interval 1 day;
   - 会: interval doubles (first 3 days: 3, 6, 12, ... at most 90), due after that interval.
   "Mastered" means the last grade was 会.

   Storage: one key per site, "kb-progress-v2:" + the path of the site's root, so that two
   project sites on one origin (user.github.io/a/, user.github.io/b/) keep apart. The value is
   {version: 2, records: {id: record}, setAside: {id: value}}. Reads never throw: a value that
   is not a valid record is set aside (kept, not used); a value that is not JSON at all is copied
   to "<key>:set-aside" before the key is reused. When a write fails (storage full, blocked,
   private mode) the session keeps working in memory and a notice says so. The records of the
   old unscoped key "kb-progress-v1" are copied on first load (the old key is left alone).

   Public API (window.kbProgress; other scripts rely on these names, add new ones, never rename):
   KEY, GRADES, VERSION, load(), save(data), grade(id, g), today(), siteRoot(), questions(),
   mastery(list, data), reset(), exportData(), parseImport(text, data), applyImport(parsed),
   validRecord(rec), scopedKey(name), readJSON(key), writeJSON(key, value), storageOk(),
   SESSIONS_KEY, sessions(), saveSession(s), validSession(s).

   Mock interviews (模拟面试) are kept under their own key, SESSIONS_KEY = "kb-sessions-v1:" +
   the site's root path, as {version: 1, sessions: [session], setAside: [value]}, newest last,
   at most 50. A session is {date: ms since 1970, length, timer: seconds per question (0: none),
   items: [{id, topic, level, grade 0/1/2, timedOut?}]}; invalid entries are set aside on read. */
(function () {
  "use strict";
  var VERSION = 2;
  var LEGACY_KEY = "kb-progress-v1";
  var GRADES = {};  // value -> label, from docs/assets/data/labels.yml (overrides/partials/kb-labels.html)
  JSON.parse(document.getElementById("kb-labels").textContent).grades.forEach(function (g) { GRADES[g.value] = g.label; });
  var ID_RE = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)+$/;
  var DAY = 86400000;

  function today() { return Math.floor(Date.now() / DAY); }

  function siteRoot() {
    var base = ".";
    try {
      var el = document.getElementById("__config");
      if (el) base = JSON.parse(el.textContent).base || ".";
    } catch (e) { /* keep "." */ }
    return new URL(base.replace(/\/?$/, "/"), location.href).href;
  }

  var scope = new URL(siteRoot()).pathname;
  function scopedKey(name) { return "kb-" + name + ":" + scope; }
  var KEY = "kb-progress-v2:" + scope;

  /* ---- storage that never throws ---- */
  var memory = {};  // key -> string, used when the browser refuses to store
  var failed = false;

  function store() {
    try { return window.localStorage || null; } catch (e) { return null; }
  }
  function getRaw(key) {
    if (Object.prototype.hasOwnProperty.call(memory, key)) return memory[key];
    var s = store();
    try { return s ? s.getItem(key) : null; } catch (e) { return null; }
  }
  function setRaw(key, value) {
    var s = store();
    try {
      if (!s) throw new Error("no storage");
      s.setItem(key, value);
      delete memory[key];
      return true;
    } catch (e) {
      memory[key] = value;
      if (!failed) { failed = true; notice(); }
      return false;
    }
  }
  function readJSON(key) {
    var raw = getRaw(key);
    if (raw === null || raw === undefined) return undefined;
    try { return JSON.parse(raw); } catch (e) { return { __unreadable: raw }; }
  }
  function writeJSON(key, value) { return setRaw(key, JSON.stringify(value)); }
  function storageOk() { return !failed; }

  function notice() {
    var show = function () {
      if (document.querySelector(".kb-progress-notice")) return;
      var box = document.createElement("div");
      box.className = "kb-progress-notice";
      box.setAttribute("role", "alert");
      box.textContent = "浏览器没有保存练习进度（存储已满、被禁用或处于隐私模式）。本页的记录暂存在内存中，关闭页面后会丢失；可以在练习页导出进度。";
      var close = document.createElement("button");
      close.type = "button";
      close.textContent = "知道了";
      close.addEventListener("click", function () { box.remove(); });
      box.appendChild(close);
      document.body.appendChild(box);
    };
    if (document.body) show(); else document.addEventListener("DOMContentLoaded", show);
  }

  /* ---- records ---- */
  function isNum(x) { return typeof x === "number" && isFinite(x); }
  function validRecord(rec) {
    if (!rec || typeof rec !== "object" || Array.isArray(rec)) return "不是一条记录";
    if (rec.grade !== 0 && rec.grade !== 1 && rec.grade !== 2) return "grade 应为 0、1 或 2";
    if (!isNum(rec.due)) return "缺少 due（下次复习日）";
    if (!isNum(rec.interval) || rec.interval < 0) return "缺少 interval";
    if (!isNum(rec.last)) return "缺少 last（上次练习日）";
    if (rec.last > today() + 1) return "last 在未来";
    if (rec.reviews !== undefined && !(isNum(rec.reviews) && rec.reviews >= 0)) return "reviews 不是次数";
    return "";
  }
  function clean(rec) {
    return { grade: rec.grade, interval: rec.interval, due: rec.due, reviews: rec.reviews || 0, last: rec.last };
  }
  /* {records, setAside} from any value: bad entries are moved aside, good ones kept. */
  function sort(obj, into) {
    Object.keys(obj).forEach(function (id) {
      if (ID_RE.test(id) && !validRecord(obj[id])) into.records[id] = clean(obj[id]);
      else into.setAside[id] = obj[id];
    });
    return into;
  }

  function readDoc() {
    var v = readJSON(KEY), doc = { version: VERSION, records: {}, setAside: {} };
    if (v === undefined) {
      var legacy = readJSON(LEGACY_KEY);  // first visit since scoping: copy this browser's old records
      if (legacy && typeof legacy === "object" && !Array.isArray(legacy) && !legacy.__unreadable) {
        sort(legacy, doc);
        doc.setAside = {};
        doc.migrated = LEGACY_KEY;
        writeJSON(KEY, doc);
      }
      return doc;
    }
    if (!v || typeof v !== "object" || Array.isArray(v) || v.__unreadable !== undefined || typeof v.records !== "object" || !v.records || Array.isArray(v.records)) {
      setRaw(KEY + ":set-aside", getRaw(KEY));  // keep what was there; start again
      writeJSON(KEY, doc);
      return doc;
    }
    if (isNum(v.version) && v.version > VERSION) doc.future = v.version;
    sort(v.records, doc);
    if (v.setAside && typeof v.setAside === "object") {
      Object.keys(v.setAside).forEach(function (id) { if (!(id in doc.setAside)) doc.setAside[id] = v.setAside[id]; });
    }
    return doc;
  }

  function load() { return readDoc().records; }

  function save(data) {
    var doc = readDoc();
    var next = { version: VERSION, records: {}, setAside: doc.setAside };
    sort(data && typeof data === "object" ? data : {}, next);
    if (doc.future) {  // written by a newer version of the site: never overwrite it, work in memory
      memory[KEY] = JSON.stringify(next);
      if (!failed) { failed = true; notice(); }
      return false;
    }
    return writeJSON(KEY, next);
  }

  function changed(detail) {
    document.dispatchEvent(new CustomEvent("kb:progress", { detail: detail || {} }));
  }

  function grade(id, g) {
    g = Number(g);
    if (g !== 0 && g !== 1 && g !== 2) throw new Error("grade must be 0, 1 or 2");
    var data = load();
    var rec = data[id] || { interval: 0, reviews: 0 };
    var interval = g === 2 ? Math.min(90, rec.grade === 2 && rec.interval ? rec.interval * 2 : 3) : g === 1 ? 1 : 0;
    data[id] = { grade: g, interval: interval, due: today() + interval, reviews: (rec.reviews || 0) + 1, last: today() };
    save(data);
    changed({ id: id, grade: g });
    return data[id];
  }

  function reset() {  // this site's records only; the old shared key and other sites stay untouched
    writeJSON(KEY, { version: VERSION, records: {}, setAside: {} });
    if (getRaw(SESSIONS_KEY) !== null) writeJSON(SESSIONS_KEY, { version: SESSIONS_VERSION, sessions: [], setAside: [] });
    changed({});
  }

  /* ---- export / import ---- */
  function exportData() {
    return { format: "llm-kb-progress", version: VERSION, site: siteRoot(), exported: new Date().toISOString(), records: load() };
  }

  /* Validate an imported file against the format; returns {error} or {records, preview}. */
  function parseImport(text, current) {
    var t = String(text || "").replace(/^\uFEFF/, "").trim();
    if (!t) return { error: "文件是空的。" };
    if (t.charAt(0) === "<") return { error: "这是一个网页（HTML）文件，不是进度文件：请选择在练习页“导出进度”得到的 .json 文件。" };
    var v;
    try { v = JSON.parse(t); } catch (e) { return { error: "文件不是 JSON：请选择在练习页“导出进度”得到的 .json 文件。" }; }
    if (Array.isArray(v)) return { error: "文件里是一个列表，不是进度：进度文件是一个以题目 ID 为键的对象。" };
    if (!v || typeof v !== "object") return { error: "文件里只有一个" + (typeof v === "string" ? "字符串" : "值") + "，不是进度文件。" };
    var records;
    if ("records" in v || "version" in v || "format" in v) {
      if (!isNum(v.version)) return { error: "进度文件缺少版本号（version）。" };
      if (v.version > VERSION) return { error: "这个文件由更新版本的本站导出（版本 " + v.version + "），当前页面只认识版本 " + VERSION + "：请刷新页面后再导入。" };
      records = v.records;
      if (!records || typeof records !== "object" || Array.isArray(records)) return { error: "进度文件的 records 不是以题目 ID 为键的对象。" };
    } else {
      records = v;  // an export of version 1: the records themselves
    }
    var ids = Object.keys(records), out = {};
    for (var i = 0; i < ids.length; i++) {
      var id = ids[i];
      if (!ID_RE.test(id)) return { error: "“" + id.slice(0, 40) + "”不是题目 ID：文件被修改过或不是本站的进度。" };
      var why = validRecord(records[id]);
      if (why) return { error: "题目 " + id + " 的记录无效：" + why + "。" };
      out[id] = clean(records[id]);
    }
    var data = current || load(), preview = { added: [], updated: [], kept: [] };
    ids.forEach(function (id) {
      if (!data[id]) preview.added.push(id);
      else if (out[id].last > data[id].last) preview.updated.push(id);
      else preview.kept.push(id);
    });
    return { records: out, preview: preview };
  }

  /* Merge per question: the record with the later `last` wins (the local one on a tie). */
  function applyImport(parsed) {
    var data = load();
    parsed.preview.added.concat(parsed.preview.updated).forEach(function (id) { data[id] = parsed.records[id]; });
    var ok = save(data);
    changed({});
    return ok;
  }

  /* ---- questions.json ---- */
  var questionsPromise = null;
  function questions() {
    if (!questionsPromise) {
      questionsPromise = location.protocol === "file:" ? new Promise(function (resolve, reject) {
        if (window.__kbQuestions) { resolve(window.__kbQuestions); return; }
        var tag = document.createElement("script");  // the offline copy cannot fetch JSON
        tag.src = siteRoot() + "questions.js";
        tag.onload = function () { window.__kbQuestions ? resolve(window.__kbQuestions) : reject(new Error("questions.js is empty")); };
        tag.onerror = function () { reject(new Error("questions.js did not load")); };
        document.head.appendChild(tag);
      }) : fetch(siteRoot() + "questions.json").then(function (r) {
        if (!r.ok) throw new Error("questions.json: HTTP " + r.status);
        return r.json();
      }).then(function (qs) {
        if (!Array.isArray(qs)) throw new Error("questions.json is not a list");
        return qs;
      });
      questionsPromise.catch(function () { questionsPromise = null; });  // a later call may retry
    }
    return questionsPromise;
  }

  function mastery(list, data) {
    var done = list.filter(function (q) { return data[q.id] && data[q.id].grade === 2; }).length;
    return { done: done, total: list.length };
  }

  /* ---- mock interview sessions ---- */
  var SESSIONS_VERSION = 1, SESSIONS_MAX = 50;
  var SESSIONS_KEY = "kb-sessions-v" + SESSIONS_VERSION + ":" + scope;
  function validSession(s) {
    if (!s || typeof s !== "object" || Array.isArray(s)) return "不是一次模拟面试";
    if (!isNum(s.date)) return "缺少 date";
    if (!isNum(s.timer) || s.timer < 0) return "timer 不是秒数";
    if (!Array.isArray(s.items) || !s.items.length) return "没有题目";
    for (var i = 0; i < s.items.length; i++) {
      var it = s.items[i];
      if (!it || !ID_RE.test(it.id) || (it.grade !== 0 && it.grade !== 1 && it.grade !== 2)) return "第 " + (i + 1) + " 题的记录无效";
      if (typeof it.topic !== "string" || typeof it.level !== "string") return "第 " + (i + 1) + " 题缺少主题或难度";
    }
    return "";
  }
  function readSessions() {
    var v = readJSON(SESSIONS_KEY), doc = { version: SESSIONS_VERSION, sessions: [], setAside: [] };
    if (v === undefined) return doc;
    if (!v || typeof v !== "object" || Array.isArray(v) || v.__unreadable !== undefined || !Array.isArray(v.sessions)) {
      setRaw(SESSIONS_KEY + ":set-aside", getRaw(SESSIONS_KEY));
      writeJSON(SESSIONS_KEY, doc);
      return doc;
    }
    if (isNum(v.version) && v.version > SESSIONS_VERSION) doc.future = v.version;
    v.sessions.forEach(function (s) { (validSession(s) ? doc.setAside : doc.sessions).push(s); });
    if (Array.isArray(v.setAside)) doc.setAside = v.setAside.concat(doc.setAside);
    return doc;
  }
  function sessions() { return readSessions().sessions; }
  function saveSession(s) {
    var why = validSession(s);
    if (why) throw new Error("invalid session: " + why);
    var doc = readSessions();
    var item = {
      date: s.date, length: s.items.length, timer: s.timer,
      items: s.items.map(function (it) {
        var o = { id: it.id, topic: it.topic, level: it.level, grade: it.grade };
        if (it.timedOut) o.timedOut = true;
        return o;
      }),
    };
    var next = { version: SESSIONS_VERSION, sessions: doc.sessions.concat([item]).slice(-SESSIONS_MAX), setAside: doc.setAside.slice(-SESSIONS_MAX) };
    if (doc.future) { memory[SESSIONS_KEY] = JSON.stringify(next); return false; }
    var ok = writeJSON(SESSIONS_KEY, next);
    changed({ session: item });
    return ok;
  }

  window.kbProgress = {
    SESSIONS_KEY: SESSIONS_KEY, sessions: sessions, saveSession: saveSession, validSession: validSession,
    KEY: KEY, LEGACY_KEY: LEGACY_KEY, VERSION: VERSION, GRADES: GRADES,
    load: load, save: save, grade: grade, today: today, siteRoot: siteRoot, questions: questions,
    mastery: mastery, reset: reset, exportData: exportData, parseImport: parseImport,
    applyImport: applyImport, validRecord: validRecord, scopedKey: scopedKey,
    readJSON: readJSON, writeJSON: writeJSON, storageOk: storageOk,
  };
})();
