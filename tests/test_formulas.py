"""The formulas behind the site's numbers, pinned to published figures."""

from __future__ import annotations

import macros
import pytest

from kb import formulas as f

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
    assert macros.train_flops(70e9, 1.4e12) == "5.88 × 10²³"


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
    assert macros.prefill_flops("llama2-7b", 576) == "7.76 × 10¹²"
# --- serving and cost ---

GPUS = f.load_gpus()


def test_gpu_presets_match_nvidia_datasheets() -> None:
    # A100 80GB SXM: 312 TFLOPS BF16 dense, 2,039 GB/s; H100 SXM: 989 TFLOPS dense (1,979 with
    # sparsity), FP8 1,979 dense, 3.35 TB/s. Both 80 GB.
    a100, h100 = GPUS["a100-80gb"], GPUS["h100-sxm"]
    assert (a100.bf16, a100.bandwidth, a100.memory) == (312e12, 2.039e12, 80e9)
    assert (h100.bf16, h100.fp8, h100.bandwidth, h100.memory) == (989e12, 1979e12, 3.35e12, 80e9)
    assert macros.gpu_spec("h100-sxm", "bandwidth") == "3.35 TB/s"
    with pytest.raises(ValueError, match="no fp8 peak"):
        macros.gpu_spec("a100-80gb", "fp8")


def test_llama2_gpu_hours_from_6nd_and_mfu() -> None:
    # Llama 2 paper, Table 2: 7B took 184,320 and 70B 1,720,320 A100-80GB GPU-hours on 2T tokens.
    flops_7b = f.train_flops(f.param_count(MODELS["llama2-7b"]), 2e12)
    assert f.training_gpu_hours(flops_7b, 312e12, 0.40) == pytest.approx(184_320, rel=0.03)
    flops_70b = f.train_flops(f.param_count(MODELS["llama2-70b"]), 2e12)
    assert f.training_gpu_hours(flops_70b, 312e12, 0.43) == pytest.approx(1_720_320, rel=0.02)
    assert macros.gpu_hours("llama2-7b", 2e12, "a100-80gb", 0.4) == "180K"
    # 1,000 GPUs share the GPU-hours: days = hours / 1000 / 24
    assert f.training_days(flops_7b, 1000, 312e12, 0.4) == pytest.approx(f.training_gpu_hours(flops_7b, 312e12, 0.4) / 24000)
    assert macros.train_cost("llama2-7b", 2e12, "a100-80gb", 0.4, 2.0) == "$360K"
    # hand check: 6 · 70e9 · 1e9 / (64 · 989e12 · 0.4) = 16,587 s = 4.61 h
    assert macros.train_time(70e9, 1e9, "h100-sxm", 64, 0.4) == "4.61 h"


def test_mfu_from_throughput() -> None:
    # hand check: 5e5 tokens/s · 6 · 8e9 / (64 · 989e12) = 0.379
    assert f.model_flops_utilization(5e5, 8e9, 64, 989e12) == pytest.approx(0.3792, rel=1e-3)
    assert macros.mfu(5e5, 8e9, 64, "h100-sxm") == "37.9%"
    # consistency with GPU-hours: the Llama 2 7B run at its reported hours implies MFU ≈ 39%
    n = f.param_count(MODELS["llama2-7b"])
    tokens_per_s = 2e12 / (184_320 * 3600)  # per GPU
    assert f.model_flops_utilization(tokens_per_s, n, 1, 312e12) == pytest.approx(0.39, abs=0.01)


def test_decode_step_is_bytes_over_bandwidth() -> None:
    # hand check: LLaMA-2-7B fp16 weights 13.48 GB / 2.039 TB/s = 6.61 ms per token at batch 1
    assert macros.decode_ms("llama2-7b", "a100-80gb") == "6.61 ms"
    # KV cache adds to the bytes read: 32 sequences of 4K on LLaMA-2-7B add 68.7 GB
    assert f.decode_step_seconds(13.48e9 + 68.7e9, 2.039e12) == pytest.approx(0.0403, rel=1e-2)
    assert macros.decode_ms("llama2-7b", "a100-80gb", seq=4096, batch=32) == "40.3 ms"
    # tensor parallelism splits weights and KV: four cards, a quarter of the bytes each
    # tensor parallelism splits the weights: 137.95 GB / 4 / 3.35 TB/s = 10.3 ms
    assert macros.decode_ms("llama2-70b", "h100-sxm", tp=4) == "10.3 ms"


def test_kv_per_card_stops_shrinking_at_n_kv() -> None:
    m = MODELS["llama2-70b"]  # n_kv = 8
    total = f.kv_cache_bytes(m.layers, m.kv_heads, m.head_dim, 4096, 32)
    assert f.kv_cache_per_gpu(total, m.kv_heads, 8) == total / 8
    assert f.kv_cache_per_gpu(total, m.kv_heads, 16) == total / 8  # heads replicated beyond TP 8
    assert macros.kv_per_gpu("llama2-70b", 4096, 32, tp=4) == "10.7 GB"


def test_kv_room_and_card_count() -> None:
    # four H100s hold LLaMA-2-70B fp16: 0.9 · 80 GB - 137.95 GB / 4 = 37.5 GB left per card
    assert macros.kv_room("llama2-70b", "h100-sxm", tp=4) == "37.5 GB"
    # 37.5 GB / (1.342 GB / 4 per 4K sequence) = 111 sequences
    assert macros.max_seqs("llama2-70b", "h100-sxm", 4096, tp=4) == "111"
    assert f.gpus_needed(138e9, 80e9) == 2 and f.gpus_needed(145e9, 80e9) == 3
    with pytest.raises(ValueError, match="do not fit"):
        macros.kv_room("llama2-70b", "h100-sxm", tp=1)


def test_prefill_is_two_flops_per_parameter_per_token() -> None:
    # 2 · 68.98e9 · 2048 / (4 · 989e12 · 0.5) = 0.143 s
    assert f.prefill_seconds(68.98e9, 2048, 4 * 989e12, 0.5) == pytest.approx(0.1429, rel=1e-3)
    assert macros.prefill_time("llama2-70b", "h100-sxm", 2048, tp=4) == "143 ms"


def test_littles_law_and_young_checkpoint_interval() -> None:
    assert macros.concurrent(10, 25) == "250"
    # Young (1974): sqrt(2 · 60 s · 3 h) = sqrt(1,296,000) s = 1138 s ≈ 19 min
    assert f.checkpoint_interval_seconds(60, 3 * 3600) == pytest.approx(1138.4, abs=0.1)
    assert macros.ckpt_interval(60, 3 * 3600) == "19 min"


def test_hnsw_memory_faiss_wiki_formula() -> None:
    # faiss wiki, "Guidelines to choose an index": (d·4 + M·2·4) bytes per vector
    assert f.hnsw_bytes(1, 128, 32) == 128 * 4 + 32 * 2 * 4
    assert macros.hnsw_memory(1e6, 768, 32) == "3.33 GB"


def test_ab_sample_size_and_accuracy_interval() -> None:
    # 2 · (1.960 + 0.842)² · 0.25 / 0.02² = 9811.3 → 9812 users per arm
    assert f.ab_sample_size(0.5, 0.02) == 9812
    assert f.ab_sample_size(0.5, 0.01) == pytest.approx(4 * 9812, rel=1e-3)  # halving δ quadruples n
    # 1.96 · sqrt(0.5 · 0.5 / 100) = 0.098
    assert f.accuracy_ci_halfwidth(0.5, 100) == pytest.approx(0.098)
    assert macros.ci_points(0.7, 500) == "4.02"


def test_unknown_gpu_fails_loudly() -> None:
    with pytest.raises(ValueError, match="unknown GPU preset"):
        macros.decode_ms("llama2-7b", "b300")


def test_lora_and_qlora_fit_on_a_24gb_card() -> None:
    m = MODELS["llama2-7b"]
    # hand check, LoRA at 8K: 13.477 GB frozen bf16 + 0.64 GB adapters (40M · 16 B)
    # + 8192 · (2·4096·32 + 34·4096 + 8·32000) B = 8192 · 657,408 B = 5.386 GB  → 19.50 GB
    assert f.lora_train_bytes(m, 8192) / 1e9 == pytest.approx(13.4768 + 0.64 + 5.3855, abs=0.01)
    # QLoRA stores the 6.48B non-embedding parameters in NF4 (0.516 B each), embeddings in bf16
    assert f.lora_train_bytes(m, 0, qlora=True) / 1e9 == pytest.approx(
        (6_738_415_616 - 2 * 32000 * 4096) * (0.5 + 0.127 / 8) / 1e9 + 2 * 32000 * 4096 * 2 / 1e9 + 0.64, abs=0.01)
    # 24 GB at 90%: LoRA reaches 8K (16K would need 24.9 GB), QLoRA reaches 16K (32K would need 26.0 GB)
    assert macros.lora_max_seq("llama2-7b") == "8K"
    assert macros.lora_max_seq("llama2-7b", qlora=True) == "16K"
    assert f.lora_train_bytes(m, 16384) > 21.6e9 > f.lora_train_bytes(m, 8192)
    assert f.lora_train_bytes(m, 32768, qlora=True) > 21.6e9 > f.lora_train_bytes(m, 16384, qlora=True)


def test_prefill_cards_round_up_one_second_of_prompts() -> None:
    # 10 QPS × 2,000-token prompts: 2 · 68.98e9 · 20,000 / (989e12 · 0.5) = 5.58 card-seconds per second → 6 cards
    assert f.prefill_gpus(68.98e9, 20_000, 989e12, 0.5) == 6
    assert macros.prefill_cards("llama2-70b", "h100-sxm", 20_000) == "6"
    # exactly one card-second stays one card; a hair more needs a second card
    assert f.prefill_gpus(1e12, 1, 4e12, 0.5) == 1 and f.prefill_gpus(1.01e12, 1, 4e12, 0.5) == 2


def test_chain_of_independent_steps() -> None:
    # 0.95^10 = 0.5987: ten 95%-reliable agent steps succeed together about 60% of the time
    assert f.all_steps_succeed(0.95, 10) == pytest.approx(0.5987, abs=1e-4)
    assert macros.chain_success(0.95, 10) == "60%"
    assert macros.chain_success(0.99, 10) == "90%"


def test_qlora_backbone_keeps_embedding_and_head_in_16_bit() -> None:
    # Llama-3-8B: 2 · 128,256 · 4,096 = 1.051e9 embedding + head parameters stay bf16 (2.10 GB);
    # the other 6.98e9 go to NF4 with double-quantised constants at 0.5159 B each (3.60 GB)
    m = MODELS["llama3-8b"]
    embed_head = 2 * 128_256 * 4_096
    assert f.qlora_frozen_bytes(m) / 1e9 == pytest.approx(
        (f.param_count(m) - embed_head) * (0.5 + 0.127 / 8) / 1e9 + embed_head * 2 / 1e9, rel=1e-6)
    assert macros.qlora_base("llama3-8b") == "5.7 GB"
    # a large vocabulary makes this far more than the naive 0.5 bytes/parameter (4.02 GB)
    assert f.qlora_frozen_bytes(m) > 1.4 * 0.5 * f.param_count(m)
