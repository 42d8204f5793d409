import assert from "node:assert/strict";
import {
  add,
  type Backend,
  backward,
  enableGrad,
  exp,
  getBackend,
  grad,
  isGradEnabled,
  matmul,
  mul,
  noGrad,
  recordFusedOp,
  recordOp,
  setBackend,
  sin,
  sum,
  tensor,
  transpose,
} from "./mod.ts";

Deno.test("backward() accumulates through shared inputs (a diamond graph)", () => {
  const x = tensor([2], { requiresGrad: true });
  const a = mul(x, 3);
  const b = mul(x, x);
  backward(add(a, b)); // d/dx (3x + x²) = 3 + 2x
  assert.deepEqual(x.grad!.arraySync(), [7]);
});

Deno.test("backward() adds into .grad across calls until it is reset", () => {
  const x = tensor([1, 2], { requiresGrad: true });
  backward(sum(x));
  backward(sum(mul(x, 2)));
  assert.deepEqual(x.grad!.arraySync(), [3, 3]);
  x.grad = null;
  backward(sum(x));
  assert.deepEqual(x.grad!.arraySync(), [1, 1]);
});

Deno.test("backward() visits each node once on a deep chain", () => {
  const x = tensor([1], { dtype: "float64", requiresGrad: true });
  let y = x;
  for (let i = 0; i < 10000; i++) y = add(y, 0);
  backward(y);
  assert.deepEqual(x.grad!.arraySync(), [1]);
});

Deno.test("backward() takes an explicit gradient for non-scalar outputs", () => {
  const w = tensor([[1, 2], [3, 4]], { requiresGrad: true });
  const y = matmul(tensor([[1, 1]]), w);
  assert.throws(
    () => backward(y),
    /backward: \[1,2\]: a gradient is needed for an output that is not a scalar/,
  );
  assert.throws(
    () => backward(y, tensor([1, 1])),
    /backward: gradient \[2\] float32 does not match output \[1,2\] float32/,
  );
  backward(y, tensor([[1, 0]]));
  assert.deepEqual(w.grad!.arraySync(), [[1, 0], [1, 0]]);
});

Deno.test("backward() refuses a tensor that does not require grad", () => {
  assert.throws(() => backward(sum(tensor([1]))), /backward: the tensor does not require grad/);
});

Deno.test("noGrad() records nothing and restores the mode, even after a throw", () => {
  const x = tensor([1], { requiresGrad: true });
  assert.equal(noGrad(() => exp(x)).requiresGrad, false);
  assert.throws(() =>
    noGrad(() => {
      throw new Error("boom");
    })
  );
  assert.equal(isGradEnabled(), true);
  assert.equal(exp(x).requiresGrad, true);
});

Deno.test("detach() cuts the graph", () => {
  const x = tensor([3], { requiresGrad: true });
  const y = mul(x, x.detach());
  backward(y);
  assert.deepEqual(x.grad!.arraySync(), [3]);
});

Deno.test("recordOp() checks the gradients a custom op returns", () => {
  const x = tensor([1, 2], { requiresGrad: true });
  const y = recordOp(mul(x.detach(), 2), [x], "bad", () => [tensor([1])]);
  assert.throws(
    () => backward(sum(y)),
    /backward: bad gave a gradient \[1\] float32 for an input \[2\] float32/,
  );
});

Deno.test("int32 inputs never carry gradients", () => {
  const x = tensor([1, 2], { requiresGrad: true });
  const mask = tensor([1, 0]);
  backward(sum(mul(x, mask)));
  assert.deepEqual(x.grad!.arraySync(), [1, 0]);
  assert.equal(mask.grad, null);
});

Deno.test("backward() frees the walked graph unless retainGraph is set", () => {
  const x = tensor([1, 2], { requiresGrad: true });
  const y = sum(mul(x, x));
  backward(y);
  assert.throws(() => backward(y), {
    name: "TypeError",
    message:
      /backward: the graph through (sum|mul) was already walked and its saved tensors freed: pass retainGraph: true/,
  });
  const z = sum(mul(x, x));
  x.grad = null;
  backward(z, { retainGraph: true });
  backward(z);
  assert.deepEqual(x.grad!.arraySync(), [4, 8]);
});

Deno.test("backward() with createGraph leaves differentiable gradients (d²/dx² sin = −sin)", () => {
  const x = tensor([0.5, 1], { dtype: "float64", requiresGrad: true });
  backward(sum(sin(x)), { createGraph: true });
  const first = x.grad!;
  assert.ok(first.requiresGrad);
  x.grad = null;
  backward(sum(first));
  assert.deepEqual(x.grad!.arraySync(), [-Math.sin(0.5), -Math.sin(1)]);
});

Deno.test("grad() returns gradients without touching .grad, for leaves and intermediates", () => {
  const x = tensor([3], { requiresGrad: true });
  const h = mul(x, x);
  const y = mul(h, 2);
  const [dh, dx] = grad(y, [h, x]);
  assert.deepEqual([dh!.item(), dx!.item()], [2, 12]);
  assert.equal(x.grad, null);
  assert.equal(dx!.requiresGrad, false);
});

Deno.test("grad() sums over several outputs with their gradOutputs", () => {
  const x = tensor([1, 2], { requiresGrad: true });
  const [dx] = grad([mul(x, 3), mul(x, x)], [x], {
    gradOutputs: [tensor([1, 1]), tensor([10, 10])],
  });
  assert.deepEqual(dx!.arraySync(), [23, 43]); // 3 + 10·2x
});

Deno.test("grad() refuses unused inputs unless allowUnused, and misshaped gradOutputs", () => {
  const x = tensor([1], { requiresGrad: true });
  const unused = tensor([1], { requiresGrad: true });
  assert.throws(
    () => grad(sum(x), [x, unused], { retainGraph: true }),
    /grad: input 1 \[1\] was not used to compute the outputs: pass allowUnused: true/,
  );
  assert.deepEqual(grad(sum(x), [x, unused], { allowUnused: true })[1], null);
  assert.throws(
    () => grad(mul(x, 2), [x], { gradOutputs: tensor([1, 2]) }),
    /grad: gradient \[2\] float32 does not match output \[1\] float32/,
  );
  assert.throws(() => grad(tensor([1]), [x]), /grad: output 0 does not require grad/);
  assert.throws(() => grad(sum(x), [tensor([1])]), /grad: input 0 does not require grad/);
});

Deno.test("grad() of grad() composes to third derivatives (x⁴ → 24x)", () => {
  const x = tensor([2], { dtype: "float64", requiresGrad: true });
  const f = mul(mul(x, x), mul(x, x));
  const [d1] = grad(f, [x], { createGraph: true });
  const [d2] = grad(d1!, [x], { createGraph: true });
  const [d3] = grad(d2!, [x]);
  assert.deepEqual([d1!.item(), d2!.item(), d3!.item()], [32, 48, 48]);
});

Deno.test("enableGrad() records inside noGrad()", () => {
  const x = tensor([1], { requiresGrad: true });
  const y = noGrad(() => enableGrad(() => mul(x, 2)));
  assert.equal(y.requiresGrad, true);
});

Deno.test("recordFusedOp() uses the fast backward at first order and the composed one at second", () => {
  let fastCalls = 0;
  const cube = (x: ReturnType<typeof tensor>) =>
    recordFusedOp(noGrad(() => mul(mul(x, x), x)), [x], "cube", (g) => {
      fastCalls++;
      return [mul(g, mul(mul(x, x), 3))];
    }, () => mul(mul(x, x), x));
  const x = tensor([2], { dtype: "float64", requiresGrad: true });
  backward(cube(x));
  assert.equal(fastCalls, 1);
  const [d1] = grad(cube(x), [x], { createGraph: true });
  const [d2] = grad(d1!, [x]);
  assert.equal(fastCalls, 1);
  assert.deepEqual([d1!.item(), d2!.item()], [12, 12]);
});

Deno.test("backward() tells each op which inputs need a gradient", () => {
  const x = tensor([[1, 2], [3, 4]]);
  const w = tensor([[1, 0], [0, 2]], { requiresGrad: true });
  const seen: boolean[][] = [];
  const y = recordOp(matmul(x, w), [x, w], "spy", (g, needed) => {
    seen.push([...needed]);
    return [null, matmul(transpose(x), g)];
  });
  backward(sum(y));
  assert.deepEqual(seen, [[false, true]]);
  assert.deepEqual(w.grad!.arraySync(), [[4, 4], [6, 6]]);
});

Deno.test("matmul's backward computes no gradient for an input that needs none", () => {
  const cpu = getBackend();
  let products = 0;
  const counting: Backend = Object.assign(Object.create(cpu), {
    matmul: (...args: Parameters<Backend["matmul"]>) => {
      products++;
      return cpu.matmul(...args);
    },
  });
  setBackend(counting);
  try {
    const x = tensor([[1, 2], [3, 4]]);
    const w = tensor([[1, 0], [0, 2]], { requiresGrad: true });
    backward(sum(matmul(x, w)));
    // the forward and dW = xᵀ·g; no dx
    assert.equal(products, 2);
    assert.deepEqual(w.grad!.arraySync(), [[4, 4], [6, 6]]);
  } finally {
    setBackend(cpu);
  }
});
