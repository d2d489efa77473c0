"""Study paths for the home page: ordered lists of questions chosen by metadata plus a curated order.

`docs/assets/data/paths.yml` describes each path (see its header); `load` checks it, with
file:line for an unknown question ID or key, and `select` / `split_days` turn a path into
questions from the registry, so that new topics and questions join the paths they match without
an edit. The macro `study_paths()` in hooks/macros.py renders them; study.js shows the reader's
progress on each from the progress store.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import yaml

from kb import labels
from kb.registry import KbError, Question, Registry

KEYS = {"title", "about", "topics", "sections", "hot", "levels", "first", "limit", "days"}
GROUPS = {"role": "按岗位", "time": "按时间"}


@dataclass
class PathSpec:
    group: str
    title: str
    line: int
    about: str = ""
    topics: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    hot: bool = False
    levels: list[str] = field(default_factory=list)
    first: list[str] = field(default_factory=list)
    limit: int = 0
    days: int = 0


def load(path: str, known_ids: set[str], rel: str = "") -> list[PathSpec]:
    """The paths of the data file, checked against the question IDs of the build."""
    rel = rel or os.path.relpath(path)
    with open(path, encoding="utf-8") as fh:
        root = yaml.compose(fh.read())
    if not isinstance(root, yaml.MappingNode):
        raise KbError(rel, 1, f"expected the groups {', '.join(GROUPS)} at the top level")
    specs: list[PathSpec] = []
    for group_node, items in root.value:
        line = group_node.start_mark.line + 1
        if group_node.value not in GROUPS:
            raise KbError(rel, line, f"unknown group '{group_node.value}': use {' or '.join(GROUPS)}")
        if not isinstance(items, yaml.SequenceNode):
            raise KbError(rel, line, f"'{group_node.value}' needs a list of paths")
        for item in items.value:
            specs.append(_spec(rel, group_node.value, item, known_ids))
    return specs


def _spec(rel: str, group: str, node: yaml.Node, known_ids: set[str]) -> PathSpec:
    line = node.start_mark.line + 1
    if not isinstance(node, yaml.MappingNode):
        raise KbError(rel, line, "a path is a mapping with at least 'title'")
    spec = PathSpec(group=group, title="", line=line)
    for key, value in node.value:
        k, at = key.value, key.start_mark.line + 1
        if k not in KEYS:
            raise KbError(rel, at, f"unknown key '{k}': a path has {', '.join(sorted(KEYS))}")
        if k in ("topics", "sections", "levels", "first"):
            if not isinstance(value, yaml.SequenceNode):
                raise KbError(rel, at, f"'{k}' needs a list")
            values = [(str(v.value), v.start_mark.line + 1) for v in value.value]
            for v, vline in values:
                if k == "first" and v not in known_ids:
                    raise KbError(rel, vline, f"unknown question ID '{v}' in the path '{spec.title or '?'}'")
                if k == "levels" and v not in labels.current().level_names:
                    raise KbError(rel, vline, f"unknown level '{v}': use {' / '.join(labels.current().level_names)}")
            setattr(spec, k, [v for v, _ in values])
        elif k in ("limit", "days"):
            if not str(value.value).isdigit() or int(value.value) < 1:
                raise KbError(rel, at, f"'{k}' needs a positive whole number")
            setattr(spec, k, int(value.value))
        elif k == "hot":
            spec.hot = str(value.value).lower() == "true"
        else:
            setattr(spec, k, str(value.value))
    if not spec.title:
        raise KbError(rel, line, "a path needs a 'title'")
    return spec


def select(spec: PathSpec, registry: Registry, section_of: dict[str, str]) -> list[Question]:
    """The questions of one path in reading order (`section_of`: page path -> nav section)."""
    pages = registry.topics()
    levels = labels.current().level_names
    rank = {q.id: (t, levels.index(q.level), i) for t, p in enumerate(pages) for i, q in enumerate(p.questions)}
    every = not spec.topics and not spec.sections

    def wanted(page_path: str, q: Question) -> bool:
        in_topic = every or q.topic_id in spec.topics or section_of.get(page_path) in spec.sections
        return in_topic and (q.hot or not spec.hot) and (not spec.levels or q.level in spec.levels)

    first = [registry.questions[i] for i in dict.fromkeys(spec.first)]
    taken = {q.id for q in first}
    rest = sorted((q for p in pages for q in p.questions if q.id not in taken and wanted(p.path, q)), key=lambda q: rank[q.id])
    if spec.limit:
        rest = _spread(rest, max(0, spec.limit - len(first)), rank)
    return (first + rest)[: spec.limit or None]


def _spread(questions: list[Question], room: int, rank: dict[str, tuple[int, int, int]]) -> list[Question]:
    """Keep `room` questions, taking one per topic in turn (easiest first), in reading order."""
    by_topic: dict[str, list[Question]] = {}
    for q in questions:
        by_topic.setdefault(q.topic_id, []).append(q)
    picked: list[Question] = []
    while len(picked) < room and any(by_topic.values()):
        for queue in by_topic.values():
            if queue and len(picked) < room:
                picked.append(queue.pop(0))
    return sorted(picked, key=lambda q: rank[q.id])


def split_days(questions: list[Question], days: int) -> list[list[Question]]:
    """Split a path into at most `days` days of whole topics with about as many questions each."""
    groups: list[list[Question]] = []
    for q in questions:
        if groups and groups[-1][0].topic_id == q.topic_id:
            groups[-1].append(q)
        else:
            groups.append([q])
    total = len(questions)
    out: list[list[Question]] = [[]]
    done = 0
    for i, group in enumerate(groups):
        out[-1].extend(group)
        done += len(group)
        left_groups = len(groups) - i - 1
        if left_groups and len(out) < days and done >= total * len(out) / days:
            out.append([])
    return [d for d in out if d]
