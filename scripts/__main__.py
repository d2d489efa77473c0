"""One entry point for the project's command-line tools (run from the project root).

    python -m scripts check [DOCS_DIR]          every content check the build runs, all problems at once
    python -m scripts lint [--fix] [DOCS_DIR]   prose lint (spacing, punctuation, answer hygiene)
    python -m scripts tags [DOCS_DIR]           tag spellings to reuse, alias or list as one-offs
    python -m scripts plots [OUT_DIR]           regenerate the plot SVGs from docs/code/
    python -m scripts bench [--scale N] [...]   build, size and search benchmark (prints figures)
    python -m scripts pdf [--topics a,b] [...]  PDF editions of the bank and of each topic
"""

from __future__ import annotations

import importlib
import sys

COMMANDS = {
    "check": "scripts.check",
    "lint": "scripts.lint",
    "tags": "scripts.tags",
    "plots": "scripts.plots",
    "bench": "scripts.bench",
    "pdf": "scripts.pdf",
}


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help"} or argv[0] not in COMMANDS:
        print(__doc__.strip())
        return 0 if argv and argv[0] in {"-h", "--help"} else 2
    name, rest = argv[0], argv[1:]
    module = importlib.import_module(COMMANDS[name])
    sys.argv = [f"python -m scripts {name}", *rest]  # argparse's usage line names the command
    return int(module.main(rest) or 0)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
