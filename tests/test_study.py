"""Ways in and ways to narrow: study paths and progress on the home page, tag pages, filters on
topic pages, the cheat sheet and the glossary, the PDF editions, the home page's weight.

Browser tests run at phone and desktop sizes in Debian's Chromium (/usr/bin/chromium); outside
CI a missing browser skips them with the reason, in CI it fails them.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import pathlib
import re
import subprocess
import sys
import unicodedata
import urllib.parse

import macros
import pytest
from conftest import ROOT, VIEWPORTS, new_page, serve_under_sub_path
from playwright.sync_api import Page, expect

import kb.registry
from kb import freshness, tags

BUDGET = 120 * 1024  # bytes on the wire for the home page before any search


@pytest.fixture(scope="module")
def questions(real_site: pathlib.Path) -> list[dict]:
    return json.loads((real_site / "questions.json").read_text("utf-8"))


@pytest.fixture(params=list(VIEWPORTS))
def page(request, browser, served_site: str):
    context, pg = new_page(browser, request.param)
    yield pg
    assert pg.errors == []
    context.close()


def grade(page: Page, qid: str, g: int = 2) -> None:
    """Mark a question through the progress store's own API, as the 会 button does."""
    page.evaluate("([id, g]) => window.kbProgress.grade(id, g)", [qid, g])


def visible_questions(page: Page) -> list[str]:
    return page.eval_on_selector_all(".kb-q", "els => els.filter(e => e.offsetParent !== null).map(e => e.id)")


# ---- Home page ---------------------------------------------------------------------------------

def path_card(page: Page, title: str):
    return page.locator(f'xpath=//div[contains(@class,"kb-path ") or @class="kb-path"]'
                        f'[p[contains(@class,"kb-path-head")]/span[@class="kb-path-title" and text()="{title}"]]')


def progress_of(scope):
    return scope.locator('xpath=./p[contains(@class,"kb-path-head")]/span[contains(@class,"kb-path-progress")]')


@pytest.mark.parametrize("title", ["推理与部署", "面试前一天：高频 50 题"])
def test_study_paths_render_and_track_progress(page: Page, served_site: str, title: str) -> None:
    page.goto(served_site)
    table = page.locator(".kb-topics table").bounding_box()
    assert table and table["x"] + table["width"] <= page.viewport_size["width"]  # no column cut off on a phone
    card = path_card(page, title)
    ids = card.get_attribute("data-ids").split()
    assert len(ids) >= 20 if "50" not in title else len(ids) == 50
    expect(progress_of(card)).to_have_text(f"已掌握 0 / {len(ids)}")
    nxt = card.locator(".kb-path-next")
    expect(nxt).to_have_attribute("href", re.compile(f"#{ids[0]}$"))
    grade(page, ids[0])
    page.reload()
    expect(progress_of(card)).to_have_text(f"已掌握 1 / {len(ids)}")
    expect(nxt).to_have_text("继续：第 2 题")
    expect(nxt).to_have_attribute("href", re.compile(f"/#{ids[1]}$"))
    # the topic of that question counts it as mastered in the topic table
    expect(page.locator(f'.kb-topic-mastery[data-ids~="{ids[0]}"]')).to_have_text(re.compile(r"^1 / \d+$"))
    # the full list, on the 学习路径 page, shows the same progress and marks the question
    card.locator(".kb-path-all").click()
    page.wait_for_url(re.compile(r"/paths/#path-"))
    anchor = urllib.parse.urlsplit(page.url).fragment
    full = page.locator(f"#{anchor} + .kb-path")
    expect(progress_of(full)).to_have_text(f"已掌握 1 / {len(ids)}")
    items = full.locator("ol > li")
    assert items.count() == len(ids)
    expect(items.first).to_have_class(re.compile("kb-done"))
    full.locator(".kb-path-next").first.click()
    page.wait_for_url(re.compile(f"#{ids[1]}$"))
    expect(page.locator(f"#{ids[1]} ~ details.kb-answer").first).to_have_attribute("open", "")


def test_paths_come_from_metadata_and_the_curated_order(real_site: pathlib.Path, questions: list[dict]) -> None:
    text = (real_site / "paths" / "index.html").read_text("utf-8")
    hot = {q["id"] for q in questions if q["hot"]}
    sections = re.split(r"<h2 ", text)
    week = next(s for s in sections if s.startswith('id="path-time-2"'))
    week_ids = re.findall(r'<li><a href="[^"#]*#([a-z0-9-]+)"', week)
    assert sorted(week_ids) == sorted(hot)  # the week plan holds every 高频 question once
    assert len(re.findall(r'kb-path-title">第 \d 天', week)) == 7
    infer = next(s for s in sections if ">推理与部署<" in s[:200])
    first = re.findall(r'<li><a href="[^"#]*#([a-z0-9-]+)"', infer)[:3]
    assert first == ["inference-kv-cache-why", "inference-kv-cache-size", "attention-mha-mqa-gqa"]
    home = (real_site / "index.html").read_text("utf-8")
    assert re.search(r'data-ids="inference-kv-cache-why inference-kv-cache-size attention-mha-mqa-gqa ', home)


def test_unknown_id_in_the_paths_file_fails_with_file_and_line(site) -> None:
    pages = {
        "index.md": "# 首页\n\n{{ study_path_list() }}\n",
        "demo.md": "# 演示\n\n### 问？\n> id: demo-q | level: 基础 | 高频 | tags: a\n\n/// answer\n**速答**：x\n///\n",
        "assets/data/paths.yml": "role:\n  - title: 路径\n    first:\n      - demo-q\n      - demo-missing\n",
    }
    result, _ = site(pages, nav=["index.md", "demo.md"])
    assert result.returncode != 0
    assert "paths.yml:5" in result.stderr and "demo-missing" in result.stderr


def test_home_page_stays_within_budget_and_skips_questions_json(browser, real_site: pathlib.Path) -> None:
    server, base = serve_under_sub_path(real_site, gzip_text=True)
    try:
        context = browser.new_context(viewport={"width": 390, "height": 844})
        pg = context.new_page()
        responses = []
        pg.on("requestfinished", lambda r: responses.append(r))
        pg.goto(base)
        pg.wait_for_load_state("networkidle")
        expect(pg.locator(".kb-topic-mastery").first).to_have_text(re.compile(r"^0 / \d+$"))
        # the search index and its worker load when the reader searches (the search helper's part)
        counted = [r for r in responses if "/search/" not in r.url]
        sizes = {r.url: r.sizes()["responseBodySize"] for r in counted}
        total = sum(sizes.values())
        html_gz = sizes[base]
        context.close()
    finally:
        server.shutdown()
    assert not [u for u in sizes if u.endswith("questions.json")], "the home page downloaded questions.json"
    assert html_gz < (real_site / "index.html").stat().st_size / 3, "the home page was not served gzipped"
    assert total <= BUDGET, f"home page {total / 1024:.1f} KiB: " + ", ".join(f"{u.rsplit('/', 1)[-1]} {s}" for u, s in sizes.items())


def test_recent_lists_questions_by_the_time_they_changed(tmp_path: pathlib.Path) -> None:
    """Two commits on different days: the question changed last comes first, with its own date."""
    docs = tmp_path / "docs"
    docs.mkdir()
    page = docs / "demo.md"
    q = "### {t}？\n> id: demo-{i} | level: 基础 | tags: a\n\n/// answer\n**速答**：{a}\n///\n"
    page.write_text("# 演示\n\n" + q.format(t="一", i="one", a="x") + "\n" + q.format(t="二", i="two", a="y"), "utf-8")

    def commit(when: str) -> None:
        env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when,
               "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@e", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@e"}
        subprocess.run(["git", "add", "."], cwd=tmp_path, check=True)
        subprocess.run(["git", "commit", "-qm", "c"], cwd=tmp_path, check=True, env=env)

    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    commit("2026-01-05T10:00:00Z")
    page.write_text(page.read_text("utf-8").replace("**速答**：x", "**速答**：x 改过"), "utf-8")
    commit("2026-02-09T10:00:00Z")
    freshness.line_times.cache_clear()
    registry = kb.registry.check_docs(str(docs))
    times = freshness.question_times(str(docs), registry)
    assert times["demo-one"].date() == dt.date(2026, 2, 9)
    assert times["demo-two"].date() == dt.date(2026, 1, 5)
    kb.registry.current = registry
    try:
        table = macros.recent_list("index.md", str(docs), 5)
    finally:
        kb.registry.current = None
    rows = [line for line in table.splitlines() if line.startswith("| 2026")]
    assert rows[0].startswith("| 2026-02-09 | [一") and rows[1].startswith("| 2026-01-05 | [二")
    # a shallow clone cannot date what its cut commit holds: no made-up dates, a plain note
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{tmp_path}", str(clone)], check=True)
    freshness.line_times.cache_clear()
    shallow = kb.registry.check_docs(str(clone / "docs"))
    assert set(freshness.question_times(str(clone / "docs"), shallow).values()) == {None}
    kb.registry.current = shallow
    try:
        note = macros.recent_list("index.md", str(clone / "docs"), 5)
    finally:
        kb.registry.current = None
    assert "浅克隆" in note and "2026" not in note


def test_shallow_history_lines_have_no_date() -> None:
    porcelain = (
        "aaa 1 1 1\nauthor a\ncommitter-time 1767607200\nboundary\nfilename x\n\told line\n"
        "bbb 2 2 1\nauthor b\ncommitter-time 1770631200\nfilename x\n\tnew line\n"
    )
    times = freshness.parse_blame(porcelain)
    assert times[0] is None and times[1] is not None and times[1].date() == dt.date(2026, 2, 9)


def test_pdf_link_appears_only_when_the_file_exists(tmp_path: pathlib.Path, registry) -> None:
    kb.registry.current = registry
    try:
        assert "kb-pdf-missing" in macros.pdf_links("index.md", str(tmp_path))
        (tmp_path / "pdf").mkdir()
        (tmp_path / "pdf" / "llm-interview-kb.pdf").write_bytes(b"%PDF-1.4\n" + b"0" * 2_000_000)
        (tmp_path / "pdf" / "attention.pdf").write_bytes(b"%PDF-1.4\n")
        out = macros.pdf_links("index.md", str(tmp_path))
    finally:
        kb.registry.current = None
    assert "(pdf/llm-interview-kb.pdf)" in out and "2.0 MB" in out and "[注意力机制](pdf/attention.pdf)" in out


# ---- Tags --------------------------------------------------------------------------------------

def test_tag_links_are_big_enough_to_tap(page: Page, served_site: str) -> None:
    """Each tag is a link: at least 24 px tall (WCAG 2.5.8), at phone and desktop sizes."""
    page.goto(served_site + "attention/")
    heights = page.eval_on_selector_all(".kb-meta .kb-tags a.kb-tag", "els => els.map(e => e.getBoundingClientRect().height)")
    assert len(heights) > 50 and min(heights) >= 24, sorted(heights)[:5]


def test_every_tag_is_a_link_and_its_page_lists_the_question(real_site: pathlib.Path, questions: list[dict]) -> None:
    tag_page = (real_site / "tags" / "index.html").read_text("utf-8")
    assert re.search(r"<title>[^<]*标签", tag_page)
    sections = dict(re.findall(r'<section class="kb-tagsec" id="([^"]+)">(.*?)</section>', tag_page, re.S))
    pages: dict[str, str] = {}
    for q in questions:
        path = q["url"].split("#")[0]
        text = pages.setdefault(path, (real_site / path / "index.html").read_text("utf-8"))
        meta = re.search(rf'<div class="kb-meta" data-kb-id="{q["id"]}".*?</div>', text, re.S).group(0)
        assert 'span class="kb-tag"' not in meta, q["id"]
        links = re.findall(r'<a class="kb-tag" href="\.\./tags/#([^"]+)">([^<]+)</a>', meta)
        assert [t for _, t in links] == [t.replace("&", "&amp;") for t in q["tags"]], q["id"]
        for anchor, tag in links:
            assert anchor in sections, f"{q['id']}: no section #{anchor} for '{tag}'"
            assert f'#{q["id"]}"' in sections[anchor], f"the section of '{tag}' does not list {q['id']}"
    # the index counts every tag's questions
    counts = {}
    for q in questions:
        for t in q["tags"]:
            counts[t] = counts.get(t, 0) + 1
    cloud = dict(re.findall(r'<a class="kb-tag" href="#[^"]+">([^<]+)<span class="kb-tag-n">(\d+)</span>', tag_page))
    assert {k: int(v) for k, v in cloud.items()} == {t.replace("&", "&amp;"): n for t, n in counts.items()}


def test_tag_chip_leads_to_its_questions(page: Page, served_site: str) -> None:
    page.goto(served_site + "attention/#attention-mha-mqa-gqa")
    chip = page.locator('.kb-meta[data-kb-id="attention-mha-mqa-gqa"] a.kb-tag', has_text="GQA")
    chip.click()
    page.wait_for_url(re.compile(r"/tags/#tag-gqa$"))
    section = page.locator("#tag-gqa")
    expect(section).to_be_in_viewport()
    expect(section.locator(".kb-tagsec-title")).to_contain_text("GQA")
    link = section.locator('a[href$="#attention-mha-mqa-gqa"]')
    expect(link).to_be_visible()
    link.click()
    expect(page.locator("#attention-mha-mqa-gqa ~ details.kb-answer").first).to_have_attribute("open", "")


def test_tags_are_normalised_and_one_off_tags_fail(site, tmp_path: pathlib.Path) -> None:
    good = "# 演示\n\n### 甲？\n> id: demo-a | level: 基础 | tags: KV cache, 投机解码\n\n/// answer\n**速答**：x\n///\n"
    good += "\n### 乙？\n> id: demo-b | level: 基础 | tags: kv cache, speculative decoding\n\n/// answer\n**速答**：y\n///\n"
    data = "aliases:\n  kv cache: KV cache\n  投机解码: speculative decoding\nsingletons: []\n"
    result, out = site({"demo.md": good, "tags.md": "# 标签\n\n{{ tags_page() }}\n", "assets/data/tags.yml": data}, nav=["demo.md", "tags.md"])
    assert result.returncode == 0, result.stderr[-2000:]
    chips = re.findall(r'<a class="kb-tag" href="[^"]*">([^<]+)</a>', (out / "demo" / "index.html").read_text("utf-8"))
    assert chips == ["KV cache", "speculative decoding"] * 2
    # a one-off tag, then two spellings that differ in case: the content check the build runs names the place
    # (parser level: kb.content_check.check_site is what the build calls, so no further builds are needed)
    from kb import content_check

    for tags_c, message in (
        ("KV cache, 只用一次", "demo.md:17: tag '只用一次' on 'demo-c' is used by no other question"),
        ("KV cache, Speculative Decoding", "demo.md:17: tag 'Speculative Decoding' on 'demo-c' differs only in case"),
    ):
        bad = good + f"\n### 丙？\n> id: demo-c | level: 基础 | tags: {tags_c}\n\n/// answer\n**速答**：z\n///\n"
        (tmp_path / "docs" / "demo.md").write_text(bad, encoding="utf-8")
        errors, _ = content_check.check_tree(str(tmp_path / "docs"))
        assert errors and str(errors[0]).startswith(message), [str(e) for e in errors]


def test_the_tag_data_file_lists_only_real_problems(registry) -> None:
    data = tags.load(str(ROOT / "docs" / tags.DATA))
    assert tags.normalise(registry, data) == []
    used = {t for q in registry.questions.values() for t in q.tags}
    assert not set(data.aliases) & used  # every alias was rewritten


# ---- Filters -----------------------------------------------------------------------------------

def test_topic_filters_narrow_the_list_and_survive_reload(page: Page, served_site: str, questions: list[dict]) -> None:
    mine = [q for q in questions if q["url"].startswith("attention/")]
    page.goto(served_site + "attention/")
    assert len(visible_questions(page)) == len(mine)
    bar = page.locator(".kb-filters")
    bar.get_by_label("只看高频").check()
    hot = [q["id"] for q in mine if q["hot"]]
    assert visible_questions(page) == hot
    bar.locator("label", has_text="深入").click()
    both = [q["id"] for q in mine if q["hot"] and q["level"] == "深入"]
    inter = [q["id"] for q in mine if q["hot"] and q["level"] == "进阶"]
    assert visible_questions(page) == both
    bar.locator("label", has_text="进阶").click()
    assert visible_questions(page) == inter
    expect(bar.locator(".kb-filter-status")).to_have_text(f"显示 {len(inter)} / {len(mine)} 题")
    assert "hot=1" in page.url and "level=" in page.url
    page.reload()
    assert visible_questions(page) == inter
    expect(bar.get_by_label("只看高频")).to_be_checked()
    # not yet mastered: a question marked 会 drops out
    grade(page, inter[0])
    bar.get_by_label("只看未掌握").check()
    assert visible_questions(page) == inter[1:]
    shared = page.url
    page.goto(served_site)
    page.goto(shared)
    assert visible_questions(page) == inter[1:]
    bar.get_by_role("button", name="清除筛选").click()
    assert len(visible_questions(page)) == len(mine)
    assert "?" not in page.url


def test_a_deep_link_shows_its_question_through_a_filter(page: Page, served_site: str, questions: list[dict]) -> None:
    cold = next(q for q in questions if q["url"].startswith("attention/") and not q["hot"])
    page.goto(served_site + f"attention/?hot=1#{cold['id']}")
    assert cold["id"] in visible_questions(page)
    expect(page.locator(f"#{cold['id']} ~ details.kb-answer").first).to_have_attribute("open", "")


def test_cheat_sheet_filters_and_collapses(page: Page, served_site: str, questions: list[dict]) -> None:
    page.goto(served_site + "cheatsheet/")
    items = page.locator(".kb-cheatsheet li")
    assert items.count() == len(questions)
    shown = lambda: page.locator(".kb-cheatsheet li:visible")  # noqa: E731
    page.locator(".kb-filters").get_by_label("只看高频").check()
    expect(shown()).to_have_count(sum(q["hot"] for q in questions))
    page.locator(".kb-filters label", has_text="基础").click()
    expect(shown()).to_have_count(sum(q["hot"] and q["level"] == "基础" for q in questions))
    assert all("基础" in t and "高频" in t for t in shown().all_inner_texts())
    page.reload()
    expect(shown()).to_have_count(sum(q["hot"] and q["level"] == "基础" for q in questions))
    first_topic = page.locator(".kb-cheatsheet h2").first
    toggle = first_topic.locator(".kb-cs-toggle")
    before = shown().count()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    in_first = sum(q["hot"] and q["level"] == "基础" and q["topic"] == questions[0]["topic"] for q in questions)
    expect(shown()).to_have_count(before - in_first)
    toggle.click()
    expect(shown()).to_have_count(before)


def test_glossary_filters_sorts_and_fits_a_phone(page: Page, served_site: str) -> None:
    page.goto(served_site + "glossary/")
    rows = page.locator(".kb-glossary tbody tr")
    total = rows.count()
    box = page.get_by_label("筛选术语")
    box.fill("注意力")
    visible = page.locator(".kb-glossary tbody tr:visible")
    assert 0 < visible.count() < total
    assert all("注意力" in t for t in visible.all_inner_texts())
    box.fill("gqa")  # any case
    expect(visible.filter(has_text="分组查询注意力")).to_have_count(1)
    assert all("gqa" in t.lower() for t in visible.all_inner_texts())
    box.fill("")
    expect(visible).to_have_count(total)
    # sort by the Chinese column, then reverse it
    page.locator(".kb-glossary th .kb-sort", has_text="术语").click()
    first = rows.first.locator("td").first.inner_text()
    page.locator(".kb-glossary th .kb-sort", has_text="术语").click()
    expect(page.locator(".kb-glossary th[aria-sort=descending]")).to_contain_text("术语")
    assert rows.first.locator("td").first.inner_text() != first
    assert rows.last.locator("td").first.inner_text() == first
    # no column is cut off: nothing is wider than the page
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    definition = rows.first.locator("td").nth(2)
    bounds = definition.bounding_box()
    assert bounds and bounds["x"] >= 0 and bounds["x"] + bounds["width"] <= page.viewport_size["width"]


# ---- PDF ---------------------------------------------------------------------------------------

def test_pdf_command_writes_pdfs_that_open(real_site: pathlib.Path, tmp_path: pathlib.Path, questions: list[dict]) -> None:
    from pypdf import PdfReader

    out = tmp_path / "pdf"
    result = subprocess.run(
        [sys.executable, "scripts/pdf.py", "--site", str(real_site), "--out", str(out), "--topics", "pytorch,tokenization"],
        capture_output=True, text=True, cwd=ROOT, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert re.search(r"pytorch\.pdf\s+[\d.]+ MB", result.stdout)  # each file's size is reported

    def flat(s: str) -> str:  # text as extracted: compatibility forms folded, no spaces
        return re.sub(r"\s", "", unicodedata.normalize("NFKC", s))

    def text(reader: PdfReader) -> str:
        return flat("".join(p.extract_text() for p in reader.pages))

    topic = PdfReader(out / "pytorch.pdf")
    body = text(topic)
    mine = [q for q in questions if q["topic_id"] == "pytorch"]
    assert len(topic.pages) >= len(mine) / 2
    for q in mine:
        assert flat(q["title"])[:12] in body, q["id"]
    assert flat(mine[-1]["summary"])[:15] in body  # the answers are open
    assert f"2/{len(topic.pages)}" in body  # page numbers
    whole = PdfReader(out / "llm-interview-kb.pdf")
    first_page = unicodedata.normalize("NFKC", whole.pages[0].extract_text())
    assert "PyTorch 基础" in first_page and "分词" in first_page  # the contents list
    assert len(whole.pages) > len(topic.pages)
    # the contents page links to every question inside the document
    targets = {a.get_object().get("/Dest") for pg in whole.pages[:3] for a in pg.get("/Annots", [])}
    assert {f"/{q['id']}" for q in mine} <= targets
    assert {f"/{q['id']}" for q in mine} <= set(whole.named_destinations)
