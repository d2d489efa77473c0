"""Formulas behind every number the site quotes: parameters, memory, KV cache, FLOPs.

Pure functions over plain numbers and a `ModelSpec`; `hooks/macros.py` wraps them
as macros, `docs/assets/javascripts/calculator.js` implements the same formulas,
and `tests/test_formulas.py` pins both to published figures.

Units: bytes and FLOPs as plain numbers; `fmt_bytes` prints decimal GB (10^9),
as the ZeRO paper does.
"""

from __future__ import annotations

import json
import pathlib
from dataclasses import dataclass

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

    @property
    def head_dim(self) -> int:
        return self.d_model // self.heads


def load_models(path: pathlib.Path = MODELS_JSON) -> dict[str, ModelSpec]:
    data = json.loads(path.read_text("utf-8"))
    return {key: ModelSpec(**value) for key, value in data.items() if not key.startswith("_")}


def param_count(m: ModelSpec) -> int:
    """Parameters of a decoder-only Transformer, counted matrix by matrix."""
    d, hd = m.d_model, m.head_dim
    q_out, kv_out = m.heads * hd, m.kv_heads * hd
    attn = d * q_out + 2 * d * kv_out + q_out * d
    if m.bias is True:
        attn += q_out + 2 * kv_out + d
    elif m.bias == "qkv":
        attn += q_out + 2 * kv_out
    if m.ffn_type == "swiglu":
        ffn = 3 * d * m.ffn
    else:
        ffn = 2 * d * m.ffn + ((m.ffn + d) if m.bias is True else 0)
    norm = 2 * d if m.norm == "layernorm" else d
    per_layer = attn + ffn + 2 * norm
    embed = m.vocab * d + m.learned_pos * d
    head = 0 if m.tied else m.vocab * d
    return m.layers * per_layer + embed + head + norm


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
    mantissa, exponent = f"{n:.2e}".split("e")
    return f"{mantissa} × 10^{int(exponent)}"


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
