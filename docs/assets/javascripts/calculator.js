/* 显存与算力计算器. The formulas mirror kb/formulas.py line for line;
   tests/test_calculator.py evaluates both on the same inputs and requires equal results.
   In Node this file exports the formulas; in the browser it drives <div id="kb-calc"> with four
   modes: full fine-tuning, LoRA / QLoRA, inference serving, training FLOPs and time. */
(function (root) {
  "use strict";
  var DTYPE_BYTES = { fp32: 4, tf32: 4, fp16: 2, bf16: 2, fp8: 1, int8: 1, int4: 0.5 };
  var NF4_BYTES = 0.5 + 0.127 / 8;

  function headDim(m) { return Math.floor(m.d_model / m.heads); }
  function v(m, k) { return m[k] || 0; }

  /* {attn, ffn, ffn_active}: lists of [in, out, copies] (formulas.linear_shapes). */
  function linearShapes(m) {
    var d = m.d_model, hd = headDim(m), L = m.layers, attn;
    if (v(m, "kv_lora_rank")) {
      var qk = m.heads * (m.qk_nope_dim + m.qk_rope_dim);
      var qMats = m.q_lora_rank ? [[d, m.q_lora_rank, L], [m.q_lora_rank, qk, L]] : [[d, qk, L]];
      attn = qMats.concat([[d, m.kv_lora_rank + m.qk_rope_dim, L], [m.kv_lora_rank, m.heads * (m.qk_nope_dim + m.v_head_dim), L], [m.heads * m.v_head_dim, d, L]]);
    } else {
      attn = [[d, m.heads * hd, L], [d, m.kv_heads * hd, L], [d, m.kv_heads * hd, L], [m.heads * hd, d, L]];
    }
    var mats = m.ffn_type === "swiglu" ? 3 : 2;
    function ffn(width, copies) {
      if (!copies) return [];
      var out = [];
      for (var i = 0; i < mats - 1; i++) out.push([d, width, copies]);
      out.push([width, d, copies]);
      return out;
    }
    if (!v(m, "experts")) return { attn: attn, ffn: ffn(m.ffn, L), ffn_active: ffn(m.ffn, L) };
    var moeLayers = L - v(m, "dense_layers"), width = v(m, "moe_ffn") || m.ffn, dense = ffn(m.ffn, v(m, "dense_layers"));
    return {
      attn: attn,
      ffn: dense.concat(ffn(width, moeLayers * (m.experts + v(m, "shared_experts")))),
      ffn_active: dense.concat(ffn(width, moeLayers * (m.experts_active + v(m, "shared_experts")))),
    };
  }
  function total(mats) { return mats.reduce(function (s, x) { return s + x[0] * x[1] * x[2]; }, 0); }

  function paramCount(m, active) {
    var d = m.d_model, shapes = linearShapes(m);
    var attn = Math.floor(total(shapes.attn) / m.layers);
    if (v(m, "kv_lora_rank")) attn += m.kv_lora_rank + v(m, "q_lora_rank");
    else {
      var hd = headDim(m), qOut = m.heads * hd, kvOut = m.kv_heads * hd;
      if (m.bias === true) attn += qOut + 2 * kvOut + d;
      else if (m.bias === "qkv") attn += qOut + 2 * kvOut;
    }
    var ffn = total(active ? shapes.ffn_active : shapes.ffn);
    if (m.ffn_type !== "swiglu" && m.bias === true) ffn += m.layers * (m.ffn + d);
    var router = v(m, "experts") ? (m.layers - v(m, "dense_layers")) * d * m.experts : 0;
    var norm = m.norm === "layernorm" ? 2 * d : d;
    var embed = m.vocab * d + (m.learned_pos || 0) * d;
    var head = m.tied ? 0 : m.vocab * d;
    return m.layers * (attn + 2 * norm) + ffn + router + embed + head + norm;
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

  function fullFinetuneMemory(m, seq, batch, zero, gpus, recompute) {
    var s = modelStateBytes(paramCount(m), zero, gpus);
    var act = activationBytesPerLayer(seq, batch, m.d_model, m.heads, recompute) * m.layers;
    return { weights: s.weights, grads: s.grads, optimizer: s.optim, activations: act, total: s.weights + s.grads + s.optim + act };
  }

  var LORA_TARGETS = ["qv", "attn", "all"];
  function loraAdapterParams(m, rank, targets) {
    if (LORA_TARGETS.indexOf(targets) < 0) throw new Error("targets must be one of " + LORA_TARGETS.join(", "));
    var shapes = linearShapes(m), attn = shapes.attn;
    if (targets === "qv") attn = v(m, "kv_lora_rank") ? attn.slice(0, -3).concat([attn[attn.length - 2]]) : [attn[0], attn[2]];
    var mats = attn.concat(targets === "all" ? shapes.ffn : []);
    return mats.reduce(function (s, x) { return s + rank * (x[0] + x[1]) * x[2]; }, 0);
  }

  function loraMemory(m, seq, batch, rank, targets, qlora, checkpointing) {
    var params = paramCount(m), adapters = loraAdapterParams(m, rank, targets), frozen;
    if (qlora) {
      var embedHead = m.vocab * m.d_model * (m.tied ? 1 : 2);
      frozen = (params - embedHead) * NF4_BYTES + embedHead * 2;
    } else frozen = params * 2;
    var layer = checkpointing ? 2 * m.d_model * m.layers + 34 * m.d_model : 34 * m.d_model * m.layers;
    var act = seq * batch * (layer + 8 * m.vocab);
    var out = { frozen: frozen, adapter_params: adapters, adapters: 4 * adapters, optimizer: 12 * adapters, activations: act };
    out.total = frozen + out.adapters + out.optimizer + act;
    return out;
  }

  function kvCacheBytes(layers, kvHeads, hd, seq, batch, dtype) {
    return 2 * batch * seq * layers * kvHeads * hd * DTYPE_BYTES[dtype || "fp16"];
  }
  function kvBytesPerToken(m, dtype) {
    var perLayer = v(m, "kv_lora_rank") ? m.kv_lora_rank + m.qk_rope_dim : 2 * m.kv_heads * headDim(m);
    return m.layers * perLayer * DTYPE_BYTES[dtype || "fp16"];
  }
  function servingMemory(m, seq, concurrent, weightDtype, kvDtype) {
    var weights = paramCount(m) * DTYPE_BYTES[weightDtype || "bf16"];
    var kv = kvBytesPerToken(m, kvDtype || "bf16") * seq * concurrent;
    return { weights: weights, kv: kv, total: weights + kv };
  }
  function gpusNeeded(totalBytes, gpuMemory, usable) {
    return Math.ceil(totalBytes / (gpuMemory * (usable === undefined ? 0.9 : usable)));
  }

  function trainFlops(params, tokens) { return 6 * params * tokens; }
  function attentionFlops(seq, dModel) { return 8 * seq * dModel * dModel + 4 * seq * seq * dModel; }
  function trainingTime(params, tokens, gpus, peak, mfu) {
    var flops = trainFlops(params, tokens), hours = flops / (peak * mfu) / 3600;
    return { flops: flops, gpu_hours: hours, days: hours / gpus / 24 };
  }

  /* ---- formatting (formulas.fmt_*) ---- */
  function sig(x) {
    if (x >= 100) return x.toFixed(0);
    if (x >= 10) return String(parseFloat(x.toFixed(1)));
    return String(parseFloat(x.toFixed(2)));
  }
  function unit(n, units, sep, none) {
    for (var i = 0; i < units.length; i++) if (n >= units[i][1]) return sig(n / units[i][1]) + sep + units[i][0];
    return none(n);
  }
  function fmtBytes(n) { return unit(n, [["TB", 1e12], ["GB", 1e9], ["MB", 1e6], ["KB", 1e3]], " ", function (x) { return x.toFixed(0) + " B"; }); }
  function fmtCount(n) { return unit(n, [["T", 1e12], ["B", 1e9], ["M", 1e6], ["K", 1e3]], "", function (x) { return x.toFixed(0); }); }
  function fmtTokens(n) { return unit(n, [["T tokens", 1e12], ["B tokens", 1e9], ["M tokens", 1e6], ["K tokens", 1e3]], " ", function (x) { return x.toFixed(0) + " tokens"; }); }
  function fmtFlopSi(n) {
    return unit(n, [["YFLOPs", 1e24], ["ZFLOPs", 1e21], ["EFLOPs", 1e18], ["PFLOPs", 1e15], ["TFLOPs", 1e12], ["GFLOPs", 1e9]], " ", function (x) { return x.toFixed(0) + " FLOPs"; });
  }
  var SUP = { "-": "⁻", 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹" };
  function fmtSci(n) {
    var parts = n.toExponential(2).split("e");
    return parts[0] + " × 10" + String(parseInt(parts[1], 10)).split("").map(function (c) { return SUP[c]; }).join("");
  }
  var fmtFlops = fmtSci;  // as kb/formulas.py fmt_flops

  var F = {
    linearShapes: linearShapes, paramCount: paramCount, modelStateBytes: modelStateBytes, activationBytesPerLayer: activationBytesPerLayer,
    fullFinetuneMemory: fullFinetuneMemory, loraAdapterParams: loraAdapterParams, loraMemory: loraMemory,
    kvCacheBytes: kvCacheBytes, kvBytesPerToken: kvBytesPerToken, servingMemory: servingMemory, gpusNeeded: gpusNeeded,
    trainFlops: trainFlops, attentionFlops: attentionFlops, trainingTime: trainingTime,
    fmtBytes: fmtBytes, fmtCount: fmtCount, fmtFlops: fmtFlops, fmtSci: fmtSci, fmtFlopSi: fmtFlopSi, fmtTokens: fmtTokens, sig: sig,
  };
  if (typeof module !== "undefined" && module.exports) { module.exports = F; return; }
  root.kbFormulas = F;

  /* ---- the page: built by init() once the DOM is ready ---- */
  var script = document.currentScript;
  kb.ready(function init() {
    var box = document.getElementById("kb-calc");
    if (!box) return;
    var MODES = [["full", "全量微调"], ["lora", "LoRA / QLoRA"], ["serve", "推理服务"], ["flops", "训练算力与时间"]];
    var CARDS = [["24 GB", 24e9], ["40 GB", 40e9], ["80 GB", 80e9]];
    function field(name, label, attrs, modes) {
      return '<label data-modes="' + modes + '">' + label + ' <input type="number" min="0" name="' + name + '"' + (attrs || "") + "></label>";
    }
    function select(name, label, options, modes) {
      return '<label data-modes="' + modes + '">' + label + ' <select name="' + name + '">' +
        options.map(function (o) { return '<option value="' + o[0] + '">' + o[1] + "</option>"; }).join("") + "</select></label>";
    }
    var DT = [["bf16", "bf16 / fp16（2 字节）"], ["fp8", "fp8（1 字节）"], ["int8", "int8（1 字节）"], ["int4", "int4（0.5 字节）"], ["fp32", "fp32（4 字节）"]];
    var html = '<div class="kb-calc-modes" role="group" aria-label="计算什么">' + MODES.map(function (m, i) {
      return '<button type="button" class="kb-calc-mode" data-mode="' + m[0] + '" aria-pressed="' + (i === 0) + '">' + m[1] + "</button>";
    }).join("") + "</div>" +
      '<div class="kb-calc-body"><form class="kb-calc-form" onsubmit="return false">' +
      '<label class="kb-calc-wide" data-modes="full lora serve flops">预设模型 <select name="preset"></select></label>' +
      field("seq", "序列长度 s", ' step="1"', "full lora serve") +
      field("batch", "批大小 b", ' step="1"', "full lora") +
      field("concurrent", "并发序列数 N", ' step="1"', "serve") +
      field("gpus", "GPU 数", ' step="1"', "full") +
      field("tgpus", "GPU 数", ' step="1"', "flops") +
      select("zero", "ZeRO 阶段", [["0", "不切分"], ["1", "ZeRO-1"], ["2", "ZeRO-2"], ["3", "ZeRO-3"]], "full") +
      select("recompute", "激活重计算", [["none", "无"], ["selective", "选择性"], ["full", "完全"]], "full") +
      select("lora_method", "方法", [["lora", "LoRA（冻结权重 16 位）"], ["qlora", "QLoRA（冻结权重 NF4）"]], "lora") +
      field("rank", "秩 r", ' step="1"', "lora") +
      select("targets", "加在哪些矩阵", [["all", "全部线性层"], ["attn", "注意力全部投影"], ["qv", "只加 Q、V"]], "lora") +
      '<label class="kb-calc-check" data-modes="lora"><input type="checkbox" name="checkpointing"> 激活检查点（重计算）</label>' +
      select("wdtype", "权重精度", DT, "serve") +
      select("dtype", "KV cache 精度", DT.slice(0, 4), "serve") +
      field("tokens", "训练 token 数（单位 B = 10⁹）", ' step="any"', "flops") +
      select("gpu", "GPU", [], "flops") +
      field("peak", "每卡峰值（TFLOPS，稠密 BF16）", ' step="any"', "flops") +
      field("mfu", "MFU（%）", ' step="any" max="100"', "flops") +
      '<details class="kb-calc-arch kb-calc-wide"><summary>架构参数（随预设填入，可修改）</summary><div class="kb-calc-grid">' +
      field("vocab", "词表大小 V", "", "all") + field("d_model", "隐藏维度 d_model", "", "all") + field("layers", "层数 L", "", "all") +
      field("heads", "注意力头数 h", "", "all") + field("kv_heads", "KV 头数 n_kv", "", "all") + field("ffn", "FFN 中间维度", "", "all") +
      select("ffn_type", "FFN 类型", [["swiglu", "SwiGLU（3 个矩阵）"], ["mlp", "MLP（2 个矩阵）"]], "all") +
      '<label class="kb-calc-check" data-modes="all"><input type="checkbox" name="tied"> 输入输出嵌入共享</label>' +
      '</div><p class="kb-calc-moe" hidden></p></details></form>' +
      '<div class="kb-calc-results" aria-live="polite"><table class="kb-calc-out"><caption></caption><tbody></tbody></table>' +
      '<p class="kb-calc-note"></p></div></div>' +
      '<div class="kb-calc-totalbar" aria-hidden="true"></div>';
    box.innerHTML = html;
    var form = box.querySelector("form"), out = box.querySelector("tbody"), caption = box.querySelector("caption");
    var note = box.querySelector(".kb-calc-note"), bar = box.querySelector(".kb-calc-totalbar"), moeNote = box.querySelector(".kb-calc-moe");
    var presets = {}, gpus = {}, base = {}, mode = "full";

    function num(name) { var x = Number(form[name].value); return isFinite(x) && x > 0 ? x : 0; }
    function ref(id) {  /* the question that derives a row: the link calculator.md makes with q() */
      var a = document.querySelector('.md-content a[href$="#' + id + '"]');
      return a ? '<a class="kb-calc-ref" href="' + a.getAttribute("href") + '" title="' + a.textContent.replace(/"/g, "&quot;") + '">推导</a>' : "";
    }
    function row(label, value, refId, cls) {
      value = blank(value);
      return '<tr' + (cls ? ' class="' + cls + '"' : "") + '><th scope="row">' + label + (refId ? " " + ref(refId) : "") + "</th><td data-kb-out>" + value + "</td></tr>";
    }

    function blank(text) { return /NaN|Infinity/.test(text) ? "—" : text; }  // an architecture not filled in yet

    function model() {
      return Object.assign({}, base, {
        vocab: num("vocab"), d_model: num("d_model"), layers: Math.max(1, num("layers")), heads: Math.max(1, num("heads")),
        kv_heads: Math.max(1, num("kv_heads")), ffn: num("ffn"), ffn_type: form.ffn_type.value, tied: form.tied.checked,
      });
    }

    function update() {
      var m = model(), rows = [], totalText, n = paramCount(m), seq = num("seq"), batch = Math.max(1, num("batch"));
      [].forEach.call(form.querySelectorAll("[data-modes]"), function (l) {
        var ms = l.getAttribute("data-modes");
        l.hidden = !(ms === "all" || ms.split(" ").indexOf(mode) >= 0);
      });
      if (mode === "full") {
        var g = Math.max(1, num("gpus")), r = fullFinetuneMemory(m, seq, batch, Number(form.zero.value), g, form.recompute.value);
        caption.textContent = "全量微调（混合精度 Adam），每卡";
        rows = [
          row("参数量", fmtCount(n), "training-param-count"),
          row("权重（bf16）", fmtBytes(r.weights), "training-memory-breakdown"),
          row("梯度（bf16）", fmtBytes(r.grads), "training-memory-breakdown"),
          row("优化器状态（fp32 主权重 + Adam m、v）", fmtBytes(r.optimizer), "training-zero-stages"),
          row("激活（全部层）", fmtBytes(r.activations), form.recompute.value === "none" ? "training-activation-memory" : "training-activation-recomputation"),
          row("合计（每卡）", fmtBytes(r.total), "", "kb-calc-total"),
        ];
        totalText = fmtBytes(r.total) + " / 卡";
      } else if (mode === "lora") {
        var q = form.lora_method.value === "qlora", l = loraMemory(m, seq, batch, Math.max(1, num("rank")), form.targets.value, q, form.checkpointing.checked);
        caption.textContent = (q ? "QLoRA" : "LoRA") + " 微调，单卡";
        rows = [
          row("可训练参数（adapter）", fmtCount(l.adapter_params) + "（占 " + sig(100 * l.adapter_params / n) + "%）", "peft-lora-target-modules"),
          row(q ? "冻结权重（NF4 + 量化常数，嵌入与输出层 16 位）" : "冻结权重（bf16）", fmtBytes(l.frozen), q ? "peft-qlora" : "peft-memory-estimate"),
          row("adapter 权重与梯度（bf16）", fmtBytes(l.adapters), "peft-memory-estimate"),
          row("adapter 的 Adam 状态（fp32 主权重 + m、v）", fmtBytes(l.optimizer), "peft-memory-estimate"),
          row(form.checkpointing.checked ? "激活（检查点：每层输入 + 一层重算 + logits）" : "激活（不重计算，FlashAttention）", fmtBytes(l.activations), form.checkpointing.checked ? "training-activation-recomputation" : "training-activation-memory"),
          row("合计", fmtBytes(l.total), "", "kb-calc-total"),
        ];
        totalText = fmtBytes(l.total);
      } else if (mode === "serve") {
        var c = Math.max(1, num("concurrent")), s = servingMemory(m, seq, c, form.wdtype.value, form.dtype.value);
        caption.textContent = "推理服务：权重 + " + c + " 条序列 × " + seq + " token 的 KV cache";
        rows = [
          row("参数量", fmtCount(n), "training-param-count"),
          row("权重（" + form.wdtype.value + "）", fmtBytes(s.weights), "inference-memory-budget"),
          row("KV cache 每 token（" + (v(m, "kv_lora_rank") ? "MLA 压缩" : "n_kv = " + m.kv_heads) + "）", fmtBytes(kvBytesPerToken(m, form.dtype.value)), v(m, "kv_lora_rank") ? "inference-mqa-gqa-mla" : "inference-kv-cache-size"),
          row("KV cache（" + c + " 条序列）", fmtBytes(s.kv), "inference-kv-cache-size"),
          row("合计", fmtBytes(s.total), "", "kb-calc-total"),
        ];
        CARDS.forEach(function (card) {
          var k = gpusNeeded(s.total, card[1]);
          rows.push(row(card[0] + " 卡（可用 90%）", k === 1 ? "1 张放得下" : "至少 " + k + " 张", "inference-memory-budget", "kb-calc-fit"));
        });
        totalText = fmtBytes(s.total);
      } else {
        var active = paramCount(m, true), tokens = num("tokens") * 1e9, gg = Math.max(1, num("tgpus"));
        var t = trainingTime(active, tokens, gg, num("peak") * 1e12, num("mfu") / 100);
        caption.textContent = "训练算力：" + fmtTokens(tokens) + "，" + gg + " 张卡";
        rows = [
          row(v(m, "experts") ? "每 token 激活参数 N（总 " + fmtCount(n) + "）" : "参数量 N", fmtCount(active), "pipeline-6nd-flops"),
          row("训练 FLOPs（6ND）", fmtSci(t.flops) + "（" + fmtFlopSi(t.flops) + "）", "pipeline-6nd-flops"),
          row("GPU 时", isFinite(t.gpu_hours) ? fmtCount(t.gpu_hours) + " GPU·时" : "—", "pipeline-gpu-days"),
          row("墙钟时间", isFinite(t.days) ? sig(t.days) + " 天" : "—", "pipeline-gpu-days", "kb-calc-total"),
        ];
        totalText = isFinite(t.days) ? sig(t.days) + " 天 · " + fmtSci(t.flops) + " FLOPs" : "—";
      }
      out.innerHTML = rows.join("");
      bar.textContent = "合计：" + blank(totalText);
      note.textContent = mode === "serve" ? "只算权重和 KV cache；激活、CUDA graph 与框架缓冲另需显存，vLLM 默认只用 90%。" :
        mode === "flops" ? "6ND 不含注意力的 s² 项与重计算；MoE 按每 token 激活的参数计。" : "十进制 GB（10⁹ 字节）；不含框架开销、临时缓冲与显存碎片。";
      if (mode === "full" || mode === "lora") note.textContent += v(m, "experts") ? " MoE 的激活按 d_model 估算，未计路由带来的不均衡。" : "";
    }

    function applyPreset(key) {
      base = presets[key];
      ["vocab", "d_model", "layers", "heads", "kv_heads", "ffn"].forEach(function (k) { form[k].value = base[k]; });
      form.ffn_type.value = base.ffn_type;
      form.tied.checked = !!base.tied;
      var bits = [];
      if (base.experts) bits.push("MoE：" + base.experts + " 个路由专家，每 token 用 " + base.experts_active + " 个" + (base.shared_experts ? "，另有 " + base.shared_experts + " 个共享专家" : "") + (base.moe_ffn ? "，专家宽度 " + base.moe_ffn : "") + (base.dense_layers ? "，前 " + base.dense_layers + " 层为稠密 FFN" : ""));
      if (base.kv_lora_rank) bits.push("MLA：KV 压缩到 d_c = " + base.kv_lora_rank + "，另存 RoPE 键 " + base.qk_rope_dim + " 维；Q 压缩到 " + base.q_lora_rank);
      moeNote.hidden = !bits.length;
      moeNote.textContent = bits.join("。") + (bits.length ? "（取自预设）。" : "");
      update();
    }
    function setMode(m) {
      mode = m;
      [].forEach.call(box.querySelectorAll(".kb-calc-mode"), function (b) { b.setAttribute("aria-pressed", String(b.dataset.mode === m)); });
      update();
    }
    box.addEventListener("click", function (e) {
      kb.dispatch(e, [[".kb-calc-mode", function (b) {
        setMode(b.dataset.mode);
        var url = new URL(location.href);
        url.hash = b.dataset.mode === "full" ? "" : "mode=" + b.dataset.mode;
        if (window.history.replaceState) window.history.replaceState(null, "", url.href.replace(/#$/, ""));
      }]]);
    });

    form.seq.value = 4096; form.batch.value = 1; form.gpus.value = 1; form.tgpus.value = 1024; form.tokens.value = 2000; form.rank.value = 16;
    form.concurrent.value = 16; form.mfu.value = 40; form.checkpointing.checked = true; form.wdtype.value = "bf16"; form.dtype.value = "bf16";
    form.addEventListener("input", function (e) {
      if (e.target.name === "peak") form.gpu.value = "";  // a typed peak is no longer the chosen card's
      update();
    });
    form.addEventListener("change", function (e) {
      if (e.target.name === "preset") applyPreset(e.target.value);
      else if (e.target.name === "gpu") { if (gpus[e.target.value]) form.peak.value = gpus[e.target.value].bf16 / 1e12; update(); }
      else update();
    });

    function readInline(id) {
      var tag = document.getElementById(id);
      try { return tag ? JSON.parse(tag.textContent) : null; } catch (e) { return null; }
    }
    function useGpus(data) {
      form.gpu.innerHTML = "";
      Object.keys(data || {}).forEach(function (k) {
        if (k.charAt(0) === "_") return;
        gpus[k] = data[k];
        var o = document.createElement("option"); o.value = k; o.textContent = data[k].name; form.gpu.appendChild(o);
      });
      var o = document.createElement("option"); o.value = ""; o.textContent = "自定义峰值"; form.gpu.appendChild(o);
      form.gpu.value = gpus["h100-sxm"] ? "h100-sxm" : "";
      form.peak.value = gpus["h100-sxm"] ? gpus["h100-sxm"].bf16 / 1e12 : 989;
    }
    function usePresets(data) {
      form.preset.innerHTML = "";
      Object.keys(data).forEach(function (k) {
        if (k.charAt(0) === "_") return;
        presets[k] = data[k];
        var o = document.createElement("option"); o.value = k; o.textContent = data[k].name; form.preset.appendChild(o);
      });
      form.preset.value = "llama2-7b";
      applyPreset("llama2-7b");
    }
    /* The presets: inlined by the page (works from file://), else fetched; on failure a message with
       a 重试 above the form, and the form still computes from what the reader types. */
    function want(id, file, use, what) {
      var data = readInline(id);
      if (data) { use(data); return; }
      kb.fetchJSON(new URL("../data/" + file, script ? script.src : location.href)).then(use, function () {
        kb.failure(box, what + "没有载入（网络或文件出错），可以直接输入参数。", function () { want(id, file, use, what); }, true);
        update();
      });
    }
    var hashMode = (location.hash.match(/mode=(\w+)/) || [])[1];
    if (hashMode && MODES.some(function (x) { return x[0] === hashMode; })) mode = hashMode;
    [].forEach.call(box.querySelectorAll(".kb-calc-mode"), function (b) { b.setAttribute("aria-pressed", String(b.dataset.mode === mode)); });
    useGpus({});
    want("kb-gpu-presets", "gpus.json", useGpus, "GPU 列表");
    want("kb-model-presets", "models.json", usePresets, "预设模型");
  });
})(this);
