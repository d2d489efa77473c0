"""Progress never lost, in Chromium: corrupted, full and blocked storage, two sites on one origin,
old data migrated, import validated with a preview, export versioned; the offline copy works from disk.

Uses Debian's Chromium at /usr/bin/chromium; outside CI a missing browser skips with the reason.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import pathlib
import tempfile
import threading

import pytest
from conftest import new_page
from playwright.sync_api import Page, expect

SHOTS = pathlib.Path(os.environ.get("KB_SHOTS", "/work/scratch/robust/shots"))
VIEWS = ["phone-light", "phone-dark", "desktop-light", "desktop-dark"]
QUOTA = """Storage.prototype.setItem = function () { throw new DOMException('full', 'QuotaExceededError'); };"""
BLOCKED = """Object.defineProperty(window, 'localStorage', { get: function () { throw new DOMException('blocked', 'SecurityError'); } });"""


@pytest.fixture(scope="module")
def two_sites(real_site: pathlib.Path):
    """The same site served at /a/ and /b/ of one origin, as two project sites of one GitHub user."""
    root = pathlib.Path(tempfile.mkdtemp())
    for name in ("a", "b"):
        (root / name).symlink_to(real_site.resolve())

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    yield base + "a/", base + "b/"
    server.shutdown()


def open_page(browser, view: str = "desktop-dark", init: str = ""):
    """(context, page) for a view such as "phone-light"; console errors count as page errors here."""
    size, scheme = view.split("-")
    return new_page(browser, size, scheme, init=init, console_as_errors=True, accept_downloads=True)


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def grade_first_card(page: Page) -> str:
    title = page.locator(".kb-quiz-title").inner_text()
    page.locator(".kb-quiz-reveal").click()
    page.locator(".kb-quiz-grades button", has_text="会").first.click()
    expect(page.locator(".kb-quiz-title")).not_to_have_text(title)  # the quiz advanced
    return title


@pytest.mark.parametrize("stored", ["42", '"x"', "[]", "not json {", '{"version": 2, "records": []}', "null"])
def test_corrupted_storage_never_freezes_the_quiz(browser, two_sites, stored: str) -> None:
    site, _ = two_sites
    context, page = open_page(browser)
    page.goto(site + "quiz/")
    page.evaluate("v => localStorage.setItem(kbProgress.KEY, v)", stored)
    page.reload()
    expect(page.locator(".kb-quiz-status")).to_contain_text("已掌握 0 题")
    grade_first_card(page)
    assert len(page.evaluate("kbProgress.load()")) == 1
    # what was there is kept aside, not thrown away
    assert page.evaluate("localStorage.getItem(kbProgress.KEY + ':set-aside')") == stored
    assert not page.errors, page.errors  # type: ignore[attr-defined]
    context.close()


def test_bad_records_are_set_aside_and_good_ones_kept(browser, two_sites) -> None:
    site, _ = two_sites
    context, page = open_page(browser)
    page.goto(site + "quiz/")
    qid = page.evaluate("kbProgress.questions().then(qs => qs[0].id)")
    today = page.evaluate("kbProgress.today()")
    good = {"grade": 2, "interval": 3, "due": today + 3, "reviews": 1, "last": today}
    doc = {"version": 2, "records": {qid: good, "attention-bogus": {"grade": "x"}, "<b>": good, "demo-nodue": {"grade": 1, "interval": 1, "last": today}}}
    page.evaluate("d => localStorage.setItem(kbProgress.KEY, JSON.stringify(d))", doc)
    page.reload()
    expect(page.locator(".kb-quiz-status")).to_contain_text("已掌握 1 题")
    assert page.evaluate("kbProgress.load()") == {qid: good}
    grade_first_card(page)
    stored = page.evaluate("JSON.parse(localStorage.getItem(kbProgress.KEY))")
    assert stored["records"][qid] == good and set(stored["setAside"]) == {"attention-bogus", "<b>", "demo-nodue"}
    assert not page.errors, page.errors  # type: ignore[attr-defined]
    context.close()


@pytest.mark.parametrize("view", list(VIEWS))
@pytest.mark.parametrize("kind,init", [("full", QUOTA), ("blocked", BLOCKED)])
def test_failing_storage_shows_a_notice_and_keeps_working(browser, two_sites, view: str, kind: str, init: str) -> None:
    site, _ = two_sites
    context, page = open_page(browser, view, init)
    page.goto(site + "quiz/")
    expect(page.locator(".kb-quiz-status")).to_contain_text("已掌握 0 题")
    grade_first_card(page)
    notice = page.locator(".kb-progress-notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("关闭页面后会丢失")
    expect(page.locator(".kb-quiz-status")).to_contain_text("已掌握 1 题")  # kept in memory
    grade_first_card(page)
    assert len(page.evaluate("kbProgress.load()")) == 2
    shot(page, f"notice-{kind}-{view}")
    page.locator(".kb-progress-notice button").click()
    expect(notice).to_be_hidden()
    # (with storage blocked, the theme's own inline script logs one error per palette read; none comes from ours)
    ours = [e for e in page.errors if "javascripts/" in e or kind == "full"]  # type: ignore[attr-defined]
    assert not ours, ours
    context.close()


def test_two_sites_on_one_origin_keep_apart(browser, two_sites) -> None:
    a, b = two_sites
    context, page = open_page(browser)
    page.goto(a + "quiz/")
    grade_first_card(page)
    page.goto(b + "quiz/")
    expect(page.locator(".kb-quiz-status")).to_contain_text("已掌握 0 题")
    grade_first_card(page)
    page.once("dialog", lambda d: d.accept())
    page.locator('[data-act="reset"]').click()
    expect(page.locator(".kb-quiz-status")).to_contain_text("已掌握 0 题")
    page.goto(a + "quiz/")
    expect(page.locator(".kb-quiz-status")).to_contain_text("已掌握 1 题")  # reset on b left a alone
    context.close()


def test_reset_asks_first(browser, two_sites) -> None:
    site, _ = two_sites
    context, page = open_page(browser)
    page.goto(site + "quiz/")
    grade_first_card(page)
    page.once("dialog", lambda d: d.dismiss())
    page.locator('[data-act="reset"]').click()
    expect(page.locator(".kb-quiz-status")).to_contain_text("已掌握 1 题")
    context.close()


def test_old_progress_is_migrated_once(browser, two_sites) -> None:
    site, _ = two_sites
    context, page = open_page(browser)
    page.goto(site + "quiz/")
    qid = page.evaluate("kbProgress.questions().then(qs => qs[1].id)")
    today = page.evaluate("kbProgress.today()")
    old = {qid: {"grade": 2, "interval": 3, "due": today + 3, "reviews": 2, "last": today - 1}}
    page.evaluate("d => { localStorage.clear(); localStorage.setItem('kb-progress-v1', JSON.stringify(d)); }", old)
    page.reload()
    expect(page.locator(".kb-quiz-status")).to_contain_text("已掌握 1 题")
    assert page.evaluate("kbProgress.load()") == old
    assert json.loads(page.evaluate("localStorage.getItem('kb-progress-v1')")) == old  # left for other sites
    page.once("dialog", lambda d: d.accept())
    page.locator('[data-act="reset"]').click()
    page.reload()
    expect(page.locator(".kb-quiz-status")).to_contain_text("已掌握 0 题")  # a reset is not undone by migrating again
    context.close()


BAD_FILES = {
    "array": ("[1, 2]", "列表"),
    "string": ('"hello"', "字符串"),
    "html": ("<!doctype html><html><script>alert(1)</script></html>", "网页"),
    "future-version": ('{"format": "llm-kb-progress", "version": 99, "records": {}}', "更新版本"),
    "no-due": ('{"version": 2, "records": {"attention-x-y": {"grade": 2, "interval": 3, "reviews": 1, "last": 1}}}', "缺少 due"),
    "html-key": ('{"<img src=x onerror=alert(1)>": {"grade": 2, "interval": 3, "due": 1, "reviews": 1, "last": 1}}', "不是题目 ID"),
    "future-last": ('{"version": 2, "records": {"attention-x-y": {"grade": 2, "interval": 3, "due": 1, "reviews": 1, "last": 99999999}}}', "last 在未来"),
    "not-json": ("grade,due\n2,3", "不是 JSON"),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_import_rejects_bad_files_with_a_message(browser, two_sites, tmp_path: pathlib.Path, name: str) -> None:
    site, _ = two_sites
    text, words = BAD_FILES[name]
    context, page = open_page(browser, "phone-light")
    page.goto(site + "quiz/")
    grade_first_card(page)
    before = page.evaluate("localStorage.getItem(kbProgress.KEY)")
    path = tmp_path / f"{name}.json"
    path.write_text(text, encoding="utf-8")
    page.locator(".kb-quiz-import input").set_input_files(str(path))
    message = page.locator(".kb-quiz-message")
    expect(message).to_be_visible()
    expect(message).to_contain_text("没有导入")
    expect(message).to_contain_text(words)
    assert page.evaluate("localStorage.getItem(kbProgress.KEY)") == before
    assert page.locator(".kb-quiz-message img, .kb-quiz-message script").count() == 0
    if name == "html":
        shot(page, "import-rejected-phone-light")
    assert not page.errors, page.errors  # type: ignore[attr-defined]
    context.close()


@pytest.mark.parametrize("view", list(VIEWS))
def test_import_previews_and_merges_by_newer_last(browser, two_sites, tmp_path: pathlib.Path, view: str) -> None:
    site, _ = two_sites
    context, page = open_page(browser, view)
    page.goto(site + "quiz/")
    ids = page.evaluate("kbProgress.questions().then(qs => qs.slice(0, 3).map(q => q.id))")
    t = page.evaluate("kbProgress.today()")
    local = {ids[0]: {"grade": 2, "interval": 3, "due": t + 3, "reviews": 1, "last": t},
             ids[1]: {"grade": 0, "interval": 0, "due": t - 5, "reviews": 1, "last": t - 5}}
    page.evaluate("d => kbProgress.save(d)", local)
    page.reload()
    incoming = {ids[0]: {"grade": 0, "interval": 0, "due": t - 9, "reviews": 1, "last": t - 9},  # older: kept local
                ids[1]: {"grade": 2, "interval": 6, "due": t + 6, "reviews": 2, "last": t - 1},  # newer: updated
                ids[2]: {"grade": 1, "interval": 1, "due": t + 1, "reviews": 1, "last": t - 2}}  # new
    path = tmp_path / "progress.json"
    path.write_text(json.dumps({"format": "llm-kb-progress", "version": 2, "records": incoming}), encoding="utf-8")
    page.locator(".kb-quiz-import input").set_input_files(str(path))
    message = page.locator(".kb-quiz-message")
    expect(message).to_contain_text("新增 1 题，更新 1 题")
    expect(message).to_contain_text("保留本地 1 题")
    assert page.evaluate("kbProgress.load()") == local  # nothing changes before confirming
    shot(page, f"import-preview-{view}")
    message.locator("button", has_text="确认导入").click()
    expect(message).to_contain_text("已导入 2 题")
    assert page.evaluate("kbProgress.load()") == {ids[0]: local[ids[0]], ids[1]: incoming[ids[1]], ids[2]: incoming[ids[2]]}
    context.close()


def test_export_is_versioned_and_imports_back(browser, two_sites, tmp_path: pathlib.Path) -> None:
    site, _ = two_sites
    context, page = open_page(browser)
    page.goto(site + "quiz/")
    grade_first_card(page)
    with page.expect_download() as info:
        page.locator('[data-act="export"]').click()
    path = tmp_path / "export.json"
    info.value.save_as(str(path))
    data = json.loads(path.read_text("utf-8"))
    assert data["version"] == 2 and data["format"] == "llm-kb-progress" and len(data["records"]) == 1
    page.once("dialog", lambda d: d.accept())
    page.locator('[data-act="reset"]').click()
    page.locator(".kb-quiz-import input").set_input_files(str(path))
    page.locator(".kb-quiz-message button", has_text="确认导入").click()
    expect(page.locator(".kb-quiz-status")).to_contain_text("已掌握 1 题")
    context.close()


def test_quiz_says_so_when_questions_fail_to_load(browser, two_sites) -> None:
    site, _ = two_sites
    context, page = open_page(browser)
    page.route("**/questions.json", lambda route: route.fulfill(status=500, body="down"))
    page.goto(site + "quiz/")
    expect(page.locator(".kb-quiz-status")).to_contain_text("题目列表没有载入")
    expect(page.locator(".kb-quiz-card button", has_text="重试")).to_be_visible()
    context.close()


def test_malformed_hash_does_not_throw(browser, two_sites) -> None:
    site, _ = two_sites
    context, page = open_page(browser)
    page.goto(site + "attention/#%E0%A4%A")
    page.locator(".kb-expand-all").click()  # the page's script still runs
    expect(page.locator("details.kb-answer[open]").first).to_be_visible()
    assert not page.errors, page.errors  # type: ignore[attr-defined]
    context.close()


@pytest.mark.parametrize("view", list(VIEWS))
def test_offline_copy_calculator_and_404_work_from_disk(browser, offline_site: pathlib.Path, view: str) -> None:
    context, page = open_page(browser, view)
    page.goto((offline_site / "calculator.html").as_uri())
    options = page.locator('#kb-calc select[name="preset"] option')
    expect(options.first).to_be_attached()
    assert options.count() >= 5
    expect(page.locator('#kb-calc input[name="d_model"]')).to_have_value("4096")  # llama2-7b applied
    expect(page.locator("#kb-calc tbody")).to_contain_text("GB")
    shot(page, f"offline-calculator-{view}")
    page.goto((offline_site / "quiz.html").as_uri())  # questions come from questions.js, progress still saves
    expect(page.locator(".kb-quiz-status")).to_contain_text("已掌握 0 题")
    grade_first_card(page)
    expect(page.locator(".kb-progress-notice")).to_have_count(0)
    page.goto((offline_site / "attention.html").as_uri())  # a page with formulas (no font preload error)
    page.locator(".kb-expand-all").click()
    page.goto((offline_site / "404.html").as_uri())
    home = page.locator(".md-content a", has_text="首页")
    expect(home).to_have_attribute("href", "./index.html")
    for href in page.eval_on_selector_all("link[rel=stylesheet], script[src]", "els => els.map(e => e.href || e.src)"):
        assert href.startswith("file://") and pathlib.Path(href.removeprefix("file://").split("?")[0]).exists(), href
    home.click()
    expect(page).to_have_url((offline_site / "index.html").as_uri())
    assert not page.errors, page.errors  # type: ignore[attr-defined]
    context.close()
