"""Readable plain text from rendered answers: what the search index stores and shows.

Pure functions, no MkDocs imports. `tex_plain` turns a TeX formula into the form a reader types
(`n_{kv}/h` -> `n_kv/h`, `\\sqrt{d_k}` -> `√d_k`, `\\frac{QK^\\top}{\\sqrt{d}}` -> `QK^T/√d`);
`answer_texts` splits a page's HTML into each question's 速答 and 详解 text, leaving out code
blocks, figures, buttons, the summary line, the 追问 and 参考 lists (other questions' titles and
citations) and the backlinks, and writing formulas with `tex_plain`.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

SYMBOLS = {
    "cdot": "·", "times": "×", "top": "T", "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ",
    "epsilon": "ε", "varepsilon": "ε", "eta": "η", "theta": "θ", "lambda": "λ", "mu": "μ", "pi": "π",
    "rho": "ρ", "sigma": "σ", "tau": "τ", "phi": "φ", "psi": "ψ", "omega": "ω", "ell": "ℓ",
    "Phi": "Φ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "sum": "Σ", "prod": "Π", "infty": "∞",
    "approx": "≈", "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "ne": "≠", "neq": "≠", "in": "∈",
    "notin": "∉", "to": "→", "leftarrow": "←", "Rightarrow": "⇒", "propto": "∝", "sim": "~",
    "pm": "±", "partial": "∂", "nabla": "∇", "odot": "⊙", "otimes": "⊗", "ll": "≪", "gg": "≫",
    "cap": "∩", "cup": "∪", "setminus": "∖", "forall": "∀", "wedge": "∧", "succ": "≻",
    "varnothing": "∅", "dots": "…", "ldots": "…", "cdots": "…", "mid": "|", "lvert": "|", "rvert": "|",
    "lVert": "‖", "rVert": "‖", "Vert": "‖", "langle": "⟨", "rangle": "⟩", "lfloor": "⌊", "rfloor": "⌋",
    "lceil": "⌈", "rceil": "⌉", "bmod": "mod",
}
DROP = {"left", "right", "big", "Big", "bigg", "Bigg", "quad", "qquad", "displaystyle", "limits", "nolimits"}
WRAPPERS = {"text", "mathrm", "mathbf", "mathbb", "mathcal", "operatorname", "mathit", "textbf", "boldsymbol", "mathsf"}
ACCENTS = {"hat", "tilde", "bar", "overline", "underbrace", "vec"}

_CMD = re.compile(r"\\([A-Za-z]+)|\\(.)")


def _group(tex: str, i: int) -> tuple[str, int]:
    """The argument starting at tex[i] (a {...} group or one character) and the index after it."""
    while i < len(tex) and tex[i] == " ":
        i += 1
    if i >= len(tex):
        return "", i
    if tex[i] != "{":
        if tex[i] == "\\":
            m = _CMD.match(tex, i)
            if m:
                return m.group(0), m.end()
        return tex[i], i + 1
    depth = 0
    for j in range(i, len(tex)):
        if tex[j] == "{":
            depth += 1
        elif tex[j] == "}":
            depth -= 1
            if depth == 0:
                return tex[i + 1:j], j + 1
    return tex[i + 1:], len(tex)


def _wrap(part: str) -> str:
    """Parenthesise a fraction's part when it is more than one term."""
    return f"({part})" if re.search(r"[+\-−·× ]", part.strip()) else part.strip()


def tex_plain(tex: str) -> str:
    """A TeX formula as plain text a reader would type (no backslashes, no braces)."""
    out: list[str] = []
    i = 0
    while i < len(tex):
        c = tex[i]
        if c == "\\":
            m = _CMD.match(tex, i)
            if not m:
                i += 1
                continue
            name = m.group(1) or m.group(2)
            i = m.end()
            if name in ("frac", "dfrac", "tfrac", "binom"):
                a, i = _group(tex, i)
                b, i = _group(tex, i)
                a, b = tex_plain(a), tex_plain(b)
                out.append(f"C({a}, {b})" if name == "binom" else f"{_wrap(a)}/{_wrap(b)}")
            elif name == "sqrt":
                a, i = _group(tex, i)
                a = tex_plain(a)
                out.append("√" + (a if re.fullmatch(r"[\w.]+", a) else f"({a})"))
            elif name in WRAPPERS or name in ACCENTS:
                a, i = _group(tex, i)
                out.append(tex_plain(a))
            elif name in ("begin", "end"):
                _, i = _group(tex, i)
                out.append(" ")
            elif name in DROP:
                continue
            elif name in SYMBOLS:
                out.append(SYMBOLS[name])
            elif name in (",", ";", ":", "!", " "):
                out.append(" " if name != "!" else "")
            elif name == "\\":
                out.append("; ")
            elif len(name) == 1:
                out.append(name)  # \{ \} \% \_
            else:
                out.append(name)  # \log, \max, \exp, \softmax ...
                if i < len(tex) and tex[i].isalnum():
                    out.append(" ")
        elif c in "_^":
            a, i = _group(tex, i + 1)
            a = tex_plain(a)
            out.append(c + (a if len(a) <= 1 or re.fullmatch(r"[\w.√]+", a) else f"({a})"))
        elif c in "{}":
            i += 1
        elif c == "&":
            out.append(" ")
            i += 1
        elif c == "~":
            out.append(" ")
            i += 1
        else:
            out.append(c)
            i += 1
    text = "".join(out)
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s*([=+<>≤≥≈→])\s*", r" \1 ", text)
    return re.sub(r"\s+", " ", text).strip()


SKIP_TAGS = {"pre", "figure", "svg", "button", "script", "style", "summary", "textarea", "select", "img"}
SKIP_CLASSES = {"highlight", "kb-backlinks", "kb-meta", "headerlink", "kb-figure", "md-clipboard", "kb-toolbar"}
BLOCK_TAGS = {"p", "li", "tr", "div", "table", "ul", "ol", "br", "h4", "h5", "h6", "blockquote", "dd", "dt"}
VOID = {"br", "img", "hr", "input", "meta", "link", "col", "source", "wbr", "area", "base", "embed", "param", "track"}
_MATH = re.compile(r"^\\\(|\\\)$|^\\\[|\\\]$|^\$\$?|\$\$?$")


class _Answers(HTMLParser):
    """Collects, per question heading (`.kb-q` with an id), the text of its answer block."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.current = ""  # id of the question whose answer is being read
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, skipping, math) per open element
        self.texts: dict[str, list[str]] = {}
        self.in_answer = 0

    def _skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def _math(self) -> bool:
        return bool(self.stack) and self.stack[-1][2]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        classes = set((a.get("class") or "").split())
        if tag in ("h2", "h3") and "kb-q" in classes and a.get("id"):
            self.current = a["id"] or ""
            self.texts[self.current] = []
        skip = self._skipping() or tag in SKIP_TAGS or bool(classes & SKIP_CLASSES) or "data-search-exclude" in a
        math = self._math() or "arithmatex" in classes
        if tag == "details" and "kb-answer" in classes and self.current:
            self.in_answer = len(self.stack) + 1
        if tag in BLOCK_TAGS and self.in_answer and not skip:
            self.texts[self.current].append("\n")
        if tag in VOID:
            return
        self.stack.append((tag, skip, math))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        while self.stack:
            open_tag, _, _ = self.stack.pop()
            if self.in_answer and len(self.stack) < self.in_answer:
                self.in_answer = 0
                self.current = ""
            if open_tag == tag:
                break
        if tag in ("td", "th") and self.in_answer and self.current:
            self.texts[self.current].append(" ")

    def handle_data(self, data: str) -> None:
        if not self.in_answer or not self.current or self._skipping():
            return
        if self._math():
            data = " " + tex_plain(_MATH.sub("", data.strip())) + " "
        self.texts[self.current].append(data)


_BULKY = re.compile(r"<svg\b.*?</svg>|<pre\b.*?</pre>", re.S)
SUMMARY_RE = re.compile(r"^\s*速答\s*[：:]\s*")
DETAIL_RE = re.compile(r"^\s*详解\s*[：:]?\s*")
LINK_SECTIONS = {"追问", "参考"}  # bold labels of an answer's closing lists (CONTRIBUTING.md)
TEXT_SECTIONS = {"详解", "易错点", "代码"}


def _tidy(text: str) -> str:
    text = re.sub(r"[ \t\u00a0]+", " ", text)
    text = re.sub(r" *\n[\n ]*", "\n", text)
    # no space between a Chinese character and Chinese punctuation that math or markup left
    text = re.sub(r" +([，。、；：？！）」”])", r"\1", text)
    text = re.sub(r"([（「“]) +", r"\1", text)
    return text.strip()


def answer_texts(page_html: str) -> dict[str, tuple[str, str]]:
    """question id -> (速答 text, 详解 text) for every question of a rendered page."""
    parser = _Answers()
    parser.feed(_BULKY.sub("", page_html))  # figures and code are skipped anyway: not parsed at all
    parser.close()
    out: dict[str, tuple[str, str]] = {}
    for qid, parts in parser.texts.items():
        lines = [line.strip() for line in _tidy(html.unescape("".join(parts))).split("\n") if line.strip()]
        summary = ""
        rest: list[str] = []
        skipping = False  # inside 追问 (other questions' titles) or 参考 (citations): not this answer's text
        for line in lines:
            if line in LINK_SECTIONS:
                skipping = True
            elif line in TEXT_SECTIONS:
                skipping = False
            elif skipping:
                continue
            elif not summary and SUMMARY_RE.match(line):
                summary = SUMMARY_RE.sub("", line)
            elif DETAIL_RE.fullmatch(line):
                continue
            else:
                rest.append(DETAIL_RE.sub("", line) if line.startswith("详解") else line)
        out[qid] = (summary, "\n".join(rest))
    return out
