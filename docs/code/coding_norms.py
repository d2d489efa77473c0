"""Code-round exercise: LayerNorm forward and its backward written by hand (PyTorch tensors,
no autograd). Checked against autograd in tests/test_coding.py."""

# --8<-- [start:layernorm_backward]
import torch


def layer_norm_forward(x, gamma, beta, eps=1e-5):
    """y = gamma · x̂ + beta, x̂ = (x - mean) / sqrt(var + eps) over the last dimension (biased var).
    Returns y and the cache the backward pass needs."""
    mu = x.mean(-1, keepdim=True)
    var = ((x - mu) ** 2).mean(-1, keepdim=True)               # 除以 d（有偏），与 nn.LayerNorm 一致
    rstd = torch.rsqrt(var + eps)
    x_hat = (x - mu) * rstd
    return gamma * x_hat + beta, (x_hat, rstd, gamma)


def layer_norm_backward(dy, cache):
    """Gradients (dx, dgamma, dbeta) from dy = ∂L/∂y, same shape as x.

    dx = rstd · (dx̂ - mean(dx̂) - x̂ · mean(dx̂ · x̂)), dx̂ = dy · gamma: the two means come from
    mean and var depending on every element of the row."""
    x_hat, rstd, gamma = cache
    reduce_dims = tuple(range(dy.dim() - 1))                   # gamma、beta 对除最后一维外求和
    dgamma = (dy * x_hat).sum(reduce_dims)
    dbeta = dy.sum(reduce_dims)
    dx_hat = dy * gamma
    dx = rstd * (dx_hat - dx_hat.mean(-1, keepdim=True) - x_hat * (dx_hat * x_hat).mean(-1, keepdim=True))
    return dx, dgamma, dbeta
# --8<-- [end:layernorm_backward]
