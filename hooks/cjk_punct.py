"""Chinese line breaking: a closing punctuation mark never starts a line after inline math or code
(kb.transforms.keep_punctuation explains why and how)."""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page

from kb.transforms import keep_punctuation


@event_priority(-20)  # after hooks/katex.py has turned the TeX into MathML
def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str:
    return keep_punctuation(output)
