"""Code-round exercises on attention (PyTorch): multi-head attention with masks, GQA's repeat_kv,
RoPE in its complex and rotate_half forms, a KV-cache decoding loop, a pre-norm block, and the
attention mask for packed sequences. Tested in tests/test_coding.py.

Projection weights use nn.Linear's layout (out_features, in_features), so a projection is x @ w.T.
"""

# --8<-- [start:mha]
import math

import torch


def multi_head_attention(x, w_q, w_k, w_v, w_o, n_heads, key_padding_mask=None, causal=False):
    """x: [b, s, d_model]; w_*: [d_model, d_model]; key_padding_mask: bool [b, s], True = padding.

    Returns [b, s, d_model]. A query whose keys are all masked (a padding query under left padding
    and a causal mask) gets a finite, meaningless output instead of NaN; the caller ignores it.
    """
    b, s, d_model = x.shape
    d_k = d_model // n_heads

    def split(t):                                              # [b, s, d_model] -> [b, h, s, d_k]
        return t.view(b, s, n_heads, d_k).transpose(1, 2)

    q, k, v = split(x @ w_q.T), split(x @ w_k.T), split(x @ w_v.T)
    scores = q @ k.transpose(-2, -1) / math.sqrt(d_k)          # [b, h, s, s]
    allowed = torch.ones(s, s, dtype=torch.bool, device=x.device)
    if causal:
        allowed = allowed.tril()                               # 查询 i 只看键 j <= i
    if key_padding_mask is not None:
        allowed = allowed & ~key_padding_mask[:, None, None, :]   # 屏蔽键（列），不是查询（行）
    scores = scores.masked_fill(~allowed, torch.finfo(scores.dtype).min)   # 不用 -inf：整行屏蔽不出 NaN
    out = scores.softmax(dim=-1) @ v                           # [b, h, s, d_k]
    out = out.transpose(1, 2).reshape(b, s, d_model)           # 合并头：先 transpose 再 reshape
    return out @ w_o.T
# --8<-- [end:mha]


# --8<-- [start:repeat_kv]
import math

import torch


def repeat_kv(x, n_rep):
    """[b, n_kv, s, d] -> [b, n_kv * n_rep, s, d]; head j of the output is KV head j // n_rep,
    i.e. torch.repeat_interleave(x, n_rep, dim=1), written with expand (a view until reshape)."""
    b, n_kv, s, d = x.shape
    if n_rep == 1:
        return x
    return x[:, :, None, :, :].expand(b, n_kv, n_rep, s, d).reshape(b, n_kv * n_rep, s, d)


def gqa_attention(q, k, v, causal=True):
    """q: [b, h, s, d]; k, v: [b, n_kv, s, d] with n_kv dividing h. Returns [b, h, s, d]."""
    n_rep = q.shape[1] // k.shape[1]                          # 每个 KV 头服务的查询头数
    k, v = repeat_kv(k, n_rep), repeat_kv(v, n_rep)
    s_q, s_k = q.shape[-2], k.shape[-2]
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    if causal:
        allowed = torch.ones(s_q, s_k, dtype=torch.bool).tril(s_k - s_q)   # 右下角对齐
        scores = scores.masked_fill(~allowed, float("-inf"))
    return scores.softmax(dim=-1) @ v
# --8<-- [end:repeat_kv]


# --8<-- [start:rope_forms]
import torch


def rope_inv_freq(d, base=10000.0):
    """theta_i = base^(-2i/d), i = 0 .. d/2 - 1, in float64 here (float32 at least in practice)."""
    return base ** (-torch.arange(0, d, 2, dtype=torch.float64) / d)


def rope_complex(x, pos, base=10000.0):
    """Meta LLaMA form: pairs (x[2i], x[2i+1]) read as complex numbers, multiplied by e^{i·pos·theta_i}.
    x: [..., s, d]; pos: [s] integer positions."""
    d = x.shape[-1]
    angles = torch.outer(pos.to(torch.float64), rope_inv_freq(d, base))         # [s, d/2]
    rot = torch.polar(torch.ones_like(angles), angles)                         # e^{i m θ}
    xc = torch.view_as_complex(x.to(torch.float64).reshape(*x.shape[:-1], d // 2, 2).contiguous())
    return torch.view_as_real(xc * rot).flatten(-2).to(x.dtype)


def rotate_half(x):
    """(x1, x2) -> (-x2, x1) on the two halves of the last dimension."""
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat((-x2, x1), dim=-1)


def rope_rotate_half(x, pos, base=10000.0):
    """Hugging Face form: pairs (x[i], x[i + d/2]); x·cos + rotate_half(x)·sin with the angles
    repeated over both halves."""
    d = x.shape[-1]
    angles = torch.outer(pos.to(torch.float64), rope_inv_freq(d, base))
    emb = torch.cat((angles, angles), dim=-1)                                  # [s, d]
    return (x * emb.cos() + rotate_half(x) * emb.sin()).to(x.dtype)
# --8<-- [end:rope_forms]


# --8<-- [start:kv_cache]
import math

import torch


def tiny_lm(params, tokens, cache=None):
    """One-layer, one-head decoder with learned absolute positions and a tied output layer.
    tokens: [s_new] ids; cache: (k, v) of the s_past earlier tokens, each [s_past, d], or None.
    Returns (logits [s_new, V], new cache)."""
    past = 0 if cache is None else cache[0].shape[0]
    x = params["emb"][tokens] + params["pos"][past:past + len(tokens)]   # 位置从 past 开始，不是 0
    q, k, v = x @ params["wq"], x @ params["wk"], x @ params["wv"]
    if cache is not None:
        k, v = torch.cat([cache[0], k]), torch.cat([cache[1], v])        # 只追加新 token 的 K、V
    s_q, s_k = q.shape[0], k.shape[0]
    scores = q @ k.T / math.sqrt(q.shape[-1])
    visible = torch.ones(s_q, s_k, dtype=torch.bool).tril(s_k - s_q)   # 新查询看得到全部缓存
    h = x + scores.masked_fill(~visible, float("-inf")).softmax(-1) @ v @ params["wo"]
    return h @ params["emb"].T, (k, v)


def greedy_with_cache(params, prompt, steps):
    """Prefill the prompt once, then feed one token per step. Returns (ids, last-position logits per step)."""
    logits, cache = tiny_lm(params, torch.tensor(prompt))
    ids, seen = list(prompt), []
    for _ in range(steps):
        seen.append(logits[-1])
        ids.append(int(logits[-1].argmax()))
        logits, cache = tiny_lm(params, torch.tensor(ids[-1:]), cache)
    return ids, torch.stack(seen)


def greedy_recompute(params, prompt, steps):
    """The reference: rerun the whole sequence at every step (O(s²) work per step)."""
    ids, seen = list(prompt), []
    for _ in range(steps):
        logits, _ = tiny_lm(params, torch.tensor(ids))
        seen.append(logits[-1])
        ids.append(int(logits[-1].argmax()))
    return ids, torch.stack(seen)
# --8<-- [end:kv_cache]


# --8<-- [start:block]
import math

import torch
from torch import nn


class Block(nn.Module):
    """A LLaMA-style pre-norm decoder block: x + Attn(RMSNorm(x)), then h + SwiGLU(RMSNorm(h)).
    Causal self-attention, no biases; RoPE left out to keep it short."""

    def __init__(self, d_model, n_heads, d_ff, eps=1e-6):
        super().__init__()
        self.h, self.eps = n_heads, eps
        self.norm1 = nn.Parameter(torch.ones(d_model))
        self.norm2 = nn.Parameter(torch.ones(d_model))
        self.wqkv = nn.Linear(d_model, 3 * d_model, bias=False)
        self.wo = nn.Linear(d_model, d_model, bias=False)
        self.w_gate = nn.Linear(d_model, d_ff, bias=False)
        self.w_up = nn.Linear(d_model, d_ff, bias=False)
        self.w_down = nn.Linear(d_ff, d_model, bias=False)

    def rms(self, x, g):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * g

    def attn(self, x):
        b, s, d = x.shape
        q, k, v = self.wqkv(x).view(b, s, 3, self.h, d // self.h).permute(2, 0, 3, 1, 4)   # 各 [b, h, s, d_k]
        scores = q @ k.transpose(-2, -1) / math.sqrt(d // self.h)
        causal = torch.ones(s, s, dtype=torch.bool, device=x.device).tril()
        p = scores.masked_fill(~causal, float("-inf")).softmax(-1)
        return self.wo((p @ v).transpose(1, 2).reshape(b, s, d))

    def forward(self, x):
        h = x + self.attn(self.rms(x, self.norm1))                 # 残差加在归一化之外
        ffn_in = self.rms(h, self.norm2)
        return h + self.w_down(nn.functional.silu(self.w_gate(ffn_in)) * self.w_up(ffn_in))
# --8<-- [end:block]


# --8<-- [start:packing]
import torch


def packed_mask_and_positions(doc_ids):
    """doc_ids: [s] document index of every token of one packed row, e.g. [0, 0, 0, 1, 1, 2].
    Returns (allowed [s, s] bool: causal and same document; position ids restarting at 0 per document)."""
    s = doc_ids.shape[0]
    same_doc = doc_ids[:, None] == doc_ids[None, :]
    allowed = same_doc & torch.ones(s, s, dtype=torch.bool).tril()      # 块对角 ∧ 下三角
    idx = torch.arange(s)
    is_start = torch.ones(s, dtype=torch.bool)
    is_start[1:] = doc_ids[1:] != doc_ids[:-1]
    start = torch.where(is_start, idx, 0).cummax(0).values            # 每个位置所在文档的起点
    return allowed, idx - start
# --8<-- [end:packing]
