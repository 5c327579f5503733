import assert from "node:assert/strict";
import { join } from "node:path";
import { formatMetric } from "../../tasks/report/format_metric.ts";
import { reportSummaryText } from "../../tasks/report/report_summary_text.ts";
import { gitState, writeRunInfo } from "../../tasks/report/run_info.ts";
import { writeReport } from "../../tasks/report/write_report.ts";
import { SEEDS_APART } from "./_chart_cases.ts";
import { fixtureParams, STANDARD_RUNS, writeFixtureRuns } from "./_fixture_runs.ts";

async function published(runs = STANDARD_RUNS): Promise<{ root: string; out: string }> {
  const root = await Deno.makeTempDir({ prefix: "report-run-info-" });
  const inputs = await writeFixtureRuns(join(root, "in"), runs);
  const out = join(root, "reports/fixture");
  await Deno.mkdir(out, { recursive: true });
  const options = { formats: { png: false, svg: false, html: false } };
  await writeReport(fixtureParams(runs, options), inputs, out);
  return { root, out };
}

Deno.test("reportSummaryText() gives the report path and run, test top-1, top-5 and flags", async () => {
  const { root, out } = await published();
  try {
    const text = await reportSummaryText(out);
    const lines = text.split("\n");
    assert.match(lines[0], /^Report: .*reports\/fixture\/report\.md$/);
    assert.match(lines[1], /^run\s+test top-1\s+top-5\s+flags$/);
    assert.equal(lines.length, 2 + STANDARD_RUNS.length + 1);
    const metrics = JSON.parse(
      await Deno.readTextFile(
        join(
          root,
          "in/entries",
          "e400" + "0123456789abcdef".repeat(4).slice(4),
          "out/metrics.json",
        ),
      ),
    );
    assert.match(
      lines[2],
      new RegExp(`^lenet-seed=1\\s+89\\.40 %\\s+${(metrics.top5 * 100).toFixed(2)} %$`),
    );
    assert.match(
      lines.find((l) => l.startsWith("vgg-lr=0.5-seed=1"))!,
      /^vgg-lr=0\.5-seed=1\s+10\.00 %\s+\d+\.\d\d %\s+diverged in epoch 3, loss NaN at lr 0\.5$/,
    );
    assert.equal(
      lines.at(-1),
      "Selected: cnn-conv_dropout=0.2-fc_dropout=0.2 (single seed: no significance test)",
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
  const apart = await published(SEEDS_APART);
  try {
    assert.match(
      await reportSummaryText(apart.out),
      /\nSelected: resnet, significantly better than lenet \(p = [\d.e-]+\)$/,
    );
  } finally {
    await Deno.remove(apart.root, { recursive: true });
  }
  await assert.rejects(() => reportSummaryText("/nonexistent/report"), {
    message:
      /^Cannot summarize the report as \/nonexistent\/report\/metrics\/runs\.json cannot be read: /,
  });
});

Deno.test("writeRunInfo() writes the run facts beside the report, and report.md holds none of them", async () => {
  const { root, out } = await published();
  try {
    const path = await writeRunInfo(out, {
      date: "2026-12-01T10:00:00.000Z",
      machine: "Test CPU × 2 (linux-x86_64)",
      git: { commit: "a".repeat(40), dirty: true },
      stages: [{ id: "train:lenet-seed=1", outcome: "run", seconds: 83.2 }],
    });
    assert.equal(path, join(out, "run-info.md"));
    const text = await Deno.readTextFile(path);
    assert.ok(text.includes("| Date | 2026-12-01T10:00:00.000Z |"));
    assert.ok(text.includes("| Machine | Test CPU × 2 (linux-x86_64) |"));
    assert.ok(text.includes(`| Git commit | \`${"a".repeat(40)}\` (uncommitted changes) |`));
    assert.ok(text.includes("| train:lenet-seed=1 | run | 1 min 23 s |"));
    const train = JSON.parse(
      await Deno.readTextFile(join(root, "in/entries", await firstTrain(root), "out/train.json")),
    );
    assert.ok(
      text.includes(
        `| lenet-seed=1 | wasm | ${formatMetric("seconds", train.seconds)} | 2,451 | 9,000 |`,
      ),
      `${train.seconds} s`,
    );
    const markdown = await Deno.readTextFile(join(out, "report.md"));
    for (const fact of ["2026-12-01", "Test CPU", "a".repeat(40), " s |", "img/s"]) {
      assert.ok(!markdown.includes(fact), fact);
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
  await assert.rejects(() => writeRunInfo("/nonexistent/report", { git: null }), {
    message: /^Cannot write run-info\.md as \/nonexistent\/report\/run-info\.json cannot be read: /,
  });
});

async function firstTrain(root: string): Promise<string> {
  const names = [];
  for await (const e of Deno.readDir(join(root, "in/entries"))) names.push(e.name);
  return names.filter((n) => n.startsWith("7a00"))[0];
}

Deno.test("gitState() reads this checkout's commit and dirty flag", async () => {
  const state = await gitState();
  assert.ok(state, "the tests run in a git work tree");
  assert.match(state.commit, /^[0-9a-f]{40}$/);
  const { stdout } = await new Deno.Command("git", {
    args: ["status", "--porcelain", "--untracked-files=no"],
    stdout: "piped",
  }).output();
  assert.equal(state.dirty, new TextDecoder().decode(stdout).trim() !== "");
  assert.equal(await gitState(await Deno.makeTempDir()), null, "outside a work tree");
});
