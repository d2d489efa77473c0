"""Formulas behind every number the site quotes: parameters, memory, KV cache, FLOPs.

Pure functions over plain numbers and a `ModelSpec`; `hooks/macros.py` wraps them
as macros, `docs/assets/javascripts/calculator.js` implements the same formulas,
and `tests/test_formulas.py` pins both to published figures.

Units: bytes and FLOPs as plain numbers; `fmt_bytes` prints decimal GB (10^9),
as the ZeRO paper does.
"""

from __future__ import annotations

import json
import math
import pathlib
from dataclasses import dataclass
from statistics import NormalDist

MODELS_JSON = pathlib.Path(__file__).resolve().parent.parent / "docs" / "assets" / "data" / "models.json"

DTYPE_BYTES = {"fp32": 4, "tf32": 4, "fp16": 2, "bf16": 2, "fp8": 1, "int8": 1, "int4": 0.5}


@dataclass(frozen=True)
class ModelSpec:
    name: str
    vocab: int
    d_model: int
    layers: int
    heads: int
    kv_heads: int
    ffn: int
    ffn_type: str = "swiglu"  # "swiglu" (three matrices) or "mlp" (two)
    norm: str = "rmsnorm"  # "rmsnorm" (weight) or "layernorm" (weight and bias)
    bias: bool | str = False  # True: every linear layer; "qkv": only Q, K, V projections
    tied: bool = False  # output layer shares the embedding matrix
    learned_pos: int = 0  # rows of a learned absolute position table (0: none, e.g. RoPE)
    source: str = ""
    # mixture of experts (0: dense): routed experts per MoE layer, how many a token uses, experts
    # every token uses, their FFN width (0: ffn), and leading dense layers (DeepSeek's first_k_dense_replace)
    experts: int = 0
    experts_active: int = 0
    shared_experts: int = 0
    moe_ffn: int = 0
    dense_layers: int = 0
    # multi-head latent attention (kv_lora_rank 0: ordinary MHA/GQA): DeepSeek-V2/V3 config names
    kv_lora_rank: int = 0
    q_lora_rank: int = 0
    qk_nope_dim: int = 0
    qk_rope_dim: int = 0
    v_head_dim: int = 0
    card: str = ""  # the figures the model card states (total / activated parameters), for the test

    @property
    def head_dim(self) -> int:
        return self.d_model // self.heads


def load_models(path: pathlib.Path = MODELS_JSON) -> dict[str, ModelSpec]:
    data = json.loads(path.read_text("utf-8"))
    return {key: ModelSpec(**value) for key, value in data.items() if not key.startswith("_")}


def linear_shapes(m: ModelSpec) -> dict[str, list[tuple[int, int, int]]]:
    """Every weight matrix of the model as (in, out, copies in the whole model), by group:
    "attn" (per layer), "ffn" (every FFN, every expert counted), "ffn_active" (what one token
    uses). MLA (DeepSeek-V2/V3): q_a (d -> q_lora), q_b (q_lora -> h(nope + rope)), kv_a
    (d -> kv_lora + rope), kv_b (kv_lora -> h(nope + v)), o (h·v -> d)."""
    d, hd, L = m.d_model, m.head_dim, m.layers
    if m.kv_lora_rank:
        qk = m.heads * (m.qk_nope_dim + m.qk_rope_dim)
        q = [(d, m.q_lora_rank, L), (m.q_lora_rank, qk, L)] if m.q_lora_rank else [(d, qk, L)]
        attn = q + [(d, m.kv_lora_rank + m.qk_rope_dim, L), (m.kv_lora_rank, m.heads * (m.qk_nope_dim + m.v_head_dim), L),
                    (m.heads * m.v_head_dim, d, L)]
    else:
        attn = [(d, m.heads * hd, L), (d, m.kv_heads * hd, L), (d, m.kv_heads * hd, L), (m.heads * hd, d, L)]
    mats = 3 if m.ffn_type == "swiglu" else 2

    def ffn(width: int, copies: int) -> list[tuple[int, int, int]]:
        return [(d, width, copies)] * (mats - 1) + [(width, d, copies)] if copies else []

    if not m.experts:
        return {"attn": attn, "ffn": ffn(m.ffn, L), "ffn_active": ffn(m.ffn, L)}
    moe_layers, width = L - m.dense_layers, m.moe_ffn or m.ffn
    dense = ffn(m.ffn, m.dense_layers)
    return {
        "attn": attn,
        "ffn": dense + ffn(width, moe_layers * (m.experts + m.shared_experts)),
        "ffn_active": dense + ffn(width, moe_layers * (m.experts_active + m.shared_experts)),
    }


def param_count(m: ModelSpec, active: bool = False) -> int:
    """Parameters of a decoder-only Transformer, counted matrix by matrix; `active`: those one
    token uses (a mixture of experts counts the experts it is routed to, the shared ones and the
    router; embeddings and output layer included, as the model cards count them)."""
    d = m.d_model
    shapes = linear_shapes(m)
    attn = sum(i * o * n for i, o, n in shapes["attn"]) // m.layers
    if m.kv_lora_rank:
        attn += m.kv_lora_rank + m.q_lora_rank  # the RMSNorms on the compressed q and kv
    else:
        hd = m.head_dim
        q_out, kv_out = m.heads * hd, m.kv_heads * hd
        if m.bias is True:
            attn += q_out + 2 * kv_out + d
        elif m.bias == "qkv":
            attn += q_out + 2 * kv_out
    ffn = sum(i * o * n for i, o, n in shapes["ffn_active" if active else "ffn"])
    if m.ffn_type != "swiglu" and m.bias is True:
        ffn += m.layers * (m.ffn + d)
    router = (m.layers - m.dense_layers) * d * m.experts if m.experts else 0
    norm = 2 * d if m.norm == "layernorm" else d
    embed = m.vocab * d + m.learned_pos * d
    head = 0 if m.tied else m.vocab * d
    return m.layers * (attn + 2 * norm) + ffn + router + embed + head + norm


def model_state_bytes(params: float, zero_stage: int = 0, gpus: int = 1) -> float:
    """Mixed-precision Adam model states per GPU: 2Φ fp16 weights + 2Φ fp16 grads + 12Φ fp32
    (master weights, momentum, variance) = 16Φ, partitioned as in ZeRO (Rajbhandari et al. 2020)."""
    if zero_stage not in (0, 1, 2, 3):
        raise ValueError("zero_stage must be 0, 1, 2 or 3")
    weights, grads, optim = 2 * params, 2 * params, 12 * params
    if zero_stage >= 1:
        optim /= gpus
    if zero_stage >= 2:
        grads /= gpus
    if zero_stage >= 3:
        weights /= gpus
    return weights + grads + optim


def activation_bytes_per_layer(seq: int, batch: int, d_model: int, heads: int, recompute: str = "none", tp: int = 1) -> float:
    """Activation memory of one Transformer layer in 16-bit training (Korthikanti et al. 2022, Eq. 1-2).

    none: s·b·h·(34 + 5·a·s/h); selective (recompute attention scores): 34·s·b·h;
    full (keep only the layer input): 2·s·b·h. Tensor parallelism t divides the first two by t
    (with sequence parallelism, as in the paper's Eq. 5-6)."""
    sbh = seq * batch * d_model
    if recompute == "none":
        return sbh * (34 + 5 * heads * seq / d_model) / tp
    if recompute == "selective":
        return 34 * sbh / tp
    if recompute == "full":
        return 2 * sbh
    raise ValueError("recompute must be 'none', 'selective' or 'full'")


def kv_cache_bytes(layers: int, kv_heads: int, head_dim: int, seq: int, batch: int = 1, dtype: str = "fp16") -> float:
    """K and V for every layer, KV head, position and sequence: 2·b·s·L·n_kv·d_head·bytes."""
    return 2 * batch * seq * layers * kv_heads * head_dim * DTYPE_BYTES[dtype]


def train_flops(params: float, tokens: float) -> float:
    """The 6N-per-token rule: forward 2N, backward 4N FLOPs per token (Kaplan et al. 2020)."""
    return 6 * params * tokens


def attention_flops(seq: int, d_model: int) -> float:
    """Forward FLOPs of one self-attention layer over s tokens: projections 8·s·d² (Q, K, V, O)
    plus scores QKᵀ and the weighted sum AV, 2·s²·d each (a multiply-add counts as 2)."""
    return 8 * seq * d_model**2 + 4 * seq**2 * d_model


# --- serving and cost ---
# Lower bounds and budgets for design questions: how many cards, how fast one decode step can be,
# how long and how much a training run costs. Every function states the one assumption it makes.

GPUS_JSON = MODELS_JSON.with_name("gpus.json")


@dataclass(frozen=True)
class GpuSpec:
    name: str
    memory: float  # bytes of HBM
    bandwidth: float  # HBM bytes per second
    bf16: float  # dense BF16 Tensor Core FLOP/s (no 2:4 sparsity)
    fp8: float = 0  # dense FP8 FLOP/s, 0 where the card has no FP8 Tensor Cores
    source: str = ""


def load_gpus(path: pathlib.Path = GPUS_JSON) -> dict[str, GpuSpec]:
    data = json.loads(path.read_text("utf-8"))
    return {key: GpuSpec(**value) for key, value in data.items() if not key.startswith("_")}


def kv_cache_per_gpu(kv_bytes: float, kv_heads: int, tp: int) -> float:
    """KV cache held by one card under tensor parallelism t: KV heads are split across cards,
    and once t exceeds n_kv each head is replicated, so the share stops shrinking at 1/n_kv."""
    return kv_bytes / min(tp, kv_heads)


def kv_room_per_gpu(weight_bytes: float, gpu_memory: float, tp: int = 1, usable: float = 0.9) -> float:
    """Bytes left for KV cache on each card: the usable fraction of HBM (vLLM's
    gpu_memory_utilization, 0.9 by default) minus this card's 1/t share of the weights.
    An upper bound: vLLM also subtracts the activation peak it measures in a dry run."""
    return gpu_memory * usable - weight_bytes / tp


def gpus_needed(total_bytes: float, gpu_memory: float, usable: float = 0.9) -> int:
    """Fewest cards whose usable memory holds `total_bytes` (weights + KV cache)."""
    return math.ceil(total_bytes / (gpu_memory * usable))


def decode_step_seconds(bytes_read: float, bandwidth: float) -> float:
    """Memory-bound lower bound of one decode step: every weight and KV byte a card holds is read
    from HBM once per step, so time >= bytes / bandwidth (real kernels reach about 60-80% of it)."""
    return bytes_read / bandwidth


def prefill_seconds(params: float, tokens: int, peak_flops: float, mfu: float = 0.5) -> float:
    """Compute-bound prefill: 2 FLOPs per parameter per token (attention scores ignored, fine
    while s is well below 6·d_model) at a fraction `mfu` of the cards' peak."""
    return 2 * params * tokens / (peak_flops * mfu)


def prefill_gpus(params: float, tokens_per_second: float, peak_flops: float, mfu: float = 0.5) -> int:
    """Cards kept busy by prefill alone: one second of arriving prompt tokens at 2 FLOPs per
    parameter per token, divided by one card's peak × MFU, rounded up."""
    return math.ceil(prefill_seconds(params, tokens_per_second, peak_flops, mfu))


def all_steps_succeed(p: float, steps: int) -> float:
    """Probability that `steps` independent steps, each succeeding with probability p, all succeed: p^n."""
    return p**steps


def concurrency(qps: float, seconds_per_request: float) -> float:
    """Little's law: requests in flight = arrival rate × time each spends in the system."""
    return qps * seconds_per_request


def training_gpu_hours(flops: float, peak_flops: float, mfu: float) -> float:
    """GPU-hours of a run: FLOPs / (peak per card × MFU) / 3600."""
    return flops / (peak_flops * mfu) / 3600


def model_flops_utilization(tokens_per_second: float, params: float, gpus: int, peak_flops: float) -> float:
    """MFU (PaLM's definition): 6N FLOPs per token actually processed, over the cards' peak;
    recomputation is not counted (that would be HFU)."""
    return tokens_per_second * 6 * params / (gpus * peak_flops)


def training_days(flops: float, gpus: int, peak_flops: float, mfu: float) -> float:
    """Wall-clock days on `gpus` cards, ignoring restarts (add them separately)."""
    return training_gpu_hours(flops, peak_flops, mfu) / gpus / 24


def checkpoint_interval_seconds(save_seconds: float, mtbf_seconds: float) -> float:
    """Young (1974): the interval between checkpoints that minimises lost time is
    sqrt(2 · time to save · mean time between failures)."""
    return math.sqrt(2 * save_seconds * mtbf_seconds)


def hnsw_bytes(vectors: float, dim: int, m: int = 32, bytes_per_dim: float = 4) -> float:
    """FAISS IndexHNSWFlat: each vector stores its d components plus 2M neighbour ids of 4 bytes
    on the bottom layer (the faiss wiki's (d·4 + M·2·4) bytes per vector for fp32)."""
    return vectors * (dim * bytes_per_dim + 2 * m * 4)


def ab_sample_size(p: float, delta: float, alpha: float = 0.05, power: float = 0.8) -> int:
    """Users per arm to detect an absolute change `delta` in a rate near `p` with a two-sided
    test at level alpha: n = 2 (z_{1-alpha/2} + z_power)^2 p(1-p) / delta^2."""
    z = NormalDist().inv_cdf
    return math.ceil(2 * (z(1 - alpha / 2) + z(power)) ** 2 * p * (1 - p) / delta**2)


def accuracy_ci_halfwidth(p: float, n: int, z: float = 1.96) -> float:
    """Half-width of the normal-approximation 95% interval of an accuracy p measured on n
    independent questions: z · sqrt(p(1-p)/n)."""
    return z * math.sqrt(p * (1 - p) / n)


def qlora_frozen_bytes(m: ModelSpec) -> float:
    """Frozen QLoRA backbone: linear layers in NF4 with double-quantised constants,
    0.5 + 0.127/8 bytes/parameter (Dettmers et al. 2023); the embedding and untied output
    matrices (V·d each) stay in 16-bit, as bitsandbytes leaves them."""
    embed_head = m.vocab * m.d_model * (1 if m.tied else 2)
    return (param_count(m) - embed_head) * (0.5 + 0.127 / 8) + embed_head * 2


def lora_train_bytes(m: ModelSpec, seq: int, batch: int = 1, qlora: bool = False, adapter_params: float = 40e6) -> float:
    """Peak memory of LoRA / QLoRA fine-tuning with full activation checkpointing and
    FlashAttention, counted term by term:
    - frozen backbone: 2 bytes/parameter (LoRA) or NF4 with double-quantised constants,
      0.5 + 0.127/8 bytes/parameter (QLoRA, Dettmers et al. 2023), with the embedding and
      untied output matrices (2·V·d) left in 16-bit as bitsandbytes does;
    - adapters with mixed-precision Adam: 16 bytes/parameter;
    - per token: the bf16 input of every layer kept as a checkpoint (2·d·L), one layer's
      activations while it is recomputed (34·d, Korthikanti et al. without the s² scores), and
      fp32 logits plus their gradient (8·V)."""
    frozen = qlora_frozen_bytes(m) if qlora else param_count(m) * 2
    per_token = 2 * m.d_model * m.layers + 34 * m.d_model + 8 * m.vocab
    return frozen + 16 * adapter_params + seq * batch * per_token


def lora_max_seq(m: ModelSpec, gpu_memory: float, qlora: bool = False, adapter_params: float = 40e6, usable: float = 0.9) -> int:
    """Longest power-of-two sequence (batch 1) whose `lora_train_bytes` fits in the usable memory."""
    s = 0
    while lora_train_bytes(m, 2 ** (s + 1), 1, qlora, adapter_params) <= gpu_memory * usable:
        s += 1
    if s == 0:
        raise ValueError(f"{m.name}: not even a 2-token sequence fits in {gpu_memory / 1e9:.0f} GB")
    return 2**s


# --- calculator modes (docs/assets/javascripts/calculator.js mirrors these) ---

LORA_TARGETS = {"qv": "Q、V（LoRA 论文）", "attn": "注意力全部投影", "all": "全部线性层（注意力 + FFN）"}
NF4_BYTES = 0.5 + 0.127 / 8  # QLoRA: 4-bit NF4 plus double-quantised constants, 0.127 bit/parameter (block 64)


def lora_adapter_params(m: ModelSpec, rank: int, targets: str = "all") -> int:
    """LoRA parameters: r·(in + out) for every adapted matrix. "qv": the query and value
    projections (Hu et al. 2021; with MLA q_a, q_b and kv_b); "attn": every attention projection;
    "all": attention and every FFN matrix (QLoRA's choice), every expert included."""
    shapes = linear_shapes(m)
    attn = shapes["attn"]
    if targets == "qv":
        attn = attn[:-3] + [attn[-2]] if m.kv_lora_rank else [attn[0], attn[2]]
    mats = attn + (shapes["ffn"] if targets == "all" else [])
    if targets not in LORA_TARGETS:
        raise ValueError(f"targets must be one of {', '.join(LORA_TARGETS)}")
    return sum(rank * (i + o) * n for i, o, n in mats)


def lora_memory(m: ModelSpec, seq: int, batch: int, rank: int, targets: str = "all", qlora: bool = False,
                checkpointing: bool = True) -> dict[str, float]:
    """LoRA / QLoRA fine-tuning memory, term by term (lora_train_bytes with the adapter count
    derived from rank and targets, and the choice of activation checkpointing):
    frozen weights 2 bytes/param, or NF4 for every matrix outside the embedding and untied output
    layer; adapters in bf16 with bf16 gradients (4 bytes/param) and fp32 master copy plus Adam
    m and v (12 bytes/param); activations per token with checkpointing 2·d·L + 34·d, without
    34·d·L (FlashAttention, no s² scores), plus fp32 logits and their gradient 8·V."""
    params, adapters = param_count(m), lora_adapter_params(m, rank, targets)
    if qlora:
        embed_head = m.vocab * m.d_model * (1 if m.tied else 2)
        frozen = (params - embed_head) * NF4_BYTES + embed_head * 2
    else:
        frozen = params * 2
    layer = 2 * m.d_model * m.layers + 34 * m.d_model if checkpointing else 34 * m.d_model * m.layers
    act = seq * batch * (layer + 8 * m.vocab)
    out = {"frozen": frozen, "adapter_params": adapters, "adapters": 4 * adapters, "optimizer": 12 * adapters, "activations": act}
    out["total"] = frozen + out["adapters"] + out["optimizer"] + act
    return out


def full_finetune_memory(m: ModelSpec, seq: int, batch: int, zero_stage: int = 0, gpus: int = 1, recompute: str = "none") -> dict[str, float]:
    """Full fine-tuning with mixed-precision Adam, per card: model states (ZeRO) plus every
    layer's activations (Korthikanti et al.), without tensor parallelism."""
    params = param_count(m)
    w, g, o = 2 * params, 2 * params, 12 * params
    if zero_stage >= 1:
        o /= gpus
    if zero_stage >= 2:
        g /= gpus
    if zero_stage >= 3:
        w /= gpus
    act = activation_bytes_per_layer(seq, batch, m.d_model, m.heads, recompute) * m.layers
    return {"weights": w, "grads": g, "optimizer": o, "activations": act, "total": w + g + o + act}


def kv_bytes_per_token(m: ModelSpec, dtype: str = "fp16") -> float:
    """KV cache of one token over all layers: 2·L·n_kv·d_head elements, or with MLA the
    compressed latent plus the decoupled RoPE key, L·(d_c + d_rope) (DeepSeek-V2)."""
    per_layer = m.kv_lora_rank + m.qk_rope_dim if m.kv_lora_rank else 2 * m.kv_heads * m.head_dim
    return m.layers * per_layer * DTYPE_BYTES[dtype]


def serving_memory(m: ModelSpec, seq: int, concurrent: int, weight_dtype: str = "bf16", kv_dtype: str = "bf16") -> dict[str, float]:
    """Weights at a precision plus the KV cache of `concurrent` sequences of `seq` tokens;
    activations and the framework's buffers are not counted (vLLM keeps 10% aside: gpus_needed)."""
    weights = param_count(m) * DTYPE_BYTES[weight_dtype]
    kv = kv_bytes_per_token(m, kv_dtype) * seq * concurrent
    return {"weights": weights, "kv": kv, "total": weights + kv}


def training_time(params: float, tokens: float, gpus: int, peak_flops: float, mfu: float) -> dict[str, float]:
    """6ND FLOPs (N: parameters a token uses) and the wall-clock at a given MFU."""
    flops = train_flops(params, tokens)
    hours = training_gpu_hours(flops, peak_flops, mfu)
    return {"flops": flops, "gpu_hours": hours, "days": hours / gpus / 24}


SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def fmt_sci(n: float) -> str:
    """8.09 × 10²² (Unicode superscripts: reads right as text, in a table cell and to a screen reader)."""
    mantissa, exponent = f"{n:.2e}".split("e")
    return f"{mantissa} × 10{str(int(exponent)).translate(SUPERSCRIPT)}"


def fmt_flop_si(n: float) -> str:
    """FLOPs in SI prefixes: 80.9 ZFLOPs."""
    for unit, size in (("YFLOPs", 1e24), ("ZFLOPs", 1e21), ("EFLOPs", 1e18), ("PFLOPs", 1e15), ("TFLOPs", 1e12), ("GFLOPs", 1e9)):
        if n >= size:
            return f"{_sig(n / size)} {unit}"
    return f"{n:.0f} FLOPs"


def fmt_tokens(n: float) -> str:
    """Token counts with a space before the unit: 1.2 T tokens."""
    for unit, size in (("T", 1e12), ("B", 1e9), ("M", 1e6), ("K", 1e3)):
        if n >= size:
            return f"{_sig(n / size)} {unit} tokens"
    return f"{n:.0f} tokens"


def fmt_bytes(n: float) -> str:
    """Decimal units: 1 GB = 10^9 bytes."""
    for unit, size in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if n >= size:
            return f"{_sig(n / size)} {unit}"
    return f"{n:.0f} B"


def fmt_count(n: float) -> str:
    for unit, size in (("T", 1e12), ("B", 1e9), ("M", 1e6), ("K", 1e3)):
        if n >= size:
            return f"{_sig(n / size)}{unit}"
    return f"{n:.0f}"


def fmt_flops(n: float) -> str:
    """FLOPs in answers: 5.88 × 10²³ (as fmt_sci)."""
    return fmt_sci(n)


def fmt_seconds(t: float) -> str:
    """Milliseconds below a second, seconds below a minute, then minutes and hours."""
    if t < 1:
        return f"{_sig(t * 1000)} ms"
    if t < 60:
        return f"{_sig(t)} s"
    if t < 3600:
        return f"{_sig(t / 60)} min"
    return f"{_sig(t / 3600)} h"


def _sig(x: float) -> str:
    """Three significant figures, no trailing zeros."""
    if x >= 100:
        return f"{x:.0f}"
    if x >= 10:
        return f"{x:.1f}".rstrip("0").rstrip(".")
    return f"{x:.2f}".rstrip("0").rstrip(".")


# --- multimodal ---


def visual_tokens(height: int, width: int, patch: int, merge: int = 1) -> int:
    """Visual tokens of one image: N_v = (H/P)·(W/P) patches, divided by merge² when merge×merge
    neighbours become one token (Qwen2-VL's 2×2 MLP merger, InternVL's pixel shuffle).
    A ViT's [CLS] token and any special tokens are not counted."""
    if height % patch or width % patch:
        raise ValueError(f"image {height}×{width} is not a multiple of the patch size {patch}")
    grid_h, grid_w = height // patch, width // patch
    if grid_h % merge or grid_w % merge:
        raise ValueError(f"patch grid {grid_h}×{grid_w} is not a multiple of the merge factor {merge}")
    return (grid_h // merge) * (grid_w // merge)


def video_tokens(frames: int, tokens_per_frame: int, temporal_patch: int = 1) -> int:
    """Visual tokens of a clip: frames / temporal_patch groups (Qwen2-VL's 3D patches span 2 frames)
    times the tokens of one frame."""
    if frames % temporal_patch:
        raise ValueError(f"{frames} frames are not a multiple of the temporal patch {temporal_patch}")
    return frames // temporal_patch * tokens_per_frame


def vit_params(layers: int, width: int, mlp: int, patch: int, positions: int, channels: int = 3) -> int:
    """Parameters of a ViT encoder with biases and pre-LayerNorm (Dosovitskiy et al. 2020):
    patch embedding P²·C·d + d, [CLS] d, a learned position table, per layer 4d²+4d (attention)
    + 2·d·d_mlp + d_mlp + d (MLP) + 4d (two LayerNorms), final LayerNorm 2d. No classification head."""
    per_layer = 4 * width**2 + 4 * width + 2 * width * mlp + mlp + width + 4 * width
    embed = patch * patch * channels * width + width + width + positions * width
    return layers * per_layer + embed + 2 * width


def mlp_projector_params(d_vision: int, d_model: int, layers: int = 2) -> int:
    """LLaVA-style projector W_p: one linear layer (LLaVA) or Linear-GELU-Linear (LLaVA-1.5), with biases."""
    if layers == 1:
        return d_vision * d_model + d_model
    if layers == 2:
        return d_vision * d_model + d_model + d_model * d_model + d_model
    raise ValueError("layers must be 1 or 2")


def token_share(visual: int, text: int) -> float:
    """Share of visual tokens in a prompt; KV cache and the linear part of prefill FLOPs grow
    in proportion to tokens, so it is also their share of those costs."""
    return visual / (visual + text)


def similarity_matrix_bytes(batch: int, dtype: str = "fp32") -> float:
    """The full b×b image-text logit matrix of one contrastive step (CLIP, SigLIP) if one device held it."""
    return batch * batch * DTYPE_BYTES[dtype]


def fmt_int(n: int) -> str:
    """An exact count with thousands separators: 16,384."""
    return f"{n:,}"


def fmt_percent(x: float) -> str:
    return f"{100 * x:.0f}%" if x * 100 >= 10 else f"{100 * x:.1f}%"


def forward_flops(params: float, tokens: int) -> float:
    """Forward FLOPs of the matrix multiplies, 2·N per token (attention scores not included)."""
    return 2 * params * tokens
