import assert from "node:assert/strict";
import { assertClose } from "./_test_utils.ts";
import {
  add,
  exp,
  hessian,
  hvp,
  jacobian,
  jvp,
  matmul,
  mul,
  noGrad,
  normal,
  reshape,
  Rng,
  sigmoid,
  sin,
  square,
  sum,
  tanh,
  type Tensor,
  tensor,
  transpose,
  vjp,
} from "./mod.ts";

const rng = new Rng(613);
const f64 = (shape: number[]): Tensor => normal(shape, { dtype: "float64", rng });
const column = (t: Tensor): Tensor => reshape(t, [t.size, 1]);

/** A small two-input network loss: Σ sigmoid(W·tanh(x))² + Σ x·sin(x), with x ∈ R⁴, W ∈ R³ˣ⁴. */
const network = (x: Tensor, w: Tensor): Tensor =>
  add(sum(square(sigmoid(matmul(w, tanh(x))))), sum(mul(x, sin(x))));

Deno.test("hvp() is H·v, H from hessian(), on random small problems", () => {
  for (let trial = 0; trial < 5; trial++) {
    const inputs = [f64([4]), f64([3, 4])];
    const v = [f64([4]), f64([3, 4])];
    const { hvp: hv } = hvp(network, inputs, v);
    const blocks = hessian(network, inputs);
    // (Hv)ₐ = Σ_b H_ab·v_b, with each block flattened to a matrix
    inputs.forEach((xa, a) => {
      const expected = noGrad(() =>
        blocks[a].map((h, b) => matmul(reshape(h, [xa.size, inputs[b].size]), column(v[b])))
          .reduce((p, q) => add(p, q))
      );
      assertClose(column(hv[a]), expected, { atol: 1e-12, rtol: 1e-10 });
    });
  }
});

Deno.test("hvp() of ½xᵀAx is A·v, the material's Hv = ∇ₓ[(∇ₓf)ᵀv]", () => {
  const b = f64([5, 5]);
  const a = noGrad(() => add(b, transpose(b)));
  const quadratic = (x: Tensor): Tensor => mul(sum(mul(x, matmul(a, x))), 0.5);
  const v = f64([5]);
  const { output, hvp: [hv] } = hvp(quadratic, [f64([5])], [v]);
  assert.equal(output.requiresGrad, false);
  assertClose(hv, matmul(a, v), { atol: 1e-12 });
  const [[h]] = hessian(quadratic, [f64([5])]);
  assertClose(h, a, { atol: 1e-12 });
});

Deno.test("jvp() agrees with vjp() transposed on random linear maps", () => {
  for (const [m, n] of [[3, 5], [6, 2], [1, 4]]) {
    const a = f64([m, n]);
    const linear = (x: Tensor): Tensor => matmul(a, x);
    const x = f64([n]);
    const t = f64([n]);
    const u = f64([m]);
    const { jvp: jt } = jvp(linear, [x], [t]);
    const { vjp: [jtu] } = vjp(linear, [x], u);
    assertClose(jt, matmul(a, t), { atol: 1e-12 });
    assertClose(jtu, matmul(transpose(a), u), { atol: 1e-12 });
    // uᵀ(J t) = (Jᵀ u)ᵀ t
    assertClose(sum(mul(u, jt)), sum(mul(jtu, t)), { atol: 1e-12 });
  }
});

Deno.test("jvp() agrees with central differences on nonlinear functions", () => {
  const fns: ((x: Tensor, y: Tensor) => Tensor)[] = [
    (x, y) => mul(tanh(x), exp(y)),
    (x, y) => matmul(reshape(sigmoid(x), [2, 3]), reshape(sin(y), [3, 2])),
  ];
  for (const f of fns) {
    const x = f64([6]);
    const y = f64([6]);
    const tx = f64([6]);
    const ty = f64([6]);
    const { output, jvp: jt } = jvp(f, [x, y], [tx, ty]);
    const eps = 1e-6;
    const shifted = (s: number): Tensor => noGrad(() => f(add(x, mul(tx, s)), add(y, mul(ty, s))));
    const numeric = noGrad(() => mul(add(shifted(eps), mul(shifted(-eps), -1)), 1 / (2 * eps)));
    assertClose(output, noGrad(() => f(x, y)));
    assertClose(jt, numeric, { atol: 1e-8, rtol: 1e-7 });
  }
});

Deno.test("jacobian() is the same in forward and reverse mode", () => {
  const w = f64([3, 4]);
  const f = (x: Tensor, b: Tensor): Tensor => tanh(add(matmul(w, x), b));
  const inputs = [f64([4, 2]), f64([3, 2])];
  const reverse = jacobian(f, inputs);
  const forward = jacobian(f, inputs, { mode: "forward" });
  assert.deepEqual(reverse[0].shape, [3, 2, 4, 2]);
  assert.deepEqual(reverse[1].shape, [3, 2, 3, 2]);
  reverse.forEach((j, k) => assertClose(forward[k], j, { atol: 1e-12 }));
});

Deno.test("createGraph keeps a transform's result differentiable (third derivative of x⁴)", () => {
  const x = tensor([2], { dtype: "float64", requiresGrad: true });
  const quartic = (x: Tensor): Tensor => sum(mul(square(x), square(x)));
  const { hvp: [h] } = hvp(quartic, [x], [tensor([1], { dtype: "float64" })], {
    createGraph: true,
  });
  assert.equal(h.item(), 48); // 12x²
  h.backward();
  assert.equal(x.grad!.item(), 48); // 24x
});

Deno.test("transforms refuse a non-scalar hvp, mismatched vectors and int32 inputs", () => {
  assert.throws(
    () => hvp((x) => mul(x, x), [f64([2])], [f64([2])]),
    /hvp: the function must return one element: got \[2\]/,
  );
  assert.throws(
    () => jvp((x) => mul(x, x), [f64([2])], [f64([3])]),
    /jvp: tangents \[3\] float64 must match \[2\] float64/,
  );
  assert.throws(
    () => vjp((x) => x, [tensor([1], { dtype: "int32" })]),
    /vjp: input 0 is int32: only float inputs can be differentiated/,
  );
});

Deno.test("transforms of functions that ignore an input give zeros for it", () => {
  const f = (x: Tensor, _unused: Tensor): Tensor => sum(square(x));
  const { vjp: [, dz] } = vjp(f, [f64([2]), f64([3])]);
  assert.deepEqual(Array.from(dz.dataSync()), [0, 0, 0]);
  const [[, xz]] = hessian(f, [f64([2]), f64([3])]);
  assert.deepEqual(xz.shape, [2, 3]);
});
