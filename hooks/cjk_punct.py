"""Chinese line breaking: a closing punctuation mark never starts a line after inline math or code.

A formula is an atomic inline box, and browsers allow a line break on either side of one (CSS
Text 3, for web compatibility); Chromium also breaks after a padded inline `code` box. So a "，"
or "：" after either can start the next line. At build time, after hooks/katex.py has rendered the
math, each inline formula, and each short code span (a long one must stay free to wrap inside),
directly followed by closing punctuation is wrapped together with it in `<span class="kb-nobr">`
(kb.css: white-space: nowrap; kb.js gives a glued formula wider than the line its own scroll box).
"""

from __future__ import annotations

import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page

CLOSING = "，。、：；！？）》」』】”’"
MATH = r'<span class="katex">(?:(?!</math>).)*</math></span>'
SHORT_CODE = r"<code\b[^>]*>(?:[^<]|<(?!/code>)[^>]*>){1,20}</code>"  # up to 20 characters (a tag counts as one)
GLUED_RE = re.compile(rf"({MATH}|{SHORT_CODE})([{CLOSING}]+)", re.S)


def keep_punctuation(html: str) -> str:
    """Wrap inline math or short code and the closing punctuation right after it in a no-break span."""
    return GLUED_RE.sub(r'<span class="kb-nobr">\1\2</span>', html)


@event_priority(-20)  # after hooks/katex.py has turned the TeX into MathML
def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str:
    return keep_punctuation(output)
