import assert from "node:assert/strict";
import { adamStep, Rng, type Tensor, tensor, uniform } from "@kiso/tensor";
import { withoutKernels } from "../_test_utils.ts";

const HYPER = { beta1: 0.9, beta2: 0.999, eps: 1e-8, lr: 0.01, step: 3 };

Deno.test("adamStep() matches the update computed by hand", () => {
  const f64 = (values: number[]): Tensor => tensor(values, { dtype: "float64" });
  const [p, m, v] = adamStep(f64([1, -2]), f64([0.5, 3]), f64([0.1, 0]), f64([0.2, 1]), HYPER);
  const { beta1, beta2, eps, lr, step } = HYPER;
  const expected = [[1, 0.5, 0.1, 0.2], [-2, 3, 0, 1]].map(([p0, g, m0, v0]) => {
    const m1 = m0 * beta1 + g * (1 - beta1);
    const v1 = v0 * beta2 + g * g * (1 - beta2);
    const update = (m1 / (1 - beta1 ** step)) / (Math.sqrt(v1 / (1 - beta2 ** step)) + eps) * lr;
    return [p0 - update, m1, v1];
  });
  for (const [k, t] of [p, m, v].entries()) {
    const got = t.arraySync() as number[];
    got.forEach((x, i) => assert.ok(Math.abs(x - expected[i][k]) <= 1e-15 * Math.abs(x)));
  }
});

for (const dtype of ["float32", "float64"] as const) {
  Deno.test(`adamStep() fused kernel equals the composed ops bit for bit (${dtype})`, () => {
    const rng = new Rng(3);
    const [p, g, m, v] = [0, 1, 2, 3].map(() => uniform([5, 7], { dtype, rng }));
    const fused = adamStep(p, g, m, v, HYPER).map((t) => t!.dataSync());
    const reference = withoutKernels(
      ["adamStep"],
      () => adamStep(p, g, m, v, HYPER).map((t) => t!.dataSync()),
    );
    assert.deepEqual(fused, reference);
  });
}

Deno.test("adamStep() with vMax (AMSGrad) divides by the largest second moment and returns it", () => {
  const f64 = (values: number[]): Tensor => tensor(values, { dtype: "float64" });
  const [p, m, v, vMax] = adamStep(f64([1, 1]), f64([0.5, 0.5]), f64([0, 0]), f64([0, 0]), {
    ...HYPER,
    step: 1,
    vMax: f64([0.5, 0]),
  });
  const { beta1, beta2, eps, lr } = HYPER;
  const m1 = 0.5 * (1 - beta1);
  const v1 = 0.25 * (1 - beta2);
  assert.deepEqual(m.arraySync(), [m1, m1]);
  assert.deepEqual(v.arraySync(), [v1, v1]);
  assert.deepEqual(vMax!.arraySync(), [0.5, v1]);
  const step = (vHat: number): number =>
    1 - (m1 / (1 - beta1)) / (Math.sqrt(vHat / (1 - beta2)) + eps) * lr;
  const got = p.arraySync() as number[];
  [step(0.5), step(v1)].forEach((x, i) => assert.ok(Math.abs(got[i] - x) < 1e-15));
  assert.equal(adamStep(f64([1]), f64([1]), f64([0]), f64([0]), HYPER).length, 3);
});

Deno.test("adamStep() refuses int32 tensors, mismatched shapes and unknown options", () => {
  const x = tensor([1, 2]);
  assert.throws(
    () => adamStep(tensor([1, 2], { dtype: "int32" }), x, x, x, HYPER),
    { name: "TypeError", message: /adamStep: expects a float32 or float64 tensor: got int32/ },
  );
  assert.throws(
    () => adamStep(x, tensor([1, 2, 3]), x, x, HYPER),
    { name: "ShapeError", message: /adamStep: \[2\] × \[3\] × \[2\] × \[2\]: parameter, gradient/ },
  );
  assert.throws(
    () => adamStep(x, x, x, x, { ...HYPER, amsgrad: true } as typeof HYPER),
    { name: "TypeError", message: /adamStep: unknown option "amsgrad"/ },
  );
});
