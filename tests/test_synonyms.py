"""Term-pair synonyms added to the search index (kb/search_terms.py Synonyms): a term counts
only as a whole word, so a question about R1-Zero or zero-shot prompting does not also answer a
search for 零冗余优化器 (ZeRO)."""

from __future__ import annotations

from kb.search_terms import Synonyms


def added(text: str) -> list[str]:
    return [s.replace("\u200b", "") for s in Synonyms([["ZeRO", "零冗余优化器"]]).for_text(text)]


def test_a_term_adds_its_pair() -> None:
    assert added("ZeRO-3 切分参数") == ["零冗余优化器"]
    assert added("用零冗余优化器训练") == ["ZeRO"]


def test_a_hyphenated_name_is_not_the_term() -> None:
    assert added("DeepSeek-R1-Zero 只用强化学习") == []
    assert added("zero-shot 提示") == []
