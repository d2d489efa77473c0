"""Render cache: a page whose final Markdown has not changed is not converted to HTML again.

Markdown → HTML is most of the build's time, and a pure function of the page's final Markdown
(after every on_page_markdown hook and the macros), the Markdown extensions and their settings,
the snippet files they include, the page's URL and the site's file list (links are rewritten
and checked against it) and the library versions. This hook runs last in on_page_markdown and
first in on_page_content:

- on a miss, it lets MkDocs render the page and keeps the HTML, the table of contents, the
  title and the anchors MkDocs validates links with (store `render`, kb/build_cache.py);
  a page whose rendering logged a warning is never kept, so the warning shows on every build;
- on a hit, it hands MkDocs an empty page to render and puts the kept results back, before any
  other hook reads them: the output is the same byte for byte (tests/test_build_cache.py).
"""

from __future__ import annotations

import functools
import logging
import os
from importlib import metadata
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents, get_toc

from kb import build_cache

LIBRARIES = ("mkdocs", "markdown", "pymdown-extensions", "pygments", "mkdocs-material")


def stable_repr(value: object) -> str:
    """A representation of extension settings that is the same in every process (no addresses)."""
    if isinstance(value, dict):
        return "{" + ",".join(f"{stable_repr(k)}:{stable_repr(v)}" for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(stable_repr(v) for v in value) + "]"
    if isinstance(value, functools.partial):
        return f"partial({stable_repr(value.func)},{stable_repr(list(value.args))},{stable_repr(value.keywords)})"
    if callable(value):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__qualname__)}"
    return repr(value)


def toc_tokens(items: list[AnchorLink] | TableOfContents) -> list[dict[str, Any]]:
    return [{"level": a.level, "id": a.id, "name": a.title, "children": toc_tokens(a.children)} for a in items]


def _snippet_files(config: MkDocsConfig) -> list[str]:
    base = (config.mdx_configs.get("pymdownx.snippets") or {}).get("base_path") or []
    root = os.path.dirname(config.config_file_path or ".")
    out: list[str] = []
    for b in [base] if isinstance(base, str) else base:
        top = os.path.join(root, b)
        for dirpath, _, names in os.walk(top):
            out += [os.path.join(dirpath, n) for n in names]
    return sorted(out)


def context_key(config: MkDocsConfig, files: Files) -> str:
    """Everything but the page's own Markdown and URL that its HTML depends on."""
    versions = [f"{lib}=={metadata.version(lib)}" for lib in LIBRARIES]
    settings = stable_repr([config.markdown_extensions, config.mdx_configs, config.use_directory_urls,
                            dict(config.validation.links), dict(config.validation)])
    snippets = _snippet_files(config)
    listing = "\n".join(f"{f.src_uri}\t{f.url}" for f in sorted(files, key=lambda f: f.src_uri))
    return build_cache.digest(*versions, settings, listing, *snippets, build_cache.file_digest(*snippets))


_store = build_cache.store("render", build_cache.file_digest(__file__))
_context: dict[str, str] = {}  # context key of the build in progress
_pending: dict[str, str] = {}  # page src -> key, for pages being rendered (misses)
_hits: dict[str, dict[str, Any]] = {}  # page src -> cached result, for pages rendered empty (hits)


class _Warnings(logging.Handler):
    """Counts the warnings logged while one page renders."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


_warnings = _Warnings()


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    _store.begin(build_cache.cache_dir(config.config_file_path))
    _context.clear()
    _pending.clear()
    _hits.clear()
    return config


@event_priority(-1000)  # last: the Markdown as it will be converted
def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    if "key" not in _context:
        _context["key"] = context_key(config, files)
    key = build_cache.digest(_context["key"], page.file.src_uri, page.url, markdown)
    hit = _store.get(key)
    if hit is not None:
        _hits[page.file.src_uri] = hit
        return ""  # rendered in no time; on_page_content puts the kept HTML back
    _pending[page.file.src_uri] = key
    _warnings.count = 0
    logging.getLogger("mkdocs").addHandler(_warnings)
    return None


@event_priority(1000)  # first: before any hook reads or changes the HTML
def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    src = page.file.src_uri
    hit = _hits.pop(src, None)
    if hit is not None:
        page.toc = get_toc(hit["toc"])
        page._title_from_render = hit["title"]
        page.present_anchor_ids = set(hit["anchors"])
        if hit["links"] is not None:
            page.links_to_anchors = {}
            for target, links in hit["links"].items():
                f = files.get_file_from_path(target)
                if f is not None:
                    page.links_to_anchors[f] = links
        return hit["html"]
    key = _pending.pop(src, None)
    logging.getLogger("mkdocs").removeHandler(_warnings)
    if key is not None and _warnings.count == 0:
        links = page.links_to_anchors
        _store.put(key, {
            "html": html,
            "toc": toc_tokens(page.toc),
            "title": page._title_from_render,
            "anchors": sorted(page.present_anchor_ids or ()),
            "links": None if links is None else {f.src_uri: dict(v) for f, v in links.items()},
        })
    return None


def on_post_build(*, config: MkDocsConfig) -> None:
    _store.save()
