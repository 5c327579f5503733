import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { downloadFile, type KnownFile } from "../../tasks/datasets/mod.ts";
import { startServer } from "./_local_http_server.ts";

const BODY = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 7) % 251);
const KNOWN: KnownFile = {
  name: "file.bin",
  bytes: BODY.length,
  sha256: createHash("sha256").update(BODY).digest("hex"),
};

async function listDir(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) names.push(entry.name);
  return names.sort();
}

Deno.test("downloadFile() streams, verifies and renames the file, reporting progress", async () => {
  const server = startServer({ "/a/file.bin": { body: BODY } });
  const dir = await Deno.makeTempDir();
  const progress: number[] = [];
  try {
    const sums = await downloadFile({
      urls: [`${server.url}/a/file.bin`],
      dest: join(dir, "file.bin"),
      known: KNOWN,
      progress: (p) => progress.push(p.done),
    });
    assert.equal(sums.sha256, KNOWN.sha256);
    assert.deepEqual(await Deno.readFile(join(dir, "file.bin")), BODY);
    assert.deepEqual(await listDir(dir), ["file.bin"]);
    assert.equal(progress.at(-1), BODY.length);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("downloadFile() keeps nothing when the checksum does not match", async () => {
  const bad = BODY.slice();
  bad[1234] ^= 1;
  const server = startServer({ "/a/file.bin": { body: bad } });
  const dir = await Deno.makeTempDir();
  try {
    const url = `${server.url}/a/file.bin`;
    const actual = createHash("sha256").update(bad).digest("hex");
    await assert.rejects(
      () => downloadFile({ urls: [url], dest: join(dir, "file.bin"), known: KNOWN }),
      {
        message: "Cannot download file.bin: every source failed, nothing was kept:\n" +
          `  - ${url}: checksum mismatch: file.bin does not match its published checksum: ` +
          `expected 300000 bytes with SHA-256 ${KNOWN.sha256}, got 300000 bytes with SHA-256 ${actual}`,
      },
    );
    assert.deepEqual(await listDir(dir), []);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("downloadFile() keeps nothing when the connection drops mid-file", async () => {
  const server = startServer({ "/a/file.bin": { body: BODY, dropAfter: 100_000 } });
  const dir = await Deno.makeTempDir();
  try {
    await assert.rejects(
      () =>
        downloadFile({
          urls: [`${server.url}/a/file.bin`],
          dest: join(dir, "file.bin"),
          known: KNOWN,
        }),
      (error: Error) => {
        assert.match(
          error.message,
          /^Cannot download file\.bin: every source failed, nothing was kept:\n {2}- http:\/\/127\.0\.0\.1:\d+\/a\/file\.bin: connection dropped after \d+ of 300000 bytes/,
        );
        return true;
      },
    );
    assert.deepEqual(await listDir(dir), []);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("downloadFile() falls back to the next mirror after a 404 and a bad copy", async () => {
  const bad = BODY.slice(0, 1000);
  const server = startServer({ "/bad/file.bin": { body: bad }, "/good/file.bin": { body: BODY } });
  const dir = await Deno.makeTempDir();
  const lines: string[] = [];
  try {
    await downloadFile({
      urls: ["/missing/", "/bad/", "/good/"].map((p) => `${server.url}${p}file.bin`),
      dest: join(dir, "file.bin"),
      known: KNOWN,
      log: (line) => lines.push(line),
    });
    assert.deepEqual(server.requests, ["/missing/file.bin", "/bad/file.bin", "/good/file.bin"]);
    assert.equal(lines.filter((l) => l.startsWith("failed")).length, 2);
    assert.match(lines[1], /^failed .*\/missing\/file\.bin: HTTP 404 Not Found$/);
    assert.deepEqual(await Deno.readFile(join(dir, "file.bin")), BODY);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("downloadFile() verifies by MD5 where only an MD5 is published", async () => {
  const server = startServer({ "/a/file.bin": { body: BODY } });
  const dir = await Deno.makeTempDir();
  const lines: string[] = [];
  try {
    const md5Only: KnownFile = {
      name: "file.bin",
      bytes: BODY.length,
      md5: createHash("md5").update(BODY).digest("hex"),
    };
    await downloadFile({
      urls: [`${server.url}/a/file.bin`],
      dest: join(dir, "file.bin"),
      known: md5Only,
      log: (line) => lines.push(line),
    });
    assert.equal(lines.at(-1), `verified file.bin (published-md5) → ${join(dir, "file.bin")}`);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});
