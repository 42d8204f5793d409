import assert from "node:assert/strict";
import { globalRng, normal, permutation, rand, Rng, setSeed, uniform } from "./mod.ts";

Deno.test("Rng matches the C reference of xoshiro128** seeded by splitmix32", () => {
  // Values printed by testdata/xoshiro128ss.c
  const expected: Record<number, number[]> = {
    0: [3809008728, 1133695204, 53579671, 2891528803, 139681546],
    42: [2837322924, 544945897, 479756282, 3500138142, 339756180],
    4294967295: [835879718, 1921286648, 2356205009, 1885780724, 980451116],
  };
  for (const [seed, values] of Object.entries(expected)) {
    const rng = new Rng(Number(seed));
    assert.deepEqual(values.map(() => rng.nextUint32()), values);
  }
});

Deno.test("Rng state round-trips bit-identically", () => {
  const a = new Rng(7);
  a.random();
  const state = a.getState();
  const next = [a.random(), a.normal(), a.int(10)];
  const b = new Rng(0);
  b.setState(state);
  assert.deepEqual([b.random(), b.normal(), b.int(10)], next);
  const words = [2 ** 32 - 1, 0, 1, 2];
  b.setState(words);
  assert.deepEqual(b.getState(), words);
  const bad = [[0, 0, 0, 0], [2 ** 40, 2, 3, 4], [-1, 2, 3, 4], [1.5, 2, 3, 4], [1, 2, 3], "abcd"];
  for (const state of bad) {
    assert.throws(() => b.setState(state as number[]), {
      name: "RangeError",
      message:
        `Rng.setState: expected four unsigned 32-bit integers, not all zero: current value is ${
          JSON.stringify(state)
        }`,
    });
  }
  assert.deepEqual(b.getState(), words); // a refused state changes nothing
  assert.throws(() => new Rng(NaN), /Rng: seed must be a finite number: current value is NaN/);
});

Deno.test("setSeed() makes the global generator reproducible", () => {
  setSeed(123);
  const a = rand([4]).dataSync();
  setSeed(123);
  assert.deepEqual(rand([4]).dataSync(), a);
  assert.notDeepEqual(rand([4]).dataSync(), a);
  assert.ok(globalRng() instanceof Rng);
});

Deno.test("uniform(), normal() and permutation() have the right statistics", () => {
  const rng = new Rng(1);
  const u = Array.from(uniform([100000], { low: 2, high: 4, rng, dtype: "float64" }).dataSync());
  const uMean = u.reduce((s: number, v: number) => s + v, 0) / u.length;
  assert.ok(Math.abs(uMean - 3) < 0.01);
  assert.ok(u.every((v: number) => v >= 2 && v < 4));
  const n = Array.from(normal([100000], { mean: 1, std: 3, rng, dtype: "float64" }).dataSync());
  const nMean = n.reduce((s: number, v: number) => s + v, 0) / n.length;
  const nVar = n.reduce((s: number, v: number) => s + (v - nMean) ** 2, 0) / n.length;
  assert.ok(Math.abs(nMean - 1) < 0.05);
  assert.ok(Math.abs(nVar - 9) < 0.15);
  const p = Array.from(permutation(1000, { rng }).dataSync());
  assert.deepEqual(p.toSorted((a, b) => a - b), Array.from({ length: 1000 }, (_, i) => i));
  assert.throws(() => uniform([1], { low: 1, high: 0 }), /uniform: high must be >= low/);
  assert.throws(() => normal([1], { std: -1 }), /normal: std must be >= 0: current value is -1/);
});
