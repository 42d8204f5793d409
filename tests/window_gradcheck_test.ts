/**
 * Convolution and pooling against central differences in float64 (course notes Algorithms 10 and
 * 11), over strides {1, 2, 3}, paddings {0, 1, 2, same}, kernels {1, 3, 5}, non-square inputs
 * and several channels; pooling in every mode, ties included. Second derivatives too
 * (gradgradcheck): im2col and col2im are each other's gradient, and pooling's backward is
 * differentiated through its windows.
 */
import { gradcheck, gradgradcheck } from "@kiso/testing";
import * as k from "@kiso/tensor";
import assert from "node:assert/strict";
import { onEveryBackend } from "./backends.ts";

const rng = new k.Rng(99);
const f64 = (shape: number[]): k.Tensor =>
  k.uniform(shape, { low: -1, high: 1, dtype: "float64", rng });

onEveryBackend("gradcheck linear with and without bias, batched leading dimensions", () => {
  gradcheck(k.linear, [f64([4, 3]), f64([5, 3]), f64([5])]);
  gradcheck((x, w) => k.linear(x, w), [f64([2, 3, 4]), f64([2, 4])]);
  gradgradcheck(k.linear, [f64([4, 3]), f64([5, 3]), f64([5])]);
  gradgradcheck((x, w) => k.linear(x, w), [f64([2, 3, 4]), f64([2, 4])]);
});

for (const kernel of [1, 3, 5]) {
  for (const stride of [1, 2, 3]) {
    for (const padding of [0, 1, 2, "same"] as const) {
      if (padding === "same" && stride !== 1) continue;
      onEveryBackend(
        `gradcheck conv2d kernel ${kernel} stride ${stride} padding ${padding}`,
        () => {
          const x = f64([2, 2, 7, 6]);
          const w = f64([3, 2, kernel, kernel]);
          const b = f64([3]);
          const report = gradcheck((x, w, b) => k.conv2d(x, w, { stride, padding, bias: b }), [
            x,
            w,
            b,
          ]);
          assert.ok(report.checked > 0);
          if (kernel === 3) {
            const small = [f64([1, 2, 5, 4]), f64([2, 2, 3, 3]), f64([2])];
            const conv = (x: k.Tensor, w: k.Tensor, b: k.Tensor) =>
              k.conv2d(k.tanh(x), w, { stride, padding, bias: b });
            assert.ok(gradgradcheck(conv, small).checked > 0);
          }
        },
      );
    }
  }
}

onEveryBackend("gradcheck conv2d with a rectangular kernel, pairs of strides and dilation", () => {
  const conv = (x: k.Tensor, w: k.Tensor) =>
    k.conv2d(x, w, { stride: [2, 1], padding: [1, 2], dilation: [1, 2] });
  gradcheck(conv, [f64([1, 3, 6, 9]), f64([2, 3, 3, 2])]);
  gradgradcheck(conv, [f64([1, 2, 5, 7]), f64([2, 2, 3, 2])]);
});

for (
  const [name, pool] of [
    ["maxPool2d", (x: k.Tensor) => k.maxPool2d(x, 2)],
    ["maxPool2d overlapping padded", (x: k.Tensor) => k.maxPool2d(x, 3, { stride: 2, padding: 1 })],
    ["avgPool2d", (x: k.Tensor) => k.avgPool2d(x, 2)],
    [
      "avgPool2d overlapping padded",
      (x: k.Tensor) => k.avgPool2d(x, [3, 2], { stride: [1, 2], padding: [1, 0] }),
    ],
    ["lpPool2d p=3 mean", (x: k.Tensor) => k.lpPool2d(k.abs(x), 3, 2)],
    ["lpPool2d p=2 sum", (x: k.Tensor) => k.lpPool2d(x, 2, 2, { form: "sum", stride: 1 })],
  ] as const
) {
  onEveryBackend(`gradcheck ${name}`, () => {
    gradcheck(pool, [f64([2, 3, 6, 5])]);
  });
  onEveryBackend(`gradgradcheck ${name}`, () => {
    // squared so that the pool's backward meets a gradient that depends on the input
    gradgradcheck((x) => k.square(pool(x)), [f64([1, 2, 6, 5])]);
  });
}

onEveryBackend("gradcheck maxPool2d with split ties stays within the subgradient", () => {
  // Away from ties the split rule is the ordinary gradient; at a tie the central difference of
  // max is itself the even split, so split passes while first does not.
  const tied = k.tensor([[[[1, 1], [0, 0]]]], { dtype: "float64" });
  gradcheck((x) => k.maxPool2d(x, 2, { tie: "split" }), [tied], { eps: 1e-7 });
  assert.throws(() => gradcheck((x) => k.maxPool2d(x, 2, { tie: "first" }), [tied], { eps: 1e-7 }));
});

onEveryBackend("maxPool2d's second derivative keeps the tie rule of its first", () => {
  const tied = k.tensor([[[[1, 1], [0, 1]]]], { dtype: "float64", requiresGrad: true });
  const weights = { first: [[1, 0], [0, 0]], split: [[1 / 3, 1 / 3], [0, 1 / 3]] };
  for (const tie of ["first", "split"] as const) {
    // f = maxPool(x)² = (Σ w·x)² with the rule's weights w: Σ ∂f/∂x = 2·(Σ w·x)·Σw, whose
    // gradient is 2w
    const [dx] = k.grad(k.sum(k.square(k.maxPool2d(tied, 2, { tie }))), [tied], {
      createGraph: true,
    });
    const [ddx] = k.grad(k.sum(dx!), [tied]);
    assert.deepEqual(ddx!.arraySync(), [[weights[tie].map((r) => r.map((w) => 2 * w))]], tie);
  }
  // the random rule's choice cannot be replayed by differentiable ops: a recorded backward refuses
  const random = k.tensor([[[[1, 1], [0, 1]]]], { dtype: "float64", requiresGrad: true });
  const y = k.sum(k.square(k.maxPool2d(random, 2, { tie: "random" })));
  assert.throws(
    () => k.grad(y, [random], { createGraph: true }),
    /maxPool2d: tie "random" cannot be differentiated twice: use "first" or "split"/,
  );
});

onEveryBackend(
  "maxPool2d backward sends a NaN window's gradient to its last NaN, as the forward picks it",
  () => {
    for (const tie of ["first", "split", "random"] as const) {
      const x = k.tensor([[[[1, NaN], [NaN, 4]]]], { requiresGrad: true });
      const y = k.maxPool2d(x, 2, { tie });
      assert.ok(Number.isNaN(y.item()));
      y.backward(k.tensor([[[[1]]]]));
      assert.deepEqual(x.grad!.arraySync(), [[[[0, 0], [1, 0]]]], tie);
    }
  },
);
