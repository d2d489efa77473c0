"""The front end against the theme and against failure, in Chromium at phone and desktop sizes.

1. THEME_DOM lists, in one place, every part of Material's output that the site's scripts,
   stylesheets and templates rely on (classes, ids, attributes, CSS variables, template blocks).
   A test checks each row on the built pages and fails naming the row if the theme stops
   providing it; another fails when a script, stylesheet or template names an `md-*` class or
   variable that has no row.
2. Data that does not load (search index, questions.json, the calculator presets, a progress file)
   leaves a visible Chinese message where the feature would be, with a 重试 that works.
3. Print and the offline copy: every answer prints, collapsed cheat-sheet topics print, and the
   offline copy makes no request off the disk (no iframe-worker shim from unpkg in <head>).
"""

from __future__ import annotations

import pathlib
import re
import urllib.parse

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent

from playwright.sync_api import Page, expect

# ---------------------------------------------------------------------------------------------
# The theme's DOM the site relies on. One row per dependency:
#   (name, kind, page, check, used by)
# kind "dom":    a CSS selector the theme's HTML or JavaScript must produce on `page`
#                (check: "present", or "absent" for what this configuration does not render and
#                the stylesheets only hide in print)
# kind "var":    a CSS custom property the theme defines (checked in light and dark)
# kind "css":    a class the site's own markup uses for the theme's look: the theme's stylesheet
#                must still style it
# kind "js":     an attribute the site's markup carries for the theme's script, which must still read it
# kind "block":  a template block overrides/main.html fills: `check` is a marker the block's
#                output leaves in the built page
# ---------------------------------------------------------------------------------------------
HOME, TOPIC = "", "attention/"
THEME_DOM: list[tuple[str, str, str, str, str]] = [
    # page structure
    (".md-header", "dom", HOME, "present", "kb.css print: hidden"),
    (".md-header__source", "dom", HOME, "present", "main.html: the search box is injected before it"),
    (".md-header [data-kb-search]", "dom", HOME, "present", "main.html header block: the search box is in the header"),
    ("input#__search", "dom", HOME, "present", "search.js: the theme's search toggle (open / close, focus on a phone)"),
    ("#__config", "dom", HOME, "present", "progress.js siteRoot(): the site's base path from the theme's config JSON"),
    (".md-content", "dom", HOME, "present", "calculator.js: the 推导 links; kb.css print"),
    (".md-content__inner", "dom", HOME, "present", "kb.css print: full width"),
    (".md-main__inner", "dom", HOME, "present", "kb.css print: full width"),
    (".md-grid", "dom", HOME, "present", "kb.css print: full width"),
    (".md-typeset", "dom", TOPIC, "present", "every stylesheet: the content's root"),
    (".md-sidebar", "dom", TOPIC, "present", "kb.css print: hidden"),
    (".md-nav--secondary a.md-nav__link[href^='#']", "dom", TOPIC, "present", "study.js: a filtered question's table-of-contents entry is hidden too"),
    (".md-footer", "dom", TOPIC, "present", "kb.css print: hidden"),
    (".md-top", "dom", TOPIC, "present", "practice.css: hidden on a phone on the quiz and calculator; kb.css print"),
    (".md-content__button", "dom", TOPIC, "present", "kb.css print: the edit button hidden"),
    (".md-source-file", "dom", TOPIC, "present", "kb.css print: hidden"),
    (".md-copyright", "dom", HOME, "present", "kb.css: footer text contrast; partials/copyright.html"),
    (".md-copyright__highlight", "dom", HOME, "present", "partials/copyright.html"),
    (".md-source", "dom", HOME, "present", "partials/source.html: the repository link"),
    (".md-source__icon", "dom", HOME, "present", "partials/source.html"),
    (".md-source__repository", "dom", HOME, "present", "partials/source.html"),
    (".md-tabs", "dom", HOME, "absent", "kb.css print: hidden if navigation.tabs is ever turned on"),
    (".md-typeset__table", "dom", TOPIC, "present", "kb.css: tables (the theme's script wraps each)"),
    (".md-typeset__scrollwrap", "dom", TOPIC, "present", "kb.js scroll cues; kb.css sticky first column"),
    ("body[data-md-color-scheme]", "dom", HOME, "present", "every stylesheet: [data-md-color-scheme=slate] for dark colours"),
    ("form[data-md-component='palette'] input", "dom", HOME, "present", "the light / dark toggle"),
    # the theme's look for the site's own markup
    (".md-button", "css", "", "", "toolbar, quiz, calculator, 404"),
    (".md-button--primary", "css", "", "", "toolbar, quiz"),
    (".md-icon", "css", "", "", "partials/kb-search.html"),
    (".md-header__button", "css", "", "", "partials/kb-search.html"),
    (".md-search", "css", "", "", "partials/kb-search.html"),
    (".md-search__overlay", "css", "", "", "partials/kb-search.html"),
    (".md-search__inner", "css", "", "", "partials/kb-search.html"),
    (".md-search__form", "css", "", "", "partials/kb-search.html"),
    (".md-search__input", "css", "", "", "partials/kb-search.html"),
    (".md-search__icon", "css", "", "", "partials/kb-search.html"),
    (".md-search__options", "css", "", "", "partials/kb-search.html"),
    (".md-search__output", "css", "", "", "partials/kb-search.html"),
    (".md-search__scrollwrap", "css", "", "", "partials/kb-search.html"),
    (".md-search-result", "css", "", "", "partials/kb-search.html, search.css"),
    (".md-search-result__meta", "css", "", "", "partials/kb-search.html: the status line"),
    (".md-search-result__list", "css", "", "", "partials/kb-search.html"),
    (".md-search-result__item", "css", "", "", "search.js: one result"),
    (".md-search-result__link", "css", "", "", "search.js: one result"),
    (".md-search-result__article", "css", "", "", "search.js: one result"),
    ("data-md-scrollfix", "js", "", "", "partials/kb-search.html: the theme's script keeps the results scrollable on iOS"),
    # template blocks overrides/main.html fills (marker left in the built page)
    ("extrahead", "block", HOME, '<meta property="og:title"', "main.html: Open Graph cards"),
    ("header", "block", HOME, "data-kb-search", "main.html: the search box"),
    ("styles", "block", TOPIC, 'rel="preload" href="../assets/fonts/stix-two-math.woff2"', "main.html: the math font preload"),
    ("libs", "block", HOME, "!iframe-worker", "main.html: no polyfills (the theme's search worker is not used)"),
    ("scripts", "block", "quiz/", "assets/javascripts/quiz.js", "main.html: a page's own scripts (front matter scripts:)"),
]
THEME_VARS = [  # CSS variables of the theme the stylesheets read (the completeness test keeps this list whole)
    "--md-accent-fg-color", "--md-accent-fg-color--transparent", "--md-code-bg-color", "--md-default-bg-color",
    "--md-default-fg-color", "--md-default-fg-color--light", "--md-default-fg-color--lighter",
    "--md-default-fg-color--lightest", "--md-footer-fg-color--light", "--md-primary-bg-color", "--md-primary-fg-color",
    "--md-primary-fg-color--dark", "--md-shadow-z2", "--md-text-font-family", "--md-typeset-a-color",
]
THEME_VARS_DARK = ["--md-hue"]  # read only under [data-md-color-scheme="slate"]
# md-* names in the site's files that are not a dependency (set by the site, or named in a comment)
NOT_THEME = {
    "md-code-hl-comment-color", "md-code-hl-generic-color", "md-code-hl-operator-color", "md-code-hl-punctuation-color",
    "md-code-hl-number-color", "md-code-hl-special-color", "md-code-hl-function-color", "md-code-hl-constant-color",
    "md-code-hl-keyword-color", "md-code-hl-string-color", "md-code-hl-name-color", "md-code-hl-variable-color",
    # kb.css sets these (contrast); the theme reads them
    "md-component",  # partials/kb-search.html says it does NOT use data-md-component (the theme's search stays off)
    "md-color-scheme",  # the attribute of body[data-md-color-scheme] (row above)
    "md-scrollfix",  # data-md-scrollfix (row above)
    "md-hue",  # THEME_VARS_DARK
}
SITE_FILES = sorted([*ROOT.glob("docs/assets/javascripts/*.js"), *ROOT.glob("docs/assets/stylesheets/*.css"),
                     *ROOT.glob("overrides/**/*.html")])

PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1366, "height": 900}
SIZES = [pytest.param(PHONE, id="phone"), pytest.param(DESKTOP, id="desktop")]
SCHEMES = [pytest.param("light", id="light"), pytest.param("dark", id="dark")]


def new_page(browser, size: dict, scheme: str = "light") -> Page:
    """A page at `size` in `scheme` on the module's Chromium (conftest's `browser`: skips locally without
    Chromium, fails in CI), collecting uncaught errors in page.errors."""
    context = browser.new_context(viewport=size, color_scheme=scheme, locale="zh-CN")
    pg = context.new_page()
    pg.errors = []  # type: ignore[attr-defined]
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))  # type: ignore[attr-defined]
    return pg


# ---- 1. the theme's DOM -------------------------------------------------------------------------

def test_every_theme_name_the_site_uses_has_a_row() -> None:
    rows = " ".join(r[0] for r in THEME_DOM) + " " + " ".join(THEME_VARS)
    known = set(re.findall(r"md-[a-z][a-z0-9_-]*", rows)) | NOT_THEME
    missing = {}
    for path in SITE_FILES:
        for name in re.findall(r"md-[a-z][a-z0-9_-]*", path.read_text("utf-8")):
            if name not in known:
                missing.setdefault(name, path.relative_to(ROOT).as_posix())
    assert not missing, f"theme names used without a row in THEME_DOM / THEME_VARS (tests/test_frontend.py): {missing}"


@pytest.mark.parametrize("size", SIZES)
def test_the_theme_still_provides_every_element_the_site_relies_on(browser, served_site: str, size: dict) -> None:
    pg = new_page(browser, size)
    problems = []
    for page in sorted({r[2] for r in THEME_DOM if r[1] == "dom"}):
        pg.goto(served_site + page)
        pg.wait_for_load_state("load")
        for name, kind, where, check, used_by in THEME_DOM:
            if kind != "dom" or where != page:
                continue
            n = pg.locator(name).count()
            if check == "present" and n == 0:
                problems.append(f"{name!r} is gone from /{page} (used by {used_by})")
            if check == "absent" and n:
                problems.append(f"{name!r} is now on /{page}: check what relies on it ({used_by}) and make the row 'present'")
    config = pg.evaluate("JSON.parse(document.getElementById('__config').textContent)")
    if "base" not in config:
        problems.append("#__config has no 'base' (progress.js siteRoot)")
    pg.context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_theme_still_defines_every_css_variable_the_stylesheets_read(browser, served_site: str, scheme: str) -> None:
    pg = new_page(browser, DESKTOP, scheme)
    pg.goto(served_site + TOPIC)
    names = THEME_VARS + (THEME_VARS_DARK if scheme == "dark" else [])
    values = pg.evaluate("names => { const s = getComputedStyle(document.querySelector('.md-typeset'));"
                         " return names.map(n => s.getPropertyValue(n).trim()); }", names)
    pg.context.close()
    missing = [n for n, v in zip(names, values) if not v]
    assert not missing, f"the theme no longer defines {missing} ({scheme}); the site's stylesheets read them"


def test_the_themes_stylesheet_and_script_still_serve_the_sites_own_markup(real_site: pathlib.Path) -> None:
    css = "".join(p.read_text("utf-8") for p in (real_site / "assets" / "stylesheets").glob("main.*.min.css"))
    js = "".join(p.read_text("utf-8") for p in (real_site / "assets" / "javascripts").glob("bundle.*.min.js"))
    assert css and js, "the theme's main stylesheet or script bundle is gone from assets/"
    gone = [f"{name} ({used_by})" for name, kind, _, _, used_by in THEME_DOM if (kind == "css" and name not in css) or (kind == "js" and name not in js)]
    assert not gone, "the theme's stylesheet or script no longer knows: " + "; ".join(gone)


def test_the_template_blocks_main_html_fills_still_exist(real_site: pathlib.Path) -> None:
    problems = []
    for name, kind, page, marker, used_by in THEME_DOM:
        if kind != "block":
            continue
        html = (real_site / page / "index.html").read_text("utf-8")
        absent = marker.startswith("!")
        if absent == (marker.lstrip("!") in html):
            problems.append(f"block {name!r} ({used_by}): {'found' if absent else 'missing'} {marker.lstrip('!')!r} in /{page}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("size", SIZES)
def test_the_palette_toggle_switches_the_sites_colours(browser, served_site: str, size: dict) -> None:
    pg = new_page(browser, size)
    pg.goto(served_site + TOPIC)
    level = pg.locator(".kb-level-basic").first
    light = level.evaluate("e => getComputedStyle(e).color")
    pg.locator("form[data-md-component='palette'] label:visible").first.click()
    expect(pg.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    expect(level).not_to_have_css("color", light)
    assert level.evaluate("e => getComputedStyle(e).color") == "rgb(127, 214, 160)"  # --kb-basic, dark
    pg.context.close()


# ---- 2. data that does not load ---------------------------------------------------------------

def open_search(pg: Page, query: str) -> None:
    box = pg.locator("input.md-search__input")
    if not box.is_visible():
        pg.locator('label.md-header__button[for="__search"]').first.click()
    box.fill(query)


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("size", SIZES)
def test_search_index_that_does_not_load_says_so_and_retries(browser, served_site: str, size: dict, scheme: str) -> None:
    pg = new_page(browser, size, scheme)
    pg.route("**/search/head.js", lambda route: route.abort())
    pg.goto(served_site + TOPIC)
    open_search(pg, "rope 外推")
    message = pg.locator(".md-search .kb-load-error")
    expect(message).to_be_visible(timeout=10000)
    expect(message).to_contain_text("搜索索引没有载入")
    expect(pg.locator("[data-kb-search-status]")).to_have_text("搜索索引没有载入")
    pg.unroute("**/search/head.js")
    message.get_by_role("button", name="重试").click()
    expect(pg.locator(".md-search-result__item").first).to_be_visible(timeout=15000)
    expect(message).to_have_count(0)
    assert pg.errors == []  # type: ignore[attr-defined]
    pg.context.close()


@pytest.mark.parametrize("size", SIZES)
def test_search_details_that_do_not_load_keep_the_title_results(browser, served_site: str, size: dict) -> None:
    pg = new_page(browser, size)
    pg.route("**/search/summary*.js", lambda route: route.abort())
    pg.goto(served_site + TOPIC)
    open_search(pg, "分组查询注意力")
    expect(pg.locator(".md-search-result__item").first).to_be_visible(timeout=15000)
    expect(pg.locator(".md-search .kb-load-error")).to_contain_text("速答和详解没有载入")
    expect(pg.locator("[data-kb-search-status]")).to_contain_text("只按标题和标签找")
    pg.context.close()


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("size", SIZES)
def test_quiz_without_questions_json_says_so_and_retries(browser, served_site: str, size: dict, scheme: str) -> None:
    pg = new_page(browser, size, scheme)
    pg.route("**/questions.json", lambda route: route.abort())
    pg.goto(served_site + "quiz/")
    message = pg.locator(".kb-quiz-card .kb-load-error")
    expect(message).to_be_visible()
    expect(message).to_contain_text("题目列表没有载入")
    expect(message.get_by_role("link", name="速记表")).to_be_visible()
    pg.unroute("**/questions.json")
    message.get_by_role("button", name="重试").click()
    expect(pg.locator(".kb-quiz-title")).to_be_visible()
    expect(message).to_have_count(0)
    assert pg.errors == []  # type: ignore[attr-defined]
    pg.context.close()


@pytest.mark.parametrize("size", SIZES)
def test_home_and_topic_pages_need_no_questions_json(browser, served_site: str, size: dict) -> None:
    """Their progress counts come from the page itself: blocking questions.json changes nothing."""
    pg = new_page(browser, size)
    asked = []
    pg.route("**/questions.json", lambda route: (asked.append(route.request.url), route.abort()))
    pg.goto(served_site)
    expect(pg.locator(".kb-topic-mastery").first).to_have_text(re.compile(r"^0 / [1-9][0-9]*$"))
    expect(pg.locator(".kb-path-progress").first).to_contain_text("已掌握 0 / ")
    pg.goto(served_site + TOPIC)
    expect(pg.locator(".kb-page-mastery")).to_contain_text("已掌握 0 / ")
    assert asked == [] and pg.errors == []  # type: ignore[attr-defined]
    pg.context.close()


def strip_inline_presets(route) -> None:
    """The calculator page without its inlined presets, so that the script has to fetch them."""
    response = route.fetch()
    html = re.sub(r'<script type="application/json" id="kb-(model|gpu)-presets">.*?</script>', "", response.text(), flags=re.S)
    route.fulfill(response=response, body=html)


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("size", SIZES)
def test_calculator_presets_that_do_not_load_say_so_and_retry(browser, served_site: str, size: dict, scheme: str) -> None:
    pg = new_page(browser, size, scheme)
    pg.route("**/calculator/", strip_inline_presets)
    pg.route("**/data/models.json", lambda route: route.abort())
    pg.goto(served_site + "calculator/")
    message = pg.locator("#kb-calc > .kb-load-error")
    expect(message).to_be_visible()
    expect(message).to_contain_text("预设模型没有载入")
    expect(message).to_be_in_viewport()
    pg.locator('#kb-calc input[name="seq"]').fill("2048")  # the form still takes input
    pg.unroute("**/data/models.json")
    message.get_by_role("button", name="重试").click()
    expect(pg.locator('#kb-calc select[name="preset"] option')).not_to_have_count(0)
    expect(pg.locator("#kb-calc > .kb-load-error")).to_have_count(0)
    expect(pg.locator("#kb-calc td[data-kb-out]").first).to_have_text(re.compile(r"\d"))
    pg.context.close()


@pytest.mark.parametrize("size", SIZES)
def test_a_progress_file_that_cannot_be_read_says_so(browser, served_site: str, size: dict) -> None:
    pg = new_page(browser, size)
    pg.goto(served_site + "quiz/")
    expect(pg.locator(".kb-quiz-title")).to_be_visible()
    pg.evaluate("() => { File.prototype.text = () => Promise.reject(new Error('gone')); }")  # moved or deleted after choosing
    pg.locator(".kb-quiz-import input").set_input_files(
        files=[{"name": "llm-kb-progress.json", "mimeType": "application/json", "buffer": b"{}"}])
    message = pg.locator(".kb-quiz-message")
    expect(message).to_be_visible()
    expect(message).to_contain_text("无法读取这个文件")
    expect(message).to_be_in_viewport()
    pg.context.close()


# ---- 3. print and the offline copy -------------------------------------------------------------

def test_collapsed_cheat_sheet_topics_print_in_full(browser, served_site: str) -> None:
    pg = new_page(browser, DESKTOP)
    pg.goto(served_site + "cheatsheet/")
    pg.locator(".kb-filter-collapse button", has_text="全部收起").click()
    first_list = pg.locator(".kb-cheatsheet > ul, .kb-cheatsheet > ol").first
    expect(first_list).to_be_hidden()
    pg.emulate_media(media="print")
    expect(first_list).to_be_visible()
    expect(pg.locator(".kb-filters").first).to_be_hidden()
    expect(pg.locator(".md-header")).to_be_hidden()
    pg.context.close()


@pytest.mark.parametrize("size", SIZES)
def test_print_opens_every_answer_and_leaves_out_the_controls(browser, served_site: str, size: dict) -> None:
    pg = new_page(browser, size)
    pg.goto(served_site + TOPIC)
    pg.emulate_media(media="print")
    pg.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert pg.locator("details.kb-answer:not([open])").count() == 0
    expect(pg.locator("details.kb-answer p").last).to_be_visible()
    for furniture in (".md-header", ".kb-toolbar", ".md-sidebar--primary", ".md-footer"):
        expect(pg.locator(furniture).first).to_be_hidden()
    expect(pg.locator(".kb-meta .kb-actions").first).to_be_hidden()
    pg.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert pg.locator("details.kb-answer[open]").count() == 0
    pg.context.close()


def test_offline_copy_requests_nothing_but_files(browser, offline_site: pathlib.Path) -> None:
    pg = new_page(browser, PHONE)
    requests = []
    pg.on("request", lambda r: requests.append(r.url))
    for page in ("index.html", "attention.html", "quiz.html", "calculator.html"):
        pg.goto((offline_site / page).as_uri())
        pg.wait_for_load_state("load")
    open_search(pg, "分组查询注意力")
    expect(pg.locator(".md-search-result__item").first).to_be_visible(timeout=15000)
    off_disk = [u for u in requests if urllib.parse.urlsplit(u).scheme not in ("file", "data", "blob")]
    assert off_disk == [], f"the offline copy asked the network for {off_disk}"
    head = (offline_site / "index.html").read_text("utf-8").split("</head>")[0]
    assert "iframe-worker" not in head and "unpkg" not in head
    assert pg.errors == []  # type: ignore[attr-defined]
    pg.context.close()
