import assert from "node:assert/strict";
import { join } from "node:path";
import { runCompareCli } from "../../tasks/experiments/compare_cli.ts";
import { loadInChromium } from "../report/_load_in_chromium.ts";
import {
  FIXTURE_INVOCATIONS,
  type FixtureHistoryRun,
  writeHistoryFixture,
} from "./_history_fixture.ts";

async function compare(cache: string, args: string[]) {
  const lines: string[] = [];
  const code = await runCompareCli([...args, "--cache-dir", cache, "--out", join(cache, "out")], {
    out: (t) => lines.push(t),
    err: (t) => lines.push(t),
    timeZone: "UTC",
  });
  return { code, text: lines.join("\n").replaceAll(cache, "<cache>") };
}

/** Every file under the cache's entries/, with its modification time. */
function entryFiles(cache: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of Deno.readDirSync(dir)) {
      const path = join(dir, e.name);
      if (e.isDirectory) walk(path);
      else files.push(`${path} ${Deno.statSync(path).mtime?.getTime()}`);
    }
  };
  walk(join(cache, "entries"));
  return files.sort();
}

Deno.test("`compare` of two runs differing in lr shows the lr diff and metric deltas, from the cache alone", async () => {
  const cache = await Deno.makeTempDir({ prefix: "cnnlab-compare-" });
  try {
    await writeHistoryFixture(cache, FIXTURE_INVOCATIONS);
    const before = entryFiles(cache);
    const result = await compare(cache, ["lenet", "lenet-lr=0.01"]);
    assert.equal(result.code, 0, result.text);
    assert.equal(
      result.text,
      `A = lenet #3   B = lenet-lr=0.01 #2

lenet vs lenet-lr=0.01
param     A      B
--------  -----  ----
train.lr  0.003  0.01
metric      A        B        B − A
----------  -------  -------  --------
test top-1  81.20 %  84.50 %  +3.30 pp
test top-5  88.22 %  92.42 %  +4.20 pp
test loss   0.5715   0.5143   −0.0572
train time  43.3 s   43.3 s   ±0.0 s
epochs      2        2        ±0
test top-1: no test: 1 vs 1 run(s) — give the config \`seeds: 3\` or more

wrote <cache>/out/compare.md, <cache>/out/compare.html and 2 charts`,
    );
    assert.deepEqual(entryFiles(cache), before, "nothing in the cache was written or touched");
    const markdown = await Deno.readTextFile(join(cache, "out", "compare.md"));
    assert.match(markdown, /^# Compare lenet #3 with lenet-lr=0\.01 #2\n/);
    assert.match(markdown, /\| `train\.lr` \| 0\.003 \| 0\.01 \|/);
    assert.match(markdown, /\| test top-1 \| 81\.20 % \| 84\.50 % \| \+3\.30 pp \|/);
    assert.match(
      markdown,
      /invocation #2 of configs\/smoke\.yaml \(2026-11-21 10:30, git 2222222, overrides `train\.lr=0\.01`\)/,
    );
    for (const chart of ["compare-val-accuracy", "compare-loss"]) {
      const svg = await Deno.readTextFile(join(cache, "out", "charts", `${chart}.svg`));
      // Two overlaid runs: one line path per run (plus the legend's symbols).
      assert.ok((svg.match(/class="mark-line/g) ?? []).length >= 1, chart);
      assert.match(svg, /A: lenet #3/);
      assert.match(svg, /B: lenet-lr=0\.01 #2/);
    }
    const spec = JSON.parse(
      await Deno.readTextFile(join(cache, "out", "charts", "compare-val-accuracy.vl.json")),
    );
    assert.deepEqual(
      [...new Set(spec.data.values.map((v: { run: string }) => v.run))],
      ["A: lenet", "B: lenet-lr=0.01"],
    );
    const html = await Deno.readTextFile(join(cache, "out", "compare.html"));
    assert.match(html, /<title>Compare lenet #3 with lenet-lr=0\.01 #2<\/title>/);
    const page = await loadInChromium(join(cache, "out", "compare.html"));
    assert.equal(page.state, "ok", page.text);
    assert.equal(page.total, 2);
    assert.equal(page.chartsWithSvg, 2);
    assert.deepEqual(page.console, []);

    // Whole invocations pair their runs by experiment.
    const invocations = await compare(cache, ["1", "2"]);
    assert.equal(invocations.code, 0);
    assert.match(invocations.text, /^A = smoke #1 {3}B = smoke #2\n\nlenet vs lenet-lr=0\.01\n/);
    assert.match(
      invocations.text,
      /\nnet vs net-lr=0\.01\n[^]*test top-1 {2}77\.40 % {2}73\.10 % {2}−4\.30 pp\n/,
    );
  } finally {
    await Deno.remove(cache, { recursive: true });
  }
});

Deno.test("`compare` with seeds on both sides tests top-1 with Welch's t-test and bolds only a significant winner", async () => {
  const cache = await Deno.makeTempDir({ prefix: "cnnlab-compare-" });
  const seeds = (lr: number, top1s: number[]): FixtureHistoryRun[] =>
    top1s.map((top1, seed) => ({
      name: `lenet-seed=${seed}`,
      experiment: "lenet",
      seed,
      model: "lenet",
      trainLr: lr,
      top1,
      epochs: 2,
    }));
  try {
    await writeHistoryFixture(cache, [
      {
        started: "2026-11-25T09:00:00.000Z",
        config: "seeds",
        runs: seeds(0.003, [0.812, 0.815, 0.809]),
      },
      {
        started: "2026-11-25T10:00:00.000Z",
        config: "seeds",
        runs: seeds(0.01, [0.845, 0.851, 0.839]),
      },
      {
        started: "2026-11-25T11:00:00.000Z",
        config: "seeds",
        runs: seeds(0.02, [0.81, 0.79, 0.84]),
      },
    ]);
    const significant = await compare(cache, ["1", "2"]);
    assert.equal(significant.code, 0, significant.text);
    assert.match(significant.text, /\nlenet \(3 seeds\)\n/);
    assert.match(significant.text, /test top-1 +81\.20 ± 0\.30 % +84\.50 ± 0\.60 % +\+3\.30 pp/);
    assert.match(
      significant.text,
      /test top-1: significant \(p = 0\.004, Welch's t-test, α = 0\.05\)/,
    );
    const markdown = await Deno.readTextFile(join(cache, "out", "compare.md"));
    assert.match(
      markdown,
      /\| test top-1 \| 81\.20 ± 0\.30 % \| \*\*84\.50 ± 0\.60 %\*\* \| \+3\.30 pp \|/,
    );

    const same = await compare(cache, ["1", "3"]);
    assert.match(same.text, /test top-1: no significant difference \(p = 0\.\d{3}, Welch's t-test/);
    const sameMarkdown = await Deno.readTextFile(join(cache, "out", "compare.md"));
    assert.ok(!/\| \*\*/.test(sameMarkdown), "no winner is bolded");
  } finally {
    await Deno.remove(cache, { recursive: true });
  }
});

Deno.test("`compare` names what it cannot find or read, and exits 2 for bad selectors", async () => {
  const cache = await Deno.makeTempDir({ prefix: "cnnlab-compare-" });
  try {
    const empty = await compare(cache, ["1", "2"]);
    assert.equal(empty.code, 2);
    assert.equal(
      empty.text.split("\n")[0],
      "Cannot compare as no runs are recorded in <cache> yet",
    );
    await writeHistoryFixture(cache, FIXTURE_INVOCATIONS);
    const cases: [string[], number, string][] = [
      [
        ["lenett", "2"],
        2,
        "Cannot compare as 'lenett' is not a past invocation, config, run or git commit: did you mean 'lenet'?",
      ],
      [
        ["9", "2"],
        2,
        "Cannot compare as there is no invocation 9 in the history: `deno task runs` lists them (the # column)",
      ],
      [["1"], 2, "Cannot compare as it takes two things to compare, A and B: 1 given"],
      [
        ["smoke", "4"],
        1,
        "Cannot compare 4 as run 'alexnet' of invocation 4 did not complete (evaluate:alexnet: failed): rerun it with `deno task pipeline`",
      ],
    ];
    for (const [args, code, message] of cases) {
      const result = await compare(cache, args);
      assert.equal(result.code, code, args.join(" "));
      assert.equal(result.text.split("\n")[0], message);
    }
    // A selector by git commit (the fixture's invocation 2 ran at 2222222…).
    const byCommit = await compare(cache, ["1111111", "2222222"]);
    assert.equal(byCommit.code, 0, byCommit.text);
    assert.match(byCommit.text, /^A = 1111111 #1 {3}B = 2222222 #2/);
    // Entries removed from the cache: the message says so and how to get them back.
    for (const e of Deno.readDirSync(join(cache, "entries"))) {
      await Deno.remove(join(cache, "entries", e.name), { recursive: true });
    }
    const gone = await compare(cache, ["1", "2"]);
    assert.equal(gone.code, 1);
    assert.match(
      gone.text,
      /^Cannot compare 1 as run 'lenet' of invocation 1: train:lenet is no longer usable in <cache> \(no cache entry\): rerun it with `deno task pipeline` \(gc may have removed it\)$/,
    );
  } finally {
    await Deno.remove(cache, { recursive: true });
  }
});

Deno.test("`compare` pairs a plain run with each point of a command-line sweep of it", async () => {
  const cache = await Deno.makeTempDir({ prefix: "cnnlab-compare-" });
  const run = (lr: number, top1: number, swept: boolean): FixtureHistoryRun => ({
    name: swept ? `lenet-lr=${lr}` : "lenet",
    experiment: "lenet",
    seed: 0,
    model: "lenet",
    trainLr: lr,
    top1,
    epochs: 2,
    ...(swept ? { sweep: { name: "command-line", values: { "train.lr": lr } } } : {}),
  });
  try {
    await writeHistoryFixture(cache, [
      { started: "2026-11-26T09:00:00.000Z", config: "one", runs: [run(0.003, 0.81, false)] },
      {
        started: "2026-11-26T10:00:00.000Z",
        config: "one",
        overrides: ["train.lr=0.1,0.01"],
        runs: [run(0.1, 0.35, true), run(0.01, 0.84, true)],
      },
    ]);
    const result = await compare(cache, ["1", "2"]);
    assert.equal(result.code, 0, result.text);
    const pairs = result.text.split("\n").filter((l) => /^lenet vs /.test(l));
    assert.deepEqual(pairs, ["lenet vs lenet-lr=0.1", "lenet vs lenet-lr=0.01"]);
    assert.match(result.text, /test top-1 +81\.00 % +35\.00 % +−46\.00 pp/);
    assert.match(result.text, /test top-1 +81\.00 % +84\.00 % +\+3\.00 pp/);
    assert.ok(!result.text.includes("only in"));
  } finally {
    await Deno.remove(cache, { recursive: true });
  }
});
