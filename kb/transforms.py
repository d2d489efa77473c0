"""String-in / string-out transforms of rendered pages, called by hooks (no MkDocs here).

`keep_punctuation` (hooks/cjk_punct.py): a closing punctuation mark never starts a line after inline math or code.

A formula is an atomic inline box, and browsers allow a line break on either side of one (CSS
Text 3, for web compatibility); Chromium also breaks after a padded inline `code` box. So a "，"
or "：" after either can start the next line. At build time, after hooks/katex.py has rendered the
math, each inline formula, and each short code span (a long one must stay free to wrap inside),
directly followed by closing punctuation is wrapped together with it in `<span class="kb-nobr">`
(kb.css: white-space: nowrap; kb.js gives a glued formula wider than the line its own scroll box).

`math_title` (hooks/title_math.py): inline math in the table of contents.

Python-Markdown's table of contents keeps a heading's math as raw TeX text, `\\(\\sqrt{d_k}\\)`.
`math_title` gives those titles the arithmatex markup back, so that hooks/katex.py renders them to
MathML with the rest of the page. (Search indexes the page's headings itself; questions.json and
issue titles use the plain-text form, kb.registry.tex_plain.)
"""

from __future__ import annotations

import re

CLOSING = "，。、：；！？）》」』】”’"
MATH = r'<span class="katex">(?:(?!</math>).)*</math></span>'
SHORT_CODE = r"<code\b[^>]*>(?:[^<]|<(?!/code>)[^>]*>){1,20}</code>"  # up to 20 characters (a tag counts as one)
GLUED_RE = re.compile(rf"({MATH}|{SHORT_CODE})([{CLOSING}]+)", re.S)


def keep_punctuation(html: str) -> str:
    """Wrap inline math or short code and the closing punctuation right after it in a no-break span."""
    return GLUED_RE.sub(r'<span class="kb-nobr">\1\2</span>', html)


TOC_MATH_RE = re.compile(r"\\\((.+?)\\\)")


def math_title(title: str) -> str:
    """`要除以 \\(\\sqrt{d_k}\\)？` -> `要除以 <span class="arithmatex">\\(\\sqrt{d_k}\\)</span>？`."""
    return TOC_MATH_RE.sub(lambda m: f'<span class="arithmatex">\\({m.group(1)}\\)</span>', title)
