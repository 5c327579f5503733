import assert from "node:assert/strict";
import { join } from "node:path";
import { confusedClasses } from "../../tasks/report/confused_classes.ts";
import { writeReport } from "../../tasks/report/write_report.ts";
import { fixtureParams, type FixtureRun, writeFixtureRuns } from "./_fixture_runs.ts";
import { tableStartingWith } from "./_markdown_tables.ts";

Deno.test("confusedClasses() keeps the classes with the most errors either way, in class order", () => {
  const confusion = [
    [9, 1, 0, 0],
    [0, 10, 0, 0],
    [5, 0, 5, 0],
    [0, 0, 2, 8],
  ];
  // errors: class 0 → 1 + 5 = 6, class 1 → 0 + 1 = 1, class 2 → 5 + 2 = 7, class 3 → 2 + 0 = 2
  assert.deepEqual(confusedClasses(confusion, 2), [0, 2]);
  assert.deepEqual(confusedClasses(confusion, 3), [0, 2, 3]);
  assert.deepEqual(confusedClasses(confusion, 4), [0, 1, 2, 3]);
});

Deno.test("a 200-class run with 60 epochs gets a cut confusion matrix and a shortened epoch table", async () => {
  const root = await Deno.makeTempDir({ prefix: "report-large-test-" });
  const runs: FixtureRun[] = [
    {
      name: "resnet",
      experiment: "resnet",
      seed: 0,
      model: "cnn",
      top1: 0.46,
      epochs: 60,
      classes: 200,
    },
  ];
  const inputs = await writeFixtureRuns(join(root, "in"), runs);
  const out = join(root, "out");
  await Deno.mkdir(out);
  await writeReport(fixtureParams(runs, { formats: { png: false, html: false } }), inputs, out);
  const markdown = await Deno.readTextFile(join(out, "report.md"));

  const spec = JSON.parse(await Deno.readTextFile(join(out, "charts/confusion.vl.json")));
  assert.equal(spec.title, "Confusion matrix: resnet (the 30 most confused of 200 classes)");
  assert.equal(spec.data.values.length, 30 * 30);
  const perClass = tableStartingWith(markdown, "Class", "Images");
  assert.equal(perClass.rows.length, 30);
  assert.ok(
    markdown.includes(
      "The 30 most confused of 200 classes; metrics/per_class.csv has all of them.",
    ),
  );

  const epochs = tableStartingWith(markdown, "Epoch", "resnet");
  const shown = epochs.rows.map((r) => r[0]);
  assert.equal(shown.at(-1), "test");
  assert.equal(shown.at(-2), "60", "the last epoch is always shown");
  // ceil(60 / 25) = 3: epochs 3, 6, …, 60, plus the best epoch if it is not one of them.
  const regular = Array.from({ length: 20 }, (_, i) => String(3 * (i + 1)));
  const extra = shown.slice(0, -1).filter((e) => !regular.includes(e));
  assert.ok(extra.length <= 1, `only the best epoch may be added: ${extra}`);
  assert.ok(regular.every((e) => shown.includes(e)));
  const bold = epochs.rows.filter((r) => r[1].startsWith("**"));
  assert.equal(bold.length, 1, "the best epoch is among the rows, in bold");
  assert.ok(markdown.includes("Every 3rd epoch, the last and each run's best (bold)"));
  await Deno.remove(root, { recursive: true });
});
