"""Fixture sites, one small directory per behaviour under tests/sites/<name>/: a docs/ tree and expected.yml.

Each is built with the project's real mkdocs.yml, hooks, theme and macros (tests/conftest.py). expected.yml is
either an error the build must fail with:

    error: {at: demo.md:14, message: unclosed code fence}

(and `python -m scripts check` must name the same file:line first), or a page and the text it must show:

    page: demo/index.html
    text: "..."

One error site per error source (parser, Jinja, macro, figure, math, snippets, terms); every other bad input is
a parser-level case in tests/test_fuzz.py and tests/test_content_errors.py, which do not build.
"""

from __future__ import annotations

import html
import pathlib
import re

import pytest
import yaml
from conftest import SITES, build_fixture_site

from kb import content_check

NAMES = sorted(p.name for p in SITES.iterdir() if (p / "expected.yml").is_file())


@pytest.mark.parametrize("name", NAMES)
def test_fixture_site(tmp_path: pathlib.Path, name: str) -> None:
    expected = yaml.safe_load((SITES / name / "expected.yml").read_text("utf-8"))
    result = build_fixture_site(name, tmp_path)
    if "error" in expected:
        at, message = expected["error"]["at"], expected["error"]["message"]
        assert result.returncode == 1, result.stderr[-2000:]  # a build error, not the macros plugin's exit 100
        assert "Traceback" not in result.stderr
        assert f"{at}:" in result.stderr and message in result.stderr, result.stderr[-2000:]
        # the check command names the same place first
        errors, _ = content_check.check_tree(str(tmp_path / "docs"))
        assert errors and f"{errors[0].path}:{errors[0].line}" == at, [str(e) for e in errors]
    else:
        assert result.returncode == 0, result.stderr[-2000:]
        shown = html.unescape(re.sub(r"<[^>]+>", "", (tmp_path / "site" / expected["page"]).read_text("utf-8")))
        assert expected["text"] in shown
        errors, _ = content_check.check_tree(str(tmp_path / "docs"))
        assert not errors, [str(e) for e in errors]


def test_every_site_directory_has_an_expected_outcome() -> None:
    """A directory without expected.yml would be skipped silently."""
    for d in SITES.iterdir():
        assert (d / "expected.yml").is_file() and (d / "docs" / "index.md").is_file(), d
