"""Each page's date under its content (Material's `revision_date`), from git blame (kb.freshness);
the blame of committed files is kept across builds (kb.build_cache, store `blame`)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from kb import build_cache
from kb.freshness import blame_store, file_dates


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    blame_store.begin(build_cache.cache_dir(config.config_file_path))
    return config


def on_post_build(*, config: MkDocsConfig) -> None:
    blame_store.save()


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    """Run git blame for every page at once, in parallel, before the pages render."""
    pages = [f.src_uri for f in files.documentation_pages()]
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda src: file_dates(config.docs_dir, src), pages))
    return files


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    dates = file_dates(config.docs_dir, page.file.src_uri)
    if dates:
        page.meta["revision_date"] = f"{max(dates).isoformat()} 更新"
    return None
