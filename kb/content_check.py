"""One content check: every check of docs/ that the build runs, in one function.

`check_site` runs, in this order: Jinja delimiters (kb.jinja_guard), the question format, IDs and
links (kb.registry), figures, macro calls (each evaluated with the real macros, hooks/macros.py),
snippet files, math (KaTeX, kb.katex, the renderer the build uses), tags (one spelling each, no
accidental one-offs: kb.tags) and the term file. The build calls it from hooks/questions.py
(raising the first problem) and `python -m scripts check` calls it collecting every problem, so
the two cannot disagree. Every problem is a KbError with the source file and line.
"""

from __future__ import annotations

import importlib
import os
import pathlib
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import jinja2
import yaml

import kb.registry
from kb import jinja_guard, labels, tags
from kb.registry import KbError, Registry

HOOKS = pathlib.Path(__file__).resolve().parent.parent / "hooks"

SNIPPET_RE = re.compile(r"""^\s*(;?)-{1,}8<-{1,}\s+(["'])([^"']+)\2\s*$""")
TAG_BAD_RE = re.compile(r"[<>&\"'`|{}\[\]()#*]")


def hook_module(name: str) -> ModuleType:
    """hooks/macros.py, imported once by name: the macros the build itself uses (mkdocs-macros also
    imports it under this name; it becomes MkDocs-free once its renderers live in kb/)."""
    if name not in sys.modules and str(HOOKS) not in sys.path:
        sys.path.append(str(HOOKS))
    return importlib.import_module(name)


@dataclass
class Settings:
    """What the checks need from the site configuration."""

    docs_dir: str
    order: list[str] = field(default_factory=list)  # nav order of the pages
    snippet_dirs: list[str] = field(default_factory=list)
    config: dict[str, Any] = field(default_factory=dict)  # the `config` variable of macros


def check_site(
    sources: Iterable[tuple[str, str]], settings: Settings, errors: list[KbError] | None = None
) -> Registry:
    """Run every content check. Raises the first KbError, or with `errors` given, collects them all."""
    labels.use(settings.docs_dir)  # the levels the site declares (its labels.yml), as the build does

    seen: set[tuple[str, int]] = set()

    def fail(exc: KbError) -> None:
        if errors is None:
            raise exc
        if (exc.path, exc.line) not in seen:  # one problem per place (a bad link is also a failing q() call)
            seen.add((exc.path, exc.line))
            errors.append(exc)

    clean: list[tuple[str, str]] = []
    for path, text in sources:
        try:
            jinja_guard.check(path, text)
            clean.append((path, text))
        except KbError as exc:
            fail(exc)
    found: list[KbError] | None = [] if errors is not None else None
    registry = kb.registry.build_registry(clean, settings.order or None, found)
    for exc in found or []:
        fail(exc)
    kb.registry.current = registry  # the macros read it
    figures = os.path.join(settings.docs_dir, "assets", "figures")
    checks: list[Callable[[str, str], None]] = [
        lambda p, t: kb.registry.check_figures(p, t, figures),
        lambda p, t: check_snippets(p, t, settings.snippet_dirs),
        check_display_math,
    ]
    parsed = [(p, t) for p, t in clean if p in registry.pages]
    for path, text in parsed:
        for check in checks:
            try:
                check(path, text)
            except KbError as exc:
                fail(exc)
                break
    try:  # one spelling per tag, no accidental one-off tags (docs/assets/data/tags.yml); before the macros, which list tags
        tag_data = tags.load(os.path.join(settings.docs_dir, tags.DATA))
    except KbError as exc:
        fail(exc)
        tag_data = None
    if tag_data is not None:
        for exc in tags.normalise(registry, tag_data):
            fail(exc)
    for exc in check_macros(parsed, settings):
        fail(exc)
    for exc in check_math(parsed):
        fail(exc)
    for page in registry.pages.values():
        for q in page.questions:
            bad = next((t for t in q.tags if TAG_BAD_RE.search(t)), None)
            if bad:
                fail(KbError(page.path, q.meta_line, f"tag '{bad}' of '{q.id}': tags are plain words, without <>&\"'`|{{}}[]()#*"))
    for exc in check_terms(settings.docs_dir, registry):
        fail(exc)
    return registry


# --------------------------------------------------------------------------- display math


def check_display_math(path: str, text: str) -> None:
    """A `$$` block needs blank lines around it: glued to a paragraph or list line, Markdown keeps it
    as text and the reader sees raw TeX."""
    lines = text.split("\n")
    mask = kb.registry.code_mask(lines)
    open_ = False
    for i, line in enumerate(lines):
        s = line.strip()
        if mask[i] or not s.startswith("$$"):
            continue
        if not open_:
            if i > 0 and lines[i - 1].strip():
                raise KbError(path, i + 1, "display formula glued to the line above: put a blank line before '$$' "
                                           "(inside a list item, keep the item's indentation)")
            open_ = not (len(s) > 2 and s.endswith("$$"))
        else:
            open_ = False
            if i + 1 < len(lines) and lines[i + 1].strip() and not lines[i + 1].lstrip().startswith("///"):
                raise KbError(path, i + 2, "text glued under a display formula: put a blank line after the closing '$$'")


# --------------------------------------------------------------------------- snippets

def check_snippets(path: str, text: str, dirs: list[str]) -> None:
    """Every `--8<-- "file.py:section"` names a file in the snippet directories and a section in it."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        m = SNIPPET_RE.match(line)
        if not m or m.group(1):
            continue
        spec = m.group(3)
        name, _, section = spec.partition(":")
        found = next((os.path.join(d, name) for d in dirs if os.path.isfile(os.path.join(d, name))), None)
        shown = ", ".join(os.path.relpath(d) for d in dirs) or "(no snippet base_path)"
        if found is None:
            raise KbError(path, i + 1, f"snippet file '{name}' not found in {shown}: check the name, or add the file there")
        if section and not re.fullmatch(r"[\d:,-]*", section):
            code = pathlib.Path(found).read_text("utf-8")
            if f"[start:{section}]" not in code or f"[end:{section}]" not in code:
                raise KbError(
                    path, i + 1,
                    f"snippet section '{section}' not found in {name}: mark it with '--8<-- [start:{section}]' and '--8<-- [end:{section}]'",
                )


# --------------------------------------------------------------------------- macros

class _MacroEnv:
    """Stands in for the mkdocs-macros plugin: collects what hooks/macros.py registers."""

    def __init__(self, settings: Settings) -> None:
        self.macros: dict[str, Callable[..., Any]] = {}
        self.filters: dict[str, Callable[..., Any]] = {}
        self.conf = {**settings.config, "docs_dir": settings.docs_dir}
        self.variables: dict[str, Any] = {}
        self.project_dir = str(pathlib.Path(__file__).resolve().parent.parent)
        self.page: Any = None

    def macro(self, func: Callable[..., Any] | None = None, name: str = "") -> Any:
        if func is None or isinstance(func, str):  # @env.macro("name") or @env.macro(name="x")
            label = func or name
            return lambda f: self.macro(f, label)  # type: ignore[arg-type]
        self.macros[name or func.__name__] = func
        return func

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(
            f"hooks/macros.py uses env.{name}, which the content check's stand-in (content_check._MacroEnv) "
            "does not provide: add it there"
        )

    def filter(self, func: Callable[..., Any] | None = None, name: str = "") -> Any:
        if func is None or isinstance(func, str):
            label = func or name
            return lambda f: self.filter(f, label)  # type: ignore[arg-type]
        self.filters[name or func.__name__] = func
        return func


class _Page:
    """The `page` a macro sees while the check runs: its source path; other attributes are empty."""

    def __init__(self, src: str) -> None:
        self.file = type("File", (), {"src_uri": src, "src_path": src})()
        self.meta: dict[str, Any] = {}

    def __getattr__(self, name: str) -> Any:
        return ""


def check_macros(pages: list[tuple[str, str]], settings: Settings) -> list[KbError]:
    """Evaluate every macro call outside code and math, as the page build will; report failures at their line."""
    macros = hook_module("macros")
    env = _MacroEnv(settings)
    macros.define_env(env)
    jenv = jinja2.Environment(undefined=jinja2.StrictUndefined)
    jenv.globals.update(env.macros, config=_Config(settings.config))
    jenv.filters.update(env.filters)
    problems: list[KbError] = []
    for path, text in pages:
        env.page = _Page(path)
        for start, call in jinja_guard.macro_calls(text):
            line = text.count("\n", 0, start) + 1
            try:
                direct = _literal_call(call, env.macros)
                if direct:
                    direct()
                else:
                    jenv.from_string(call).render()
            except Exception as exc:  # noqa: BLE001 - any failure of a macro is a content error
                problems.append(KbError(path, line, _macro_message(call, exc)))
                break
    return problems


CALL_RE = re.compile(r"^\{\{\s*([a-z_][a-z0-9_]*)\s*\((.*)\)\s*\}\}$", re.S)


def _literal_call(call: str, known: dict[str, Callable[..., Any]]) -> Callable[[], Any] | None:
    """`{{ name("a", 1, k=2) }}` with literal arguments as a plain call (no template to compile), else None."""
    import ast

    m = CALL_RE.match(call)
    if not m or m.group(1) not in known:
        return None
    try:
        node = ast.parse(f"f({m.group(2)})", mode="eval").body
    except SyntaxError:
        return None
    if not isinstance(node, ast.Call) or not all(isinstance(a, ast.Constant) for a in node.args) or not all(
        k.arg and isinstance(k.value, ast.Constant) for k in node.keywords
    ):
        return None
    args = [a.value for a in node.args]  # type: ignore[attr-defined]
    kwargs = {k.arg: k.value.value for k in node.keywords}  # type: ignore[attr-defined,misc]
    func = known[m.group(1)]
    return lambda: func(*args, **kwargs)


class _Config(dict):
    """`config` as templates see it: attribute access, unknown keys are empty."""

    def __getattr__(self, name: str) -> Any:
        return self.get(name, "")


def _macro_message(call: str, exc: Exception) -> str:
    text = str(exc).removeprefix("ValueError: ")
    m = re.search(r"'(\w+)' is undefined", text)
    if m and re.match(r"\{\{\s*" + re.escape(m.group(1)) + r"\b", call):
        return f"unknown macro '{m.group(1)}' in {call}: the macros are listed in hooks/macros.py"
    if m:
        return f"{call}: '{m.group(1)}' is undefined; write literal arguments in quotes, e.g. {{{{ q(\"some-id\") }}}}"
    text = re.sub(r"^[\w./-]+\.md: ", "", text)
    return f"{call} failed: {text}"


# --------------------------------------------------------------------------- math

def check_math(pages: list[tuple[str, str]]) -> list[KbError]:
    """Render every formula with KaTeX (batched, cached for the build); report each bad one at its line."""
    from kb import katex

    found: list[tuple[str, int, str, bool]] = []
    problems: list[KbError] = []
    for path, text in pages:
        for start, end, tex, display in jinja_guard.math_spans(text):
            line = text.count("\n", 0, start) + 1
            if not display and text[end:end + 1].isdigit():
                problems.append(KbError(
                    path, line,
                    f"'{text[start:end]}{text[end]}' reads as math between two dollar signs; for amounts of money write "
                    "'5–10 美元' (or escape the sign: \\$5)",
                ))
                continue
            found.append((path, line, tex, display))
    if not found:
        return problems
    results = katex.render_tex([(tex, display) for _, _, tex, display in found])
    seen: set[str] = {p.path for p in problems}
    for (path, line, tex, _), result in zip(found, results):
        if isinstance(result, Exception) and path not in seen:
            seen.add(path)
            short = tex if len(tex) <= 60 else tex[:57] + "…"
            problems.append(KbError(path, line, f"bad math: KaTeX cannot render '{short}': {result}"))
    return sorted(problems, key=lambda e: (e.path, e.line))


# --------------------------------------------------------------------------- terms

def terms_file(docs_dir: str) -> pathlib.Path:
    return pathlib.Path(docs_dir) / "assets" / "data" / "terms.yml"


def check_terms(docs_dir: str, registry: Registry) -> list[KbError]:
    """docs/assets/data/terms.yml: each entry has en, zh, def; a `q:` names an existing question."""
    path = terms_file(docs_dir)
    if not path.is_file():
        return []
    rel = path.relative_to(docs_dir).as_posix()
    text = path.read_text("utf-8")
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return [KbError(rel, mark.line + 1 if mark else 1, f"not valid YAML: {getattr(exc, 'problem', exc)}")]
    if root is None or not isinstance(root, yaml.SequenceNode):
        return [KbError(rel, 1, "the term file is a YAML list of entries ('- en: …')")]
    problems = []
    for node in root.value:
        line = node.start_mark.line + 1
        if not isinstance(node, yaml.MappingNode):
            problems.append(KbError(rel, line, "each term is a mapping with en, zh and def"))
            continue
        keys = {k.value: v for k, v in node.value}
        unknown = sorted(set(keys) - {"en", "zh", "def", "aliases", "abbr", "q"})
        missing = [k for k in ("en", "zh", "def") if not (k in keys and getattr(keys[k], "value", ""))]
        if unknown or missing:
            problems.append(KbError(
                rel, line,
                f"term '{getattr(keys.get('en'), 'value', '?')}': "
                + (f"unknown keys {unknown} " if unknown else "")
                + (f"missing {missing} " if missing else "")
                + "(keys: en, zh, def, aliases, abbr, q)",
            ))
            continue
        if "q" in keys:
            target = keys["q"].value
            if target and target not in registry.questions:
                hint = kb.registry._closest(target, registry.questions)
                problems.append(KbError(
                    rel, keys["q"].start_mark.line + 1,
                    f"term '{keys['en'].value}' links to unknown question '{target}'" + (f"; did you mean '{hint}'?" if hint else ""),
                ))
    return problems


# --------------------------------------------------------------------------- configuration

class _Loader(yaml.SafeLoader):
    """Reads mkdocs.yml, ignoring !!python/... and !ENV tags."""


_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
_Loader.add_constructor("!ENV", lambda loader, node: None)


def settings_from_config_file(config_file: str, docs_dir: str | None = None) -> Settings:
    """Settings from mkdocs.yml, as the build reads them (nav order, snippet base_path, config values)."""
    cfg_path = pathlib.Path(config_file)
    cfg = yaml.load(cfg_path.read_text("utf-8"), Loader=_Loader) or {}
    if cfg.get("INHERIT"):  # a config that inherits another: top-level keys of the child win
        parent_path = (cfg_path.parent / cfg.pop("INHERIT")).resolve()
        cfg = {**(yaml.load(parent_path.read_text("utf-8"), Loader=_Loader) or {}), **cfg}
    base = cfg_path.parent
    docs = docs_dir or str(base / cfg.get("docs_dir", "docs"))
    dirs = snippet_dirs(cfg.get("markdown_extensions") or [], str(base))
    return Settings(docs_dir=docs, order=kb.registry.nav_order(cfg.get("nav")), snippet_dirs=dirs, config=cfg)


def snippet_dirs(extensions: list[Any], base: str) -> list[str]:
    for ext in extensions:
        if isinstance(ext, dict) and "pymdownx.snippets" in ext:
            paths = (ext["pymdownx.snippets"] or {}).get("base_path", ["."])
            paths = [paths] if isinstance(paths, str) else paths
            return [os.path.join(base, p) for p in paths]
    return []


def check_tree(docs_dir: str, config_file: str | None = None) -> tuple[list[KbError], Registry]:
    """Every problem in a docs directory (read in the order of the nav of mkdocs.yml next to it)."""
    root = pathlib.Path(docs_dir)
    config_file = config_file or str(root.parent / "mkdocs.yml")
    if os.path.isfile(config_file):
        settings = settings_from_config_file(config_file, str(root))
    else:
        settings = Settings(docs_dir=str(root), snippet_dirs=[str(root / "code")])
    texts = {p.relative_to(root).as_posix(): p.read_text("utf-8") for p in sorted(root.rglob("*.md"))}
    errors: list[KbError] = []
    registry = check_site(sorted(texts.items(), key=lambda kv: _order_key(kv[0], settings.order)), settings, errors)
    return errors, registry


def _order_key(path: str, order: list[str]) -> tuple[int, str]:
    return (order.index(path) if path in order else 10**6, path)
