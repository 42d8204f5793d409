import assert from "node:assert/strict";
import { assertAllClose, gradcheck, gradgradcheck } from "@kiso/testing";
import { backward, mul, Rng, sub, sum, type Tensor, tensor, uniform } from "@kiso/tensor";
import {
  absoluteRectification,
  cos,
  elu,
  gelu,
  generalizedRelu,
  hardTanh,
  identity,
  leakyRelu,
  logSoftmax,
  maxout,
  prelu,
  rbf,
  relu,
  sigmoid,
  silu,
  softmax,
  softplus,
  step,
  tanh,
} from "./mod.ts";

const f64 = (values: number[] | number[][]): Tensor => tensor(values, { dtype: "float64" });
const sig = (v: number): number => 1 / (1 + Math.exp(-v));

/** Points around every kink (±1e-3 of 0 and ±1) but not on one, plus large values. */
const POINTS = [-3, -1.001, -0.999, -0.5, -1e-3, 1e-3, 0.5, 0.999, 1.001, 3];

Deno.test("activations match hand-computed values (intro notes eqs.9–17)", () => {
  const x = f64([-2, 0, 1.5]);
  assertAllClose(step(x), [0, 0, 1]);
  assertAllClose(sigmoid(x), [sig(-2), 0.5, sig(1.5)]);
  assertAllClose(tanh(x), [Math.tanh(-2), 0, Math.tanh(1.5)]);
  assertAllClose(softplus(x), [Math.log(1 + Math.exp(-2)), Math.LN2, Math.log(1 + Math.exp(1.5))]);
  assertAllClose(relu(x), [0, 0, 1.5]);
  assertAllClose(leakyRelu(x), [-0.02, 0, 1.5]);
  assertAllClose(prelu(x, f64([0.25])), [-0.5, 0, 1.5]);
  assertAllClose(elu(x, { alpha: 2 }), [2 * (Math.exp(-2) - 1), 0, 1.5]);
  assertAllClose(identity(x), [-2, 0, 1.5]);
  assertAllClose(hardTanh(x), [-1, 0, 1]);
  assertAllClose(absoluteRectification(x), [2, 0, 1.5]);
  assertAllClose(generalizedRelu(x, 0.3), [-0.6, 0, 1.5]);
  assertAllClose(cos(x), [Math.cos(-2), 1, Math.cos(1.5)]);
  assertAllClose(silu(x), [-2 * sig(-2), 0, 1.5 * sig(1.5)]);
  const g = (v: number): number =>
    0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)));
  assertAllClose(gelu(x, { approximate: "tanh" }), [g(-2), 0, g(1.5)]);
  // x·Φ(x) with Φ(−2) = 0.02275013194817921, Φ(1.5) = 0.9331927987311419 (CPython math.erf)
  assertAllClose(gelu(x), [-2 * 0.02275013194817921, 0, 1.5 * 0.9331927987311419], {
    rtol: 1e-13,
  });
  assertAllClose(softmax(f64([[1, 2, 3]])), [
    [1, Math.E, Math.E ** 2].map((v) => v / (1 + Math.E + Math.E ** 2)),
  ]);
  assertAllClose(logSoftmax(f64([[1, 2, 3]])), [
    [1, 2, 3].map((v) => v - Math.log(Math.E + Math.E ** 2 + Math.E ** 3)),
  ]);
  assertAllClose(maxout(f64([[1, 5, 3, 2, -1, -4]]), { pieces: 3 }), [[5, 2]]);
  assertAllClose(rbf(f64([[1, 2]]), f64([[1, 2], [2, 2], [1, 0]]), { sigma: 2 }), [[
    1,
    Math.exp(-1 / 4),
    Math.exp(-1),
  ]]);
});

Deno.test("tanh(z) = 2σ(2z) − 1 (Goodfellow et al. §6.3.2)", () => {
  const z = uniform([100], { low: -5, high: 5, dtype: "float64", rng: new Rng(1) });
  assertAllClose(tanh(z), sub(mul(sigmoid(mul(z, 2)), 2), 1));
});

Deno.test("activations stay finite and exact for |x| ≥ 100", () => {
  const x = f64([-1000, -100, 100, 1000]);
  assertAllClose(sigmoid(x), [0, sig(-100), 1, 1]);
  assertAllClose(softplus(x), [0, Math.log1p(Math.exp(-100)), 100, 1000]);
  assertAllClose(elu(x), [-1, Math.expm1(-100), 100, 1000]);
  assertAllClose(silu(x), [-0, -100 * sig(-100), 100, 1000]);
  assertAllClose(gelu(x), [-0, -0, 100, 1000]);
  assertAllClose(softmax(f64([[1000, 0], [-1000, -1000]])), [[1, 0], [0.5, 0.5]]);
  assertAllClose(logSoftmax(f64([[1000, 0]])), [[0, -1000]]);
  for (const fn of [sigmoid, softplus, elu, silu, gelu, tanh]) {
    const xg = tensor([-1000, -100, 100, 1000], { dtype: "float64", requiresGrad: true });
    backward(sum(fn(xg)));
    assert.ok(
      Array.from(xg.grad!.dataSync()).every(Number.isFinite),
      `${fn.name} gradient is finite`,
    );
  }
});

const cases: [string, (x: Tensor) => Tensor][] = [
  ["sigmoid", sigmoid],
  ["tanh", tanh],
  ["softplus", softplus],
  ["relu", relu],
  ["leakyRelu", (x) => leakyRelu(x, { alpha: 0.1 })],
  ["absoluteRectification", absoluteRectification],
  ["elu", (x) => elu(x, { alpha: 0.7 })],
  ["hardTanh", hardTanh],
  ["cos", cos],
  ["gelu", (x) => gelu(x)],
  ["gelu tanh", (x) => gelu(x, { approximate: "tanh" })],
  ["silu", silu],
  ["softmax axis 0", (x) => softmax(x, { axis: 0 })],
  ["logSoftmax", logSoftmax],
];
for (const [name, fn] of cases) {
  Deno.test(`${name}() passes gradcheck and gradgradcheck around its kinks`, () => {
    gradcheck(fn, [f64(POINTS)]);
    const x = uniform([3, 4], { low: -4, high: 4, dtype: "float64", rng: new Rng(name.length) });
    gradcheck(fn, [x]);
    gradgradcheck(fn, [f64(POINTS)]);
    gradgradcheck(fn, [x]);
  });
}

Deno.test("prelu() learns its slopes: gradcheck for input and per-channel α", () => {
  const rng = new Rng(4);
  gradcheck(prelu, [
    uniform([2, 3, 2], { low: -2, high: 2, dtype: "float64", rng }),
    f64([0.1, 0.2, 0.3]),
  ]);
  gradcheck(prelu, [f64(POINTS), f64([0.25])]);
  gradgradcheck(prelu, [f64(POINTS), f64([0.25])]);
  assert.throws(
    () => prelu(tensor([[1, 2]]), tensor([1, 2, 3])),
    /prelu: \[1,2\] × \[3\]: expects 1 or 2 slopes/,
  );
});

Deno.test("maxout() and rbf() pass gradcheck and gradgradcheck", () => {
  const rng = new Rng(8);
  gradcheck((x) => maxout(x, { pieces: 2, axis: 1 }), [
    uniform([2, 4, 3], { dtype: "float64", rng }),
  ]);
  gradcheck((x, c) => rbf(x, c, { sigma: 1.5 }), [
    uniform([3, 2], { dtype: "float64", rng }),
    uniform([4, 2], { dtype: "float64", rng }),
  ]);
  gradgradcheck((x) => maxout(x, { pieces: 2, axis: 1 }), [
    uniform([2, 4, 3], { dtype: "float64", rng }),
  ]);
  gradgradcheck((x, c) => rbf(x, c, { sigma: 1.5 }), [
    uniform([3, 2], { dtype: "float64", rng }),
    uniform([4, 2], { dtype: "float64", rng }),
  ]);
  assert.throws(
    () => maxout(tensor([[1, 2, 3]]), { pieces: 2 }),
    /maxout: \[1,3\]: axis 1 of size 3 does not split into groups of 2 pieces/,
  );
});

Deno.test("subgradients at the kinks follow the documented convention", () => {
  const at = (fn: (x: Tensor) => Tensor, v: number): number => {
    const x = tensor([v], { dtype: "float64", requiresGrad: true });
    backward(sum(fn(x)));
    return x.grad!.item();
  };
  assert.equal(at(relu, 0), 0);
  assert.equal(at(step, 0), 0);
  assert.equal(at((x) => leakyRelu(x, { alpha: 0.1 }), 0), 0.1);
  assert.equal(at(absoluteRectification, 0), -1);
  assert.equal(at(elu, 0), 1);
  // as PyTorch's F.hardtanh: 0 at the ends, 1 strictly inside
  assert.equal(at(hardTanh, 1), 0);
  assert.equal(at(hardTanh, -1), 0);
  assert.equal(at(hardTanh, 0.999), 1);
  assert.equal(at((x) => hardTanh(x, { minVal: 0, maxVal: 6 }), 6), 0);
  assert.equal(at((x) => maxout(x, { pieces: 1 }), 0), 1);
});
