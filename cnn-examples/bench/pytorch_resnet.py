#!/usr/bin/env python3
"""Times PyTorch on the same architectures as cnn4j's native configs, for the speed comparison.

Reads a cnn4j native architecture file (cnn-examples/configs/resnet.json, modern.json, or any file
with the layer types listed in LAYERS), builds the same network in PyTorch and measures, on
synthetic inputs of the file's input shape:

  train   mini-batch training steps (forward, cross-entropy loss, backward, Adam step), batch 64;
  infer   inference (eval mode, no gradients), batch 1000;

each as samples per second, the median of --runs timed runs of about --seconds each after a warm-up,
on --threads threads (torch.set_num_threads). The layers match cnn4j's: Conv (bias, zero padding,
stride), BatchNorm (per channel after conv, per feature after dense), residual connections with the
automatic 1x1 strided projection cnn4j adds when the block changes the shape, global average pooling,
MaxPool/AvgPool with window = stride, Dropout, Dense, and a final Softmax folded into the loss
(cross-entropy on logits) for training and applied for inference.

Usage (needs Debian's python3-torch; run on an otherwise idle machine for figures worth quoting):
  python3 cnn-examples/bench/pytorch_resnet.py cnn-examples/configs/resnet.json cnn-examples/configs/modern.json
  python3 cnn-examples/bench/pytorch_resnet.py --runs 1 --seconds 0.1 --warmup 0.1 cnn-examples/configs/resnet.json  # smoke test
"""
import argparse
import json
import statistics
import sys
import time

import torch
from torch import nn


class Residual(nn.Module):
    """y = block(x) + shortcut(x), shortcut = identity or cnn4j's automatic 1x1 strided projection."""

    def __init__(self, block, shortcut):
        super().__init__()
        self.block = block
        self.shortcut = shortcut

    def forward(self, x):
        s = x if self.shortcut is None else self.shortcut(x)
        return self.block(x) + s


def conv_out(n, k, p, s):
    return (n + 2 * p - k) // s + 1


def build(layers, shape, where):
    """Builds nn.Sequential from a cnn4j layer list; returns (module, output shape, ends with softmax)."""
    mods = []
    softmax = False
    for i, spec in enumerate(layers):
        t = spec.get("type")
        name = "%s.%d (%s)" % (where, i, t)
        if softmax:
            raise ValueError("%s: softmax must be the last layer" % name)
        if t == "conv":
            kh, kw = spec["kernel"]
            p = spec.get("padding", 0)
            s = spec.get("stride", 1)
            c, h, w = shape
            mods.append(nn.Conv2d(c, spec["filters"], (kh, kw), stride=s, padding=p, bias=True))
            shape = (spec["filters"], conv_out(h, kh, p, s), conv_out(w, kw, p, s))
        elif t == "batchnorm":
            eps = spec.get("epsilon", 1e-5)
            mods.append(nn.BatchNorm2d(shape[0], eps=eps) if len(shape) == 3 else nn.BatchNorm1d(shape[0], eps=eps))
        elif t == "relu":
            mods.append(nn.ReLU())
        elif t == "sigmoid":
            mods.append(nn.Sigmoid())
        elif t == "tanh":
            mods.append(nn.Tanh())
        elif t in ("maxpool", "avgpool"):
            k = spec["size"]
            mods.append(nn.MaxPool2d(k) if t == "maxpool" else nn.AvgPool2d(k))
            shape = (shape[0], shape[1] // k, shape[2] // k)
        elif t == "globalavgpool":
            mods.append(nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten()))
            shape = (shape[0],)
        elif t == "flatten":
            mods.append(nn.Flatten())
            n = 1
            for d in shape:
                n *= d
            shape = (n,)
        elif t == "dense":
            mods.append(nn.Linear(shape[0], spec["units"]))
            shape = (spec["units"],)
        elif t == "dropout":
            mods.append(nn.Dropout(spec["rate"]))
        elif t == "softmax":
            softmax = True
        elif t == "block":
            m, shape, sm = build(spec["layers"], shape, name)
            if sm:
                raise ValueError("%s: softmax inside a block" % name)
            mods.append(m)
        elif t == "residual":
            if "shortcut" in spec:
                raise ValueError("%s: explicit shortcuts are not handled by this script" % name)
            inner = spec["block"]
            block, out, sm = build(inner["layers"] if inner.get("type") == "block" else [inner], shape, name)
            shortcut = None
            if out != shape:
                stride = next(s for s in range(1, max(shape[1], shape[2]) + 1)
                              if (shape[1] - 1) // s + 1 == out[1] and (shape[2] - 1) // s + 1 == out[2])
                shortcut = nn.Conv2d(shape[0], out[0], 1, stride=stride, bias=True)
            mods.append(Residual(block, shortcut))
            shape = out
        else:
            raise ValueError("%s: layer type not handled by this script" % name)
    return nn.Sequential(*mods), shape, softmax


def timed(step, runs, seconds, warmup, per_call):
    end = time.perf_counter() + warmup
    step()
    while time.perf_counter() < end:
        step()
    rates = []
    for _ in range(runs):
        n = 0
        t0 = time.perf_counter()
        while True:
            step()
            n += 1
            t = time.perf_counter() - t0
            if t >= seconds:
                break
        rates.append(n * per_call / t)
    return statistics.median(rates), rates


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("configs", nargs="+", help="cnn4j native architecture files")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seconds", type=float, default=2.0)
    ap.add_argument("--warmup", type=float, default=2.0)
    ap.add_argument("--batch", type=int, default=64, help="training batch (default 64)")
    ap.add_argument("--infer-batch", type=int, default=1000, help="inference batch (default 1000)")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    print("torch %s, %d thread(s), interop %d" % (torch.__version__, torch.get_num_threads(), torch.get_num_interop_threads()))
    print("| model | params | train batch %d (samples/s) | inference batch %d (images/s) |" % (a.batch, a.infer_batch))
    print("| --- | --- | --- | --- |")
    for path in a.configs:
        with open(path) as f:
            cfg = json.load(f)
        shape = tuple(cfg["input"])
        model, out, _ = build(cfg["layers"], shape, path)
        classes = out[0]
        params = sum(p.numel() for p in model.parameters())
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.CrossEntropyLoss()
        x = torch.rand((a.batch,) + shape)
        y = torch.randint(0, classes, (a.batch,))

        def train_step():
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(x), y)
            loss.backward()
            opt.step()

        model.train()
        tr, tr_runs = timed(train_step, a.runs, a.seconds, a.warmup, a.batch)
        xi = torch.rand((a.infer_batch,) + shape)

        def infer_step():
            with torch.no_grad():
                torch.softmax(model(xi), dim=1)

        model.eval()
        inf, inf_runs = timed(infer_step, a.runs, a.seconds, a.warmup, a.infer_batch)
        print("| %s | %d | %.0f (runs %s) | %.0f (runs %s) |" % (path, params, tr, ", ".join("%.0f" % r for r in tr_runs),
                                                                 inf, ", ".join("%.0f" % r for r in inf_runs)))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
