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

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from kb import labels

LEVELS = labels.load().level_names  # the project's; a build checks against labels.current()
META_KEYS = ("id", "level", "tags")
ID_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)+$")
HEADING_RE = re.compile(r"^(#{1,6})(?:[ \t]+(.*?))?[ \t]*$")  # Python-Markdown: '#' at column 0
CLOSING_HASHES_RE = re.compile(r"(?:^|[ \t]+)#+$")
FENCE_RE = re.compile(r"^(\s*)(`{3,}|~{3,})(.*)$")
BLOCK_OPEN_RE = re.compile(r"^///\s*([A-Za-z][\w-]*)")
BLOCK_CLOSE = "///"
ANSWER_OPEN_RE = re.compile(r"^///\s*answer\s*$")
SUMMARY_RE = re.compile(r"^\*\*速答\*\*\s*[：:]\s*(.*)$")
META_FIELD_RE = re.compile(r"^\s*([A-Za-z_][\w-]*)\s*[:：]")
LIST_ITEM_RE = re.compile(r"^\s{0,3}(?:[-*+]|\d+[.)])\s|^\s{0,3}(?:\[\^[^\]]+\]:|:\s|!!!|\?\?\?)")
HTML_BLOCK_RE = re.compile(
    r"^<(address|article|aside|blockquote|details|div|dl|fieldset|figure|footer|form|h[1-6]|header|hr|"
    r"nav|ol|p|pre|section|table|ul|script|style|svg)\b[^>]*>", re.I,
)
CODE_SPAN_RE = re.compile(r"(`+)(.+?)\1")
HTML_TAG_RE = re.compile(r"</?[A-Za-z][^>]*>|<!--")
ENTITY_RE = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
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
    title: str  # as written: plain text, with `code` allowed (see title_text, md_inline)
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
    meta_line: int = 0  # line of the metadata line, 1-based
    summary_line: int = 0  # line of the 速答, 1-based

    @property
    def summary(self) -> str:
        return plain_text(self.summary_md)

    @property
    def title_text(self) -> str:
        return title_text(self.title)


@dataclass
class Page:
    path: str
    title: str
    questions: list[Question]


@dataclass
class Fence:
    open: int  # 0-based index of the opening line
    close: int | None  # 0-based index of the closing line; None when the fence is never closed
    marker: str
    info: str


def plain_text(md: str, jinja: bool = True) -> str:
    """Markdown of a one-line summary to plain text (for JSON, meta tags, tooltips).

    With jinja=False the text has been rendered already: `{{` left in it is literal (code, math)."""
    text = md
    if jinja:
        text = re.sub(r"\{\{\s*q\(\s*[\"']([^\"']+)[\"']\s*\)\s*\}\}", r"\1", text)
        text = re.sub(r"\{\{.*?\}\}", "", text)
    text = re.sub(r"\{:[^}]*\}", "", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\$([^$]+)\$", lambda m: tex_plain(m.group(1)), text)
    text = re.sub(r"[*`]", "", text)
    return re.sub(r"\s+", " ", text).strip()


TITLE_MATH_RE = re.compile(r"(?<![\\$])\$(?!\$)([^$\n]+?)(?<!\\)\$")


def title_text(title: str) -> str:
    """A question title as plain text: code spans lose their backticks, math becomes readable text
    ($\\sqrt{d_k}$ -> √d_k), nothing else changes."""
    out, last = [], 0
    for m in CODE_SPAN_RE.finditer(title):
        out.append(TITLE_MATH_RE.sub(lambda n: tex_plain(n.group(1)), title[last:m.start()]))
        out.append(m.group(2).strip())
        last = m.end()
    out.append(TITLE_MATH_RE.sub(lambda n: tex_plain(n.group(1)), title[last:]))
    return "".join(out)


# not '(' or ')': arithmatex reads \( … \) as math; Markdown keeps them literal in link text anyway
_MD_ESCAPES = {c: "\\" + c for c in "\\`*_[]{}#|"}
_MD_ESCAPES.update({"<": "&lt;", "&": "&amp;"})


def md_inline(title: str) -> str:
    """A title as Markdown that renders to exactly its text, safe in a link, heading or table cell.

    Code spans stay code spans (Markdown keeps '|' in them out of table splitting)."""
    out, last = [], 0
    for m in re.finditer(f"{CODE_SPAN_RE.pattern}|{TITLE_MATH_RE.pattern}", title):  # code and math stay as written
        out.append("".join(_MD_ESCAPES.get(c, c) for c in title[last:m.start()]))
        out.append(m.group(0))
        last = m.end()
    out.append("".join(_MD_ESCAPES.get(c, c) for c in title[last:]))
    return "".join(out)


def table_cell(md: str) -> str:
    """Markdown for one table cell: a '|' outside code no longer ends the cell."""
    out, last = [], 0
    for m in CODE_SPAN_RE.finditer(md):
        out.append(re.sub(r"(?<!\\)\|", r"\\|", md[last:m.start()]))
        out.append(m.group(0))
        last = m.end()
    out.append(re.sub(r"(?<!\\)\|", r"\\|", md[last:]))
    return "".join(out)


def _heading(line: str) -> tuple[int, str] | None:
    """(level, text) of an ATX heading as Python-Markdown reads it (a closing '#' run needs a space before it)."""
    m = HEADING_RE.match(line)
    if not m:
        m2 = re.match(r"^(#{1,6})([^#\s].*?)\s*$", line)  # Python-Markdown needs no space after the hashes
        if not m2:
            return None
        m = m2
    text = (m.group(2) or "").strip()
    text = CLOSING_HASHES_RE.sub("", text) if text.strip("#") else ""
    return len(m.group(1)), text.strip()


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
    lines = text.split("\n")
    kinds, _ = scan_blocks(lines)
    for line, kind in zip(lines, kinds):
        h = _heading(line) if not kind else None
        if h and h[0] == 1 and h[1]:
            return h[1]
    return fallback


def _front_matter(text: str) -> str:
    match = FRONT_MATTER_RE.match(text)
    return match.group(0) if match else ""


def _is_fence_open(m: re.Match[str] | None) -> bool:
    return bool(m) and not (m.group(2)[0] == "`" and "`" in m.group(3))  # type: ignore[union-attr]


def scan_blocks(lines: list[str]) -> tuple[list[str], list[Fence]]:
    """What Markdown sees on each line (see _scan_blocks); cached, as every check reads each page."""
    kinds, fences = _scan_cached("\n".join(lines))
    return list(kinds), list(fences)


@functools.lru_cache(maxsize=256)
def _scan_cached(text: str) -> tuple[tuple[str, ...], tuple[Fence, ...]]:
    kinds, fences = _scan_blocks(text.split("\n"))
    return tuple(kinds), tuple(fences)


def _scan_blocks(lines: list[str]) -> tuple[list[str], list[Fence]]:
    """What Markdown sees on each line: "" (Markdown text), "fence", "indented" (code), "math" or "html".

    Fences are ``` or ~~~ of any length, with an info string, closed by a line of the same character
    at least as long (as superfences reads them); an indented code block starts after a blank line
    outside a list; a math block runs from a $$ line to the line ending in $$; an HTML block (without
    a `markdown` attribute) runs to the next blank line."""
    kinds = [""] * len(lines)
    fences: list[Fence] = []
    n = len(lines)
    i = 0
    prev_blank = True
    container = False  # inside a list item / footnote / definition: indented lines continue it
    while i < n:
        line = lines[i]
        stripped = line.strip()
        m = FENCE_RE.match(line)
        if _is_fence_open(m):
            assert m
            marker, info = m.group(2), m.group(3).strip()
            kinds[i] = "fence"
            close = None
            j = i + 1
            while j < n:
                kinds[j] = "fence"
                c = FENCE_RE.match(lines[j])
                if c and c.group(2)[0] == marker[0] and len(c.group(2)) >= len(marker) and not c.group(3).strip():
                    close = j
                    break
                j += 1
            fences.append(Fence(i, close, marker, info))
            i = j + 1
            prev_blank = False
            continue
        if not stripped:
            prev_blank = True
            i += 1
            continue
        expanded = line.expandtabs(4)
        indent = len(expanded) - len(expanded.lstrip())
        if indent >= 4 and not container and (prev_blank or (i > 0 and kinds[i - 1] == "indented")):
            kinds[i] = "indented"
            prev_blank = False
            i += 1
            continue
        if stripped.startswith("$$") and (stripped == "$$" or not stripped[2:].rstrip().endswith("$$")):
            j = i
            kinds[j] = "math"
            while j + 1 < n and not (j > i and lines[j].rstrip().endswith("$$")):
                j += 1
                kinds[j] = "math"
                if lines[j].rstrip().endswith("$$"):
                    break
            i = j + 1
            prev_blank = False
            continue
        if stripped.startswith("$$"):
            kinds[i] = "math"
        elif indent == 0 and (line.startswith("<!--") or (HTML_BLOCK_RE.match(line) and "markdown" not in line.split(">")[0])):
            end = "-->" if line.startswith("<!--") else ""
            j = i
            while j < n and (lines[j].strip() if not end else True):
                kinds[j] = "html"
                if end and end in lines[j]:
                    break
                j += 1
            i = j + 1
            prev_blank = False
            continue
        if indent < 4:
            if LIST_ITEM_RE.match(line):
                container = True
            elif prev_blank:
                container = False
        prev_blank = False
        i += 1
    return kinds, fences


def code_mask(lines: list[str]) -> list[bool]:
    """True for lines inside (or delimiting) a fenced or indented code block."""
    kinds, _ = scan_blocks(lines)
    return [k in ("fence", "indented") for k in kinds]


def _fields(line: str) -> list[str]:
    return [p.strip() for p in line.lstrip()[1:].split("|")]


def _looks_like_meta(line: str) -> bool:
    """A quote line with a metadata field (id:, level:, tags: or 高频)."""
    if not line.lstrip().startswith(">"):
        return False
    for part in _fields(line):
        m = META_FIELD_RE.match(part)
        if part == "高频" or (m and m.group(1) in META_KEYS):
            return True
    return False


def _next_nonblank(lines: list[str], i: int) -> int:
    while i < len(lines) and not lines[i].strip():
        i += 1
    return i


def parse_meta(path: str, line_no: int, line: str) -> tuple[str, str, bool, list[str]]:
    """Parse `> id: x | level: 基础 | 高频 | tags: a, b` into (id, level, hot, tags)."""
    import difflib

    fields: dict[str, str] = {}
    hot = False
    for part in _fields(line):
        if not part:
            raise KbError(path, line_no, "malformed metadata: empty field between '|' separators")
        if part == "高频":
            if hot:
                raise KbError(path, line_no, "malformed metadata: '高频' given twice")
            hot = True
            continue
        key, sep, value = part.partition(":")
        if not sep:
            key, sep, value = part.partition("：")
        key = key.strip()
        if not sep or key not in META_KEYS:
            guess = difflib.get_close_matches(key, [*META_KEYS, "高频"], n=1, cutoff=0.5)
            hint = f"did you mean '{guess[0]}'? " if guess and sep else ""
            raise KbError(
                path, line_no,
                f"malformed metadata: unknown field '{part}'; {hint}the fields are id, level, 高频 and tags: write "
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
    if qid.startswith("fig-"):
        raise KbError(path, line_no, f"ID '{qid}' starts with 'fig-', which figures use for their anchors; choose another prefix")
    level = fields.get("level", "")
    levels = labels.current().level_names
    if level not in levels:
        shown = level or "(missing)"
        raise KbError(path, line_no, f"unknown level '{shown}' for '{qid}': use one of {' / '.join(levels)}")
    tags = [t.strip() for t in re.split(r"[,，]", fields.get("tags", "")) if t.strip()]
    if not tags:
        raise KbError(path, line_no, f"malformed metadata: '{qid}' needs at least one tag ('tags: a, b')")
    if len(set(tags)) != len(tags):
        raise KbError(path, line_no, f"malformed metadata: a tag of '{qid}' is given twice")
    return qid, level, hot, tags


def check_title(path: str, line_no: int, title: str, qid: str) -> None:
    """Titles are plain text with `code` and inline $math$: no macros, HTML or entities."""
    if not title:
        raise KbError(path, line_no, f"empty title: the heading of '{qid}' needs the question after the '#' marks")
    bare = TITLE_MATH_RE.sub("", CODE_SPAN_RE.sub("", title))
    if "{{" in bare or "{%" in bare or "{#" in bare:
        raise KbError(
            path, line_no,
            f"macro in the title of '{qid}': a title is text with at most inline `code` and math ($\\sqrt{{d_k}}$); "
            "it also appears as plain text in questions.json, search and issue titles",
        )
    if bare.count("$") % 2:
        raise KbError(path, line_no, f"unpaired '$' in the title of '{qid}': write inline math as $…$, or a dollar sign as \\$")
    if HTML_TAG_RE.search(bare):
        raise KbError(
            path, line_no,
            f"HTML in the title of '{qid}': titles are plain text; put a tag name in `code` (`<think>`) or describe it in words",
        )
    entity = ENTITY_RE.search(bare)
    if entity:
        import html

        raise KbError(
            path, line_no,
            f"HTML entity '{entity.group(0)}' in the title of '{qid}': titles are plain text; write the character itself ({html.unescape(entity.group(0))})",
        )


def parse_page(path: str, text: str) -> Page:
    """Parse one Markdown source. Raises KbError on the first problem."""
    lines = text.split("\n")
    front = _front_matter(text)
    start = front.count("\n")
    if not text[len(front):].strip():
        raise KbError(path, start + 1, "empty page: write a '# title' and its questions, or delete the file and its nav entry")
    kinds, fences = scan_blocks(lines)
    for f in fences:
        if f.close is None:
            raise KbError(
                path, f.open + 1,
                f"unclosed code fence '{f.marker}{f.info}': everything after it is code; add a line '{f.marker}' where the code ends",
            )
    for f in fences:
        if f.info.split(" ")[0].strip("{}.").lower() in ("markdown", "md"):
            continue  # a fence that shows the authoring format
        for k in range(f.open + 1, f.close or f.open):
            h = _heading(lines[k])
            nxt = _next_nonblank(lines, k + 1)
            if h and nxt < (f.close or 0) and _looks_like_meta(lines[nxt]):
                raise KbError(
                    path, k + 1,
                    f"question heading inside the code block opened at line {f.open + 1} ('{f.marker}{f.info}'): "
                    "a fence is missing its closing line before here; to show the format in code, use a ```markdown fence",
                )
    questions: list[Question] = []
    n = len(lines)
    i = start
    opened: list[int] = []  # /// blocks open outside answers
    last_answer: tuple[str, int] | None = None  # (id, line of its closing ///)
    while i < n:
        line = lines[i]
        if kinds[i]:
            i += 1
            continue
        heading = _heading(line)
        if heading:
            j = _next_nonblank(lines, i + 1)
            after = _next_nonblank(lines, j + 1)
            if j < n and not kinds[j] and (
                _looks_like_meta(lines[j])
                or (lines[j].lstrip().startswith(">") and after < n and ANSWER_OPEN_RE.match(lines[after]))
            ):
                q, i = _parse_question(path, lines, kinds, (i, heading[0], heading[1]), j)
                questions.append(q)
                last_answer = (q.id, i)
                continue
            if j < n and ANSWER_OPEN_RE.match(lines[j]):
                raise KbError(
                    path, i + 1,
                    f"question without ID: '{heading[1]}' has an answer but no metadata line; add "
                    "'> id: topic-some-question | level: 基础 | tags: a, b' under the heading",
                )
            i += 1
            continue
        if ANSWER_OPEN_RE.match(line):
            raise KbError(
                path, i + 1,
                "answer without question: '/// answer' must follow a question heading and its metadata line",
            )
        if BLOCK_OPEN_RE.match(line):
            opened.append(i)
        elif line.strip() == BLOCK_CLOSE:
            if not opened:
                hint = (
                    f"; the answer of '{last_answer[0]}' already closed at line {last_answer[1]}: if this text belongs "
                    "to it, delete that earlier '///'" if last_answer else ""
                )
                raise KbError(path, i + 1, f"stray '///': no block is open here{hint}")
            opened.pop()
        elif line.lstrip().startswith(">") and any(re.match(r"id\s*[:：]", p) for p in _fields(line)):
            raise KbError(path, i + 1, "malformed metadata: a metadata line must come directly under a question heading")
        i += 1
    if opened:
        raise KbError(path, opened[-1] + 1, f"unclosed block '{lines[opened[-1]].strip()}': add a '///' line where it ends")
    return Page(path=path, title=page_title(text, path), questions=questions)


def _parse_question(
    path: str, lines: list[str], kinds: list[str], heading: tuple[int, int, str], meta_idx: int
) -> tuple[Question, int]:
    """Parse one question from its heading; returns it and the 1-based line of its closing '///'."""
    h_idx, h_level, title = heading
    qid, level, hot, tags = parse_meta(path, meta_idx + 1, lines[meta_idx])
    check_title(path, h_idx + 1, title, qid)
    j = _next_nonblank(lines, meta_idx + 1)
    if j < len(lines) and lines[j].lstrip().startswith(">") and (_looks_like_meta(lines[j]) or META_FIELD_RE.match(_fields(lines[j])[0])):
        raise KbError(
            path, j + 1,
            f"second metadata line for '{qid}': a question has one metadata line; merge its fields into line {meta_idx + 1}",
        )
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
        if not kinds[j]:
            if ANSWER_OPEN_RE.match(line):
                raise KbError(
                    path, j + 1,
                    f"nested '/// answer' inside the answer of '{qid}' (opened at line {open_idx + 1}): "
                    "close that answer with a '///' line first",
                )
            if BLOCK_OPEN_RE.match(line):
                depth += 1
            elif line.strip() == BLOCK_CLOSE:
                depth -= 1
                if depth == 0:
                    break
            elif _heading(line):
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
    summary, summary_line = "", 0
    for k, b in enumerate(body):
        m = SUMMARY_RE.match(b.strip())
        if m and not kinds[body_start + k]:
            summary, summary_line = m.group(1).strip(), body_start + k + 1
            break
    if not summary:
        raise KbError(
            path, open_idx + 1,
            f"missing 速答: the answer of '{qid}' must contain a line starting '**速答**：' with one or two sentences",
        )
    links = []
    for k, b in enumerate(body):
        if kinds[body_start + k] in ("fence", "indented"):
            continue
        for m in LINK_RE.finditer(b):
            links.append((m.group(1), body_start + k + 1))
    q = Question(
        id=qid, title=title, page=path, line=h_idx + 1, heading_level=h_level, level=level,
        hot=hot, tags=tags, summary_md=summary, body=body, body_line=body_start + 1, links=links,
        meta_line=meta_idx + 1, summary_line=summary_line,
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


def nav_order(nav: object) -> list[str]:
    """Source paths in the order they appear in the nav config."""
    out: list[str] = []
    if isinstance(nav, str):
        out.append(nav)
    elif isinstance(nav, list):
        for item in nav:
            out.extend(nav_order(item))
    elif isinstance(nav, dict):
        for value in nav.values():
            out.extend(nav_order(value))
    return out


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

