"""Prose lint of every page (kb.prose_lint): spacing, punctuation, lookalikes, answer hygiene.

Usage: python -m scripts lint [--fix] [DOCS_DIR]
--fix rewrites CJK–Latin spacing, full-width punctuation and glued list items in place first.
"""

from __future__ import annotations

import pathlib
import sys

from kb.prose_lint import fix_glued_list_items, fix_spacing, lint


def main(argv: list[str]) -> int:
    fix = "--fix" in argv
    args = [a for a in argv if a != "--fix"]
    docs = pathlib.Path(args[0] if args else "docs")
    found = 0
    for md in sorted(docs.rglob("*.md")):
        text = md.read_text("utf-8")
        if fix:
            fixed = fix_glued_list_items(fix_spacing(text))
            if fixed != text:
                md.write_text(fixed, "utf-8")
                text = fixed
        for problem in lint(md.relative_to(docs).as_posix(), text):
            print(problem)
            found += 1
    print(f"{found} problem(s)", file=sys.stderr)
    return 1 if found else 0
