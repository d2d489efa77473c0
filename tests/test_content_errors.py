"""Every kind of bad content fails with file:line and a plain message, at parser level (the builds that prove
the build reports the same are the fixture sites in tests/sites/, run by tests/test_sites.py)."""

from __future__ import annotations

import pytest

from kb import jinja_guard
from kb.registry import KbError, build_registry, parse_page

GOOD = """# 页

### 好问题？
> id: demo-good | level: 基础 | 高频 | tags: a, b

/// answer
**速答**：一句话。
///
"""

# (name, page text, expected line, expected words in the message)
BAD = [
    ("duplicate-id", GOOD + "\n### 又一个？\n> id: demo-good | level: 进阶 | tags: a\n\n/// answer\n**速答**：x\n///\n", 10, "duplicate ID 'demo-good'"),
    ("question-without-id", "# 页\n\n### 没有 ID？\n\n/// answer\n**速答**：x\n///\n", 3, "question without ID"),
    ("meta-without-id", "# 页\n\n### 没有 ID？\n> level: 基础 | tags: a\n\n/// answer\n**速答**：x\n///\n", 4, "question without ID"),
    ("answer-without-question", "# 页\n\n一段话。\n\n/// answer\n**速答**：x\n///\n", 5, "answer without question"),
    ("question-without-answer", "# 页\n\n### 问？\n> id: demo-q | level: 基础 | tags: a\n\n下一段。\n", 3, "question without answer"),
    ("empty-answer", "# 页\n\n### 问？\n> id: demo-q | level: 基础 | tags: a\n\n/// answer\n\n///\n", 6, "empty answer"),
    ("unknown-level", "# 页\n\n### 问？\n> id: demo-q | level: 简单 | tags: a\n\n/// answer\n**速答**：x\n///\n", 4, "unknown level '简单'"),
    ("malformed-meta-field", "# 页\n\n### 问？\n> id: demo-q | level: 基础 | color: red | tags: a\n\n/// answer\n**速答**：x\n///\n", 4, "malformed metadata"),
    ("malformed-id", "# 页\n\n### 问？\n> id: Demo_Q | level: 基础 | tags: a\n\n/// answer\n**速答**：x\n///\n", 4, "kebab-case"),
    ("missing-tags", "# 页\n\n### 问？\n> id: demo-q | level: 基础\n\n/// answer\n**速答**：x\n///\n", 4, "at least one tag"),
    ("missing-summary", "# 页\n\n### 问？\n> id: demo-q | level: 基础 | tags: a\n\n/// answer\n**详解**：x\n///\n", 6, "missing 速答"),
    ("unclosed-answer", "# 页\n\n### 问？\n> id: demo-q | level: 基础 | tags: a\n\n/// answer\n**速答**：x\n", 6, "unclosed answer"),
    ("heading-in-answer", "# 页\n\n### 问？\n> id: demo-q | level: 基础 | tags: a\n\n/// answer\n**速答**：x\n\n#### 详解\n///\n", 9, "heading inside the answer"),
    ("unknown-link", GOOD + "\n见 {{ q(\"demo-goood\") }}。\n", 10, "link to unknown question 'demo-goood'; did you mean 'demo-good'"),
]

JINJA_BAD = [
    ("jinja-comment", GOOD + "\n集合写作 {#x} 会出错。\n", 10, "'{#' opens a Jinja comment"),
    ("jinja-statement", GOOD + "\n{% if x %}\n", 10, "'{%' opens a Jinja statement"),
    ("jinja-variable", GOOD + "\n花括号 {{ x + 1 }} 不是宏。\n", 10, "'{{' starts a macro call"),
]


@pytest.mark.parametrize("name,text,line,words", BAD, ids=[b[0] for b in BAD])
def test_registry_reports_file_and_line(name: str, text: str, line: int, words: str) -> None:
    with pytest.raises(KbError) as info:
        build_registry([("demo.md", text)])
    assert (info.value.path, info.value.line) == ("demo.md", line)
    assert words in info.value.message


@pytest.mark.parametrize("name,text,line,words", JINJA_BAD, ids=[b[0] for b in JINJA_BAD])
def test_jinja_guard_reports_file_and_line(name: str, text: str, line: int, words: str) -> None:
    with pytest.raises(KbError) as info:
        jinja_guard.check("demo.md", text)
    assert info.value.line == line
    assert words in str(info.value)


def test_code_and_math_may_contain_jinja_delimiters() -> None:
    text = GOOD + "\n$x^{{2}}$ 与 $\\{\\#\\}$ 以及 `{% raw %}`\n\n```python\nd = {'a': {'b': 1}}  # }}\n```\n"
    jinja_guard.check("demo.md", text)
    protected = jinja_guard.protect(text)
    assert "{% raw %}$x^{{2}}${% endraw %}" in protected
    assert "{% raw %}```python" in protected


def test_good_page_parses_all_fields() -> None:
    page = parse_page("demo.md", GOOD)
    (q,) = page.questions
    assert (q.id, q.title, q.level, q.hot, q.tags, q.summary, q.line) == (
        "demo-good", "好问题？", "基础", True, ["a", "b"], "一句话。", 3,
    )


def test_headings_inside_code_are_not_questions() -> None:
    text = GOOD.replace("**速答**：一句话。", "**速答**：一句话。\n\n```markdown\n### 不是标题\n> id: demo-x | level: 基础 | tags: a\n```")
    assert [q.id for q in parse_page("demo.md", text).questions] == ["demo-good"]


def test_backlinks_come_from_links_in_answers() -> None:
    other = "# 页2\n\n### 另一题？\n> id: demo-other | level: 进阶 | tags: c\n\n/// answer\n**速答**：见 {{ q(\"demo-good\") }}。\n///\n"
    reg = build_registry([("a.md", GOOD), ("b.md", other)])
    assert reg.backlinks == {"demo-good": ["demo-other"]}


def test_check_command_reports_every_page(tmp_path) -> None:
    """`python -m scripts check` lists the problems of all pages, not only the first."""
    from scripts.check import check_tree

    (tmp_path / "a.md").write_text(GOOD + "\n集合 {#x} 会出错。\n", encoding="utf-8")
    (tmp_path / "b.md").write_text(GOOD.replace("demo-good", "demo-other") + '\n见 {{ q("demo-nope") }}。\n', encoding="utf-8")
    (tmp_path / "c.md").write_text(GOOD.replace("level: 基础", "level: 简单"), encoding="utf-8")
    errors, counts = check_tree(str(tmp_path))
    assert [e.split(":")[0] for e in errors] == ["a.md", "c.md", "b.md"]
    assert "link to unknown question 'demo-nope'" in errors[2]
    assert counts == {"b.md": 1}


TERMS_GOOD = "# comment\n- {en: GQA, zh: 分组查询注意力, aliases: [grouped-query attention], def: 查询头分组共享 K、V。}\n"
TERMS_BAD = [
    ("duplicate-en", "- {en: Grouped-Query Attention, zh: 分组注意力, def: 重复的词条。}", "'Grouped-Query Attention' is already a name of the term on line 2"),
    ("duplicate-alias", "- {en: MQA, zh: 多查询注意力, aliases: [gqa], def: 别名撞上了另一条。}", "'gqa' is already a name of the term on line 2"),
    ("duplicate-zh", "- {en: MQA, zh: 分组查询注意力, def: 中文名重复。}", "'分组查询注意力' is already a name"),
    ("missing-def", "- {en: MQA, zh: 多查询注意力}", "needs en, zh and def"),
]


@pytest.mark.parametrize(("name", "entry", "words"), TERMS_BAD, ids=[b[0] for b in TERMS_BAD])
def test_term_list_reports_file_and_line(name: str, entry: str, words: str) -> None:
    from kb.terms import parse_terms

    assert [t.en for t in parse_terms(TERMS_GOOD)] == ["GQA"]
    with pytest.raises(ValueError) as err:
        parse_terms(TERMS_GOOD + entry + "\n")
    assert str(err.value).startswith("terms.yml:3: ") and words in str(err.value)
