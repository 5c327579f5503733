"""Evidence for the VGG stall (VGG_STALL.md): from a train_run.ts run with --dropout (its initial
weights, batches and dropout masks), trains the PyTorch twin with PyTorch's own dropout draws
(seeds 0–2) instead of the TF.js masks, and counts dead ReLU units of the classifier (units that
output 0 for every image of a batch) in the TF.js weights after the last step and along the run.

Usage: /usr/bin/python3 vgg_stall.py DIR [STEPS]   (prints one JSON line)"""
import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from train_parity import load_twin  # noqa: E402


def batches(d, run, steps):
    (h, w, c), b = run["inputShape"], run["batchSize"]
    xs = np.memmap(f"{d}/x.bin", dtype="<f4", mode="r")
    ys = np.fromfile(f"{d}/y.bin", dtype="<i4")
    for s in range(steps):
        x = np.array(xs[s * b * h * w * c: (s + 1) * b * h * w * c]).reshape(b, h, w, c).transpose(0, 3, 1, 2)
        yield torch.from_numpy(x.copy()), torch.from_numpy(ys[s * b: (s + 1) * b].astype(np.int64))


def dead_units(net, x):
    """Per hidden FC layer: the share of units whose ReLU output is 0 for all of `x` (eval mode)."""
    net.eval()
    prefix, n, _, _, act = net.head_spec
    out = []
    with torch.no_grad():
        y = net.features(x)
        for i in range(n):
            y = act(net[f"{prefix}.fc{i + 1}"](y))
            out.append(float((y.max(0).values <= 0).float().mean()))
    net.train()
    return out


def main(d, steps):
    torch.set_num_threads(int(os.environ.get("PARITY_THREADS", "1")))
    run, net, _ = load_twin(d)
    steps = min(steps, len(run["losses"]))
    probe = next(batches(d, run, 1))[0]
    result = {"steps": steps, "tfLosses": run["losses"][:steps], "tfHits": run["hits"][:steps],
              "deadInitial": dead_units(net, probe)}
    result["deadTf"] = {s: dead_units(load_twin(d, f"w{s}.bin")[1], probe) for s in run["fullAt"]}
    o = run["optimizer"]
    for seed in (0, 1, 2):
        torch.manual_seed(seed)
        _, twin, _ = load_twin(d)
        twin.train()
        opt = torch.optim.Adam(twin.parameters(), lr=o["lr"], betas=tuple(o["betas"]), eps=o["eps"])
        losses, hits, dead = [], [], {}
        for s, (x, y) in enumerate(batches(d, run, steps)):
            opt.zero_grad()
            out = twin(x)
            loss = F.cross_entropy(out, y)
            loss.backward()
            opt.step()
            losses.append(float(loss))
            hits.append(int((out.argmax(1) == y).sum()))
            if s + 1 in (1, 2, 3, 5, 10, 25, 50, steps):
                dead[s + 1] = dead_units(twin, probe)
        result[f"torchOwnDropoutSeed{seed}"] = {"losses": losses, "hits": hits, "dead": dead}
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 10 ** 9)
