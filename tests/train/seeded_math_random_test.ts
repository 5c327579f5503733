import assert from "node:assert/strict";
import {
  hashSeed,
  installSeededMathRandom,
  mulberry32,
} from "../../tasks/train/seeded_math_random.ts";

Deno.test("installSeededMathRandom() makes Math.random repeat per seed and restores it", () => {
  const original = Math.random;
  const r = installSeededMathRandom(1, 2, 3);
  const a = [Math.random(), Math.random()];
  r.reseed(1, 2, 3);
  assert.deepEqual([Math.random(), Math.random()], a);
  r.reseed(1, 2, 4);
  assert.notDeepEqual([Math.random(), Math.random()], a);
  r.restore();
  r.restore();
  assert.equal(Math.random, original);
});

Deno.test("hashSeed() depends on order and on every part", () => {
  assert.notEqual(hashSeed(1, 2), hashSeed(2, 1));
  assert.notEqual(hashSeed(0, 0), hashSeed(0, 0, 0));
  assert.notEqual(hashSeed(2 ** 32), hashSeed(0));
  assert.equal(hashSeed(5, 6), hashSeed(5, 6));
});

Deno.test("mulberry32() yields floats in [0, 1) with a plausible mean", () => {
  const next = mulberry32(42);
  let sum = 0;
  for (let i = 0; i < 10_000; i++) {
    const v = next();
    assert.ok(v >= 0 && v < 1);
    sum += v;
  }
  assert.ok(Math.abs(sum / 10_000 - 0.5) < 0.02);
});
