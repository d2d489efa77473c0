"""Reading experience: answers at body size, nothing wider than the screen, legible figures,
touch-sized actions, Chinese line breaking (issue 14).

Browser checks run at phone 390x844 and desktop 1366x900, in the light and the dark scheme, on
every page a reader opens: home, every topic page, quiz, calculator, glossary, cheat sheet. Each
page is loaded once per viewport with every answer open, measured in the light scheme, switched to
dark with the header's toggle and measured again: one browser, one tab per viewport.
"""

from __future__ import annotations

import json
import pathlib

import glossary
import macros
import pytest
from conftest import ROOT, VIEWPORTS, new_page
from playwright.sync_api import Page, expect

import kb.registry
from kb import transforms

# the topic pages, found without parsing (parametrize needs them at collection); checked against the registry below
TOPICS = sorted(p.stem for p in (ROOT / "docs").glob("*.md") if "\n/// answer" in p.read_text("utf-8"))
PAGES = ["", *(f"{t}/" for t in TOPICS), "quiz/", "calculator/", "glossary/", "cheatsheet/"]


def test_every_topic_page_is_read(registry) -> None:
    assert TOPICS == sorted(p.path[:-3] for p in registry.topics())


# --- build-time transforms, without a browser -----------------------------------------------

def test_closing_punctuation_stays_with_the_formula_or_code_before_it() -> None:
    math = '<span class="katex"><math><mi>x</mi></math></span>'
    html = f"设 {math}，则 <code>y</code>：而 {math} 与 <code>z</code> 无关"
    out = transforms.keep_punctuation(html)
    assert f'<span class="kb-nobr">{math}，</span>' in out
    assert '<span class="kb-nobr"><code>y</code>：</span>' in out
    assert out.count("kb-nobr") == 2  # math or code without punctuation after it is left alone
    long_code = "<code>" + "x" * 60 + "</code>，"
    assert transforms.keep_punctuation(long_code) == long_code  # free to wrap inside


def test_abbreviations_are_unmarked_in_headings_and_links_only() -> None:
    html = ('<h3 id="q">为什么用 <abbr title="分组查询注意力">GQA</abbr></h3>'
            '<p><abbr title="分组查询注意力">GQA</abbr> 见 <a href="#q"><abbr title="键值缓存">KV</abbr> cache</a></p>')
    out = glossary.unmark_headings_and_links(html)
    assert '<h3 id="q">为什么用 GQA</h3>' in out
    assert '<a href="#q">KV cache</a>' in out
    assert out.count("<abbr") == 1  # the one in running text keeps its tooltip


@pytest.mark.parametrize("tex,plain", [
    (r"要除以 $\sqrt{d_k}$？", "要除以 √d_k？"),
    (r"为什么 $q_m \cdot k_n$ 只依赖 $m-n$？", "为什么 q_m·k_n 只依赖 m−n？"),
    (r"乘以 $\sqrt{d_{\text{model}}}$", "乘以 √d_model"),
])
def test_titles_with_math_have_a_plain_text_form(tex: str, plain: str) -> None:
    assert kb.registry.plain_text(tex) == plain


def test_toc_titles_get_their_math_back() -> None:
    assert transforms.math_title(r"要除以 \(\sqrt{d_k}\)？") == r'要除以 <span class="arithmatex">\(\sqrt{d_k}\)</span>？'
    assert transforms.math_title("没有公式") == "没有公式"


def test_figures_are_never_drawn_below_nine_pixel_text() -> None:
    svg = '<svg viewBox="0 0 640 400" font-size="12"><text font-size="11">a</text></svg>'
    width = macros.figure_min_width(svg)
    assert 11 * width / 640 >= 9


def test_questions_json_titles_are_plain_text(real_site: pathlib.Path) -> None:
    titles = {q["id"]: q["title"] for q in json.loads((real_site / "questions.json").read_text("utf-8"))}
    assert titles["attention-scale-sqrt-dk"] == "为什么 scaled dot-product attention 要除以 √d_k？请推导。"
    assert not [t for t in titles.values() if "$" in t or "\\" in t]


# --- in the browser ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tabs(browser, served_site: str):
    """One tab per viewport, reused by every page test; each page load starts in the light scheme."""
    opened: dict[str, Page] = {}

    def get(viewport: str) -> Page:
        if viewport not in opened:
            _, opened[viewport] = new_page(browser, viewport, "light", palette=True, is_mobile=viewport == "phone")
        return opened[viewport]

    yield get
    for pg in opened.values():
        pg.context.close()


def switch_scheme(page: Page) -> None:
    """Press the header's light/dark toggle, as a reader does."""
    before = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    page.locator("form[data-md-component=palette] label:not([hidden])").first.click()
    page.wait_for_function(f"document.body.getAttribute('data-md-color-scheme') !== '{before}'")


# Everything measured in one pass over the page, with every answer open.
MEASURE = r"""() => {
  document.querySelectorAll('details.kb-answer').forEach(d => { d.open = true; });
  const root = document.documentElement;
  const article = document.querySelector('article.md-typeset');
  const body = parseFloat(getComputedStyle(article).fontSize);
  const col = article.closest('.md-content').getBoundingClientRect();
  const out = {scheme: document.body.getAttribute('data-md-color-scheme'), body,
               pageOverflow: root.scrollWidth - root.clientWidth, small: [], smallCode: [],
               escaping: [], uncued: [], tinyFigureText: [], smallTargets: [], abbrInHeadings: 0, badBreaks: []};
  const name = el => (el.id ? '#' + el.id : el.tagName.toLowerCase() + '.' + [...el.classList].join('.')) +
        ' in ' + ((el.closest('details.kb-answer') || {}).previousElementSibling || {id: '?'}).id;
  // answer paragraphs at the body's size, inline code at 0.85 of it or more
  document.querySelectorAll('details.kb-answer p').forEach(p => {
    if (p.closest('table, figure, .admonition, .kb-backlinks')) return;
    const fs = parseFloat(getComputedStyle(p).fontSize);
    if (Math.abs(fs - body) > 0.01) out.small.push(name(p) + ' ' + fs);
  });
  document.querySelectorAll('details.kb-answer p code, details.kb-answer li code, details.kb-answer pre code').forEach(c => {
    const fs = parseFloat(getComputedStyle(c).fontSize);
    if (fs < 0.85 * body - 0.05) out.smallCode.push(name(c) + ' ' + fs);
  });
  // every block wider than the column scrolls inside a box that shows it does
  const scrolls = el => { const o = getComputedStyle(el).overflowX; return o === 'auto' || o === 'scroll'; };
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_ELEMENT, {acceptNode: el =>
    el.parentElement && el.parentElement.closest('math, svg, .kb-math, pre') && el.parentElement !== article
      ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT});
  for (let el = walker.nextNode(); el; el = walker.nextNode()) {
    if (el.clientWidth && el.scrollWidth > el.clientWidth + 1 && scrolls(el)) {
      const cue = el.getAttribute('data-kb-more'), style = getComputedStyle(el);
      const mask = style.maskImage || style.webkitMaskImage;
      if (!cue || !mask || mask === 'none') out.uncued.push(name(el) + ' ' + el.scrollWidth + '>' + el.clientWidth);
    }
    const r = el.getBoundingClientRect();
    if (r.width && (r.right > col.right + 1 || r.left < col.left - 1)) {
      let p = el.parentElement, boxed = false;
      while (p && p !== article) { if (scrolls(p)) { boxed = true; break; } p = p.parentElement; }
      if (!boxed && getComputedStyle(el).position !== 'fixed') out.escaping.push(name(el) + ' ' + Math.round(r.left) + '..' + Math.round(r.right));
    }
  }
  // figure text: font size times the SVG's scale on screen
  document.querySelectorAll('.kb-figure svg text').forEach(t => {
    const m = t.getScreenCTM();
    const px = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
    if (px < 9) out.tinyFigureText.push(t.closest('figure').id + ' "' + t.textContent.slice(0, 20) + '" ' + px.toFixed(1));
  });
  // touch targets of the question actions, the page toolbar and the answer toggles
  document.querySelectorAll('.kb-actions button, .kb-actions a, .kb-toolbar .md-button, details.kb-answer > summary').forEach(el => {
    const r = el.getBoundingClientRect();
    if (!r.width) return;  // folded into a menu on this screen
    if (r.width < 44 - 0.5 || r.height < 44 - 0.5) out.smallTargets.push(name(el) + ' ' + r.width.toFixed(0) + 'x' + r.height.toFixed(0));
  });
  out.abbrInHeadings = article.querySelectorAll('h1 abbr, h2 abbr, h3 abbr, h4 abbr, a abbr').length;
  // closing punctuation right after inline math or code is on the same line as the math or code
  const CLOSING = '，。、：；！？）》」』】”’';
  article.querySelectorAll('.katex, :not(pre) > code').forEach(el => {
    const text = el.nextSibling, at = 0;
    if (!text || text.nodeType !== 3 || !text.length || !CLOSING.includes(text.data[0])) return;
    const range = document.createRange();
    range.setStart(text, at); range.setEnd(text, at + 1);
    const mark = range.getBoundingClientRect(), rects = el.getClientRects();
    const lead = rects[rects.length - 1];
    if (mark.width && lead && lead.width && mark.top >= lead.bottom - 1) out.badBreaks.push(name(el) + ' ' + el.textContent.slice(-12) + text.data.slice(0, 2));
  });
  return out;
}"""


def open_all_answers(page: Page) -> None:
    """Open every answer and wait until fonts have loaded and kb.js has seen the new sizes."""
    page.evaluate("document.querySelectorAll('details.kb-answer').forEach(d => { d.open = true; })")
    page.evaluate("document.fonts.ready.then(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))))")
    page.wait_for_timeout(100)


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("path", PAGES, ids=[p.strip("/") or "home" for p in PAGES])
def test_page_reads_well(tabs, served_site: str, path: str, viewport: str) -> None:
    """One load per page and viewport, measured in the light scheme and again after switching to dark."""
    page = tabs(viewport)
    page.goto(served_site + path, wait_until="load")
    page.wait_for_function("document.querySelectorAll('article table:not([class])').length === document.querySelectorAll('.md-typeset__scrollwrap table').length")
    open_all_answers(page)
    for scheme in ("default", "slate"):
        if scheme == "slate":
            switch_scheme(page)
            page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        m = page.evaluate(MEASURE)
        where = f"{scheme} scheme: "
        assert m["scheme"] == scheme
        assert not m["escaping"], where + f"wider than the column, not in a scroll box: {m['escaping'][:8]}"
        assert m["pageOverflow"] <= 0, where + f"the page scrolls sideways by {m['pageOverflow']} px"
        assert not m["uncued"], where + f"scroll boxes without a cue: {m['uncued'][:8]}"
        assert not m["small"], where + f"answer paragraphs not at the body's {m['body']} px: {m['small'][:8]}"
        assert not m["smallCode"], where + f"answer code under 0.85 of the body: {m['smallCode'][:8]}"
        assert not m["smallTargets"], where + f"touch targets under 44x44 px: {m['smallTargets'][:8]}"
        assert m["abbrInHeadings"] == 0, where + "abbreviation markers inside headings or links"
        assert not m["badBreaks"], where + f"closing punctuation on a new line after math or code: {m['badBreaks'][:8]}"
        assert not m["tinyFigureText"], where + f"figure text under 9 px: {m['tinyFigureText'][:8]}"


def test_scroll_cue_follows_the_scroll_position(tabs, served_site: str) -> None:
    page = tabs("phone")
    page.goto(served_site + "alignment/#alignment-grpo")
    box = page.locator("#alignment-grpo ~ details.kb-answer .kb-math").first
    box.scroll_into_view_if_needed()
    expect(box).to_have_attribute("data-kb-more", "right")
    box.evaluate("b => { b.scrollLeft = b.scrollWidth / 3; }")
    expect(box).to_have_attribute("data-kb-more", "both")
    box.evaluate("b => { b.scrollLeft = b.scrollWidth; }")
    expect(box).to_have_attribute("data-kb-more", "left")


def test_a_cut_off_formula_scrolls_from_the_keyboard(tabs, served_site: str) -> None:
    """A reader without a touch screen or trackpad Tabs to a formula that is cut off and scrolls it
    with the arrow keys; a formula that fits takes no Tab stop."""
    page = tabs("phone")
    page.goto(served_site + "alignment/#alignment-grpo")
    box = page.locator("#alignment-grpo ~ details.kb-answer .kb-math[data-kb-more]").first
    box.scroll_into_view_if_needed()
    box.evaluate("b => { b.scrollLeft = 0; }")  # the tab is shared: start from the formula's left end
    expect(box).to_have_attribute("data-kb-more", "right")
    expect(box).to_have_attribute("tabindex", "0")
    box.focus()
    assert box.evaluate("b => document.activeElement === b && getComputedStyle(b).outlineStyle !== 'none'")
    before = box.evaluate("b => b.scrollLeft")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("b => b.scrollLeft > 0", arg=box.element_handle())
    assert box.evaluate("b => b.scrollLeft") > before
    fits = page.locator("details.kb-answer[open] .kb-math:not([data-kb-more])").first  # the page has short formulas too
    expect(fits).to_be_attached()
    expect(fits).not_to_have_attribute("tabindex", "0")


def test_wide_table_keeps_its_first_column_in_view(tabs, served_site: str) -> None:
    page = tabs("phone")
    page.goto(served_site + "attention/")
    open_all_answers(page)
    wrap = page.locator(".md-typeset__scrollwrap[data-kb-more]").first
    expect(wrap).to_be_attached()
    wrap.scroll_into_view_if_needed()
    first = wrap.locator("tbody tr td").first
    before = first.bounding_box()
    wrap.evaluate("b => { b.scrollLeft = b.scrollWidth; }")
    expect(wrap).to_have_attribute("data-kb-more", "left")
    after = first.bounding_box()
    assert before and after and abs(after["x"] - before["x"]) < 2, "the first column scrolled away"  # the table border may scroll off


def test_phone_folds_secondary_actions_into_a_menu(tabs, served_site: str) -> None:
    page = tabs("phone")
    page.goto(served_site + "attention/")
    meta = page.locator(".kb-meta").first
    report, more = meta.locator(".kb-report"), meta.locator(".kb-more")
    expect(report).to_be_hidden()
    boxes = [b.bounding_box() for b in meta.locator(".kb-actions > .kb-mark button, .kb-actions > .kb-more").all()]
    assert len({round(b["y"]) for b in boxes}) == 1, "the actions wrap onto more than one row"
    more.click()
    expect(report).to_be_visible()
    expect(meta.locator(".kb-copy")).to_be_visible()
    box = report.bounding_box()
    assert box and box["height"] >= 44 and box["width"] >= 44
    page.keyboard.press("Escape")
    expect(report).to_be_hidden()


def test_toc_shows_title_math(tabs, served_site: str) -> None:
    page = tabs("desktop")
    page.goto(served_site + "attention/")
    link = page.locator('.md-sidebar--secondary a[href="#attention-scale-sqrt-dk"]')
    expect(link.locator("math msqrt").first).to_be_attached()
    expect(link).not_to_contain_text("\\(")


def test_print_opens_answers_and_drops_the_actions(tabs, served_site: str) -> None:
    page = tabs("desktop")
    page.goto(served_site + "peft/")
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    try:
        assert page.locator("details.kb-answer:not([open])").count() == 0
        expect(page.locator(".kb-actions").first).to_be_hidden()
        expect(page.locator("details.kb-answer table").first).to_be_visible()
    finally:
        page.emulate_media(media="screen")


def test_tap_enlarges_a_figure_on_the_phone(tabs, served_site: str) -> None:
    page = tabs("phone")
    page.goto(served_site + "training-memory/")
    open_all_answers(page)
    fig = page.locator("#fig-plot-memory-7b")
    text = fig.locator("svg text").first
    before = text.bounding_box()
    fig.locator(".kb-figure-zoom").tap()
    expect(fig).to_have_class("kb-figure kb-zoomed")
    after = text.bounding_box()
    assert before and after and after["height"] > before["height"] * 1.2, "the enlarged figure is not larger"
    page.keyboard.press("Escape")
    expect(fig).to_have_class("kb-figure")
