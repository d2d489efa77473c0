"""Glossary tooltips: a page gets the abbreviations of terms.yml that it uses as Markdown abbreviations.

`*[GQA]: 分组查询注意力（grouped-query attention）：……` lines are appended after the macros
have run, one for each abbreviation that occurs in the page (`used_terms`: the others would only
cost the Markdown converter time), so the `abbr` extension wraps each occurrence in an <abbr>
with a tooltip. A page whose front matter says `abbr: false` (lists of question titles) gets none.
Once the page is rendered (on_page_content, `unmark`): headings and links are already marked as
headings and links, so the dotted underline and tooltip of an <abbr> inside them is taken out
again; and within one answer only the first occurrence of each abbreviation keeps its tooltip
(a long answer would otherwise underline "ViT" dozens of times).
"""

from __future__ import annotations

import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from kb.terms import Term, load_terms

_WORD = re.compile(r"\w")


def _boundary(text: str, i: int) -> bool:
    """Whether position i of the text is a word boundary, as regular expressions' \\b means it."""
    before = i > 0 and _WORD.match(text[i - 1]) is not None
    after = i < len(text) and _WORD.match(text[i]) is not None
    return before != after


def occurs(term: str, text: str) -> bool:
    """`re.search(rf"\\b{re.escape(term)}\\b", text)`, the way the `abbr` extension matches, without a regex scan."""
    i = text.find(term)
    while i >= 0:
        if _boundary(text, i) and _boundary(text, i + len(term)):
            return True
        i = text.find(term, i + 1)
    return False


def used_terms(markdown: str, terms: list[Term]) -> list[Term]:
    """The abbreviations that occur in the text as whole words (as the `abbr` extension matches them)."""
    return [t for t in terms if t.abbr and occurs(t.en, markdown)]


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
    return markdown + "\n\n" + abbreviation_lines(used_terms(markdown, load_terms())) + "\n"


MARKED_RE = re.compile(r"<(h[1-6]|a)\b[^>]*>.*?</\1>", re.S)
ABBR_RE = re.compile(r"<abbr\b[^>]*>(.*?)</abbr>", re.S)


ANSWER_RE = re.compile(r'<details class="kb-answer"[^>]*>.*?</details>', re.S)  # answers do not nest


def unmark_headings_and_links(html: str) -> str:
    """Drop <abbr> markers inside headings and links, keeping their text."""
    return MARKED_RE.sub(lambda m: ABBR_RE.sub(r"\1", m.group(0)), html)


def first_per_answer(html: str) -> str:
    """Within each answer, keep the <abbr> marker of an abbreviation's first occurrence only."""

    def answer(m: re.Match[str]) -> str:
        seen: set[str] = set()

        def one(a: re.Match[str]) -> str:
            if a.group(1) in seen:
                return a.group(1)
            seen.add(a.group(1))
            return a.group(0)

        return ABBR_RE.sub(one, m.group(0))

    return ANSWER_RE.sub(answer, html)


def unmark(html: str) -> str:
    """Headings and links unmarked first, so that the marker kept in an answer is one a reader sees."""
    return first_per_answer(unmark_headings_and_links(html))


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    return unmark(html)
