"""Math: render TeX to MathML with KaTeX (one Node process running kb/katex_render.mjs).

`render_tex` renders (tex, display) pairs, `render_math_html` replaces pymdownx.arithmatex's markup
in a page, `locate` finds a formula's source line. hooks/katex.py runs them on every page; a formula
KaTeX cannot parse fails the build with file:line.
Rendered formulas are kept across builds (kb/build_cache.py, store `katex`: keyed by the TeX and
the display flag, valid for one KaTeX version and one renderer script), so Node starts only when a
formula is new; the content check (kb/content_check.py) renders through the same cache.
"""

from __future__ import annotations

import functools
import html
import json
import pathlib
import re
import subprocess

from kb import build_cache

ROOT = pathlib.Path(__file__).resolve().parent.parent
KATEX_DIST = ROOT / "node_modules" / "katex" / "dist"
RENDERER = pathlib.Path(__file__).resolve().parent / "katex_render.mjs"
MATH_RE = re.compile(
    r'<span class="arithmatex">\\\((?P<inline>.*?)\\\)</span>|<div class="arithmatex">\\\[(?P<block>.*?)\\\]</div>',
    re.S,
)


@functools.lru_cache(maxsize=1)
def _version() -> str:
    """What a rendering depends on besides the TeX: the KaTeX version and the renderer's options."""
    return build_cache.digest(build_cache.file_digest(KATEX_DIST.parent / "package.json", RENDERER))


def store() -> build_cache.Store:
    return build_cache.store("katex", _version())


def _key(tex: str, display: bool) -> str:
    return build_cache.digest(tex, "display" if display else "inline")


_node: subprocess.Popen[str] | None = None


def _renderer() -> subprocess.Popen[str]:
    """One Node process for the whole build (and for every rebuild of `mkdocs serve`)."""
    global _node
    if _node is None or _node.poll() is not None:
        if not KATEX_DIST.is_dir():
            raise RuntimeError("KaTeX is not installed: run `npm ci` in the project root")
        _node = subprocess.Popen(
            ["node", str(RENDERER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT, bufsize=1
        )
    return _node


def render_tex(items: list[tuple[str, bool]]) -> list[str | Exception]:
    """Render (tex, display) pairs with KaTeX; errors come back as exceptions. Results are cached
    (for the build and, with a cache directory, across builds)."""
    cache = store()
    done: dict[tuple[str, bool], str] = {}
    for item in dict.fromkeys(items):
        hit = cache.get(_key(*item))
        if hit is not None:
            done[item] = hit
    todo = [item for item in dict.fromkeys(items) if item not in done]
    errors: dict[tuple[str, bool], Exception] = {}
    if todo:
        node = _renderer()
        assert node.stdin and node.stdout
        node.stdin.write(json.dumps([{"tex": t, "display": d} for t, d in todo]) + "\n")
        node.stdin.flush()
        line = node.stdout.readline()
        if not line:
            raise RuntimeError("KaTeX renderer stopped unexpectedly")
        for item, result in zip(todo, json.loads(line)):
            if "html" in result:
                done[item] = result["html"]
                cache.put(_key(*item), result["html"])
            else:
                errors[item] = ValueError(result["error"])
    return [errors[i] if i in errors else done[i] for i in items]


def shutdown() -> None:
    """Stop the Node process (MkDocs' on_shutdown)."""
    if _node is not None and _node.poll() is None:
        _node.stdin.close()  # type: ignore[union-attr]
        _node.wait(timeout=5)


def render_math_html(content: str) -> tuple[str, list[tuple[str, str]]]:
    """Replace arithmatex markup with KaTeX HTML. Returns the HTML and a list of (tex, error)."""
    matches = list(MATH_RE.finditer(content))
    if not matches:
        return content, []
    items = []
    for m in matches:
        display = m.group("block") is not None
        tex = html.unescape(m.group("block") if display else m.group("inline")).strip()
        items.append((tex, display))
    rendered = render_tex(items)
    problems = [(tex, str(r)) for (tex, _), r in zip(items, rendered) if isinstance(r, Exception)]
    out, last = [], 0
    for m, r, (_, display) in zip(matches, rendered, items):
        out.append(content[last:m.start()])
        if isinstance(r, Exception):
            out.append(m.group(0))
        else:
            out.append(f'<div class="kb-math">{r}</div>' if display else r)
        last = m.end()
    out.append(content[last:])
    return "".join(out), problems


def locate(tex: str, src: str, source: str, others: list[tuple[str, str]] | None = None) -> tuple[str, int]:
    """Source file and line of a formula: the occurrence that is math (not code), in this page or,
    for generated pages such as the cheat sheet, in the page it was copied from."""
    from kb import jinja_guard

    for path, text in [(src, source), *(others or [])]:
        for start, _, found, _ in jinja_guard.math_spans(text):
            if found == tex:
                return path, text.count("\n", 0, start) + 1
    probe = tex.strip().split("\n")[0][:40]
    pos = source.find(probe)
    return src, (source.count("\n", 0, pos) + 1 if pos >= 0 else 1)
