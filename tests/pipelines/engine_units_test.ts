import assert from "node:assert/strict";
import { join } from "node:path";
import { didYouMean, levenshtein } from "../../pipelines/config/_did_you_mean.ts";
import { resolveCacheDir } from "../../pipelines/cache/cache_layout.ts";
import { canonicalJson } from "../../pipelines/hashing/canonical_json.ts";
import { deepMerge } from "../../pipelines/config/deep_merge.ts";
import { explainChange } from "../../pipelines/graph/explain_change.ts";
import type { FingerprintObject } from "../../pipelines/graph/fingerprint.ts";
import {
  ENGINE_VERSION,
  fingerprintFromParts,
  fingerprintOf,
} from "../../pipelines/graph/fingerprint.ts";
import { formatTable, formatTableChunks } from "../../pipelines/cli/format_table.ts";
import { globToRegExp } from "../../pipelines/graph/glob.ts";
import { sha256 } from "../../pipelines/hashing/sha256.ts";
import type { Json } from "../../pipelines/types.ts";

Deno.test("canonicalJson() sorts keys at every depth and drops undefined members", () => {
  assert.equal(
    canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } }),
    '{"a":{"d":[3,{"y":2,"z":1}]},"b":1}',
  );
  assert.equal(canonicalJson({ x: 0.1 }), canonicalJson(JSON.parse('{"x":0.10}')));
  assert.throws(() => canonicalJson({ x: NaN }), /Cannot fingerprint the number NaN/);
});

Deno.test("fingerprintOf() is the SHA-256 of the canonical fingerprint object", () => {
  const object: FingerprintObject = {
    engine: 1,
    kind: "train",
    params: { lr: 0.1 },
    inputs: { data: "ab" },
    code: { "./train.ts": "cd" },
    packages: { zod: "zod@4.6.7" },
    runtime: { backend: "wasm" },
  };
  assert.equal(fingerprintOf(object), sha256(canonicalJson(object)));
  assert.notEqual(
    fingerprintOf(object),
    fingerprintOf({ ...object, runtime: { backend: "webgpu" } }),
  );
});

Deno.test("fingerprintFromParts() gives fingerprintOf() of the whole object, for shared parts and big params", () => {
  const code = { "./train.ts": "cd", "./models/lenet.ts": "ef" };
  const packages = { zod: "zod@4.6.7" };
  const runtime = { backend: "wasm" };
  const parts = {
    code: canonicalJson(code),
    packages: canonicalJson(packages),
    runtime: canonicalJson(runtime),
  };
  const bigRuns = Array.from({ length: 1500 }, (_, i) => ({ name: `r${i}`, lr: i / 1e4 }));
  const cases: { params: Json; inputs: Record<string, string> }[] = [
    { params: { lr: 0.1 }, inputs: { data: "ab" } },
    { params: { lr: 0.2 }, inputs: { data: "ab", split: "cd" } },
    { params: { runs: bigRuns }, inputs: {} },
    { params: { lr: 0.1 }, inputs: { data: "ab" } },
  ];
  const seen = new Set<string>();
  // The same parts object each time: later stages continue the first one's cached hash state.
  for (const { params, inputs } of cases) {
    const whole = fingerprintOf({
      engine: ENGINE_VERSION,
      kind: "train",
      params,
      inputs,
      code,
      packages,
      runtime,
    });
    assert.equal(fingerprintFromParts("train", parts, params, inputs), whole);
    seen.add(whole);
  }
  assert.equal(seen.size, 3, "equal stages agree, different ones differ");
});

Deno.test("deepMerge() merges maps key by key and replaces lists and scalars", () => {
  const base = { model: { name: "lenet", channels: [6, 16] }, train: { lr: 0.1 } };
  const merged = deepMerge(base, { model: { channels: [8] }, train: { epochs: 3 } });
  assert.deepEqual(merged, {
    model: { name: "lenet", channels: [8] },
    train: { lr: 0.1, epochs: 3 },
  });
  assert.deepEqual(base.model.channels, [6, 16], "inputs are not mutated");
});

Deno.test("explainChange() names changed params, inputs, code files and runtime facts", () => {
  const before: FingerprintObject = {
    engine: 1,
    kind: "train",
    params: { train: { lr: 0.1, epochs: 2 }, tags: ["a", "b"] },
    inputs: { data: "1", split: "2" },
    code: { "./train.ts": "x", "./old.ts": "y" },
    packages: { vega: "vega@6.4.0" },
    runtime: { backend: "wasm", tfjs: "4.22.0" },
  };
  const after: FingerprintObject = {
    ...before,
    params: { train: { lr: 0.2, epochs: 2, clip: 1 }, tags: ["a", "c"] },
    inputs: { data: "9", split: "2" },
    code: { "./train.ts": "z", "./new.ts": "w" },
    packages: { vega: "vega@6.5.0", zod: "zod@4.6.7" },
    runtime: { backend: "webgpu", tfjs: "4.22.0" },
  };
  assert.deepEqual(explainChange(before, after, { inputIds: { data: "data:mnist" } }), [
    'param tags ["a","b"] → ["a","c"]',
    "param train.clip added (1)",
    "param train.lr 0.1 → 0.2",
    "code ./new.ts added",
    "code ./old.ts removed",
    "code ./train.ts",
    "package vega vega@6.4.0 → vega@6.5.0",
    "package zod added (zod@4.6.7)",
    "runtime backend wasm → webgpu",
    "input data:mnist changed (content)",
  ]);
  assert.deepEqual(explainChange(before, before), []);
  // Named lists (the report's runs) by name; build ids as "changed"; unknown inputs skipped.
  const runs = (names: string[], lr = 0.1) => names.map((name) => ({ name, lr }));
  assert.deepEqual(
    explainChange(
      {
        ...before,
        params: { runs: runs(["a", "b"]) },
        runtime: { backend: "native@0123456789abcdef" },
      },
      {
        ...before,
        params: { runs: [...runs(["a"], 0.2), ...runs(["c", "d"])] },
        runtime: { backend: "native@fedcba9876543210" },
        inputs: { data: undefined, split: "2" },
      },
    ),
    ["param runs +2 (c, d), −1 (b), changed 1 (a)", "native build changed"],
  );
  const long = { ...before, params: { note: "x".repeat(100) } };
  const [line] = explainChange(before, long);
  assert.ok(line.length < 60, line);
});

Deno.test("explainChange() keeps a report's reasons short when its runs and inputs change", () => {
  // A sweep override turns 2 runs into 4: the report's graph nodes (lists keyed by id) and its
  // per-run inputs change wholesale; each must stay one short line, never a JSON dump.
  const nodes = (ids: string[]) => ids.map((id) => ({ id, inputs: ["data:mnist"] }));
  const inputs = (runs: string[]) =>
    Object.fromEntries(runs.flatMap((run) => [[`train:${run}`, run], [`data:${run}`, "d"]]));
  const before: FingerprintObject = {
    engine: 1,
    kind: "report",
    params: { graph: { nodes: nodes(["train:a", "train:b"]) } },
    inputs: inputs(["a", "b"]),
    code: {},
    packages: {},
    runtime: {},
  };
  const after: FingerprintObject = {
    ...before,
    params: { graph: { nodes: nodes(["train:a-lr=1", "train:a-lr=2", "train:b"]) } },
    inputs: inputs(["a-lr=1", "a-lr=2", "b"]),
  };
  const reasons = explainChange(before, after, {
    inputIds: Object.fromEntries(Object.keys(after.inputs).map((name) => [name, "data:mnist"])),
  });
  assert.deepEqual(reasons, [
    "param graph.nodes +2 (train:a-lr=1, train:a-lr=2), −1 (train:a)",
    "inputs +4 (data:a-lr=1, data:a-lr=2, train:a-lr=1, …), −2 (data:a, train:a)",
  ]);
  for (const reason of reasons) assert.ok(reason.length < 80, reason);
  // A changed input is still named by the stage it comes from.
  assert.deepEqual(
    explainChange(before, { ...before, inputs: { ...before.inputs, "data:a": "e" } }, {
      inputIds: { "data:a": "data:mnist" },
    }),
    ["input data:mnist changed (content)"],
  );
});

Deno.test("didYouMean() suggests the closest key, ties, misspelt parts, or lists the allowed values", () => {
  assert.equal(levenshtein("kitten", "sitting"), 3);
  assert.equal(didYouMean("optimzer", ["optimizer", "lr"]), "did you mean 'optimizer'?");
  assert.equal(
    didYouMean("dropot", ["conv_dropout", "fc_dropout", "padding"]),
    "did you mean 'conv_dropout' or 'fc_dropout'?",
  );
  assert.equal(didYouMean("zzz", ["lr", "epochs"]), "allowed: 'lr', 'epochs'");
  assert.equal(didYouMean("zzz", ["lr", "epochs"], { listWhenFar: false }), "");
});

Deno.test("globToRegExp() matches whole ids with * and ? and nothing else special", () => {
  assert.ok(globToRegExp("train:*").test("train:lenet-lr=0.1"));
  assert.ok(globToRegExp("*seed=?").test("evaluate:a-seed=1"));
  assert.ok(!globToRegExp("train:*").test("evaluate:train:x"));
  assert.ok(globToRegExp("a.b(c)").test("a.b(c)"));
  assert.ok(!globToRegExp("a.b").test("axb"));
});

Deno.test("resolveCacheDir() prefers the flag, then CNNLAB_CACHE, then .cache in the cwd", () => {
  assert.equal(resolveCacheDir("/x/flag", "/y/env"), "/x/flag");
  assert.equal(resolveCacheDir(undefined, "/y/env"), "/y/env");
  assert.equal(resolveCacheDir(undefined, ""), join(Deno.cwd(), ".cache"));
  assert.equal(resolveCacheDir(undefined, undefined), join(Deno.cwd(), ".cache"));
});

Deno.test("formatTableChunks() prints a 200,003-row table in pieces padded to the widest cell", () => {
  const rows = Array.from({ length: 200_003 }, (_, i) => [`train:run-${i}`, "will run", "new"]);
  rows[200_002][0] = "x".repeat(40); // the widest cell comes last and still pads the first rows
  const chunks = [...formatTableChunks(["stage", "state", "why"], rows, 1000)];
  assert.equal(chunks.length, 201);
  assert.ok(chunks.every((c) => c.split("\n").length <= 1000));
  const lines = chunks.join("\n").split("\n");
  assert.equal(lines.length, 200_005);
  assert.equal(lines[0], `${"stage".padEnd(40)}  ${"state".padEnd(8)}  why`);
  assert.equal(lines[2], `${"train:run-0".padEnd(40)}  will run  new`);
  assert.equal(chunks.join("\n"), formatTable(["stage", "state", "why"], rows));
});
