"""Search terms: the words jieba keeps whole, and the term pairs that make a question found by
a term in one language findable by its pair in the other.

`cut` segments a text with jieba, after teaching it the domain's words (docs/assets/data/search-words.txt
and the Chinese names in docs/assets/data/terms.yml) the first time; its results are kept across
builds (kb/build_cache.py, store `jieba`: keyed by the text, valid for one jieba version and one
word list), so a build whose texts were all seen before never loads jieba's dictionary (0.7 s).
`Synonyms` gives, for a text,
the counterparts of the terms it mentions (RoPE ↔ 旋转位置编码, GQA ↔ 分组查询注意力, ...), which
hooks/search_index.py stores with each question; hooks/search_terms.py starts the cache of each build (searchable, never shown).
"""

from __future__ import annotations

import functools
import pathlib
import re
import threading
from importlib import metadata

import jieba

from kb import build_cache
from kb.terms import TERMS_FILE, load_terms

WORDS_FILE = pathlib.Path(__file__).resolve().parent.parent / "docs" / "assets" / "data" / "search-words.txt"


def search_words() -> list[str]:
    """Words jieba keeps whole: the Chinese names of terms.yml and docs/assets/data/search-words.txt."""
    listed = [w.strip() for w in WORDS_FILE.read_text("utf-8").splitlines() if w.strip() and not w.startswith("#")]
    named = [n for t in load_terms() for n in t.names if not n.isascii() and " " not in n]
    return sorted(set(listed + named))


FREQ = 100000  # the weight of a domain word: kept whole wherever it occurs
_taught: list[str] = []  # the words jieba has been taught in this process (cleared by begin())


@functools.lru_cache(maxsize=4)
def _version(stamp: tuple[int, ...]) -> str:
    return build_cache.digest(metadata.version("jieba"), str(FREQ), *search_words())


def _jieba_store() -> build_cache.Store:
    """The segmentation cache for the current word lists (their modification times name them)."""
    stamp = tuple(p.stat().st_mtime_ns if p.exists() else 0 for p in (WORDS_FILE, TERMS_FILE))
    return build_cache.store("jieba", _version(stamp))


def cut(text: str) -> list[str]:
    """jieba's words of a text, with the domain's words kept whole (cached across builds)."""
    cache = _jieba_store()
    key = build_cache.digest(text)
    words = cache.get(key)
    if words is None:
        if not _taught:  # teach jieba only when a text actually needs segmenting
            _taught.extend(search_words())
            for word in _taught:
                jieba.add_word(word, freq=FREQ)
        words = list(jieba.cut(text))
        cache.put(key, words)
    return words


def begin(cache_dir: str) -> None:
    """Start a build: the word files may have changed since the last build of `mkdocs serve`."""
    _taught.clear()
    _jieba_store().begin(cache_dir)


def load_dictionary_in_background() -> None:
    """Load jieba's dictionary while `mkdocs serve` waits for the first edit (a warm build needs none)."""
    threading.Thread(target=jieba.initialize, daemon=True).start()


def save_cache() -> None:
    """Write the segmentation cache (hooks/search_index.py calls it once it has segmented everything)."""
    _jieba_store().save()


def load_groups() -> list[list[str]]:
    return [term.names for term in load_terms()]


def _pattern(term: str) -> str:
    term = re.escape(term.lower())
    # a whole word: not inside another word, nor part of a hyphenated name (ZeRO is not R1-Zero nor
    # zero-shot; ZeRO-3 is ZeRO)
    return rf"(?<![a-z0-9])(?<![a-z0-9]-){term}(?![a-z0-9])(?!-[a-z])" if term.isascii() else term


def _segment(term: str) -> str:
    return term if term.isascii() else "\u200b".join(cut(term))


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
