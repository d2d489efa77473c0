"""Plots for the answers, computed only by calling docs/code/*.py and kb/formulas.py.

    python -m scripts plots [OUT_DIR]      # default: docs/assets/figures/

writes plot-*.svg: line and bar charts drawn by the small SVG writer below, with no dependency
beyond NumPy. The SVGs follow the figure rules of docs/assets/stylesheets/kb.css ("Figures"):
colours only through the classes line / muted / box, a b c d (fills), sa sb sc sd (strokes)
and ta tb tc td (text), so that they follow the light and dark palettes when a page inlines
them with {{ figure("plot-...", "caption") }}; the root has role="img" and aria-labelledby
pointing at a Chinese <title> and <desc>. Output is deterministic (fixed seeds, fixed number
formatting): tests/test_plots.py regenerates every plot and compares bytes with the committed files.
"""

from __future__ import annotations

import math
import pathlib
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

ROOT = pathlib.Path(__file__).resolve().parent.parent
for _p in (ROOT / "docs" / "code",):  # the tested reference implementations the plots run
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

import attention
import numpy as np
import positions
import quantization
import sampling
import schedules

from kb import formulas

OUT_DIR = ROOT / "docs" / "assets" / "figures"

# ---------------------------------------------------------------------------
# A tiny SVG chart writer
# ---------------------------------------------------------------------------

WIDTH, HEIGHT = 640, 400
LEFT, RIGHT, TOP, BOTTOM = 72, 616, 60, 336        # plot area
FONT = 12
# one style per series: fill class, stroke class, text class, dash pattern (colour is never the only cue)
STYLES = [("a", "sa", "ta", ""), ("b", "sb", "tb", "7 4"), ("c", "sc", "tc", "2 3"), ("d", "sd", "td", "9 3 2 3")]


def num(v: float) -> str:
    """Fixed formatting of coordinates: one decimal, no negative zero."""
    s = f"{v:.1f}"
    return "0.0" if s == "-0.0" else s


def text_width(s: str, size: float = FONT) -> float:
    """Rough advance width: CJK characters one em, others about 0.58 em."""
    return sum(size if ord(c) > 0x2E80 else 0.58 * size for c in s)


def sup(n: int) -> str:
    return str(n).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))


@dataclass
class Axis:
    lo: float
    hi: float
    ticks: list[tuple[float, str]]
    label: str
    log: bool = False

    def to(self, v: float, a: float, b: float) -> float:
        """Map a data value to the pixel interval [a, b]."""
        if self.log:
            f = (math.log10(v) - math.log10(self.lo)) / (math.log10(self.hi) - math.log10(self.lo))
        else:
            f = (v - self.lo) / (self.hi - self.lo)
        return a + f * (b - a)


@dataclass
class Series:
    label: str
    xs: list[float]
    ys: list[float]
    style: int = 0
    end_label: str = ""          # text written at the right end of the line
    width: float = 2.5           # stroke width


@dataclass
class Ref:
    """A horizontal reference line across the plot area."""
    y: float
    label: str


@dataclass
class Bar:
    value: float
    style: int | str = 0         # index into STYLES, or "muted"
    text: str = ""               # written above the bar


@dataclass
class Group:
    label: str
    bars: list[Bar]


@dataclass
class Svg:
    name: str
    title: str
    desc: str
    parts: list[str] = field(default_factory=list)

    def add(self, element: str) -> None:
        self.parts.append(element)

    def line(self, x1: float, y1: float, x2: float, y2: float, cls: str = "line", extra: str = "") -> None:
        self.add(f'<line class="{cls}" x1="{num(x1)}" y1="{num(y1)}" x2="{num(x2)}" y2="{num(y2)}"{extra}/>')

    def text(self, x: float, y: float, s: str, anchor: str = "start", cls: str = "", size: int = FONT, rotate: bool = False) -> None:
        c = f' class="{cls}"' if cls else ""
        a = f' text-anchor="{anchor}"' if anchor != "start" else ""
        z = f' font-size="{size}"' if size != FONT else ""
        r = f' transform="rotate(-90 {num(x)} {num(y)})"' if rotate else ""
        self.add(f'<text{c} x="{num(x)}" y="{num(y)}"{a}{z}{r}>{escape(s)}</text>')

    def render(self) -> str:
        n = self.name
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
            f'font-size="{FONT}" role="img" aria-labelledby="{n}-title {n}-desc">\n'
            f'<title id="{n}-title">{escape(self.title)}</title>\n'
            f'<desc id="{n}-desc">{escape(self.desc)}</desc>\n'
        )
        return head + "\n".join(self.parts) + "\n</svg>\n"


def _frame(svg: Svg, x: Axis | None, y: Axis) -> None:
    """Grid, axes, tick labels and axis titles."""
    for v, lab in y.ticks:
        py = y.to(v, BOTTOM, TOP)
        svg.line(LEFT, py, RIGHT, py, extra=' stroke-opacity="0.15"')
        svg.text(LEFT - 6, py + 4, lab, anchor="end")
    if x is not None:
        for v, lab in x.ticks:
            px = x.to(v, LEFT, RIGHT)
            svg.line(px, TOP, px, BOTTOM, extra=' stroke-opacity="0.15"')
            svg.line(px, BOTTOM, px, BOTTOM + 4)
            svg.text(px, BOTTOM + 18, lab, anchor="middle")
        svg.text((LEFT + RIGHT) / 2, BOTTOM + 42, x.label, anchor="middle", size=13)
    svg.line(LEFT, BOTTOM, RIGHT, BOTTOM)
    svg.line(LEFT, TOP, LEFT, BOTTOM)
    svg.text(20, (TOP + BOTTOM) / 2, y.label, anchor="middle", size=13, rotate=True)


def _legend(svg: Svg, items: list[tuple[str, int | str, str]]) -> None:
    """items: (label, style, kind) with kind "line" or "box"; laid out left to right above the plot."""
    x, y = LEFT, 30
    for label, style, kind in items:
        if kind == "line":
            _, stroke, _, dash = STYLES[style]
            d = f' stroke-dasharray="{dash}"' if dash else ""
            svg.line(x, y - 4, x + 26, y - 4, cls=f"line {stroke}", extra=f' stroke-width="2.5"{d}')
            x += 32
        else:
            cls = "muted" if style == "muted" else f"{STYLES[style][0]} {STYLES[style][1]}"
            svg.add(f'<rect class="{cls}" x="{num(x)}" y="{num(y - 11)}" width="14" height="12"/>')
            x += 20
        svg.text(x, y, label)
        x += text_width(label) + 18


def line_chart(name: str, title: str, desc: str, series: list[Series], x: Axis, y: Axis, refs: tuple[Ref, ...] = ()) -> str:
    svg = Svg(name, title, desc)
    _frame(svg, x, y)
    for ref in refs:
        py = y.to(ref.y, BOTTOM, TOP)
        svg.line(LEFT, py, RIGHT, py, extra=' stroke-dasharray="4 4"')
        svg.text(LEFT + 6, py - 5, ref.label, cls="muted")
    for s in series:
        _, stroke, tcls, dash = STYLES[s.style]
        pts = " ".join(f"{num(x.to(a, LEFT, RIGHT))},{num(y.to(b, BOTTOM, TOP))}" for a, b in zip(s.xs, s.ys))
        d = f' stroke-dasharray="{dash}"' if dash else ""
        svg.add(f'<polyline class="line {stroke}" stroke-width="{s.width}" stroke-linejoin="round"{d} points="{pts}"/>')
        if s.end_label:
            svg.text(x.to(s.xs[-1], LEFT, RIGHT) - 4, y.to(s.ys[-1], BOTTOM, TOP) - 8, s.end_label, anchor="end", cls=tcls)
    _legend(svg, [(s.label, s.style, "line") for s in series])
    return svg.render()


def bar_chart(name: str, title: str, desc: str, groups: list[Group], y: Axis, legend: list[tuple[str, int | str]],
              x_label: str = "", refs: tuple[Ref, ...] = (), label_size: int = FONT) -> str:
    svg = Svg(name, title, desc)
    _frame(svg, None, y)
    slot = (RIGHT - LEFT) / len(groups)
    for gi, g in enumerate(groups):
        inner = slot * 0.8
        bw = inner / len(g.bars)
        x0 = LEFT + gi * slot + slot * 0.1
        for bi, bar in enumerate(g.bars):
            top = y.to(bar.value, BOTTOM, TOP)
            cls = "muted" if bar.style == "muted" else f"{STYLES[bar.style][0]} {STYLES[bar.style][1]}"
            svg.add(f'<rect class="{cls}" x="{num(x0 + bi * bw)}" y="{num(top)}" width="{num(bw * 0.92)}" height="{num(BOTTOM - top)}"/>')
            if bar.text:
                svg.text(x0 + bi * bw + bw * 0.46, top - 5, bar.text, anchor="middle", size=11)
        svg.text(LEFT + gi * slot + slot / 2, BOTTOM + 18, g.label, anchor="middle", size=label_size)
    if x_label:
        svg.text((LEFT + RIGHT) / 2, BOTTOM + 42, x_label, anchor="middle", size=13)
    for ref in refs:
        py = y.to(ref.y, BOTTOM, TOP)
        svg.line(LEFT, py, RIGHT, py, extra=' stroke-dasharray="4 4"')
        svg.text(RIGHT - 4, py - 5, ref.label, anchor="end", cls="muted")
    _legend(svg, [(label, style, "box") for label, style in legend])
    return svg.render()


def linear_ticks(lo: float, hi: float, step: float, fmt: Callable[[float], str]) -> list[tuple[float, str]]:
    n = int(round((hi - lo) / step))
    return [(lo + i * step, fmt(lo + i * step)) for i in range(n + 1)]


# ---------------------------------------------------------------------------
# The plots: every number below comes from a call into docs/code or formulas
# ---------------------------------------------------------------------------


def plot_softmax_saturation() -> str:
    """Mean of the largest softmax weight over 64 keys, with q, k ~ N(0, I): unscaled vs / √d_k."""
    rng = np.random.default_rng(0)
    n, s, chunk = 500, 64, 100
    dims = [2**p for p in range(2, 11)]
    raw, scaled = [], []
    for d_k in dims:
        logits = []
        for _ in range(n // chunk):                                # 分块生成，内存只需 chunk·s·d_k
            q = rng.standard_normal((chunk, 1, d_k))
            k = rng.standard_normal((chunk, s, d_k))
            logits.append((q * k).sum(-1))                         # [chunk, s]，方差约 d_k
        logits = np.concatenate(logits)
        raw.append(float(attention.softmax(logits).max(-1).mean()))
        scaled.append(float(attention.softmax(logits / np.sqrt(d_k)).max(-1).mean()))
    x = Axis(dims[0], dims[-1], [(d, str(d)) for d in dims], "d_k（对数刻度）", log=True)
    y = Axis(0.0, 1.0, linear_ticks(0.0, 1.0, 0.2, lambda v: f"{v:.1f}"), "最大注意力权重（均值）")
    desc = (
        f"q、k 各维独立标准正态；每个 d_k 取 {n} 个查询，各对 {s} 个键做 softmax，对最大权重取均值（蒙特卡洛，随机种子 0）。"
        f"不缩放时点积方差随 d_k 增长，最大权重从 d_k={dims[0]} 的 {raw[0]:.2f} 升到 d_k={dims[-1]} 的 {raw[-1]:.2f}，"
        f"分布趋于 one-hot、梯度变小；除以 √d_k 后各 d_k 下都约为 {np.mean(scaled):.2f}。"
        f"虚线为均匀分布 1/{s}≈{1 / s:.3f}。"
    )
    return line_chart(
        "plot-softmax-saturation", "缩放与不缩放点积的 softmax 饱和程度随 d_k 的变化", desc,
        [Series("不缩放：softmax(q·k)", dims, raw, 0), Series("缩放：softmax(q·k / √d_k)", dims, scaled, 1)],
        x, y, refs=(Ref(1 / s, f"均匀分布 1/{s}"),),
    )


def plot_rope_decay() -> str:
    """RoFormer's relative upper bound (1/(d/2)) Σ|S_j| against relative distance."""
    d = 128
    dist = list(range(0, 1025))
    b1 = [float(positions.rope_decay_bound(r, d=d, base=1e4)) for r in dist]
    b2 = [float(positions.rope_decay_bound(r, d=d, base=5e5)) for r in dist]
    at = dist.index(1000)
    x = Axis(0, 1024, linear_ticks(0, 1024, 128, lambda v: f"{v:.0f}"), "相对距离 m − n")
    y = Axis(0, 35, linear_ticks(0, 35, 5, lambda v: f"{v:.0f}"), "相对上界 (1/(d/2))·Σ|S_j|")
    desc = (
        f"RoFormer 第 3.4.3 节的远程衰减上界因子，d={d}：距离 0 时为 {b1[0]:.1f}；base=10000 时距离 1000 处降到 {b1[at]:.1f}，"
        f"base=500000 时为 {b2[at]:.1f}，衰减更慢；两条曲线都带振荡，不是单调下降。衰减的是上界，不是每对 q、k 的实际分数。"
    )
    return line_chart(
        "plot-rope-decay", "RoPE 远程衰减：注意力分数上界随相对距离的变化", desc,
        [Series("base = 10000", dist, b1, 0, width=1.5), Series("base = 500000", dist, b2, 1, width=1.5)], x, y,
    )


def plot_rope_scaling() -> str:
    """Wavelength 2π/θ_i of each dimension pair: original, PI, NTK-aware and NTK-by-parts (YaRN)."""
    d, base, train_len, scale = 128, 10000.0, 4096, 8.0
    f = positions.rope_scaled_frequencies(d, scale, train_len, base)
    idx = list(range(d // 2))
    wl = {k: [float(2 * np.pi / t) for t in v] for k, v in f.items()}
    r = train_len / np.array(wl["original"])
    n_keep, n_full = int((r > 32).sum()), int((r < 1).sum())
    x = Axis(0, d // 2 - 1, [(i, str(i)) for i in range(0, d // 2, 8)] + [(d // 2 - 1, str(d // 2 - 1))], "维度对编号 i（θ_i = b^(−2i/d)，d = 128）")
    y = Axis(1, 1e7, [(10.0**p, "1" if p == 0 else f"10{sup(p)}") for p in range(8)], "波长 2π/θ_i（token，对数刻度）", log=True)
    desc = (
        f"d={d}、base={base:.0f}、训练长度 L={train_len}、扩展倍数 s={scale:.0f}。原始 RoPE 波长从 {wl['original'][0]:.1f} 增到 {wl['original'][-1]:.0f}；"
        f"PI 把所有波长乘以 {scale:.0f}；NTK-aware 只改 base，最高频不变、最低频恰好乘 {scale:.0f}；"
        f"NTK-by-parts（YaRN 的频率部分，α=1、β=32）对 {n_keep} 对高频维（波长 < L/32 = {train_len // 32}）不插值，"
        f"对 {n_full} 对低频维（波长 > L）完全插值，中间线性过渡。"
    )
    series = [
        Series("原始", idx, wl["original"], 0),
        Series("PI", idx, wl["pi"], 1),
        Series("NTK-aware", idx, wl["ntk"], 2),
        Series("NTK-by-parts / YaRN", idx, wl["ntk_by_parts"], 3),
    ]
    refs = (Ref(scale * train_len, f"扩展后长度 sL = {int(scale * train_len)}"), Ref(train_len, f"训练长度 L = {train_len}"),
            Ref(train_len / 32, f"L/β = {train_len // 32}"))
    return line_chart("plot-rope-scaling", "RoPE 各维波长与 PI、NTK-aware、NTK-by-parts（YaRN）插值", desc, series, x, y, refs)


def plot_lr_schedules() -> str:
    peak, floor, warmup, total = 3e-4, 3e-5, 1000, 20000
    steps = list(range(0, total + 1, 100))
    cos = [schedules.warmup_cosine(t, peak, warmup, total, min_lr=floor) * 1e4 for t in steps]
    wsd = [schedules.wsd(t, peak, warmup, total, decay_frac=0.2, min_lr=floor) * 1e4 for t in steps]
    mid = steps.index(10000)
    x = Axis(0, total, linear_ticks(0, total, 2500, lambda v: f"{v / 1000:.1f}".rstrip("0").rstrip(".") + "k" if v else "0"), "训练步数")
    y = Axis(0, 3.5, linear_ticks(0, 3.5, 0.5, lambda v: f"{v:.1f}"), "学习率（×10⁻⁴）")
    desc = (
        f"峰值 {peak:.0e}、线性 warm-up {warmup} 步、总 {total} 步、终值 {floor:.0e}。余弦调度在 warm-up 后立即开始下降，"
        f"第 {steps[mid]} 步为 {cos[mid]:.2f}×10⁻⁴；WSD 在第 {steps[mid]} 步仍是峰值 {wsd[mid]:.1f}×10⁻⁴，"
        f"最后 20% 的步数线性退火到终值。两者都在第 {warmup} 步到达峰值。"
    ).replace("e-04", "×10⁻⁴").replace("e-05", "×10⁻⁵")
    return line_chart(
        "plot-lr-schedules", "warm-up + 余弦衰减与 WSD（warm-up–稳定–衰减）学习率调度", desc,
        [Series("warm-up + 余弦衰减", steps, cos, 0), Series("WSD（最后 20% 线性衰减）", steps, wsd, 1)], x, y,
    )


def plot_memory_7b() -> str:
    spec = formulas.load_models()["llama2-7b"]
    params = formulas.param_count(spec)
    gpus = 8
    weights = [(f"{dt}", params * formulas.DTYPE_BYTES[dt]) for dt in ("fp32", "bf16", "int8", "int4")]
    train = [("无 ZeRO" if z == 0 else f"ZeRO-{z}", formulas.model_state_bytes(params, zero_stage=z, gpus=gpus)) for z in range(4)]
    groups = [Group(label, [Bar(v / 1e9, 0, formulas.fmt_bytes(v))]) for label, v in weights]
    groups += [Group(label, [Bar(v / 1e9, 1, formulas.fmt_bytes(v))]) for label, v in train]
    y = Axis(0, 120, linear_ticks(0, 120, 20, lambda v: f"{v:.0f}"), "显存（GB，10⁹ 字节）")
    desc = (
        f"{spec.name}（{formulas.fmt_count(params)} 参数）。推理只存权重：fp32 {formulas.fmt_bytes(weights[0][1])}、bf16 {formulas.fmt_bytes(weights[1][1])}、"
        f"int8 {formulas.fmt_bytes(weights[2][1])}、int4 {formulas.fmt_bytes(weights[3][1])}。训练用混合精度 Adam，模型状态每参数 16 字节，"
        f"不切分时 {formulas.fmt_bytes(train[0][1])}；{gpus} 卡数据并行下每卡：ZeRO-1 {formulas.fmt_bytes(train[1][1])}、"
        f"ZeRO-2 {formulas.fmt_bytes(train[2][1])}、ZeRO-3 {formulas.fmt_bytes(train[3][1])}。不含激活和临时缓冲。"
    )
    return bar_chart(
        "plot-memory-7b", "7B 模型在不同精度与 ZeRO 阶段下的显存（权重与模型状态）", desc, groups, y,
        [("推理：权重", 0), (f"训练：混合精度 Adam 模型状态（每卡，{gpus} 卡）", 1)],
        x_label="精度（推理）与 ZeRO 阶段（训练）", refs=(Ref(80, "单卡 80 GB"),),
    )


def plot_kv_cache() -> str:
    spec = formulas.load_models()["llama2-70b"]
    seqs = list(range(0, 65537, 4096))
    variants = [("MHA", spec.heads), ("GQA", spec.kv_heads), ("MQA", 1)]
    series = []
    for style, (name, n_kv) in enumerate(variants):
        gb = [formulas.kv_cache_bytes(spec.layers, n_kv, spec.head_dim, s) / 1e9 for s in seqs]
        series.append(Series(f"{name}（n_kv = {n_kv}）", seqs, gb, style, end_label=formulas.fmt_bytes(gb[-1] * 1e9)))
    weights = formulas.param_count(spec) * formulas.DTYPE_BYTES["fp16"]
    x = Axis(0, 65536, [(s, f"{s // 1024}K" if s else "0") for s in range(0, 65537, 8192)], "上下文长度 s（token）")
    y = Axis(0, 180, linear_ticks(0, 180, 30, lambda v: f"{v:.0f}"), "KV cache（GB，fp16，batch = 1）")
    at = seqs.index(4096)
    desc = (
        f"按 {spec.name} 的形状（{spec.layers} 层、{spec.heads} 个查询头、d_head={spec.head_dim}），KV cache = 2·b·s·L·n_kv·d_head·2 字节，随 s 线性增长。"
        f"s=4096 时 MHA {formulas.fmt_bytes(series[0].ys[at] * 1e9)}、GQA {formulas.fmt_bytes(series[1].ys[at] * 1e9)}、"
        f"MQA {formulas.fmt_bytes(series[2].ys[at] * 1e9)}；"
        f"s=64K 时分别为 {series[0].end_label}、{series[1].end_label}、{series[2].end_label}。"
        f"MHA 在 64K 时超过 fp16 权重本身（{formulas.fmt_bytes(weights)}，虚线）。"
    )
    return line_chart("plot-kv-cache", "KV cache 大小随上下文长度的变化：MHA、GQA 与 MQA", desc, series, x, y,
                      refs=(Ref(weights / 1e9, f"fp16 权重 {formulas.fmt_bytes(weights)}"),))


def plot_top_k_top_p() -> str:
    rng = np.random.default_rng(4)
    n, top_k, top_p = 20, 5, 0.9
    logits = np.sort(rng.standard_normal(n) * 1.2)[::-1]
    p = sampling.filter_probs(logits)
    kept_k = sampling.filter_probs(logits, top_k=top_k) > 0
    kept_p = sampling.filter_probs(logits, top_p=top_p) > 0
    groups = []
    for i in range(n):
        style = 0 if kept_k[i] and kept_p[i] else 1 if kept_p[i] else 2 if kept_k[i] else "muted"
        groups.append(Group(str(i + 1), [Bar(float(p[i]) * 100, style, f"{p[i] * 100:.0f}" if p[i] >= 0.01 else "")]))
    n_p = int(kept_p.sum())
    mass_k, mass_p = float(p[kept_k].sum()), float(p[kept_p].sum())
    y_hi = math.ceil(p.max() * 100 / 5) * 5
    y = Axis(0, y_hi, linear_ticks(0, y_hi, 5, lambda v: f"{v:.0f}"), "概率（%）")
    legend = [("top-k 与 top-p 都保留", 0)]
    legend += [("仅 top-p 保留", 1)] if n_p > top_k else [("仅 top-k 保留", 2)] if n_p < top_k else []
    legend += [("都被截掉", "muted")]
    desc = (
        f"同一个 {n} 个 token 的分布（按概率从大到小排列，随机种子 4）。top-k={top_k} 固定保留 {top_k} 个，覆盖 {mass_k * 100:.0f}% 的概率质量；"
        f"top-p={top_p} 保留累计概率首次达到 {top_p * 100:.0f}% 的最少 token，这里是 {n_p} 个（{mass_p * 100:.1f}%）。"
        f"分布越平，top-p 保留得越多；分布越尖，保留得越少，top-k 则始终是 {top_k} 个。"
    )
    return bar_chart("plot-top-k-top-p", f"同一分布上 top-k（k={top_k}）与 top-p（p={top_p}）的截断", desc, groups, y, legend,
                     x_label="按概率排序的候选 token")


def plot_quant_error() -> str:
    rng = np.random.default_rng(0)
    w = rng.normal(0.0, 0.02, size=(512, 1024))
    cases = [("per-tensor", {"granularity": "tensor"}), ("per-channel", {"granularity": "channel"}),
             ("per-group 128", {"granularity": "group", "group_size": 128}), ("per-group 32", {"granularity": "group", "group_size": 32})]
    rel = {}
    for bits in (8, 4):
        for label, kw in cases:
            err = quantization.fake_quantize(w, bits=bits, symmetric=True, **kw) - w
            rel[bits, label] = float(np.sqrt(np.mean(err**2)) / w.std()) * 100     # RMSE / σ，单位 %
    groups = [Group(label, [Bar(rel[8, label], 0, f"{rel[8, label]:.1f}"), Bar(rel[4, label], 1, f"{rel[4, label]:.1f}")]) for label, _ in cases]
    y_hi = math.ceil(max(rel.values()) / 5) * 5
    y = Axis(0, y_hi, linear_ticks(0, y_hi, 5, lambda v: f"{v:.0f}"), "相对误差 RMSE / σ（%）")
    desc = (
        f"{w.shape[0]}×{w.shape[1]} 的高斯权重 N(0, 0.02²)（随机种子 0），对称 round-to-nearest 量化后再反量化。"
        f"int8 的相对 RMSE 为 {rel[8, 'per-tensor']:.1f}%（per-tensor）到 {rel[8, 'per-group 32']:.1f}%（per-group 32）；"
        f"int4 为 {rel[4, 'per-tensor']:.1f}% 到 {rel[4, 'per-group 32']:.1f}%，约为 int8 的 {rel[4, 'per-tensor'] / rel[8, 'per-tensor']:.0f} 倍"
        f"（最大量化级 {2 ** 3 - 1} 对 {2 ** 7 - 1}）。分组越细，每组的最大绝对值越小，步长越小，误差越低。"
    )
    return bar_chart("plot-quant-error", "高斯权重的 int8 与 int4 量化误差：per-tensor、per-channel 与 per-group", desc, groups, y,
                     [("int8", 0), ("int4", 1)], x_label="量化粒度（对称量化）")


PLOTS: dict[str, Callable[[], str]] = {
    "plot-softmax-saturation": plot_softmax_saturation,
    "plot-rope-decay": plot_rope_decay,
    "plot-rope-scaling": plot_rope_scaling,
    "plot-lr-schedules": plot_lr_schedules,
    "plot-memory-7b": plot_memory_7b,
    "plot-kv-cache": plot_kv_cache,
    "plot-top-k-top-p": plot_top_k_top_p,
    "plot-quant-error": plot_quant_error,
}


def write_all(out_dir: pathlib.Path = OUT_DIR) -> list[pathlib.Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, make in PLOTS.items():
        path = out_dir / f"{name}.svg"
        path.write_text(make(), encoding="utf-8", newline="\n")
        written.append(path)
    return written
