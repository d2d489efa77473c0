"""The real site, built with --strict: questions, answers, search index, questions.json, links."""

from __future__ import annotations

import html.parser
import json
import pathlib
import re
import urllib.parse
import urllib.request

import pytest
import yaml
from conftest import ROOT

from kb import contract

FIELDS = set(contract.fields())


@pytest.fixture(scope="module")
def questions(real_site: pathlib.Path) -> list[dict]:
    return json.loads((real_site / "questions.json").read_text("utf-8"))


def read_script(path: pathlib.Path) -> object:
    """The JSON value a `window.x = ...;` (or `...push(...)`) script of the search index assigns."""
    text = path.read_text("utf-8").strip()
    body = text[text.index("(", text.index("push")) + 1:-2] if ".push(" in text else text[text.index("=") + 1:].rstrip(";")
    return json.loads(body)


@pytest.fixture(scope="module")
def search_head(real_site: pathlib.Path) -> dict:
    return read_script(real_site / "search" / "head.js")


def test_questions_json_lists_every_question(questions: list[dict], registry) -> None:
    ids = [q["id"] for q in questions]
    assert len(ids) == len(set(ids)) == len(registry.questions)
    assert set(ids) == set(registry.questions)
    for q in questions:
        assert FIELDS <= q.keys()
        assert q["level"] in ("基础", "进阶", "深入") and isinstance(q["hot"], bool) and q["tags"]
        assert q["url"].endswith("#" + q["id"]) and not q["url"].startswith(("/", "http"))
        assert q["summary"] and "{{" not in q["summary"] and "{:" not in q["summary"]


def test_questions_json_follows_its_published_schema(real_site: pathlib.Path, questions: list[dict]) -> None:
    published = json.loads((real_site / "questions.schema.json").read_text("utf-8"))
    assert published == contract.schema()
    record = published["$defs"]["QuestionRecord"]
    assert set(record["required"]) == set(record["properties"]) == FIELDS
    assert record["additionalProperties"] is False
    assert contract.validate(questions) == []


def test_every_field_the_front_end_reads_is_in_the_contract() -> None:
    read: set[str] = set()
    for js in (ROOT / "docs" / "assets" / "javascripts").glob("*.js"):
        # records are bound to q / question / rec… in the scripts that read questions.json
        read |= set(re.findall(r"\b(?:q|question|item)\.([a-z_]+)\b(?!\s*\()", js.read_text("utf-8")))  # fields, not method calls
    record_fields = read - {"length"}
    assert "topic_id" in record_fields  # the scan sees the fields the quiz and home page use
    assert record_fields <= FIELDS, f"the front end reads fields questions.json does not declare: {record_fields - FIELDS}"


def test_contract_rejects_a_missing_or_undeclared_field(questions: list[dict]) -> None:
    good = dict(questions[0])
    missing = {k: v for k, v in good.items() if k != "topic_id"}
    assert any("topic_id" in p for p in contract.validate([missing]))
    assert any("extra" in p.lower() for p in contract.validate([{**good, "colour": "red"}]))
    assert any("level" in p for p in contract.validate([{**good, "level": "easy"}]))


def test_every_question_renders_with_a_collapsed_answer(real_site: pathlib.Path, questions: list[dict]) -> None:
    pages: dict[str, str] = {}
    for q in questions:
        page = q["url"].split("#")[0]
        text = pages.setdefault(page, (real_site / page / "index.html").read_text("utf-8"))
        heading = re.search(rf'<h([23]) class="kb-q"[^>]* id="{re.escape(q["id"])}"', text)
        assert heading, q["id"]
        after = text[heading.end():]
        assert re.match(r'.*?</h[23]>\s*<div class="kb-meta"[^>]*>.*?</div>\s*<details class="kb-answer">', after, re.S), q["id"]


def test_math_is_rendered_at_build_time(real_site: pathlib.Path) -> None:
    text = (real_site / "attention" / "index.html").read_text("utf-8")
    assert "<math" in text and 'display="block"' in text
    assert 'class="arithmatex"' not in text


def test_home_page_counts_are_computed(real_site: pathlib.Path, questions: list[dict], registry) -> None:
    text = (real_site / "index.html").read_text("utf-8")
    assert f"<strong>{len(questions)}</strong>" in text
    rows = re.findall(r"<tr>(.*?)</tr>", text, re.S)
    cells = [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)] for row in rows]
    for page in registry.topics():
        assert [page.title, str(len(page.questions))] in [c[:2] for c in cells], page.title


def test_search_has_one_document_per_question(search_head: dict, questions: list[dict], real_site: pathlib.Path) -> None:
    assert [d[0] for d in search_head["docs"]] == [q["id"] for q in questions]
    bodies = [row for name in search_head["body"] for row in read_script(real_site / name)[1]]
    assert sorted(r[0] for r in bodies) == list(range(len(questions)))
    for topic in search_head["topics"]:
        assert (real_site / topic[1] / "index.html").is_file(), topic


def test_search_index_is_segmented_and_has_synonyms(search_head: dict, real_site: pathlib.Path) -> None:
    doc = next(d for d in search_head["docs"] if d[0] == "attention-mha-mqa-gqa")
    summary = read_script(real_site / "search" / "summary.js")[search_head["docs"].index(doc)]
    assert "\u200b" in doc[4] and "\u200b" in summary  # jieba segmentation of title and 速答
    # the title names GQA: its Chinese and English names are searchable (field 6), never shown
    assert "分组查询注意力" in doc[6] and "grouped-query attention" in doc[6]
    assert "分组查询注意力" in search_head["vocab"].split("\n")


def test_search_index_holds_no_tex_code_or_page_furniture(search_head: dict, real_site: pathlib.Path) -> None:
    summaries = read_script(real_site / "search" / "summary.js")
    texts = [d[4] for d in search_head["docs"]] + summaries
    texts += [r[1] for name in search_head["body"] for r in read_script(real_site / name)[1]]
    joined = "\n".join(texts)
    for bad in ("\\(", "\\frac", "_{", "\\sqrt", "复制链接", "展开全部答案", "练习本主题", "会模糊不会", "被引用于", "def ", "import torch"):
        assert bad not in joined, bad
    ids = [d[0] for d in search_head["docs"]]
    assert "n_kv/h" in summaries[ids.index("attention-mha-mqa-gqa")]  # formulas in the form a reader types


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        for key in ("href", "src"):
            if a.get(key) and not (tag == "link" and a.get("rel") in ("canonical", "alternate")):
                self.links.append(a[key])


def test_crawl_under_sub_path_finds_no_broken_link(served_site: str) -> None:
    """Follow every internal link and anchor from the home page, served at /<repo>/."""
    seen: dict[str, _Links] = {}
    todo = [served_site]
    broken: list[str] = []
    anchors: list[tuple[str, str, str]] = []
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        try:
            with urllib.request.urlopen(url) as resp:
                body = resp.read()
                kind = resp.headers.get("Content-Type", "")
        except Exception as exc:  # noqa: BLE001
            broken.append(f"{url}: {exc}")
            continue
        parser = _Links()
        if "html" in kind:
            parser.feed(body.decode("utf-8"))
        seen[url] = parser
        for link in parser.links:
            if link.startswith(("mailto:", "data:", "javascript:")):
                continue
            target = urllib.parse.urljoin(url, link)
            if not target.startswith(served_site.split("/llm")[0]):
                continue  # external (repository links)
            if not target.startswith(served_site):
                broken.append(f"{url}: {link} leaves the sub-path")
                continue
            page, _, frag = target.partition("#")
            if frag:
                anchors.append((url, page, urllib.parse.unquote(frag)))
            todo.append(page)
    for src, page, frag in anchors:
        if page in seen and frag not in seen[page].ids:
            broken.append(f"{src}: missing anchor #{frag} on {page}")
    assert len(seen) > 15
    assert not broken, "\n".join(broken[:20])


def test_no_third_party_urls_in_pages(real_site: pathlib.Path) -> None:
    """Scripts, styles, images and frames come from the site (canonical links name the site's own URL)."""
    own = urllib.parse.urlsplit(yaml.safe_load(re.search(r"^site_url:.*$", (ROOT / "mkdocs.yml").read_text("utf-8"), re.M).group(0))["site_url"]).netloc
    offenders = []
    for path in real_site.rglob("*.html"):
        for m in re.finditer(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="(https?:)?//([^"/]+)', path.read_text("utf-8")):
            if m.group(2) != own:
                offenders.append(f"{path.relative_to(real_site)}: {m.group(2)}")
    assert not offenders, offenders[:10]
