"""Macros available in every page (mkdocs-macros `module_name: hooks/macros`).

Cross-links: q(id). Numbers: params, model_memory, kv_cache, act_memory, train_flops,
attn_flops, each a thin wrapper over hooks/formulas.py. Site data: topic_table,
question_count. Every macro raises on bad input so that the build fails.
"""

from __future__ import annotations

import html
import math
import re
import os
import pathlib
import posixpath
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import formulas  # noqa: E402
import freshness  # noqa: E402
import kb_registry  # noqa: E402
import terms  # noqa: E402

MODELS = formulas.load_models()


def _model(key: str) -> formulas.ModelSpec:
    if key not in MODELS:
        raise ValueError(f"unknown model preset '{key}'; presets: {', '.join(sorted(MODELS))}")
    return MODELS[key]


def _registry() -> kb_registry.Registry:
    if kb_registry.current is None:
        raise RuntimeError("the question registry is not built: is hooks/questions.py listed under hooks?")
    return kb_registry.current


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
    return f"[{target.title}]({rel_link(from_src, target.page, target.id)}){{: .kb-qlink }}"


def topic_table(from_src: str) -> str:
    reg = _registry()
    rows = ["| 主题 | 问题数 | 高频 | 已掌握 |", "|---|---:|---:|---:|"]
    for page in reg.topics():
        hot = sum(q.hot for q in page.questions)
        topic_id = page.questions[0].topic_id
        mastery = f'<span class="kb-mastery" data-topic="{topic_id}">–</span>'
        rows.append(f"| [{page.title}]({rel_link(from_src, page.path)}) | {len(page.questions)} | {hot} | {mastery} |")
    return "\n".join(rows)


def params(model: str) -> str:
    """Parameter count of a preset model, e.g. params("llama2-7b") -> 6.74B."""
    return formulas.fmt_count(formulas.param_count(_model(model)))


def _count(model: str | float) -> float:
    return model if isinstance(model, (int, float)) else formulas.param_count(_model(model))


def model_memory(model: str | float, zero: int = 0, gpus: int = 1) -> str:
    """Mixed-precision Adam model states (16 bytes/parameter) per GPU under ZeRO stage `zero`.
    `model` is a preset key or a parameter count."""
    return formulas.fmt_bytes(formulas.model_state_bytes(_count(model), zero, gpus))


def bytes_of(model: str | float, bytes_per_param: float) -> str:
    """Parameter count times bytes per parameter, e.g. weights in fp16: bytes_of("llama2-7b", 2)."""
    return formulas.fmt_bytes(_count(model) * bytes_per_param)


def kv_cache(model: str, seq: int, batch: int = 1, dtype: str = "fp16") -> str:
    """KV-cache size of a preset model at a sequence length and batch size."""
    m = _model(model)
    return formulas.fmt_bytes(formulas.kv_cache_bytes(m.layers, m.kv_heads, m.head_dim, seq, batch, dtype))


def act_memory(model: str, seq: int, batch: int = 1, recompute: str = "none", tp: int = 1, all_layers: bool = False) -> str:
    """Activation memory per layer (or for all layers) after Korthikanti et al. 2022."""
    m = _model(model)
    per_layer = formulas.activation_bytes_per_layer(seq, batch, m.d_model, m.heads, recompute, tp)
    return formulas.fmt_bytes(per_layer * (m.layers if all_layers else 1))


def train_flops(model: str | float, tokens: float) -> str:
    """6·N·D training FLOPs for a preset model (or a parameter count) and a token count."""
    return formulas.fmt_flops(formulas.train_flops(_count(model), tokens))


def attn_flops(seq: int, d_model: int) -> str:
    """Forward FLOPs of one self-attention layer."""
    return formulas.fmt_flops(formulas.attention_flops(seq, d_model))


def question_count() -> int:
    """Number of questions on the site."""
    return len(_registry().questions)


NUMBER_MACROS = {f.__name__: f for f in (params, model_memory, bytes_of, kv_cache, act_memory, train_flops, attn_flops)}


def render_text(text: str, src: str) -> str:
    """Render the macros in a snippet (a 速答 line) outside a page build, as the page would."""
    import jinja2

    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    env.globals.update(NUMBER_MACROS, q=lambda qid: question_link(qid, src), question_count=question_count)
    return env.from_string(text).render()


def cheatsheet(from_src: str) -> str:
    """Every question with its 速答, grouped by topic, linking to the full answers."""
    out = []
    for page in _registry().topics():
        out.append(f"## {page.title}\n")
        for q in page.questions:
            hot = " · 高频" if q.hot else ""
            summary = render_text(q.summary_md, from_src)
            out.append(f"- **[{q.title}]({rel_link(from_src, q.page, q.id)})**{hot}<br>{summary}")
        out.append("")
    return "\n".join(out)


def recent_list(from_src: str, docs_dir: str, limit: int) -> str:
    """The questions added or changed most recently, newest first, from git history."""
    reg = _registry()
    dates = freshness.question_dates(docs_dir, reg)
    order = {qid: i for i, qid in enumerate(reg.questions)}
    newest = sorted(reg.questions.values(), key=lambda q: (dates[q.id], -order[q.id]), reverse=True)[:limit]
    rows = ["| 日期 | 题目 | 主题 |", "|---|---|---|"]
    for q in newest:
        # plain-text titles (√d_k): a formula here would make the home page load the 44 KB math font
        title = kb_registry.plain_text(q.title).replace("|", "\\|")
        rows.append(f"| {dates[q.id].isoformat()} | [{title}]({rel_link(from_src, q.page, q.id)}) | {q.topic} |")
    return "\n".join(rows)


def glossary_table(from_src: str) -> str:
    """术语表: Chinese and English names, a one-line definition, the question that explains it."""
    rows = ["| 术语 | English | 释义 | 详见 |", "|---|---|---|---|"]
    for t in sorted(terms.load_terms(), key=lambda t: t.en.lower()):
        english = " / ".join([t.en] + [a for a in t.aliases if a.isascii()])
        see = question_link(t.q, from_src) if t.q else ""
        rows.append(f"| {t.zh} | {english} | {t.definition} | {see} |")
    return "\n".join(rows)


def figure_html(name: str, caption: str, docs_dir: str) -> str:
    """Inline an SVG from docs/assets/figures/ so that it takes the page's light or dark palette."""
    path = pathlib.Path(docs_dir) / "assets" / "figures" / f"{name}.svg"
    if not path.is_file():
        raise ValueError(f"unknown figure '{name}': no file docs/assets/figures/{name}.svg")
    svg = path.read_text("utf-8")
    svg = svg[svg.index("<svg"):]  # drop an XML declaration or comments before the root element
    if "<title" not in svg or 'role="img"' not in svg:
        raise ValueError(f"figure '{name}' needs role=\"img\" and a <title> (its text alternative)")
    svg = "\n".join(line for line in svg.splitlines() if line.strip())  # one HTML block for Markdown
    label = html.escape(caption, quote=True)
    # never narrower than the width at which its smallest text is FIGURE_MIN_TEXT_PX: on a phone
    # the figure scrolls sideways inside its box instead of shrinking below legibility
    width = figure_min_width(svg)
    return (
        f'<figure class="kb-figure" id="fig-{name}" style="--kb-fig-min: {width}px">'
        f'<div class="kb-figure-scroll"><button type="button" class="kb-figure-zoom" aria-label="放大查看：{label}">'
        f"{svg}</button></div><figcaption>{html.escape(caption)}</figcaption></figure>"
    )


FIGURE_MIN_TEXT_PX = 9.5  # a little above the 9 px floor, for rounding and hairline strokes


def figure_min_width(svg: str) -> int:
    """CSS px width at which the smallest font-size in an SVG (in viewBox units) renders at FIGURE_MIN_TEXT_PX."""
    box = re.search(r'viewBox="[\d.\s-]+?\s([\d.]+)\s+[\d.]+"', svg)
    sizes = [float(v) for v in re.findall(r'font-size="([\d.]+)"', svg)] or [16.0]
    width = float(box.group(1)) if box else 640.0
    return math.ceil(width * FIGURE_MIN_TEXT_PX / min(sizes))


def define_env(env) -> None:  # noqa: ANN001 (mkdocs-macros passes its plugin object)
    @env.macro
    def q(qid: str) -> str:
        """Link to a question by ID, showing its current title."""
        return question_link(qid, env.page.file.src_uri)

    @env.macro
    def topics() -> str:
        """Table of topics with their question counts, for the home page."""
        return topic_table(env.page.file.src_uri)

    @env.macro
    def cheat_sheet() -> str:
        """速记表: every question with its 速答, grouped by topic."""
        return cheatsheet(env.page.file.src_uri)

    @env.macro
    def recent(limit: int = 40) -> str:
        """Table of the questions added or changed most recently."""
        return recent_list(env.page.file.src_uri, env.conf["docs_dir"], limit)

    @env.macro
    def glossary() -> str:
        """Table of term pairs with definitions, from docs/assets/data/terms.yml."""
        return glossary_table(env.page.file.src_uri)

    @env.macro
    def figure(name: str, caption: str) -> str:
        """A diagram or plot from docs/assets/figures/<name>.svg, inlined, with a caption."""
        return figure_html(name, caption, env.conf["docs_dir"])

    env.macro(question_count)
    for name, func in NUMBER_MACROS.items():
        env.macro(func, name)
