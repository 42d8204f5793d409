import assert from "node:assert/strict";
import {
  add,
  backward,
  exp,
  isGradEnabled,
  matmul,
  mul,
  noGrad,
  recordOp,
  sum,
  tensor,
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
