"""Regenerate the plot SVGs (kb.plots) from the tested code in docs/code/.

Usage: python -m scripts plots [OUT_DIR]      (default: docs/assets/figures/)
"""

from __future__ import annotations

import pathlib

from kb.plots import OUT_DIR, ROOT, write_all


def main(argv: list[str]) -> int:
    for p in write_all(pathlib.Path(argv[0]) if argv else OUT_DIR):
        print(p.relative_to(ROOT) if p.is_relative_to(ROOT) else p)
    return 0
