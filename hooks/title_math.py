"""Inline math in the table of contents.

Python-Markdown's table of contents keeps a heading's math as raw TeX text, `\\(\\sqrt{d_k}\\)`.
This hook gives those titles the arithmatex markup back, so that hooks/katex.py renders them to
MathML with the rest of the page. (Search indexes the page's headings itself; questions.json and
issue titles use the plain-text form, kb_registry.tex_plain.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink

TOC_MATH_RE = re.compile(r"\\\((.+?)\\\)")


def math_title(title: str) -> str:
    """`要除以 \\(\\sqrt{d_k}\\)？` -> `要除以 <span class="arithmatex">\\(\\sqrt{d_k}\\)</span>？`."""
    return TOC_MATH_RE.sub(lambda m: f'<span class="arithmatex">\\({m.group(1)}\\)</span>', title)


def _mark(items: Iterable[AnchorLink]) -> None:
    for item in items:
        item.title = math_title(item.title)
        _mark(item.children)


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    _mark(page.toc)
    return None
