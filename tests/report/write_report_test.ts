import assert from "node:assert/strict";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { decode } from "fast-png";
import { writeReport } from "../../tasks/report/write_report.ts";
import { checkPublishedReport } from "./_check_published_report.ts";
import {
  fixtureFingerprint,
  fixtureParams,
  STANDARD_RUNS,
  writeFixtureRuns,
} from "./_fixture_runs.ts";
import { parseAccuracy, parseNumber, tableStartingWith } from "./_markdown_tables.ts";

async function readJson(path: string) {
  return JSON.parse(await Deno.readTextFile(path));
}

async function readCsv(path: string): Promise<Record<string, string>[]> {
  return parse(await Deno.readTextFile(path), { columns: true }) as Record<string, string>[];
}

Deno.test("writeReport() on fixture runs", async (t) => {
  const root = await Deno.makeTempDir({ prefix: "report-test-" });
  const inputs = await writeFixtureRuns(join(root, "in"), STANDARD_RUNS);
  const out = join(root, "out");
  await Deno.mkdir(out);
  const progress: string[] = [];
  const written = await writeReport(fixtureParams(STANDARD_RUNS), inputs, out, {
    progress: (p) => progress.push(`${p.done}/${p.total} ${p.unit}`),
  });
  const markdown = await Deno.readTextFile(join(out, "report.md"));

  await t.step(
    "writes report.md, report.html, seven charts in three formats, two figures, metrics and run-info.json",
    () => {
      const charts = [
        "ablation-cnn-dropout",
        "confusion",
        "curves",
        "loss",
        "lr-schedule",
        "mistakes",
        "samples",
        "test-accuracy",
        "val-accuracy",
      ];
      const figures = ["mistakes", "samples"];
      assert.deepEqual(written.files, [
        ...charts.flatMap((c) =>
          figures.includes(c)
            ? [`charts/${c}.png`, `charts/${c}.svg`]
            : [`charts/${c}.png`, `charts/${c}.svg`, `charts/${c}.vl.json`]
        ),
        "metrics/epochs.csv",
        "metrics/final.csv",
        "metrics/per_class.csv",
        "metrics/runs.json",
        "report.html",
        "report.md",
        "run-info.json",
      ]);
      assert.ok(progress.includes("9/9 runs"));
      assert.ok(progress.includes("9/9 charts"));
    },
  );

  await t.step(
    "every number in the results table matches the run's metrics and train files",
    async () => {
      const table = tableStartingWith(markdown, "Run", "Model", "Params", "Epochs", "Val top-1");
      assert.deepEqual(table.headers, [
        "Run",
        "Model",
        "Params",
        "Epochs",
        "Val top-1",
        "Test top-1",
        "Top-5",
        "Loss",
        "Backend",
        "Notes",
      ]);
      assert.equal(table.rows.length, STANDARD_RUNS.length);
      for (const row of table.rows) {
        const name = row[0].replaceAll("**", "");
        const metrics = await readJson(join(inputs[`evaluate:${name}`], "metrics.json"));
        const train = await readJson(join(inputs[`train:${name}`], "train.json"));
        const history = await readJson(join(inputs[`train:${name}`], "history.json"));
        const fixture = STANDARD_RUNS.find((r) => r.name === name)!;
        assert.equal(row[1], fixture.model, name);
        assert.equal(parseNumber(row[2]), train.params, name);
        assert.equal(Number(row[3].split(" of ")[0]), train.epochs, name);
        // Two decimals of a percentage: within half a unit of the last shown digit.
        const lastVal = history.epochs.at(-1).val_top1;
        assert.ok(Math.abs(parseAccuracy(row[4])! - lastVal) <= 0.00005, `${name} val ${row[4]}`);
        assert.ok(
          Math.abs(parseAccuracy(row[5])! - metrics.top1) <= 0.00005,
          `${name} top-1 ${row[5]}`,
        );
        assert.ok(
          Math.abs(parseAccuracy(row[6])! - metrics.top5) <= 0.00005,
          `${name} top-5 ${row[6]}`,
        );
        if (metrics.loss === null) assert.equal(row[7], "—", name);
        else {assert.ok(
            Math.abs(parseNumber(row[7])! - metrics.loss) <= 0.00005,
            `${name} loss ${row[7]}`,
          );}
        assert.equal(row[8], train.backend);
      }
    },
  );

  await t.step(
    "the written report agrees with its own final.csv and links only existing charts",
    async () => {
      assert.deepEqual(await checkPublishedReport(out), []);
      const tampered = join(root, "tampered");
      await Deno.mkdir(join(tampered, "metrics"), { recursive: true });
      await Deno.copyFile(join(out, "metrics/final.csv"), join(tampered, "metrics/final.csv"));
      await Deno.writeTextFile(
        join(tampered, "report.md"),
        markdown.replace("| 89.40 % |", "| 89.41 % |"),
      );
      assert.deepEqual(await checkPublishedReport(tampered), [
        "lenet-seed=1: Test top-1 shows 89.41 % but final.csv has 0.894",
        ...[...markdown.matchAll(/\]\((charts\/[^)]+)\)/g)].map((m) =>
          `report.md links to ${m[1]}, which does not exist`
        ),
      ]);
    },
  );

  await t.step(
    "the run is selected on validation, not bold without a test, and flagged runs say why in Notes",
    () => {
      const rows = tableStartingWith(markdown, "Run", "Model").rows;
      const note = (name: string) => rows.find((r) => r[0].replaceAll("**", "") === name)![9];
      assert.deepEqual(rows.filter((r) => r[0].startsWith("**")), [], "single seeds: no winner");
      assert.equal(rows.find((r) => r[0] === "alexnet-seed=1")![3], "2 of 10");
      assert.equal(note("alexnet-seed=1"), "reduced: 2 of 10 epochs, 10 % of training data");
      assert.equal(
        note("vgg-lr=0.5-seed=1"),
        "⚠ diverged in epoch 3, loss NaN at lr 0.5",
      );
      assert.equal(note("nin-seed=1"), "⚠ stuck at chance: test top-1 10.40 % (chance 10.00 %)");
      assert.equal(note("lenet-seed=1"), "");
      // alexnet has the best test top-1 (91.20 %) but the selection looks at validation only.
      assert.match(
        markdown,
        /\n9 runs of `fixture`\. Selected by validation top-1 \(last epoch\): cnn-conv_dropout=0\.2-fc_dropout=0\.2 \(test top-1 90\.50 %, top-5 \d+\.\d\d %, loss \d\.\d{4}\)\. Not marked as the winner: cnn-conv_dropout=0\.2-fc_dropout=0\.2 or the runner-up alexnet has a single seed, so the difference cannot be tested \(`seeds: 3` in the config gives each configuration a spread\)\. ⚠ 2 diverged or stuck \(see Notes\)\. 1 reduced \(see Notes\)\.\n/,
      );
    },
  );

  await t.step("runs that differ only by seed show mean ± sample std", async () => {
    const table = tableStartingWith(markdown, "Config", "Seeds");
    assert.equal(table.rows.length, 1);
    const [label, seeds, , top1] = table.rows[0];
    assert.equal(label, "lenet");
    assert.equal(seeds, "1, 2, 3");
    const values = await Promise.all(
      [1, 2, 3].map(async (s) =>
        (await readJson(join(inputs[`evaluate:lenet-seed=${s}`], "metrics.json"))).top1 as number
      ),
    );
    const mean = values.reduce((a, b) => a + b) / 3;
    const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / 2);
    assert.equal(top1, `${(mean * 100).toFixed(2)} ± ${(std * 100).toFixed(2)} %`);
    assert.equal(top1, "89.40 ± 0.70 %");
  });

  await t.step(
    "the dropout ablation lists each pair with loss, top-1 and top-5, none bold with single seeds",
    () => {
      const table = tableStartingWith(markdown, "`model.conv_dropout`", "`model.fc_dropout`");
      assert.deepEqual(table.headers.slice(2), ["Loss", "Top-1", "Top-5"]);
      assert.deepEqual(table.rows.map((r) => [r[0], r[1], r[3]]), [
        ["0", "0", "86.10 %"],
        ["0.2", "0.2", "90.50 %"],
        ["0.3", "0.7", "41.20 %"],
      ]);
      assert.ok(
        markdown.includes(
          "No value is marked best: with a single seed per value no difference can be tested.",
        ),
      );
      assert.match(markdown, /### dropout — cnn/);
      assert.match(markdown, /!\[Ablation: dropout\]\(charts\/ablation-cnn-dropout\.svg\)/);
    },
  );

  await t.step(
    "the setup lists shared settings once and per configuration only what differs",
    () => {
      const shared = tableStartingWith(markdown, "Section", "Settings");
      assert.deepEqual(shared.rows, [
        ["`backend`", "wasm"],
        ["`data`", "dataset=fashion-mnist"],
        ["`train`", "batch_size=128, lr=0.001, optimizer=adam"],
      ]);
      const varying = tableStartingWith(markdown, "Run", "Seeds", "`model`");
      assert.deepEqual(varying.headers, ["Run", "Seeds", "`model`", "`train`"]);
      assert.deepEqual(varying.rows.map((r) => r.join(" | ")), [
        "lenet | 1, 2, 3 | name=lenet | epochs=4",
        "cnn-conv_dropout=0-fc_dropout=0 | 1 | conv_dropout=0, fc_dropout=0, name=cnn | epochs=4",
        "cnn-conv_dropout=0.2-fc_dropout=0.2 | 1 | conv_dropout=0.2, fc_dropout=0.2, name=cnn | epochs=4",
        "cnn-conv_dropout=0.3-fc_dropout=0.7 | 1 | conv_dropout=0.3, fc_dropout=0.7, name=cnn | epochs=4",
        "alexnet | 1 | name=alexnet | epochs=10",
        "vgg-lr=0.5 | 1 | name=vgg | epochs=3",
        "nin | 1 | name=nin | epochs=4",
      ]);
    },
  );

  await t.step("the per-epoch table has one column per run and a final test row", async () => {
    const table = tableStartingWith(markdown, "Epoch", "lenet-seed=1");
    assert.equal(table.headers.length, 1 + 8, "8 runs per table by default");
    assert.deepEqual(table.rows.map((r) => r[0]), ["1", "2", "3", "4", "test"]);
    const history = await readJson(join(inputs["train:lenet-seed=2"], "history.json"));
    const column = table.headers.indexOf("lenet-seed=2");
    for (const [i, e] of history.epochs.entries()) {
      assert.ok(Math.abs(parseAccuracy(table.rows[i][column])! - e.val_top1) <= 0.00005);
    }
    assert.ok(markdown.includes("| Epoch | nin-seed=1 |"), "the ninth run starts a second table");
  });

  await t.step("the appendices hold model summaries and provenance", () => {
    assert.match(
      markdown,
      /### cnn \(cnn-conv_dropout=0-fc_dropout=0-seed=1, .*0\.3-fc_dropout=0\.7-seed=1\)/,
    );
    assert.ok(markdown.includes("| **total** |  |  | **61,706** | **179,150** |"));
    const provenance = tableStartingWith(markdown, "", "Value");
    assert.deepEqual(provenance.rows, [
      ["Config", "`fixture` (`configs/fixture.yaml`)"],
      ["Config hash", `\`${"c0ffee00".repeat(8)}\``],
      ["Deno", "2.9.6"],
      ["TensorFlow.js", "4.22.0"],
      ["Backend", "wasm"],
    ]);
    // Run facts stay out of the report (they would churn committed reports): run-info.md.
    assert.ok(!markdown.includes("test machine") && !markdown.includes("2026-11-24"));
    assert.ok(markdown.includes("[run-info.md](run-info.md)"));
    const stages = tableStartingWith(markdown, "Run", "Experiment", "Seed");
    assert.deepEqual(stages.rows[0], [
      "lenet-seed=1",
      "lenet",
      "1",
      `\`${fixtureFingerprint("train", 0).slice(0, 16)}\``,
      `\`${fixtureFingerprint("evaluate", 0).slice(0, 16)}\``,
      "wasm",
    ]);
  });

  await t.step("PNG charts decode to the SVG size × 2 and are not blank", async () => {
    for (const name of ["val-accuracy", "confusion", "test-accuracy"]) {
      const svg = await Deno.readTextFile(join(out, `charts/${name}.svg`));
      const width = Number(svg.match(/<svg[^>]* width="(\d+(?:\.\d+)?)"/)![1]);
      const height = Number(svg.match(/<svg[^>]* height="(\d+(?:\.\d+)?)"/)![1]);
      const png = decode(await Deno.readFile(join(out, `charts/${name}.png`)));
      assert.equal(png.width, Math.round(width * 2), name);
      assert.equal(png.height, Math.round(height * 2), name);
      const channels = png.channels;
      let inked = 0;
      const colours = new Set<number>();
      for (let i = 0; i < png.data.length; i += channels) {
        const [r, g, b] = [png.data[i], png.data[i + 1], png.data[i + 2]];
        if (r < 200 || g < 200 || b < 200) inked++;
        colours.add((r << 16) | (g << 8) | b);
      }
      const share = inked / (png.width * png.height);
      assert.ok(
        share > 0.01,
        `${name}: only ${(share * 100).toFixed(2)} % of pixels are not white`,
      );
      assert.ok(colours.size > 20, `${name}: only ${colours.size} colours`);
    }
  });

  await t.step("the vega-lite specs are saved as JSON with the data inlined", async () => {
    const spec = await readJson(join(out, "charts/val-accuracy.vl.json"));
    assert.equal(spec.$schema, "https://vega.github.io/schema/vega-lite/v6.json");
    // One curve per seed group (lenet's three seeds are one mean line): 4 + 3 × 4 + 2 + 2 + 4.
    assert.equal(spec.data.values.length, 4 + 3 * 4 + 2 + 2 + 4);
    const confusion = await readJson(join(out, "charts/confusion.vl.json"));
    assert.equal(confusion.title, "Confusion matrix: cnn-conv_dropout=0.2-fc_dropout=0.2-seed=1");
    assert.equal(confusion.data.values.length, 100);
  });

  await t.step("the CSV exports hold every epoch and every run at full precision", async () => {
    const epochs = await readCsv(join(out, "metrics/epochs.csv"));
    assert.equal(epochs.length, STANDARD_RUNS.reduce((a, r) => a + r.epochs, 0) - 1);
    const history = await readJson(join(inputs["train:lenet-seed=3"], "history.json"));
    const rows = epochs.filter((r) => r.run === "lenet-seed=3");
    assert.deepEqual(
      rows.map((r) => Number(r.val_top1)),
      history.epochs.map((e: { val_top1: number }) => e.val_top1),
    );
    assert.deepEqual(
      epochs.filter((r) => r.run === "vgg-lr=0.5-seed=1").map((r) => r.epoch),
      ["1", "2"],
      "the diverging epoch has no row",
    );
    const final = await readCsv(join(out, "metrics/final.csv"));
    assert.equal(final.length, STANDARD_RUNS.length);
    for (const row of final) {
      const metrics = await readJson(join(inputs[`evaluate:${row.run}`], "metrics.json"));
      assert.equal(row.test_top1, String(metrics.top1));
      assert.equal(row.test_top5, String(metrics.top5));
      assert.equal(row.test_loss, metrics.loss === null ? "" : String(metrics.loss));
    }
    assert.equal(final[3].sweep, "model.conv_dropout=0 model.fc_dropout=0");
    const perClass = await readCsv(join(out, "metrics/per_class.csv"));
    assert.equal(perClass.length, STANDARD_RUNS.length * 10);
    assert.deepEqual(perClass[0], {
      run: "lenet-seed=1",
      class: "T-shirt/top",
      images: "100",
      correct: "90",
      accuracy: "0.9",
    });
  });

  await t.step("runs.json nests each run's params, history and final metrics", async () => {
    const json = await readJson(join(out, "metrics/runs.json"));
    assert.equal(json.config.name, "fixture");
    assert.equal(json.runs.length, STANDARD_RUNS.length);
    const vgg = json.runs.find((r: { run: string }) => r.run === "vgg-lr=0.5-seed=1");
    assert.equal(vgg.test_loss, null);
    assert.deepEqual(vgg.flags, ["diverged in epoch 3, loss NaN at lr 0.5"]);
    assert.equal(vgg.history.length, 2);
    assert.equal(vgg.epochs, 2);
    assert.equal(vgg.planned_epochs, 3);
    assert.ok(!("seconds" in vgg.history[0]), "timings are in run-info.json");
    assert.deepEqual(json.selection, {
      metric: "val_top1",
      group: "cnn-conv_dropout=0.2-fc_dropout=0.2",
      run: "cnn-conv_dropout=0.2-fc_dropout=0.2-seed=1",
      verdict: "untestable",
      runner_up: "alexnet",
      p: null,
    });
  });

  await t.step("run-info.json keeps each run's timings as train.json recorded them", async () => {
    const info = await readJson(join(out, "run-info.json"));
    assert.equal(info.runs.length, STANDARD_RUNS.length);
    for (const r of info.runs) {
      const train = await readJson(join(inputs[`train:${r.run}`], "train.json"));
      assert.equal(r.train_seconds, train.seconds);
      assert.equal(r.train_images_per_sec, train.images_per_sec);
    }
  });

  await Deno.remove(root, { recursive: true });
});

Deno.test("writeReport() honours options: fraction accuracies, rank order, formats and sections off", async () => {
  const root = await Deno.makeTempDir({ prefix: "report-test-" });
  const runs = STANDARD_RUNS.slice(0, 3);
  const inputs = await writeFixtureRuns(join(root, "in"), runs);
  const out = join(root, "out");
  await Deno.mkdir(out);
  const options = {
    title: "LeNet on Fashion-MNIST",
    accuracy: "fraction",
    sort: "rank",
    rank_by: "test_top1",
    formats: { png: false, html: false },
    sections: { epochs: false, summaries: false, provenance: false, images: false },
    charts: { loss: false, lr_schedule: false, confusion: false, curves: false },
  };
  const written = await writeReport(fixtureParams(runs, options), inputs, out);
  assert.deepEqual(written.files, [
    "charts/test-accuracy.svg",
    "charts/test-accuracy.vl.json",
    "charts/val-accuracy.svg",
    "charts/val-accuracy.vl.json",
    "metrics/epochs.csv",
    "metrics/final.csv",
    "metrics/per_class.csv",
    "metrics/runs.json",
    "report.md",
    "run-info.json",
  ]);
  const markdown = await Deno.readTextFile(join(out, "report.md"));
  assert.ok(markdown.startsWith("# LeNet on Fashion-MNIST\n"));
  assert.ok(markdown.includes("⚠ Selected on the test set (`report.rank_by`)"));
  const rows = tableStartingWith(markdown, "Run", "Model").rows;
  assert.deepEqual(rows.map((r) => [r[0], r[5]]), [
    ["lenet-seed=3", "0.9010"],
    ["lenet-seed=1", "0.8940"],
    ["lenet-seed=2", "0.8870"],
  ]);
  assert.ok(!markdown.includes("Validation accuracy per epoch"));
  assert.ok(!markdown.includes("Appendix"));
  assert.ok(!markdown.includes("[PNG]"), "no PNG link when PNGs are off");
  await Deno.remove(root, { recursive: true });
});

Deno.test("ablation tables show validation metrics at each run's best epoch when asked", async () => {
  const root = await Deno.makeTempDir({ prefix: "report-test-" });
  const runs = STANDARD_RUNS.filter((r) => r.sweep);
  const inputs = await writeFixtureRuns(join(root, "in"), runs);
  const out = join(root, "out");
  await Deno.mkdir(out);
  const options = { ablation_metrics: "best_val", accuracy: "fraction", formats: { png: false } };
  await writeReport(fixtureParams(runs, options), inputs, out);
  const markdown = await Deno.readTextFile(join(out, "report.md"));
  const table = tableStartingWith(markdown, "`model.conv_dropout`", "`model.fc_dropout`");
  for (const [i, run] of runs.entries()) {
    const { epochs } = await readJson(join(inputs[`train:${run.name}`], "history.json"));
    const best = epochs.reduce((a: EpochLike, e: EpochLike) => (e.val_top1 > a.val_top1 ? e : a));
    const [, , loss, top1, top5] = table.rows[i];
    assert.equal(loss, best.val_loss.toFixed(4));
    assert.equal(top1.replaceAll("**", ""), best.val_top1.toFixed(4));
    assert.equal(top5, best.val_top5.toFixed(4));
  }
  assert.match(markdown, /Validation metrics at each run's best epoch \(by top-1\)\. Runs: /);
  const spec = await readJson(join(out, "charts/ablation-cnn-dropout.vl.json"));
  assert.equal(spec.layer[0].encoding.y.title, "best validation accuracy");
  await Deno.remove(root, { recursive: true });
});

interface EpochLike {
  val_loss: number;
  val_top1: number;
  val_top5: number;
}

Deno.test("writeReport() writes byte-identical files when run twice on the same inputs", async () => {
  const root = await Deno.makeTempDir({ prefix: "report-test-" });
  const runs = STANDARD_RUNS.slice(0, 4);
  const inputs = await writeFixtureRuns(join(root, "in"), runs);
  const outputs = [join(root, "a"), join(root, "b")];
  const written = [];
  for (const out of outputs) {
    await Deno.mkdir(out);
    written.push(await writeReport(fixtureParams(runs), inputs, out));
  }
  assert.deepEqual(written[0], written[1]);
  for (const file of written[0].files) {
    const [a, b] = await Promise.all(outputs.map((o) => Deno.readFile(join(o, file))));
    assert.deepEqual(a, b, file);
  }
  await Deno.remove(root, { recursive: true });
});
