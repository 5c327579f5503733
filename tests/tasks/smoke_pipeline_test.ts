/**
 * The acceptance run of the whole tool: `configs/smoke.yaml` through the real CLI on real
 * Fashion-MNIST, in a temp working folder with its own cache, then a rerun (nothing runs), a
 * forced report rerun (byte-identical files) and a report-only change (only the report runs).
 * The repository's own reports/ folder is never written.
 */
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { decode } from "fast-png";
import { checkPublishedReport } from "../report/_check_published_report.ts";
import { loadInChromium } from "../report/_load_in_chromium.ts";

const repo = join(dirname(fileURLToPath(import.meta.url)), "../..");
const cli = join(repo, "tasks/cli.ts");

async function pipeline(
  cwd: string,
  config: string,
  ...extra: string[]
): Promise<{ code: number; out: string }> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--unstable-webgpu",
      cli,
      "run",
      config,
      "--cache-dir",
      join(cwd, "cache"),
      ...extra,
    ],
    cwd,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return { code, out: decoder.decode(stdout) + decoder.decode(stderr) };
}

/** `git status` of the repository's reports/ folder. */
async function reportsStatus(): Promise<string> {
  const { stdout } = await new Deno.Command("git", {
    args: ["status", "--porcelain", "--", "reports"],
    cwd: repo,
    stdout: "piped",
  }).output();
  return new TextDecoder().decode(stdout);
}

/** Every file under `dir` (relative path → bytes). */
async function snapshot(dir: string, prefix = ""): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  for await (const entry of Deno.readDir(join(dir, prefix))) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory) { for (const [k, v] of await snapshot(dir, path)) files.set(k, v); }
    else files.set(path, await Deno.readFile(join(dir, path)));
  }
  return files;
}

/** Outcome per stage id from the summary table the CLI prints at the end. */
function outcomes(out: string): Record<string, string> {
  const rows = out.split("\n").map((l) => l.match(/^(\S+:\S+)\s+(run|fresh|restored)\s+\S+$/));
  return Object.fromEntries(rows.filter((m) => m !== null).map((m) => [m![1], m![2]]));
}

Deno.test("the smoke config runs end to end, reruns nothing, and reruns only the report after a report change", async () => {
  const cwd = await Deno.makeTempDir({ prefix: "cnnlab-smoke-" });
  const reportsBefore = await reportsStatus();
  try {
    const config = join(cwd, "smoke.yaml");
    await Deno.copyFile(join(repo, "configs/smoke.yaml"), config);

    const first = await pipeline(cwd, config);
    assert.equal(first.code, 0, first.out);
    assert.deepEqual(Object.values(outcomes(first.out)), Array(7).fill("run"), first.out);
    // The end says where the report went and the test results of each run.
    assert.match(first.out, /^Report: reports\/smoke\/report\.md$/m);
    for (const run of ["lenet", "net"]) {
      assert.match(first.out, new RegExp(`^${run}\\s+\\d+\\.\\d+ %\\s+\\d+\\.\\d+ %`, "m"), run);
    }

    const dir = join(cwd, "reports/smoke");
    // Run facts (timings, machine, commit) go beside the report, not into it.
    assert.match(await Deno.readTextFile(join(dir, "run-info.md")), /train:lenet/);
    assert.deepEqual(await checkPublishedReport(dir), []);
    const markdown = await Deno.readTextFile(join(dir, "report.md"));
    assert.ok(!markdown.includes(cpus()[0].model.trim()), "no machine name in report.md");
    assert.ok(!markdown.includes(new Date().toISOString().slice(0, 10)), "no date in report.md");
    const charts = [
      "curves",
      "val-accuracy",
      "loss",
      "test-accuracy",
      "confusion",
      "mistakes",
      "samples",
      "stage-graph",
    ];
    for (const chart of charts) {
      assert.ok((await Deno.stat(join(dir, `charts/${chart}.svg`))).size > 1000, chart);
      const png = decode(await Deno.readFile(join(dir, `charts/${chart}.png`)));
      assert.ok(png.width > 400 && png.height > 200, `${chart}: ${png.width}×${png.height}`);
      assert.ok(new Set(png.data).size > 2, `${chart}.png is blank`);
    }
    for (const file of ["metrics/epochs.csv", "metrics/final.csv", "metrics/runs.json"]) {
      assert.ok((await Deno.stat(join(dir, file))).size > 100, file);
    }
    const page = await loadInChromium(join(dir, "report.html"));
    assert.equal(page.state, "ok", page.text);
    assert.equal(page.chartsWithSvg, page.total);
    assert.deepEqual(page.console, []);

    // The student's own files in the report folder survive every later run.
    const own = { "notes.md": "Mes notes: 学生的结论\n", "figures/my-plot.svg": "<svg/>\n" };
    for (const [file, text] of Object.entries(own)) {
      await Deno.mkdir(dirname(join(dir, file)), { recursive: true });
      await Deno.writeTextFile(join(dir, file), text);
    }
    const second = await pipeline(cwd, config);
    assert.equal(second.code, 0, second.out);
    assert.deepEqual(Object.values(outcomes(second.out)), Array(7).fill("fresh"), second.out);

    // Regenerated from the same cached results, the report is the same, byte for byte (the run
    // facts beside it change with every run, and are git-ignored).
    const churn = (file: string) => file.startsWith("run-info.");
    const before = await snapshot(dir);
    const forced = await pipeline(cwd, config, "--force", "report:*");
    assert.equal(forced.code, 0, forced.out);
    assert.equal(outcomes(forced.out)["report:smoke"], "run", forced.out);
    const after = await snapshot(dir);
    assert.deepEqual([...after.keys()].sort(), [...before.keys()].sort());
    for (const [file, bytes] of before) {
      if (!churn(file)) assert.deepEqual(after.get(file), bytes, file);
    }

    // A report change (title, and the notes included from a file beside the config) reruns only
    // the report; the user's files in the folder are still there, untouched.
    await Deno.writeTextFile(join(cwd, "lab-notes.md"), "## Discussion\n\nLeNet 更慢。\n");
    const text = await Deno.readTextFile(config);
    await Deno.writeTextFile(
      config,
      text.replace(/title: .*/, 'title: "Renamed smoke report"\n  notes: lab-notes.md'),
    );
    const third = await pipeline(cwd, config);
    assert.equal(third.code, 0, third.out);
    const ran = Object.entries(outcomes(third.out)).filter(([, o]) => o === "run");
    assert.deepEqual(ran.map(([id]) => id), ["report:smoke"], third.out);
    const renamed = await Deno.readTextFile(join(dir, "report.md"));
    assert.match(renamed, /^# Renamed smoke report/);
    assert.ok(renamed.includes("## Discussion\n\nLeNet 更慢。"), "notes included verbatim");
    for (const [file, text] of Object.entries(own)) {
      assert.equal(await Deno.readTextFile(join(dir, file)), text, file);
    }
  } finally {
    await Deno.remove(cwd, { recursive: true });
  }
  assert.equal(await reportsStatus(), reportsBefore, "the repository's reports/ is untouched");
});
