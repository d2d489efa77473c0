"""Fuzz of the authoring format: every case is a bad input that fails naming the right file and line,
or an awkward but valid input that gives the right page.

Most cases run at parser level (kb/content_check.py, the function the build calls); every case also
runs through the check command's function and must give the same first problem. One case per error
source (parser, Jinja, macros, figure, math, snippets, terms) runs as a full build of a fixture site in
tests/sites/ (tests/test_sites.py); two builds here check that hostile titles, 速答 and config values come
out intact everywhere they are copied.
"""

from __future__ import annotations

import json
import pathlib
import re
import subprocess
import sys
from collections.abc import Callable

import macros
import markdown
import pytest
from conftest import ROOT

import kb.registry
from kb import content_check
from kb.registry import KbError

MARK = "@@"  # marks the line an error must name; removed from the text


def q(qid: str, title: str = "问题？", summary: str = "一句话。", body: str = "", meta: str = "") -> str:
    meta = meta or f"> id: {qid} | level: 基础 | tags: a, b"
    return f"### {title}\n{meta}\n\n/// answer\n**速答**：{summary}\n{body}\n///\n"


def page(*parts: str) -> str:
    return "# 页\n\n" + "\n".join(parts)


SVG = '<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 1 1"><title>图</title></svg>'
CODE = "# --8<-- [start:f]\ndef f():\n    return 1\n# --8<-- [end:f]\n"
TERMS_OK = "- en: Alpha\n  zh: 甲\n  def: 第一个\n  q: demo-a\n"

# (name, files, expected): expected is (file, "words") with MARK on the line, or a check of the registry.
ERRORS: list[tuple[str, dict[str, str], str]] = [
    ("unclosed-fence-swallows-last-question", {"demo.md": page(q("demo-a"), MARK + "```text\n示例\n", q("demo-b"))}, "unclosed code fence '```text'"),
    ("unclosed-tilde-fence", {"demo.md": page(q("demo-a", body=MARK + "~~~~python\nx = 1\n~~~\n"))}, "unclosed code fence '~~~~python'"),
    ("stray-fence-pairs-with-a-later-one", {"demo.md": page(q("demo-a"), "```text\n", MARK + q("demo-b", body="```python\nx = 1\n```"))}, "question heading inside the code block"),
    ("question-heading-inside-text-fence", {"demo.md": page(q("demo-a", body="```text\n" + MARK + "### 示例？\n> id: demo-x | level: 基础 | tags: a\n```"))}, "question heading inside the code block"),
    ("nested-answer", {"demo.md": page(q("demo-a", body=MARK + "/// answer\n内层\n///"))}, "nested '/// answer'"),
    ("stray-close-leaks-answer", {"demo.md": page(q("demo-a", body="///\n答案的后半段\n" + MARK + "///"))}, "stray '///'"),
    ("stray-close-at-top", {"demo.md": page("一段话。\n\n" + MARK + "///\n")}, "stray '///': no block is open here"),
    ("unclosed-details-block", {"demo.md": page(MARK + "/// details | 说明\n内容\n", q("demo-a"))}, "unclosed block '/// details | 说明'"),
    ("typo-in-id-key", {"demo.md": page(q("demo-a", meta=MARK + "> idd: demo-a | level: 基础 | tags: a"))}, "did you mean 'id'?"),
    ("typo-in-level-key", {"demo.md": page(q("demo-a", meta=MARK + "> id: demo-a | levle: 基础 | tags: a"))}, "did you mean 'level'?"),
    ("two-metadata-lines", {"demo.md": page("### 问？\n> id: demo-a | level: 基础 | tags: a\n" + MARK + "> id: demo-a | level: 进阶 | tags: b\n\n/// answer\n**速答**：x\n///\n")}, "second metadata line"),
    ("empty-title", {"demo.md": page(MARK + "###\n> id: demo-a | level: 基础 | tags: a\n\n/// answer\n**速答**：x\n///\n")}, "empty title"),
    ("empty-title-closing-hashes", {"demo.md": page(MARK + "### ###\n> id: demo-a | level: 基础 | tags: a\n\n/// answer\n**速答**：x\n///\n")}, "empty title"),
    ("script-in-title", {"demo.md": page(MARK + q("demo-a", title="<script>alert(1)</script>标题？"))}, "HTML in the title"),
    ("tag-in-title", {"demo.md": page(MARK + q("demo-a", title="什么是 <b>粗体</b>？"))}, "HTML in the title"),
    ("entity-in-title", {"demo.md": page(MARK + q("demo-a", title="a &lt; b 吗？"))}, "HTML entity '&lt;'"),
    ("display-math-glued-to-list-line", {"demo.md": page(q("demo-a", body="1. 条件\n" + MARK + "    $$\n    x\n    $$\n"))}, "put a blank line before '$$'"),
    ("text-glued-under-display-math", {"demo.md": page(q("demo-a", body="\n$$\nx\n$$\n" + MARK + "其中 x 是输入。\n"))}, "blank line after the closing '$$'"),
    ("macro-in-title", {"demo.md": page(MARK + q("demo-a", title="为什么除以 {{ params('llama2-7b') }}？"))}, "macro in the title"),
    ("unpaired-dollar-in-title", {"demo.md": page(MARK + q("demo-a", title="成本 $5 够吗？"))}, "unpaired '$' in the title"),
    ("jinja-statement-in-title", {"demo.md": page(MARK + q("demo-a", title="{% if x %}？"))}, "'{%' opens a Jinja statement"),
    ("metadata-away-from-heading", {"demo.md": page(q("demo-a"), "一段话。\n\n" + MARK + "> id: demo-b | level: 基础 | tags: a\n")}, "must come directly under a question heading"),
    ("answer-without-question", {"demo.md": page("一段话。\n\n" + MARK + "/// answer\n**速答**：x\n///\n")}, "answer without question"),
    ("hash-heading-without-space-in-answer", {"demo.md": page(q("demo-a", body=MARK + "#1 原因"))}, "heading inside the answer"),
    ("figure-prefix-id", {"demo.md": page(q("fig-attention", meta=MARK + "> id: fig-attention | level: 基础 | tags: a"))}, "starts with 'fig-'"),
    ("duplicate-tag", {"demo.md": page(q("demo-a", meta=MARK + "> id: demo-a | level: 基础 | tags: a, a"))}, "given twice"),
    ("html-in-tag", {"demo.md": page(q("demo-a", meta=MARK + "> id: demo-a | level: 基础 | tags: a, <b>"))}, "tag '<b>'"),
    ("empty-page", {"demo.md": MARK + "\n", "other.md": page(q("demo-b", summary='见 {{ q("demo-a") }}。'))}, "empty page"),
    ("unknown-link-did-you-mean", {"demo.md": page(q("demo-good"), MARK + '见 {{ q("demo-goood") }}。\n')}, "did you mean 'demo-good'"),
    ("jinja-variable-in-summary", {"demo.md": page("### 问？\n> id: demo-a | level: 基础 | tags: a\n\n/// answer\n" + MARK + "**速答**：模板写作 {{ messages }}。\n///\n")}, "unknown macro 'messages'"),
    ("unquoted-q-argument", {"demo.md": page(q("demo-a", summary=MARK + "见 {{ q(nope) }}。"))}, "'nope' is undefined; write literal arguments in quotes"),
    ("unknown-macro", {"demo.md": page(q("demo-a", body=MARK + "数字 {{ nope(1) }}。"))}, "unknown macro 'nope'"),
    ("bad-number-macro-argument", {"demo.md": page(q("demo-a", body=MARK + '参数量 {{ params("gpt-9") }}。'))}, "unknown model preset 'gpt-9'"),
    ("unknown-figure", {"demo.md": page(q("demo-a", body=MARK + '{{ figure("nope", "图") }}'))}, "unknown figure 'nope'"),
    ("figure-without-title", {"demo.md": page(q("demo-a", body=MARK + '{{ figure("bare", "图") }}')), "assets/figures/bare.svg": '<svg role="img"></svg>'}, "needs role=\"img\" and a <title>"),
    ("jinja-comment-in-summary", {"demo.md": page(q("demo-a", summary=MARK + "集合 {#x} 会出错。"))}, "'{#' opens a Jinja comment"),
    ("bad-math-in-summary", {"demo.md": page(q("demo-a", summary=MARK + "坏公式 $\\frac{a$。"))}, "KaTeX cannot render"),
    ("bad-math-after-same-tex-in-code", {"demo.md": page(q("demo-a", summary="代码里写 `$\\frac{a$`。", body="\n" + MARK + "正文 $\\frac{a$。"))}, "KaTeX cannot render"),
    ("bad-display-math", {"demo.md": page(q("demo-a", body="\n" + MARK + "$$\n\\begin{aligned} x \\end{cases}\n$$"))}, "KaTeX cannot render"),
    ("money-reads-as-math", {"demo.md": page(q("demo-a", summary=MARK + "成本 $5-$10。"))}, "reads as math"),
    ("missing-snippet-file", {"demo.md": page(q("demo-a", body="```python\n" + MARK + '--8<-- "nope.py"\n```'))}, "snippet file 'nope.py' not found"),
    ("missing-snippet-section", {"demo.md": page(q("demo-a", body="```python\n" + MARK + '--8<-- "f.py:g"\n```')), "code/f.py": CODE}, "snippet section 'g' not found"),
    ("term-links-unknown-question", {"demo.md": page(q("demo-a")), "assets/data/terms.yml": TERMS_OK + "- en: Beta\n  zh: 乙\n  def: 第二个\n" + MARK + "  q: demo-nope\n"}, "unknown question 'demo-nope'"),
    ("term-without-def", {"demo.md": page(q("demo-a")), "assets/data/terms.yml": TERMS_OK + MARK + "- en: Beta\n  zh: 乙\n"}, "missing ['def']"),
    ("unknown-level", {"demo.md": page(q("demo-a", meta=MARK + "> id: demo-a | level: 简单 | tags: a"))}, "unknown level '简单'"),
]


def _title_roundtrips(title: str) -> Callable[[kb.registry.Registry], None]:
    def check(reg: kb.registry.Registry) -> None:
        (qq,) = reg.questions.values()
        assert qq.title == title
        text = qq.title_text
        md = markdown.Markdown(extensions=["tables", "attr_list", "pymdownx.betterem", "pymdownx.arithmatex"], extension_configs={"pymdownx.arithmatex": {"generic": True}})
        cell = kb.registry.md_inline(title)
        out = md.convert(f"| h |\n|---|\n| [{cell}](x.md#y) |\n\n### {cell} {{: #y }}")
        link = re.search(r'<a href="x.md#y">(.*?)</a>', out)
        head = re.search(r'<h3 id="y">(.*?)</h3>', out)
        assert link and head, out
        strip = lambda h: __import__("html").unescape(re.sub(r"</?code>", "", h))  # noqa: E731
        assert strip(link.group(1)) == text and strip(head.group(1)) == text, out
    return check


def _one(pred: Callable[[kb.registry.Question], bool]) -> Callable[[kb.registry.Registry], None]:
    def check(reg: kb.registry.Registry) -> None:
        assert reg.questions and all(pred(x) for x in reg.questions.values()), [vars(x) for x in reg.questions.values()]
    return check


HOSTILE = "区间 [0, 1) 的 C# 和 F# | a*b_c `x|y` < & \\ {y}？"
GOOD: list[tuple[str, dict[str, str], Callable[[kb.registry.Registry], None]]] = [
    ("title-csharp", {"demo.md": page(q("demo-a", title="C# 和 F#"))}, _one(lambda x: x.title == "C# 和 F#")),
    ("title-inline-math", {"demo.md": page(q("demo-a", title="为什么除以 $\\sqrt{d_k}$？"))},
     _one(lambda x: kb.registry.title_text(x.title) == "为什么除以 √d_k？")),
    ("title-closing-hashes", {"demo.md": page(q("demo-a", title="标题 ###"))}, _one(lambda x: x.title == "标题")),
    ("title-hostile-characters", {"demo.md": page(q("demo-a", title=HOSTILE))}, _title_roundtrips(HOSTILE)),
    ("title-brackets", {"demo.md": page(q("demo-a", title="[0, 1) 区间"))}, _title_roundtrips("[0, 1) 区间")),
    ("title-parentheses-not-math", {"demo.md": page(q("demo-a", title="sbh(34 + 5as/h) 怎么来？"))}, _title_roundtrips("sbh(34 + 5as/h) 怎么来？")),
    ("title-code-with-html", {"demo.md": page(q("demo-a", title="`<think>` 标签是什么？"))}, _title_roundtrips("`<think>` 标签是什么？")),
    ("quote-under-section-heading", {"demo.md": page("## 小节\n> 高频：这一节的题面试常问。\n", q("demo-a"))}, _one(lambda x: x.id == "demo-a")),
    ("quote-with-colon-under-heading", {"demo.md": page("## 小节\n> Note: 引用。\n", q("demo-a"))}, _one(lambda x: x.id == "demo-a")),
    ("four-backtick-fence-with-inner-fence", {"demo.md": page(q("demo-a", body="````markdown\n```python\n/// answer\n```\n````"), q("demo-b"))}, lambda r: _ids(r, "demo-a", "demo-b")),
    ("markdown-fence-shows-the-format", {"demo.md": page(q("demo-a", body="~~~md\n### 示例？\n> id: demo-x | level: 基础 | tags: a\n~~~"))}, lambda r: _ids(r, "demo-a")),
    ("fence-with-info-attributes", {"demo.md": page(q("demo-a", body='```python title="a.py" linenums="1"\n### 注释\n```'), q("demo-b"))}, lambda r: _ids(r, "demo-a", "demo-b")),
    ("indented-code-keeps-braces", {"demo.md": page("示例：\n\n    {{ x }} 与 {# y #}\n    ### 不是标题\n", q("demo-a"))}, lambda r: _ids(r, "demo-a")),
    ("math-block-keeps-braces", {"demo.md": page(q("demo-a", body="\n$$\nx^{{2}} + \\{\\#\\}\n$$"))}, lambda r: _ids(r, "demo-a")),
    ("jinja-in-summary-code-and-math", {"demo.md": page(q("demo-a", summary="`{{ messages }}` 与 $x^{{y}}$。"))}, _one(lambda x: macros.render_text(x.summary_md, x.page) == x.summary_md)),
    ("html-block-hides-heading", {"demo.md": page("<div class=\"x\">\n### 不是题\n</div>\n", q("demo-a"))}, lambda r: _ids(r, "demo-a")),
    ("dollar-escaped-money", {"demo.md": page(q("demo-a", summary="成本 \\$5 到 \\$10。"))}, lambda r: _ids(r, "demo-a")),
]


def _ids(reg: kb.registry.Registry, *ids: str) -> None:
    assert list(reg.questions) == list(ids)


def _write(root: pathlib.Path, files: dict[str, str]) -> tuple[pathlib.Path, int | None]:
    docs = root / "docs"
    marked = None
    for rel, text in files.items():
        if MARK in text:
            before = text.split(MARK)[0]
            marked = (rel, before.count("\n") + 1)
            text = text.replace(MARK, "")
        path = docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (docs / "assets" / "figures").mkdir(parents=True, exist_ok=True)
    (docs / "assets" / "figures" / "ok.svg").write_text(SVG, encoding="utf-8")
    (docs / "code").mkdir(exist_ok=True)
    (docs / "code" / "f.py").exists() or (docs / "code" / "f.py").write_text(CODE, encoding="utf-8")
    return docs, marked  # type: ignore[return-value]


def _run(docs: pathlib.Path) -> tuple[KbError | None, list[KbError], kb.registry.Registry | None]:
    """The build's call (first problem raised) and the check command's call (every problem)."""
    settings = content_check.Settings(docs_dir=str(docs), snippet_dirs=[str(docs / "code")])
    sources = sorted((p.relative_to(docs).as_posix(), p.read_text("utf-8")) for p in docs.rglob("*.md"))
    first, reg = None, None
    try:
        reg = content_check.check_site(sources, settings)
    except KbError as exc:
        first = exc
    collected, _ = content_check.check_tree(str(docs))
    return first, collected, reg


@pytest.mark.parametrize("name,files,words", ERRORS, ids=[c[0] for c in ERRORS])
def test_bad_input_fails_at_its_line(tmp_path: pathlib.Path, name: str, files: dict[str, str], words: str) -> None:
    docs, marked = _write(tmp_path, files)
    first, collected, _ = _run(docs)
    assert first is not None, f"{name} was accepted"
    assert (first.path, first.line) == marked, str(first)
    assert words in first.message, str(first)
    # the check command reports the same problem first
    assert collected and str(collected[0]) == str(first), [str(e) for e in collected]


@pytest.mark.parametrize("name,files,check", GOOD, ids=[c[0] for c in GOOD])
def test_awkward_input_gives_the_right_page(tmp_path: pathlib.Path, name: str, files: dict[str, str], check: Callable) -> None:
    docs, _ = _write(tmp_path, files)
    first, collected, reg = _run(docs)
    assert first is None and not collected, f"{first}; {[str(e) for e in collected]}"
    assert reg is not None
    check(reg)


def test_check_command_exits_1_on_what_the_build_rejects(tmp_path: pathlib.Path) -> None:
    """Unknown figure, unquoted q() and bad math: the command exits 1 naming each file and line."""
    docs, _ = _write(tmp_path, {
        "a.md": page(q("demo-a", body='{{ figure("nope", "图") }}')),
        "b.md": page(q("demo-b", body="见 {{ q(nope) }}。")),
        "c.md": page(q("demo-c", body="坏 $\\frac{a$。")),
    })
    result = subprocess.run([sys.executable, "-m", "scripts", "check", str(docs)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1
    for where in ("a.md:8:", "b.md:8:", "c.md:8:"):
        assert where in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


# Build level: one fixture site per error source lives in tests/sites/ (tests/test_sites.py).


def test_hostile_titles_and_summaries_come_out_intact(tmp_path: pathlib.Path) -> None:
    """Titles with | [ ] ( ) # * _ ` < & and 速答 with Jinja-like code and math, on every page that copies them."""
    body = '见 {{ q("demo-b") }}。'
    demo = (
        "---\ndescription: 演示\n---\n"
        "```text\n# 不是一级标题\n```\n\n"  # no H1 outside code: the toolbar goes before the first question
        + q("demo-a", title=HOSTILE, summary="`{{ messages }}` 与 $x^{{y}}$。", body=body)
        + "\n" + q("demo-b", title="C# 和 F#？")
    )
    pages = {
        "index.md": "# 首页\n\n{{ topics() }}\n",
        "demo.md": demo,
        "cheatsheet.md": "# 速记表\n\n{{ cheat_sheet() }}\n",
        "recent.md": "# 最近更新\n\n{{ recent() }}\n",
    }
    import subprocess

    from conftest import build, write_site

    write_site(tmp_path, pages)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run([*git, "-C", str(tmp_path), "add", "-A"], check=True)
    subprocess.run([*git, "-C", str(tmp_path), "commit", "-qm", "fixture"], check=True)  # 最近更新 reads git history
    result, out = build(tmp_path), tmp_path / "site"
    assert result.returncode == 0, result.stderr[-3000:]
    import html as h

    def text_of(fragment: str) -> str:
        return h.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()

    plain = kb.registry.title_text(HOSTILE)
    topic = (out / "demo" / "index.html").read_text("utf-8")
    heading = re.search(r'<h3 class="kb-q"[^>]*id="demo-a"[^>]*>(.*?)<a class="headerlink"', topic, re.S)
    assert heading and text_of(heading.group(1)) == plain
    assert text_of(re.search(r'<h3 class="kb-q"[^>]*id="demo-b"[^>]*>(.*?)<a class="headerlink"', topic, re.S).group(1)) == "C# 和 F#？"
    assert re.search(r'data-kb-id="demo-a" data-kb-topic="demo"', topic)
    assert topic.index('class="kb-toolbar"') > topic.index("不是一级标题")  # not inside the code block
    toc = re.search(r'<a href="#demo-a" class="md-nav__link">(.*?)</a>', topic, re.S)
    assert toc and text_of(toc.group(1)) == plain
    # the backlink on demo-b names demo-a by its full title
    back = re.search(r'<div class="kb-backlinks">.*?<a href="(?:\./)?#demo-a">(.*?)</a>', topic, re.S)
    assert back and text_of(back.group(1)) == plain
    sheet = (out / "cheatsheet" / "index.html").read_text("utf-8")
    link = re.search(r'<a href="../demo/#demo-a">(.*?)</a>', sheet, re.S)
    assert link and text_of(link.group(1)) == plain
    assert "<code>{{ messages }}</code>" in sheet and "<math" in sheet
    recent = (out / "recent" / "index.html").read_text("utf-8")
    row = re.search(r"<tr>\s*<td>[\d-]+</td>\s*<td><a href=\"../demo/#demo-a\">(.*?)</a></td>", recent, re.S)
    assert row and text_of(row.group(1)) == plain
    data = {x["id"]: x for x in json.loads((out / "questions.json").read_text("utf-8"))}
    assert data["demo-a"]["title"] == plain and data["demo-b"]["title"] == "C# 和 F#？"
    # code keeps its braces; math becomes readable text (had Jinja evaluated {{y}}, the build would fail: y is undefined)
    assert data["demo-a"]["summary"] == "{{ messages }} 与 x^y。"
    head = (out / "search" / "head.js").read_text("utf-8")
    docs = json.loads(head[head.index("=") + 1:].strip().rstrip(";"))["docs"]  # [id, topic, level, hot, title, …]
    entry = next(d for d in docs if d[0] == "demo-a")
    assert entry[4].replace("\u200b", "") == plain  # the search title is the plain text, word breaks aside


def test_hostile_config_values_are_escaped_in_every_override(tmp_path: pathlib.Path) -> None:
    """site_name, site_url, repo_url and copyright with markup in them come out as text, never as tags."""
    import yaml
    from conftest import build, write_site

    write_site(tmp_path, {"index.md": "# 首页\n\n见仓库 {{ config.repo_url }}。\n", "demo.md": page(q("demo-a"))})
    cfg_path = tmp_path / "mkdocs.yml"
    cfg = yaml.safe_load(cfg_path.read_text("utf-8"))
    cfg.update({
        "site_name": 'K<script>alert("name")</script>B',
        "site_url": 'https://example.com/x"onmouseover="alert(1)/',
        "repo_url": 'https://github.com/a/b"><script>alert("repo")</script>',
        "repo_name": "<b>repo</b>",
        "copyright": '<img src=x onerror=alert("c")>',
    })
    cfg_path.write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    result = build(tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    for name in ("index.html", "demo/index.html", "404.html"):
        text = (tmp_path / "site" / name).read_text("utf-8")
        # the parts our overrides write (Material's own templates are the theme's business)
        parts = re.findall(r'<meta (?:property="og:|name="twitter:)[^>]*>', text)
        parts += re.findall(r'<div class="md-copyright">.*?</div>\s*</div>', text, re.S)
        parts += re.findall(r'<a href="[^>]*class="md-source">.*?</a>', text, re.S)
        parts += re.findall(r"<title>.*?</title>", text, re.S)
        if name == "404.html":
            parts += re.findall(r"<h1>404.*?</ul>", text, re.S)
        joined = "\n".join(parts)
        assert len(parts) >= 7 and "md-copyright" in joined and "<title>" in joined and "md-source" in joined, name
        for bad in ("<script", "<img", "<b>", '"onmouseover="', 'x"onmouseover'):
            assert bad not in joined, (name, bad, joined[:3000])
        assert "&lt;img src=x onerror=alert(" in joined and "&lt;b&gt;repo&lt;/b&gt;" in joined, name
        assert re.search(r"<title>[^<]*K&lt;script&gt;alert\(&#34;name&#34;\)&lt;/script&gt;B</title>", joined), name


def test_math_errors_found_after_rendering_name_the_source() -> None:
    """The build's last line of defence (hooks/katex.py) names the 速答 a copied formula came from."""
    from kb import katex

    summary_page = page(q("demo-a", summary="`$\\frac{a$` 与 $\\frac{a$。"))
    reg = kb.registry.build_registry([("demo.md", summary_page)])
    (qq,) = reg.questions.values()
    others = [(qq.page, "\n" * (qq.summary_line - 1) + qq.summary_md)]
    assert katex.locate("\\frac{a", "cheatsheet.md", "# 速记表\n\n{{ cheat_sheet() }}\n", others) == ("demo.md", qq.summary_line)
    assert katex.locate("\\frac{a", "demo.md", summary_page) == ("demo.md", qq.summary_line)
