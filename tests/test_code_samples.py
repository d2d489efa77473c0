"""Every ```python block on the site runs and its asserts hold: the code readers see is tested code."""

from __future__ import annotations

import re
import sys

import pytest
from conftest import ROOT

FENCE_OPEN = re.compile(r"^(\s*)(`{3,})\s*(?:py|python)\b")
SNIPPET = re.compile(r"""^\s*--8<--\s+["']([^"':]+)(?::([\w-]+))?["']\s*$""")
CODE_DIR = ROOT / "docs" / "code"


def expand_snippets(code: str) -> str:
    """Replace --8<-- "file.py" / "file.py:section" lines by the file (section) they include."""
    out = []
    for line in code.split("\n"):
        m = SNIPPET.match(line)
        if not m:
            out.append(line)
            continue
        text = (CODE_DIR / m.group(1)).read_text("utf-8")
        if m.group(2):
            section = re.search(rf"# --8<-- \[start:{m.group(2)}\]\n(.*?)# --8<-- \[end:{m.group(2)}\]", text, re.S)
            assert section, f"no section {m.group(2)} in docs/code/{m.group(1)}"
            text = section.group(1)
        out.append(text)
    return "\n".join(out)


def python_blocks() -> list[tuple[str, int, str]]:
    blocks = []
    for md in sorted((ROOT / "docs").rglob("*.md")):
        lines = md.read_text("utf-8").split("\n")
        i = 0
        while i < len(lines):
            m = FENCE_OPEN.match(lines[i])
            if m:
                indent, fence = m.group(1), m.group(2)
                j = i + 1
                while j < len(lines) and not lines[j].strip().startswith(fence):
                    j += 1
                code = "\n".join(line[len(indent):] for line in lines[i + 1:j])
                blocks.append((md.relative_to(ROOT).as_posix(), i + 1, code))
                i = j
            i += 1
    return blocks


BLOCKS = python_blocks()


def test_there_are_code_samples() -> None:
    assert len(BLOCKS) >= 10


@pytest.mark.parametrize("path,line,code", BLOCKS, ids=[f"{p}:{n}" for p, n, _ in BLOCKS])
def test_code_sample_runs(path: str, line: int, code: str) -> None:
    if "--8<--" not in code and "assert" not in code:
        pytest.fail(f"{path}:{line}: a code sample checks its own result with assert (included reference code is tested in tests/test_reference.py)")
    sys.path.insert(0, str(CODE_DIR))
    exec(compile(expand_snippets(code), f"{path}:{line}", "exec"), {"__name__": "__kb_sample__"})
