"""Linters in the test command: ruff for Python (pyproject.toml), ESLint for the site's scripts (eslint.config.mjs)."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_ruff_finds_nothing() -> None:
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "."], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_eslint_finds_nothing() -> None:
    eslint = ROOT / "node_modules" / ".bin" / "eslint"
    assert eslint.exists(), "ESLint is a dev dependency: run `npm ci`"
    result = subprocess.run(
        [str(eslint), "docs/assets/javascripts", "kb/katex_render.mjs"], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
