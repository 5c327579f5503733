import assert from "node:assert/strict";
import { runRunsCli } from "../../tasks/experiments/runs_cli.ts";
import { FIXTURE_INVOCATIONS, writeHistoryFixture } from "./_history_fixture.ts";

async function runs(cache: string, args: string[]): Promise<{ code: number; text: string }> {
  const lines: string[] = [];
  const code = await runRunsCli([...args, "--cache-dir", cache], {
    out: (t) => lines.push(t),
    err: (t) => lines.push(t),
    timeZone: "UTC",
  });
  return { code, text: lines.join("\n") };
}

Deno.test("`runs` lists past runs newest first with the params that differ and their test metrics", async () => {
  const cache = await Deno.makeTempDir({ prefix: "cnnlab-runs-" });
  try {
    await writeHistoryFixture(cache, FIXTURE_INVOCATIONS);
    const all = await runs(cache, []);
    assert.equal(all.code, 0);
    assert.equal(
      all.text,
      `#  when              config     run            status  model.name  train.epochs  train.lr  top-1    top-5    loss    epochs  train time
-  ----------------  ---------  -------------  ------  ----------  ------------  --------  -------  -------  ------  ------  ----------
5  2026-11-24 16:00  mnist-lab  vgg            killed  vgg         1             0.01      —        —        —       —       —
4  2026-11-23 14:45  mnist-lab  alexnet        failed  alexnet     1             0.01      —        —        —       —       —
3  2026-11-22 08:15  smoke      lenet          ok      lenet       2             0.003     81.20 %  88.22 %  0.5715  2       43.3 s
3  2026-11-22 08:15  smoke      net            ok      cnn         2             0.003     77.40 %  85.00 %  0.6234  2       41.6 s
2  2026-11-21 10:30  smoke      lenet-lr=0.01  ok      lenet       2             0.01      84.50 %  92.42 %  0.5143  2       43.3 s
2  2026-11-21 10:30  smoke      net-lr=0.01    ok      cnn         2             0.01      73.10 %  81.09 %  0.6908  2       41.6 s`,
    );
    const lenet = await runs(cache, ["configs/smoke.yaml", "--model", "lenet"]);
    assert.equal(
      lenet.text,
      `#  when              config  run            status  train.lr  top-1    top-5    loss    epochs  train time
-  ----------------  ------  -------------  ------  --------  -------  -------  ------  ------  ----------
3  2026-11-22 08:15  smoke   lenet          ok      0.003     81.20 %  88.22 %  0.5715  2       43.3 s
2  2026-11-21 10:30  smoke   lenet-lr=0.01  ok      0.01      84.50 %  92.42 %  0.5143  2       43.3 s`,
    );
    const good = await runs(cache, ["--metric", "top1>=0.8"]);
    assert.deepEqual(good.text.split("\n").slice(2).map((l) => l.split(/\s{2,}/)[3]), [
      "lenet",
      "lenet-lr=0.01",
    ]);
    const percent = await runs(cache, ["smoke", "--metric", "top1<80%", "--limit", "1"]);
    assert.deepEqual(percent.text.split("\n").slice(2).map((l) => l.split(/\s{2,}/)[3]), ["net"]);
    // An entry removed from the cache shows as such, not as an error.
    const entries = [...Deno.readDirSync(`${cache}/entries`)].map((e) => e.name);
    for (const name of entries) await Deno.remove(`${cache}/entries/${name}`, { recursive: true });
    const gone = await runs(cache, ["smoke", "--limit", "1"]);
    assert.match(gone.text.split("\n")[2], /^3 .* lenet +not in cache +— +—/);
  } finally {
    await Deno.remove(cache, { recursive: true });
  }
});

Deno.test("`runs` says so when nothing was recorded or nothing matches, and exits 2 on bad arguments", async () => {
  const cache = await Deno.makeTempDir({ prefix: "cnnlab-runs-" });
  try {
    assert.deepEqual(await runs(cache, []), {
      code: 0,
      text: `No runs recorded in ${cache} yet: run \`deno task pipeline <config>\` first`,
    });
    await writeHistoryFixture(cache, FIXTURE_INVOCATIONS.slice(0, 1));
    assert.deepEqual(await runs(cache, ["--model", "vgg"]), {
      code: 0,
      text: "No past run matches",
    });
    const bad = await runs(cache, ["--metric", "accuracy>0.9"]);
    assert.equal(bad.code, 2);
    assert.equal(
      bad.text.split("\n")[0],
      "Cannot read --metric 'accuracy>0.9' as it must be <metric><op><number> with metric one of top1, top5, loss, epochs, seconds and op one of >, >=, <, <=, =: e.g. top1>=0.9 or top1>90%",
    );
    const limit = await runs(cache, ["--limit", "0"]);
    assert.equal(limit.code, 2);
    assert.equal(
      limit.text.split("\n")[0],
      'Cannot parse the command line as --limit must be a positive integer: current value is "0"',
    );
    assert.equal(
      (await runs(cache, ["--modle", "x"])).text.split("\n")[0],
      "Cannot parse the command line as '--modle' is not a known option: did you mean 'model'?",
    );
  } finally {
    await Deno.remove(cache, { recursive: true });
  }
});
