"""The PyTorch side of the training-parity harness: replays a run train_run.ts wrote (its initial
weights, batches, dropout masks) on the zoo twin (zoo_models.py TWINS) with torch.optim.Adam and
compares every step's loss and the weights after every step.

Usage: /usr/bin/python3 train_parity.py DIR
Environment: PARITY_THREADS (default 1); PARITY_DOUBLE=1 trains the twin in float64;
PARITY_PERTURB=1e-7 multiplies every initial weight by (1 + 1e-7·N(0, 1)) (drift controls);
PARITY_LOSS_ONLY=1 skips the weight comparisons (long runs of big models); PARITY_STEPS=N
replays only the first N steps; PARITY_PERTURB_SEED (default 1) seeds the perturbation.
Prints one JSON line: {"experiment", "steps", "maxRelLoss", "maxRelLossStep", "maxRelWeight",
"maxRelWeightTensor", "maxRelWeightFull", "maxRelWeightL2Full" (‖Δw‖ / ‖w‖ per tensor, in the
full dumps), "maxRelWeightL2FullTensor", "maxRelRunning", "nullGradTensors",
"maxRelWeightNullGrad", "tfLosses", "torchLosses", "tfHits", "torchHits", "tfSeconds"}. Weight differences are per tensor, max |Δw| / max |w| of that tensor (the PyTorch
value as reference), trainable tensors only; BN running statistics and tensors with no gradient at
step 1 (conv biases before a BatchNorm) separately."""
import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tf_layout import SUFFIX, to_tf, to_torch  # noqa: E402
from zoo_models import TWINS  # noqa: E402


def load_twin(d, weights="init.bin"):
    """The run's twin with the TF.js weights of `d/weights` loaded; returns (run, net, entries),
    entries: (layout entry, state key, TF.js kind, first dense kernel after the Flatten)."""
    run = json.load(open(f"{d}/run.json"))
    o, (h, w, c) = run["options"], run["inputShape"]
    net = TWINS[o["name"]](o, (c, h, w), run["classes"])
    state = net.state_dict()
    entries, seen_dense = [], False
    for entry in run["weights"]:
        layer, kind = entry["name"].rsplit("/", 1)
        key = f"m.{layer.replace('.', '_')}.{SUFFIX[kind]}"
        first_fc = len(entry["shape"]) == 2 and not seen_dense
        seen_dense = seen_dense or len(entry["shape"]) == 2
        entries.append((entry, key, kind, first_fc))
    flat = np.fromfile(f"{d}/{weights}", dtype="<f4")
    for entry, key, kind, first_fc in entries:
        arr = flat[entry["offset"]: entry["offset"] + int(np.prod(entry["shape"]))].reshape(entry["shape"])
        arr = to_torch(kind, arr, first_fc, run["flattenInput"])
        assert tuple(state[key].shape) == arr.shape, (key, state[key].shape, arr.shape)
        state[key] = torch.from_numpy(np.ascontiguousarray(arr))
    missing = set(state) - {e[1] for e in entries}
    assert all(k.endswith("num_batches_tracked") for k in missing), sorted(missing)[:5]
    net.load_state_dict(state)
    return run, net, entries


def main(d):
    torch.set_num_threads(int(os.environ.get("PARITY_THREADS", "1")))
    run, net, entries = load_twin(d)
    (h, w, c), flatten_input = run["inputShape"], run["flattenInput"]
    state = net.state_dict()
    perturb = float(os.environ.get("PARITY_PERTURB", "0"))
    if perturb > 0:
        # A control: the same run from weights moved by relative noise of float32 rounding size,
        # to show how far two runs drift apart on their own.
        g = torch.Generator().manual_seed(int(os.environ.get("PARITY_PERTURB_SEED", "1")))
        state = {k: v * (1 + perturb * torch.randn(v.shape, generator=g)) if v.is_floating_point() else v
                 for k, v in state.items()}
    net.load_state_dict(state)
    if os.environ.get("PARITY_DOUBLE"):
        net.double()  # a float64 reference: how far each float32 run is from exact arithmetic
    dtype = torch.float64 if os.environ.get("PARITY_DOUBLE") else torch.float32
    net.train()

    opt_o = run["optimizer"]
    assert opt_o["name"] == "adam", opt_o
    opt = torch.optim.Adam(net.parameters(), lr=opt_o["lr"], betas=tuple(opt_o["betas"]), eps=opt_o["eps"])

    steps, b = min(len(run["losses"]), int(os.environ.get("PARITY_STEPS", "1000000000"))), run["batchSize"]
    xs = np.memmap(f"{d}/x.bin", dtype="<f4", mode="r")
    ys = np.fromfile(f"{d}/y.bin", dtype="<i4")
    samples = np.fromfile(f"{d}/sample.bin", dtype="<f4").reshape(len(run["losses"]), -1)
    sample_index = [np.array(ix, dtype=np.int64) for ix in run["sampleIndex"]]

    # Dropout: the TF.js keep masks of every step, in forward order, fed to the twin's drop().
    layers = run["dropout"]
    mask_file = np.memmap(f"{d}/masks.bin", dtype="u1", mode="r") if layers else None
    mask_at, queue = 0, []

    def drop(x, rate):
        if rate <= 0:
            return x
        keep, layer_rate = queue.pop(0)
        assert abs(layer_rate - rate) < 1e-9, (layer_rate, rate)
        return x * keep.to(x.dtype) / (1 - rate)
    if layers:
        net.drop = drop

    def masks_of_step(n):
        nonlocal mask_at
        out = []
        for layer in layers:
            size = n * int(np.prod(layer["shape"]))
            m = np.asarray(mask_file[mask_at: mask_at + size], dtype=np.float32).reshape(n, *layer["shape"])
            mask_at += size
            if m.ndim == 4:  # NHWC → NCHW
                m = m.transpose(0, 3, 1, 2)
            elif m.ndim == 2 and flatten_input is not None and m.shape[1] == int(np.prod(flatten_input[1:])) \
                    and not any(q[2] for q in out):  # the Flatten's output: NHWC order → NCHW order
                fh, fw, fc = flatten_input[1:]
                m = m.reshape(n, fh, fw, fc).transpose(0, 3, 1, 2).reshape(n, -1)
                out.append((torch.from_numpy(np.ascontiguousarray(m)), layer["rate"], True))
                continue
            out.append((torch.from_numpy(np.ascontiguousarray(m)), layer["rate"], False))
        return [(m, r) for m, r, _ in out]

    def tf_view(key, kind, first_fc):
        return to_tf(kind, net.state_dict()[key].detach().float().numpy(), first_fc, flatten_input)

    torch_losses, torch_hits, rel_loss = [], [], []
    worst_w, worst_w_name, worst_run, worst_null = 0.0, "", 0.0, 0.0
    worst_full, null_grad, worst_l2 = 0.0, set(), (0.0, "")
    at_x = 0
    for s in range(steps):
        n = b if (s + 1) * b <= len(ys) else len(ys) - s * b
        x = torch.from_numpy(np.array(xs[at_x: at_x + n * h * w * c]).reshape(n, h, w, c).transpose(0, 3, 1, 2).copy()).to(dtype)
        at_x += n * h * w * c
        y = torch.from_numpy(ys[s * b: s * b + n].astype(np.int64))
        if layers:
            queue[:] = masks_of_step(n)
        opt.zero_grad()
        out = net(x)
        loss = F.cross_entropy(out, y)
        loss.backward()
        if s == 0:
            # Conv biases right before a BatchNorm have a zero gradient in theory, so Adam moves
            # them by ±lr along float noise that differs between frameworks: reported apart.
            grads = {k: float(p.grad.abs().max()) for k, p in net.named_parameters() if p.grad is not None}
            # Such a bias's gradient is rounding noise, orders of magnitude below its kernel's.
            null_grad = {k for k, g in grads.items() if k.endswith(".bias")
                         and g <= 1e-3 * grads.get(k[:-len("bias")] + "weight", 0.0)}
        if layers:
            assert not queue, f"step {s + 1}: {len(queue)} dropout masks unused"
        opt.step()
        lt, lf = float(loss), run["losses"][s]
        torch_losses.append(lt)
        torch_hits.append(int((out.argmax(1) == y).sum()))
        rel_loss.append(abs(lt - lf) / max(abs(lf), 1e-12))
        if os.environ.get("PARITY_LOSS_ONLY"):
            continue
        # Sampled weights after the step.
        at = 0
        for (entry, key, kind, first_fc), ix in zip(entries, sample_index):
            got = samples[s, at: at + len(ix)]
            at += len(ix)
            want = tf_view(key, kind, first_fc).reshape(-1)[ix]
            err = float(np.abs(got - want).max() / max(np.abs(want).max(), 1e-12))
            if key in null_grad:
                worst_null = max(worst_null, err)
            elif entry["trainable"]:
                if err > worst_w:
                    worst_w, worst_w_name = err, f"{entry['name']} (step {s + 1})"
            else:
                worst_run = max(worst_run, err)
        if s + 1 in run["fullAt"]:
            full = np.fromfile(f"{d}/w{s + 1}.bin", dtype="<f4")
            for entry, key, kind, first_fc in entries:
                if not entry["trainable"] or key in null_grad:
                    continue
                got = full[entry["offset"]: entry["offset"] + int(np.prod(entry["shape"]))].reshape(entry["shape"])
                want = tf_view(key, kind, first_fc)
                worst_full = max(worst_full, float(np.abs(got - want).max() / max(np.abs(want).max(), 1e-12)))
                # The tensor as a whole: one element whose gradient is at rounding level can
                # move by ±lr under Adam on either side, which the max above reports alone.
                l2 = float(np.linalg.norm(got - want) / max(np.linalg.norm(want), 1e-12))
                if l2 > worst_l2[0]:
                    worst_l2 = (l2, f"{entry['name']} (step {s + 1})")
    worst_step = int(np.argmax(rel_loss)) + 1
    return {
        "experiment": run["experiment"], "backend": run["backend"], "lr": opt_o["lr"], "steps": steps,
        "dropout": bool(layers), "maxRelLoss": max(rel_loss), "maxRelLossStep": worst_step,
        "maxRelWeight": worst_w, "maxRelWeightTensor": worst_w_name, "maxRelWeightFull": worst_full,
        "maxRelWeightL2Full": worst_l2[0], "maxRelWeightL2FullTensor": worst_l2[1],
        "maxRelRunning": worst_run,
        "nullGradTensors": sorted(null_grad), "maxRelWeightNullGrad": worst_null, "tfLosses": run["losses"], "torchLosses": torch_losses,
        "tfHits": run["hits"], "torchHits": torch_hits, "tfSeconds": run["seconds"],
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
