"""Vendored front-end files: served by the site itself from npm packages (package.json), never a CDN.

The STIX Two Math font (hooks/katex.py renders math to MathML at build time; browsers lay it out
with this OpenType MATH font, loaded only when a formula is shown) and MiniSearch, the search
library of assets/javascripts/search.js.
"""

from __future__ import annotations

import os
import pathlib

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

NODE_MODULES = pathlib.Path(__file__).resolve().parent.parent / "node_modules"
STIX = NODE_MODULES / "@fontsource" / "stix-two-math" / "files" / "stix-two-math-latin-400-normal.woff2"
def vendored() -> dict[str, pathlib.Path]:
    """Site path -> file in node_modules."""
    files = {"assets/fonts/stix-two-math.woff2": STIX}  # hooks/math_font.py subsets it after the build
    # the search library, loaded by assets/javascripts/search.js when the reader starts a search
    files["assets/vendor/minisearch.js"] = NODE_MODULES / "minisearch" / "dist" / "umd" / "index.js"
    return files


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    for dest, src in vendored().items():
        if not src.is_file():
            raise PluginError(f"{src.relative_to(NODE_MODULES.parent)} is missing: run `npm ci` in the project root")
        files.append(File.generated(config, dest, abs_src_path=os.fspath(src)))
    return files
