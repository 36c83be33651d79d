#!/usr/bin/env python3
"""Independent PyTorch reference for the Java LLaMA-family decoder (MoELoRA Streams).

What it produces (all under the --out directory, normally core/src/test/resources/golden):

  tiny-llama-half_mha.json         RoPE "half" (HF rotate_half), MHA (KV=4), untied lm_head
  tiny-llama-interleaved_mha.json  RoPE "interleaved" (llama2.c / Meta pairs), MHA, tied embeddings
  tiny-llama-half_gqa_bias.json    RoPE "half", GQA (KV=2), untied, q/k/v bias (Qwen2-style)
      Each holds the config, the canonical tensor order with shapes, the two input
      sequences, the float32 logits for every position of each sequence, and 8 greedy
      continuation tokens per sequence (full recomputation, no KV cache).

  weight-samples.json              splitmix64 test vectors and a few generated weight values
                                   per tensor and config, to debug the Java weight generator.

  mixed-dtypes.safetensors         a hand-written safetensors file (F32, F16, BF16, I64, scalar)
  mixed-dtypes.expected.json       the exact values (widened to float64, or ints) it holds

Weights are not random: tensor number k (0-based, canonical order, counting only tensors that
exist in the config) and flat row-major element index i give
    u     = (splitmix64((k << 32) | i) >> 40) / 2**24           # double in [0, 1)
    value = float32((u - 0.5) * 2.0 * s + c)                     # RNE from double
with (s, c) = (0.1, 1.0) for norms, (0.5, 0.0) for embed_tokens, (1/sqrt(in), 0.0) for
*_proj / lm_head, (0.1, 0.0) for biases. So Java can regenerate them bit-exactly.

The forward pass is written from first principles (torch 1.13 has no
scaled_dot_product_attention), float32 throughout.

Rerun (from the repository root; needs Debian's `apt-get install -y python3-torch`):

    /usr/bin/python3 tools/golden_reference.py --out core/src/test/resources/golden

Output is deterministic: rerunning gives the same files (up to the torch version string).
"""

import argparse
import json
import math
import os
import struct

import torch

M64 = 2**64 - 1

# ----------------------------------------------------------------------------------------------
# Deterministic weights
# ----------------------------------------------------------------------------------------------


def splitmix64(x):
    x = (x + 0x9E3779B97F4A7C15) & M64
    z = x
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31)


def gen_tensor(k, shape, s, c):
    """Tensor number k of the given shape, values float32((u - 0.5) * 2 * s + c)."""
    n = 1
    for d in shape:
        n *= d
    vals = []  # python floats (doubles)
    for i in range(n):
        u = (splitmix64((k << 32) | i) >> 40) / 16777216.0
        vals.append((u - 0.5) * 2.0 * s + c)
    # float64 -> float32 conversion in torch is round-to-nearest-even.
    return torch.tensor(vals, dtype=torch.float64).to(torch.float32).reshape(shape)


def tensor_specs(cfg):
    """Canonical order [(name, shape)] of the tensors that exist in cfg (HF Llama names)."""
    V, D, F = cfg["vocab_size"], cfg["hidden_size"], cfg["intermediate_size"]
    H, KV = cfg["num_attention_heads"], cfg["num_key_value_heads"]
    hd = D // H
    bias = cfg["attention_bias"]
    specs = [("model.embed_tokens.weight", (V, D))]
    for l in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{l}."
        specs.append((p + "input_layernorm.weight", (D,)))
        specs.append((p + "self_attn.q_proj.weight", (H * hd, D)))
        if bias:
            specs.append((p + "self_attn.q_proj.bias", (H * hd,)))
        specs.append((p + "self_attn.k_proj.weight", (KV * hd, D)))
        if bias:
            specs.append((p + "self_attn.k_proj.bias", (KV * hd,)))
        specs.append((p + "self_attn.v_proj.weight", (KV * hd, D)))
        if bias:
            specs.append((p + "self_attn.v_proj.bias", (KV * hd,)))
        specs.append((p + "self_attn.o_proj.weight", (D, H * hd)))
        specs.append((p + "post_attention_layernorm.weight", (D,)))
        specs.append((p + "mlp.gate_proj.weight", (F, D)))
        specs.append((p + "mlp.up_proj.weight", (F, D)))
        specs.append((p + "mlp.down_proj.weight", (D, F)))
    specs.append(("model.norm.weight", (D,)))
    if not cfg["tie_word_embeddings"]:
        specs.append(("lm_head.weight", (V, D)))
    return specs


def scale_and_center(name, shape):
    if name.endswith("norm.weight"):  # covers *layernorm.weight and model.norm.weight
        return 0.1, 1.0
    if name == "model.embed_tokens.weight":
        return 0.5, 0.0
    if name.endswith("_proj.weight") or name == "lm_head.weight":
        return 1.0 / math.sqrt(shape[1]), 0.0
    if name.endswith(".bias"):
        return 0.1, 0.0
    raise ValueError(f"no init rule for {name}")


def make_weights(cfg):
    weights = {}
    for k, (name, shape) in enumerate(tensor_specs(cfg)):
        s, c = scale_and_center(name, shape)
        weights[name] = gen_tensor(k, shape, s, c)
    return weights


# ----------------------------------------------------------------------------------------------
# Reference forward pass (float32)
# ----------------------------------------------------------------------------------------------


def rmsnorm(x, w, eps):
    # x: (T, D), w: (D,)
    return w * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps))


def linear(x, w, b=None):
    # x: (T, in), w: (out, in), b: (out,) -> (T, out)
    y = x @ w.t()
    if b is not None:
        y = y + b
    return y


def rope_cos_sin(T, hd, theta):
    # inv_freq computed in float32 exactly like HF: (hd/2,)
    inv_freq = 1.0 / (theta ** (torch.arange(0, hd, 2).float() / hd))
    pos = torch.arange(T).float()  # (T,)
    angle = pos[:, None] * inv_freq[None, :]  # (T, hd/2), float32
    return torch.cos(angle), torch.sin(angle)  # each (T, hd/2)


def apply_rope(x, cos, sin, layout):
    # x: (nh, T, hd); cos, sin: (T, hd/2), frequency j for rotation pair j
    hd = x.shape[-1]
    if layout == "half":
        # pair j is (x[j], x[j + hd/2])
        x1, x2 = x[..., : hd // 2], x[..., hd // 2 :]  # (nh, T, hd/2) each
        return torch.cat((x1 * cos - x2 * sin, x2 * cos + x1 * sin), dim=-1)  # (nh, T, hd)
    if layout == "interleaved":
        # pair j is (x[2j], x[2j + 1])
        x0, x1 = x[..., 0::2], x[..., 1::2]  # (nh, T, hd/2) each
        out0 = x0 * cos - x1 * sin
        out1 = x0 * sin + x1 * cos
        return torch.stack((out0, out1), dim=-1).reshape(x.shape)  # re-interleave: (nh, T, hd)
    raise ValueError(layout)


def attention(q, k, v, n_heads, n_kv):
    # q: (H, T, hd); k, v: (KV, T, hd) -> (H, T, hd)
    T, hd = q.shape[1], q.shape[2]
    group = n_heads // n_kv
    causal = torch.ones(T, T, dtype=torch.bool).triu(1)  # True above the diagonal = masked
    outs = []
    for h in range(n_heads):
        kh, vh = k[h // group], v[h // group]  # (T, hd) each; query head h -> kv head h // group
        scores = (q[h] @ kh.t()) / math.sqrt(hd)  # (T, T)
        scores = scores.masked_fill(causal, float("-inf"))
        probs = torch.softmax(scores, dim=-1)  # (T, T)
        outs.append(probs @ vh)  # (T, hd)
    return torch.stack(outs, dim=0)


def forward(cfg, W, ids, rope_layout=None):
    """Logits (T, V) float32 for one unpadded sequence of token ids."""
    layout = rope_layout or cfg["rope_layout"]
    D, H, KV = cfg["hidden_size"], cfg["num_attention_heads"], cfg["num_key_value_heads"]
    hd = D // H
    eps = cfg["rms_norm_eps"]
    T = len(ids)
    cos, sin = rope_cos_sin(T, hd, cfg["rope_theta"])  # (T, hd/2)

    x = W["model.embed_tokens.weight"][torch.tensor(ids)]  # (T, D)
    for l in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{l}."
        h = rmsnorm(x, W[p + "input_layernorm.weight"], eps)  # (T, D)
        q = linear(h, W[p + "self_attn.q_proj.weight"], W.get(p + "self_attn.q_proj.bias"))  # (T, H*hd)
        k = linear(h, W[p + "self_attn.k_proj.weight"], W.get(p + "self_attn.k_proj.bias"))  # (T, KV*hd)
        v = linear(h, W[p + "self_attn.v_proj.weight"], W.get(p + "self_attn.v_proj.bias"))  # (T, KV*hd)
        q = q.view(T, H, hd).transpose(0, 1)  # (H, T, hd)
        k = k.view(T, KV, hd).transpose(0, 1)  # (KV, T, hd)
        v = v.view(T, KV, hd).transpose(0, 1)  # (KV, T, hd)
        q = apply_rope(q, cos, sin, layout)
        k = apply_rope(k, cos, sin, layout)
        a = attention(q, k, v, H, KV)  # (H, T, hd)
        a = a.transpose(0, 1).reshape(T, H * hd)  # concat heads: (T, H*hd)
        x = x + linear(a, W[p + "self_attn.o_proj.weight"])  # (T, D)

        h = rmsnorm(x, W[p + "post_attention_layernorm.weight"], eps)  # (T, D)
        g = linear(h, W[p + "mlp.gate_proj.weight"])  # (T, F)
        u = linear(h, W[p + "mlp.up_proj.weight"])  # (T, F)
        silu = g * torch.sigmoid(g)
        x = x + linear(silu * u, W[p + "mlp.down_proj.weight"])  # (T, D)

    h = rmsnorm(x, W["model.norm.weight"], eps)  # (T, D)
    head = W["model.embed_tokens.weight"] if cfg["tie_word_embeddings"] else W["lm_head.weight"]
    return h @ head.t()  # (T, V)


def greedy(cfg, W, ids, steps):
    seq = list(ids)
    out = []
    for _ in range(steps):
        logits = forward(cfg, W, seq)  # full recomputation, no cache
        last = logits[-1]
        top2 = torch.topk(last, 2).values
        assert float(top2[0]) != float(top2[1]), "greedy tie"
        tok = int(torch.argmax(last))
        out.append(tok)
        seq.append(tok)
    return out


# ----------------------------------------------------------------------------------------------
# Configs and fixtures
# ----------------------------------------------------------------------------------------------

BASE = {
    "vocab_size": 64,
    "hidden_size": 32,
    "intermediate_size": 48,
    "num_hidden_layers": 2,
    "num_attention_heads": 4,
    "rope_theta": 10000.0,
    "rms_norm_eps": 1e-5,
}

CONFIGS = {
    "half_mha": dict(BASE, num_key_value_heads=4, tie_word_embeddings=False,
                     rope_layout="half", attention_bias=False),
    "interleaved_mha": dict(BASE, num_key_value_heads=4, tie_word_embeddings=True,
                            rope_layout="interleaved", attention_bias=False),
    "half_gqa_bias": dict(BASE, num_key_value_heads=2, tie_word_embeddings=False,
                          rope_layout="half", attention_bias=True),
}
CONFIG_KEYS = ["vocab_size", "hidden_size", "intermediate_size", "num_hidden_layers",
               "num_attention_heads", "num_key_value_heads", "rope_theta", "rms_norm_eps",
               "tie_word_embeddings", "rope_layout", "attention_bias"]

INPUTS = [[1, 5, 9, 14, 33, 2, 60, 7], [1, 40, 3, 22, 11]]
GREEDY_STEPS = 8


def f32(v):
    """A float32 value as a python float with 9 significant digits (round-trips float32)."""
    return float(f"{float(v):.9g}")


def write_json(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, separators=(",", ":"))
        f.write("\n")


def build_golden(name, cfg, out_dir):
    W = make_weights(cfg)
    logits = [forward(cfg, W, ids) for ids in INPUTS]  # each (T, V)
    doc = {
        "generator": "tools/golden_reference.py",
        "torch": torch.__version__,
        "config": {k: cfg[k] for k in CONFIG_KEYS},
        "tensor_order": [{"name": n, "shape": list(s)} for n, s in tensor_specs(cfg)],
        "inputs": INPUTS,
        "logits": [[[f32(v) for v in row] for row in lg.tolist()] for lg in logits],
        "greedy": [greedy(cfg, W, ids, GREEDY_STEPS) for ids in INPUTS],
    }
    write_json(os.path.join(out_dir, f"tiny-llama-{name}.json"), doc)
    return W, logits, doc


def weight_samples(out_dir):
    """Debug aid for the Java generator: splitmix64 vectors and some weight values."""
    doc = {
        "generator": "tools/golden_reference.py",
        "splitmix64": [{"in": str(x), "out": str(splitmix64(x))}
                       for x in [0, 1, (1 << 32) | 7, M64]],
        "configs": {},
    }
    for name, cfg in CONFIGS.items():
        W = make_weights(cfg)
        entries = []
        for k, (tname, shape) in enumerate(tensor_specs(cfg)):
            flat = W[tname].reshape(-1)
            n = flat.numel()
            entries.append({"k": k, "name": tname, "shape": list(shape),
                            "first": [f32(v) for v in flat[:3].tolist()],
                            "last": f32(flat[n - 1]),
                            "sum": float(flat.double().sum())})
        doc["configs"][name] = entries
    write_json(os.path.join(out_dir, "weight-samples.json"), doc)


# ----------------------------------------------------------------------------------------------
# Safetensors fixture
# ----------------------------------------------------------------------------------------------


def f32_bits(v):
    return struct.unpack("<I", struct.pack("<f", v))[0]


def bf16_bits(v):
    """Upper 16 bits of float32(v) after round-to-nearest-even (finite values only)."""
    b = f32_bits(v)
    return ((b + 0x7FFF + ((b >> 16) & 1)) >> 16) & 0xFFFF


def bf16_value(bits):
    return struct.unpack("<f", struct.pack("<I", bits << 16))[0]


def write_safetensors(out_dir):
    # (name, dtype, shape, values as given)
    specs = [
        ("a.f32", "F32", [2, 3], [1.5, -2.25, 3.0, 0.0, -0.0, 1e-8]),
        ("b.f16", "F16", [4], [1.0, -0.5, 65504.0, 6.1035156e-05]),
        ("c.bf16", "BF16", [2, 2], [1.0, -3.140625, 1e30, -1e-30]),
        ("d.i64", "I64", [3], [1, -2, 9007199254740993]),
        ("e.scalar", "F32", [], [7.0]),
    ]
    header = {"__metadata__": {"format": "pt", "producer": "golden_reference.py"}}
    expected = {}
    data = bytearray()
    for name, dtype, shape, vals in specs:
        if dtype == "F32":
            raw = struct.pack(f"<{len(vals)}f", *vals)
            stored = list(struct.unpack(f"<{len(vals)}f", raw))  # float32 values as doubles
        elif dtype == "F16":
            raw = struct.pack(f"<{len(vals)}e", *vals)
            stored = list(struct.unpack(f"<{len(vals)}e", raw))
        elif dtype == "BF16":
            bits = [bf16_bits(v) for v in vals]
            raw = struct.pack(f"<{len(bits)}H", *bits)
            stored = [bf16_value(b) for b in bits]
        elif dtype == "I64":
            raw = struct.pack(f"<{len(vals)}q", *vals)
            stored = list(vals)
        else:
            raise ValueError(dtype)
        begin = len(data)
        data += raw
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [begin, len(data)]}
        expected[name] = {"dtype": dtype, "shape": shape, "values": stored}

    hjson = json.dumps(header, separators=(",", ":")).encode("utf-8")
    hjson += b" " * ((-len(hjson)) % 8)  # pad with spaces to a multiple of 8
    with open(os.path.join(out_dir, "mixed-dtypes.safetensors"), "wb") as f:
        f.write(struct.pack("<Q", len(hjson)))
        f.write(hjson)
        f.write(bytes(data))

    doc = {
        "generator": "tools/golden_reference.py",
        "note": "values: exact stored values widened to float64 (floats) or exact integers (I64); "
                "flattened row-major",
        "tensors": expected,
    }
    with open(os.path.join(out_dir, "mixed-dtypes.expected.json"), "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    return header, expected


def read_safetensors(path):
    """Minimal independent reader used to self-check the written file."""
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    assert n % 8 == 0
    header = json.loads(blob[8:8 + n].decode("utf-8"))
    data = blob[8 + n:]
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        b, end = e["data_offsets"]
        raw = data[b:end]
        fmt = {"F32": "f", "F16": "e", "I64": "q"}.get(e["dtype"])
        if fmt:
            vals = list(struct.unpack(f"<{len(raw) // struct.calcsize(fmt)}{fmt}", raw))
        else:  # BF16
            vals = [bf16_value(x) for x in struct.unpack(f"<{len(raw) // 2}H", raw)]
        out[name] = vals
    return header, out, len(data)


# ----------------------------------------------------------------------------------------------
# Sanity checks (not stored)
# ----------------------------------------------------------------------------------------------


def permute_for_half(w, n_heads):
    """HF convert_llama_weights permutation: interleaved-rope rows -> half-rope rows.

    w: (n_heads*hd, in) or (n_heads*hd,); within each head, row 2j -> j and 2j+1 -> j + hd/2.
    """
    hd = w.shape[0] // n_heads
    rest = w.shape[1:]
    return w.reshape(n_heads, hd // 2, 2, *rest).transpose(1, 2).reshape(w.shape)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join("core", "src", "test", "resources", "golden"))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.set_num_threads(1)
    torch.manual_seed(0)  # not used for weights; just keeps any stray randomness fixed

    print(f"torch {torch.__version__}; writing to {args.out}")
    results = {}
    for name, cfg in CONFIGS.items():
        W, logits, doc = build_golden(name, cfg, args.out)
        results[name] = (cfg, W, logits)
        maxabs = max(float(lg.abs().max()) for lg in logits)
        print(f"  {name:16s} tensors={len(doc['tensor_order']):2d} max|logit|={maxabs:.6f} "
              f"greedy={doc['greedy']}")

    # Half vs interleaved rope on the same (interleaved_mha) weights must differ.
    cfg, W, logits_il = results["interleaved_mha"]
    logits_half = [forward(cfg, W, ids, rope_layout="half") for ids in INPUTS]
    diff = max(float((a - b).abs().max()) for a, b in zip(logits_il, logits_half))
    print(f"  interleaved_mha weights, rope half vs interleaved: max|diff|={diff:.6f}")
    assert diff > 1e-3, "rope layouts should give different logits"
    # Position 0 has angle 0, so there the two layouts must agree exactly.
    d0 = max(float((a[0] - b[0]).abs().max()) for a, b in zip(logits_il, logits_half))
    print(f"    (at position 0, where rope is the identity: max|diff|={d0:.3g})")

    # Cross-check of the two rope implementations: interleaved rope == half rope after the
    # HF conversion permutation of q/k rows (attention scores are invariant to the permutation).
    H, KV = cfg["num_attention_heads"], cfg["num_key_value_heads"]
    Wp = dict(W)
    for l in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{l}.self_attn."
        Wp[p + "q_proj.weight"] = permute_for_half(W[p + "q_proj.weight"], H)
        Wp[p + "k_proj.weight"] = permute_for_half(W[p + "k_proj.weight"], KV)
    perm = [forward(cfg, Wp, ids, rope_layout="half") for ids in INPUTS]
    dperm = max(float((a - b).abs().max()) for a, b in zip(logits_il, perm))
    print(f"  interleaved == half on HF-permuted q/k: max|diff|={dperm:.3g}")
    assert dperm < 1e-4

    # Cross-check GQA: repeating each kv head's k/v rows gives the equivalent MHA model.
    cfg, W, logits_gqa = results["half_gqa_bias"]
    H, KV = cfg["num_attention_heads"], cfg["num_key_value_heads"]
    hd = cfg["hidden_size"] // H
    mha_cfg = dict(cfg, num_key_value_heads=H)
    Wm = dict(W)
    for l in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{l}.self_attn."
        for t in ("k_proj.weight", "k_proj.bias", "v_proj.weight", "v_proj.bias"):
            w = W[p + t]  # (KV*hd, ...) -> (H*hd, ...)
            Wm[p + t] = w.reshape(KV, hd, *w.shape[1:]).repeat_interleave(H // KV, dim=0) \
                         .reshape(H * hd, *w.shape[1:])
    mha = [forward(mha_cfg, Wm, ids) for ids in INPUTS]
    dgqa = max(float((a - b).abs().max()) for a, b in zip(logits_gqa, mha))
    print(f"  GQA == MHA with repeated kv heads: max|diff|={dgqa:.3g}")
    assert dgqa < 1e-5

    weight_samples(args.out)

    header, expected = write_safetensors(args.out)
    hdr, got, nbytes = read_safetensors(os.path.join(args.out, "mixed-dtypes.safetensors"))
    for name, e in expected.items():
        assert hdr[name]["dtype"] == e["dtype"] and hdr[name]["shape"] == e["shape"]
        assert got[name] == e["values"], (name, got[name], e["values"])
    print(f"  mixed-dtypes.safetensors: {len(expected)} tensors, {nbytes} data bytes, "
          f"round-trip ok; bf16 bits c.bf16 = "
          f"{[hex(bf16_bits(v)) for v in [1.0, -3.140625, 1e30, -1e-30]]}")

    for fn in sorted(os.listdir(args.out)):
        print(f"  {fn:36s} {os.path.getsize(os.path.join(args.out, fn)):7d} bytes")


if __name__ == "__main__":
    main()
