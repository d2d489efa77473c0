"""Search as a reader uses it, in Chromium on the built site: the query set's hit rates, clean
snippets, landing on the question with its answer open, the keyboard, load on intent, the offline
copy. And the plain-text functions behind the index (kb/plain_text.py)."""

from __future__ import annotations

import pathlib
import re

import pytest
import yaml
from conftest import ROOT, VIEWPORTS, new_page
from playwright.sync_api import Page, expect

from kb.plain_text import answer_texts, tex_plain

QUERIES = yaml.safe_load((ROOT / "tests" / "search_queries.yml").read_text("utf-8"))
SNIPPET_MAX = 161  # 160 characters and an ellipsis


# --- plain text of answers (no browser)

@pytest.mark.parametrize("tex,plain", [
    (r"n_{kv}/h", "n_kv/h"),
    (r"\sqrt{d_k}", "√d_k"),
    (r"\frac{QK^\top}{\sqrt{d_k}}", "QK^T/√d_k"),
    (r"q \cdot k", "q · k"),
    (r"\mathrm{softmax}(x)_i = \frac{e^{x_i}}{\sum_j e^{x_j}}", "softmax(x)_i = e^x_i/(Σ_j e^x_j)"),
    (r"2 \times n_{\text{layers}}", "2 × n_layers"),
])
def test_formulas_become_the_text_a_reader_types(tex: str, plain: str) -> None:
    assert tex_plain(tex) == plain


def test_answer_text_leaves_out_code_figures_buttons_and_backlinks() -> None:
    page = (
        '<h3 class="kb-q" id="a-b">T</h3><div class="kb-meta"><span class="kb-tag">tag</span>'
        '<button>复制链接</button></div><details class="kb-answer"><summary>答案</summary>'
        '<p><strong>速答</strong>：除以 <span class="arithmatex">\\(\\sqrt{d_k}\\)</span>。</p>'
        '<p><strong>详解</strong></p><figure class="kb-figure"><button><svg><desc>图的长描述</desc></svg></button>'
        '<figcaption>图注</figcaption></figure><div class="highlight"><pre><code>import torch</code></pre></div>'
        '<p>用 <code>model.eval()</code> 切换。</p><p><strong>追问</strong></p><ul><li><a>别的题？</a></li></ul>'
        '<p><strong>参考</strong></p><ul><li>Vaswani et al. 2017</li></ul><div class="kb-backlinks"><strong>被引用于</strong>：X</div>'
        '</details><h3 class="kb-q" id="c-d">U</h3><details class="kb-answer"><summary>答案</summary>'
        '<p><strong>速答</strong>：二。</p></details>'
    )
    texts = answer_texts(page)
    assert texts["a-b"] == ("除以 √d_k。", "用 model.eval() 切换。")
    assert texts["c-d"] == ("二。", "")


# --- in the browser

def type_query(page: Page, query: str) -> None:
    box = page.locator("input.md-search__input")
    icon = page.locator('label.md-header__button[for="__search"]')  # the phone's search icon
    (icon if icon.is_visible() else box).click()
    expect(box).to_be_focused()
    box.fill(query)


def results(page: Page):
    return page.locator("[data-kb-search-results] a.kb-search-hit")


def test_query_set_hits_the_right_question(browser, served_site: str) -> None:
    _, page = new_page(browser)
    page.goto(served_site)
    page.evaluate("kbSearch.load()")
    page.wait_for_function("kbSearch.complete", timeout=60000)
    ranked = page.evaluate("qs => qs.map(q => kbSearch.query(q).slice(0, 3).map(r => r.id))", [q["q"] for q in QUERIES])
    top1 = [r[:1] and r[0] in q["hits"] for q, r in zip(QUERIES, ranked)]
    top3 = [any(x in q["hits"] for x in r) for q, r in zip(QUERIES, ranked)]
    misses = [f"{q['q']!r}: wanted {q['hits']}, got {r}" for q, r, ok in zip(QUERIES, ranked, top1) if not ok]
    rate1, rate3 = sum(top1) / len(QUERIES), sum(top3) / len(QUERIES)
    print(f"\nsearch query set: {len(QUERIES)} queries, top-1 {rate1:.1%}, top-3 {rate3:.1%}")
    print("\n".join(misses))
    assert len(QUERIES) >= 80
    assert rate1 >= 0.90 and rate3 >= 0.97, "\n".join(misses)
    assert page.errors == []  # type: ignore[attr-defined]


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("query", ["kv cache 显存", "为什么除以根号d", "mha mqa gqa", "softmax 公式", "lora 初始化", "dpo 推导"])
def test_results_are_clean_and_short(browser, served_site: str, viewport: str, query: str) -> None:
    _, page = new_page(browser, viewport)
    page.goto(served_site + "attention/")
    type_query(page, query)
    expect(results(page).first).to_be_visible(timeout=15000)
    page.wait_for_function("kbSearch.complete", timeout=60000)
    page.locator("input.md-search__input").press("End")  # refine once the 详解 is in
    page.wait_for_timeout(100)
    items = page.evaluate("""() => [...document.querySelectorAll('[data-kb-search-results] a.kb-search-hit')].map(a => ({
        title: a.querySelector('.kb-search-title').textContent,
        meta: a.querySelector('.kb-search-meta').textContent,
        snippet: a.querySelector('.kb-search-snippet').textContent,
        marks: [...a.querySelectorAll('mark')].map(m => m.textContent),
        href: a.getAttribute('href'), height: a.getBoundingClientRect().height }))""")
    assert items
    ids = [i["href"].split("#")[1] for i in items]
    assert len(ids) == len(set(ids))  # one result per question
    for item in items:
        shown = item["title"] + item["snippet"]
        assert not re.search(r"\\[a-zA-Z(\[]|_\{|\^\{|\$", shown), shown  # no TeX source
        for furniture in ("复制链接", "展开全部答案", "练习本主题", "已掌握", "会模糊不会", "基础高频", "进阶高频", "深入高频", "kb-syn", "放大查看"):
            assert furniture not in shown, (furniture, shown)
        assert len(item["snippet"]) <= SNIPPET_MAX, item["snippet"]
        assert re.fullmatch(r".+ · (基础|进阶|深入)( · 高频)?", item["meta"]), item["meta"]
        assert re.search(r"/#[a-z0-9-]+$", item["href"]), item["href"]
        assert item["height"] < VIEWPORTS[viewport][1] / 3  # a phone shows several results at once
    assert any(item["marks"] for item in items)  # the query's words are highlighted


def test_choosing_a_result_from_another_page_opens_its_answer(browser, served_site: str) -> None:
    _, page = new_page(browser, "phone")
    page.goto(served_site + "rag/")
    type_query(page, "kv cache 显存怎么算")
    hit = page.locator('[data-kb-search-results] a[href$="#inference-kv-cache-size"]')
    expect(hit).to_be_visible(timeout=15000)
    hit.click()
    page.wait_for_url("**/inference/#inference-kv-cache-size")
    details = page.locator("#inference-kv-cache-size ~ details.kb-answer").first
    expect(details).to_have_attribute("open", "")
    expect(details.locator("p").first).to_be_in_viewport()


def test_keyboard_slash_arrows_and_enter(browser, served_site: str) -> None:
    _, page = new_page(browser, "desktop", "dark")
    page.goto(served_site + "attention/")
    page.keyboard.press("/")
    box = page.locator("input.md-search__input")
    expect(box).to_be_focused()
    page.keyboard.type("rope 外推")
    expect(results(page).first).to_be_visible(timeout=15000)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    second = results(page).nth(1)
    expect(second).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", second.get_attribute("id"))
    qid = second.get_attribute("href").split("#")[1]
    page.keyboard.press("Enter")
    page.wait_for_url(f"**#{qid}")
    expect(page.locator(f"#{qid} ~ details.kb-answer").first).to_have_attribute("open", "")
    page.keyboard.press("s")  # the other shortcut readers of the theme know
    expect(box).to_be_focused()
    page.keyboard.press("Escape")
    expect(box).not_to_be_focused()


def test_nothing_loads_before_intent_and_early_typing_gets_results(browser, served_site: str) -> None:
    _, page = new_page(browser)
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(served_site)
    page.wait_for_load_state("networkidle")
    assert not [u for u in requested if "/search/" in u or "minisearch" in u]
    page.keyboard.press("/")
    page.keyboard.type("model.eval")  # typed at once, while the index loads
    first = results(page).first
    expect(first).to_have_attribute("href", re.compile("#pytorch-train-eval-mode$"), timeout=15000)
    assert any(u.endswith("/search/head.js") for u in requested)


def test_offline_copy_searches_and_lands_from_disk(browser, offline_site: pathlib.Path) -> None:
    _, page = new_page(browser)
    page.goto((offline_site / "rag.html").as_uri())
    type_query(page, "分组查询注意力")
    hit = page.locator('[data-kb-search-results] a[href$="#attention-mha-mqa-gqa"]').first
    expect(hit).to_be_visible(timeout=15000)
    hit.click()
    page.wait_for_url("**/attention.html#attention-mha-mqa-gqa")
    expect(page.locator("#attention-mha-mqa-gqa ~ details.kb-answer").first).to_have_attribute("open", "")
    assert page.errors == []  # type: ignore[attr-defined]


AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_open_result_list_passes_axe(browser, served_site: str, scheme: str) -> None:
    _, page = new_page(browser, "phone", scheme)
    page.goto(served_site + "attention/")
    type_query(page, "lora 原理")
    expect(results(page).first).to_be_visible(timeout=15000)
    page.keyboard.press("ArrowDown")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run('[data-kb-search]', {runOnly: ['wcag2a', 'wcag2aa', 'best-practice']})")
    serious = [f"{v['id']}: {v['nodes'][0]['target']} {v['nodes'][0]['failureSummary'][:300]}"
               for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, "\n".join(serious)
    expect(page.get_by_role("listbox", name="搜索结果").get_by_role("option").first).to_be_visible()
