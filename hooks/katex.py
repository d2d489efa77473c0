"""Math: the TeX that pymdownx.arithmatex marks up becomes MathML at build time (kb.katex, KaTeX).

No math JavaScript or stylesheet runs in the reader's browser: browsers lay out MathML natively,
with the STIX Two Math font that hooks/vendor.py serves (kb.css names it). A formula KaTeX cannot
parse fails the build with file:line. Rendered formulas are kept across builds (kb.build_cache).
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

import kb.registry
from kb import build_cache
from kb.katex import locate, render_math_html, shutdown, store


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    store().begin(build_cache.cache_dir(config.config_file_path))
    return config


def on_post_build(*, config: MkDocsConfig) -> None:
    store().save()


def on_shutdown() -> None:
    shutdown()


def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str:
    try:
        result, problems = render_math_html(output)
    except RuntimeError as exc:  # KaTeX missing or its process gone
        raise PluginError(str(exc)) from None
    if problems:
        tex, err = problems[0]
        reg = kb.registry.current
        # each 速答 at its own line (the cheat sheet and other generated pages copy them)
        others = [(q.page, "\n" * (q.summary_line - 1) + q.summary_md) for q in reg.questions.values()] if reg else []
        path, line = locate(tex, page.file.src_uri, page.file.content_string, others)
        raise PluginError(f"Bad math: {path}:{line}: KaTeX cannot render '{tex[:60]}': {err}")
    return result
