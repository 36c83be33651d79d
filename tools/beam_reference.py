#!/usr/bin/env python3
"""Independent PyTorch reference for beam search on the tiny `half_mha` model (MoELoRA Streams).

It writes beam-cases.json (normally under core/src/test/resources/golden/beam). The model is
golden_reference.py's `half_mha` (V = 64, deterministic splitmix64 weights); its forward is
imported from there and recomputed in full for every beam at every step (no KV cache).

The beam search below is the specification the Java implementation follows:

  inputs   prompt ids (BOS = 1 first), K beams, max_new_tokens, stop ids (a set),
           length penalty lp, length mode "generated" or "prompt+generated"
  length   "generated":        generated tokens, counting the stop token of a finished hypothesis
           "prompt+generated": prompt length + the above
  norm     score / length ** lp, in float64 (score: a float32 sum of log-probs, widened)
  state    live beams (tokens generated so far, float32 sum of log-probs); start: [([], 0.0)]
  step     (while step < max_new_tokens)
           for each live beam b in order: logp_b = float32 log_softmax of the logits at the last
           position of prompt + tokens_b; candidate scores sum_b + logp_b[v] (float32 adds).
           Sort all (b, v, score) by score descending, ties: lower b, then lower v; keep 2K.
           Walk them with rank r (0-based):
             v in stop ids: if r < K add finished (tokens_b, norm(score, len(tokens_b) + 1)),
                            else skip;
             otherwise:     if fewer than K new live beams, append (tokens_b + [v], score);
             stop walking once K new live beams exist.
           Keep the best K finished by norm (ties: the earlier added wins).
  stop     after a step: if #finished >= K and the best live norm <= the worst kept finished
           norm, stop; otherwise go on until max_new_tokens steps are done.
  answer   candidates = finished (in their kept order) + live beams (norm of sum over their
           length, no stop token); the highest norm wins, ties: finished before live, then the
           earlier added. Tokens are reported without the stop token.

Greedy (argmax, stop on a stop id, stop token excluded) is computed too, and beam search with
K = 1 must equal it.

Rerun (from the repository root; needs Debian's `apt-get install -y python3-torch`):

    /usr/bin/python3 tools/beam_reference.py --out core/src/test/resources/golden/beam

Output is deterministic (up to the torch version string).
"""

import argparse
import json
import os
import sys

sys.dont_write_bytecode = True  # keep tools/ free of __pycache__

import torch  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import golden_reference as gr  # noqa: E402  (deterministic weights and the reference forward)

BASE_NAME = "half_mha"
CFG = gr.CONFIGS[BASE_NAME]
MAX_NEW = 12
STOP = [2]
FRAGILE = 1e-5  # a ranking gap below this could flip under Java's float32 rounding


# ----------------------------------------------------------------------------------------------
# Model access
# ----------------------------------------------------------------------------------------------


class Model:
    def __init__(self):
        self.W = gr.make_weights(CFG)
        self.cache = {}  # memo of full forwards keyed by the token tuple (not a KV cache)

    def logp(self, ids):
        """float32 log_softmax (V,) of the next-token logits after ids (full recomputation)."""
        key = tuple(ids)
        if key not in self.cache:
            logits = gr.forward(CFG, self.W, list(ids))  # (T, V) float32
            self.cache[key] = torch.log_softmax(logits[-1], dim=-1)  # (V,) float32
        return self.cache[key]

    def logits_last(self, ids):
        return gr.forward(CFG, self.W, list(ids))[-1]  # (V,) float32


# ----------------------------------------------------------------------------------------------
# Search
# ----------------------------------------------------------------------------------------------


def hyp_length(prompt_len, n_generated, mode):
    if mode == "generated":
        return n_generated
    if mode == "prompt+generated":
        return prompt_len + n_generated
    raise ValueError(mode)


def norm(score, length, lp):
    return float(score) / (float(length) ** lp)  # float64 division of the widened float32 sum


def greedy(model, prompt, max_new, stop):
    """Argmax decoding; stops on a stop id (not included). Also returns the min top-2 margin."""
    out = []
    margins = []
    for _ in range(max_new):
        last = model.logits_last(prompt + out)  # (V,) float32
        top2 = torch.topk(last, 2).values
        margins.append(float(top2[0]) - float(top2[1]))
        tok = int(torch.argmax(last))
        if tok in stop:
            break
        out.append(tok)
    return out, min(margins)


def beam_search(model, prompt, K, max_new, stop, lp, mode):
    P = len(prompt)
    live = [([], 0.0)]  # (tokens, float32 sum of log-probs held as a python float)
    finished = []  # (norm, add_index, tokens, score), kept sorted by (-norm, add_index)
    n_added = 0  # finished hypotheses ever added
    n_skipped = 0  # stop candidates skipped because their rank was >= K
    steps = 0
    trace = []
    while steps < max_new and live:
        cands = []
        for b, (toks, s) in enumerate(live):
            lp_b = model.logp(prompt + toks)  # (V,) float32
            scores = torch.tensor(s, dtype=torch.float32) + lp_b  # float32 additions
            for v, sc in enumerate(scores.tolist()):  # exact float32 values as doubles
                cands.append((b, v, sc))
        cands.sort(key=lambda c: (-c[2], c[0], c[1]))
        top = cands[: 2 * K]

        new_live = []
        new_finished = []
        for r, (b, v, sc) in enumerate(top):
            toks = live[b][0]
            if v in stop:
                if r < K:
                    nrm = norm(sc, hyp_length(P, len(toks) + 1, mode), lp)
                    finished.append((nrm, n_added, list(toks), sc))
                    new_finished.append({"tokens": list(toks), "score": sc, "norm": nrm})
                    n_added += 1
                else:
                    n_skipped += 1
            elif len(new_live) < K:
                new_live.append((toks + [v], sc))
            if len(new_live) == K:
                break
        finished.sort(key=lambda f: (-f[0], f[1]))
        prune_gap = finished[K - 1][0] - finished[K][0] if len(finished) > K else None
        del finished[K:]
        live = new_live
        steps += 1

        # Fragility margins of this step (how far each decision is from flipping).
        nonstop = [c for c in cands if c[1] not in stop]
        rec = {"step": steps,
               "gap_k": cands[K - 1][2] - cands[K][2],  # K-th vs (K+1)-th candidate score
               "gap_live": nonstop[K - 1][2] - nonstop[K][2],  # last kept vs first dropped live
               "new_finished": new_finished,
               "live": [{"tokens": t, "score": s} for t, s in live]}
        if prune_gap is not None:
            rec["prune_gap"] = prune_gap  # worst kept vs best dropped finished norm
        stop_now = False
        if len(finished) >= K and live:
            best_live = max(norm(s, hyp_length(P, len(t), mode), lp) for t, s in live)
            rec["stop_margin"] = finished[-1][0] - best_live  # >= 0 means stop
            stop_now = best_live <= finished[-1][0]
        trace.append(rec)
        if stop_now:
            break

    final = [{"tokens": t, "score": s, "norm": n, "finished": True} for n, _, t, s in finished]
    final += [{"tokens": t, "score": s, "norm": norm(s, hyp_length(P, len(t), mode), lp),
               "finished": False} for t, s in live]
    best = 0
    for i, c in enumerate(final):
        if c["norm"] > final[best]["norm"]:  # strict: ties keep the earlier (finished first)
            best = i
    others = [c["norm"] for i, c in enumerate(final) if i != best]
    return {"tokens": final[best]["tokens"], "norm": final[best]["norm"],
            "finished": final[best]["finished"], "steps": steps, "final": final,
            "trace": trace, "n_finished_added": n_added, "n_stop_skipped": n_skipped,
            "answer_margin": final[best]["norm"] - max(others) if others else None}


# ----------------------------------------------------------------------------------------------
# Cases
# ----------------------------------------------------------------------------------------------

PROMPTS = [[1, 5, 9, 14], [1, 40, 3, 22, 11], [1, 7]]
# Stop-id variant (the model rarely emits id 2, so no main case ends on it): the stop id is the
# most likely next token of live beam 1 after 3 steps of K = 2 on PROMPTS[VARIANT_PROMPT].
VARIANT_PROMPT, VARIANT_K, VARIANT_STEPS, VARIANT_BEAM = 1, 2, 3, 1


def variant_stop_id(model):
    r = beam_search(model, PROMPTS[VARIANT_PROMPT], VARIANT_K, VARIANT_STEPS, STOP, 1.0,
                    "generated")
    live = [c for c in r["final"] if not c["finished"]]
    beam = live[VARIANT_BEAM]["tokens"]
    return int(torch.argmax(model.logp(PROMPTS[VARIANT_PROMPT] + beam))), beam


def case_list(variant_stop):
    cases = []
    for pi, prompt in enumerate(PROMPTS):
        for K in (1, 2, 4):
            cases.append(dict(name=f"p{pi}_k{K}", prompt=prompt, K=K, stop=STOP, lp=1.0,
                              mode="generated"))
    cases.append(dict(name="p0_k4_lp0", prompt=PROMPTS[0], K=4, stop=STOP, lp=0.0,
                      mode="generated"))
    cases.append(dict(name="p0_k4_promptlen", prompt=PROMPTS[0], K=4, stop=STOP, lp=1.0,
                      mode="prompt+generated"))
    for K in (1, 2, 4):
        cases.append(dict(name=f"p{VARIANT_PROMPT}_k{K}_stop{variant_stop}",
                          prompt=PROMPTS[VARIANT_PROMPT], K=K, stop=[variant_stop], lp=1.0,
                          mode="generated"))
    # lp 0 and prompt+generated again, now with finished hypotheses of different lengths.
    for suffix, lp, mode in (("lp0", 0.0, "generated"), ("promptlen", 1.0, "prompt+generated")):
        cases.append(dict(name=f"p{VARIANT_PROMPT}_k4_stop{variant_stop}_{suffix}",
                          prompt=PROMPTS[VARIANT_PROMPT], K=4, stop=[variant_stop], lp=lp,
                          mode=mode))
    return cases


def run_case(model, c):
    r = beam_search(model, c["prompt"], c["K"], MAX_NEW, c["stop"], c["lp"], c["mode"])
    g, g_margin = greedy(model, c["prompt"], MAX_NEW, c["stop"])
    if c["K"] == 1:
        assert r["tokens"] == g, (c["name"], r["tokens"], g)
    tr = r["trace"]
    stop_margins = [abs(t["stop_margin"]) for t in tr if "stop_margin" in t]
    prune_gaps = [t["prune_gap"] for t in tr if "prune_gap" in t]
    return {
        "name": c["name"],
        "prompt": c["prompt"],
        "K": c["K"],
        "max_new_tokens": MAX_NEW,
        "stop_ids": c["stop"],
        "length_penalty": c["lp"],
        "length_mode": c["mode"],
        "expected_tokens": r["tokens"],
        "expected_score": r["norm"],
        "expected_finished": r["finished"],
        "steps": r["steps"],
        "greedy_tokens": g,
        "finished_added": r["n_finished_added"],
        "stop_skipped": r["n_stop_skipped"],
        "min_gap": min(t["gap_k"] for t in tr),
        "min_gap_live": min(t["gap_live"] for t in tr),
        "min_stop_margin": min(stop_margins) if stop_margins else None,
        "min_prune_gap": min(prune_gaps) if prune_gaps else None,
        "answer_margin": r["answer_margin"],
        "greedy_min_logit_margin": g_margin,
        "final_candidates": r["final"],
        "trace": tr,
    }


def fragile(doc):
    vals = [doc["min_gap"], doc["min_gap_live"], doc["min_stop_margin"], doc["min_prune_gap"],
            doc["answer_margin"]]
    return [v for v in vals if v is not None and v < FRAGILE]


def write_doc(path, header, cases):
    """Compact JSON, one case per line."""
    head = json.dumps(header, separators=(",", ":"))
    lines = [json.dumps(c, separators=(",", ":")) for c in cases]
    with open(path, "w", encoding="utf-8") as f:
        f.write(head[:-1] + ',"cases":[\n' + ",\n".join(lines) + "\n]}\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join("core", "src", "test", "resources", "golden",
                                                  "beam"))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.set_num_threads(1)
    torch.manual_seed(0)  # nothing random is used
    print(f"torch {torch.__version__}; base config {BASE_NAME}; writing to {args.out}")
    model = Model()

    vstop, vbeam = variant_stop_id(model)
    print(f"stop-id variant: stop ids [{vstop}] = argmax after prompt {PROMPTS[VARIANT_PROMPT]} "
          f"+ beam {VARIANT_BEAM} {vbeam} (K={VARIANT_K}, {VARIANT_STEPS} steps, stop [2])")

    docs = [run_case(model, c) for c in case_list(vstop)]
    header = {
        "generator": "tools/beam_reference.py",
        "torch": torch.__version__,
        "model": BASE_NAME,
        "model_fixture": "../tiny-llama-half_mha.json",
        "bos_id": 1,
        "variant_stop_id": {"stop_id": vstop, "prompt": PROMPTS[VARIANT_PROMPT],
                            "K": VARIANT_K, "steps": VARIANT_STEPS, "beam": VARIANT_BEAM,
                            "beam_tokens": vbeam},
        "notes": "scores: float32 sums of float32 log_softmax values (written as float64, exact); "
                 "expected_score / norm: score / length**length_penalty in float64; "
                 "expected_tokens exclude the stop token; steps = beam steps run; min_gap = min "
                 "over steps of (K-th - (K+1)-th) candidate score; K=1 equals greedy; see the "
                 "script docstring for the algorithm",
    }
    path = os.path.join(args.out, "beam-cases.json")
    write_doc(path, header, docs)

    # Round-trip check of the written file.
    with open(path, encoding="utf-8") as f:
        back = json.load(f)
    assert [c["expected_tokens"] for c in back["cases"]] == [d["expected_tokens"] for d in docs]
    assert [c["expected_score"] for c in back["cases"]] == [d["expected_score"] for d in docs]

    print(f"{'case':24s} {'K':>1s} {'lp':>3s} {'mode':16s} {'steps':>5s} {'fin':>3s} "
          f"{'added':>5s} {'skip':>4s} {'min_gap':>9s} {'gap_live':>9s} {'stop_m':>9s} "
          f"{'answer_m':>9s}  score / tokens")
    any_stop2 = False
    for d in docs:
        if d["stop_ids"] == STOP and d["finished_added"] > 0:
            any_stop2 = True
        sm = "-" if d["min_stop_margin"] is None else f"{d['min_stop_margin']:.3g}"
        am = "-" if d["answer_margin"] is None else f"{d['answer_margin']:.3g}"
        print(f"{d['name']:24s} {d['K']:1d} {d['length_penalty']:3.1f} {d['length_mode']:16s} "
              f"{d['steps']:5d} {'y' if d['expected_finished'] else 'n':>3s} "
              f"{d['finished_added']:5d} {d['stop_skipped']:4d} {d['min_gap']:9.3g} "
              f"{d['min_gap_live']:9.3g} {sm:>9s} {am:>9s}  "
              f"{d['expected_score']!r} {d['expected_tokens']}")
        bad = fragile(d)
        assert not bad, f"{d['name']} is fragile: {bad}"
    print(f"stop id 2 ever added a finished hypothesis: {any_stop2}; "
          f"no case is fragile (all margins >= {FRAGILE:g}); K=1 == greedy: ok")
    print(f"  beam-cases.json {os.path.getsize(path)} bytes")


if __name__ == "__main__":
    main()
