/* 显存与算力计算器. The formulas mirror hooks/formulas.py line for line;
   tests/test_calculator.py evaluates both on the same inputs and requires equal results.
   In Node this file exports the formulas; in the browser it drives <div id="kb-calc">. */
(function (root) {
  "use strict";
  var DTYPE_BYTES = { fp32: 4, tf32: 4, fp16: 2, bf16: 2, fp8: 1, int8: 1, int4: 0.5 };

  function headDim(m) { return Math.floor(m.d_model / m.heads); }

  function paramCount(m) {
    var d = m.d_model, hd = headDim(m);
    var qOut = m.heads * hd, kvOut = m.kv_heads * hd;
    var attn = d * qOut + 2 * d * kvOut + qOut * d;
    if (m.bias === true) attn += qOut + 2 * kvOut + d;
    else if (m.bias === "qkv") attn += qOut + 2 * kvOut;
    var ffn = m.ffn_type === "swiglu" ? 3 * d * m.ffn : 2 * d * m.ffn + (m.bias === true ? m.ffn + d : 0);
    var norm = m.norm === "layernorm" ? 2 * d : d;
    var perLayer = attn + ffn + 2 * norm;
    var embed = m.vocab * d + (m.learned_pos || 0) * d;
    var head = m.tied ? 0 : m.vocab * d;
    return m.layers * perLayer + embed + head + norm;
  }

  function modelStateBytes(params, zeroStage, gpus) {
    var weights = 2 * params, grads = 2 * params, optim = 12 * params;
    if (zeroStage >= 1) optim /= gpus;
    if (zeroStage >= 2) grads /= gpus;
    if (zeroStage >= 3) weights /= gpus;
    return { weights: weights, grads: grads, optim: optim, total: weights + grads + optim };
  }

  function activationBytesPerLayer(seq, batch, dModel, heads, recompute, tp) {
    tp = tp || 1;
    var sbh = seq * batch * dModel;
    if (recompute === "none") return sbh * (34 + 5 * heads * seq / dModel) / tp;
    if (recompute === "selective") return 34 * sbh / tp;
    if (recompute === "full") return 2 * sbh;
    throw new Error("recompute must be 'none', 'selective' or 'full'");
  }

  function kvCacheBytes(layers, kvHeads, hd, seq, batch, dtype) {
    return 2 * batch * seq * layers * kvHeads * hd * DTYPE_BYTES[dtype || "fp16"];
  }

  function trainFlops(params, tokens) { return 6 * params * tokens; }

  function attentionFlops(seq, dModel) { return 8 * seq * dModel * dModel + 4 * seq * seq * dModel; }

  function sig(x) {
    if (x >= 100) return x.toFixed(0);
    if (x >= 10) return String(parseFloat(x.toFixed(1)));
    return String(parseFloat(x.toFixed(2)));
  }
  function fmtBytes(n) {
    var units = [["TB", 1e12], ["GB", 1e9], ["MB", 1e6], ["KB", 1e3]];
    for (var i = 0; i < units.length; i++) if (n >= units[i][1]) return sig(n / units[i][1]) + " " + units[i][0];
    return n.toFixed(0) + " B";
  }
  function fmtCount(n) {
    var units = [["T", 1e12], ["B", 1e9], ["M", 1e6], ["K", 1e3]];
    for (var i = 0; i < units.length; i++) if (n >= units[i][1]) return sig(n / units[i][1]) + units[i][0];
    return n.toFixed(0);
  }
  function fmtFlops(n) {
    var parts = n.toExponential(2).split("e");
    return parts[0] + " × 10^" + parseInt(parts[1], 10);
  }

  var F = {
    paramCount: paramCount, modelStateBytes: modelStateBytes, activationBytesPerLayer: activationBytesPerLayer,
    kvCacheBytes: kvCacheBytes, trainFlops: trainFlops, attentionFlops: attentionFlops,
    fmtBytes: fmtBytes, fmtCount: fmtCount, fmtFlops: fmtFlops,
  };
  if (typeof module !== "undefined" && module.exports) { module.exports = F; return; }
  root.kbFormulas = F;

  /* ---- the page ---- */
  var box = document.getElementById("kb-calc");
  if (!box) return;
  var FIELDS = [
    ["vocab", "词表大小 V"], ["d_model", "隐藏维度 d_model"], ["layers", "层数 L"], ["heads", "注意力头数 h"],
    ["kv_heads", "KV 头数 n_kv"], ["ffn", "FFN 中间维度"], ["seq", "序列长度 s"], ["batch", "批大小 b"],
    ["gpus", "GPU 数 N"], ["tokens", "训练 token 数"],
  ];
  var html = '<form class="kb-calc-form"><label>预设模型 <select name="preset"></select></label>';
  FIELDS.forEach(function (f) { html += '<label>' + f[1] + ' <input type="number" min="0" name="' + f[0] + '"></label>'; });
  html += '<label>FFN 类型 <select name="ffn_type"><option value="swiglu">SwiGLU（3 个矩阵）</option><option value="mlp">MLP（2 个矩阵）</option></select></label>' +
    '<label>KV cache 精度 <select name="dtype"><option>fp16</option><option>bf16</option><option>fp8</option><option>int8</option><option>int4</option><option>fp32</option></select></label>' +
    '<label>ZeRO 阶段 <select name="zero"><option value="0">不切分</option><option value="1">ZeRO-1</option><option value="2">ZeRO-2</option><option value="3">ZeRO-3</option></select></label>' +
    '<label>激活重计算 <select name="recompute"><option value="none">无</option><option value="selective">选择性</option><option value="full">完全</option></select></label>' +
    '<label><input type="checkbox" name="tied"> 输入输出嵌入共享</label></form>' +
    '<table class="kb-calc-out"><tbody></tbody></table>';
  box.innerHTML = html;
  var form = box.querySelector("form"), out = box.querySelector("tbody");
  var presets = {}, base = {};

  function num(name) { return Number(form[name].value) || 0; }

  function update() {
    var m = Object.assign({}, base, {
      vocab: num("vocab"), d_model: num("d_model"), layers: num("layers"), heads: Math.max(1, num("heads")),
      kv_heads: Math.max(1, num("kv_heads")), ffn: num("ffn"), ffn_type: form.ffn_type.value, tied: form.tied.checked,
    });
    var n = paramCount(m), zero = Number(form.zero.value), gpus = Math.max(1, num("gpus"));
    var states = modelStateBytes(n, zero, gpus);
    var act = activationBytesPerLayer(num("seq"), num("batch"), m.d_model, m.heads, form.recompute.value) * m.layers;
    var rows = [
      ["参数量", fmtCount(n)],
      ["权重（fp16/bf16，每卡）", fmtBytes(states.weights)],
      ["梯度（fp16/bf16，每卡）", fmtBytes(states.grads)],
      ["优化器状态（fp32 主权重 + Adam m、v，每卡）", fmtBytes(states.optim)],
      ["模型状态合计（每卡）", fmtBytes(states.total)],
      ["激活（全部层，每卡，Korthikanti et al. 2022）", fmtBytes(act)],
      ["KV cache（推理）", fmtBytes(kvCacheBytes(m.layers, m.kv_heads, headDim(m), num("seq"), num("batch"), form.dtype.value))],
      ["训练 FLOPs（6ND）", fmtFlops(trainFlops(n, num("tokens")))],
      ["单层自注意力前向 FLOPs", fmtFlops(attentionFlops(num("seq"), m.d_model))],
    ];
    out.innerHTML = rows.map(function (r) { return "<tr><th scope=\"row\">" + r[0] + "</th><td data-kb-out>" + r[1] + "</td></tr>"; }).join("");
  }

  function applyPreset(key) {
    base = presets[key];
    ["vocab", "d_model", "layers", "heads", "kv_heads", "ffn"].forEach(function (k) { form[k].value = base[k]; });
    form.ffn_type.value = base.ffn_type;
    form.tied.checked = !!base.tied;
    update();
  }

  form.seq.value = 4096; form.batch.value = 1; form.gpus.value = 1; form.tokens.value = 2e12;
  form.addEventListener("input", update);
  form.addEventListener("change", function (e) { if (e.target.name === "preset") applyPreset(e.target.value); else update(); });
  var script = document.currentScript;
  function usePresets(data) {
    Object.keys(data).forEach(function (k) {
      if (k.charAt(0) === "_") return;
      presets[k] = data[k];
      var o = document.createElement("option"); o.value = k; o.textContent = data[k].name; form.preset.appendChild(o);
    });
    form.preset.value = "llama2-7b";
    applyPreset("llama2-7b");
  }
  var inline = document.getElementById("kb-model-presets");  // inlined by the page (works from file://)
  var data = null;
  try { data = inline ? JSON.parse(inline.textContent) : null; } catch (e) { data = null; }
  if (data) usePresets(data);
  else fetch(new URL("../data/models.json", script ? script.src : location.href)).then(function (r) {
    if (!r.ok) throw new Error("HTTP " + r.status);
    return r.json();
  }).then(usePresets).catch(function () {
    var p = document.createElement("p");
    p.className = "kb-calc-error";
    p.setAttribute("role", "alert");
    p.textContent = "预设模型没有载入，可以直接输入架构参数。";
    box.insertBefore(p, box.firstChild);
  });
})(this);
