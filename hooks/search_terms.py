"""Search terms (kb.search_terms): start the jieba segmentation cache of each build, and under
`mkdocs serve` load jieba's dictionary in the background so that the first rebuild does not wait."""

from __future__ import annotations

from typing import Any

from mkdocs.config.defaults import MkDocsConfig

from kb import build_cache, search_terms


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    search_terms.begin(build_cache.cache_dir(config.config_file_path))
    return config


def on_serve(server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
    search_terms.load_dictionary_in_background()
    return server
