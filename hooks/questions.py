"""Questions: build the registry, render each question with a collapsible answer, write questions.json.

on_files parses every page (hooks/kb.registry.py) and fails the build with file:line on bad
content; on_page_markdown turns the authoring format into a heading with an anchor, a
metadata line and a collapsed `details` block with backlinks; on_post_build writes
`questions.json` (validated against kb/contract.py, whose JSON Schema it publishes as
`questions.schema.json`), read by the quiz, the home page and outside tools.
"""

from __future__ import annotations

import json
import os
import urllib.parse
from collections.abc import Callable

import macros
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page as MkPage

import kb.registry
from kb import content_check, contract, labels, render, tags
from kb.registry import KbError, Question, Registry, nav_order, parse_page

_urls: dict[str, str] = {}  # src path -> page URL relative to the site root


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Level and grade labels from the site's docs/assets/data/labels.yml (kb/labels.py), for the build and,
    through overrides/partials/kb-labels.html, for the pages' scripts."""
    config.extra["kb_labels"] = labels.use(config.docs_dir).as_json()
    return config


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    """Run every content check (kb/content_check.py, as the check command does); fail on the first problem."""
    sources = []
    for f in files.documentation_pages():
        sources.append((f.src_uri, f.content_string))
        _urls[f.src_uri] = f.url
    settings = content_check.Settings(
        docs_dir=config.docs_dir,
        order=nav_order(config.nav),
        snippet_dirs=content_check.snippet_dirs(_extension_configs(config), os.path.dirname(config.config_file_path or ".")),
        config=dict(config),
    )
    try:
        kb.registry.current = content_check.check_site(sources, settings)
    except KbError as exc:
        raise PluginError(f"Bad content: {exc}") from None
    return files


def _extension_configs(config: MkDocsConfig) -> list[object]:
    snippets = config.mdx_configs.get("pymdownx.snippets")
    return [{"pymdownx.snippets": snippets}] if snippets is not None else []


def report_url(q: Question, repo_url: str, page_url: str) -> str:
    """A prefilled errata issue on the site's repository for one question."""
    title = f"[纠错] {q.title_text} ({q.id})"
    body = (
        f"题目 ID：`{q.id}`\n页面：{page_url}\n题目链接：{page_url}#{q.id}\n\n"
        "哪里有误（引用原文）：\n\n应当是（请附论文或官方文档链接）：\n"
    )
    query = urllib.parse.urlencode({"title": title, "body": body, "labels": "errata", "template": "errata.md"})
    return f"{repo_url.rstrip('/')}/issues/new?{query}"


def meta_html(q: Question, report: str = "", tag_href: Callable[[str], str] | None = None) -> str:
    """The question header row (overrides/partials/kb-question-meta.html)."""
    return render.question_meta(q, report, tag_href)


def toolbar_html(topic_id: str, quiz_url: str, count: int) -> str:
    """The topic toolbar (overrides/partials/kb-toolbar.html)."""
    return render.toolbar(topic_id, quiz_url, count)


def render_questions(
    markdown: str, src: str, registry: Registry, report: Callable[[Question], str] | None = None, quiz_url: str = "",
    tag_href: Callable[[str], str] | None = None,
) -> str:
    """Rewrite the authoring format of one page into Markdown that Material renders."""
    page = parse_page(src, markdown)
    if not page.questions:
        return markdown
    lines = markdown.split("\n")
    out = list(lines)
    kinds, _ = kb.registry.scan_blocks(lines)
    toolbar = toolbar_html(registry.questions[page.questions[0].id].topic_id, quiz_url, len(page.questions))
    title_idx = next((i for i, line in enumerate(lines) if line.startswith("# ") and not kinds[i]), None)
    if title_idx is not None:
        out[title_idx] = lines[title_idx] + "\n\n" + toolbar + "\n"
    # without an H1 (the theme shows the page title) the toolbar goes before the first question, below
    for q in page.questions:
        q.topic, q.topic_id = registry.questions[q.id].topic, registry.questions[q.id].topic_id
        head = q.line - 1
        open_idx = q.body_line - 2
        close_idx = q.body_line - 1 + len(q.body)
        meta_idx = next(i for i in range(head + 1, open_idx) if lines[i].strip())
        hashes = "#" * q.heading_level
        out[head] = (toolbar + "\n\n" if title_idx is None and q.line == page.questions[0].line else "") + (
            f'{hashes} {kb.registry.md_inline(q.title)} {{: #{q.id} .kb-q data-level="{q.level}" }}')
        out[meta_idx] = "\n" + meta_html(registry.questions.get(q.id, q), report(q) if report else "", tag_href) + "\n"
        out[open_idx] = "/// details | 答案\n    type: kb-answer\n"
        refs = [registry.questions[i] for i in registry.backlinks.get(q.id, [])]
        back = ""
        if refs:
            links = [(kb.registry.md_inline(r.title), macros.rel_link(src, r.page, r.id)) for r in refs]
            back = "\n" + render.backlinks(links) + "\n\n"
        out[close_idx] = back + "///"
    return "\n".join(out)


@event_priority(100)  # before hooks/jinja_guard.py (90) and mkdocs-macros (0)
def on_page_markdown(markdown: str, *, page: MkPage, config: MkDocsConfig, files: Files) -> str | None:
    registry = kb.registry.current
    kb_page = registry.pages.get(page.file.src_uri) if registry else None
    if registry is None or kb_page is None or not kb_page.questions:
        return None
    repo = config.repo_url or ""
    page_url = (config.site_url or "") + page.file.url
    report = (lambda q: report_url(q, repo, page_url)) if repo else None
    quiz = files.get_file_from_path("quiz.md")
    quiz_url = quiz.url_relative_to(page.file) if quiz else ""
    tag_file = files.get_file_from_path("tags.md")  # the tag page (kb/tags.py)
    tag_href = (lambda t: f"{tag_file.url_relative_to(page.file)}#{tags.anchor(t)}") if tag_file else None
    return render_questions(markdown, page.file.src_uri, registry, report, quiz_url, tag_href)


def questions_json(registry: Registry, urls: dict[str, str]) -> list[dict[str, object]]:
    return [
        {
            "id": q.id,
            "title": q.title_text,  # plain text, exactly as the heading shows it
            "url": f"{urls[q.page]}#{q.id}",
            "topic": q.topic,
            "topic_id": q.topic_id,
            "level": q.level,
            "hot": q.hot,
            "tags": q.tags,
            "summary": kb.registry.plain_text(macros.render_text(q.summary_md, q.page), jinja=False),
        }
        for page in registry.topics()
        for q in page.questions
    ]


def on_post_build(*, config: MkDocsConfig) -> None:
    registry = kb.registry.current
    if registry is None:
        return
    records = questions_json(registry, _urls)
    problems = contract.validate(records)
    if problems:  # a change to questions_json() that the contract (kb/contract.py) does not declare
        raise PluginError("questions.json does not follow kb/contract.py:\n  " + "\n  ".join(problems[:10]))
    with open(os.path.join(config.site_dir, "questions.schema.json"), "w", encoding="utf-8") as fh:
        fh.write(contract.schema_json())
    data = json.dumps(records, ensure_ascii=False, separators=(",", ":"))
    with open(os.path.join(config.site_dir, "questions.json"), "w", encoding="utf-8") as fh:
        fh.write(data)
    # the same list as a script, for the offline copy (file:// pages cannot fetch JSON)
    with open(os.path.join(config.site_dir, "questions.js"), "w", encoding="utf-8") as fh:
        fh.write(f"window.__kbQuestions = {data};\n")

