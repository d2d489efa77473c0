"""Keep Jinja (mkdocs-macros) away from code and math, and refuse stray Jinja syntax.

`check(path, text)` raises KbError with file:line when, outside code and math,
a `{#` or `{%` appears or a `{{ … }}` is not a macro call. `protect(markdown)`
wraps code and math that contain Jinja delimiters in `{% raw %}` so that the
macros plugin renders them verbatim. hooks/jinja_guard.py runs `protect` before the macros plugin;
the content check (kb/content_check.py) runs `check`.
"""

from __future__ import annotations

import functools
import re

from kb.registry import KbError, code_mask

INLINE_CODE_RE = re.compile(r"(`+)(?:.+?)\1")
DISPLAY_MATH_RE = re.compile(r"\$\$.+?\$\$", re.S)
INLINE_MATH_RE = re.compile(r"(?<![\\$])\$(?![\s$])(?:\\.|[^$\\\n])+?(?<!\s)\$")
JINJA_RE = re.compile(r"\{\{|\{%|\{#|\}\}|%\}|#\}")
MACRO_CALL_RE = re.compile(r"\{\{\s*[a-z_][a-z0-9_.]*(?:\((?:[^{}]|\{[^{}]*\})*?\))?\s*\}\}")


def code_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of fenced and indented code blocks and inline code."""
    return list(_spans(text)[0])


def math_spans(text: str) -> list[tuple[int, int, str, bool]]:
    """(start, end, tex, display) of every formula outside code, as arithmatex finds them."""
    return list(_spans(text)[1])


def protected_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of code and math: what Jinja must leave alone."""
    code, math = _spans(text)
    return sorted([*code, *((s, e) for s, e, _, _ in math)])


@functools.lru_cache(maxsize=128)  # the check, the guard and the math check read each page several times
def _spans(text: str) -> tuple[tuple[tuple[int, int], ...], tuple[tuple[int, int, str, bool], ...]]:
    taken = bytearray(len(text) + 1)  # 1 where code or math already claims the character

    def claim(a: int, b: int) -> bool:
        if taken.find(1, a, b) >= 0:
            return False
        taken[a:b] = b"\x01" * (b - a)
        return True

    code: list[tuple[int, int]] = []
    lines = text.split("\n")
    pos, start = 0, -1
    for line, in_code in zip(lines, code_mask(lines)):
        if in_code and start < 0:
            start = pos
        if not in_code and start >= 0:
            code.append((start, pos - 1))
            start = -1
        pos += len(line) + 1
    if start >= 0:
        code.append((start, len(text)))
    for a, b in code:
        taken[a:b] = b"\x01" * (b - a)
    for m in INLINE_CODE_RE.finditer(text):
        if claim(m.start(), m.end()):
            code.append((m.start(), m.end()))
    math: list[tuple[int, int, str, bool]] = []
    for regex, display in ((DISPLAY_MATH_RE, True), (INLINE_MATH_RE, False)):
        for m in regex.finditer(text):
            if claim(m.start(), m.end()):
                cut = 2 if display else 1
                math.append((m.start(), m.end(), m.group(0)[cut:-cut].strip(), display))
    return tuple(sorted(code)), tuple(sorted(math))


def _masked(text: str) -> str:
    masked = list(text)
    for s, e in protected_spans(text):
        masked[s:e] = " " * (e - s)
    return "".join(masked)


def macro_calls(text: str) -> list[tuple[int, str]]:
    """(offset, text) of every macro call outside code and math."""
    return [(m.start(), m.group(0)) for m in MACRO_CALL_RE.finditer(_masked(text))]


def check(path: str, text: str) -> None:
    """Raise KbError at the first Jinja delimiter outside code and math that is not a macro call."""
    plain = _masked(text)
    calls = [(m.start(), m.end()) for m in MACRO_CALL_RE.finditer(plain)]
    for m in JINJA_RE.finditer(plain):
        if any(s <= m.start() < e for s, e in calls):
            continue
        line = plain.count("\n", 0, m.start()) + 1
        token = m.group(0)
        if token == "{#":
            why = "'{#' opens a Jinja comment and would hide the text after it; write '{ #' or put it in `code` or $math$"
        elif token == "{%":
            why = "'{%' opens a Jinja statement; put it in `code` or $math$"
        elif token == "{{":
            why = "'{{' starts a macro call, but this is not a macro call such as {{ q(\"some-id\") }}; put literal braces in `code` or $math$"
        else:
            why = f"stray '{token}' outside code and math; put it in `code` or $math$"
        raise KbError(path, line, why)


def protect(markdown: str) -> str:
    """Wrap code and math that contain Jinja delimiters in {% raw %} … {% endraw %}."""
    out: list[str] = []
    last = 0
    for s, e in protected_spans(markdown):
        chunk = markdown[s:e]
        if JINJA_RE.search(chunk):
            out.append(markdown[last:s])
            out.append("{% raw %}" + chunk + "{% endraw %}")
            last = e
    out.append(markdown[last:])
    return "".join(out)
