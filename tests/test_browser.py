"""What a reader does, in Chromium: open an answer, follow a deep link, search in Chinese.

Uses Debian's Chromium at /usr/bin/chromium (browser downloads are blocked). Outside CI a
missing browser skips these tests with the reason; in CI (CI=true) it fails them.
"""

from __future__ import annotations

import json
import os
import pathlib
import re
import urllib.parse
import urllib.request

import pytest
from playwright.sync_api import Page, expect


def answer(page: Page, qid: str):
    return page.locator(f"#{qid} ~ details.kb-answer").first


def test_click_opens_an_answer(page: Page, served_site: str) -> None:
    page.goto(served_site + "attention/")
    first = page.locator("details.kb-answer").first
    expect(first).not_to_have_attribute("open", "")
    body = first.locator("p").first
    expect(body).to_be_hidden()
    first.locator("summary").click()
    expect(first).to_have_attribute("open", "")
    expect(body).to_be_visible()
    expect(body).to_contain_text("速答")


def test_expand_and_collapse_all(page: Page, served_site: str) -> None:
    page.goto(served_site + "attention/")
    page.get_by_role("button", name="展开全部答案").click()
    assert page.locator("details.kb-answer:not([open])").count() == 0
    page.get_by_role("button", name="收起全部答案").click()
    assert page.locator("details.kb-answer[open]").count() == 0


def test_deep_link_opens_the_answer(page: Page, served_site: str) -> None:
    page.goto(served_site + "attention/#attention-mha-mqa-gqa")
    details = answer(page, "attention-mha-mqa-gqa")
    expect(details).to_have_attribute("open", "")
    expect(details.locator("p").first).to_be_in_viewport()
    # the other answers stay closed
    assert page.locator("details.kb-answer[open]").count() == 1


def test_cross_link_opens_the_target_answer(page: Page, served_site: str) -> None:
    page.goto(served_site + "attention/")
    page.get_by_role("button", name="展开全部答案").click()
    link = page.locator("details.kb-answer a.kb-qlink").first
    href = link.get_attribute("href")
    qid = href.split("#")[1]
    link.click()
    page.wait_for_url(f"**#{qid}")
    expect(page.locator(f"#{qid} ~ details.kb-answer").first).to_have_attribute("open", "")


@pytest.mark.parametrize(
    "query,qid",
    [
        ("为什么除以根号d", "attention-scale-sqrt-dk"),
        ("分组查询注意力", "attention-mha-mqa-gqa"),
    ],
)
def test_chinese_search_lands_on_the_question(page: Page, served_site: str, query: str, qid: str) -> None:
    page.goto(served_site)
    search(page, query)
    result = page.locator(f'.md-search-result__item a[href*="#{qid}"]').first
    expect(result).to_be_visible(timeout=15000)
    result.click()
    page.wait_for_url(f"**#{qid}")
    expect(answer(page, qid)).to_have_attribute("open", "")


def test_math_renders_as_mathml_with_the_sites_own_font(page: Page, served_site: str) -> None:
    page.goto(served_site + "attention/#attention-scale-sqrt-dk")
    formula = page.locator("#attention-scale-sqrt-dk ~ details.kb-answer math[display=block]:has(mfrac)").first
    expect(formula).to_be_visible()
    box = formula.bounding_box()
    assert box and box["height"] > 30  # a fraction with a square root is laid out in two rows
    page.wait_for_function("document.fonts.check('16px \"STIX Two Math\"')")
    assert page.foreign_requests == []  # type: ignore[attr-defined]
    formula.screenshot(path=str(pathlib.Path(os.environ.get("KB_SHOTS", "/tmp")) / "formula.png"))


@pytest.mark.parametrize("path", ["", "attention/", "training-memory/", "quiz/", "calculator/", "cheatsheet/", "glossary/"])
def test_pages_make_no_third_party_requests_or_errors(page: Page, served_site: str, path: str) -> None:
    page.goto(served_site + path)
    page.wait_for_load_state("networkidle")
    search(page, "rope 外推")
    expect(page.locator(".md-search-result__item").first).to_be_visible(timeout=15000)
    assert page.foreign_requests == []  # type: ignore[attr-defined]
    assert page.console_errors == []  # type: ignore[attr-defined]


def search(page: Page, query: str) -> None:
    box = page.locator("input.md-search__input")
    if not box.is_visible():
        page.locator("label.md-search__icon").first.click()
    box.fill(query)
    box.press("ArrowRight")  # Material reads the query on keyup


def test_quiz_grades_three_questions_and_keeps_progress(page: Page, served_site: str) -> None:
    page.goto(served_site + "quiz/")
    status = page.locator(".kb-quiz-status")
    expect(status).to_contain_text("已掌握 0 题")
    first_title = page.locator(".kb-quiz-title").inner_text()
    answer_box = page.locator(".kb-quiz-answer")
    expect(answer_box).to_be_hidden()
    page.keyboard.press("Space")
    expect(answer_box).to_be_visible()
    expect(page.locator(".kb-quiz-answer a")).to_have_attribute("href", re.compile(r"#[a-z0-9-]+$"))
    page.keyboard.press("1")  # 会
    expect(page.locator(".kb-quiz-title")).not_to_have_text(first_title)
    page.keyboard.press("Space")
    page.keyboard.press("2")  # 模糊
    page.locator(".kb-quiz-reveal").click()
    page.locator(".kb-quiz-grades button", has_text="不会").click()
    page.reload()
    expect(page.locator(".kb-quiz-status")).to_contain_text("已掌握 1 题")
    stored = page.evaluate("kbProgress.load()")  # this site's records (progress.js scopes the key)
    assert sorted(r["grade"] for r in stored.values()) == [0, 1, 2]
    # the topic page shows the marks too
    graded = next(qid for qid, r in stored.items() if r["grade"] == 2)
    questions = json.loads(urllib.request.urlopen(served_site + "questions.json").read())
    url = next(q["url"] for q in questions if q["id"] == graded)
    page.goto(served_site + url)
    expect(page.locator(f'.kb-meta[data-kb-id="{graded}"] .kb-mark-2')).to_have_attribute("aria-pressed", "true")


def test_quiz_filters_change_the_drawn_set(page: Page, served_site: str) -> None:
    questions = json.loads(urllib.request.urlopen(served_site + "questions.json").read())
    page.goto(served_site + "quiz/")
    expect(page.locator(".kb-quiz-status")).to_contain_text(f"当前筛选 {len(questions)} 题")
    page.locator('select[name="level"]').select_option("深入")
    deep = [q for q in questions if q["level"] == "深入"]
    expect(page.locator(".kb-quiz-status")).to_contain_text(f"当前筛选 {len(deep)} 题")
    page.locator('input[name="hot"]').check()
    both = [q for q in deep if q["hot"]]
    expect(page.locator(".kb-quiz-status")).to_contain_text(f"当前筛选 {len(both)} 题")
    if both:
        expect(page.locator(".kb-quiz-meta")).to_contain_text("深入 · 高频")


def test_print_shows_every_answer(page: Page, served_site: str, tmp_path: pathlib.Path) -> None:
    page.goto(served_site + "attention/")
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert page.locator("details.kb-answer:not([open])").count() == 0
    expect(page.locator("details.kb-answer p").first).to_be_visible()
    expect(page.locator(".md-sidebar--primary")).to_be_hidden()
    pdf = tmp_path / "attention.pdf"
    page.pdf(path=str(pdf))
    assert pdf.stat().st_size > 50_000


def test_glossary_tooltip_appears(page: Page, served_site: str) -> None:
    page.goto(served_site + "attention/")
    abbr = page.locator("abbr", has_text="GQA").first
    expect(abbr).to_have_attribute("title", re.compile("分组查询注意力"))
    abbr.scroll_into_view_if_needed()
    abbr.hover()
    tip = page.locator(".kb-tooltip")
    expect(tip).to_be_visible()
    expect(tip).to_contain_text("分组查询注意力")
    page.mouse.move(0, 0)
    expect(tip).to_be_hidden()


def test_report_link_opens_a_prefilled_issue(page: Page, served_site: str) -> None:
    page.goto(served_site + "attention/#attention-scale-sqrt-dk")
    seen: list[str] = []
    page.context.route("https://github.com/**", lambda route: (seen.append(route.request.url), route.fulfill(body="ok")))
    with page.context.expect_page() as new:
        page.locator('.kb-meta[data-kb-id="attention-scale-sqrt-dk"] .kb-report').click()
    new.value.wait_for_load_state()
    assert seen, "the report link did not open"
    url = urllib.parse.urlsplit(seen[0])
    params = urllib.parse.parse_qs(url.query)
    assert url.path.endswith("/issues/new")
    assert "attention-scale-sqrt-dk" in params["title"][0]
    assert "attention/#attention-scale-sqrt-dk" in params["body"][0]


def test_calculator_updates_as_the_reader_types(page: Page, served_site: str) -> None:
    page.goto(served_site + "calculator/")
    out = page.locator(".kb-calc-out")
    expect(out).to_contain_text("6.74B")  # LLaMA-2-7B preset
    page.locator(".kb-calc-mode", has_text="推理服务").click()
    page.locator('select[name="preset"]').select_option("llama2-70b")
    page.locator('input[name="concurrent"]').fill("1")
    expect(out).to_contain_text("1.34 GB")  # KV cache at 4096 tokens, GQA
    page.locator('input[name="seq"]').fill("32768")
    expect(out).to_contain_text("10.7 GB")


def test_offline_copy_searches_from_disk(browser, offline_site: pathlib.Path) -> None:
    page = browser.new_page()
    page.goto((offline_site / "index.html").as_uri())
    search(page, "分组查询注意力")
    result = page.locator('.md-search-result__item a[href*="#attention-mha-mqa-gqa"]').first
    expect(result).to_be_visible(timeout=15000)
    page.close()


AXE = pathlib.Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"


@pytest.mark.parametrize("path", ["", "attention/", "quiz/", "calculator/"])
@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_axe_finds_no_serious_violations(page: Page, served_site: str, path: str, scheme: str) -> None:
    page.add_init_script(
        "localStorage.setItem('/llm-interview-kb/.__palette', "
        f"JSON.stringify({{index: {0 if scheme == 'default' else 1}, color: {{scheme: '{scheme}'}}}}))"
    )
    page.goto(served_site + path)
    page.wait_for_load_state("networkidle")
    if path == "attention/":
        page.get_by_role("button", name="展开全部答案").click()
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'best-practice']})")
    serious = [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']} {v['nodes'][0]['failureSummary'][:300]}"
        for v in result["violations"] if v["impact"] in ("serious", "critical")
    ]
    assert not serious, "\n".join(serious)


def test_keyboard_opens_an_answer_and_searches(page: Page, served_site: str) -> None:
    page.goto(served_site + "attention/")
    summary = page.locator("details.kb-answer > summary").first
    summary.focus()
    page.keyboard.press("Enter")
    expect(page.locator("details.kb-answer").first).to_have_attribute("open", "")
    page.keyboard.press("/")  # Material's search shortcut
    expect(page.locator("input.md-search__input")).to_be_focused()
    page.keyboard.type("rope")
    page.keyboard.press("ArrowRight")
    expect(page.locator(".md-search-result__item").first).to_be_visible(timeout=15000)
