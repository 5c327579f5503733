/**
 * The acceptance run of the whole tool: `configs/smoke.yaml` through the real CLI on real
 * Fashion-MNIST, in a temp working folder with its own cache, then a rerun (nothing runs) and a
 * report-only change (only the report runs).
 */
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { decode } from "fast-png";
import { checkPublishedReport } from "../report/_check_published_report.ts";
import { loadInChromium } from "../report/_load_in_chromium.ts";

const repo = join(dirname(fileURLToPath(import.meta.url)), "../..");
const cli = join(repo, "tasks/cli.ts");

async function pipeline(cwd: string, config: string): Promise<{ code: number; out: string }> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--unstable-webgpu", cli, "run", config, "--cache-dir", join(cwd, "cache")],
    cwd,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return { code, out: decoder.decode(stdout) + decoder.decode(stderr) };
}

/** Outcome per stage id from the summary table the CLI prints at the end. */
function outcomes(out: string): Record<string, string> {
  const rows = out.split("\n").map((l) => l.match(/^(\S+:\S+)\s+(run|fresh|restored)\s+\S+$/));
  return Object.fromEntries(rows.filter((m) => m !== null).map((m) => [m![1], m![2]]));
}

Deno.test("the smoke config runs end to end, reruns nothing, and reruns only the report after a report change", async () => {
  const cwd = await Deno.makeTempDir({ prefix: "cnnlab-smoke-" });
  try {
    const config = join(cwd, "smoke.yaml");
    await Deno.copyFile(join(repo, "configs/smoke.yaml"), config);

    const first = await pipeline(cwd, config);
    assert.equal(first.code, 0, first.out);
    assert.deepEqual(Object.values(outcomes(first.out)), Array(7).fill("run"), first.out);

    const dir = join(cwd, "reports/smoke");
    assert.deepEqual(await checkPublishedReport(dir), []);
    for (const chart of ["val-accuracy", "loss", "test-accuracy", "confusion", "lr-schedule"]) {
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
});
