import assert from "node:assert/strict";
import { incompleteBeta, welchTTest } from "../../tasks/report/welch_t_test.ts";

// Expected values from SciPy 1.17 (`scipy.stats.ttest_ind(a, b, equal_var=False)`).
Deno.test("welchTTest() matches SciPy's unequal-variance t-test", () => {
  const cases: [number[], number[], number, number, number][] = [
    [[1, 2, 3, 4, 5], [2, 4, 6, 8, 10], 1.8973665961010275, 5.882352941176471, 0.10753119493062728],
    [
      [0.812, 0.815, 0.809],
      [0.845, 0.851, 0.839],
      8.520563361656377,
      2.941176470588205,
      0.003659955583682718,
    ],
    [
      [0.80, 0.83, 0.79],
      [0.81, 0.79, 0.84],
      0.35355339059327673,
      3.8641509433962247,
      0.7421156841297715,
    ],
  ];
  for (const [a, b, t, df, p] of cases) {
    const result = welchTTest(a, b)!;
    assert.ok(Math.abs(result.t - t) < 1e-9, `t ${result.t} vs ${t}`);
    assert.ok(Math.abs(result.df - df) < 1e-9, `df ${result.df} vs ${df}`);
    assert.ok(Math.abs(result.p - p) < 1e-9, `p ${result.p} vs ${p}`);
  }
});

Deno.test("welchTTest() needs two values per group and handles groups without spread", () => {
  assert.equal(welchTTest([0.8], [0.9, 0.91]), undefined);
  assert.equal(welchTTest([0.8, 0.8], [0.8, 0.8])!.p, 1);
  assert.equal(welchTTest([0.8, 0.8], [0.9, 0.9])!.p, 0);
  // I_x(a, b) at known points: I_0.5(a, a) = 0.5, I_x(1, 1) = x.
  assert.ok(Math.abs(incompleteBeta(0.5, 3.7, 3.7) - 0.5) < 1e-12);
  assert.ok(Math.abs(incompleteBeta(0.3, 1, 1) - 0.3) < 1e-12);
});
