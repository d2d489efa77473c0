"""Prose lint: the content passes it, and it catches what it claims to catch."""

from __future__ import annotations

import pytest
from conftest import ROOT

from kb import prose_lint

PAGES = sorted((ROOT / "docs").glob("*.md"))

GOOD = """# 页

### 为什么使用 LoRA？
> id: demo-lora | level: 基础 | tags: LoRA

/// answer
**速答**：冻结原权重，只训练低秩增量。

**参考**

- Hu et al. *LoRA*. 2021. <https://arxiv.org/abs/2106.09685>
///
"""


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_content_passes_prose_lint(page) -> None:
    problems = prose_lint.lint(page.name, page.read_text("utf-8"))
    assert not problems, "\n".join(problems[:20]) + "\nfix: python -m scripts lint --fix"


def test_clean_page_has_no_problems() -> None:
    assert prose_lint.lint("demo.md", GOOD) == []


@pytest.mark.parametrize(
    "before,after,words",
    [
        ("冻结原权重，只训练低秩增量。", "冻结原权重,只训练LoRA增量。", "spacing or punctuation"),
        ("冻结原权重", "冻结原权\u2f64", "lookalike character"),  # KANGXI RADICAL FIELD for 田-like glyph
        ("只训练低秩增量", "只训练ｌｏｗ秩增量", "lookalike character"),
        ("<https://arxiv.org/abs/2106.09685>", "https://arxiv.org/abs/2106.09685", "bare URL"),
        ("- Hu et al. *LoRA*. 2021. <https://arxiv.org/abs/2106.09685>", "- Hu et al. *LoRA*. 2021.", "cites no source"),
        ("冻结原权重，只训练低秩增量。", "冻结原权重，只训练低秩增量。" * 20, "速答 of 'demo-lora'"),
        ("冻结原权重", "冻结「原权重」", "corner quote '「'"),
        ("**参考**", "1. 第一步\n\n    续行\n2. 第二步\n\n**参考**", "list item glued"),
        ("只训练低秩增量。", "只训练低秩增量。种子资料说要训练全部权重。", "source material"),
        ("只训练低秩增量。", "只训练低秩增量。\n\n**易错点**：种子把它说成剪枝。", "source material"),
    ],
)
def test_lint_catches(before: str, after: str, words: str) -> None:
    problems = prose_lint.lint("demo.md", GOOD.replace(before, after))
    assert any(words in p for p in problems), problems


def test_seed_words_in_other_senses_are_prose() -> None:
    text = GOOD.replace("只训练低秩增量。", "只训练低秩增量。Self-Instruct 从少量种子任务出发；三种子词算法各有取舍。")
    assert prose_lint.lint("demo.md", text) == []


def test_metadata_lines_are_not_prose() -> None:
    text = GOOD.replace("tags: LoRA", "tags: LoRA, 参数高效, PEFT")
    assert prose_lint.lint("demo.md", text) == []


def test_fix_separates_glued_list_items() -> None:
    text = GOOD.replace("**参考**", "1. 第一步\n\n    续行\n2. 第二步\n\n**参考**")
    fixed = prose_lint.fix_glued_list_items(text)
    assert "    续行\n\n2. 第二步" in fixed
    assert prose_lint.lint("demo.md", fixed) == []
