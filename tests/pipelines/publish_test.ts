import assert from "node:assert/strict";
import { join } from "node:path";
import { PUBLISH_MANIFEST } from "../../pipelines/cache/publish_manifest.ts";
import { publishOutputs } from "../../pipelines/cache/publish_outputs.ts";
import { hashTree } from "../../pipelines/hashing/hash_tree.ts";
import { createSandbox, TWO_RUNS } from "./_sandbox.ts";
import { CAN_MOUNT, smallDisk } from "./_small_disk.ts";

function manifestOf(folder: string): { files: Record<string, string>; pending?: unknown } {
  return JSON.parse(Deno.readTextFileSync(join(folder, PUBLISH_MANIFEST)));
}

const read = (path: string) => Deno.readTextFileSync(path);

/** Every path under `dir` with its content (files) or target (links), links not followed. */
function snapshot(dir: string, prefix = ""): Record<string, string> {
  const result: Record<string, string> = {};
  for (const entry of Deno.readDirSync(join(dir, prefix))) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isSymlink) result[path] = `-> ${Deno.readLinkSync(join(dir, path))}`;
    else if (entry.isDirectory) Object.assign(result, { [path]: "dir" }, snapshot(dir, path));
    else result[path] = read(join(dir, path));
  }
  return result;
}

Deno.test("a user's own file and a user's edit of a published file survive two reruns", async () => {
  await using box = await createSandbox();
  const config = box.write("two.yaml", TWO_RUNS);
  const folder = join(box.publishRoot, "two");
  assert.equal((await box.run(["run", config])).code, 0);
  assert.deepEqual(Object.keys(manifestOf(folder).files).sort(), [
    "report.md",
    "runs/a.txt",
    "runs/b.txt",
  ]);
  const original = read(join(folder, "report.md"));
  Deno.writeTextFileSync(join(folder, "notes.md"), "# my notes\n");
  Deno.writeTextFileSync(join(folder, "report.md"), "my conclusion\n", { append: true });

  // Rerun 1: the report changes (a new lr), so the tool publishes a new report.md.
  box.edit("two.yaml", (t) => t.replace("lr: 0.1 }", "lr: 0.15 }"));
  const first = await box.run(["run", config]);
  assert.equal(first.code, 0);
  assert.equal(first.outcomes["report:two"], "run");
  assert.equal(read(join(folder, "notes.md")), "# my notes\n");
  assert.equal(read(join(folder, "report.edited.md")), original + "my conclusion\n");
  assert.notEqual(read(join(folder, "report.md")), original);
  assert.match(read(join(folder, "report.md")), /^\| stage \| top1 \|/);

  // Rerun 2: the tool's report.md is replaced again; the user's files stay as they are.
  box.edit("two.yaml", (t) => t.replace("lr: 0.15 }", "lr: 0.2 }"));
  const second = await box.run(["run", config]);
  assert.equal(second.code, 0);
  assert.equal(read(join(folder, "notes.md")), "# my notes\n");
  assert.equal(read(join(folder, "report.edited.md")), original + "my conclusion\n");
  const names = [...Deno.readDirSync(folder)].map((e) => e.name).sort();
  assert.deepEqual(names, [PUBLISH_MANIFEST, "notes.md", "report.edited.md", "report.md", "runs"]);
  assert.equal(manifestOf(folder).pending, undefined);
});

Deno.test("files the tool no longer produces are deleted only if nobody edited them", async () => {
  await using box = await createSandbox();
  const config = box.write("two.yaml", TWO_RUNS);
  const folder = join(box.publishRoot, "two");
  await box.run(["run", config]);
  // Drop run b: runs/b.txt is no longer produced; the user edited runs/a.txt... which still is.
  Deno.writeTextFileSync(join(folder, "runs", "b.txt"), "edited by me\n");
  box.edit("two.yaml", (t) => t.replace(/ {2}b: .*\n/, ""));
  assert.equal((await box.run(["run", config])).code, 0);
  assert.equal(read(join(folder, "runs", "b.txt")), "edited by me\n", "the edit is kept");
  assert.deepEqual(Object.keys(manifestOf(folder).files).sort(), ["report.md", "runs/a.txt"]);

  // Unedited and no longer produced: deleted, and its emptied folder too.
  box.edit(
    "two.yaml",
    (t) => t.replace("  a: { train: { lr: 0.1 } }\n", "  c: { train: { lr: 0.3 } }\n"),
  );
  assert.equal((await box.run(["run", config])).code, 0);
  assert.throws(() => Deno.statSync(join(folder, "runs", "a.txt")), Deno.errors.NotFound);
  assert.ok(Deno.statSync(join(folder, "runs", "c.txt")).isFile);
  assert.equal(read(join(folder, "runs", "b.txt")), "edited by me\n");
});

Deno.test("a fully cached rerun writes nothing to the publish folder; a deleted file is restored beside the user's", async () => {
  await using box = await createSandbox();
  const config = box.write("two.yaml", TWO_RUNS);
  const folder = join(box.publishRoot, "two");
  await box.run(["run", config]);
  Deno.writeTextFileSync(join(folder, "notes.md"), "mine\n");
  const mtime = (name: string) => Deno.statSync(join(folder, name)).mtime!.getTime();
  const before = [mtime("report.md"), mtime(PUBLISH_MANIFEST)];
  await new Promise((r) => setTimeout(r, 20));
  const again = await box.run(["run", config]);
  assert.equal(again.outcomes["report:two"], "fresh");
  assert.deepEqual([mtime("report.md"), mtime(PUBLISH_MANIFEST)], before);
  Deno.removeSync(join(folder, "report.md"));
  const status = await box.run(["status", config]);
  assert.equal(status.outcomes["report:two"], "will restore");
  const restored = await box.run(["run", config]);
  assert.equal(restored.outcomes["report:two"], "restored");
  assert.equal(read(join(folder, "notes.md")), "mine\n");
  assert.ok(Deno.statSync(join(folder, "report.md")).isFile);
});

/** A folder with an `out/` of two files and a publish root beside it. */
async function publishFixture() {
  const dir = await Deno.makeTempDir({ prefix: "cnnlab-publish-" });
  const out = join(dir, "out");
  await Deno.mkdir(join(out, "charts"), { recursive: true });
  await Deno.writeTextFile(join(out, "report.md"), "report\n");
  await Deno.writeTextFile(join(out, "charts", "a.svg"), "<svg/>\n");
  const root = join(dir, "reports");
  await Deno.mkdir(root);
  const elsewhere = join(dir, "elsewhere");
  await Deno.mkdir(elsewhere);
  await Deno.writeTextFile(join(elsewhere, "precious.txt"), "do not touch\n");
  return {
    dir,
    out,
    root,
    elsewhere,
    files: await hashTree(out),
    async [Symbol.asyncDispose]() {
      await Deno.remove(dir, { recursive: true });
    },
  };
}

const REFUSALS: [string, (f: Awaited<ReturnType<typeof publishFixture>>) => string, RegExp][] = [
  [
    "a target outside the publish root",
    (f) => join(f.root, "..", "x"),
    /not a folder inside the publish root/,
  ],
  [
    "the publish root itself ('name: .')",
    (f) => join(f.root, "."),
    /not a folder inside the publish root/,
  ],
  [
    "the folder above the root ('name: ..')",
    (f) => join(f.root, ".."),
    /not a folder inside the publish root/,
  ],
  ["a target folder that is a symbolic link", (f) => {
    Deno.symlinkSync(f.elsewhere, join(f.root, "x"));
    return join(f.root, "x");
  }, /x is a symbolic link; refusing to follow it/],
  ["a target below a symbolic link", (f) => {
    Deno.symlinkSync(f.elsewhere, join(f.root, "x"));
    return join(f.root, "x", "y");
  }, /x is a symbolic link; refusing to follow it/],
  ["a published file that is a symbolic link", (f) => {
    Deno.mkdirSync(join(f.root, "x"));
    Deno.symlinkSync(join(f.elsewhere, "precious.txt"), join(f.root, "x", "report.md"));
    return join(f.root, "x");
  }, /report\.md is a symbolic link; refusing to replace it/],
  ["a published subfolder that is a symbolic link", (f) => {
    Deno.mkdirSync(join(f.root, "x"));
    Deno.symlinkSync(f.elsewhere, join(f.root, "x", "charts"));
    return join(f.root, "x");
  }, /charts is a symbolic link; refusing to follow it/],
  ["a target that is a file", (f) => {
    Deno.writeTextFileSync(join(f.root, "x"), "a file\n");
    return join(f.root, "x");
  }, /x is a file, not a folder/],
  ["a user's folder where a file is published", (f) => {
    Deno.mkdirSync(join(f.root, "x", "report.md"), { recursive: true });
    return join(f.root, "x");
  }, /report\.md is a folder where a file is published/],
];

for (const [what, make, message] of REFUSALS) {
  Deno.test(`publishOutputs() refuses ${what} and writes nothing`, async () => {
    await using f = await publishFixture();
    const target = make(f);
    const before = snapshot(f.dir);
    await assert.rejects(() => publishOutputs(f.out, f.files, target, { root: f.root }), message);
    assert.deepEqual(snapshot(f.dir), before);
  });
}

Deno.test("a publish folder that is a symbolic link fails the report stage with exit 1, the summary and the other results kept", async () => {
  await using box = await createSandbox();
  const config = box.write("two.yaml", TWO_RUNS);
  const elsewhere = join(box.dir, "elsewhere");
  Deno.mkdirSync(box.publishRoot, { recursive: true });
  Deno.mkdirSync(elsewhere);
  Deno.symlinkSync(elsewhere, join(box.publishRoot, "two"));
  const run = await box.run(["run", config]);
  assert.equal(run.code, 1);
  assert.equal(run.outcomes["report:two"], "failed");
  assert.equal(run.outcomes["train:a"], "run");
  assert.deepEqual(run.err.filter((l) => l.startsWith("Cannot publish")), [
    `Cannot publish report:two to ${join(box.publishRoot, "two")}: ${
      join(box.publishRoot, "two")
    } is a symbolic link; refusing to follow it`,
  ]);
  assert.ok(!run.err.some((l) => /\n\s+at /.test(l)), "no stack trace");
  assert.deepEqual([...Deno.readDirSync(elsewhere)], []);
  // Fixed by the user: the report is restored from the cache, nothing else runs.
  Deno.removeSync(join(box.publishRoot, "two"));
  const again = await box.run(["run", config]);
  assert.equal(again.code, 0);
  assert.equal(again.outcomes["report:two"], "restored");
  assert.equal(again.outcomes["train:a"], "fresh");
});

Deno.test("a publish file name that is too long fails with the folder and the cause", async () => {
  await using f = await publishFixture();
  const target = join(f.root, "n".repeat(300));
  await assert.rejects(
    () => publishOutputs(f.out, f.files, target, { root: f.root }),
    /File name too long/,
  );
});

for (
  const [what, options, cause] of [
    ["read-only", { readOnly: true }, "Read-only file system (os error 30)"],
    ["full", { full: true }, "No space left on device (os error 28)"],
  ] as const
) {
  Deno.test({
    name:
      `a ${what} publish folder fails the report stage with exit 1 and '${cause}' (tmpfs, needs root)`,
    ignore: !CAN_MOUNT,
    async fn() {
      await using box = await createSandbox();
      await using disk = await smallDisk({ kib: 64, ...options });
      const config = box.write("two.yaml", TWO_RUNS);
      const run = await box.run(["run", config], { publishRoot: disk.dir });
      assert.equal(run.code, 1);
      assert.equal(run.outcomes["report:two"], "failed");
      assert.equal(run.outcomes["evaluate:b"], "run");
      assert.deepEqual(run.err.filter((l) => l.startsWith("Cannot publish")), [
        `Cannot publish report:two to ${join(disk.dir, "two")}: ${cause}`,
      ]);
      assert.match(run.out, /0 fresh, 1 failed, 0 skipped/);
    },
  });
}
