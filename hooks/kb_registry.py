"""Parse topic pages into questions and build the site-wide question registry.

Pure functions, no MkDocs imports: `parse_page` turns one Markdown source into
`Question` objects, `build_registry` checks a whole set of pages. Every problem
is reported as a `KbError` carrying `file:line` and a plain message.

The question format (see CONTRIBUTING.md):

    ### 为什么要除以 √d_k？
    > id: attention-scale-sqrt-dk | level: 基础 | 高频 | tags: softmax, 数值稳定

    /// answer
    **速答**：……
    ///
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

LEVELS = ("基础", "进阶", "深入")
ID_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)+$")
HEADING_RE = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
META_RE = re.compile(r"^>\s*(id|level|tags|高频)\b")
FENCE_RE = re.compile(r"^\s*(`{3,}|~{3,})")
BLOCK_OPEN_RE = re.compile(r"^///\s*([A-Za-z][\w-]*)")
BLOCK_CLOSE = "///"
ANSWER_OPEN_RE = re.compile(r"^///\s*answer\s*$")
SUMMARY_RE = re.compile(r"^\*\*速答\*\*\s*[：:]\s*(.*)$")
LINK_RE = re.compile(r"""\bq\(\s*["']([^"']*)["']""")
FIGURE_RE = re.compile(r"""\bfigure\(\s*["']([^"']*)["']""")
FRONT_MATTER_RE = re.compile(r"\A---\s*\n.*?\n---\s*\n", re.S)


class KbError(Exception):
    """A content error at a place in a source file."""

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = path
        self.line = line
        self.message = message


@dataclass
class Question:
    id: str
    title: str
    page: str  # source path relative to docs/, e.g. "attention.md"
    line: int  # line of the heading, 1-based
    heading_level: int
    level: str
    hot: bool
    tags: list[str]
    summary_md: str
    body: list[str]  # answer lines, without the /// fences
    body_line: int  # line of the first body line
    topic: str = ""
    topic_id: str = ""
    links: list[tuple[str, int]] = field(default_factory=list)  # (target id, line)

    @property
    def summary(self) -> str:
        return plain_text(self.summary_md)


@dataclass
class Page:
    path: str
    title: str
    questions: list[Question]


def plain_text(md: str) -> str:
    """Markdown of a one-line summary to plain text (for JSON, meta tags, tooltips)."""
    text = re.sub(r"\{\{\s*q\(\s*[\"']([^\"']+)[\"']\s*\)\s*\}\}", r"\1", md)
    text = re.sub(r"\{\{.*?\}\}", "", text)
    text = re.sub(r"\{:[^}]*\}", "", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\$([^$]+)\$", lambda m: tex_plain(m.group(1)), text)
    text = re.sub(r"[*`]", "", text)
    return re.sub(r"\s+", " ", text).strip()


TEX_SYMBOLS = {"cdot": "·", "times": "×", "top": "ᵀ", "approx": "≈", "le": "≤", "ge": "≥", "to": "→", "in": "∈"}


def tex_plain(tex: str) -> str:
    """Simple inline TeX as Unicode text: $\\sqrt{d_k}$ -> √d_k, $4d_{\\text{model}}$ -> 4d_model."""
    text = tex
    for _ in range(3):  # nested groups, innermost first
        text = re.sub(r"\\sqrt\{([^{}]*)\}", r"√\1", text)
        text = re.sub(r"\\[dt]?frac\{([^{}]*)\}\{([^{}]*)\}", r"\1/\2", text)
        text = re.sub(r"\\(?:text|mathrm|mathbf|operatorname)\{([^{}]*)\}", r"\1", text)
        text = re.sub(r"([_^])\{([^{}]*)\}", r"\1\2", text)
    text = re.sub(r"\\([A-Za-z]+)\s*", lambda m: TEX_SYMBOLS.get(m.group(1), m.group(1)), text)
    text = re.sub(r"\s*([·×≈≤≥→∈])\s*", r"\1", text.replace("-", "−"))
    return text.replace("{", "").replace("}", "").replace("\\", "")


def page_title(text: str, fallback: str) -> str:
    match = re.search(r"^title:\s*(.+)$", _front_matter(text), re.M)
    if match:
        return match.group(1).strip().strip("\"'")
    for line in text.splitlines():
        m = HEADING_RE.match(line)
        if m and len(m.group(1)) == 1:
            return m.group(2).strip()
    return fallback


def _front_matter(text: str) -> str:
    match = FRONT_MATTER_RE.match(text)
    return match.group(0) if match else ""


def code_mask(lines: list[str]) -> list[bool]:
    """True for lines inside (or delimiting) a fenced code block."""
    mask: list[bool] = []
    fence = ""
    for line in lines:
        m = FENCE_RE.match(line)
        if fence:
            mask.append(True)
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not line.strip()[len(m.group(1)):].strip():
                fence = ""
        elif m:
            fence = m.group(1)
            mask.append(True)
        else:
            mask.append(False)
    return mask


def parse_meta(path: str, line_no: int, line: str) -> tuple[str, str, bool, list[str]]:
    """Parse `> id: x | level: 基础 | 高频 | tags: a, b` into (id, level, hot, tags)."""
    content = line.lstrip()[1:].strip()
    fields: dict[str, str] = {}
    hot = False
    for part in (p.strip() for p in content.split("|")):
        if not part:
            raise KbError(path, line_no, "malformed metadata: empty field between '|' separators")
        if part == "高频":
            hot = True
            continue
        key, sep, value = part.partition(":")
        if not sep:
            key, sep, value = part.partition("：")
        key = key.strip()
        if not sep or key not in ("id", "level", "tags"):
            raise KbError(
                path, line_no,
                f"malformed metadata: unknown field '{part}'; write "
                "'> id: topic-some-question | level: 基础 | 高频 | tags: a, b'",
            )
        if key in fields:
            raise KbError(path, line_no, f"malformed metadata: field '{key}' given twice")
        fields[key] = value.strip()
    qid = fields.get("id", "")
    if not qid:
        raise KbError(path, line_no, "question without ID: the metadata line needs 'id: topic-some-question'")
    if not ID_RE.match(qid):
        raise KbError(
            path, line_no,
            f"malformed metadata: ID '{qid}' must be English kebab-case with a topic prefix, "
            "e.g. 'attention-scale-sqrt-dk'",
        )
    level = fields.get("level", "")
    if level not in LEVELS:
        shown = level or "(missing)"
        raise KbError(path, line_no, f"unknown level '{shown}' for '{qid}': use one of {' / '.join(LEVELS)}")
    tags = [t.strip() for t in re.split(r"[,，]", fields.get("tags", "")) if t.strip()]
    if not tags:
        raise KbError(path, line_no, f"malformed metadata: '{qid}' needs at least one tag ('tags: a, b')")
    return qid, level, hot, tags


def parse_page(path: str, text: str) -> Page:
    """Parse one Markdown source. Raises KbError on the first problem."""
    lines = text.split("\n")
    in_code = code_mask(lines)
    start = _front_matter(text).count("\n")
    questions: list[Question] = []
    i = start
    n = len(lines)
    pending: tuple[int, int, str] | None = None  # (line index, level, title) of the last heading
    while i < n:
        line = lines[i]
        if in_code[i]:
            i += 1
            continue
        heading = HEADING_RE.match(line)
        if heading:
            pending = (i, len(heading.group(1)), heading.group(2).strip())
            i += 1
            # the metadata line, if any, comes right after the heading (blank lines allowed)
            j = i
            while j < n and not lines[j].strip():
                j += 1
            if j < n and META_RE.match(lines[j]):
                q, i = _parse_question(path, lines, in_code, pending, j)
                questions.append(q)
                pending = None
            elif j < n and ANSWER_OPEN_RE.match(lines[j]):
                raise KbError(
                    path, pending[0] + 1,
                    f"question without ID: '{pending[2]}' has an answer but no metadata line; add "
                    "'> id: topic-some-question | level: 基础 | tags: a, b' under the heading",
                )
            continue
        if ANSWER_OPEN_RE.match(line):
            raise KbError(
                path, i + 1,
                "answer without question: '/// answer' must follow a question heading and its metadata line",
            )
        if META_RE.match(line) and line.lstrip().startswith("> id"):
            raise KbError(path, i + 1, "malformed metadata: a metadata line must come directly under a question heading")
        i += 1
    return Page(path=path, title=page_title(text, path), questions=questions)


def _parse_question(
    path: str, lines: list[str], in_code: list[bool], heading: tuple[int, int, str], meta_idx: int
) -> tuple[Question, int]:
    h_idx, h_level, title = heading
    qid, level, hot, tags = parse_meta(path, meta_idx + 1, lines[meta_idx])
    if "{{" in title:
        raise KbError(
            path, h_idx + 1,
            f"macro in the title of '{qid}': a title is text with at most inline math ($\\sqrt{{d_k}}$); "
            "it also appears as plain text in questions.json and issue titles",
        )
    j = meta_idx + 1
    while j < len(lines) and not lines[j].strip():
        j += 1
    if j >= len(lines) or not ANSWER_OPEN_RE.match(lines[j]):
        raise KbError(
            path, h_idx + 1,
            f"question without answer: '{qid}' needs a '/// answer' block after its metadata line",
        )
    open_idx = j
    depth = 1
    j += 1
    body_start = j
    while j < len(lines):
        line = lines[j]
        if not in_code[j]:
            if BLOCK_OPEN_RE.match(line):
                depth += 1
            elif line.strip() == BLOCK_CLOSE:
                depth -= 1
                if depth == 0:
                    break
            elif HEADING_RE.match(line):
                raise KbError(
                    path, j + 1,
                    f"heading inside the answer of '{qid}' (or its '///' is missing): answers use bold "
                    "labels such as **详解**, not headings",
                )
        j += 1
    else:
        raise KbError(path, open_idx + 1, f"unclosed answer: '{qid}' opens '/// answer' but no '///' line closes it")
    body = lines[body_start:j]
    if not any(b.strip() for b in body):
        raise KbError(path, open_idx + 1, f"empty answer: '{qid}' has nothing between '/// answer' and '///'")
    summary = ""
    for b in body:
        m = SUMMARY_RE.match(b.strip())
        if m:
            summary = m.group(1).strip()
            break
    if not summary:
        raise KbError(
            path, open_idx + 1,
            f"missing 速答: the answer of '{qid}' must contain a line starting '**速答**：' with one or two sentences",
        )
    links = []
    for k, b in enumerate(body):
        if in_code[body_start + k]:
            continue
        for m in LINK_RE.finditer(b):
            links.append((m.group(1), body_start + k + 1))
    q = Question(
        id=qid, title=title, page=path, line=h_idx + 1, heading_level=h_level, level=level,
        hot=hot, tags=tags, summary_md=summary, body=body, body_line=body_start + 1, links=links,
    )
    return q, j + 1


def page_links(path: str, text: str, pattern: re.Pattern[str] = LINK_RE) -> list[tuple[str, int]]:
    """Every q("id") call (or other call matching pattern) in a page outside code, with its line."""
    lines = text.split("\n")
    mask = code_mask(lines)
    return [
        (m.group(1), i + 1)
        for i, line in enumerate(lines) if not mask[i]
        for m in pattern.finditer(line)
    ]


def check_figures(path: str, text: str, figures_dir: str) -> None:
    """Every figure("name", ...) call names an SVG in docs/assets/figures/."""
    import os

    for name, line in page_links(path, text, FIGURE_RE):
        if not os.path.isfile(os.path.join(figures_dir, f"{name}.svg")):
            raise KbError(path, line, f"unknown figure '{name}': add docs/assets/figures/{name}.svg")


@dataclass
class Registry:
    pages: dict[str, Page]
    questions: dict[str, Question]
    backlinks: dict[str, list[str]]  # target id -> ids of questions linking to it

    def topics(self) -> list[Page]:
        return [p for p in self.pages.values() if p.questions]


def build_registry(
    sources: Iterable[tuple[str, str]], order: list[str] | None = None, errors: list[KbError] | None = None
) -> Registry:
    """Parse every (path, text) pair, check IDs and links across pages.

    Raises the first KbError; with `errors` given, collects every problem there instead
    (at most one per page from parsing) and skips what it cannot use."""

    def fail(exc: KbError) -> None:
        if errors is None:
            raise exc
        errors.append(exc)

    pages: dict[str, Page] = {}
    questions: dict[str, Question] = {}
    all_links: list[tuple[str, str, int]] = []
    texts = dict(sources)
    for path in sorted(texts, key=lambda p: (order.index(p) if order and p in order else 10**6, p)):
        text = texts[path]
        try:
            page = parse_page(path, text)
        except KbError as exc:
            fail(exc)
            continue
        pages[path] = page
        for q in page.questions:
            q.topic = page.title
            q.topic_id = path[:-3].replace("/", "-")
            if q.id in questions:
                first = questions[q.id]
                fail(KbError(path, q.line, f"duplicate ID '{q.id}': already used at {first.page}:{first.line}"))
                continue
            questions[q.id] = q
        all_links.extend((path, target, line) for target, line in page_links(path, text))
    for path, target, line in all_links:
        if target not in questions:
            hint = _closest(target, questions)
            fail(KbError(path, line, f"link to unknown question '{target}'" + (f"; did you mean '{hint}'?" if hint else "")))
    backlinks: dict[str, list[str]] = {}
    for q in questions.values():
        for target, _ in q.links:
            if target != q.id and q.id not in backlinks.setdefault(target, []):
                backlinks[target].append(q.id)
    return Registry(pages=pages, questions=questions, backlinks=backlinks)


def _closest(target: str, questions: dict[str, Question]) -> str:
    import difflib

    match = difflib.get_close_matches(target, list(questions), n=1, cutoff=0.6)
    return match[0] if match else ""


current: Registry | None = None  # the registry of the build in progress, set by hooks/questions.py


def check_docs(docs_dir: str) -> Registry:
    """Parse every Markdown file under docs_dir (used by the CLI and the tests)."""
    import pathlib

    root = pathlib.Path(docs_dir)
    sources = [(p.relative_to(root).as_posix(), p.read_text("utf-8")) for p in sorted(root.rglob("*.md"))]
    return build_registry(sources)

