"""List the tags to reuse, alias or list as one-offs: every tag problem of docs/ (kb.tags.normalise).

Usage: python -m scripts tags [DOCS_DIR]
"""

from __future__ import annotations

import os

import kb.registry
from kb.tags import DATA, TagData, load, normalise


def main(argv: list[str]) -> int:
    docs = argv[0] if argv else "docs"
    registry = kb.registry.check_docs(docs)
    data = load(os.path.join(docs, DATA)) or TagData()
    errors = normalise(registry, data)
    for e in errors:
        print(e)
    return 1 if errors else 0
