#!/usr/bin/env python3
"""Independent PyTorch reference for LoRA and MoELoRA adapters on the tiny model (MoELoRA Streams).

For each adapter config it writes, under --out (normally core/src/test/resources/golden/adapters):

  <config>.json          adapter config, tensor order (PEFT names, shapes, weight numbers k), the
                         padded batch (ids, valid, positions), the scalars lm_loss,
                         contrastive_loss, balance_loss, total_loss (the float32 values as float64),
                         and per-module routing diagnostics for MoELoRA.
  <config>.safetensors   F32: `logits` (2, 8, 64), and for every adapter tensor its weight and the
                         gradient of total_loss under `<name>.grad`.

Configs: lora_r4, moelora_n4_top1, moelora_n4_top2, moelora_n8_top2.

Base model: the `half_mha` config of tools/golden_reference.py, weights exactly as that script
generates them (frozen). Adapted modules, in this order for each layer l: q_proj, v_proj,
down_proj (the input of down_proj is silu(gate) * up). Dropout is off (p = 0).

  LoRA (r, alpha):      h = W0 x + (alpha / r) * (x A^T) B^T           A (r, d_in), B (d_out, r)
  MoELoRA (N, k, r_e):  s = x Wg^T; S = top-k(s); g = softmax over S (0 elsewhere);
                        e_i = B_i A_i x;  h = W0 x + alpha / (N r_e) * sum_{i in S} g_i e_i
                        A (N, r_e, d_in), B (N, d_out, r_e), Wg (N, d_in)

Adapter weights use the splitmix64 formula of golden_reference.py (center c = 0) with tensor
number k = 100000 + c, c a running counter over (layer, target in the order q_proj, v_proj,
down_proj, tensor in the order A, B, router); scales s: A -> 1/sqrt(d_in), B -> 0.1,
router -> 1/sqrt(d_in). B is non-zero on purpose, so outputs and gradients are informative.

Batch: two rows LEFT-padded to length 8 with pad id 0; positions = number of valid tokens before
the column; query t of row b sees key s iff s <= t and valid[b, s] (additive mask -1e9).
Losses (non-padding tokens only): LM loss (HF shift; a target counts iff it and its predecessor
are valid; token-weighted mean), supervised-InfoNCE contrastive loss over (token, routed expert)
samples (tau = 0.1, mean over anchors with positives, then mean over modules), Switch balance loss
N * sum_j f_j P_j (mean over modules); total = lm + 0.1 * contrastive + 0.01 * balance. The
gradients are those of total_loss w.r.t. every adapter tensor (full autograd: nothing is
detached except f_j, so the auxiliary losses of layer 1 also reach layer-0 adapters through x).

It also prints checks that are not stored: batched/padded base forward == golden_reference.forward
on the valid columns; B = 0 gives exactly the base logits; MoELoRA with N = 1 equals LoRA;
a config with an expert that receives no tokens stays finite; central finite differences (float64)
for one entry per tensor kind; float32 vs float64 gradients.

Rerun (from the repository root; needs Debian's `apt-get install -y python3-torch`):

    /usr/bin/python3 tools/adapter_reference.py --out core/src/test/resources/golden/adapters

Output is deterministic (up to the torch version string).
"""

import argparse
import json
import math
import os
import struct
import sys

import torch
import torch.nn.functional as Fn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import golden_reference as gr  # noqa: E402  (deterministic base weights, rmsnorm, rope, reader)

BASE_NAME = "half_mha"
CFG = gr.CONFIGS[BASE_NAME]

TARGETS = ["q_proj", "v_proj", "down_proj"]
ATTN_TARGETS = ("q_proj", "k_proj", "v_proj", "o_proj")
K_OFFSET = 100000
BETA, GAMMA, TAU, MAX_SAMPLES = 0.1, 0.01, 0.1, 64
NORM_EPS = 1e-12
MASK_VALUE = -1e9

PAD_ID = 0
IDS = [[1, 5, 9, 14, 33, 2, 60, 7],
       [0, 0, 0, 1, 40, 3, 22, 11]]
VALID = [[1, 1, 1, 1, 1, 1, 1, 1],
         [0, 0, 0, 1, 1, 1, 1, 1]]

ADAPTER_CONFIGS = {
    "lora_r4": {"type": "lora", "r": 4, "alpha": 8.0},
    "moelora_n4_top1": {"type": "moelora", "num_experts": 4, "top_k": 1, "expert_r": 2, "alpha": 16.0},
    "moelora_n4_top2": {"type": "moelora", "num_experts": 4, "top_k": 2, "expert_r": 2, "alpha": 16.0},
    "moelora_n8_top2": {"type": "moelora", "num_experts": 8, "top_k": 2, "expert_r": 2, "alpha": 16.0},
}


def adapter_scale(acfg):
    if acfg["type"] == "lora":
        return acfg["alpha"] / acfg["r"]
    return acfg["alpha"] / (acfg["num_experts"] * acfg["expert_r"])


# ----------------------------------------------------------------------------------------------
# Adapter tensors
# ----------------------------------------------------------------------------------------------


def module_name(l, target):
    sub = "self_attn." if target in ATTN_TARGETS else "mlp."
    return f"base_model.model.model.layers.{l}.{sub}{target}"


def target_dims(cfg, target):
    """(d_in, d_out) of the frozen projection `target`."""
    D, F = cfg["hidden_size"], cfg["intermediate_size"]
    hd = D // cfg["num_attention_heads"]
    return {
        "q_proj": (D, cfg["num_attention_heads"] * hd),
        "k_proj": (D, cfg["num_key_value_heads"] * hd),
        "v_proj": (D, cfg["num_key_value_heads"] * hd),
        "o_proj": (cfg["num_attention_heads"] * hd, D),
        "gate_proj": (D, F),
        "up_proj": (D, F),
        "down_proj": (F, D),
    }[target]


def adapter_specs(cfg, acfg):
    """Creation order [{name, module, kind, shape, k, s}] of the adapter tensors."""
    specs = []
    c = 0
    for l in range(cfg["num_hidden_layers"]):
        for t in TARGETS:
            d_in, d_out = target_dims(cfg, t)
            m = module_name(l, t)
            if acfg["type"] == "lora":
                r = acfg["r"]
                kinds = [("lora_A", (r, d_in), 1.0 / math.sqrt(d_in)),
                         ("lora_B", (d_out, r), 0.1)]
            else:
                N, re = acfg["num_experts"], acfg["expert_r"]
                kinds = [("moelora_A", (N, re, d_in), 1.0 / math.sqrt(d_in)),
                         ("moelora_B", (N, d_out, re), 0.1),
                         ("moelora_router", (N, d_in), 1.0 / math.sqrt(d_in))]
            for kind, shape, s in kinds:
                specs.append({"name": f"{m}.{kind}.weight", "module": m, "kind": kind,
                              "shape": shape, "k": K_OFFSET + c, "s": s})
                c += 1
    return specs


def make_adapter_weights(specs):
    return {sp["name"]: gr.gen_tensor(sp["k"], sp["shape"], sp["s"], 0.0) for sp in specs}


# ----------------------------------------------------------------------------------------------
# Batched, padded forward with adapter hooks
# ----------------------------------------------------------------------------------------------


def rope_cos_sin_pos(pos, hd, theta, dtype):
    """cos, sin (B, T, hd/2) for per-row positions pos (B, T); float32 path identical to HF."""
    if dtype == torch.float32:
        inv_freq = 1.0 / (theta ** (torch.arange(0, hd, 2).float() / hd))
    else:
        inv_freq = 1.0 / (theta ** (torch.arange(0, hd, 2).to(dtype) / hd))
    angle = pos.to(dtype)[..., None] * inv_freq  # (B, T, hd/2)
    return torch.cos(angle), torch.sin(angle)


def batch_tensors():
    ids = torch.tensor(IDS, dtype=torch.long)  # (B, T)
    valid = torch.tensor(VALID, dtype=torch.bool)  # (B, T)
    pos = torch.cumsum(valid.long(), dim=1) - valid.long()  # valid tokens before the column
    return ids, valid, pos


def lora_delta(x, A, B, scale):
    # x (B, T, d_in), A (r, d_in), B (d_out, r) -> (B, T, d_out)
    return scale * ((x @ A.t()) @ B.t())


def moelora_delta(x, A, B, Wg, top_k, scale, rec):
    """x (B, T, d_in); A (N, r_e, d_in); B (N, d_out, r_e); Wg (N, d_in) -> (B, T, d_out)."""
    s = x @ Wg.t()  # router logits (B, T, N)
    top_v, top_i = torch.topk(s, top_k, dim=-1)  # (B, T, k), sorted descending
    g_sel = torch.softmax(top_v, dim=-1)  # (B, T, k)
    g = torch.zeros_like(s).scatter(-1, top_i, g_sel)  # (B, T, N), 0 outside S
    u = torch.einsum("btd,nrd->btnr", x, A)  # (B, T, N, r_e)
    e = torch.einsum("btnr,nor->btno", u, B)  # every expert's output (B, T, N, d_out)
    rec.update(router_logits=s, top_i=top_i, gates_sel=g_sel, expert_out=e)
    return scale * torch.einsum("btn,btno->bto", g, e)


def forward_batch(cfg, W, ids, valid, pos, adapters=None, acfg=None, dtype=torch.float32):
    """Logits (B, T, V) and a list of per-module records (in TARGETS order per layer)."""
    D, H, KV = cfg["hidden_size"], cfg["num_attention_heads"], cfg["num_key_value_heads"]
    hd = D // H
    eps = cfg["rms_norm_eps"]
    Bsz, T = ids.shape
    cos, sin = rope_cos_sin_pos(pos, hd, cfg["rope_theta"], dtype)  # (B, T, hd/2)
    cos, sin = cos[:, None], sin[:, None]  # (B, 1, T, hd/2), broadcast over heads
    causal = torch.ones(T, T, dtype=torch.bool).tril()  # key s <= query t
    allowed = causal[None] & valid[:, None, :]  # (B, T_query, T_key)
    add_mask = torch.zeros(Bsz, 1, T, T, dtype=dtype).masked_fill(~allowed[:, None], MASK_VALUE)
    scale = adapter_scale(acfg) if adapters is not None else None
    records = []

    def proj(l, target, x, W0):
        y = x @ W0.t()
        if adapters is None or target not in TARGETS:
            return y
        m = module_name(l, target)
        rec = {"module": m, "x": x}
        if acfg["type"] == "lora":
            y = y + lora_delta(x, adapters[m + ".lora_A.weight"], adapters[m + ".lora_B.weight"],
                               scale)
        else:
            y = y + moelora_delta(x, adapters[m + ".moelora_A.weight"],
                                  adapters[m + ".moelora_B.weight"],
                                  adapters[m + ".moelora_router.weight"],
                                  acfg["top_k"], scale, rec)
        records.append(rec)
        return y

    x = W["model.embed_tokens.weight"][ids]  # (B, T, D)
    for l in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{l}."
        h = gr.rmsnorm(x, W[p + "input_layernorm.weight"], eps)  # (B, T, D)
        q = proj(l, "q_proj", h, W[p + "self_attn.q_proj.weight"])  # (B, T, H*hd)
        k = proj(l, "k_proj", h, W[p + "self_attn.k_proj.weight"])  # (B, T, KV*hd)
        v = proj(l, "v_proj", h, W[p + "self_attn.v_proj.weight"])  # (B, T, KV*hd)
        q = q.view(Bsz, T, H, hd).transpose(1, 2)  # (B, H, T, hd)
        k = k.view(Bsz, T, KV, hd).transpose(1, 2)
        v = v.view(Bsz, T, KV, hd).transpose(1, 2)
        q = gr.apply_rope(q, cos, sin, cfg["rope_layout"])
        k = gr.apply_rope(k, cos, sin, cfg["rope_layout"])
        k = k.repeat_interleave(H // KV, dim=1)  # no-op for MHA
        v = v.repeat_interleave(H // KV, dim=1)
        scores = (q @ k.transpose(-1, -2)) / math.sqrt(hd) + add_mask  # (B, H, T, T)
        probs = torch.softmax(scores, dim=-1)
        a = (probs @ v).transpose(1, 2).reshape(Bsz, T, H * hd)  # (B, T, H*hd)
        x = x + proj(l, "o_proj", a, W[p + "self_attn.o_proj.weight"])

        h = gr.rmsnorm(x, W[p + "post_attention_layernorm.weight"], eps)
        g = proj(l, "gate_proj", h, W[p + "mlp.gate_proj.weight"])  # (B, T, F)
        u = proj(l, "up_proj", h, W[p + "mlp.up_proj.weight"])
        act = g * torch.sigmoid(g) * u  # silu(gate) * up: the input of down_proj
        x = x + proj(l, "down_proj", act, W[p + "mlp.down_proj.weight"])

    h = gr.rmsnorm(x, W["model.norm.weight"], eps)
    head = W["model.embed_tokens.weight"] if cfg["tie_word_embeddings"] else W["lm_head.weight"]
    return h @ head.t(), records


# ----------------------------------------------------------------------------------------------
# Losses
# ----------------------------------------------------------------------------------------------


def lm_loss(logits, ids, valid):
    """HF shift; target t+1 counts iff it and token t are valid; token-weighted mean."""
    V = logits.shape[-1]
    pred = logits[:, :-1].reshape(-1, V)
    tgt = ids[:, 1:].reshape(-1)
    counted = (valid[:, 1:] & valid[:, :-1]).reshape(-1)
    nll = Fn.cross_entropy(pred, tgt, reduction="none")
    return (nll * counted.to(nll.dtype)).sum() / counted.sum()


def contrastive_module_loss(rec, valid, tau, max_samples):
    """Supervised InfoNCE over (valid token, routed expert) samples of one module."""
    e = rec["expert_out"]  # (B, T, N, d_out)
    top_i = rec["top_i"]  # (B, T, k)
    k = top_i.shape[-1]
    e_sel = e.gather(2, top_i[..., None].expand(*top_i.shape, e.shape[-1]))  # (B, T, k, d_out)
    z = e_sel[valid].reshape(-1, e.shape[-1])  # samples ordered (row, column, rank in top-k)
    labels = top_i[valid].reshape(-1)
    n = z.shape[0]
    counts = torch.bincount(labels, minlength=e.shape[2])
    assert int(counts.max()) <= max_samples, "sample cap would be hit; not implemented here"
    z = z / z.norm(dim=-1, keepdim=True).clamp_min(NORM_EPS)  # F.normalize
    sim = (z @ z.t()) / tau  # (n, n), cos / tau
    eye = torch.eye(n, dtype=torch.bool)
    pos_mask = (labels[:, None] == labels[None, :]) & ~eye
    n_pos = pos_mask.sum(1)
    anchors = n_pos > 0
    info = {"samples": n, "anchors": int(anchors.sum()), "k": k}
    if not bool(anchors.any()):
        return sim.sum() * 0.0, info
    sim_a = sim[anchors]  # (n_a, n)
    lse = torch.logsumexp(sim_a.masked_fill(eye[anchors], float("-inf")), dim=-1)  # over q != a
    pos_a = pos_mask[anchors].to(sim.dtype)
    mean_pos = (sim_a * pos_a).sum(1) / n_pos[anchors].to(sim.dtype)
    return (lse - mean_pos).mean(), info


def balance_module_loss(rec, valid):
    s = rec["router_logits"][valid]  # (n_tok, N)
    N = s.shape[-1]
    probs = torch.softmax(s, dim=-1)
    P = probs.mean(0)
    f = Fn.one_hot(s.argmax(-1), N).to(s.dtype).mean(0).detach()
    return N * (f * P).sum()


def all_losses(logits, records, ids, valid, acfg):
    lm = lm_loss(logits, ids, valid)
    zero = lm * 0.0
    if acfg["type"] == "lora":
        return {"lm": lm, "contrastive": zero, "balance": zero, "total": lm}, []
    cl_mods, bal_mods, infos = [], [], []
    for rec in records:
        cl, info = contrastive_module_loss(rec, valid, TAU, MAX_SAMPLES)
        bal = balance_module_loss(rec, valid)
        cl_mods.append(cl)
        bal_mods.append(bal)
        info.update(contrastive=cl, balance=bal)
        infos.append(info)
    cl = torch.stack(cl_mods).mean()
    bal = torch.stack(bal_mods).mean()
    return {"lm": lm, "contrastive": cl, "balance": bal,
            "total": lm + BETA * cl + GAMMA * bal}, infos


def run(acfg, base_W, adapter_W, dtype=torch.float32):
    """Forward + backward; returns logits, losses, grads (by tensor name), records, infos."""
    ids, valid, pos = batch_tensors()
    W = {n: t.to(dtype) for n, t in base_W.items()}
    ad = {n: t.detach().to(dtype).clone().requires_grad_(True) for n, t in adapter_W.items()}
    logits, records = forward_batch(CFG, W, ids, valid, pos, ad, acfg, dtype)
    losses, infos = all_losses(logits, records, ids, valid, acfg)
    losses["total"].backward()
    grads = {n: t.grad.detach().clone() for n, t in ad.items()}
    return logits.detach(), losses, grads, records, infos


# ----------------------------------------------------------------------------------------------
# Diagnostics and fixtures
# ----------------------------------------------------------------------------------------------


def routing_diagnostics(records, infos, valid):
    out = []
    for rec, info in zip(records, infos):
        s = rec["router_logits"].detach()
        sv = s[valid]  # (n_tok, N)
        N = s.shape[-1]
        k = rec["top_i"].shape[-1]
        top1 = sv.argmax(-1)
        g = rec["gates_sel"].detach()[valid]  # (n_tok, k)
        gate_ent = -(g * torch.log(g.clamp_min(1e-30))).sum(-1).mean()
        p = torch.softmax(sv, -1)
        router_ent = -(p * torch.log(p)).sum(-1).mean()
        srt = sv.sort(-1, descending=True).values
        top_i = rec["top_i"]
        out.append({
            "module": rec["module"],
            "top1_histogram": torch.bincount(top1, minlength=N).tolist(),
            "topk_histogram": torch.bincount(top_i[valid].reshape(-1), minlength=N).tolist(),
            "gate_entropy_mean": float(gate_ent) + 0.0,  # + 0.0: no "-0.0" for top-1
            "router_entropy_mean": float(router_ent),
            "contrastive_loss": float(info["contrastive"]),
            "balance_loss": float(info["balance"]),
            "contrastive_samples": info["samples"],
            "contrastive_anchors": info["anchors"],
            # smallest gap between the k-th and (k+1)-th router logit over valid tokens, and
            # between the top-1 and top-2 logit: how robust the fixture's routing is to rounding
            "min_topk_margin": float((srt[:, k - 1] - srt[:, k]).min()) if k < N else None,
            "min_top1_margin": float((srt[:, 0] - srt[:, 1]).min()),
            # selected experts (descending router logit) per position; null for padding
            "top_k_indices": [[top_i[b, t].tolist() if bool(valid[b, t]) else None
                               for t in range(top_i.shape[1])] for b in range(top_i.shape[0])],
        })
    return out


def write_safetensors_f32(path, tensors, producer):
    """Same layout as golden_reference.write_safetensors: compact JSON header (__metadata__
    first), padded with spaces to a multiple of 8, u64 LE length, then little-endian F32 data."""
    header = {"__metadata__": {"format": "pt", "producer": producer}}
    data = bytearray()
    for name, t in tensors:
        vals = t.detach().to(torch.float32).reshape(-1).tolist()
        begin = len(data)
        data += struct.pack(f"<{len(vals)}f", *vals)
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [begin, len(data)]}
    hjson = json.dumps(header, separators=(",", ":")).encode("utf-8")
    hjson += b" " * ((-len(hjson)) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hjson)))
        f.write(hjson)
        f.write(bytes(data))


def adapter_config_doc(acfg):
    doc = {"type": acfg["type"]}
    if acfg["type"] == "lora":
        doc["r"] = acfg["r"]
    else:
        doc.update(num_experts=acfg["num_experts"], top_k=acfg["top_k"], expert_r=acfg["expert_r"])
    doc.update(alpha=acfg["alpha"], scale=adapter_scale(acfg), dropout=0.0, targets=TARGETS,
               beta=BETA, gamma=GAMMA, tau=TAU, max_samples=MAX_SAMPLES)
    return doc


def build_fixture(name, acfg, base_W, out_dir):
    specs = adapter_specs(CFG, acfg)
    adapter_W = make_adapter_weights(specs)
    logits, losses, grads, records, infos = run(acfg, base_W, adapter_W)
    ids, valid, pos = batch_tensors()
    doc = {
        "generator": "tools/adapter_reference.py",
        "torch": torch.__version__,
        "base_config": BASE_NAME,
        "adapter_config": adapter_config_doc(acfg),
        "tensor_order": [{"name": sp["name"], "shape": list(sp["shape"]), "k": sp["k"],
                          "init_scale": sp["s"]} for sp in specs],
        "inputs": {"ids": IDS, "valid": VALID, "positions": pos.tolist(), "pad_id": PAD_ID},
        "attention_mask_value": MASK_VALUE,
        "lm_loss_positions": int((valid[:, 1:] & valid[:, :-1]).sum()),
        "scalars": {"lm_loss": float(losses["lm"]),
                    "contrastive_loss": float(losses["contrastive"]),
                    "balance_loss": float(losses["balance"]),
                    "total_loss": float(losses["total"])},
        "safetensors": f"{name}.safetensors",
        "notes": "logits at padding columns (valid = 0) depend on the masking convention "
                 "(here: additive -1e9, positions 0); compare valid columns only. Gradients are "
                 "d total_loss / d tensor with nothing detached except the balance loss f_j.",
    }
    if acfg["type"] == "moelora":
        doc["routing"] = routing_diagnostics(records, infos, valid)
    write_json(os.path.join(out_dir, f"{name}.json"), doc)

    tensors = [("logits", logits)]
    for sp in specs:
        tensors.append((sp["name"], adapter_W[sp["name"]]))
        tensors.append((sp["name"] + ".grad", grads[sp["name"]]))
    st_path = os.path.join(out_dir, f"{name}.safetensors")
    write_safetensors_f32(st_path, tensors, "adapter_reference.py")

    # round trip through golden_reference's independent reader
    hdr, got, _ = gr.read_safetensors(st_path)
    for tname, t in tensors:
        assert hdr[tname]["shape"] == list(t.shape)
        assert got[tname] == t.to(torch.float32).reshape(-1).tolist(), tname
    return specs, adapter_W, logits, losses, grads, doc


def write_json(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, separators=(",", ":"))
        f.write("\n")


# ----------------------------------------------------------------------------------------------
# Checks (printed, not stored)
# ----------------------------------------------------------------------------------------------


def check_base_matches_golden(base_W):
    ids, valid, pos = batch_tensors()
    logits, _ = forward_batch(CFG, base_W, ids, valid, pos)
    worst = 0.0
    for b in range(len(IDS)):
        cols = [t for t in range(len(IDS[b])) if VALID[b][t]]
        ref = gr.forward(CFG, base_W, [IDS[b][t] for t in cols])  # unpadded, per sequence
        worst = max(worst, float((logits[b, cols] - ref).abs().max()))
    print(f"  padded batched base forward vs golden_reference.forward (valid columns): "
          f"max|diff|={worst:.3g}")
    assert worst < 1e-5
    assert bool(torch.isfinite(logits).all())
    return logits


def check_b_zero(name, acfg, base_W, base_logits):
    specs = adapter_specs(CFG, acfg)
    adapter_W = make_adapter_weights(specs)
    for sp in specs:
        if sp["kind"] in ("lora_B", "moelora_B"):
            adapter_W[sp["name"]] = torch.zeros(sp["shape"])
    logits, losses, grads, _, _ = run(acfg, base_W, adapter_W)
    exact = torch.equal(logits, base_logits)
    finite = all(bool(torch.isfinite(g).all()) for g in grads.values())
    print(f"  {name:16s} B=0: logits == base exactly: {exact}; "
          f"total={float(losses['total']):.7f} cl={float(losses['contrastive']):.7f}; "
          f"grads finite: {finite}")
    assert exact and finite and math.isfinite(float(losses["total"]))


def check_moelora_n1_equals_lora(base_W):
    re, alpha = 2, 16.0
    moe = {"type": "moelora", "num_experts": 1, "top_k": 1, "expert_r": re, "alpha": alpha}
    lora = {"type": "lora", "r": re, "alpha": alpha}
    mspecs = adapter_specs(CFG, moe)
    mW = make_adapter_weights(mspecs)
    lW = {}
    for sp in mspecs:
        if sp["kind"] == "moelora_A":
            lW[sp["module"] + ".lora_A.weight"] = mW[sp["name"]][0]
        elif sp["kind"] == "moelora_B":
            lW[sp["module"] + ".lora_B.weight"] = mW[sp["name"]][0]
    ids, valid, pos = batch_tensors()
    lm, _ = forward_batch(CFG, base_W, ids, valid, pos, mW, moe)
    ll, _ = forward_batch(CFG, base_W, ids, valid, pos, lW, lora)
    d = float((lm - ll).abs().max())
    print(f"  MoELoRA N=1 top-1 == LoRA r={re} (same A, B, alpha): max|diff|={d:.3g}")
    assert d < 1e-5


def check_empty_expert(base_W):
    for N in (8, 16, 32):
        acfg = {"type": "moelora", "num_experts": N, "top_k": 1, "expert_r": 2, "alpha": 16.0}
        specs = adapter_specs(CFG, acfg)
        adapter_W = make_adapter_weights(specs)
        _, losses, grads, records, infos = run(acfg, base_W, adapter_W)
        _, valid, _ = batch_tensors()
        hists = [torch.bincount(r["top_i"][valid].reshape(-1), minlength=N).tolist()
                 for r in records]
        empty = [sum(1 for c in h if c == 0) for h in hists]
        singles = sum(sum(1 for c in h if c == 1) for h in hists)
        if max(empty) == 0:
            continue
        finite = all(bool(torch.isfinite(g).all()) for g in grads.values()) and \
            all(math.isfinite(float(v)) for v in losses.values())
        print(f"  N={N} top-1: empty experts per module {empty}, single-token experts "
              f"(anchors skipped) {singles}; total={float(losses['total']):.7f} "
              f"cl={float(losses['contrastive']):.7f} bal={float(losses['balance']):.7f}; "
              f"all finite: {finite}")
        assert finite
        return
    raise AssertionError("no config with an empty expert found")


def check_finite_differences(name, acfg, base_W, logits32, losses32, grads32):
    """Central differences of total_loss in float64 for one entry per tensor kind, in two
    modules (layer 0 q_proj: the gradient flows through the whole model; layer 1 down_proj)."""
    specs = adapter_specs(CFG, acfg)
    adapter_W = {n: t.double() for n, t in make_adapter_weights(specs).items()}
    logits64, losses64, grads64, recs64, _ = run(acfg, base_W, adapter_W, torch.float64)
    ids, valid, pos = batch_tensors()
    W64 = {n: t.double() for n, t in base_W.items()}
    if acfg["type"] == "moelora":  # float32 and float64 must route the valid tokens alike
        _, _, _, recs32, _ = run(acfg, base_W, make_adapter_weights(specs))
        for r32, r64 in zip(recs32, recs64):
            assert torch.equal(r32["top_i"][valid], r64["top_i"][valid]), r32["module"]
            assert torch.equal(r32["router_logits"][valid].argmax(-1),
                               r64["router_logits"][valid].argmax(-1)), r32["module"]

    def total(ad):
        with torch.no_grad():
            logits, recs = forward_batch(CFG, W64, ids, valid, pos, ad, acfg, torch.float64)
            return float(all_losses(logits, recs, ids, valid, acfg)[0]["total"]), recs

    h = 1e-6
    worst_rel = 0.0
    lines = []
    for sp in specs:
        if sp["module"] not in (module_name(0, "q_proj"), module_name(1, "down_proj")):
            continue
        g = grads64[sp["name"]].reshape(-1)
        i = int(g.abs().argmax())  # the largest entry: best signal-to-noise
        vals = []
        for sign in (1, -1):
            ad = {n: t.clone() for n, t in adapter_W.items()}
            ad[sp["name"]].view(-1)[i] += sign * h
            v, recs = total(ad)
            for r0, r1 in zip(recs64, recs):
                if acfg["type"] == "moelora":
                    assert torch.equal(r0["top_i"][valid], r1["top_i"][valid]), \
                        "perturbation changed routing"
            vals.append(v)
        fd = (vals[0] - vals[1]) / (2 * h)
        an = float(g[i])
        rel = abs(fd - an) / max(abs(an), 1e-12)
        worst_rel = max(worst_rel, rel)
        short = sp["name"].replace("base_model.model.model.", "")
        lines.append(f"    {short}[{i}]: autograd={an:+.9e} fd={fd:+.9e} rel={rel:.2e}")
    d32 = max(float((grads32[n].double() - grads64[n]).abs().max()) for n in grads64)
    gmax = max(float(grads64[n].abs().max()) for n in grads64)
    dlogit = float((logits32.double() - logits64)[valid].abs().max())
    dloss = max(abs(float(losses32[n]) - float(losses64[n])) for n in losses64)
    print(f"  {name}: finite differences (float64, h={h:g}), worst rel err {worst_rel:.2e}; "
          f"float32 vs float64: grads max|diff|={d32:.2e} (max|grad|={gmax:.3g}), "
          f"valid logits {dlogit:.2e}, losses {dloss:.2e}")
    for line in lines:
        print(line)
    assert worst_rel < 1e-5
    assert d32 < 1e-5


# ----------------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join("core", "src", "test", "resources", "golden",
                                                  "adapters"))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.set_num_threads(1)
    torch.manual_seed(0)  # nothing random is used; keeps any stray randomness fixed

    print(f"torch {torch.__version__}; base config {BASE_NAME}; writing to {args.out}")
    base_W = gr.make_weights(CFG)
    base_logits = check_base_matches_golden(base_W)

    results = {}
    for name, acfg in ADAPTER_CONFIGS.items():
        specs, adapter_W, logits, losses, grads, doc = build_fixture(name, acfg, base_W, args.out)
        results[name] = (acfg, logits, losses, grads)
        sc = doc["scalars"]
        print(f"  {name:16s} scale={adapter_scale(acfg):g} tensors={len(specs):2d} "
              f"lm={sc['lm_loss']!r} cl={sc['contrastive_loss']!r} "
              f"bal={sc['balance_loss']!r} total={sc['total_loss']!r}")
        for r in doc.get("routing", []):
            short = r["module"].replace("base_model.model.model.", "")
            print(f"      {short:22s} top1={r['top1_histogram']} "
                  f"gate_H={r['gate_entropy_mean']:.4f} cl={r['contrastive_loss']:.5f} "
                  f"bal={r['balance_loss']:.5f} anchors={r['contrastive_anchors']}/"
                  f"{r['contrastive_samples']} margins(topk,top1)="
                  f"({r['min_topk_margin'] if r['min_topk_margin'] is None else round(r['min_topk_margin'], 5)}, "
                  f"{r['min_top1_margin']:.5f})")

    print("checks:")
    for name, acfg in ADAPTER_CONFIGS.items():
        check_b_zero(name, acfg, base_W, base_logits)
    check_moelora_n1_equals_lora(base_W)
    check_empty_expert(base_W)
    for name, (acfg, logits, losses, grads) in results.items():
        check_finite_differences(name, acfg, base_W, logits, losses, grads)

    for fn in sorted(os.listdir(args.out)):
        print(f"  {fn:32s} {os.path.getsize(os.path.join(args.out, fn)):7d} bytes")


if __name__ == "__main__":
    main()
