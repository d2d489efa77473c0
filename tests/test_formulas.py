"""The formulas behind the site's numbers, pinned to published figures."""

from __future__ import annotations

import pytest

import formulas as f
import macros

MODELS = f.load_models()


@pytest.mark.parametrize(
    "key,published",
    [
        ("llama2-7b", 6_738_415_616),  # Hugging Face model card / safetensors total
        ("llama2-13b", 13_015_864_320),
        ("llama2-70b", 68_976_648_192),
        ("llama3-8b", 8_030_261_248),
        ("mistral-7b", 7_241_732_096),
        ("qwen2.5-7b", 7_615_616_512),
    ],
)
def test_parameter_counts_match_model_cards(key: str, published: int) -> None:
    assert f.param_count(MODELS[key]) == published


def test_gpt3_is_175b() -> None:
    assert round(f.param_count(MODELS["gpt3-175b"]) / 1e9) == 175


@pytest.mark.parametrize("stage,gb", [(0, 120), (1, 31.4), (2, 16.6), (3, 1.9)])
def test_zero_paper_example_7_5b_on_64_gpus(stage: int, gb: float) -> None:
    # Rajbhandari et al. 2020, Figure 1: Ψ = 7.5B, N_d = 64, K = 12.
    assert f.model_state_bytes(7.5e9, stage, 64) / 1e9 == pytest.approx(gb, abs=0.05)


def test_kv_cache_llama2_70b_gqa() -> None:
    m = MODELS["llama2-70b"]
    # 2 (K and V) · 80 layers · 8 KV heads · 128 dims · 2 bytes = 327,680 bytes per token
    assert f.kv_cache_bytes(m.layers, m.kv_heads, m.head_dim, seq=1) == 327_680
    assert macros.kv_cache("llama2-70b", seq=4096) == "1.34 GB"
    assert macros.kv_cache("llama2-70b", seq=32768) == "10.7 GB"
    assert f.kv_cache_bytes(m.layers, m.heads, m.head_dim, 4096) == 8 * f.kv_cache_bytes(m.layers, m.kv_heads, m.head_dim, 4096)


def test_kv_cache_llama2_7b_is_half_a_megabyte_per_token() -> None:
    m = MODELS["llama2-7b"]
    assert f.kv_cache_bytes(m.layers, m.kv_heads, m.head_dim, 1) == 524_288


def test_activation_memory_korthikanti() -> None:
    # Korthikanti et al. 2022, Eq. 1: s·b·h·(34 + 5·a·s/h); GPT-3 175B at s = 2048, b = 1.
    s, b, h, a = 2048, 1, 12288, 96
    assert f.activation_bytes_per_layer(s, b, h, a) == s * b * h * (34 + 5 * a * s / h)
    assert f.activation_bytes_per_layer(s, b, h, a, "selective") == 34 * s * b * h
    assert f.activation_bytes_per_layer(s, b, h, a, "full") == 2 * s * b * h
    # the attention term dominates at this length: 5·a·s/h = 80 > 34
    assert 5 * a * s / h == 80


def test_training_flops_6nd() -> None:
    # Chinchilla: 70B parameters on 1.4T tokens (Hoffmann et al. 2022), 6·N·D ≈ 5.9e23 FLOPs.
    assert f.train_flops(70e9, 1.4e12) == pytest.approx(5.88e23, rel=1e-3)
    assert macros.train_flops(70e9, 1.4e12) == "5.88 × 10^23"


def test_fmt_bytes_uses_decimal_units() -> None:
    assert f.fmt_bytes(16 * 6.738415616e9) == "108 GB"
    assert macros.model_memory("llama2-7b") == "108 GB"
    assert macros.bytes_of("llama2-7b", 2) == "13.5 GB"


def test_unknown_preset_fails_loudly() -> None:
    with pytest.raises(ValueError, match="unknown model preset"):
        macros.params("llama9-1t")


def test_math_font_keeps_what_formulas_draw() -> None:
    import math_font

    page = '<p><math><mrow><mi>q</mi><mi mathvariant="double-struck">R</mi><mi mathvariant="normal">d</mi>' \
           '<mi>softmax</mi><mo>&#x2211;</mo></mrow><annotation encoding="application/x-tex">\\zeta</annotation></math></p>'
    points = math_font.math_codepoints(page)
    assert 0x1D45E in points  # italic q drawn for a bare <mi>q</mi>
    assert 0x211D in points  # double-struck R lives in the Letterlike Symbols block
    assert 0x2211 in points and ord("d") in points
    assert 0x1D451 not in points  # mathvariant="normal" d stays upright
    assert ord("ζ") not in points  # TeX annotations are not drawn


# --- multimodal ---


@pytest.mark.parametrize(
    "size,patch,merge,tokens",
    [
        (224, 16, 1, 196),  # ViT-B/16 at 224 px: 14 × 14 patches (Dosovitskiy et al. 2020)
        (224, 14, 1, 256),  # LLaVA: CLIP ViT-L/14 at 224 px
        (336, 14, 1, 576),  # LLaVA-1.5: CLIP ViT-L/14 at 336 px, 24 × 24 (Liu et al. 2023)
        (224, 14, 2, 64),  # Qwen2-VL: 224 × 224 gives 64 visual tokens (66 with the two special tokens)
        (448, 14, 2, 256),  # InternVL 1.5: one 448 px tile, pixel shuffle to a quarter, 256 tokens
    ],
)
def test_visual_tokens_match_published_counts(size: int, patch: int, merge: int, tokens: int) -> None:
    assert f.visual_tokens(size, size, patch, merge) == tokens
    assert macros.vis_tokens(size, size, patch, merge) == f"{tokens:,}"


def test_visual_tokens_reject_images_off_the_patch_grid() -> None:
    with pytest.raises(ValueError, match="multiple of the patch size"):
        f.visual_tokens(330, 330, 14)
    with pytest.raises(ValueError, match="merge factor"):
        f.visual_tokens(14 * 5, 14 * 5, 14, merge=2)


def test_video_tokens_qwen2_vl_temporal_patch() -> None:
    # Qwen2-VL: 2 fps, 3D patches over 2 frames, 2×2 merge; 60 s at 448 px is 120 frames -> 60 × 256
    assert f.video_tokens(120, f.visual_tokens(448, 448, 14, 2), temporal_patch=2) == 15_360
    assert macros.vid_tokens(120, 448, 448, 14, merge=2, temporal_patch=2) == "15,360"
    # a per-frame model (one token grid per frame) pays twice as much for the same frames
    assert f.video_tokens(120, 256) == 2 * f.video_tokens(120, 256, temporal_patch=2)


@pytest.mark.parametrize(
    "layers,width,mlp,published",
    [(12, 768, 3072, 86e6), (24, 1024, 4096, 307e6), (32, 1280, 5120, 632e6)],
)
def test_vit_params_match_the_vit_paper_table(layers: int, width: int, mlp: int, published: float) -> None:
    # Dosovitskiy et al. 2020, Table 1: ViT-Base 86M, ViT-Large 307M, ViT-Huge 632M. The paper's counts
    # include its classification head, which a VLM drops, so the encoder alone comes out slightly lower.
    patch = 14 if layers == 32 else 16
    n = f.vit_params(layers, width, mlp, patch, positions=(224 // patch) ** 2 + 1)
    assert n <= published
    assert n == pytest.approx(published, rel=0.015)


def test_llava15_projector_is_tiny_next_to_the_llm() -> None:
    # LLaVA-1.5: 1024-d CLIP ViT-L features -> 4096-d Vicuna-7B embeddings through Linear-GELU-Linear
    assert f.mlp_projector_params(1024, 4096) == 1024 * 4096 + 4096 + 4096 * 4096 + 4096
    assert macros.projector_size(1024, 4096) == "21M"
    assert macros.projector_size(1024, 4096, layers=1) == "4.2M"
    assert f.mlp_projector_params(1024, 4096) / f.param_count(MODELS["llama2-7b"]) < 0.005


def test_visual_share_of_a_llava15_prompt() -> None:
    # 576 image tokens against a 64-token question: 90% of the prompt, so 90% of its KV cache
    assert macros.visual_share(576, 64) == "90%"
    assert macros.visual_share(64, 576) == "10%"
    assert macros.visual_share(1, 199) == "0.5%"
    m = MODELS["llama2-7b"]
    visual_kv = f.kv_cache_bytes(m.layers, m.kv_heads, m.head_dim, 576)
    all_kv = f.kv_cache_bytes(m.layers, m.kv_heads, m.head_dim, 576 + 64)
    assert visual_kv / all_kv == pytest.approx(f.token_share(576, 64))
    assert macros.kv_cache("llama2-7b", seq=576) == "302 MB"


def test_clip_batch_logit_matrix() -> None:
    # CLIP's 32,768 batch: a 32,768² fp32 logit matrix would be 4.3 GB on one device
    assert f.similarity_matrix_bytes(32_768) == 32_768**2 * 4
    assert macros.sim_matrix(32_768) == "4.29 GB"


def test_llava15_7b_parameters_and_weights() -> None:
    # CLIP ViT-L/14 at 336 px (24 layers, width 1024, MLP 4096) + 2-layer projector + Vicuna-7B (LLaMA-2-7B shape)
    vit = f.vit_params(24, 1024, 4096, 14, positions=24 * 24 + 1)
    total = vit + f.mlp_projector_params(1024, 4096) + f.param_count(MODELS["llama2-7b"])
    assert 0.29e9 < vit < 0.31e9
    assert macros.vlm_params("llama2-7b", 24, 1024, 4096, 14, 336) == f.fmt_count(total) == "7.06B"
    assert macros.vlm_weights("llama2-7b", 24, 1024, 4096, 14, 336) == f.fmt_bytes(2 * total) == "14.1 GB"


def test_llm_prefill_of_visual_tokens_outweighs_the_vit() -> None:
    # one 336 px image: the ViT sees 577 tokens with 0.3B parameters, the 7B LLM then sees 576 tokens
    vit = f.forward_flops(f.vit_params(24, 1024, 4096, 14, 577), 577)
    llm = f.forward_flops(f.param_count(MODELS["llama2-7b"]), 576)
    assert 20 < llm / vit < 25
    assert macros.vit_flops(24, 1024, 4096, 14, 336) == f.fmt_flops(vit)
    assert macros.prefill_flops("llama2-7b", 576) == "7.76 × 10^12"
