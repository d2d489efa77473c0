"""Macro cache: when nothing the macros read has changed, a page's macros are not run again.

mkdocs-macros renders each page as a Jinja template (≈0.7 s for the site, most of it compiling
the templates). What a macro returns depends on the page (its Markdown, path, URL and front
matter) and on "the world": every file under docs/ (the questions, data files, figures, code),
the sources of hooks/, kb/ and overrides/partials/ (hooks/macros.py, what it imports, what it renders), the configuration, the commit checked
out with the state of the work tree, and the date. This hook runs after hooks/jinja_guard.py and
just before mkdocs-macros (priority 1), and again just after it (−1):

- on a hit it puts the kept output in place and sets the page's `render_macros: false`, so
  mkdocs-macros leaves the page alone;
- on a miss it keeps what mkdocs-macros produced (store `macros`, kb/build_cache.py).

Any change to any file under docs/ is a new world, so after an edit every page's macros run
again (the render cache, hooks/render_cache.py, still skips the Markdown conversion of the pages
whose output did not change). `recent()` lists uncommitted questions by the clock, so a page that
calls it is not kept while the work tree has uncommitted changes.
"""

from __future__ import annotations

import datetime as dt
import os
import pathlib
import subprocess
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from render_cache import stable_repr

from kb import build_cache

ROOT = pathlib.Path(__file__).resolve().parent.parent
# the code and templates macros run: hooks/ (macros.py), the kb/ package, the partials they render
SOURCES = (ROOT / "hooks", ROOT / "kb", ROOT / "overrides" / "partials")
SIMPLE = (str, int, float, bool, type(None))

_store = build_cache.store("macros", build_cache.file_digest(__file__))
_world: dict[str, str] = {}  # world key and work-tree state of the build in progress
_pending: dict[str, str] = {}  # page src -> key, for pages whose macros run (misses)


def _simple(value: object) -> object:
    """The plain-data part of a configuration value (no objects, whose representation changes per process)."""
    if isinstance(value, dict) or hasattr(value, "items"):
        try:
            return {str(k): _simple(v) for k, v in value.items()}  # type: ignore[union-attr]
        except TypeError:
            return None
    if isinstance(value, (list, tuple)):
        return [_simple(v) for v in value]
    return value if isinstance(value, SIMPLE) else type(value).__qualname__


def _git(*args: str, cwd: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return ""


def world_key(config: MkDocsConfig) -> tuple[str, bool]:
    """The key of everything a macro may read besides its page, and whether the work tree is dirty."""
    docs = pathlib.Path(config.docs_dir)
    files = sorted(p for p in docs.rglob("*") if p.is_file())
    sources = sorted(p for d in SOURCES if d.is_dir() for p in d.iterdir() if p.is_file() and p.suffix in (".py", ".mjs", ".html"))
    where = str(docs)
    status = _git("status", "--porcelain", "--", ".", cwd=where)
    parts = [
        *(p.relative_to(docs).as_posix() for p in files), build_cache.file_digest(*files),
        *(p.relative_to(ROOT).as_posix() for p in sources), build_cache.file_digest(*sources),
        stable_repr(_simple({k: config[k] for k in config if k != "plugins"})),
        stable_repr(_simple({name: dict(p.config) for name, p in config.plugins.items() if hasattr(p, "config")})),
        _git("rev-parse", "HEAD", cwd=where), status, dt.date.today().isoformat(), os.environ.get("OFFLINE", ""),
    ]
    return build_cache.digest(*parts), bool(status.strip())


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    _store.begin(build_cache.cache_dir(config.config_file_path))
    _world.clear()
    _pending.clear()
    return config


@event_priority(1)  # after hooks/jinja_guard.py (90), before mkdocs-macros (0)
def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    if page.meta.get("render_macros") is not None or "{" in str(page.title):
        return None  # the page decides itself, or its title has a macro: leave it to mkdocs-macros
    if "key" not in _world:
        _world["key"], dirty = world_key(config)
        _world["dirty"] = "yes" if dirty else ""
    if _world["dirty"] and "recent(" in markdown:
        return None
    key = build_cache.digest(_world["key"], page.file.src_uri, page.url, stable_repr(_simple(page.meta)), markdown)
    hit = _store.get(key)
    if hit is not None:
        page.meta["render_macros"] = False
        return hit
    _pending[page.file.src_uri] = key
    return None


def _keep(env: Any) -> None:
    """After mkdocs-macros rendered a page: keep its output."""
    key = _pending.pop(env.page.file.src_uri, None)
    if key is not None:
        _store.put(key, env.markdown)


def on_pre_build(*, config: MkDocsConfig) -> None:
    plugin = config.plugins.get("macros")
    if plugin is not None:  # its post-page functions are set up in its on_config
        plugin.post_macro_functions.append(_keep)


def on_post_build(*, config: MkDocsConfig) -> None:
    _store.save()
