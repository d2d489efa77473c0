"""Markdown and HTML for the generated pages (home page topic table and study-path cards, 学习路径, 速记表,
术语表, 标签, 最近更新, PDF links, calculator presets) and the cross-links between questions.

MkDocs-free: hooks/macros.py exposes each as a macro; they read the registry that the build made
(kb.registry.current).
"""

from __future__ import annotations

import html
import pathlib
import posixpath
from collections.abc import Callable

import kb.registry
from kb import formulas, freshness, labels, paths, tags, terms


def _registry() -> kb.registry.Registry:
    if kb.registry.current is None:
        raise RuntimeError("the question registry is not built: is hooks/questions.py listed under hooks?")
    return kb.registry.current


def rel_link(from_src: str, to_src: str, anchor: str = "") -> str:
    """Relative Markdown link target from one source page to another (MkDocs turns it into a URL)."""
    base = posixpath.dirname(from_src)
    target = posixpath.relpath(to_src, base or ".") if to_src != from_src else ""
    if not target:
        target = posixpath.basename(to_src)
    return target + (f"#{anchor}" if anchor else "")


def question_link(qid: str, from_src: str) -> str:
    reg = _registry()
    if qid not in reg.questions:
        raise ValueError(f"{from_src}: link to unknown question '{qid}'")
    target = reg.questions[qid]
    return f"[{kb.registry.md_inline(target.title)}]({rel_link(from_src, target.page, target.id)}){{: .kb-qlink }}"


def topic_table(from_src: str) -> str:
    reg = _registry()
    rows = ["| 主题 | 问题数 | 高频 | 已掌握 |", "|---|---:|---:|---:|"]
    for page in reg.topics():
        hot = sum(q.hot for q in page.questions)
        # study.js counts the mastered ones from these IDs (no download of questions.json)
        ids = " ".join(q.id for q in page.questions)
        mastery = f'<span class="kb-topic-mastery" data-ids="{ids}">–</span>'
        rows.append(f"| [{kb.registry.md_inline(page.title)}]({rel_link(from_src, page.path)}) | {len(page.questions)} | {hot} | {mastery} |")
    return "\n".join(rows)


def cheatsheet(from_src: str, render_summary: Callable[[str], str]) -> str:
    """Every question with its 速答 (`render_summary`: its macros run, as on its page), grouped by topic,
    linking to the full answers."""
    out = []
    for page in _registry().topics():
        out.append(f"## {kb.registry.md_inline(page.title)}\n")
        for q in page.questions:
            level = f'<span class="kb-level kb-level-{labels.level_class(q.level)}">{q.level}</span>'
            hot = ' <span class="kb-hot">高频</span>' if q.hot else ""
            summary = render_summary(q.summary_md)
            out.append(f"- **[{kb.registry.md_inline(q.title)}]({rel_link(from_src, q.page, q.id)})** {level}{hot}<br>{summary}")
        out.append("")
    return "\n".join(out)


def recent_list(from_src: str, docs_dir: str, limit: int) -> str:
    """The questions added or changed most recently, newest first (by commit time), from git history."""
    reg = _registry()
    times = freshness.question_times(docs_dir, reg)
    order = {qid: i for i, qid in enumerate(reg.questions)}
    known = [q for q in reg.questions.values() if times[q.id] is not None]
    if not known:
        return ('<p class="kb-recent-none">这份副本没有可用的 git 历史（例如浅克隆），无法判断各题的更新日期；'
                "在完整历史上构建即可列出。</p>")
    newest = sorted(known, key=lambda q: (times[q.id], -order[q.id]), reverse=True)[:limit]
    rows = ["| 日期 | 题目 | 主题 |", "|---|---|---|"]
    for q in newest:
        # plain-text titles (√d_k): a formula here would make the home page load the 44 KB math font
        title = kb.registry.md_inline(kb.registry.title_text(q.title))
        rows.append(
            f"| {times[q.id].date().isoformat()} | [{title}]({rel_link(from_src, q.page, q.id)}) "
            f"| {kb.registry.md_inline(q.topic)} |"
        )
    if len(known) < len(reg.questions):
        rows.append(f"\n另有 {len(reg.questions) - len(known)} 题的日期在这份副本的 git 历史中查不到（浅克隆），未列出。")
    return "\n".join(rows)


def glossary_table(from_src: str) -> str:
    """术语表: Chinese and English names, a one-line definition, the question that explains it."""
    rows = ["| 术语 | English | 释义 | 详见 |", "|---|---|---|---|"]
    for t in sorted(terms.load_terms(), key=lambda t: t.en.lower()):
        english = " / ".join([t.en] + [a for a in t.aliases if a.isascii()])
        see = question_link(t.q, from_src) if t.q else ""
        rows.append("| " + " | ".join(kb.registry.table_cell(c) for c in (t.zh, english, t.definition)) + f" | {see} |")
    return "\n".join(rows)


def nav_sections(nav: object) -> dict[str, str]:
    """Page path -> title of the top-level nav section that holds it."""
    out: dict[str, str] = {}
    for item in nav if isinstance(nav, list) else []:
        if isinstance(item, dict):
            for title, value in item.items():
                stack = [value]
                while stack:
                    v = stack.pop()
                    if isinstance(v, str):
                        out[v] = title
                    elif isinstance(v, list):
                        stack.extend(v)
                    elif isinstance(v, dict):
                        stack.extend(v.values())
    return out


def _path_items(from_src: str, questions: list[kb.registry.Question]) -> list[str]:
    lines = []
    for i, q in enumerate(questions, 1):
        lines.append(f'{i}. [{q.title}]({rel_link(from_src, q.page, q.id)}) '
                     f'<span class="kb-level kb-level-{labels.level_class(q.level)}">{q.level}</span>')
    return lines


def _progress(count: int) -> str:
    return (f'<span class="kb-path-progress" aria-live="polite">{count} 题</span>'
            '<span class="kb-path-bar" aria-hidden="true"><span></span></span>')


PATHS_PAGE = "paths.md"  # the full lists; the home page shows each path as a card with its IDs


def _path_specs(docs_dir: str, nav: object) -> list[tuple[str, paths.PathSpec, list[kb.registry.Question]]]:
    """(anchor, spec, questions) of every path that has questions, in file order."""
    reg = _registry()
    data = pathlib.Path(docs_dir) / "assets" / "data" / "paths.yml"
    specs = paths.load(str(data), set(reg.questions), "docs/assets/data/paths.yml")
    sections = nav_sections(nav)
    out = []
    for group in paths.GROUPS:
        for i, spec in enumerate((s for s in specs if s.group == group), 1):
            qs = paths.select(spec, reg, sections)
            if qs:
                out.append((f"path-{group}-{i}", spec, qs))
    return out


def study_paths(from_src: str, docs_dir: str, nav: object) -> str:
    """学习路径 cards for the home page, by role and by time: progress, the next question, a link
    to the full list. Each card carries its question IDs (study.js counts the mastered ones)."""
    out = []
    every = _path_specs(docs_dir, nav)
    for group, heading in paths.GROUPS.items():
        out.append(f'<p class="kb-paths-group">{heading}</p>\n\n<div class="kb-paths" markdown>\n')
        for anchor, spec, qs in (e for e in every if e[1].group == group):
            first = qs[0]
            ids = " ".join(q.id for q in qs)
            out.append(f'<div class="kb-path" data-kb-scope data-ids="{ids}" markdown>\n')
            out.append(f'<p class="kb-path-head"><span class="kb-path-title">{html.escape(spec.title)}</span>{_progress(len(qs))}</p>\n')
            if spec.about:
                out.append(f'<p class="kb-path-about">{html.escape(spec.about)}</p>\n')
            out.append(f"[从第 1 题开始]({rel_link(from_src, first.page, first.id)}){{: .md-button .kb-path-next }}"
                       f" [全部 {len(qs)} 题]({rel_link(from_src, PATHS_PAGE, anchor)}){{: .kb-path-all }}\n")
            out.append("</div>\n")
        out.append("</div>\n")
    return "\n".join(out)


def study_path_lists(from_src: str, docs_dir: str, nav: object) -> str:
    """学习路径 page: each path in full (by day for a week plan), with the reader's progress."""
    out = []
    every = _path_specs(docs_dir, nav)
    for group, heading in paths.GROUPS.items():
        for anchor, spec, qs in (e for e in every if e[1].group == group):
            out.append(f"## {spec.title} {{: #{anchor} }}\n")
            out.append('<div class="kb-path kb-path-full" data-kb-scope markdown>\n')
            about = f'<span class="kb-path-title">{heading} · {html.escape(spec.about)}</span>' if spec.about else ""
            out.append(f'<p class="kb-path-head">{about}{_progress(len(qs))}</p>\n')
            first = qs[0]
            out.append(f"[从第 1 题开始]({rel_link(from_src, first.page, first.id)}){{: .md-button .kb-path-next }}\n")
            if spec.days:
                for day, dqs in enumerate(paths.split_days(qs, spec.days), 1):
                    names = "、".join(dict.fromkeys(q.topic for q in dqs))
                    out.append(f'<div class="kb-path-day" data-kb-scope markdown>\n<p class="kb-path-head">'
                               f'<span class="kb-path-title">第 {day} 天：{html.escape(names)}</span>{_progress(len(dqs))}</p>\n')
                    out.extend(_path_items(from_src, dqs))
                    out.append("\n</div>\n")
            else:
                out.extend(_path_items(from_src, qs))
                out.append("")
            out.append("</div>\n")
    return "\n".join(out)


def pdf_links(from_src: str, docs_dir: str) -> str:
    """Links to the PDFs under docs/pdf/ (scripts/pdf.py), or a note when this build has none."""
    pdf_dir = pathlib.Path(docs_dir) / "pdf"
    whole = pdf_dir / "llm-interview-kb.pdf"
    if not whole.is_file():
        return ('<p class="kb-pdf-missing">PDF 版（全部题目与各主题，答案全部展开）随正式站点发布；'
                "这份本地构建没有生成 PDF（<code>python -m scripts pdf</code> 可以生成）。</p>")
    size = lambda p: f"{p.stat().st_size / 1e6:.1f} MB"  # noqa: E731
    out = [f"[全部题目（PDF，{size(whole)}）]({rel_link(from_src, 'pdf/llm-interview-kb.pdf')}){{: .md-button .kb-pdf }}", ""]
    topics = []
    for page in _registry().topics():
        f = pdf_dir / (page.path[:-3].replace("/", "-") + ".pdf")
        if f.is_file():
            topics.append(f"[{page.title}]({rel_link(from_src, 'pdf/' + f.name)})")
    if topics:
        out.append("按主题：" + " · ".join(topics))
    return "\n".join(out)


def tag_index(from_src: str) -> str:
    """标签 page: every tag with its count, then each tag's questions by topic."""
    return tags.tag_page(_registry(), lambda q: rel_link(from_src, q.page, q.id))


def model_presets_html() -> str:
    """The calculator's model and GPU presets inlined as JSON (the offline copy cannot fetch them)."""
    import json

    tags = []
    for path, tag_id in ((formulas.MODELS_JSON, "kb-model-presets"), (formulas.GPUS_JSON, "kb-gpu-presets")):
        data = json.loads(path.read_text("utf-8"))
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
        tags.append(f'<script type="application/json" id="{tag_id}">{text}</script>')
    return "".join(tags)


def model_sources_md() -> str:
    """One line per calculator preset: its name and the config.json or paper its figures come from."""
    return "\n".join(f"- [{m.name}]({m.source})" for m in formulas.load_models().values()) + "\n"
