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

    const dir = join(cwd, "reports/smoke");
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

    const second = await pipeline(cwd, config);
    assert.equal(second.code, 0, second.out);
    assert.deepEqual(Object.values(outcomes(second.out)), Array(7).fill("fresh"), second.out);

    // Regenerated from the same cached results, the report is the same, byte for byte.
    const before = await snapshot(dir);
    const forced = await pipeline(cwd, config, "--force", "report:*");
    assert.equal(forced.code, 0, forced.out);
    assert.equal(outcomes(forced.out)["report:smoke"], "run", forced.out);
    const after = await snapshot(dir);
    assert.deepEqual([...after.keys()].sort(), [...before.keys()].sort());
    for (const [file, bytes] of before) assert.deepEqual(after.get(file), bytes, file);

    const text = await Deno.readTextFile(config);
    await Deno.writeTextFile(config, text.replace(/title: .*/, 'title: "Renamed smoke report"'));
    const third = await pipeline(cwd, config);
    assert.equal(third.code, 0, third.out);
    const ran = Object.entries(outcomes(third.out)).filter(([, o]) => o === "run");
    assert.deepEqual(ran.map(([id]) => id), ["report:smoke"], third.out);
    assert.match(await Deno.readTextFile(join(dir, "report.md")), /^# Renamed smoke report/);
  } finally {
    await Deno.remove(cwd, { recursive: true });
  }
  assert.equal(await reportsStatus(), reportsBefore, "the repository's reports/ is untouched");
});
