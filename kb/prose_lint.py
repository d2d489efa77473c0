"""Prose lint for the Chinese content: spacing and punctuation, lookalike characters, answer hygiene.

CJK–Latin spacing and full-width punctuation are checked by autocorrect (huacnlee/autocorrect,
PyPI autocorrect-py), which also fixes them: `python -m scripts lint --fix`.
The rest is checked here: one quote style (“” in Chinese text, not 「」), Kangxi radicals and
full-width Latin letters that look like ordinary characters (they break search), talk of "the
source material" (种子资料…), the 速答 length limit, a source link in every answer, no bare URLs.

Command line: scripts/lint.py.
"""

from __future__ import annotations

import pathlib
import re
import unicodedata

import autocorrect_py

from kb.registry import code_mask, parse_page, plain_text

ROOT = pathlib.Path(__file__).resolve().parent.parent
autocorrect_py.load_config((ROOT / ".autocorrectrc").read_text("utf-8"))

SUMMARY_MAX = 200  # characters of plain text (LaTeX source included) in a 速答
LOOKALIKE_RE = re.compile(r"[\u2e80-\u2eff\u2f00-\u2fdf\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
BARE_URL_RE = re.compile(r"(?<![<(\"'])\bhttps?://\S+")
URL_RE = re.compile(r"https?://")
META_LINE_RE = re.compile(r"^\s*>\s*id:")
INLINE_CODE_RE = re.compile(r"`[^`]*`")
CORNER_QUOTE_RE = re.compile(r"[「」『』]")
LIST_ITEM_RE = re.compile(r"^(\d+\.|[-*])\s")
# The reader never sees the documents the bank was first drawn from: an answer talks about the claim
# itself ("常见说法是……，不对：……"), never about "the source material". 种子任务 (Self-Instruct) and
# 三种子词算法 stay legal.
SOURCE_TALK_RE = re.compile(r"种子(资料|答案|题|里|把|说|列出|中的|给出|文档|文本)|有种子|\bseeds? (says?|answers?|documents?)\b", re.I)


def glued_list_items(lines: list[str], mask: list[bool]) -> list[int]:
    """Indices of list items that follow an indented line without a blank line: Markdown would
    read them as part of the previous item's last paragraph."""
    return [
        i for i in range(1, len(lines))
        if not mask[i] and not mask[i - 1] and LIST_ITEM_RE.match(lines[i])
        and lines[i - 1].startswith("    ") and lines[i - 1].strip()
    ]


def fix_glued_list_items(text: str) -> str:
    lines = text.split("\n")
    for i in reversed(glued_list_items(lines, code_mask(lines))):
        lines.insert(i, "")
    return "\n".join(lines)


def spacing_problems(text: str) -> list[tuple[int, str]]:
    """autocorrect's findings, except on metadata lines (machine syntax, not prose)."""
    lines = text.split("\n")
    out = []
    for r in autocorrect_py.lint_for(text, "md").lines:
        if META_LINE_RE.match(lines[r.line - 1]):
            continue
        out.append((r.line, f"spacing or punctuation: write '{r.new.strip()[:90]}'"))
    return out


def fix_spacing(text: str) -> str:
    """autocorrect's fix, keeping metadata lines as they were."""
    fixed = autocorrect_py.format_for(text, "md")
    old_lines, new_lines = text.split("\n"), fixed.split("\n")
    if len(old_lines) != len(new_lines):
        return fixed
    return "\n".join(o if META_LINE_RE.match(o) else n for o, n in zip(old_lines, new_lines))


def other_problems(path: str, text: str) -> list[tuple[int, str]]:
    lines = text.split("\n")
    mask = code_mask(lines)
    out: list[tuple[int, str]] = []
    for i, line in enumerate(lines):
        if mask[i]:
            continue
        for m in LOOKALIKE_RE.finditer(line):
            ch = m.group(0)
            out.append((i + 1, f"lookalike character '{ch}' (U+{ord(ch):04X} {unicodedata.name(ch, '?')}): write '{unicodedata.normalize('NFKC', ch)}'"))
        for m in SOURCE_TALK_RE.finditer(line):
            out.append((i + 1, f"'{m.group(0)}' talks about source material the reader never sees: "
                        "say what the common wrong answer is instead (常见说法是……，不对：……)"))
        for m in CORNER_QUOTE_RE.finditer(INLINE_CODE_RE.sub("", line)):
            out.append((i + 1, f"corner quote '{m.group(0)}': the site quotes with “” (and ‘’ inside them)"))
        for m in BARE_URL_RE.finditer(INLINE_CODE_RE.sub("", line)):
            out.append((i + 1, f"bare URL {m.group(0)[:60]}: write <{m.group(0)}> or [title]({m.group(0)})"))
    for i in glued_list_items(lines, mask):
        out.append((i + 1, "list item glued to the indented line above: add a blank line before it"))
    for q in parse_page(path, text).questions:
        summary = plain_text(q.summary_md)
        if len(summary) > SUMMARY_MAX:
            out.append((q.body_line, f"速答 of '{q.id}' has {len(summary)} characters; keep it to {SUMMARY_MAX} (one or two sentences)"))
        if not any(URL_RE.search(b) for b in q.body):
            out.append((q.line, f"answer of '{q.id}' cites no source: add a **参考** list with a paper or official docs link"))
    return out


def lint(path: str, text: str) -> list[str]:
    problems = spacing_problems(text) + other_problems(path, text)
    return [f"{path}:{line}: {msg}" for line, msg in sorted(problems)]
