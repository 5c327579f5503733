"""The PyTorch peer of the bench's whole-pipeline figure: what `deno task pipeline` does for one
LeNet epoch on MNIST (bench_pipeline.ts writes that config), done the way a PyTorch user would:
read the four IDX .gz files, split 80/20 (seeded), normalize with the training split's mean and
std, train one epoch (Adam 1e-3, batch 128, lab report 000's LeNet from zoo_models.py), a
validation pass, evaluate on the test set (loss, top-1, top-5, per-class accuracy, confusion
matrix), save the weights and write metrics and a Markdown report. No charts: matplotlib is not
installed here, while the project also renders SVG/PNG charts and an HTML page.

Usage: /usr/bin/python3 lenet_epoch_peer.py DATA_DIR OUT_DIR THREADS
Prints one JSON line: {"seconds", "top1", "valTop1"}."""
import csv
import gzip
import json
import os
import sys
import time

START = time.perf_counter()
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../tests/models/torch_parity"))

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from zoo_models import TWINS  # noqa: E402

LENET = {"name": "lenet", "activation": "sigmoid", "pool": "max", "normalization": "batch",
         "padding": 2, "fc_activation": "relu", "channels": [6, 16], "fc_units": [120, 84],
         "conv_dropout": 0, "fc_dropout": 0}


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def batches(images, labels, index, size, mean, std):
    for start in range(0, len(index), size):
        ids = index[start:start + size]
        x = torch.from_numpy(images[ids].astype(np.float32)).div_(255).sub_(mean).div_(std)
        yield x.unsqueeze(1), torch.from_numpy(labels[ids].astype(np.int64))


def evaluate(net, images, labels, index, mean, std, classes=10):
    net.eval()
    loss, top1, top5, n = 0.0, 0, 0, 0
    confusion = np.zeros((classes, classes), dtype=np.int64)
    with torch.no_grad():
        for x, y in batches(images, labels, index, 256, mean, std):
            out = net(x)
            loss += F.cross_entropy(out, y, reduction="sum").item()
            rank = (out > out.gather(1, y[:, None])).sum(1)
            top1 += (rank < 1).sum().item()
            top5 += (rank < 5).sum().item()
            np.add.at(confusion, (y.numpy(), out.argmax(1).numpy()), 1)
            n += len(y)
    net.train()
    per_class = [float(confusion[c, c] / confusion[c].sum()) for c in range(classes)]
    return {"loss": loss / n, "top1": top1 / n, "top5": top5 / n, "per_class": per_class,
            "confusion": confusion.tolist(), "count": n}


def main(data_dir, out_dir, threads):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    train_x = read_idx(f"{data_dir}/train-images-idx3-ubyte.gz")
    train_y = read_idx(f"{data_dir}/train-labels-idx1-ubyte.gz")
    test_x = read_idx(f"{data_dir}/t10k-images-idx3-ubyte.gz")
    test_y = read_idx(f"{data_dir}/t10k-labels-idx1-ubyte.gz")
    order = np.random.default_rng(0).permutation(len(train_x))
    val_index, train_index = order[:len(order) // 5], order[len(order) // 5:]
    pixels = train_x[train_index].astype(np.float64) / 255
    mean, std = float(pixels.mean()), float(pixels.std())
    net = TWINS["lenet"](LENET, (1, 28, 28), 10)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    epoch_start = time.perf_counter()
    shuffled = train_index[torch.randperm(len(train_index)).numpy()]
    seen, loss_sum, right = 0, 0.0, 0
    for x, y in batches(train_x, train_y, shuffled, 128, mean, std):
        opt.zero_grad()
        out = net(x)
        loss = F.cross_entropy(out, y)
        loss.backward()
        opt.step()
        seen += len(y)
        loss_sum += loss.item() * len(y)
        right += (out.argmax(1) == y).sum().item()
    val = evaluate(net, train_x, train_y, val_index, mean, std)
    epoch_seconds = time.perf_counter() - epoch_start
    test = evaluate(net, test_x, test_y, np.arange(len(test_x)), mean, std)
    os.makedirs(out_dir, exist_ok=True)
    torch.save(net.state_dict(), f"{out_dir}/weights.pt")
    history = {"epoch": 1, "train_loss": loss_sum / seen, "train_acc": right / seen,
               "val_loss": val["loss"], "val_top1": val["top1"], "val_top5": val["top5"],
               "seconds": epoch_seconds, "images_per_sec": seen / epoch_seconds}
    with open(f"{out_dir}/history.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(history))
        writer.writeheader()
        writer.writerow(history)
    with open(f"{out_dir}/metrics.json", "w") as f:
        json.dump(test, f)
    with open(f"{out_dir}/report.md", "w") as f:
        f.write("# LeNet, one epoch on MNIST (PyTorch peer)\n\n| run | top-1 | top-5 | loss |\n")
        f.write(f"| --- | ---: | ---: | ---: |\n| lenet | {test['top1']:.4f} | {test['top5']:.4f} | "
                f"{test['loss']:.4f} |\n")
    return {"seconds": time.perf_counter() - START, "top1": test["top1"], "valTop1": val["top1"]}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2], int(sys.argv[3]))))
