"""The PyTorch side of `deno task bench`: times one workload's training step and inference on a
twin of the zoo model (tests/models/torch_parity/zoo_models.py TWINS) and prints one JSON line.

Usage: /usr/bin/python3 torch_bench.py '<workload JSON>'
The JSON: {"model": {resolved options}, "inputShape": [h, w, c], "classes", "batchSize",
"evalBatchSize", "train": {"optimizer", "momentum", "nesterov", "weight_decay"}, "threads",
"warmup", "steps", "maxSeconds", "evalBatches"}. Prints {"imagesPerSec", "evalImagesPerSec",
"params", "steps", "loss", "trainPeakRssBytes", "evalPeakRssBytes", "peakRssBytes"} or
{"error"}: the peak resident bytes of the training steps, of the inference batches after them
(VmHWM reset in between) and of the whole process."""
import json
import os
import resource
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../tests/models/torch_parity"))


def peak_rss_bytes():
    """The process's peak resident bytes (VmHWM; ru_maxrss where /proc is not there)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def reset_peak_rss():
    """Resets VmHWM to the current RSS (as tasks/bench/peak_rss.ts does); False where impossible."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def main(w):
    import torch
    import torch.nn.functional as F
    from zoo_models import TWINS

    torch.set_num_threads(w["threads"])
    torch.manual_seed(0)
    o = w["model"]
    h, wd, c = w["inputShape"]
    net = TWINS[o["name"]](o, (c, h, wd), w["classes"])
    params = sum(p.numel() for p in net.parameters())
    if w.get("paramsOnly"):
        return {"params": params}
    t = w["train"]
    if t["optimizer"] == "sgd":
        opt = torch.optim.SGD(net.parameters(), lr=1e-3, momentum=t["momentum"],
                              nesterov=t["nesterov"], weight_decay=t["weight_decay"])
    elif t["optimizer"] == "adamw":
        opt = torch.optim.AdamW(net.parameters(), lr=1e-3, weight_decay=t["weight_decay"])
    else:
        opt = torch.optim.Adam(net.parameters(), lr=1e-3, weight_decay=t["weight_decay"])
    b = w["batchSize"]
    x = torch.randn(b, c, h, wd)
    y = torch.tensor([(i * 7) % w["classes"] for i in range(b)])

    def step():
        opt.zero_grad()
        out = net(x)
        loss = F.cross_entropy(out, y)
        loss.backward()
        opt.step()
        # The project's step reads the loss and hit count back; so does a training loop's log.
        return loss.item(), (out.argmax(1) == y).sum().item()

    net.train()
    for _ in range(w["warmup"]):
        step()
    start, steps, loss = time.perf_counter(), 0, float("nan")
    while steps < w["steps"]:
        loss = step()[0]
        steps += 1
        if time.perf_counter() - start > w["maxSeconds"]:
            break
    seconds = time.perf_counter() - start
    result = {"imagesPerSec": steps * b / seconds, "params": params, "steps": steps, "loss": loss,
              "trainPeakRssBytes": peak_rss_bytes()}
    if w.get("evalBatchSize"):
        phased = reset_peak_rss()
        eb = w["evalBatchSize"]
        ex = torch.randn(eb, c, h, wd)
        ey = torch.tensor([i % w["classes"] for i in range(eb)])
        net.eval()

        def infer():
            with torch.no_grad():
                out = net(ex)
                return F.cross_entropy(out, ey).item(), (out.argmax(1) == ey).sum().item()

        infer()
        start, n = time.perf_counter(), 0
        while n < w["evalBatches"]:
            infer()
            n += 1
            if time.perf_counter() - start > w["maxSeconds"]:
                break
        result["evalImagesPerSec"] = n * eb / (time.perf_counter() - start)
        if phased:
            result["evalPeakRssBytes"] = peak_rss_bytes()
    result["peakRssBytes"] = max(peak_rss_bytes(), result["trainPeakRssBytes"])
    return result


if __name__ == "__main__":
    try:
        print(json.dumps(main(json.loads(sys.argv[1]))))
    except Exception as e:  # one JSON line whatever happens, for the bench to print
        print(json.dumps({"error": f"{type(e).__name__}: {e}"}))
