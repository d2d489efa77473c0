"""Term pairs (docs/assets/data/terms.yml): one loader for the glossary, tooltips and search synonyms."""

from __future__ import annotations

import functools
import pathlib
from dataclasses import dataclass, field

import yaml

TERMS_FILE = pathlib.Path(__file__).resolve().parent.parent / "docs" / "assets" / "data" / "terms.yml"


@dataclass(frozen=True)
class Term:
    en: str
    zh: str
    definition: str
    aliases: list[str] = field(default_factory=list)
    abbr: bool = False
    q: str = ""

    @property
    def names(self) -> list[str]:
        return [self.en, self.zh, *self.aliases]


def load_terms(path: pathlib.Path = TERMS_FILE) -> list[Term]:
    """The term list, parsed once per version of the file."""
    return _load(path, path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=4)
def _load(path: pathlib.Path, mtime_ns: int) -> list[Term]:
    return parse_terms(path.read_text("utf-8"), path.name)


def parse_terms(text: str, name: str = "terms.yml") -> list[Term]:
    """Term pairs from the YAML list; an incomplete entry or a name used twice fails with file:line."""
    lines = [node.start_mark.line + 1 for node in yaml.compose(text).value]
    terms: list[Term] = []
    seen: dict[str, int] = {}
    for line, entry in zip(lines, yaml.safe_load(text)):
        unknown = set(entry) - {"en", "zh", "def", "aliases", "abbr", "q"}
        if unknown or not entry.get("en") or not entry.get("zh") or not entry.get("def"):
            raise ValueError(f"{name}:{line}: entry {entry.get('en')!r} needs en, zh and def; unknown keys: {sorted(unknown)}")
        term = Term(entry["en"], entry["zh"], entry["def"], entry.get("aliases", []), entry.get("abbr", False), entry.get("q", ""))
        for n in term.names:
            if n.lower() in seen:
                raise ValueError(f"{name}:{line}: '{n}' is already a name of the term on line {seen[n.lower()]}; add to that entry's aliases instead")
            seen[n.lower()] = line
        terms.append(term)
    return terms
