"""Loads the TF.js weights exported by export_weights.ts into PyTorch models (torch_peer.py's
benchmark models, torchvision's references, zoo_models.py) and compares logits in eval and train
mode and the gradients of a cross-entropy loss for every weight.
Usage: /usr/bin/python3 parity.py DIR [KEY_PREFIX]"""
import json, os, re, sys
import numpy as np
import torch
import torch.nn.functional as F
import torchvision

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from tf_layout import SUFFIX, to_torch  # noqa: E402
from zoo_models import ZOO  # noqa: E402

out_dir = sys.argv[1]
args = list(sys.argv)
src = open("/work/shared/peers/torch_peer.py").read()
sys.argv = ["torch_peer.py", "lenet", "2", "1"]
exec(src[: src.index("net = {")])  # the peer's model classes only; its tail times training


def table(pairs):
    return lambda layer: pairs[layer]


def peer_resnet(layer):
    m = re.match(r"layer(\d)\.block(\d)\.(conv1|bn1|conv2|bn2|shortcut\.conv|shortcut\.bn)$", layer)
    if m:
        part = {"conv1": "c1", "bn1": "b1", "conv2": "c2", "bn2": "b2", "shortcut.conv": "sc.0", "shortcut.bn": "sc.1"}[m[3]]
        return f"layers.{2 * (int(m[1]) - 1) + int(m[2])}.{part}"
    return {"stem.conv": "stem.0", "stem.bn": "stem.1", "head.fc": "fc"}[layer]


def tv_resnet(layer):
    m = re.match(r"layer(\d)\.block(\d+)\.(.+)$", layer)
    if m:
        part = {"shortcut.conv": "downsample.0", "shortcut.bn": "downsample.1"}.get(m[3], m[3])
        return f"layer{m[1]}.{m[2]}.{part}"
    return {"stem.conv": "conv1", "stem.bn": "bn1", "head.fc": "fc"}[layer]


def tv_densenet(layer):
    m = re.match(r"block(\d)\.layer(\d+)\.(bn1|conv1|bn2|conv2)$", layer)
    if m:
        return f"features.denseblock{m[1]}.denselayer{m[2]}.{m[3].replace('bn', 'norm')}"
    m = re.match(r"transition(\d)\.(bn|conv)$", layer)
    if m:
        return f"features.transition{m[1]}.{'norm' if m[2] == 'bn' else 'conv'}"
    return {"stem.conv": "features.conv0", "stem.bn": "features.norm0", "head.bn": "features.norm5",
            "head.fc": "classifier"}[layer]


def tv_mobilenet_v2(layer):
    m = re.match(r"block(\d+)\.(expand|expand_bn|dw|dw_bn|project|project_bn)$", layer)
    if m:
        k = int(m[1])
        parts = ({"dw": "0.0", "dw_bn": "0.1", "project": "1", "project_bn": "2"} if k == 1 else
                 {"expand": "0.0", "expand_bn": "0.1", "dw": "1.0", "dw_bn": "1.1", "project": "2", "project_bn": "3"})
        return f"features.{k}.conv.{parts[m[2]]}"
    return {"stem.conv": "features.0.0", "stem.bn": "features.0.1", "last.conv": "features.18.0",
            "last.bn": "features.18.1", "head.fc": "classifier.1"}[layer]


CASES = {
    "peer_lenet": (lambda c: LeNet(), table({
        "features.conv1": "f.0", "features.bn1": "f.1", "features.conv2": "f.4", "features.bn2": "f.5",
        "classifier.fc1": "c.1", "classifier.fc2": "c.3", "classifier.fc3": "c.5"})),
    "peer_vgg": (lambda c: VGGSmall(), table({
        "features.block1.conv1": "f.0", "features.block1.conv2": "f.2", "features.block2.conv1": "f.5",
        "features.block2.conv2": "f.7", "classifier.fc1": "c.2", "classifier.fc2": "c.5", "classifier.fc3": "c.7"})),
    "peer_resnet18": (lambda c: ResNet18(), peer_resnet),
    "tv_resnet18": (lambda c: torchvision.models.resnet18(num_classes=c), tv_resnet),
    "tv_resnet50": (lambda c: torchvision.models.resnet50(num_classes=c), tv_resnet),
    "tv_alexnet": (lambda c: torchvision.models.alexnet(num_classes=c), table({
        "features.conv1": "features.0", "features.conv2": "features.3", "features.conv3": "features.6",
        "features.conv4": "features.8", "features.conv5": "features.10", "classifier.fc1": "classifier.1",
        "classifier.fc2": "classifier.4", "classifier.fc3": "classifier.6"})),
    "tv_densenet121": (lambda c: torchvision.models.densenet121(num_classes=c), tv_densenet),
    "tv_mobilenet_v2": (lambda c: torchvision.models.mobilenet_v2(num_classes=c), tv_mobilenet_v2),
}

for key, make in ZOO.items():
    CASES[key] = (make, lambda layer: f"m.{layer.replace('.', '_')}")

worst, worst_grad = 0.0, 0.0
only = args[2] if len(args) > 2 else ""
for key, (make, rename) in CASES.items():
    if not key.startswith(only):
        continue
    d = json.load(open(f"{out_dir}/{key}.json"))
    flat = np.fromfile(f"{out_dir}/{key}.bin", dtype="<f4")
    net = make(d["classes"])
    state = net.state_dict()
    loaded, seen_dense = set(), False
    for w in d["weights"]:
        layer, kind = w["name"].rsplit("/", 1)
        target = f"{rename(layer)}.{SUFFIX[kind]}"
        size = int(np.prod(w["shape"]))
        arr = flat[w["offset"]: w["offset"] + size].reshape(w["shape"])
        first_fc = arr.ndim == 2 and not seen_dense
        seen_dense = seen_dense or arr.ndim == 2
        arr = to_torch(kind, arr, first_fc, d["flattenInput"])
        assert tuple(state[target].shape) == arr.shape, (key, target, state[target].shape, arr.shape)
        state[target] = torch.from_numpy(np.ascontiguousarray(arr))
        loaded.add(target)
    missing = [k for k in state if k not in loaded and not k.endswith("num_batches_tracked")]
    assert not missing, (key, missing[:5])
    net.load_state_dict(state)
    x = torch.tensor(d["x"]).permute(0, 3, 1, 2)
    with torch.no_grad():
        net.eval()
        ev = net(x).numpy()
        net.train()
        for m in net.modules():
            if isinstance(m, torch.nn.Dropout):
                m.p = 0.0  # the TF.js side ran without dropout too
        tr = net(x).numpy()
    # BN running statistics after that one train-mode pass, relative to their own scale.
    state, running_err = net.state_dict(), 0.0
    for name, values in d.get("running", {}).items():
        layer, kind = name.rsplit("/", 1)
        want = state[f"{rename(layer)}.{SUFFIX[kind]}"].numpy()
        running_err = max(running_err, float(np.abs(np.array(values).reshape(want.shape) - want).max() / np.abs(want).max()))
    ge = float("nan")
    if os.path.exists(f"{out_dir}/{key}.grad.bin"):
        # Gradients of the mean cross-entropy for labels [1, 2, 3, 4] (train mode, no dropout).
        net.zero_grad()
        F.cross_entropy(net(x), torch.tensor([1, 2, 3, 4])).backward()
        params = dict(net.named_parameters())
        grads = np.fromfile(f"{out_dir}/{key}.grad.bin", dtype="<f4")
        seen_dense, errors = False, []
        for w in d["weights"]:
            layer, kind = w["name"].rsplit("/", 1)
            size = int(np.prod(w["shape"]))
            g = grads[w["offset"]: w["offset"] + size].reshape(w["shape"])
            first_fc = g.ndim == 2 and not seen_dense
            seen_dense = seen_dense or g.ndim == 2
            target = f"{rename(layer)}.{SUFFIX[kind]}"
            if target not in params:
                continue  # BN running statistics
            want = params[target].grad.numpy()
            got = to_torch(kind, g, first_fc, d["flattenInput"])
            errors.append((np.abs(got - want).max(), np.abs(want).max(), target))
        # Relative to the largest gradient of the model: conv biases followed by BN have (exactly)
        # zero gradient in theory, so their own scale is float noise.
        scale = max(e[1] for e in errors)
        ge = max(e[0] for e in errors) / scale
        if os.environ.get("PARITY_VERBOSE"):
            for e in sorted(errors, reverse=True)[:3]:
                print(f"  {e[2]}: max |Δg| {e[0]:.1e}, max |g| {e[1]:.1e}")
    scale = np.abs(ev).max()
    e1 = np.abs(ev - np.array(d["inference"])).max() / scale
    e2 = np.abs(tr - np.array(d["training"])).max() / np.abs(tr).max()
    worst = max(worst, e1, e2, running_err)
    worst_grad = max(worst_grad, 0.0 if np.isnan(ge) else ge)
    print(f"{key}: all {len(loaded)} PyTorch tensors from TF.js; max |Δlogit| / max |logit|: "
          f"eval {e1:.1e}, train {e2:.1e}; BN running stats {running_err:.1e}; worst weight gradient max |Δ| / max |g|: {ge:.1e}")
print(f"worst relative logit difference {worst:.1e}, worst relative gradient difference {worst_grad:.1e}")
# Logits must agree to float precision. Gradients of the earliest layers of deep BN networks
# (DenseNet, MobileNet) differ by up to ~1e-2 of the largest gradient: a batch of 4 through
# dozens of train-mode BN layers amplifies float32 summation-order differences.
sys.exit(0 if worst < 1e-3 and worst_grad < 5e-2 else 1)
