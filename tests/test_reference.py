"""The reference implementations in docs/code/*.py, checked against independent references
(PyTorch, the papers' formulas, brute force). Answers include them with --8<-- "file.py:section"."""

from __future__ import annotations

import builtins
import dis
import itertools
import math
import pathlib
import re
import sys

import numpy as np
import pytest
import torch
import torch.nn.functional as F

CODE_DIR = pathlib.Path(__file__).resolve().parent.parent / "docs" / "code"
sys.path.insert(0, str(CODE_DIR))

import attention
import lora
import losses
import norms
import positions
import quantization
import sampling
import schedules

SECTION = re.compile(r"^# --8<-- \[start:([\w-]+)\]\n(.*?)^# --8<-- \[end:\1\]\n", re.S | re.M)
EXPECTED_SECTIONS = {
    "attention.py": {"sdpa", "gqa", "online_softmax"},
    "positions.py": {"sinusoidal", "rope", "rope_decay", "rope_scaling"},
    "norms.py": {"layernorm", "rmsnorm", "swiglu"},
    "lora.py": {"lora"},
    "sampling.py": {"sampling", "beam_search"},
    "losses.py": {"dpo", "ppo"},
    "quantization.py": {"quant"},
    "schedules.py": {"lr"},
    # the code-round exercises (docs/coding.md), tested in tests/test_coding.py
    "coding_attention.py": {"mha", "repeat_kv", "rope_forms", "kv_cache", "block", "packing"},
    "coding_norms.py": {"layernorm_backward"},
    "coding_losses.py": {"softmax", "cross_entropy", "grpo", "clip_loss", "moe_router"},
    "coding_train.py": {"adamw", "clip_grad", "grad_accum", "dropout", "tied_lm", "lora_linear"},
    "coding_decode.py": {"speculative"},
    "coding_bpe.py": {"bpe"},
}


def sections() -> list[tuple[str, str, str]]:
    out = []
    for path in sorted(CODE_DIR.glob("*.py")):
        out.extend((path.name, name, body) for name, body in SECTION.findall(path.read_text("utf-8")))
    return out


def t(x) -> torch.Tensor:
    return torch.as_tensor(np.asarray(x), dtype=torch.float64)


# --------------------------------------------------------------------------- sections


def test_every_expected_section_exists() -> None:
    found: dict[str, set[str]] = {}
    for file, name, _ in sections():
        found.setdefault(file, set()).add(name)
    assert found == EXPECTED_SECTIONS


def _global_loads(code) -> set[str]:
    names = {i.argval for i in dis.get_instructions(code) if i.opname in ("LOAD_GLOBAL", "LOAD_NAME")}
    for const in code.co_consts:
        if hasattr(const, "co_code"):
            names |= _global_loads(const)
    return names


@pytest.mark.parametrize("file,name,body", sections(), ids=[f"{f}:{n}" for f, n, _ in sections()])
def test_section_is_self_contained(file: str, name: str, body: str) -> None:
    """A page can include one section alone: every global name its code uses is defined inside it."""
    namespace: dict = {"__name__": "__kb_sample__"}
    exec(compile(body, f"{file}:{name}", "exec"), namespace)
    defined = set(namespace) | set(dir(builtins))
    missing = _global_loads(compile(body, f"{file}:{name}", "exec")) - defined
    assert not missing, f"{file}:{name} uses names it does not define: {sorted(missing)}"
    assert any(callable(v) and getattr(v, "__module__", None) == "__kb_sample__" for v in namespace.values())


# --------------------------------------------------------------------------- attention


def _qkv(rng, *shape):
    return (rng.standard_normal(shape) for _ in range(3))


@pytest.mark.parametrize("causal", [False, True])
def test_sdpa_matches_torch_with_padding_and_causal_masks(causal: bool) -> None:
    rng = np.random.default_rng(0)
    b, h, s, d = 2, 3, 7, 8
    q, k, v = _qkv(rng, b, h, s, d)
    pad = np.zeros((b, s), dtype=bool)
    pad[1, -3:] = True                                          # right padding in the second sample
    ours = attention.scaled_dot_product_attention(q, k, v, causal=causal, key_padding=pad)
    allowed = ~t(pad).bool()[:, None, None, :]
    if causal:
        allowed = allowed & torch.ones(s, s, dtype=torch.bool).tril()
    ref = F.scaled_dot_product_attention(t(q), t(k), t(v), attn_mask=allowed)
    np.testing.assert_allclose(ours, ref.numpy(), atol=1e-12)
    # the mask matters: without it the result differs
    assert not np.allclose(attention.scaled_dot_product_attention(q, k, v), ours)


def test_sdpa_causal_bottom_right_with_kv_cache() -> None:
    """s_q < s_k (decoding with a cache): the last queries of the full computation."""
    rng = np.random.default_rng(1)
    q, k, v = _qkv(rng, 2, 9, 4)
    full = attention.scaled_dot_product_attention(q, k, v, causal=True)
    ref = F.scaled_dot_product_attention(t(q), t(k), t(v), is_causal=True).numpy()
    np.testing.assert_allclose(full, ref, atol=1e-12)
    np.testing.assert_allclose(attention.scaled_dot_product_attention(q[:, -2:], k, v, causal=True), full[:, -2:], atol=1e-12)


def test_sdpa_fully_masked_row_is_zero_like_torch() -> None:
    rng = np.random.default_rng(2)
    q, k, v = _qkv(rng, 1, 1, 4, 4)
    pad = np.array([[True, True, False, False]])                # left padding
    ours = attention.scaled_dot_product_attention(q, k, v, causal=True, key_padding=pad)
    allowed = ~t(pad).bool()[:, None, None, :] & torch.ones(4, 4, dtype=torch.bool).tril()
    ref = F.scaled_dot_product_attention(t(q), t(k), t(v), attn_mask=allowed).numpy()
    assert np.all(ours[..., :2, :] == 0) and not np.isnan(ours).any()
    np.testing.assert_allclose(ours, ref, atol=1e-12)


def _gqa_weights(rng, d_model, n_heads, n_kv):
    d_head = d_model // n_heads
    w = lambda o, i: rng.standard_normal((o, i)) / math.sqrt(i)  # noqa: E731
    return w(d_model, d_model), w(n_kv * d_head, d_model), w(n_kv * d_head, d_model), w(d_model, d_model)


def test_gqa_with_n_kv_equal_heads_is_torch_mha() -> None:
    rng = np.random.default_rng(3)
    b, s, d_model, h = 2, 6, 32, 4
    x = rng.standard_normal((b, s, d_model))
    wq, wk, wv, wo = _gqa_weights(rng, d_model, h, h)
    ours = attention.grouped_query_attention(x, wq, wk, wv, wo, n_heads=h, n_kv=h, causal=True)
    mha = torch.nn.MultiheadAttention(d_model, h, bias=False, batch_first=True, dtype=torch.float64)
    with torch.no_grad():
        mha.in_proj_weight.copy_(torch.cat([t(wq), t(wk), t(wv)]))
        mha.out_proj.weight.copy_(t(wo))
    causal_mask = torch.ones(s, s, dtype=torch.bool).triu(1)     # True = not allowed (nn.MultiheadAttention)
    ref, _ = mha(t(x), t(x), t(x), attn_mask=causal_mask, need_weights=False)
    np.testing.assert_allclose(ours, ref.detach().numpy(), atol=1e-10)


def test_gqa_with_one_kv_head_is_mqa() -> None:
    """MQA written directly: every query head attends to the same single K and V (no repetition)."""
    rng = np.random.default_rng(4)
    b, s, d_model, h = 2, 5, 24, 6
    d_head = d_model // h
    x = rng.standard_normal((b, s, d_model))
    wq, wk, wv, wo = _gqa_weights(rng, d_model, h, 1)
    ours = attention.grouped_query_attention(x, wq, wk, wv, wo, n_heads=h, n_kv=1, causal=True)
    q = (t(x) @ t(wq).T).view(b, s, h, d_head)
    k, v = t(x) @ t(wk).T, t(x) @ t(wv).T                        # [b, s, d_head], shared
    scores = torch.einsum("bqhd,bkd->bhqk", q, k) / math.sqrt(d_head)
    scores = scores.masked_fill(torch.ones(s, s, dtype=torch.bool).triu(1), float("-inf"))
    out = torch.einsum("bhqk,bkd->bqhd", scores.softmax(-1), v).reshape(b, s, d_model) @ t(wo).T
    np.testing.assert_allclose(ours, out.numpy(), atol=1e-10)


def test_gqa_groups_query_heads_like_torch_enable_gqa() -> None:
    rng = np.random.default_rng(5)
    b, s, d_model, h, n_kv = 1, 5, 32, 8, 2
    d_head = d_model // h
    x = rng.standard_normal((b, s, d_model))
    wq, wk, wv, wo = _gqa_weights(rng, d_model, h, n_kv)
    ours = attention.grouped_query_attention(x, wq, wk, wv, wo, n_heads=h, n_kv=n_kv, causal=True)
    q = (t(x) @ t(wq).T).view(b, s, h, d_head).transpose(1, 2)
    k = (t(x) @ t(wk).T).view(b, s, n_kv, d_head).transpose(1, 2)
    v = (t(x) @ t(wv).T).view(b, s, n_kv, d_head).transpose(1, 2)
    o = F.scaled_dot_product_attention(q, k, v, is_causal=True, enable_gqa=True)
    ref = o.transpose(1, 2).reshape(b, s, d_model) @ t(wo).T
    np.testing.assert_allclose(ours, ref.numpy(), atol=1e-10)


@pytest.mark.parametrize("causal", [False, True])
@pytest.mark.parametrize("s_q,s_k,bq,bk", [(32, 32, 8, 8), (37, 37, 16, 5), (5, 40, 4, 16), (1, 23, 16, 7)])
def test_online_softmax_equals_full_attention(causal: bool, s_q: int, s_k: int, bq: int, bk: int) -> None:
    rng = np.random.default_rng(s_q * 100 + s_k)
    q, k, v = rng.standard_normal((s_q, 16)) * 3, rng.standard_normal((s_k, 16)) * 3, rng.standard_normal((s_k, 16))
    ours = attention.flash_attention(q, k, v, block_q=bq, block_k=bk, causal=causal)
    ref = F.scaled_dot_product_attention(t(q)[None], t(k)[None], t(v)[None],
                                         attn_mask=torch.ones(s_q, s_k, dtype=torch.bool).tril(s_k - s_q) if causal else None)
    np.testing.assert_allclose(ours, ref[0].numpy(), atol=1e-12)


def test_online_softmax_survives_logits_that_overflow_exp() -> None:
    q = np.full((4, 2), 30.0)
    k = np.array([[30.0, 30.0], [29.0, 29.0], [-30.0, 0.0], [31.0, 30.0], [0.0, 0.0]])
    v = np.arange(10.0).reshape(5, 2)
    with np.errstate(over="raise"):
        out = attention.flash_attention(q, k, v, block_q=2, block_k=2)
    scores = q @ k.T / math.sqrt(2)                               # up to ~1300: exp would overflow
    p = np.exp(scores - scores.max(1, keepdims=True))
    np.testing.assert_allclose(out, p / p.sum(1, keepdims=True) @ v, atol=1e-12)


# --------------------------------------------------------------------------- positions


def test_sinusoidal_matches_paper_formula() -> None:
    n, d = 50, 16
    pe = positions.sinusoidal_positions(n, d)
    for pos in range(n):
        for i in range(d // 2):
            angle = pos / 10000 ** (2 * i / d)
            assert pe[pos, 2 * i] == pytest.approx(math.sin(angle), abs=1e-12)
            assert pe[pos, 2 * i + 1] == pytest.approx(math.cos(angle), abs=1e-12)


def test_rope_matches_complex_rotation() -> None:
    rng = np.random.default_rng(6)
    d, s = 16, 9
    x = rng.standard_normal((s, d))
    pos = np.arange(s) * 7
    ours = positions.apply_rope(x, pos)
    theta = np.array([10000 ** (-2 * i / d) for i in range(d // 2)])
    z = (x[:, 0::2] + 1j * x[:, 1::2]) * np.exp(1j * pos[:, None] * theta)
    np.testing.assert_allclose(ours[:, 0::2], z.real, atol=1e-12)
    np.testing.assert_allclose(ours[:, 1::2], z.imag, atol=1e-12)


def test_rope_score_depends_only_on_relative_position() -> None:
    rng = np.random.default_rng(7)
    d = 64
    q, k = rng.standard_normal((1, d)), rng.standard_normal((1, d))

    def score(m: int, n: int) -> float:
        return (positions.apply_rope(q, [m]) @ positions.apply_rope(k, [n]).T).item()

    for m, n in [(5, 2), (100, 37), (3, 9), (0, 0)]:
        for shift in (1, 17, 1000, 123456):
            assert score(m + shift, n + shift) == pytest.approx(score(m, n), abs=1e-9)
    assert score(5, 2) != pytest.approx(score(5, 3), abs=1e-3)    # but it does depend on m - n
    assert np.linalg.norm(positions.apply_rope(q, [77])) == pytest.approx(np.linalg.norm(q))


def test_rope_decay_bound_matches_definition() -> None:
    d = 32
    theta = [10000 ** (-2 * i / d) for i in range(d // 2)]
    for r in (0, 3, 50, 700):
        s_j = [abs(sum(complex(math.cos(r * th), math.sin(r * th)) for th in theta[:j])) for j in range(1, d // 2 + 1)]
        assert positions.rope_decay_bound(r, d=d) == pytest.approx(sum(s_j) / (d / 2), rel=1e-12)
    assert positions.rope_decay_bound(0, d=128) == pytest.approx((64 + 1) / 2)
    vals = [positions.rope_decay_bound(r) for r in (0, 10, 100, 1000)]
    assert vals == sorted(vals, reverse=True)


def test_rope_scaled_frequencies_follow_yarn_definitions() -> None:
    d, base, L, s = 128, 10000.0, 4096, 8.0
    f = positions.rope_scaled_frequencies(d, s, L, base)
    theta = np.array([base ** (-2 * i / d) for i in range(d // 2)])
    np.testing.assert_allclose(f["original"], theta, rtol=1e-12)
    np.testing.assert_allclose(f["pi"], theta / s, rtol=1e-12)
    # NTK-aware: b' = b s^(d/(d-2)); the highest frequency is kept, the lowest is divided by s
    assert f["ntk"][0] == 1.0 and f["ntk"][-1] == pytest.approx(theta[-1] / s, rel=1e-12)
    assert np.all((f["ntk"] <= theta * (1 + 1e-12)) & (f["ntk"] >= theta / s * (1 - 1e-12)))
    # NTK-by-parts with alpha = 1, beta = 32, from wavelengths lambda = 2π / theta and r = L / lambda
    for i, th in enumerate(theta):
        r = L / (2 * math.pi / th)
        gamma = 0.0 if r < 1 else 1.0 if r > 32 else (r - 1) / 31
        assert f["ntk_by_parts"][i] == pytest.approx((1 - gamma) * th / s + gamma * th, rel=1e-12)
    r = L * theta / (2 * math.pi)
    assert ((r > 32).sum(), (r < 1).sum()) == (21, 18)           # kept / fully interpolated pairs at d=128, L=4096
    assert positions.yarn_attention_scale(16) == pytest.approx(0.1 * math.log(16) + 1)
    assert positions.yarn_attention_scale(1) == 1.0


# --------------------------------------------------------------------------- norms


def test_layernorm_matches_torch() -> None:
    rng = np.random.default_rng(8)
    x = rng.standard_normal((2, 5, 16)) * 3 + 1.5
    ln = torch.nn.LayerNorm(16, eps=1e-5, dtype=torch.float64)
    with torch.no_grad():
        ln.weight.copy_(t(rng.standard_normal(16)))
        ln.bias.copy_(t(rng.standard_normal(16)))
    ours = norms.layer_norm(x, ln.weight.detach().numpy(), ln.bias.detach().numpy(), eps=1e-5)
    np.testing.assert_allclose(ours, ln(t(x)).detach().numpy(), atol=1e-12)


def test_rmsnorm_matches_torch_and_is_not_layernorm() -> None:
    rng = np.random.default_rng(9)
    x = rng.standard_normal((2, 5, 16)) + 2.0
    rms = torch.nn.RMSNorm(16, eps=1e-6, dtype=torch.float64)
    with torch.no_grad():
        rms.weight.copy_(t(rng.standard_normal(16)))
    g = rms.weight.detach().numpy()
    ours = norms.rms_norm(x, g, eps=1e-6)
    np.testing.assert_allclose(ours, rms(t(x)).detach().numpy(), atol=1e-12)
    assert not np.allclose(ours, norms.layer_norm(x, g, 0.0, eps=1e-6), atol=1e-3)  # mean not removed


def test_swiglu_matches_torch_llama_mlp() -> None:
    rng = np.random.default_rng(10)
    d, d_ff = 24, 64
    x = rng.standard_normal((3, d))
    gate, up, down = (torch.nn.Linear(i, o, bias=False, dtype=torch.float64) for i, o in ((d, d_ff), (d, d_ff), (d_ff, d)))
    ref = down(F.silu(gate(t(x))) * up(t(x))).detach().numpy()
    w = [m.weight.detach().numpy() for m in (gate, up, down)]
    np.testing.assert_allclose(norms.swiglu_ffn(x, *w), ref, atol=1e-12)
    np.testing.assert_allclose(norms.silu(x), F.silu(t(x)).numpy(), atol=1e-14)
    assert not np.allclose(norms.swiglu_ffn(x, w[1], w[0], w[2]), ref)   # gate and up are not interchangeable


# --------------------------------------------------------------------------- LoRA


def test_lora_zero_init_gives_base_output_and_merge_is_exact() -> None:
    rng = np.random.default_rng(11)
    d_in, d_out, r, alpha = 64, 32, 4, 8.0
    w0 = rng.standard_normal((d_out, d_in))
    x = rng.standard_normal((5, d_in))
    a, b = lora.lora_init(d_in, d_out, r, rng)
    assert np.array_equal(lora.lora_forward(x, w0, a, b, alpha), x @ w0.T)     # B = 0: exactly the base layer
    assert np.abs(a).sum() > 0
    b = rng.standard_normal((d_out, r))                                        # as after some training
    y = lora.lora_forward(x, w0, a, b, alpha)
    base = torch.nn.Linear(d_in, d_out, bias=False, dtype=torch.float64)
    with torch.no_grad():
        base.weight.copy_(t(lora.lora_merge(w0, a, b, alpha)))
    np.testing.assert_allclose(base(t(x)).detach().numpy(), y, atol=1e-10)    # merged weight, same outputs
    delta = lora.lora_merge(w0, a, b, alpha) - w0
    assert np.linalg.matrix_rank(delta) == r
    np.testing.assert_allclose(delta, alpha / r * b @ a, atol=1e-12)
    assert not np.allclose(y, x @ w0.T)


# --------------------------------------------------------------------------- sampling


def test_top_p_keeps_smallest_set_with_mass_at_least_p() -> None:
    rng = np.random.default_rng(12)
    for _ in range(200):
        logits = rng.standard_normal(20) * rng.uniform(0.5, 4)
        top_p = float(rng.uniform(0.05, 0.99))
        q = sampling.filter_probs(logits, top_p=top_p)
        p = np.exp(logits - logits.max())
        p /= p.sum()
        kept = np.flatnonzero(q)
        assert p[kept].sum() >= top_p - 1e-12                                  # mass >= p
        assert p[kept].sum() - p[kept].min() < top_p                           # dropping any kept token falls below p
        assert p[kept].min() >= np.delete(p, kept).max(initial=0)              # the most likely tokens
        np.testing.assert_allclose(q[kept], p[kept] / p[kept].sum())


def test_top_k_then_top_p_and_temperature() -> None:
    logits = np.array([3.0, 2.5, 1.0, 0.5, -1.0, -2.0])
    assert np.count_nonzero(sampling.filter_probs(logits, top_k=2)) == 2
    assert np.count_nonzero(sampling.filter_probs(logits, top_k=3, top_p=0.999)) == 3
    # top-p is applied to the renormalised top-k distribution (Hugging Face order)
    q = sampling.filter_probs(logits, top_k=2, top_p=0.6)
    p2 = np.exp(logits[:2]) / np.exp(logits[:2]).sum()
    assert np.count_nonzero(q) == (1 if p2[0] >= 0.6 else 2)
    greedy = np.argmax(logits)
    tops = [sampling.filter_probs(logits, temperature=T)[greedy] for T in (2.0, 1.0, 0.5, 0.1, 0.01)]
    assert tops == sorted(tops) and tops[-1] > 1 - 1e-12                    # temperature -> 0: argmax
    flat = sampling.filter_probs(logits, temperature=1e6)
    np.testing.assert_allclose(flat, np.full(6, 1 / 6), atol=1e-5)          # temperature -> inf: uniform


def test_min_p_threshold_scales_with_the_top_probability() -> None:
    rng = np.random.default_rng(17)
    for _ in range(100):
        logits = rng.standard_normal(12) * rng.uniform(0.5, 3)
        p = np.exp(logits - logits.max())
        p /= p.sum()
        q = sampling.filter_probs(logits, min_p=0.1)
        np.testing.assert_array_equal(q > 0, p >= 0.1 * p.max())
    peaked, flat = np.array([6.0, 2.0, 1.5, 1.0, 0.5, 0.0]), np.array([1.0, 0.9, 0.8, 0.5, 0.2, 0.0])
    assert np.count_nonzero(sampling.filter_probs(peaked, min_p=0.1)) < np.count_nonzero(sampling.filter_probs(flat, min_p=0.1))


def test_sample_follows_filtered_distribution() -> None:
    rng = np.random.default_rng(13)
    logits = np.array([2.0, 1.0, 0.5, 0.0, -1.0])
    draws = np.bincount([sampling.sample(logits, rng, top_k=3) for _ in range(20000)], minlength=5)
    q = sampling.filter_probs(logits, top_k=3)
    assert draws[3:].sum() == 0
    np.testing.assert_allclose(draws / draws.sum(), q, atol=0.015)


def test_beam_search_width_one_is_greedy() -> None:
    for seed in range(10):
        lm = sampling.toy_lm(vocab_size=6, seed=seed)
        for eos in (None, 0):
            assert sampling.beam_search(lm, [1], width=1, steps=8, eos=eos) == sampling.greedy_decode(lm, [1], steps=8, eos=eos)


def test_wide_beam_search_is_exhaustive_and_beats_greedy_sometimes() -> None:
    beats = 0
    for seed in range(10):
        lm = sampling.toy_lm(vocab_size=4, seed=seed)
        steps = 4
        best = max(
            (sum(lm([1, *seq[:i]])[tok] for i, tok in enumerate(seq)), [1, *seq])
            for seq in map(list, itertools.product(range(4), repeat=steps))
        )
        score, seq = sampling.beam_search(lm, [1], width=4 ** (steps - 1), steps=steps)
        assert seq == best[1] and score == pytest.approx(best[0])
        two = sampling.beam_search(lm, [1], width=2, steps=steps)[0]
        greedy = sampling.greedy_decode(lm, [1], steps=steps)[0]
        assert best[0] >= two - 1e-12
        beats += two > greedy + 1e-9
    assert beats > 0


# --------------------------------------------------------------------------- losses


def test_dpo_loss_is_log2_at_init_and_gradient_sign() -> None:
    ref_c, ref_r = torch.tensor([-12.0, -30.0, -7.0], dtype=torch.float64), torch.tensor([-15.0, -28.0, -9.0], dtype=torch.float64)
    loss0, rc, rr = losses.dpo_loss(ref_c.clone(), ref_r.clone(), ref_c, ref_r, beta=0.1)
    assert loss0.item() == pytest.approx(math.log(2))
    assert torch.all(rc == 0) and torch.all(rr == 0)
    pc = (ref_c + torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64)).requires_grad_()
    pr = (ref_r + torch.tensor([-0.5, 2.0, 0.0], dtype=torch.float64)).requires_grad_()
    loss, rw, rl = losses.dpo_loss(pc, pr, ref_c, ref_r, beta=0.1)
    loss.backward()
    assert torch.all(pc.grad < 0) and torch.all(pr.grad > 0)      # descent raises chosen, lowers rejected
    weight = torch.sigmoid(rl - rw)                               # larger when the pair is ranked wrongly
    torch.testing.assert_close(pc.grad, -0.1 * weight / 3)
    torch.testing.assert_close(pr.grad, 0.1 * weight / 3)
    margin = 0.1 * ((pc - ref_c) - (pr - ref_r)).detach()
    assert loss.item() == pytest.approx(float(np.mean([math.log1p(math.exp(-m)) for m in margin.tolist()])))


def test_sequence_logprob_matches_cross_entropy() -> None:
    torch.manual_seed(0)
    logits, labels = torch.randn(2, 5, 11), torch.randint(0, 11, (2, 5))
    mask = torch.tensor([[0, 0, 1, 1, 1], [0, 1, 1, 1, 0]], dtype=torch.float32)
    ce = F.cross_entropy(logits.transpose(1, 2), labels, reduction="none")
    torch.testing.assert_close(losses.sequence_logprob(logits, labels, mask), -(ce * mask).sum(-1))


@pytest.mark.parametrize(
    "ratio,adv,objective,has_grad",
    [
        (1.5, 1.0, 1.2, False),    # good action already pushed up past 1 + eps: clipped, no gradient
        (0.5, 1.0, 0.5, True),     # good action made less likely: unclipped, gradient pulls it back
        (0.5, -1.0, -0.8, False),  # bad action already pushed down past 1 - eps: clipped
        (2.0, -1.0, -2.0, True),   # bad action made more likely: not clipped, penalty grows
        (1.1, 2.0, 2.2, True),     # inside the trust region
    ],
)
def test_ppo_clip_hand_computed(ratio: float, adv: float, objective: float, has_grad: bool) -> None:
    logp_new = torch.tensor([math.log(ratio)], dtype=torch.float64, requires_grad=True)
    loss = losses.ppo_policy_loss(logp_new, torch.zeros(1, dtype=torch.float64), torch.tensor([adv], dtype=torch.float64), clip_eps=0.2)
    assert loss.item() == pytest.approx(-objective)
    loss.backward()
    assert (logp_new.grad.abs().item() > 1e-9) == has_grad


def test_ppo_value_loss_hand_computed() -> None:
    f = lambda v, v_old, ret: losses.ppo_value_loss(torch.tensor([v]), torch.tensor([v_old]), torch.tensor([ret]), clip_eps=0.2).item()  # noqa: E731
    assert f(1.0, 0.0, 1.0) == pytest.approx(0.5 * 0.8**2)     # the clipped prediction 0.2 is worse: max picks it
    assert f(0.1, 0.0, 1.0) == pytest.approx(0.5 * 0.9**2)     # inside the clip range: plain squared error
    assert f(-1.0, 0.0, 1.0) == pytest.approx(0.5 * 2.0**2)    # moving away: the unclipped error is larger
    total = losses.ppo_loss(torch.tensor([0.0]), torch.tensor([0.0]), torch.tensor([1.0]),
                            torch.tensor([1.0]), torch.tensor([0.0]), torch.tensor([1.0]), vf_coef=0.5)
    assert total.item() == pytest.approx(-1.0 + 0.5 * 0.32)


# --------------------------------------------------------------------------- quantisation


@pytest.mark.parametrize("bits", [8, 4])
@pytest.mark.parametrize("symmetric", [True, False])
@pytest.mark.parametrize("granularity", ["tensor", "channel", "group"])
def test_quantisation_error_at_most_half_a_step(bits: int, symmetric: bool, granularity: str) -> None:
    rng = np.random.default_rng(14)
    w = rng.normal(0.0, 0.02, size=(64, 256))
    w[3, 7] = 0.5                                                # an outlier
    q, scale, zero = quantization.quantize(w, bits=bits, symmetric=symmetric, granularity=granularity, group_size=64)
    lo, hi = (-(2 ** (bits - 1) - 1), 2 ** (bits - 1) - 1) if symmetric else (0, 2**bits - 1)
    assert q.min() >= lo and q.max() <= hi
    assert scale.size == {"tensor": 1, "channel": 64, "group": 64 * 4}[granularity]
    err = np.abs(quantization.dequantize(q, scale, zero, w.shape) - w).reshape(q.shape)
    assert np.all(err <= scale / 2 * (1 + 1e-9))
    assert err.max() > scale.min() / 4                           # and it is not zero: rounding happened


@pytest.mark.parametrize("granularity", ["tensor", "channel", "group"])
def test_quantisation_matches_torch_fake_quant(granularity: str) -> None:
    rng = np.random.default_rng(15)
    w = rng.normal(0.0, 0.02, size=(16, 128)).astype(np.float32).astype(np.float64)
    for symmetric in (True, False):
        q, scale, zero = quantization.quantize(w, bits=8, symmetric=symmetric, granularity=granularity, group_size=32)
        blocks = torch.tensor(w.reshape(q.shape), dtype=torch.float32)
        lo, hi = (-127, 127) if symmetric else (0, 255)
        ref = torch.fake_quantize_per_channel_affine(
            blocks, torch.tensor(scale[:, 0], dtype=torch.float32), torch.tensor(zero[:, 0], dtype=torch.int32), 0, lo, hi)
        ours = quantization.dequantize(q, scale, zero, q.shape)
        diff_steps = np.abs(ours - ref.numpy()) / scale
        assert np.all(diff_steps < 1 + 1e-3) and np.mean(diff_steps > 0.5) < 1e-3   # at most a rare tie


def test_finer_granularity_and_more_bits_reduce_error() -> None:
    rng = np.random.default_rng(16)
    w = rng.normal(0.0, 0.02, size=(128, 512)) * rng.uniform(0.2, 3.0, size=(128, 1))   # channels of different scale
    rmse = lambda **kw: np.sqrt(np.mean((quantization.fake_quantize(w, **kw) - w) ** 2))  # noqa: E731
    for bits in (8, 4):
        assert rmse(bits=bits, granularity="tensor") > rmse(bits=bits, granularity="channel") > rmse(bits=bits, granularity="group", group_size=32)
    assert rmse(bits=4, granularity="channel") > 8 * rmse(bits=8, granularity="channel")


# --------------------------------------------------------------------------- schedules


def test_warmup_cosine_peak_end_and_torch_cosine() -> None:
    peak, warmup, total, floor = 3e-4, 200, 2000, 3e-5
    f = lambda s: schedules.warmup_cosine(s, peak, warmup, total, min_lr=floor)  # noqa: E731
    assert f(0) == 0 and f(warmup // 2) == pytest.approx(peak / 2)
    assert f(warmup) == pytest.approx(peak) and max(f(s) for s in range(total + 1)) == pytest.approx(peak)
    assert f(total) == pytest.approx(floor) and f(total + 500) == pytest.approx(floor)
    assert f((warmup + total) // 2) == pytest.approx((peak + floor) / 2)
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=peak)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=total - warmup, eta_min=floor)
    for step in range(warmup, total):
        assert f(step) == pytest.approx(opt.param_groups[0]["lr"], rel=1e-9)
        opt.step()
        sched.step()


def test_wsd_warmup_stable_decay() -> None:
    peak, warmup, total = 1e-3, 100, 10_000
    f = lambda s: schedules.wsd(s, peak, warmup, total, decay_frac=0.2, min_lr=1e-5)  # noqa: E731
    assert f(0) == 0 and f(50) == pytest.approx(peak / 2) and f(warmup) == peak
    assert all(f(s) == peak for s in range(warmup, 8000))
    assert f(8000) == peak and f(9000) == pytest.approx((peak + 1e-5) / 2) and f(total) == pytest.approx(1e-5)
    lrs = [f(s) for s in range(8000, total + 1)]
    assert all(a > b for a, b in zip(lrs, lrs[1:]))
