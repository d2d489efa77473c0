"""The calculator's JavaScript and the Python macros compute the same numbers."""

from __future__ import annotations

import json
import subprocess

import pytest
from conftest import ROOT

from kb import formulas as f

MODELS = f.load_models()
CASES = [(key, seq, batch, zero, gpus, recompute) for key in MODELS for seq, batch, zero, gpus, recompute in [
    (4096, 1, 0, 1, "none"), (32768, 4, 1, 8, "selective"), (2048, 8, 2, 64, "full"), (8192, 2, 3, 16, "none"),
]]


def run_js(cases: list[dict]) -> list[dict]:
    script = """
const F = require(process.argv[1]);
const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const out = cases.map(c => {
  const m = c.model, n = F.paramCount(m), hd = Math.floor(m.d_model / m.heads);
  return {
    params: n,
    states: F.modelStateBytes(n, c.zero, c.gpus).total,
    act: F.activationBytesPerLayer(c.seq, c.batch, m.d_model, m.heads, c.recompute),
    kv: F.kvCacheBytes(m.layers, m.kv_heads, hd, c.seq, c.batch, 'fp16'),
    flops: F.trainFlops(n, 2e12),
    attn: F.attentionFlops(c.seq, m.d_model),
    text: [F.fmtCount(n), F.fmtBytes(F.modelStateBytes(n, c.zero, c.gpus).total), F.fmtFlops(F.trainFlops(n, 2e12))],
  };
});
process.stdout.write(JSON.stringify(out));
"""
    proc = subprocess.run(
        ["node", "-e", script, str(ROOT / "docs/assets/javascripts/calculator.js")],
        input=json.dumps(cases), capture_output=True, text=True, check=True,
    )
    return json.loads(proc.stdout)


def test_javascript_and_python_agree() -> None:
    raw = json.loads((ROOT / "docs/assets/data/models.json").read_text("utf-8"))
    cases = [{"model": raw[k], "seq": s, "batch": b, "zero": z, "gpus": g, "recompute": r} for k, s, b, z, g, r in CASES]
    results = run_js(cases)
    for (key, seq, batch, zero, gpus, recompute), js in zip(CASES, results):
        m = MODELS[key]
        n = f.param_count(m)
        assert js["params"] == n, key
        assert js["states"] == pytest.approx(f.model_state_bytes(n, zero, gpus), rel=1e-12)
        assert js["act"] == pytest.approx(f.activation_bytes_per_layer(seq, batch, m.d_model, m.heads, recompute), rel=1e-12)
        assert js["kv"] == f.kv_cache_bytes(m.layers, m.kv_heads, m.head_dim, seq, batch)
        assert js["flops"] == pytest.approx(f.train_flops(n, 2e12), rel=1e-12)
        assert js["attn"] == f.attention_flops(seq, m.d_model)
        assert js["text"] == [f.fmt_count(n), f.fmt_bytes(f.model_state_bytes(n, zero, gpus)), f.fmt_flops(f.train_flops(n, 2e12))]


# Every mode of the page on fixed cases: (model, seq, batch, zero, gpus, recompute, rank, targets,
# qlora, checkpointing, concurrent, weight dtype, kv dtype, tokens, peak, mfu).
MODE_CASES = [
    ("llama2-7b", 4096, 1, 0, 1, "none", 16, "all", False, True, 16, "bf16", "bf16", 2e12, 989e12, 0.4),
    ("llama2-13b", 2048, 4, 3, 8, "selective", 8, "qv", True, False, 1, "int8", "fp8", 1.4e12, 312e12, 0.5),
    ("llama2-70b", 8192, 2, 2, 64, "full", 64, "attn", True, True, 32, "int4", "int8", 2e12, 989e12, 0.35),
    ("llama3-8b", 8192, 1, 1, 8, "none", 16, "all", True, True, 64, "fp8", "bf16", 15e12, 989e12, 0.4),
    ("llama3-70b", 4096, 1, 3, 16, "selective", 32, "qv", False, False, 8, "bf16", "fp8", 15e12, 989e12, 0.38),
    ("qwen2.5-7b", 32768, 1, 0, 1, "full", 16, "all", False, True, 100, "bf16", "bf16", 18e12, 312e12, 0.45),
    ("qwen2.5-72b", 4096, 2, 3, 64, "selective", 16, "all", True, True, 16, "int4", "bf16", 18e12, 989e12, 0.4),
    ("mixtral-8x7b", 4096, 1, 3, 8, "full", 16, "all", True, True, 32, "bf16", "bf16", 8e12, 989e12, 0.3),
    ("deepseek-v3", 4096, 1, 3, 2048, "full", 16, "attn", True, True, 64, "fp8", "bf16", 14.8e12, 989e12, 0.23),
    ("gpt3-175b", 2048, 1, 3, 1024, "selective", 4, "qv", False, True, 4, "fp16", "fp16", 300e9, 312e12, 0.2),
]


def run_js_modes(cases: list[dict]) -> list[dict]:
    script = """
const F = require(process.argv[1]);
const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));
process.stdout.write(JSON.stringify(cases.map(c => {
  const m = c.model, full = F.fullFinetuneMemory(m, c.seq, c.batch, c.zero, c.gpus, c.recompute);
  const lora = F.loraMemory(m, c.seq, c.batch, c.rank, c.targets, c.qlora, c.ckpt);
  const serve = F.servingMemory(m, c.seq, c.concurrent, c.wdtype, c.kvdtype);
  const active = F.paramCount(m, true), time = F.trainingTime(active, c.tokens, c.gpus, c.peak, c.mfu);
  return {
    params: F.paramCount(m), active, full, lora, serve, time,
    kvToken: F.kvBytesPerToken(m, c.kvdtype),
    cards: [24e9, 40e9, 80e9].map(g => F.gpusNeeded(serve.total, g)),
    text: [F.fmtBytes(full.total), F.fmtBytes(lora.total), F.fmtBytes(serve.total), F.fmtSci(time.flops), F.fmtFlopSi(time.flops),
           F.fmtTokens(c.tokens), F.fmtCount(lora.adapter_params), F.fmtCount(active)],
  };
})));
"""
    proc = subprocess.run(
        ["node", "-e", script, str(ROOT / "docs/assets/javascripts/calculator.js")],
        input=json.dumps(cases), capture_output=True, text=True, check=True,
    )
    return json.loads(proc.stdout)


def test_every_mode_matches_python() -> None:
    raw = json.loads((ROOT / "docs/assets/data/models.json").read_text("utf-8"))
    cases = [
        {"model": raw[k], "seq": s, "batch": b, "zero": z, "gpus": g, "recompute": r, "rank": rank, "targets": t, "qlora": ql,
         "ckpt": ck, "concurrent": c, "wdtype": wd, "kvdtype": kd, "tokens": tok, "peak": peak, "mfu": mfu}
        for k, s, b, z, g, r, rank, t, ql, ck, c, wd, kd, tok, peak, mfu in MODE_CASES
    ]
    for (key, seq, batch, zero, gpus, rec, rank, targets, qlora, ckpt, conc, wd, kd, tokens, peak, mfu), js in zip(MODE_CASES, run_js_modes(cases)):
        m = MODELS[key]
        assert js["params"] == f.param_count(m), key
        assert js["active"] == f.param_count(m, active=True), key
        full = f.full_finetune_memory(m, seq, batch, zero, gpus, rec)
        lora = f.lora_memory(m, seq, batch, rank, targets, qlora, ckpt)
        serve = f.serving_memory(m, seq, conc, wd, kd)
        time = f.training_time(f.param_count(m, active=True), tokens, gpus, peak, mfu)
        for name, py in (("full", full), ("lora", lora), ("serve", serve), ("time", time)):
            assert js[name].keys() == py.keys(), (key, name)
            for part in py:
                assert js[name][part] == pytest.approx(py[part], rel=1e-12), (key, name, part)
        assert js["kvToken"] == f.kv_bytes_per_token(m, kd)
        assert js["cards"] == [f.gpus_needed(serve["total"], g) for g in (24e9, 40e9, 80e9)]
        assert js["text"] == [f.fmt_bytes(full["total"]), f.fmt_bytes(lora["total"]), f.fmt_bytes(serve["total"]), f.fmt_sci(time["flops"]),
                              f.fmt_flop_si(time["flops"]), f.fmt_tokens(tokens), f.fmt_count(lora["adapter_params"]), f.fmt_count(f.param_count(m, active=True))]


def test_presets_match_their_model_cards() -> None:
    """Totals the model cards state, from the architecture in models.json (config.json values)."""
    expected = {  # (total, activated) as the cards print them
        "llama3-70b": ("70.6B", "70.6B"), "qwen2.5-72b": ("72.7B", "72.7B"),
        "mixtral-8x7b": ("46.7B", "12.9B"),  # Mistral AI: 46.7B total, 12.9B active
        "deepseek-v3": ("671B", "37.6B"),  # model card: 671B total, 37B activated (main model, MTP module excluded)
    }
    for key, (total, active) in expected.items():
        m = MODELS[key]
        assert (f.fmt_count(f.param_count(m)), f.fmt_count(f.param_count(m, active=True))) == (total, active), key
        assert m.source.startswith("https://huggingface.co/") and m.source.endswith("config.json"), key
    # MLA caches 512 + 64 elements per layer: 61 · 576 · 2 bytes in bf16
    assert f.kv_bytes_per_token(MODELS["deepseek-v3"], "bf16") == 61 * 576 * 2
    # LoRA r = 16 on every linear layer of LLaMA-2-7B: 40M adapter parameters (lora_train_bytes' default)
    assert f.lora_adapter_params(MODELS["llama2-7b"], 16, "all") == 39_976_960
    # Hu et al. 2021, §7.1: on GPT-3 175B, r = 4 on W_q and W_v in all 96 layers is their "18M" budget
    assert f.lora_adapter_params(MODELS["gpt3-175b"], 4, "qv") == 96 * 2 * 4 * (12288 + 12288) == 18_874_368
    # the breakdown adds up to lora_train_bytes with the same adapter count
    m = MODELS["llama2-7b"]
    for qlora in (False, True):
        br = f.lora_memory(m, 2048, 1, 16, "all", qlora, True)
        assert br["total"] == pytest.approx(f.lora_train_bytes(m, 2048, 1, qlora, br["adapter_params"]), rel=1e-12)


def test_number_formats() -> None:
    assert f.fmt_sci(8.09e22) == "8.09 × 10²²"
    assert f.fmt_sci(3.2e-5) == "3.20 × 10⁻⁵"
    assert f.fmt_flop_si(8.09e22) == "80.9 ZFLOPs"
    assert f.fmt_tokens(1.2e12) == "1.2 T tokens"
