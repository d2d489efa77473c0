"""Tags: one spelling per tag, no accidental one-off tags, and the tag page (docs/tags.md).

`docs/assets/data/tags.yml` maps near-duplicate spellings to one canonical tag (`aliases`) and
lists the tags that one question uses on purpose (`singletons`). After hooks/questions.py has
built the registry, `normalise` (run by kb/content_check.py, for the build and the check
command alike) rewrites every question's tags to their canonical spelling and fails, with
file:line, on a tag that differs from another only in case or that only one question uses. The macro `tag_index()` (hooks/macros.py) renders the tag page from
`tag_page()`; hooks/questions.py links every tag chip to its section there (`anchor()`).

A site without the data file (the tests' fixture sites) keeps its tags as written.

    python -m scripts tags   # print the singletons of docs/ that the data file does not list
"""

from __future__ import annotations

import html
import os
import pathlib
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import yaml

import kb.registry
from kb import labels
from kb.registry import KbError, Question, Registry

DATA = "assets/data/tags.yml"


@dataclass
class TagData:
    aliases: dict[str, str] = field(default_factory=dict)  # spelling -> canonical tag
    singletons: set[str] = field(default_factory=set)


def load(path: str) -> TagData | None:
    """The data file, checked; None when the site has none."""
    if not os.path.isfile(path):
        return None
    rel = os.path.relpath(path)
    text = pathlib.Path(path).read_text("utf-8")
    root = yaml.compose(text) or yaml.MappingNode("tag:yaml.org,2002:map", [])
    if not isinstance(root, yaml.MappingNode):
        raise KbError(rel, 1, "expected a mapping with 'aliases' and 'singletons'")
    data = TagData()
    for key, value in root.value:
        line = key.start_mark.line + 1
        if key.value == "aliases" and isinstance(value, yaml.MappingNode):
            for k, v in value.value:
                if not isinstance(v, yaml.ScalarNode) or not str(v.value).strip():
                    raise KbError(rel, k.start_mark.line + 1, f"alias '{k.value}' needs a canonical tag")
                data.aliases[str(k.value)] = str(v.value)
        elif key.value == "singletons" and isinstance(value, yaml.SequenceNode):
            data.singletons = {str(item.value) for item in value.value}
        else:
            raise KbError(rel, line, f"unknown key '{key.value}': use 'aliases' (a mapping) and 'singletons' (a list)")
    for alias, canonical in data.aliases.items():
        if canonical in data.aliases:
            raise KbError(rel, 1, f"alias '{alias}' points to '{canonical}', itself an alias: point it to '{data.aliases[canonical]}'")
    return data


def normalise(registry: Registry, data: TagData) -> list[KbError]:
    """Rewrite each question's tags to their canonical spelling; return the problems left."""
    for q in registry.questions.values():
        seen: list[str] = []
        for t in q.tags:
            t = data.aliases.get(t, t)
            if t not in seen:
                seen.append(t)
        q.tags = seen
    errors: list[KbError] = []
    counts = Counter(t for q in registry.questions.values() for t in q.tags)
    by_fold: dict[str, list[str]] = {}
    for t in counts:
        by_fold.setdefault(t.casefold(), []).append(t)
    first_use = {}
    for q in registry.questions.values():
        for t in q.tags:
            first_use.setdefault(t, q)
    for t, n in sorted(counts.items()):
        q = first_use[t]
        twins = [o for o in by_fold[t.casefold()] if o != t]
        if twins:
            errors.append(KbError(q.page, q.line, f"tag '{t}' on '{q.id}' differs only in case from '{twins[0]}': "
                                  f"use one spelling, or map one to the other under 'aliases' in docs/{DATA}"))
        elif n == 1 and t not in data.singletons:
            hint = _closest(t, [o for o in counts if counts[o] > 1])
            errors.append(KbError(q.page, q.line, f"tag '{t}' on '{q.id}' is used by no other question: reuse an existing "
                                  f"tag{f' (such as {hint!r})' if hint else ''}, map it under 'aliases', or list it "
                                  f"under 'singletons' in docs/{DATA}"))
    return errors


def _closest(tag: str, others: list[str]) -> str:
    import difflib

    folded = {o.casefold(): o for o in others}
    match = difflib.get_close_matches(tag.casefold(), list(folded), n=1, cutoff=0.75)
    return folded[match[0]] if match else ""


def anchors(tags: list[str]) -> dict[str, str]:
    """A stable HTML id per tag: 'tag-' + a slug (CJK kept), numbered on a clash ('LoRA', 'LoRA+')."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for t in sorted(tags, key=lambda t: (t.casefold(), t)):
        base = "tag-" + (re.sub(r"[^\w]+", "-", t.casefold()).strip("-_") or "x")
        slug, n = base, 2
        while slug in used:
            slug, n = f"{base}-{n}", n + 1
        used.add(slug)
        out[t] = slug
    return out


_table: tuple[int, dict[str, str]] = (0, {})


def anchor(tag: str) -> str:
    """The id of one tag's section on the tag page (tags of the build in progress)."""
    global _table
    reg = kb.registry.current
    if reg is not None and _table[0] != id(reg):
        _table = (id(reg), anchors(sorted({t for q in reg.questions.values() for t in q.tags})))
    return _table[1].get(tag) or anchors([tag])[tag]


def tag_page(registry: Registry, link: Callable[[Question], str]) -> str:
    """Markdown of the tag page: an index of every tag with its count, then one section per tag
    listing its questions grouped by topic, with level and 高频. `link(q)` is a Markdown link target."""
    by_tag: dict[str, list[Question]] = {}
    for page in registry.topics():
        for q in page.questions:
            for t in q.tags:
                by_tag.setdefault(t, []).append(q)
    ids = anchors(list(by_tag))
    order = sorted(by_tag, key=lambda t: (-len(by_tag[t]), t.casefold()))
    chips = "".join(
        f'<a class="kb-tag" href="#{ids[t]}">{_esc(t)}<span class="kb-tag-n">{len(by_tag[t])}</span></a>' for t in order
    )
    out = [
        f'<p class="kb-tag-summary">共 {len(by_tag)} 个标签，按题目数排列；点标签查看它的题目。</p>',
        '<div class="kb-tag-cloud" data-search-exclude>' + chips + "</div>",
        "",
    ]
    for t in sorted(by_tag, key=lambda t: (t.casefold(), t)):
        qs = by_tag[t]
        out.append(f'<section class="kb-tagsec" id="{ids[t]}" markdown>')
        out.append(f'<p class="kb-tagsec-title"><span class="kb-tagsec-name">{_esc(t)}</span> · {len(qs)} 题</p>\n')
        topics: dict[str, list[Question]] = {}
        for q in qs:
            topics.setdefault(q.topic, []).append(q)
        for topic, items in topics.items():
            out.append(f'<p class="kb-tagsec-topic">{_esc(topic)}</p>\n')
            for q in items:
                hot = ' <span class="kb-hot">高频</span>' if q.hot else ""
                level = f'<span class="kb-level kb-level-{labels.level_class(q.level)}">{q.level}</span>'
                out.append(f"- [{q.title}]({link(q)}) {level}{hot}")
            out.append("")
        out.append("</section>\n")
    return "\n".join(out)


def _esc(text: str) -> str:
    return html.escape(text, quote=True)
