"""Macros available in every page (mkdocs-macros `module_name: hooks/macros`).

Cross-links: q(id). Numbers: params, model_memory, kv_cache, act_memory, train_flops,
attn_flops; for multimodal models vis_tokens, vid_tokens, vit_size, projector_size,
visual_share, sim_matrix, vlm_params, vlm_weights, vit_flops, prefill_flops; the serving and cost
macros (gpu_spec, kv_per_gpu, kv_room, max_seqs, gpus_for, decode_ms, decode_rate, prefill_time,
concurrent, gpu_hours, mfu, train_days, train_time, train_cost, ckpt_interval, hnsw_memory, ab_users,
ci_points, lora_memory, lora_max_seq); each a thin wrapper over kb/formulas.py. The generated pages' lists
(topics, cheat_sheet, glossary, study paths, tags_page, recent, pdfs) come from kb/lists.py, the figure
from kb/render.py; this module is the define_env adapter. Every macro raises on bad input so that the build fails.
"""

from __future__ import annotations

import math
import os
import pathlib
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from kb import formulas, lists, render
from kb.lists import (  # noqa: F401 (re-exported: hooks/questions.py, scripts and tests use them from here)
    _registry,
    glossary_table,
    model_presets_html,
    model_sources_md,
    pdf_links,
    question_link,
    recent_list,
    rel_link,
    study_path_lists,
    study_paths,
    tag_index,
    topic_table,
)

MODELS = formulas.load_models()
GPUS = formulas.load_gpus()


def _model(key: str) -> formulas.ModelSpec:
    if key not in MODELS:
        raise ValueError(f"unknown model preset '{key}'; presets: {', '.join(sorted(MODELS))}")
    return MODELS[key]


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


# --- multimodal ---


def vis_tokens(height: int, width: int, patch: int, merge: int = 1, images: int = 1) -> str:
    """Visual tokens of `images` images, N_v = HW/P² each (divided by merge² for a 2×2 merger or pixel shuffle)."""
    return formulas.fmt_int(images * formulas.visual_tokens(height, width, patch, merge))


def vid_tokens(frames: int, height: int, width: int, patch: int, merge: int = 1, temporal_patch: int = 1) -> str:
    """Visual tokens of a clip: frames / temporal_patch times the tokens of one frame."""
    per_frame = formulas.visual_tokens(height, width, patch, merge)
    return formulas.fmt_int(formulas.video_tokens(frames, per_frame, temporal_patch))


def vit_size(layers: int, width: int, mlp: int, patch: int, image: int) -> str:
    """Parameter count of a ViT encoder at a square input size (learned positions for every patch and [CLS])."""
    positions = (image // patch) ** 2 + 1
    return formulas.fmt_count(formulas.vit_params(layers, width, mlp, patch, positions))


def projector_size(d_vision: int, d_model: int, layers: int = 2) -> str:
    """Parameter count of a LLaVA-style projector (1 linear layer, or 2 with GELU between)."""
    return formulas.fmt_count(formulas.mlp_projector_params(d_vision, d_model, layers))


def visual_share(visual: int, text: int) -> str:
    """Share of visual tokens in a prompt (and so of its KV cache), as a percentage."""
    return formulas.fmt_percent(formulas.token_share(visual, text))


def sim_matrix(batch: int, dtype: str = "fp32") -> str:
    """Memory of a full b×b contrastive logit matrix."""
    return formulas.fmt_bytes(formulas.similarity_matrix_bytes(batch, dtype))


def _vit_count(layers: int, width: int, mlp: int, patch: int, image: int) -> int:
    return formulas.vit_params(layers, width, mlp, patch, (image // patch) ** 2 + 1)


def vlm_params(llm: str, layers: int, width: int, mlp: int, patch: int, image: int, projector_layers: int = 2) -> str:
    """Parameters of a LLaVA-style VLM: ViT (at `image` px) + MLP projector (d_v = ViT width) + LLM preset."""
    total = (_vit_count(layers, width, mlp, patch, image)
             + formulas.mlp_projector_params(width, _model(llm).d_model, projector_layers)
             + formulas.param_count(_model(llm)))
    return formulas.fmt_count(total)


def vlm_weights(llm: str, layers: int, width: int, mlp: int, patch: int, image: int, bytes_per_param: float = 2) -> str:
    """Weight memory of the same VLM at `bytes_per_param` bytes per parameter (2 for fp16 / bf16)."""
    total = (_vit_count(layers, width, mlp, patch, image)
             + formulas.mlp_projector_params(width, _model(llm).d_model)
             + formulas.param_count(_model(llm)))
    return formulas.fmt_bytes(total * bytes_per_param)


def vit_flops(layers: int, width: int, mlp: int, patch: int, image: int) -> str:
    """Forward FLOPs of the ViT on one image: 2 · parameters · (N_v + 1) tokens, attention scores excluded."""
    tokens = (image // patch) ** 2 + 1
    return formulas.fmt_flops(formulas.forward_flops(_vit_count(layers, width, mlp, patch, image), tokens))


def prefill_flops(model: str, tokens: int) -> str:
    """Forward FLOPs of the LLM's matrix multiplies over `tokens` prompt tokens (2·Φ per token)."""
    return formulas.fmt_flops(formulas.forward_flops(formulas.param_count(_model(model)), tokens))
# --- serving and cost ---


def _gpu(key: str) -> formulas.GpuSpec:
    if key not in GPUS:
        raise ValueError(f"unknown GPU preset '{key}'; presets: {', '.join(sorted(GPUS))}")
    return GPUS[key]


def _peak(g: formulas.GpuSpec, dtype: str) -> float:
    peak = {"bf16": g.bf16, "fp16": g.bf16, "fp8": g.fp8}.get(dtype, 0)
    if not peak:
        raise ValueError(f"no {dtype} peak for {g.name} in docs/assets/data/gpus.json")
    return peak


def _kv_bytes(model: str, seq: int, batch: int, dtype: str) -> float:
    m = _model(model)
    return formulas.kv_cache_bytes(m.layers, m.kv_heads, m.head_dim, seq, batch, dtype)


def gpu_spec(gpu: str, field: str) -> str:
    """A datasheet figure of a GPU preset: gpu_spec("h100-sxm", "bandwidth") -> 3.35 TB/s."""
    g = _gpu(gpu)
    if field == "name":
        return g.name
    if field == "memory":
        return formulas.fmt_bytes(g.memory)
    if field == "bandwidth":
        return formulas.fmt_bytes(g.bandwidth) + "/s"
    if field in ("bf16", "fp8"):
        return f"{formulas._sig(_peak(g, field) / 1e12)} TFLOPS"
    raise ValueError(f"unknown GPU field '{field}': use name, memory, bandwidth, bf16 or fp8")


def kv_per_gpu(model: str, seq: int, batch: int = 1, tp: int = 1, dtype: str = "fp16") -> str:
    """KV cache on one card under tensor parallelism tp (replicated once tp > n_kv)."""
    total = _kv_bytes(model, seq, batch, dtype)
    return formulas.fmt_bytes(formulas.kv_cache_per_gpu(total, _model(model).kv_heads, tp))


def _kv_room(model: str | float, gpu: str, tp: int, wbytes: float, usable: float) -> float:
    room = formulas.kv_room_per_gpu(_count(model) * wbytes, _gpu(gpu).memory, tp, usable)
    if room <= 0:
        raise ValueError(f"weights of {model} at {wbytes} bytes/parameter do not fit on {tp} × {gpu}")
    return room


def kv_room(model: str | float, gpu: str, tp: int = 1, wbytes: float = 2, usable: float = 0.9) -> str:
    """Memory left for KV cache on each card after its share of the weights."""
    return formulas.fmt_bytes(_kv_room(model, gpu, tp, wbytes, usable))


def max_seqs(model: str, gpu: str, seq: int, tp: int = 1, wbytes: float = 2, dtype: str = "fp16", usable: float = 0.9) -> str:
    """How many sequences of length seq fit in the KV room of a tp-card replica."""
    per_seq = formulas.kv_cache_per_gpu(_kv_bytes(model, seq, 1, dtype), _model(model).kv_heads, tp)
    return f"{math.floor(_kv_room(model, gpu, tp, wbytes, usable) / per_seq):,}"


def gpus_for(model: str, gpu: str, seq: int = 0, batch: int = 0, wbytes: float = 2, dtype: str = "fp16", usable: float = 0.9) -> str:
    """Fewest cards that hold the weights plus the KV cache of batch sequences of length seq."""
    total = _count(model) * wbytes + (_kv_bytes(model, seq, batch, dtype) if seq and batch else 0)
    return str(formulas.gpus_needed(total, _gpu(gpu).memory, usable))


def _decode_seconds(model: str, gpu: str, seq: int, batch: int, tp: int, wbytes: float, dtype: str) -> float:
    kv = formulas.kv_cache_per_gpu(_kv_bytes(model, seq, batch, dtype), _model(model).kv_heads, tp) if seq else 0
    return formulas.decode_step_seconds(_count(model) * wbytes / tp + kv, _gpu(gpu).bandwidth)


def decode_ms(model: str, gpu: str, seq: int = 0, batch: int = 1, tp: int = 1, wbytes: float = 2, dtype: str = "fp16", steps: int = 1) -> str:
    """Memory-bound lower bound of one decode step (or of `steps` steps at the same context):
    bytes each card reads / HBM bandwidth."""
    return formulas.fmt_seconds(steps * _decode_seconds(model, gpu, seq, batch, tp, wbytes, dtype))


def decode_rate(model: str, gpu: str, seq: int = 0, batch: int = 1, tp: int = 1, wbytes: float = 2, dtype: str = "fp16") -> str:
    """Upper bound on generated tokens per second of one replica: batch / decode step time."""
    return f"{round(batch / _decode_seconds(model, gpu, seq, batch, tp, wbytes, dtype)):,}"


def prefill_time(model: str | float, gpu: str, tokens: int, tp: int = 1, mfu: float = 0.5, dtype: str = "bf16") -> str:
    """Compute-bound prefill of `tokens` prompt tokens on tp cards at a given MFU."""
    return formulas.fmt_seconds(formulas.prefill_seconds(_count(model), tokens, _peak(_gpu(gpu), dtype) * tp, mfu))


def prefill_cards(model: str | float, gpu: str, tokens_per_second: float, mfu: float = 0.5, dtype: str = "bf16") -> str:
    """Cards whose whole compute goes to prefill of the arriving prompt tokens, e.g. 6."""
    return str(formulas.prefill_gpus(_count(model), tokens_per_second, _peak(_gpu(gpu), dtype), mfu))


def chain_success(p: float, steps: int) -> str:
    """Share of tasks whose `steps` independent steps all succeed, e.g. 0.95 and 10 -> 60%."""
    return formulas.fmt_percent(formulas.all_steps_succeed(p, steps))


def qlora_base(model: str) -> str:
    """Memory of a frozen QLoRA backbone (NF4 linear layers, 16-bit embedding and head)."""
    return formulas.fmt_bytes(formulas.qlora_frozen_bytes(_model(model)))


def concurrent(qps: float, seconds: float) -> str:
    """Little's law: requests in flight."""
    return f"{round(formulas.concurrency(qps, seconds)):,}"


def gpu_hours(model: str | float, tokens: float, gpu: str, mfu: float) -> str:
    """GPU-hours of a 6ND training run at a given MFU, e.g. 184K."""
    return formulas.fmt_count(formulas.training_gpu_hours(formulas.train_flops(_count(model), tokens), _gpu(gpu).bf16, mfu))


def mfu(tokens_per_second: float, model: str | float, gpus: int, gpu: str) -> str:
    """Model FLOPs utilisation in percent from a measured training throughput."""
    return formulas._sig(100 * formulas.model_flops_utilization(tokens_per_second, _count(model), gpus, _gpu(gpu).bf16)) + "%"


def train_days(model: str | float, tokens: float, gpu: str, gpus: int, mfu: float) -> str:
    """Wall-clock days of a 6ND run on `gpus` cards."""
    return formulas._sig(formulas.training_days(formulas.train_flops(_count(model), tokens), gpus, _gpu(gpu).bf16, mfu))


def train_time(model: str | float, tokens: float, gpu: str, gpus: int, mfu: float) -> str:
    """Wall-clock time of a 6ND run on `gpus` cards, in minutes or hours (train_days for long runs)."""
    days = formulas.training_days(formulas.train_flops(_count(model), tokens), gpus, _gpu(gpu).bf16, mfu)
    return formulas.fmt_seconds(days * 86400)


def train_cost(model: str | float, tokens: float, gpu: str, mfu: float, price: float) -> str:
    """Money for a 6ND run at `price` dollars per GPU-hour, e.g. $368K."""
    hours = formulas.training_gpu_hours(formulas.train_flops(_count(model), tokens), _gpu(gpu).bf16, mfu)
    return "$" + formulas.fmt_count(hours * price)


def ckpt_interval(save_seconds: float, mtbf_seconds: float) -> str:
    """Young's optimal checkpoint interval."""
    return formulas.fmt_seconds(formulas.checkpoint_interval_seconds(save_seconds, mtbf_seconds))


def hnsw_memory(vectors: float, dim: int, m: int = 32, bytes_per_dim: float = 4) -> str:
    """Memory of a FAISS HNSW index (vectors plus bottom-layer links)."""
    return formulas.fmt_bytes(formulas.hnsw_bytes(vectors, dim, m, bytes_per_dim))


def ab_users(p: float, delta: float, alpha: float = 0.05, power: float = 0.8) -> str:
    """Users per arm of an A/B test on a rate p to detect an absolute change delta."""
    return f"{formulas.ab_sample_size(p, delta, alpha, power):,}"


def ci_points(p: float, n: int) -> str:
    """Half-width of the 95% interval of an accuracy p on n questions, in percentage points."""
    return formulas._sig(100 * formulas.accuracy_ci_halfwidth(p, n))


def lora_memory(model: str, seq: int, qlora: bool = False, adapter_params: float = 40e6) -> str:
    """Peak memory of LoRA (or QLoRA) fine-tuning at batch 1 with activation checkpointing."""
    return formulas.fmt_bytes(formulas.lora_train_bytes(_model(model), seq, 1, qlora, adapter_params))


def lora_max_seq(model: str, gpu_gb: float = 24, qlora: bool = False, adapter_params: float = 40e6) -> str:
    """Longest power-of-two sequence that LoRA (or QLoRA) fine-tuning fits on a card, e.g. 16K."""
    s = formulas.lora_max_seq(_model(model), gpu_gb * 1e9, qlora, adapter_params)
    return f"{s // 1024}K" if s >= 1024 else str(s)


def question_count() -> int:
    """Number of questions on the site."""
    return len(_registry().questions)


NUMBER_MACROS = {
    f.__name__: f
    for f in (
        params, model_memory, bytes_of, kv_cache, act_memory, train_flops, attn_flops,
        vis_tokens, vid_tokens, vit_size, projector_size, visual_share, sim_matrix,
        vlm_params, vlm_weights, vit_flops, prefill_flops,
        gpu_spec, kv_per_gpu, kv_room, max_seqs, gpus_for, decode_ms, decode_rate, prefill_time, prefill_cards, concurrent,
        gpu_hours, mfu, train_days, train_time, train_cost, ckpt_interval, hnsw_memory, ab_users, ci_points,
        lora_memory, lora_max_seq, chain_success, qlora_base,
    )
}


def render_text(text: str, src: str) -> str:
    """Render the macros in a snippet (a 速答 line) outside a page build, as the page would."""
    if "{{" not in text and "{%" not in text and "{#" not in text:
        return text  # nothing for Jinja to do (most 速答)
    import jinja2

    from kb import jinja_guard

    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    env.globals.update(NUMBER_MACROS, q=lambda qid: question_link(qid, src), question_count=question_count)
    return env.from_string(jinja_guard.protect(text)).render()  # code and math keep their braces


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
    # never narrower than the width at which its smallest text is FIGURE_MIN_TEXT_PX: on a phone
    # the figure scrolls sideways inside its box instead of shrinking below legibility
    return render.figure(name, caption, svg, figure_min_width(svg))  # overrides/partials/kb-figure.html


FIGURE_MIN_TEXT_PX = 9.5  # a little above the 9 px floor, for rounding and hairline strokes


def figure_min_width(svg: str) -> int:
    """CSS px width at which the smallest font-size in an SVG (in viewBox units) renders at FIGURE_MIN_TEXT_PX."""
    box = re.search(r'viewBox="[\d.\s-]+?\s([\d.]+)\s+[\d.]+"', svg)
    sizes = [float(v) for v in re.findall(r'font-size="([\d.]+)"', svg)] or [16.0]
    width = float(box.group(1)) if box else 640.0
    return math.ceil(width * FIGURE_MIN_TEXT_PX / min(sizes))


def cheatsheet(from_src: str) -> str:
    """速记表 (kb/lists.py), each 速答 with its number macros rendered."""
    return lists.cheatsheet(from_src, lambda md: render_text(md, from_src))


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
    def study_path_list() -> str:
        """学习路径 cards (by role and by time) with the reader's progress, for the home page."""
        return study_paths(env.page.file.src_uri, env.conf["docs_dir"], env.conf["nav"])

    @env.macro
    def study_path_pages() -> str:
        """Every study path in full, for docs/paths.md."""
        return study_path_lists(env.page.file.src_uri, env.conf["docs_dir"], env.conf["nav"])

    @env.macro
    def pdfs() -> str:
        """Links to the PDF editions when this build has them."""
        return pdf_links(env.page.file.src_uri, env.conf["docs_dir"])

    @env.macro
    def tags_page() -> str:
        """The tag index and one section per tag (docs/tags.md)."""
        return tag_index(env.page.file.src_uri)

    @env.macro
    def figure(name: str, caption: str) -> str:
        """A diagram or plot from docs/assets/figures/<name>.svg, inlined, with a caption."""
        return figure_html(name, caption, env.conf["docs_dir"])

    @env.macro
    def model_presets() -> str:
        """The calculator's presets (docs/assets/data/models.json) inlined in the page."""
        return model_presets_html()

    @env.macro
    def model_sources() -> str:
        """The source of every calculator preset, as a list of links."""
        return model_sources_md()

    env.macro(question_count)
    for name, func in NUMBER_MACROS.items():
        env.macro(func, name)
