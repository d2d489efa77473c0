"""HTML the hooks and macros put into pages, rendered from Jinja partials in overrides/partials/.

One `jinja2.Environment` (autoescape on, StrictUndefined, templates cached by Jinja). The partials are
written over several indented lines for reading; the loader drops each line break and the
indentation after it, so that a partial renders to one line: a raw HTML block inside Markdown
must not be broken by a newline, and whitespace between the inline elements would show. Write a
space explicitly where one is wanted across a line break.
"""

from __future__ import annotations

import functools
import pathlib
import re
from collections.abc import Callable, Iterable

import jinja2
from markupsafe import Markup

from kb import labels
from kb.registry import Question

PARTIALS = pathlib.Path(__file__).resolve().parent.parent / "overrides" / "partials"
_LINE_BREAK = re.compile(r"\n[ \t]*")


class _OneLineLoader(jinja2.FileSystemLoader):
    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str | None, Callable[[], bool] | None]:
        source, filename, uptodate = super().get_source(environment, template)
        return _LINE_BREAK.sub("", source.strip("\n")), filename, uptodate


@functools.cache
def environment(partials: pathlib.Path = PARTIALS) -> jinja2.Environment:
    return jinja2.Environment(loader=_OneLineLoader(str(partials)), autoescape=True, undefined=jinja2.StrictUndefined)


def render(template: str, /, **context: object) -> str:
    return environment().get_template(template).render(**context)


def question_meta(q: Question, report: str = "", tag_href: Callable[[str], str] | None = None) -> str:
    """Metadata (level, 高频, tags: text, not buttons; each tag a link to its 标签 section) and one
    row of actions: the three mastery marks and a "more" menu with the secondary actions (copy link,
    report an error). kb.js wires the buttons; everything is rendered here so that nothing shifts
    when the scripts run."""
    return render(
        "kb-question-meta.html", q=q, level_class=labels.level_class(q.level), grades=labels.current().grades,
        tags=[(t, tag_href(t) if tag_href else "") for t in q.tags], report=report,
    )


def toolbar(topic_id: str, quiz_url: str, count: int) -> str:
    """Expand / collapse all answers, practise this topic, mastery count (filled in by kb.js)."""
    return render("kb-toolbar.html", topic_id=topic_id, quiz_url=quiz_url, count=count)


def backlinks(links: Iterable[tuple[str, str]]) -> str:
    """被引用于 under an answer: (title as Markdown from kb.registry.md_inline, link target) pairs.
    The block is Markdown (`markdown` attribute), so the pairs go in as Markdown, not escaped as HTML."""
    return render("kb-backlinks.html", links=[(Markup(t), Markup(h)) for t, h in links])


def figure(name: str, caption: str, svg: str, min_width: int) -> str:
    """An inlined SVG (checked by the caller) with a zoom button and its caption."""
    return render("kb-figure.html", name=name, caption=caption, svg=Markup(svg), min_width=min_width)
