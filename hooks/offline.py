"""Offline copy (OFFLINE=true): make the pages that MkDocs links absolutely work from file://.

MkDocs gives the 404 page absolute links (it is served at any depth), which break when the copy
is opened from disk; `relative_root_links` rewrites them to the site root, where 404.html lives.
`config.extra.offline` tells the templates to leave out what file:// refuses (the font preload).
The offline plugin also appends the iframe-worker shim from unpkg.com to `extra.polyfills`, for the
theme's search worker, which this site does not use (assets/javascripts/search.js): on_config drops it,
so the config names no third-party script (overrides/main.html renders no polyfills either).
"""

from __future__ import annotations

import os
import urllib.parse

from mkdocs.config.defaults import MkDocsConfig


def offline_enabled(config: MkDocsConfig) -> bool:
    plugin = next((p for name, p in config.plugins.items() if name.split("/")[-1] == "offline"), None)
    return bool(plugin and plugin.config.enabled)


def relative_root_links(html: str, base: str) -> str:
    """Links and the theme's base path that start with `base` (e.g. /repo/) become relative to the root."""
    base = "/" + base.strip("/") + "/" if base.strip("/") else "/"
    html = html.replace(f'="{base}', '="./').replace(f'": "{base}', '": "./')  # attributes, theme config paths
    return html.replace(f'"base": "{base}"', '"base": "."').replace(f'"base": "{base.rstrip("/")}"', '"base": "."')


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    config.extra["offline"] = offline_enabled(config)
    config.extra["polyfills"] = [url for url in config.extra.get("polyfills", []) if "iframe-worker" not in url]
    return config


def on_post_build(*, config: MkDocsConfig) -> None:
    if not offline_enabled(config):
        return
    path = os.path.join(config.site_dir, "404.html")
    if os.path.isfile(path):
        base = urllib.parse.urlsplit(config.site_url or "/").path
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(relative_root_links(text, base))
