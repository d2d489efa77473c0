"""Math as a reader sees it: formulas laid out by Chromium's MathML with the site's subset font."""

from __future__ import annotations


def test_sized_delimiters_are_taller_than_text(page, served_site: str) -> None:
    """\\Big( and friends must stretch: the font subset keeps the MATH table's size variants usable."""
    page.goto(served_site + "alignment/")
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    page.evaluate("document.fonts.ready")
    heights = page.evaluate(
        """() => {
          const h = el => el.getBoundingClientRect().height;
          const big = [...document.querySelectorAll('mo[minsize]')].filter(m => parseFloat(m.getAttribute('minsize')) >= 1.2);
          const plain = [...document.querySelectorAll('mo[stretchy="false"]')].filter(m => m.textContent === '(');
          return {big: big.slice(0, 20).map(h), plain: plain.slice(0, 20).map(h)};
        }"""
    )
    assert heights["big"] and heights["plain"]
    # all but a few (a sized delimiter that is the base of a superscript is not stretched by Chromium)
    taller = [h for h in heights["big"] if h > 1.15 * max(heights["plain"])]
    assert len(taller) >= 0.8 * len(heights["big"]), heights
