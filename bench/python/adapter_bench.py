#!/usr/bin/env python3
"""PyTorch eager baseline for the adapter benchmark (MoELoRA Streams).

Same model, adapters and losses as tools/adapter_reference.py (whose helpers it imports), but
sized by the command line and written for speed: float32, CPU, no padding.

  base_forward     no adapters; logits (batch, seq, vocab) under torch.no_grad(), eval mode
  lora_step        LoRA r=rank, alpha=2*rank, scale alpha/r, dropout 0.05 on targets; one step =
                   forward (train) + next-token CE + backward + AdamW(lr 1e-4) + zero_grad
  moelora_step     MoELoRA, N experts, top-k, r_e = rank/N, scale alpha/(N r_e), router without
                   bias; all experts in one (d_in -> N r_e) and one (N r_e -> d_out) matmul;
                   + 0.01 * Switch balance loss (mean over modules)
  moelora_cl_step  moelora_step + 0.1 * supervised InfoNCE (tau 0.1, <= 64 samples per expert
                   per module, seeded random subset) over ungated expert outputs B_i A_i x

Prints exactly one JSON line on stdout; everything else goes to stderr. Fair setup (see
README.md): torch from Debian (/usr/bin/python3), OpenBLAS (openmp) as the BLAS, --threads N.
"""

import argparse
import ctypes
import json
import math
import os
import re
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.dont_write_bytecode = True  # no __pycache__ in tools/
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
import adapter_reference as ar  # noqa: E402  (semantics: losses, constants, rope positions)
import golden_reference as gr  # noqa: E402  (rmsnorm, rotate-half rope)

CASES = ("base_forward", "lora_step", "moelora_step", "moelora_cl_step")
DROPOUT, LR = 0.05, 1e-4
EPS = gr.CONFIGS[ar.BASE_NAME]["rms_norm_eps"]  # 1e-5, as the golden fixtures
THETA = gr.CONFIGS[ar.BASE_NAME]["rope_theta"]  # 10000


def log(*a):
    print(*a, file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------------ adapters


class LoRALinear(nn.Module):
    """h = W0 x + alpha/r * B A dropout(x)   (PEFT semantics; B = 0 at init)."""

    def __init__(self, base, r, alpha):
        super().__init__()
        self.base, self.scale, self.drop = base, alpha / r, nn.Dropout(DROPOUT)
        self.A = nn.Linear(base.in_features, r, bias=False)  # weight (r, d_in)
        self.B = nn.Linear(r, base.out_features, bias=False)  # weight (d_out, r)
        nn.init.zeros_(self.B.weight)

    def forward(self, x):  # (B, T, d_in) -> (B, T, d_out)
        return self.base(x) + self.scale * self.B(self.A(self.drop(x)))


class MoELoRALinear(nn.Module):
    """h = W0 x + alpha/(N r_e) * sum_{i in topk} g_i B_i A_i dropout(x); g = softmax over top-k.

    A holds all experts' A_i as rows [i r_e, (i+1) r_e) of one (N r_e, d_in) weight, B all B_i as
    the matching columns of one (d_out, N r_e) weight: two dense matmuls for all experts; the gate
    multiplies each r_e-wide block of the (N r_e) intermediate. In training it appends its
    balance (and contrastive) loss to `aux`."""

    def __init__(self, base, n, k, r_e, alpha, aux, contrastive, gen):
        super().__init__()
        self.base, self.n, self.k, self.r_e = base, n, k, r_e
        self.scale, self.drop = alpha / (n * r_e), nn.Dropout(DROPOUT)
        self.aux, self.contrastive, self.gen = aux, contrastive, gen
        self.router = nn.Linear(base.in_features, n, bias=False)  # Wg (N, d_in)
        self.A = nn.Linear(base.in_features, n * r_e, bias=False)  # (N r_e, d_in)
        self.B = nn.Linear(n * r_e, base.out_features, bias=False)  # (d_out, N r_e)
        nn.init.zeros_(self.B.weight)

    def forward(self, x):  # x (B, T, d_in)
        s = self.router(x)  # router logits (B, T, N)
        top_v, top_i = s.topk(self.k, dim=-1)  # (B, T, k)
        g = torch.zeros_like(s).scatter(-1, top_i, top_v.softmax(-1))  # gates, 0 outside top-k
        u = self.A(self.drop(x))  # A_i x for every expert (B, T, N r_e)
        ug = (u.view(*u.shape[:-1], self.n, self.r_e) * g.unsqueeze(-1)).view_as(u)
        y = self.base(x) + self.scale * self.B(ug)  # (B, T, d_out)
        if self.training:
            s2, u2, i2 = s.reshape(-1, self.n), u.reshape(-1, u.shape[-1]), top_i.reshape(-1, self.k)
            bal = balance_loss(s2)
            cl = self.contrastive_loss(u2, i2) if self.contrastive else None
            self.aux.append((bal, cl))
        return y

    def contrastive_loss(self, u, top_i):
        """u (n_tok, N r_e) ungated A_i x; top_i (n_tok, k). Samples z = B_i A_i x of routed
        (token, expert) pairs, at most MAX_SAMPLES per expert (seeded random subset)."""
        n_tok, r, M = u.shape[0], self.r_e, ar.MAX_SAMPLES
        routed = torch.zeros(n_tok, self.n, dtype=torch.bool).scatter_(1, top_i, True)
        zs, labels = [], []
        for i in range(self.n):
            idx = routed[:, i].nonzero().squeeze(1)  # tokens routed to expert i
            if idx.numel() > M:
                idx = idx[torch.randperm(idx.numel(), generator=self.gen)[:M]]
            blk = slice(i * r, (i + 1) * r)
            zs.append(F.linear(u[idx, blk], self.B.weight[:, blk]))  # (m_i, d_out)
            labels.append(torch.full((idx.numel(),), i, dtype=torch.long))
        return info_nce(torch.cat(zs), torch.cat(labels), ar.TAU)


def balance_loss(s):
    """Switch loss N * sum_j f_j P_j of router logits s (n_tok, N) (= ar.balance_module_loss)."""
    n = s.shape[-1]
    f = F.one_hot(s.argmax(-1), n).to(s.dtype).mean(0).detach()  # top-1 fraction (N,)
    return n * (f * s.softmax(-1).mean(0)).sum()


def info_nce(z, labels, tau):
    """Supervised InfoNCE, same formula as ar.contrastive_module_loss. z (n, d), labels (n,)."""
    n = z.shape[0]
    z = F.normalize(z, dim=-1, eps=ar.NORM_EPS)  # z / max(|z|, 1e-12)
    sim = (z @ z.t()) / tau  # (n, n)
    eye = torch.eye(n, dtype=torch.bool)
    pos = (labels[:, None] == labels[None, :]) & ~eye  # positives p != a, same expert
    n_pos = pos.sum(1)
    anchors = n_pos > 0
    if not bool(anchors.any()):
        return sim.sum() * 0.0
    sim_a = sim[anchors]  # (n_a, n)
    lse = torch.logsumexp(sim_a.masked_fill(eye[anchors], float("-inf")), dim=-1)  # q != a
    mean_pos = (sim_a * pos[anchors].to(sim.dtype)).sum(1) / n_pos[anchors].to(sim.dtype)
    return (lse - mean_pos).mean()


# --------------------------------------------------------------------------------------- model


class Block(nn.Module):
    def __init__(self, a):
        super().__init__()
        D, H, KV, hd = a.dim, a.heads, a.kv_heads, a.dim // a.heads
        self.H, self.KV, self.hd = H, KV, hd
        self.input_layernorm = nn.Parameter(torch.ones(D))
        self.post_attention_layernorm = nn.Parameter(torch.ones(D))
        self.q_proj = nn.Linear(D, H * hd, bias=False)
        self.k_proj = nn.Linear(D, KV * hd, bias=False)
        self.v_proj = nn.Linear(D, KV * hd, bias=False)
        self.o_proj = nn.Linear(H * hd, D, bias=False)
        self.gate_proj = nn.Linear(D, a.hidden, bias=False)
        self.up_proj = nn.Linear(D, a.hidden, bias=False)
        self.down_proj = nn.Linear(a.hidden, D, bias=False)

    def forward(self, x, cos, sin, mask):  # x (B, T, D); cos, sin (T, hd/2); mask (T, T)
        Bsz, T, _ = x.shape
        h = gr.rmsnorm(x, self.input_layernorm, EPS)
        q = self.q_proj(h).view(Bsz, T, self.H, self.hd).transpose(1, 2)  # (B, H, T, hd)
        k = self.k_proj(h).view(Bsz, T, self.KV, self.hd).transpose(1, 2)  # (B, KV, T, hd)
        v = self.v_proj(h).view(Bsz, T, self.KV, self.hd).transpose(1, 2)
        q, k = gr.apply_rope(q, cos, sin, "half"), gr.apply_rope(k, cos, sin, "half")
        if self.KV != self.H:  # GQA
            k = k.repeat_interleave(self.H // self.KV, dim=1)
            v = v.repeat_interleave(self.H // self.KV, dim=1)
        scores = (q @ k.transpose(-1, -2)) * (1.0 / math.sqrt(self.hd)) + mask  # (B, H, T, T)
        att = (scores.softmax(-1) @ v).transpose(1, 2).reshape(Bsz, T, -1)  # (B, T, H*hd)
        x = x + self.o_proj(att)
        h = gr.rmsnorm(x, self.post_attention_layernorm, EPS)
        return x + self.down_proj(F.silu(self.gate_proj(h)) * self.up_proj(h))  # (B, T, D)


class Model(nn.Module):
    """LLaMA-style: RMSNorm, rotate-half RoPE, MHA/GQA, SwiGLU, untied lm_head."""

    def __init__(self, a):
        super().__init__()
        self.embed_tokens = nn.Embedding(a.vocab, a.dim)
        self.layers = nn.ModuleList(Block(a) for _ in range(a.layers))
        self.norm = nn.Parameter(torch.ones(a.dim))
        self.lm_head = nn.Linear(a.dim, a.vocab, bias=False)
        cos, sin = ar.rope_cos_sin_pos(torch.arange(a.seq), a.dim // a.heads, THETA, torch.float32)
        self.register_buffer("cos", cos)  # (T, hd/2)
        self.register_buffer("sin", sin)
        causal = torch.ones(a.seq, a.seq, dtype=torch.bool).tril()  # key s <= query t
        self.register_buffer("mask", torch.zeros(a.seq, a.seq).masked_fill(~causal, float("-inf")))

    def forward(self, ids):  # ids (B, T) -> logits (B, T, V)
        x = self.embed_tokens(ids)  # (B, T, D)
        for blk in self.layers:
            x = blk(x, self.cos, self.sin, self.mask)
        return self.lm_head(gr.rmsnorm(x, self.norm, EPS))


def add_adapters(model, a, aux):
    """Freeze the base, wrap every target projection; returns the trainable parameters."""
    for p in model.parameters():
        p.requires_grad_(False)
    gen = torch.Generator().manual_seed(1234)  # contrastive sample subsets
    n, rank = a.experts, a.rank
    if a.case != "lora_step" and rank % n:
        raise SystemExit(f"--rank {rank} is not divisible by --experts {n}")
    for blk in model.layers:
        for t in a.targets.split(","):
            base = getattr(blk, t)
            if a.case == "lora_step":
                setattr(blk, t, LoRALinear(base, rank, 2.0 * rank))
            else:
                setattr(blk, t, MoELoRALinear(base, n, a.top_k, rank // n, 2.0 * rank, aux,
                                              a.case == "moelora_cl_step", gen))
    return [p for p in model.parameters() if p.requires_grad]


# ------------------------------------------------------------------------------------- harness


def blas_info():
    """Which BLAS is loaded: OpenBLAS version, threading and kernel core, else the library."""
    try:
        with open("/proc/self/maps") as f:
            libs = sorted({ln.split()[-1] for ln in f if re.search(r"lib\w*blas[\w.-]*\.so", ln)})
    except OSError:
        libs = []
    for p in libs:
        if "libopenblas" in os.path.basename(p):
            try:
                lib = ctypes.CDLL(p)
                lib.openblas_get_config.restype = ctypes.c_char_p
                lib.openblas_get_corename.restype = ctypes.c_char_p
                cfg = lib.openblas_get_config().decode().split()
                thr = "openmp" if "USE_OPENMP" in cfg else "pthreads"
                return f"{' '.join(cfg[:2])} {thr} core={lib.openblas_get_corename().decode()}"
            except (OSError, AttributeError):
                return os.path.basename(p)
    if libs:
        return "+".join(os.path.basename(os.path.dirname(p)) + "/" + os.path.basename(p)
                        for p in libs)
    m = re.search(r"BLAS_INFO=(\w+)", torch.__config__.show())
    return f"BLAS_INFO={m.group(1)}" if m else "unknown"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--case", required=True, choices=CASES)
    for name, default in (("dim", 256), ("layers", 4), ("heads", 4), ("kv-heads", 4),
                          ("hidden", 688), ("vocab", 1024), ("seq", 128), ("batch", 8),
                          ("warmup", 3), ("iters", 10), ("threads", 2), ("experts", 4),
                          ("top-k", 2), ("rank", 8)):
        ap.add_argument("--" + name, type=int, default=default)
    ap.add_argument("--targets", default="q_proj,v_proj")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)

    model = Model(a)
    ids = torch.randint(0, a.vocab, (a.batch, a.seq))  # (B, T), seeded
    aux = []
    if a.case == "base_forward":
        model.eval()

        def step():
            with torch.no_grad():
                return model(ids)  # (B, T, V)
    else:
        params = add_adapters(model, a, aux)
        opt = torch.optim.AdamW(params, lr=LR, weight_decay=0.0)
        model.train()
        log(f"trainable tensors {len(params)}, parameters {sum(p.numel() for p in params)}")

        def step():
            logits = model(ids)  # (B, T, V)
            loss = F.cross_entropy(logits[:, :-1].reshape(-1, a.vocab), ids[:, 1:].reshape(-1))
            if aux:  # MoELoRA: mean over modules, as in adapter_reference.all_losses
                loss = loss + ar.GAMMA * torch.stack([b for b, _ in aux]).mean()
                if aux[0][1] is not None:
                    loss = loss + ar.BETA * torch.stack([c for _, c in aux]).mean()
            aux.clear()
            loss.backward()
            opt.step()
            opt.zero_grad(set_to_none=True)
            return loss.detach()

    for _ in range(a.warmup):
        out = step()
    times = []
    for _ in range(a.iters):
        t0 = time.perf_counter()
        out = step()
        times.append(time.perf_counter() - t0)
    if not bool(torch.isfinite(out).all()):
        raise SystemExit("non-finite output")
    log(f"{a.case}: last output {'loss %.5f' % float(out) if out.dim() == 0 else tuple(out.shape)}; "
        f"ms per iteration {[round(t * 1e3, 2) for t in times]}")
    med = statistics.median(times)
    print(json.dumps({"case": a.case, "ms_per_step": round(med * 1e3, 3),
                      "ms_min": round(min(times) * 1e3, 3),
                      "tokens_per_s": round(a.batch * a.seq / med, 1),
                      "threads": torch.get_num_threads(), "blas": blas_info(),
                      "torch": torch.__version__}), flush=True)


if __name__ == "__main__":
    main()
