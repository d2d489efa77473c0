"""Glossary tooltips: every page gets the abbreviations of terms.yml as Markdown abbreviations.

`*[GQA]: 分组查询注意力（grouped-query attention）：……` lines are appended after the macros
have run, so the `abbr` extension wraps each occurrence in an <abbr> with a tooltip. A page
whose front matter says `abbr: false` (lists of question titles) gets none.
Headings and links are already marked as headings and links: the dotted underline and tooltip of
an <abbr> inside them is taken out again once the page is rendered (on_page_content).
"""

from __future__ import annotations

import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from kb.terms import Term, load_terms


def abbreviation_lines(terms: list[Term]) -> str:
    lines = []
    for t in terms:
        if t.abbr:
            english = next((a for a in t.aliases if a.isascii()), "")
            name = f"{t.zh}（{english}）" if english else t.zh
            lines.append(f"*[{t.en}]: {name}：{t.definition}")
    return "\n".join(lines)


@event_priority(-50)  # after mkdocs-macros
def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    if page.meta.get("abbr") is False:  # pages of links only (home, tags): a tooltip per title would weigh more than the page
        return None
    return markdown + "\n\n" + abbreviation_lines(load_terms()) + "\n"


MARKED_RE = re.compile(r"<(h[1-6]|a)\b[^>]*>.*?</\1>", re.S)
ABBR_RE = re.compile(r"<abbr\b[^>]*>(.*?)</abbr>", re.S)


def unmark_headings_and_links(html: str) -> str:
    """Drop <abbr> markers inside headings and links, keeping their text."""
    return MARKED_RE.sub(lambda m: ABBR_RE.sub(r"\1", m.group(0)), html)


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    return unmark_headings_and_links(html)
