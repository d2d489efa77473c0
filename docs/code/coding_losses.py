"""Code-round exercises on losses (PyTorch): stable and online softmax, cross-entropy with label
smoothing and ignore_index, GRPO group advantages, KL estimators, CLIP / InfoNCE, and an MoE top-k
router with the Switch load-balancing loss. Tested in tests/test_coding.py."""

# --8<-- [start:softmax]
import torch


def stable_softmax(x, dim=-1):
    """exp(x - max) / Σ exp(x - max): the same value as softmax, but exp never sees a positive argument."""
    e = torch.exp(x - x.amax(dim=dim, keepdim=True))
    return e / e.sum(dim=dim, keepdim=True)


def online_softmax(x, block=4):
    """Softmax of a 1-D tensor read once, block by block, keeping a running max m and a running
    normaliser l = Σ exp(x_j - m) (Milakov & Gimelshein 2018). Assumes at least one finite entry."""
    m = torch.tensor(float("-inf"), dtype=x.dtype)
    l = torch.tensor(0.0, dtype=x.dtype)
    for i in range(0, x.shape[0], block):
        chunk = x[i:i + block]
        m_new = torch.maximum(m, chunk.max())
        l = l * torch.exp(m - m_new) + torch.exp(chunk - m_new).sum()   # 旧的和按新最大值重新缩放
        m = m_new
    return torch.exp(x - m) / l                                # 归一化需要再逐元素走一遍
# --8<-- [end:softmax]


# --8<-- [start:cross_entropy]
import torch


def cross_entropy(logits, target, label_smoothing=0.0, ignore_index=-100):
    """Mean over non-ignored positions of -Σ_c q_c log p_c with q = (1 - ε)·one_hot + ε/V (uniform
    over all V classes, as torch.nn.functional.cross_entropy). logits [N, V]; target [N] int."""
    logp = torch.log_softmax(logits, dim=-1)                   # 不要 log(softmax(...))：会下溢成 -inf
    keep = target != ignore_index
    safe = torch.where(keep, target, 0)                        # -100 不能拿去 gather
    nll = -logp.gather(-1, safe[:, None]).squeeze(-1)
    smooth = -logp.mean(dim=-1)                                # 均匀分布部分：ε/V · Σ_c (-log p_c)
    loss = (1 - label_smoothing) * nll + label_smoothing * smooth
    return (loss * keep).sum() / keep.sum()                    # 只除以有效 token 数
# --8<-- [end:cross_entropy]


# --8<-- [start:grpo]
import torch


def grpo_advantages(rewards, group_size, scale=True, eps=1e-4):
    """rewards: [n_prompts * group_size], the group_size completions of a prompt next to each other.
    A_i = (r_i - mean(group)) / (std(group) + eps) (Shao et al. 2024); scale=False drops the std
    (Dr. GRPO, Liu et al. 2025). The same A_i is used for every token of completion i."""
    r = rewards.view(-1, group_size)                           # 按 prompt 分组
    adv = r - r.mean(dim=1, keepdim=True)
    if scale:
        adv = adv / (r.std(dim=1, keepdim=True) + eps)          # 样本标准差（torch 默认无偏），同 TRL
    return adv.reshape(-1)


def kl_estimators(logp, logp_ref):
    """Per-token estimators of KL(π || π_ref) from tokens sampled from π (Schulman 2020):
    with log r = logp_ref - logp, k1 = -log r, k2 = (log r)² / 2, k3 = (r - 1) - log r.
    k1 and k3 are unbiased; k3 is never negative. GRPO's KL term is k3."""
    log_r = logp_ref - logp
    return -log_r, 0.5 * log_r ** 2, torch.expm1(log_r) - log_r
# --8<-- [end:grpo]


# --8<-- [start:clip_loss]
import torch
import torch.nn.functional as F


def clip_loss(img_emb, txt_emb, logit_scale):
    """Symmetric InfoNCE over a batch of n matching pairs (Radford et al. 2021): row i of each
    embedding matrix [n, d] belongs together. logit_scale = 1/τ (CLIP learns log(1/τ), init 1/0.07)."""
    img = F.normalize(img_emb, dim=-1)                         # 余弦相似度：先 L2 归一化
    txt = F.normalize(txt_emb, dim=-1)
    logits = logit_scale * img @ txt.T                         # [n, n]，对角线是正例
    labels = torch.arange(logits.shape[0])
    return (F.cross_entropy(logits, labels) + F.cross_entropy(logits.T, labels)) / 2   # 图→文 + 文→图
# --8<-- [end:clip_loss]


# --8<-- [start:moe_router]
import torch


def topk_route(x, w_router, k):
    """x: [T, d]; w_router: [E, d]. Returns the router probabilities [T, E], the chosen experts [T, k]
    and their weights [T, k] (softmax over all E, then renormalised over the chosen k, as Mixtral)."""
    probs = torch.softmax(x @ w_router.T, dim=-1)
    top_p, top_i = probs.topk(k, dim=-1)
    return probs, top_i, top_p / top_p.sum(-1, keepdim=True)


def load_balancing_loss(probs, top_i, n_experts, alpha=0.01):
    """Switch Transformer: alpha · E · Σ_i f_i · P_i, f_i = share of the T·k assignments that went
    to expert i (counts: no gradient), P_i = mean router probability of expert i (carries the gradient).
    Uniform routing gives alpha."""
    counts = torch.zeros(n_experts, dtype=probs.dtype).scatter_add_(
        0, top_i.reshape(-1), torch.ones(top_i.numel(), dtype=probs.dtype))
    f = counts / top_i.numel()
    P = probs.mean(dim=0)
    return alpha * n_experts * (f * P).sum()


def moe_forward(x, w_router, experts, k):
    """experts: list of E callables [n, d] -> [n, d]. Each expert runs once on the tokens routed to it."""
    probs, top_i, weights = topk_route(x, w_router, k)
    out = torch.zeros_like(x)
    for e, expert in enumerate(experts):
        token, slot = torch.nonzero(top_i == e, as_tuple=True)    # 哪些 token 的第几个选择是 e
        if token.numel():
            out.index_add_(0, token, weights[token, slot, None] * expert(x[token]))
    return out, load_balancing_loss(probs, top_i, len(experts))
# --8<-- [end:moe_router]
