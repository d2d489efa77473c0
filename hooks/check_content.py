"""Check the content of docs/ without building the site: question format, IDs, links, Jinja, tags.

Usage: python hooks/check_content.py [DOCS_DIR]
Prints every problem as file:line: message (one per page at most) and exits 1 if there is any.
"""

from __future__ import annotations

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import jinja_guard  # noqa: E402
import tags  # noqa: E402
from kb_registry import KbError, build_registry  # noqa: E402


def check_tree(docs_dir: str) -> tuple[list[str], dict[str, int]]:
    """Every problem in docs_dir as "file:line: message", and the question count per page."""
    root = pathlib.Path(docs_dir)
    texts = {p.relative_to(root).as_posix(): p.read_text("utf-8") for p in sorted(root.rglob("*.md"))}
    errors: list[KbError] = []
    clean = []
    for path, text in texts.items():
        try:
            jinja_guard.check(path, text)
            clean.append((path, text))
        except KbError as exc:
            errors.append(exc)
    registry = build_registry(clean, errors=errors)
    try:
        data = tags.load(str(root / tags.DATA))
        if data is not None:
            errors.extend(tags.normalise(registry, data))
    except KbError as exc:
        errors.append(exc)
    counts = {page.path: len(page.questions) for page in registry.topics()}
    return [str(e) for e in errors], counts


if __name__ == "__main__":
    errs, counts = check_tree(sys.argv[1] if len(sys.argv) > 1 else "docs")
    for path, n in counts.items():
        print(f"{path}: {n} questions")
    print(f"{sum(counts.values())} questions in all")
    for e in errs:
        print(e, file=sys.stderr)
    sys.exit(1 if errs else 0)
