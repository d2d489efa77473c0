"""Every ```python block on the site runs and its asserts hold: the code readers see is tested code."""

from __future__ import annotations

import pathlib
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


def python_blocks(docs: pathlib.Path = ROOT / "docs") -> list[tuple[str, int, str]]:
    """Every ```python / ```py block under docs (indented ones too) as (docs/file.md, line of the fence, code)."""
    blocks = []
    for md in sorted(docs.rglob("*.md")):
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
                blocks.append((md.relative_to(docs.parent).as_posix(), i + 1, code))
                i = j
            i += 1
    return blocks


def run_sample(path: str, line: int, code: str) -> None:
    """Run one sample as a reader would paste it; its asserts (or the included reference code) must hold."""
    if "--8<--" not in code and "assert" not in code:
        pytest.fail(f"{path}:{line}: a code sample checks its own result with assert (included reference code is tested in tests/test_reference.py)")
    if str(CODE_DIR) not in sys.path:
        sys.path.insert(0, str(CODE_DIR))
    exec(compile(expand_snippets(code), f"{path}:{line}", "exec"), {"__name__": "__kb_sample__"})


BLOCKS = python_blocks()


PLANTED = """# 题

### 一道题

/// answer
**代码**

```python
total = sum(range(4))
assert total == 6
```

- 列表里的代码

    ```py
    assert sorted([3, 1]) == [1, 3]
    ```

```python
assert 0.1 + 0.2 == 0.3, "浮点数"
```

```python
print("no check")
```

```text
assert False
```
///
"""


def test_every_python_block_is_found_and_a_broken_one_fails_at_its_line(tmp_path: pathlib.Path) -> None:
    (tmp_path / "docs" / "sub").mkdir(parents=True)
    (tmp_path / "docs" / "sub" / "planted.md").write_text(PLANTED, encoding="utf-8")
    blocks = python_blocks(tmp_path / "docs")
    assert [(p, n) for p, n, _ in blocks] == [("docs/sub/planted.md", 8), ("docs/sub/planted.md", 15), ("docs/sub/planted.md", 19),
                                              ("docs/sub/planted.md", 23)]
    good, indented, broken, unchecked = blocks
    run_sample(*good)
    assert indented[2] == "assert sorted([3, 1]) == [1, 3]"  # the list item's indent is taken off
    run_sample(*indented)
    with pytest.raises(AssertionError, match="浮点数") as failure:
        run_sample(*broken)
    assert str(failure.traceback[-1].path) == "docs/sub/planted.md:19"  # the traceback names the block
    with pytest.raises(pytest.fail.Exception, match="planted.md:23: a code sample checks its own result"):
        run_sample(*unchecked)


def test_the_sites_samples_are_all_collected() -> None:
    """Every fence that opens a Python block in docs/ (as a plain text search sees it) is one of BLOCKS."""
    opened = {(md.relative_to(ROOT).as_posix(), n + 1) for md in sorted((ROOT / "docs").rglob("*.md"))
              for n, line in enumerate(md.read_text("utf-8").split("\n")) if FENCE_OPEN.match(line)}
    assert opened == {(p, n) for p, n, _ in BLOCKS}


@pytest.mark.parametrize("path,line,code", BLOCKS, ids=[f"{p}:{n}" for p, n, _ in BLOCKS])
def test_code_sample_runs(path: str, line: int, code: str) -> None:
    run_sample(path, line, code)
