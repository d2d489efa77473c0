"""Level and grade labels, from docs/assets/data/labels.yml: the one place the build (registry, question
header, lists) and the pages' scripts (through overrides/partials/kb-labels.html) take them from."""

from __future__ import annotations

import functools
import pathlib
from dataclasses import dataclass

import yaml

LABELS_YML = pathlib.Path(__file__).resolve().parent.parent / "docs" / "assets" / "data" / "labels.yml"


@dataclass(frozen=True)
class Level:
    name: str  # 基础
    css: str  # kb-level-<css>
    mix: int  # share in a mock interview, out of 10


@dataclass(frozen=True)
class Grade:
    value: int  # stored by progress.js: 2 会, 1 模糊, 0 不会
    label: str
    key: str  # keyboard shortcut in the quiz


@dataclass(frozen=True)
class Labels:
    levels: tuple[Level, ...]
    grades: tuple[Grade, ...]

    @property
    def level_names(self) -> tuple[str, ...]:
        return tuple(lv.name for lv in self.levels)

    @property
    def level_class(self) -> dict[str, str]:
        return {lv.name: lv.css for lv in self.levels}

    def as_json(self) -> dict[str, object]:
        """What the pages' scripts read (the shape of labels.yml)."""
        return {
            "levels": [{"name": lv.name, "class": lv.css, "mix": lv.mix} for lv in self.levels],
            "grades": [{"value": g.value, "label": g.label, "key": g.key} for g in self.grades],
        }


def parse(data: object, where: str = "labels.yml") -> Labels:
    """Check and convert the YAML data; a ValueError names what is wrong."""
    if not isinstance(data, dict) or not isinstance(data.get("levels"), list) or not isinstance(data.get("grades"), list):
        raise ValueError(f"{where}: needs a list 'levels' and a list 'grades'")
    try:
        levels = tuple(Level(str(x["name"]), str(x["class"]), int(x["mix"])) for x in data["levels"])
        grades = tuple(Grade(int(x["value"]), str(x["label"]), str(x["key"])) for x in data["grades"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"{where}: each level needs name, class, mix; each grade value, label, key ({exc})") from None
    if not levels or len({lv.name for lv in levels}) != len(levels) or sum(lv.mix for lv in levels) != 10:
        raise ValueError(f"{where}: levels need distinct names and mix shares that add up to 10")
    if len({g.value for g in grades}) != len(grades):
        raise ValueError(f"{where}: grade values must be distinct")
    return Labels(levels, grades)


@functools.cache
def load(path: pathlib.Path = LABELS_YML) -> Labels:
    with open(path, encoding="utf-8") as fh:
        return parse(yaml.safe_load(fh), str(path))


_current: Labels | None = None


def current() -> Labels:
    """The labels of the site being built (use()), else the project's labels.yml."""
    return _current or load()


def use(docs_dir: str) -> Labels:
    """Take the labels from <docs_dir>/assets/data/labels.yml when that site has one (a fixture site may
    not: then the project's)."""
    global _current
    path = pathlib.Path(docs_dir) / "assets" / "data" / "labels.yml"
    _current = load(path.resolve()) if path.is_file() else load()
    return _current


def level_class(level: str) -> str:
    return current().level_class[level]
