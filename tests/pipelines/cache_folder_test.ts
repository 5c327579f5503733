import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "../../pipelines/cli/cli.ts";
import { createFakeProject } from "../fixtures/pipelines/fake_project.ts";
import { silentReporter } from "../../pipelines/cli/progress_reporter.ts";
import { createSandbox, TWO_RUNS } from "./_sandbox.ts";
import { CAN_MOUNT, smallDisk } from "./_small_disk.ts";

/** Runs the CLI with `--cache-dir <cache>` (any string, even empty) and returns code and text. */
async function runWithCache(config: string, cacheArgs: string[], command = "run") {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(createFakeProject(), [command, config, ...cacheArgs], {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    reporter: silentReporter,
  });
  return { code, out, err };
}

// Each shape of unusable cache: exit 1, one message, nothing "skipped", nothing run.
const UNUSABLE: [string, (dir: string) => string, string][] = [
  ["a regular file (README.md)", (dir) => {
    Deno.writeTextFileSync(join(dir, "README.md"), "# hi\n");
    return join(dir, "README.md");
  }, "it is a file, not a folder"],
  ["/dev/null", () => "/dev/null", "it is not a folder (a device or socket), not a folder"],
  ["a folder below a regular file", (dir) => {
    Deno.writeTextFileSync(join(dir, "file"), "x");
    return join(dir, "file", "cache");
  }, "Not a directory (os error 20)"],
  [
    "a user's folder of other files",
    (dir) => {
      Deno.mkdirSync(join(dir, "photos", "photos.2019"), { recursive: true });
      Deno.writeTextFileSync(join(dir, "photos", "cat.jpg"), "jpeg");
      return join(dir, "photos");
    },
    "it is a folder of other files (cat.jpg, photos.2019), not a cnnlab cache: give an empty or new folder",
  ],
];

for (const [shape, make, cause] of UNUSABLE) {
  for (const command of ["run", "status"]) {
    Deno.test(`${command} with a cache that is ${shape} exits 1 with 'Cannot write the cache'`, async () => {
      await using box = await createSandbox();
      const config = box.write("two.yaml", TWO_RUNS);
      const before = [...Deno.readDirSync(box.dir)].map((e) => e.name).sort();
      const cache = make(box.dir);
      const run = await runWithCache(config, ["--cache-dir", cache], command);
      assert.equal(run.code, 1);
      assert.deepEqual(run.err, [`Cannot write the cache at ${cache}: ${cause}`]);
      assert.deepEqual(run.out, []);
      if (shape.includes("other files")) {
        assert.deepEqual(
          [...Deno.readDirSync(cache)].map((e) => e.name).sort(),
          ["cat.jpg", "photos.2019"],
          "nothing written into the user's folder",
        );
      }
      assert.ok(before.length > 0);
    });
  }
}

Deno.test("--cache-dir= (empty) is refused with exit 2", async () => {
  await using box = await createSandbox();
  const config = box.write("two.yaml", TWO_RUNS);
  for (const args of [["--cache-dir="], ["--cache-dir", ""], ["--cache-dir", "  "]]) {
    const run = await runWithCache(config, args);
    assert.equal(run.code, 2, args.join(" "));
    assert.match(
      run.err[0],
      /^Cannot run as --cache-dir must name a folder: current value is "\s*"$/,
    );
  }
});

Deno.test("an older cache without a tag is adopted and tagged", async () => {
  await using box = await createSandbox();
  const config = box.write("two.yaml", TWO_RUNS);
  Deno.mkdirSync(join(box.cache, "entries"), { recursive: true });
  Deno.mkdirSync(join(box.cache, "records"));
  const run = await box.run(["run", config]);
  assert.equal(run.code, 0);
  assert.match(
    Deno.readTextFileSync(join(box.cache, "CACHEDIR.TAG")),
    /^Signature: 8a477f597d28d172789f06886806bc55\n/,
  );
});

for (
  const [what, options, cause] of [
    [
      "an empty cache on a read-only mount",
      { readOnly: true },
      "Read-only file system (os error 30)",
    ],
    ["a cache disk with 0 bytes free", { full: true }, "No space left on device (os error 28)"],
  ] as const
) {
  Deno.test({
    name: `${what} exits 1 with '${cause}' before anything runs (tmpfs, needs root)`,
    ignore: !CAN_MOUNT,
    async fn() {
      await using box = await createSandbox();
      await using disk = await smallDisk({ kib: 64, ...options });
      const config = box.write("two.yaml", TWO_RUNS);
      const cache = join(disk.dir, "cache");
      const run = await runWithCache(config, ["--cache-dir", cache]);
      assert.equal(run.code, 1);
      assert.deepEqual(run.err, [`Cannot write the cache at ${cache}: ${cause}`]);
      assert.deepEqual(run.out, []);
    },
  });
}

Deno.test({
  name:
    "a cache disk that fills up mid-run fails the stages that cannot be cached, exit 1, no stack trace (tmpfs, needs root)",
  ignore: !CAN_MOUNT,
  async fn() {
    await using box = await createSandbox();
    await using disk = await smallDisk({ kib: 400 });
    const config = box.write("two.yaml", TWO_RUNS);
    const cache = join(disk.dir, "cache");
    // Leave room for the check, then fill what remains once the data stages are done.
    const run = await (async () => {
      const out: string[] = [];
      const err: string[] = [];
      let filled = false;
      const code = await runCli(createFakeProject(), ["run", config, "--cache-dir", cache], {
        out: (t) => out.push(t),
        err: (t) => err.push(t),
        reporter: {
          log() {},
          progress() {
            if (filled) return;
            filled = true;
            const file = Deno.openSync(join(disk.dir, "filler"), { write: true, create: true });
            try {
              while (true) file.writeSync(new Uint8Array(4096));
            } catch { /* full */ }
            file.close();
          },
          done() {},
        },
      });
      return { code, out: out.join("\n"), err };
    })();
    assert.equal(run.code, 1);
    assert.match(run.out, /failed/);
    const failures = run.err.filter((l) => l.includes("failed"));
    assert.ok(failures.length >= 1, run.err.join("\n"));
    for (const line of failures) {
      assert.match(line, new RegExp(`Cannot write the cache at ${cache}: No space left on device`));
    }
    assert.ok(!run.err.some((l) => /\n\s+at /.test(l)), "no stack trace");
  },
});

Deno.test("processes that start at once on a new cache folder all prepare it (none removes another's tag for good)", async () => {
  const prepare = new URL("../../pipelines/cache/prepare_cache.ts", import.meta.url).href;
  for (let round = 0; round < 6; round++) {
    const dir = await Deno.makeTempDir({ prefix: "cnnlab-new-cache-" });
    try {
      const cache = join(dir, "cache");
      const code = `import { prepareCache } from ${JSON.stringify(prepare)};\n` +
        `await prepareCache(${JSON.stringify(cache)});`;
      const outputs = await Promise.all(
        Array.from(
          { length: 10 },
          () =>
            new Deno.Command(Deno.execPath(), { args: ["eval", code], stderr: "piped" }).output(),
        ),
      );
      for (const output of outputs) {
        assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
      }
      const names = [...Deno.readDirSync(cache)].map((e) => e.name).sort();
      assert.deepEqual(names, ["CACHEDIR.TAG", "tmp"], "the tag, no temp tag left");
      assert.deepEqual([...Deno.readDirSync(join(cache, "tmp"))], [], "no probe left");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }
});
