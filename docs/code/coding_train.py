"""Code-round exercises on training (PyTorch): an AdamW step, global-norm gradient clipping,
gradient accumulation with a token-mean loss, inverted dropout, embedding + weight tying, and a
LoRA linear layer with merge / unmerge. Tested in tests/test_coding.py."""

# --8<-- [start:adamw]
import torch


@torch.no_grad()
def adamw_step(params, grads, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01):
    """One AdamW update in place (Loshchilov & Hutter 2019, as torch.optim.AdamW).
    state: dict with "step" and per-parameter "m", "v" lists (created on the first call)."""
    b1, b2 = betas
    if not state:
        state.update(step=0, m=[torch.zeros_like(p) for p in params], v=[torch.zeros_like(p) for p in params])
    state["step"] += 1
    t = state["step"]
    for p, g, m, v in zip(params, grads, state["m"], state["v"]):
        p.mul_(1 - lr * weight_decay)                          # 解耦权重衰减：直接缩参数，不进 m、v
        m.mul_(b1).add_(g, alpha=1 - b1)                       # 一阶矩
        v.mul_(b2).addcmul_(g, g, value=1 - b2)                # 二阶矩
        m_hat = m / (1 - b1 ** t)                              # 偏差校正：前几步 m、v 偏向 0
        v_hat = v / (1 - b2 ** t)
        p.addcdiv_(m_hat, v_hat.sqrt() + eps, value=-lr)       # eps 加在开方之后
# --8<-- [end:adamw]


# --8<-- [start:clip_grad]
import torch


def clip_grad_norm(params, max_norm):
    """Scale all gradients by min(1, max_norm / (‖g‖ + 1e-6)), ‖g‖ the L2 norm over every parameter
    together (as torch.nn.utils.clip_grad_norm_). Returns the norm before clipping."""
    grads = [p.grad for p in params if p.grad is not None]
    total = torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(g) for g in grads]))
    coef = torch.clamp(max_norm / (total + 1e-6), max=1.0)    # 只缩小，不放大
    for g in grads:
        g.mul_(coef)
    return total
# --8<-- [end:clip_grad]


# --8<-- [start:grad_accum]
def accumulate_token_mean(model, loss_sum_fn, micro_batches):
    """Gradient of the token-mean loss over all micro-batches, one backward per micro-batch.
    Each batch has a label mask "mask"; loss_sum_fn(model, batch) is the SUM of its per-token losses."""
    total_tokens = sum(int(b["mask"].sum()) for b in micro_batches)   # 先数全部有效 token
    for batch in micro_batches:
        (loss_sum_fn(model, batch) / total_tokens).backward()  # .grad 逐次累加；除以总 token 数
# --8<-- [end:grad_accum]


# --8<-- [start:dropout]
import torch


def dropout(x, p, training, generator=None):
    """Inverted dropout: zero each element with probability p and scale the survivors by 1/(1-p)
    during training, so that E[output] = x and evaluation is the identity."""
    if not training or p == 0.0:
        return x
    if p == 1.0:
        return torch.zeros_like(x)                             # 避免除以 0
    keep = torch.rand(x.shape, generator=generator) >= p       # 保留概率 1 - p
    return x * keep / (1.0 - p)                                # 不原地修改输入
# --8<-- [end:dropout]


# --8<-- [start:tied_lm]
import math

import torch
from torch import nn


class TiedLM(nn.Module):
    """Token embedding and output layer sharing one [V, d] matrix (Press & Wolf 2017)."""

    def __init__(self, vocab_size, d_model, scale_embedding=False):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, d_model)
        self.lm_head = nn.Linear(d_model, vocab_size, bias=False)
        self.lm_head.weight = self.embed.weight                # 同一个 Parameter，不是拷贝
        self.scale = math.sqrt(d_model) if scale_embedding else 1.0   # 原始 Transformer 乘 √d_model

    def forward(self, ids, body=lambda h: h):
        h = self.embed(ids) * self.scale                       # 查表 = one_hot(ids) @ W
        return self.lm_head(body(h))                           # logits = h @ Wᵀ
# --8<-- [end:tied_lm]


# --8<-- [start:lora_linear]
import math

import torch
from torch import nn


class LoRALinear(nn.Module):
    """y = x W0ᵀ + b + (alpha / r) · x Aᵀ Bᵀ with W0, b frozen (Hu et al. 2021); merge() folds the
    update into W0 for inference, unmerge() takes it out again."""

    def __init__(self, base: nn.Linear, r=8, alpha=16):
        super().__init__()
        self.base, self.scaling, self.merged = base, alpha / r, False
        for p in self.base.parameters():
            p.requires_grad_(False)                            # 冻结原权重
        self.A = nn.Parameter(torch.empty(r, base.in_features))
        self.B = nn.Parameter(torch.zeros(base.out_features, r))   # B = 0：初始输出与原模型相同
        nn.init.kaiming_uniform_(self.A, a=math.sqrt(5))       # 与 nn.Linear、PEFT 的默认初始化相同

    def delta(self):
        return self.scaling * self.B @ self.A                  # [out, in]

    def forward(self, x):
        if self.merged:
            return self.base(x)
        return self.base(x) + self.scaling * (x @ self.A.T) @ self.B.T   # 先乘 A：不构造 [out, in]

    @torch.no_grad()
    def merge(self):
        if not self.merged:                                    # 防止合并两次
            self.base.weight += self.delta()
            self.merged = True

    @torch.no_grad()
    def unmerge(self):
        if self.merged:
            self.base.weight -= self.delta()
            self.merged = False
# --8<-- [end:lora_linear]
