#!/usr/bin/env python3
"""Writes the TorchScript modules that give the Java runtime libtorch ops DJL's PyTorch engine has no
binding for. Each module is one op, so TorchScript's profiling executor never wraps it in an autodiff
subgraph: autograd records the op itself and its fused backward kernel, as in eager PyTorch.

  silu.pt   forward(x) = aten::silu(x), SwiGLU's gate activation

Source-range debug records (which embed the generating file's path) are left out; the archives are
written with fixed timestamps, so regenerating gives the same bytes for the same torch version.

Usage (repository root): /usr/bin/python3 tools/torchscript_ops.py --out core/src/main/resources/io/moelora/core/runtime
"""
import argparse
import io
import os
import zipfile

import torch


class Silu(torch.nn.Module):
    def forward(self, x):  # x (...) -> (...)
        return torch.ops.aten.silu(x)


MODULES = {"silu.pt": Silu}


def save(module, path):
    buf = io.BytesIO()
    torch.jit.save(torch.jit.script(module), buf)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as dst:
        for entry in src.infolist():
            if entry.filename.endswith(".debug_pkl"):
                continue
            dst.writestr(zipfile.ZipInfo(entry.filename, date_time=(1980, 1, 1, 0, 0, 0)), src.read(entry.filename))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True, help="directory to write the .pt files into")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    for name, cls in MODULES.items():
        path = os.path.join(a.out, name)
        save(cls(), path)
        loaded = torch.jit.load(path)
        x = torch.linspace(-6, 6, 101)
        assert torch.equal(loaded(x), torch.nn.functional.silu(x)), name
        print(f"wrote {path} ({os.path.getsize(path)} bytes, torch {torch.__version__})")


if __name__ == "__main__":
    main()
