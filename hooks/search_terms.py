"""Search terms: the words jieba keeps whole, and the term pairs that make a question found by
a term in one language findable by its pair in the other.

on_config teaches jieba the domain's words (docs/assets/data/search-words.txt and the Chinese
names in docs/assets/data/terms.yml) before any page is segmented; `Synonyms` gives, for a text,
the counterparts of the terms it mentions (RoPE ↔ 旋转位置编码, GQA ↔ 分组查询注意力, ...), which
hooks/search_index.py stores with each question (searchable, never shown).
"""

from __future__ import annotations

import pathlib
import re

import jieba
from mkdocs.config.defaults import MkDocsConfig

from kb.terms import load_terms

WORDS_FILE = pathlib.Path(__file__).resolve().parent.parent / "docs" / "assets" / "data" / "search-words.txt"


def search_words() -> list[str]:
    """Words jieba keeps whole: the Chinese names of terms.yml and docs/assets/data/search-words.txt."""
    listed = [w.strip() for w in WORDS_FILE.read_text("utf-8").splitlines() if w.strip() and not w.startswith("#")]
    named = [n for t in load_terms() for n in t.names if not n.isascii() and " " not in n]
    return sorted(set(listed + named))


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Teach jieba the domain's words before the search plugin segments the pages."""
    for word in search_words():
        jieba.add_word(word, freq=100000)
    return config


def load_groups() -> list[list[str]]:
    return [term.names for term in load_terms()]


def _pattern(term: str) -> str:
    term = re.escape(term.lower())
    return rf"(?<![a-z0-9]){term}(?![a-z0-9])" if term.isascii() else term


def _segment(term: str) -> str:
    return term if term.isascii() else "\u200b".join(jieba.cut(term))


class Synonyms:
    """Term groups prepared once: a substring test per term, a boundary regex only for ASCII hits."""

    def __init__(self, groups: list[list[str]]) -> None:
        self.groups = [[(t.lower(), re.compile(_pattern(t)) if t.isascii() else None, _segment(t)) for t in g] for g in groups]

    def for_text(self, text: str) -> list[str]:
        """The terms to add to a text so that each group it mentions is complete."""
        plain = text.replace("\u200b", "").lower()

        def present(term: str, boundary: re.Pattern[str] | None) -> bool:
            return term in plain and (boundary is None or boundary.search(plain) is not None)

        extra: list[str] = []
        for group in self.groups:
            hits = [present(term, boundary) for term, boundary, _ in group]
            if any(hits):
                extra += [seg for (_, _, seg), hit in zip(group, hits) if not hit]
        return extra
