"""Markup from overrides/partials/ (kb/render.py) and labels from docs/assets/data/labels.yml (kb/labels.py).

The partials are rendered for a hostile question (HTML in a tag, a formula, code with a tag name and Markdown characters in the title) and
read back as a reader sees them; a fixture site with other labels shows them on its topic page and in
its quiz, at phone and desktop size, and rejects the old level name with file:line.
"""

from __future__ import annotations

import html.parser
import json
import pathlib
import urllib.parse
import urllib.request

import markdown
import pytest
import yaml
from conftest import ROOT, build, serve_under_sub_path, write_site

from kb import labels, render
from kb.registry import md_inline, parse_page

HOSTILE_TAG = '<img src=x onerror="alert(1)">&amp;'
TITLE = "为什么 $\\sqrt{d_k}$ 要缩放 `<b>` & *星号*？"


class _Reader(html.parser.HTMLParser):
    """Elements (tag, attrs) and the text a reader sees."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def read(markup: str) -> _Reader:
    r = _Reader()
    r.feed(markup)
    r.close()
    return r


def hostile_question():
    text = f"# 页\n\n### {TITLE}\n> id: demo-scale | level: 深入 | 高频 | tags: {HOSTILE_TAG}, 注意力\n\n/// answer\n**速答**：x\n///\n"
    q = parse_page("demo.md", text).questions[0]
    q.topic_id = "demo"
    return q


def test_question_header_shows_tags_as_text_and_one_button_per_grade() -> None:
    q = hostile_question()
    assert q.tags[0] == HOSTILE_TAG and q.hot
    out = render.question_meta(q, report="https://example.org/issues/new?title=a&b=%22", tag_href=lambda t: "../tags/#" + t)
    assert "\n" not in out, "a raw HTML block inside Markdown must be one line"
    r = read(out)
    tags = [e for e in r.elements if e[0] in ("img", "b", "script")]
    assert not tags, f"markup from a tag became an element: {tags}"
    assert HOSTILE_TAG in r.text, r.text  # shown exactly as written
    links = [a for t, a in r.elements if t == "a" and a.get("class") == "kb-tag"]
    assert [a["href"] for a in links] == ["../tags/#" + HOSTILE_TAG, "../tags/#注意力"]
    report = next(a for t, a in r.elements if t == "a" and a.get("class") == "kb-report")
    assert report["href"] == "https://example.org/issues/new?title=a&b=%22"
    level = next(a for t, a in r.elements if t == "span" and "kb-level" in (a.get("class") or ""))
    assert level["class"] == "kb-level kb-level-deep"
    buttons = [(a["class"], a["data-grade"]) for t, a in r.elements if t == "button" and "data-grade" in a]
    assert buttons == [(f"kb-mark-{g.value}", str(g.value)) for g in labels.current().grades]
    visible = "".join(r.text)
    assert visible.startswith("深入高频" + HOSTILE_TAG + "注意力")
    assert "会模糊不会" in visible and "纠错" in visible


def test_toolbar_links_to_the_topic_quiz_and_counts() -> None:
    r = read(render.toolbar("demo", "../quiz/", 7))
    practice = next(a for t, a in r.elements if t == "a")
    assert practice["href"] == "../quiz/?topic=demo"
    assert "".join(r.text) == "展开全部答案收起全部答案练习本主题已掌握 0 / 7 题"
    assert not [a for t, a in read(render.toolbar("demo", "", 7)).elements if t == "a"]  # no quiz page: no link


def test_backlinks_keep_the_formula_and_show_markup_in_the_title_as_text() -> None:
    q = hostile_question()
    md = render.backlinks([(md_inline(q.title), "demo.md#demo-scale"), (md_inline("二"), "other.md#x")])
    out = markdown.markdown(md, extensions=["md_in_html", "pymdownx.arithmatex"], extension_configs={"pymdownx.arithmatex": {"generic": True}})
    r = read(out)
    assert not [e for e in r.elements if e[0] == "b"], out
    assert [a["href"] for t, a in r.elements if t == "a"] == ["demo.md#demo-scale", "other.md#x"]
    assert "".join(r.text).strip() == "被引用于：为什么 \\(\\sqrt{d_k}\\) 要缩放 <b> & *星号*？、二", out
    assert ("code", {}) in r.elements  # the code span stays code


def test_figure_caption_is_escaped_and_the_svg_is_inline() -> None:
    svg = '<svg role="img" viewBox="0 0 10 10"><title>图</title>\n<text font-size="2">a</text></svg>'
    caption = 'A "quoted" <i>caption</i> & more'
    r = read(render.figure("demo", caption, svg, 48))
    tags = [t for t, _ in r.elements]
    assert tags == ["figure", "div", "button", "svg", "title", "text", "figcaption"], tags  # no <i>
    fig, _, button = (a for _, a in r.elements[:3])
    assert fig["id"] == "fig-demo" and fig["style"] == "--kb-fig-min: 48px"
    assert button["aria-label"] == "放大查看：" + caption
    assert r.text[-1] == caption


def test_labels_data_is_checked() -> None:
    good = yaml.safe_load((ROOT / "docs" / "assets" / "data" / "labels.yml").read_text("utf-8"))
    assert labels.parse(good).level_names == ("基础", "进阶", "深入")
    bad = {**good, "levels": [{**good["levels"][0], "mix": 4}, *good["levels"][1:]]}
    with pytest.raises(ValueError, match="add up to 10"):
        labels.parse(bad)
    with pytest.raises(ValueError, match="name, class, mix"):
        labels.parse({**good, "grades": [{"value": 2}]})


# ---- a site with other labels ---------------------------------------------------------------

OTHER_LABELS = """
levels:
  - {name: 入门, class: basic, mix: 3}
  - {name: 进阶, class: inter, mix: 5}
  - {name: 深入, class: deep, mix: 2}
grades:
  - {value: 2, label: 掌握, key: "1"}
  - {value: 1, label: 半懂, key: "2"}
  - {value: 0, label: 没懂, key: "3"}
"""


def _topic(level: str) -> str:
    return (
        "# 演示\n\n"
        f"### 第一题？\n> id: demo-one | level: {level} | tags: a\n\n/// answer\n**速答**：一。\n///\n\n"
        "### 第二题？\n> id: demo-two | level: 深入 | tags: b\n\n/// answer\n**速答**：二。\n///\n"
    )


def _other_site(root: pathlib.Path, level: str) -> pathlib.Path:
    quiz = (ROOT / "docs" / "quiz.md").read_text("utf-8")
    write_site(root, {"index.md": "# 首页\n", "demo.md": _topic(level), "quiz.md": quiz}, ["index.md", "demo.md", "quiz.md"])
    docs = root / "docs"
    for asset in ("assets/javascripts/progress.js", "assets/javascripts/quiz.js", "assets/javascripts/study.js",
                  "assets/stylesheets/study.css"):
        (docs / asset).write_bytes((ROOT / "docs" / asset).read_bytes())
    (docs / "assets" / "data").mkdir(parents=True, exist_ok=True)
    (docs / "assets" / "data" / "labels.yml").write_text(OTHER_LABELS, encoding="utf-8")
    return root


def test_an_old_level_name_fails_the_build_with_file_and_line(tmp_path: pathlib.Path) -> None:
    result = build(_other_site(tmp_path, "基础"))
    assert result.returncode == 1
    assert "demo.md:4: unknown level '基础' for 'demo-one': use one of 入门 / 进阶 / 深入" in result.stderr, result.stderr[-1500:]


@pytest.fixture(scope="module")
def other_site(tmp_path_factory: pytest.TempPathFactory):
    root = _other_site(tmp_path_factory.mktemp("labels"), "入门")
    result = build(root)
    assert result.returncode == 0, result.stderr[-3000:]
    server, base = serve_under_sub_path(root / "site")
    yield base
    server.shutdown()


VIEWS = {"phone": (390, 844), "desktop": (1366, 900)}  # the browser fixture is conftest's


@pytest.mark.parametrize("view", VIEWS)
def test_changed_labels_show_on_the_topic_page_and_in_the_quiz(browser, other_site: str, view: str) -> None:
    from playwright.sync_api import expect

    w, h = VIEWS[view]
    context = browser.new_context(viewport={"width": w, "height": h}, locale="zh-CN", has_touch=view == "phone")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(other_site + "demo/")
    meta = page.locator('.kb-meta[data-kb-id="demo-one"]')
    expect(meta.locator(".kb-level")).to_have_text("入门")
    expect(meta.locator(".kb-level")).to_have_class("kb-level kb-level-basic")
    page.locator("#demo-one").scroll_into_view_if_needed()
    expect(meta.locator(".kb-mark button")).to_have_text(["掌握", "半懂", "没懂"])

    page.goto(other_site + "quiz/?seed=1")
    expect(page.locator('select[name="level"] option')).to_have_text(["全部难度", "入门", "进阶", "深入"])
    page.locator(".kb-quiz-reveal").click()
    expect(page.locator(".kb-quiz-grades button")).to_have_text(["掌握（1）", "半懂（2）", "没懂（3）"])
    page.locator(".kb-quiz-mode[data-mode=mock]").click()
    expect(page.locator(".kb-mock-hint")).to_have_text("难度按 入门 3 : 进阶 5 : 深入 2 抽取，由浅入深。")
    assert not errors, errors
    context.close()


def test_every_page_carries_the_labels_once(other_site: str) -> None:
    for path in ("", "demo/", "quiz/"):
        text = urllib.request.urlopen(urllib.parse.urljoin(other_site, path)).read().decode("utf-8")
        assert text.count('id="kb-labels"') == 1, path
        start = text.index('id="kb-labels">') + len('id="kb-labels">')
        data = json.loads(text[start:text.index("</script>", start)])
        assert [g["label"] for g in data["grades"]] == ["掌握", "半懂", "没懂"]
        assert [lv["name"] for lv in data["levels"]] == ["入门", "进阶", "深入"]


def test_the_check_command_agrees_with_the_build_on_the_site_labels(tmp_path: pathlib.Path) -> None:
    from kb import content_check

    docs = _other_site(tmp_path, "基础") / "docs"
    try:
        errors, _ = content_check.check_tree(str(docs))
        assert any("unknown level '基础'" in str(e) and "入门 / 进阶 / 深入" in str(e) for e in errors), errors
        (docs / "demo.md").write_text(_topic("入门"), encoding="utf-8")
        errors, _ = content_check.check_tree(str(docs))
        assert not [e for e in errors if "level" in str(e)], errors
    finally:
        labels.use(str(ROOT / "docs"))  # the rest of this process checks against the project's labels
