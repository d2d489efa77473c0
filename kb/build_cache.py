"""Build cache: results that are pure functions of their input, kept across builds.

Plain functions and one small class, no MkDocs imports (the hooks that use it: katex.py,
search_index.py, search_terms.py, render_cache.py). A `Store` is one JSON file per kind of
result, `<cache dir>/<name>.json`, holding a version string and a key -> value map:

- the version names everything the results depend on besides the key (library versions, the
  hook's own source, dictionaries); a store whose version differs is read as empty, so a stale
  cache is never used;
- keys are hashes of the whole input (`digest`);
- `save` writes only the entries this build read or wrote (`begin` starts a build), so the file
  holds one build's worth and never grows without bound; it writes a new file and renames it
  over the old one, so a build that stops half-way never leaves a broken cache.

The cache directory is `.cache/kb/` beside `mkdocs.yml` (git-ignored), or `$KB_CACHE_DIR`;
`KB_CACHE=off` turns every store off (each build then starts cold). Deleting the directory is
always safe: the next build is a cold one and writes it again.
"""

from __future__ import annotations

import hashlib
import json
import os
import pathlib
import tempfile
from typing import Any


def digest(*parts: str | bytes) -> str:
    """A short, stable hash of the parts (a cache key)."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()[:32]


def file_digest(*paths: str | os.PathLike[str]) -> str:
    """A hash of the files' contents (missing files count as empty)."""
    parts: list[bytes] = []
    for p in paths:
        try:
            parts.append(pathlib.Path(p).read_bytes())
        except OSError:
            parts.append(b"")
    return digest(*parts)


def enabled() -> bool:
    return os.environ.get("KB_CACHE", "").lower() not in ("off", "0", "false", "no")


def cache_dir(config_file: str | os.PathLike[str] | None) -> pathlib.Path:
    """`$KB_CACHE_DIR`, else `.cache/kb/` beside the configuration file."""
    env = os.environ.get("KB_CACHE_DIR")
    if env:
        return pathlib.Path(env)
    base = pathlib.Path(config_file).resolve().parent if config_file else pathlib.Path.cwd()
    return base / ".cache" / "kb"


class Store:
    """One kind of cached result: a key -> JSON value map, valid for one version string."""

    def __init__(self, name: str, version: str) -> None:
        self.name = name
        self.version = version
        self.directory: pathlib.Path | None = None
        self.entries: dict[str, Any] = {}
        self.used: set[str] = set()
        self.dirty = False
        self.hits = 0
        self.misses = 0

    def begin(self, directory: pathlib.Path | None) -> None:
        """Start a build: load the store from `directory` (None, or KB_CACHE=off: start empty, keep
        results in memory for this build only)."""
        self.used.clear()
        self.dirty = False
        self.hits = self.misses = 0
        if directory is None or not enabled():
            self.directory = None
            self.entries = {}
            return
        if directory == self.directory and self.entries:  # `mkdocs serve`: already in memory
            return
        self.directory = directory
        self.entries = {}
        try:
            data = json.loads((directory / f"{self.name}.json").read_text("utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(data, dict) and data.get("version") == self.version and isinstance(data.get("entries"), dict):
            self.entries = data["entries"]

    def get(self, key: str) -> Any:
        """The cached value, or None."""
        value = self.entries.get(key)
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
            self.used.add(key)
        return value

    def put(self, key: str, value: Any) -> None:
        """Keep a value (in memory for this process; on disk at `save` when there is a directory)."""
        self.entries[key] = value
        self.used.add(key)
        self.dirty = True

    def save(self) -> None:
        """Write the entries this build used (atomically); drop the rest."""
        if self.directory is None:
            return
        if not self.dirty and len(self.used) == len(self.entries):
            return
        self.entries = {k: v for k, v in self.entries.items() if k in self.used}
        self.directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.name}.", dir=self.directory)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"version": self.version, "entries": self.entries}, fh, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp, self.directory / f"{self.name}.json")
        self.dirty = False


_stores: dict[str, Store] = {}


def store(name: str, version: str) -> Store:
    """The process's one store of that name (hooks and the modules they import share it; under
    `mkdocs serve` it stays in memory between rebuilds). A new version replaces it."""
    st = _stores.get(name)
    if st is None or st.version != version:
        st = _stores[name] = Store(name, version)
    return st
