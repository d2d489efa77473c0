"""Code-round exercise: speculative sampling (NumPy), the accept / reject step and a full
draft-then-verify loop whose output distribution is exactly the target model's.
Tested statistically on a small vocabulary in tests/test_coding.py."""

# --8<-- [start:speculative]
import numpy as np


def accept_or_resample(p, q, token, rng):
    """One position of speculative sampling (Leviathan et al. 2023; Chen et al. 2023).
    p, q: target and draft next-token distributions [V]; token was drawn from q.
    Returns (accepted?, the token to emit)."""
    if rng.random() < min(1.0, p[token] / q[token]):           # 以 min(1, p/q) 接受
        return True, token
    residual = np.maximum(p - q, 0.0)                          # 拒绝后从 norm(max(0, p - q)) 重采样
    return False, int(rng.choice(len(p), p=residual / residual.sum()))


def speculative_generate(target, draft, prefix, n_new, gamma, rng):
    """target(seq), draft(seq) -> next-token distribution [V]. Each round the draft proposes gamma
    tokens; the target scores all gamma + 1 prefixes (one forward pass in a real system)."""
    seq = list(prefix)
    while len(seq) < len(prefix) + n_new:
        proposal, qs = [], []
        for _ in range(gamma):                                 # 草稿模型自回归提 gamma 个
            q = draft(seq + proposal)
            proposal.append(int(rng.choice(len(q), p=q)))
            qs.append(q)
        ps = [target(seq + proposal[:i]) for i in range(gamma + 1)]   # 目标模型并行验证
        for i, tok in enumerate(proposal):
            ok, out = accept_or_resample(ps[i], qs[i], tok, rng)
            seq.append(out)
            if not ok:
                break                                          # 第一个被拒的位置之后全部作废
        else:
            seq.append(int(rng.choice(len(ps[gamma]), p=ps[gamma])))   # 全部接受：白送一个 token
    return seq[:len(prefix) + n_new]
# --8<-- [end:speculative]
