"""Check the content of docs/ without building the site: every check the build runs.

Usage: python -m scripts check [DOCS_DIR]
Runs kb.content_check's `check_site` (the function the build calls): question format, IDs,
links, figures, macro calls, snippets, math, tags and terms. Prints every problem as
file:line: message and exits 1 if there is any.
"""

from __future__ import annotations

import sys

from kb import content_check


def check_tree(docs_dir: str) -> tuple[list[str], dict[str, int]]:
    """Every problem in docs_dir as "file:line: message", and the question count per page."""
    errors, registry = content_check.check_tree(docs_dir)
    counts = {page.path: len(page.questions) for page in registry.topics()}
    return [str(e) for e in errors], counts


def main(argv: list[str]) -> int:
    errs, counts = check_tree(argv[0] if argv else "docs")
    for path, n in counts.items():
        print(f"{path}: {n} questions")
    print(f"{sum(counts.values())} questions in all")
    for e in errs:
        print(e, file=sys.stderr)
    return 1 if errs else 0
