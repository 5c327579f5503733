import assert from "node:assert/strict";
import {
  createConsoleReporter,
  formatDuration,
  formatProgress,
} from "../../pipelines/cli/progress_reporter.ts";

Deno.test("formatProgress() draws a bar with rate and ETA", () => {
  assert.equal(
    formatProgress("train:a", { done: 5, total: 20, unit: "epochs", note: "loss 0.31" }, 2.5),
    "[train:a] █████░░░░░░░░░░░░░░░ 5/20 epochs 2.50 epochs/s ETA 0:06 loss 0.31",
  );
  assert.equal(
    formatProgress("data:x", { done: 0, total: 3, unit: "files" }, undefined),
    "[data:x] ░░░░░░░░░░░░░░░░░░░░ 0/3 files -- files/s ETA --",
  );
  assert.equal(formatDuration(3725), "1:02:05");
});

Deno.test("without a TTY the reporter prints plain progress lines at most once per interval, and the last step", () => {
  let clock = 0;
  const lines: string[] = [];
  const reporter = createConsoleReporter({
    tty: false,
    intervalMs: 1000,
    now: () => clock,
    write: (t) => lines.push(t),
  });
  for (let done = 0; done <= 10; done++) {
    reporter.progress("train:a", { done, total: 10, unit: "batches" });
    clock += 300;
  }
  reporter.log("train:a", "epoch 1 done");
  assert.deepEqual(lines, [
    "[train:a] ░░░░░░░░░░░░░░░░░░░░ 0/10 batches -- batches/s ETA --\n",
    "[train:a] ████████░░░░░░░░░░░░ 4/10 batches 3.33 batches/s ETA 0:02\n",
    "[train:a] ████████████████░░░░ 8/10 batches 3.33 batches/s ETA 0:01\n",
    "[train:a] ████████████████████ 10/10 batches 3.33 batches/s ETA 0:00\n",
    "[train:a] epoch 1 done\n",
  ]);
});

Deno.test("in a TTY the reporter redraws one status line and prints logs above it", () => {
  let clock = 0;
  const out: string[] = [];
  const reporter = createConsoleReporter({
    tty: true,
    now: () => clock,
    write: (t) => out.push(t),
  });
  reporter.progress("train:a", { done: 1, total: 4, unit: "epochs" });
  clock = 1000;
  reporter.progress("train:a", { done: 2, total: 4, unit: "epochs" });
  reporter.log("train:a", "checkpoint saved");
  reporter.done("train:a");
  assert.deepEqual(out, [
    "[train:a] █████░░░░░░░░░░░░░░░ 1/4 epochs -- epochs/s ETA --",
    "\r\x1b[2K",
    "[train:a] ██████████░░░░░░░░░░ 2/4 epochs 1.00 epochs/s ETA 0:02",
    "\r\x1b[2K",
    "[train:a] checkpoint saved\n",
    "[train:a] ██████████░░░░░░░░░░ 2/4 epochs 1.00 epochs/s ETA 0:02",
    "\r\x1b[2K",
  ]);
});

Deno.test("a stage that switches to a new unit gets a new rate measurement", () => {
  let clock = 0;
  const lines: string[] = [];
  const reporter = createConsoleReporter({
    tty: false,
    intervalMs: 0,
    now: () => clock,
    write: (t) => lines.push(t),
  });
  reporter.progress("report:x", { done: 0, total: 2, unit: "runs" });
  clock = 10_000;
  reporter.progress("report:x", { done: 2, total: 2, unit: "runs" });
  reporter.progress("report:x", { done: 0, total: 4, unit: "charts" });
  clock = 12_000;
  reporter.progress("report:x", { done: 4, total: 4, unit: "charts" });
  assert.deepEqual(lines.map((l) => l.split("] ")[1].split(" ").slice(1, 5).join(" ")), [
    "0/2 runs -- runs/s",
    "2/2 runs 0.20 runs/s",
    "0/4 charts -- charts/s",
    "4/4 charts 2.00 charts/s",
  ]);
});

Deno.test("in a TTY the redrawn line is cut to the terminal width so it never wraps", () => {
  const out: string[] = [];
  const reporter = createConsoleReporter({
    tty: true,
    columns: () => 31,
    now: () => 0,
    write: (t) => out.push(t),
  });
  reporter.progress("train:a-very-long-run-name", { done: 1, total: 4, unit: "epochs" });
  assert.deepEqual(out, ["[train:a-very-long-run-name] █"]);
});

Deno.test("in a TTY redraws are limited to ten a second, except the last step", () => {
  let clock = 0;
  const out: string[] = [];
  const reporter = createConsoleReporter({
    tty: true,
    now: () => clock,
    write: (t) => out.push(t),
  });
  for (let done = 1; done <= 10; done++) {
    reporter.progress("t", { done, total: 10, unit: "b" });
    clock += 30;
  }
  const drawn = out.filter((t) => t.startsWith("[t]")).map((t) => t.split(" ")[2]);
  assert.deepEqual(drawn, ["1/10", "5/10", "9/10", "10/10"]);
});
