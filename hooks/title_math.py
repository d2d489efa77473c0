"""Inline math in the table of contents: titles get the arithmatex markup back
(kb.transforms.math_title), so that hooks/katex.py renders them with the rest of the page."""

from __future__ import annotations

from collections.abc import Iterable

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink

from kb.transforms import math_title


def _mark(items: Iterable[AnchorLink]) -> None:
    for item in items:
        item.title = math_title(item.title)
        _mark(item.children)


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    _mark(page.toc)
    return None
