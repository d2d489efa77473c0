"""Search index: one document per question, written at build time for docs/assets/javascripts/search.js.

on_page_content reads each question's rendered answer (kb/plain_text.py: 速答 and 详解 as
plain text, formulas in a readable form, no code, figures or buttons); on_post_build writes

- search/head.js: what the first result needs, loaded when the reader shows intent to search:
  per question its ID, topic, level, title, tags, term-pair synonyms (docs/assets/data/terms.yml,
  searchable, never shown) and the names of the terms it is the reference for (terms.yml `q`);
  the term groups (a query term also finds its pairs); the Chinese words of the index (the query
  vocabulary);
- search/summary.js: each question's 速答 (snippets, and searched), loaded after the first result;
- search/body-N.js: the 详解 text, in chunks loaded after that.

Chinese text is segmented with jieba (kb/search_terms.py `cut`, with the domain words); the words of a
Han run are separated by U+200B, which the browser splits on and never shows. Every file is a script
(`window.__kbSearch...`), so that the offline copy searches from file:// as well.
`extra.search.text_limit` (mkdocs.yml) caps the characters of 详解 kept per question (0: all).
The texts of a page's answers are kept across builds (kb/build_cache.py, store `answers`: keyed
by the page's HTML, valid for one version of hooks/plain_text.py), and so are the segmentations.
"""

from __future__ import annotations

import json
import os
import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

import kb.registry
from kb import build_cache, plain_text
from kb.plain_text import answer_texts
from kb.search_terms import Synonyms, cut, load_groups, save_cache, search_words
from kb.terms import load_terms

SEP = "\u200b"
HAN = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff]+$")
HAN_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u200b]+")
CHUNK_CHARS = 150_000  # characters of 详解 per body script

_texts: dict[str, tuple[str, str]] = {}  # question id -> (速答, 详解) of the build in progress
_urls: dict[str, str] = {}  # source path -> page URL


def segment(text: str) -> str:
    """jieba's words, with U+200B between two adjacent Chinese words (nowhere else)."""
    out: list[str] = []
    prev_han = False
    for word in cut(text):
        han = bool(HAN.match(word))
        if han and prev_han:
            out.append(SEP)
        out.append(word)
        prev_han = han
    return "".join(out)


def vocabulary(texts: list[str]) -> list[str]:
    """The Chinese words of segmented texts (two characters or more): what a query is cut into."""
    words: set[str] = set()
    for text in texts:
        for run in HAN_RUN.findall(text):
            words.update(w for w in run.split(SEP) if 1 < len(w) <= 12)
    return sorted(words)


def cap(text: str, limit: int) -> str:
    """At most `limit` characters (0: no limit), cut at a line or sentence end when there is one."""
    if limit <= 0 or len(text) <= limit:
        return text
    cut = text[:limit]
    end = max(cut.rfind("\n"), cut.rfind("。"))
    return cut[: end + 1] if end > limit // 2 else cut


def documents(registry: kb.registry.Registry, texts: dict[str, tuple[str, str]], urls: dict[str, str],
              limit: int) -> tuple[dict, list[str], list[list]]:
    """(head, summaries, body): head holds the topics, term groups, vocabulary and one row per question
    (id, topic, level, 高频, title, tags, synonyms, term names); then each question's 速答, and its 详解."""
    synonyms = Synonyms(load_groups())
    defines: dict[str, list[str]] = {}  # question id -> names of the terms it explains (terms.yml `q`)
    for term in load_terms():
        if term.q:
            defines.setdefault(term.q, []).extend(term.names)
    topics: list[list[str]] = []
    rows: list[list] = []
    body: list[list] = []
    summaries: list[str] = []
    segmented: list[str] = []
    for page in registry.topics():
        topics.append([page.title, urls.get(page.path, "")])
        for q in page.questions:
            if q.id not in texts:
                raise PluginError(f"{q.page}:{q.line}: the answer of '{q.id}' was not found in the rendered page")
            summary, detail = texts[q.id]
            title = kb.registry.title_text(q.title)  # exactly the text the heading shows, math as √d_k
            syn = " ".join(synonyms.for_text(" ".join([title, *q.tags, summary])))
            row = [q.id, len(topics) - 1, q.level, int(q.hot), segment(title), segment(" ".join(q.tags)),
                   syn, segment(" ".join(defines.get(q.id, [])))]
            rows.append(row)
            summaries.append(segment(summary))
            text = segment(cap(detail, limit))
            body.append([len(rows) - 1, text])
            segmented += [*row[4:], summaries[-1], text]
    groups = [[segment(n.lower()) for n in g] for g in load_groups()]
    segmented += [n for g in groups for n in g] + search_words()  # 根号: the browser reads √ as 根号
    head = {"version": 1, "topics": topics, "docs": rows, "groups": groups, "vocab": "\n".join(vocabulary(segmented))}
    return head, summaries, body


def chunks(body: list[list], size: int = CHUNK_CHARS) -> list[list[list]]:
    out: list[list[list]] = [[]]
    count = 0
    for row in body:
        if count > size:
            out.append([])
            count = 0
        out[-1].append(row)
        count += len(row[1])
    return out


def script(name: str, data: object) -> str:
    return f"window.{name} = " + json.dumps(data, ensure_ascii=False, separators=(",", ":")) + ";\n"


_answers = build_cache.store("answers", build_cache.file_digest(plain_text.__file__))


def page_answers(html: str) -> dict[str, tuple[str, str]]:
    """`answer_texts` of a page's HTML, cached across builds."""
    key = build_cache.digest(html)
    hit = _answers.get(key)
    if hit is None:
        hit = {qid: list(texts) for qid, texts in answer_texts(html).items()}
        _answers.put(key, hit)
    return {qid: (texts[0], texts[1]) for qid, texts in hit.items()}


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    _answers.begin(build_cache.cache_dir(config.config_file_path))
    return config


_dirty: list[bool] = []  # `mkdocs serve --dirtyreload` / `build --dirty`: only changed pages are rendered


def on_startup(*, command: str, dirty: bool) -> None:
    _dirty[:] = [dirty]


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    if not any(_dirty):  # a dirty build renders only the changed pages: keep the other pages' texts
        _texts.clear()
    _urls.clear()
    _urls.update({f.src_uri: f.url for f in files.documentation_pages()})
    return files


@event_priority(-100)  # after every other hook has changed the page's HTML
def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    registry = kb.registry.current
    if registry and page.file.src_uri in registry.pages and registry.pages[page.file.src_uri].questions:
        _texts.update(page_answers(html))
    return None


def on_post_build(*, config: MkDocsConfig) -> None:
    registry = kb.registry.current
    if registry is None:
        return
    _answers.save()
    limit = int((config.extra.get("search") or {}).get("text_limit", 0))
    head, summaries, body = documents(registry, _texts, _urls, limit)
    parts = chunks(body)
    head["summary"] = "search/summary.js"
    head["body"] = [f"search/body-{i}.js" for i in range(len(parts))]
    out = os.path.join(config.site_dir, "search")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "head.js"), "w", encoding="utf-8") as fh:
        fh.write(script("__kbSearchHead", head))
    with open(os.path.join(out, "summary.js"), "w", encoding="utf-8") as fh:
        fh.write(script("__kbSearchSummary", summaries))
    home = os.path.join(config.site_dir, "index.html")
    if os.path.exists(home) and "data-kb-search" not in open(home, encoding="utf-8").read():
        raise PluginError("the search box is missing from the header: overrides/main.html puts it before the "
                          "theme's repository link, so mkdocs.yml needs repo_url")
    for i, part in enumerate(parts):
        with open(os.path.join(out, f"body-{i}.js"), "w", encoding="utf-8") as fh:
            fh.write("(window.__kbSearchBody = window.__kbSearchBody || []).push(" +
                     json.dumps([i, part], ensure_ascii=False, separators=(",", ":")) + ");\n")
    save_cache()
