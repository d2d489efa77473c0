"""The plots in docs/assets/figures/plot-*.svg are exactly what kb/plots.py computes from
docs/code/*.py and kb/formulas.py (no drift), and each follows the site's figure rules."""

from __future__ import annotations

import pathlib
import re
import xml.etree.ElementTree as ET

import pytest
from conftest import ROOT

from kb import plots  # hooks/ is on sys.path (tests/conftest.py)

FIGURES = ROOT / "docs" / "assets" / "figures"
SVG_NS = "{http://www.w3.org/2000/svg}"
ALLOWED_CLASSES = {"line", "muted", "box", "a", "b", "c", "d", "sa", "sb", "sc", "sd", "ta", "tb", "tc", "td"}
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    out = tmp_path_factory.mktemp("plots")
    plots.write_all(out)
    return out


FIGURE_CALL = re.compile(r"""\{\{\s*figure\(\s*["'](plot-[\w-]+)["']""")


def plots_used() -> dict[str, list[str]]:
    """Each plot an answer shows with {{ figure("plot-…") }}, and where (docs/file.md:line)."""
    used: dict[str, list[str]] = {}
    for md in sorted((ROOT / "docs").rglob("*.md")):
        for n, line in enumerate(md.read_text("utf-8").split("\n"), 1):
            for name in FIGURE_CALL.findall(line):
                used.setdefault(name, []).append(f"{md.relative_to(ROOT)}:{n}")
    return used


def test_every_plot_an_answer_shows_is_generated_and_every_generated_plot_is_shown(regenerated: pathlib.Path) -> None:
    used = plots_used()
    assert used, "no answer shows a plot: FIGURE_CALL no longer matches the figure macro"
    not_generated = {name: where for name, where in used.items() if not (regenerated / f"{name}.svg").is_file()}
    assert not not_generated, f"shown but not computed by kb/plots.py: {not_generated}"
    assert set(plots.PLOTS) <= set(used), f"computed but shown by no answer: {sorted(set(plots.PLOTS) - set(used))}"


def test_committed_plots_are_exactly_the_generated_ones(regenerated: pathlib.Path) -> None:
    committed = sorted(p.name for p in FIGURES.glob("plot-*.svg"))
    assert committed == sorted(p.name for p in regenerated.glob("*.svg")), "run: python -m scripts plots"


@pytest.mark.parametrize("name", sorted(plots.PLOTS))
def test_plot_matches_committed_file(regenerated: pathlib.Path, name: str) -> None:
    committed = FIGURES / f"{name}.svg"
    assert committed.is_file(), f"missing {committed.relative_to(ROOT)}: run python -m scripts plots"
    assert (regenerated / f"{name}.svg").read_bytes() == committed.read_bytes(), (
        f"{name}.svg differs from what kb/plots.py computes: run python -m scripts plots and commit the result"
    )


@pytest.mark.parametrize("name", sorted(plots.PLOTS))
def test_plot_is_accessible_and_theme_aware(name: str) -> None:
    text = (FIGURES / f"{name}.svg").read_text("utf-8")
    root = ET.fromstring(text)
    assert root.tag == f"{SVG_NS}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == f"{name}-title {name}-desc"
    title, desc = root.find(f"{SVG_NS}title"), root.find(f"{SVG_NS}desc")
    assert title is not None and title.get("id") == f"{name}-title" and CJK.search(title.text or "")
    assert desc is not None and desc.get("id") == f"{name}-desc" and CJK.search(desc.text or "")
    assert re.search(r"\d", desc.text or ""), "the description states the plot's key numbers"
    for el in root.iter():
        assert el.get("id") is None or el.get("id").startswith(f"{name}-"), f"id {el.get('id')} must start with {name}-"
        assert set((el.get("class") or "").split()) <= ALLOWED_CLASSES, el.get("class")
        for attr in ("fill", "stroke", "color", "style"):
            assert el.get(attr) is None, f"{name}: colour via attribute {attr}= (use the CSS classes)"
    assert not re.search(r"#[0-9a-fA-F]{3,8}\b|rgb\(|hsl\(", text), f"{name}: hex or rgb colour"


@pytest.mark.parametrize("name", sorted(plots.PLOTS))
def test_plot_renders_the_same_twice(name: str) -> None:
    assert plots.PLOTS[name]() == plots.PLOTS[name]()
