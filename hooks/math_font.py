"""Math font subset: after the build, cut STIX Two Math down to the glyphs the site's formulas use.

MathML is laid out by the browser with the font; hooks/vendor.py copies the full font (about
400 KB) into the site, and this hook replaces it with a subset: the characters inside every
<math> element of the built pages, the italic, bold, script, double-struck and fraktur letters
that MathML draws for <mi> elements, and the stretchy symbols the browser draws itself
(radicals, brackets, operators). The OpenType MATH table is kept.
"""

from __future__ import annotations

import html
import pathlib
import re

from mkdocs.config.defaults import MkDocsConfig
from vendor import NODE_MODULES, STIX

MATH_RE = re.compile(r"<math\b.*?</math>", re.S)
ANNOTATION_RE = re.compile(r"<annotation\b.*?</annotation>", re.S)
MI_RE = re.compile(r"<mi(?:\s+mathvariant=\"([a-z-]+)\")?[^>]*>([^<]+)</mi>")
TAG_RE = re.compile(r"<[^>]+>")

# Symbols the browser may draw without them appearing as text: radicals, stretchy brackets and
# bars, large operators, arrows and accents, plus ASCII and Greek for safety.
ALWAYS = set(range(0x20, 0x7F)) | set(range(0x391, 0x3CA)) | {
    0x221A, 0x221B, 0x221C, 0x2211, 0x220F, 0x222B, 0x2016, 0x2225, 0x2223, 0x27E8, 0x27E9, 0x2308, 0x2309,
    0x230A, 0x230B, 0x2190, 0x2192, 0x2194, 0x21D2, 0x21D4, 0x2212, 0x00AF, 0x02C6, 0x02DC, 0x0302, 0x0303,
    0x0304, 0x20D7, 0x23DE, 0x23DF, 0x2026, 0x22EF, 0x22EE, 0x22F1, 0x00B7, 0x00D7,
}

# Mathematical alphanumeric symbols: first code point of each alphabet, and the letters that live
# in the Letterlike Symbols block instead (Unicode's "holes").
ALPHABETS = {
    "italic": (0x1D434, 0x1D44E, {"h": 0x210E}),
    "bold": (0x1D400, 0x1D41A, {}),
    "bold-italic": (0x1D468, 0x1D482, {}),
    "script": (0x1D49C, 0x1D4B6, {"B": 0x212C, "E": 0x2130, "F": 0x2131, "H": 0x210B, "I": 0x2110, "L": 0x2112,
                                  "M": 0x2133, "R": 0x211B, "e": 0x212F, "g": 0x210A, "o": 0x2134}),
    "fraktur": (0x1D504, 0x1D51E, {"C": 0x212D, "H": 0x210C, "I": 0x2111, "R": 0x211C, "Z": 0x2128}),
    "double-struck": (0x1D538, 0x1D552, {"C": 0x2102, "H": 0x210D, "N": 0x2115, "P": 0x2119, "Q": 0x211A,
                                         "R": 0x211D, "Z": 0x2124}),
}
GREEK_ITALIC = {"upper": 0x1D6E2, "lower": 0x1D6FC}


def styled(ch: str, variant: str) -> int | None:
    """The code point MathML renders for one letter in a mathvariant (italic for a bare <mi>)."""
    if variant not in ALPHABETS:
        return None
    upper, lower, holes = ALPHABETS[variant]
    if ch in holes:
        return holes[ch]
    if "A" <= ch <= "Z":
        return upper + ord(ch) - ord("A")
    if "a" <= ch <= "z":
        return lower + ord(ch) - ord("a")
    if variant == "italic" and "\u0391" <= ch <= "\u03a9":
        return GREEK_ITALIC["upper"] + ord(ch) - 0x391
    if variant == "italic" and "\u03b1" <= ch <= "\u03c9":
        return GREEK_ITALIC["lower"] + ord(ch) - 0x3B1
    return None


def math_codepoints(page_html: str) -> set[int]:
    """Every code point the formulas of one page need."""
    points: set[int] = set()
    for block in MATH_RE.findall(page_html):
        block = ANNOTATION_RE.sub("", block)
        points.update(ord(c) for c in html.unescape(TAG_RE.sub("", block)))
        for variant, text in MI_RE.findall(block):
            text = html.unescape(text)
            if len(text) == 1 and variant != "normal":
                cp = styled(text, variant or "italic")
                if cp:
                    points.add(cp)
    return points


CACHE = NODE_MODULES / ".cache" / "llm-interview-kb"
SUBSET_VERSION = "gids-1,"  # part of the cache key: change it when _subset() changes


def subset_font(src: pathlib.Path, dest: pathlib.Path, points: set[int]) -> None:
    """Write the subset to dest; a subset made before for the same glyphs is reused from the cache."""
    import hashlib
    import shutil

    key = hashlib.sha1((SUBSET_VERSION + src.name + ",".join(map(str, sorted(points | ALWAYS)))).encode()).hexdigest()[:16]
    cached = CACHE / f"stix-two-math-{key}.woff2"
    if not cached.is_file():
        CACHE.mkdir(parents=True, exist_ok=True)
        _subset(src, cached, points)
    shutil.copyfile(cached, dest)


def _subset(src: pathlib.Path, dest: pathlib.Path, points: set[int]) -> None:
    from fontTools import subset

    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    # Keep glyph IDs: with renumbered glyphs Chromium no longer finds the MATH table's size variants,
    # and \Big( or \left[ stay at text size (measured: 14 px instead of 18 px for a 1.2em delimiter).
    options.retain_gids = True
    font = subset.load_font(str(src), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(points | ALWAYS))
    subsetter.subset(font)
    subset.save_font(font, str(dest), options)


def on_post_build(*, config: MkDocsConfig) -> None:
    site = pathlib.Path(config.site_dir)
    dest = site / "assets" / "fonts" / "stix-two-math.woff2"
    if not dest.exists():
        return
    points: set[int] = set()
    for page in site.rglob("*.html"):
        points |= math_codepoints(page.read_text("utf-8"))
    subset_font(STIX, dest, points)
