import assert from "node:assert/strict";
import { createCpuBackend } from "../cpu/mod.ts";
import {
  avgPool2d,
  type Backend,
  backward,
  conv2d,
  getBackend,
  lpPool2d,
  maxPool2d,
  mul,
  ones,
  Rng,
  setBackend,
  slice,
  sum,
  tensor,
  uniform,
} from "../mod.ts";

/** Direct convolution by the index ranges of course notes Algorithm 6. */
function reference(
  x: ArrayLike<number>,
  [n, c, h, w]: number[],
  f: ArrayLike<number>,
  [o, , kh, kw]: number[],
  s: number,
  p: number,
): { shape: number[]; values: number[] } {
  const oh = Math.floor((h + 2 * p - kh) / s) + 1;
  const ow = Math.floor((w + 2 * p - kw) / s) + 1;
  const values: number[] = [];
  for (let b = 0; b < n; b++) {
    for (let m = 0; m < o; m++) {
      for (let i = 0; i < oh; i++) {
        for (let j = 0; j < ow; j++) {
          let acc = 0;
          for (let k = 0; k < c; k++) {
            for (let r = 0; r < kh; r++) {
              for (let q = 0; q < kw; q++) {
                const y = i * s - p + r;
                const xx = j * s - p + q;
                if (y >= 0 && y < h && xx >= 0 && xx < w) {
                  acc += x[((b * c + k) * h + y) * w + xx] * f[((m * c + k) * kh + r) * kw + q];
                }
              }
            }
          }
          values.push(acc);
        }
      }
    }
  }
  return { shape: [n, o, oh, ow], values };
}

Deno.test("conv2d() equals the direct sums of Algorithm 6", async (t) => {
  const rng = new Rng(1);
  for (
    const [xs, ws, s, p] of [
      [[1, 1, 5, 5], [1, 1, 3, 3], 1, 0],
      [[2, 3, 7, 6], [4, 3, 3, 3], 2, 1],
      [[1, 2, 9, 8], [3, 2, 5, 5], 3, 2],
      [[2, 1, 4, 7], [2, 1, 1, 1], 1, 0],
    ] as [number[], number[], number, number][]
  ) {
    await t.step(`x [${xs}] w [${ws}] stride ${s} padding ${p}`, () => {
      const x = uniform(xs, { dtype: "float64", rng });
      const w = uniform(ws, { dtype: "float64", rng });
      const y = conv2d(x, w, { stride: s, padding: p });
      const expected = reference(x.dataSync(), xs, w.dataSync(), ws, s, p);
      assert.deepEqual(y.shape, expected.shape);
      Array.from(y.dataSync()).forEach((v, i) =>
        assert.ok(Math.abs(v - expected.values[i]) < 1e-12)
      );
    });
  }
});

Deno.test("conv2d() output sizes follow d′ = ⌊(d + 2α − H)/β⌋ + 1, and same/valid padding", () => {
  const x = uniform([1, 1, 28, 28]);
  assert.deepEqual(conv2d(x, uniform([8, 1, 5, 5]), { padding: 2 }).shape, [1, 8, 28, 28]);
  assert.deepEqual(conv2d(x, uniform([8, 1, 5, 5]), { padding: "valid", stride: 3 }).shape, [
    1,
    8,
    8,
    8,
  ]);
  assert.deepEqual(conv2d(x, uniform([2, 1, 4, 2]), { padding: "same" }).shape, [1, 2, 28, 28]);
  assert.deepEqual(conv2d(x, uniform([2, 1, 3, 3]), { dilation: 2 }).shape, [1, 2, 24, 24]);
  assert.deepEqual(
    conv2d(uniform([1, 1, 7, 10]), uniform([1, 1, 3, 3]), { stride: [2, 3] }).shape,
    [1, 1, 3, 3],
  );
});

Deno.test("conv2d() refuses impossible configurations, naming the shapes", () => {
  const x = uniform([1, 3, 4, 4]);
  assert.throws(() => conv2d(x, uniform([2, 2, 3, 3])), {
    name: "ShapeError",
    message: "conv2d: [1,3,4,4] × [2,2,3,3]: input has 3 channels, filters expect 2",
  });
  assert.throws(
    () => conv2d(x, uniform([2, 3, 5, 5])),
    /conv2d: \[1,3,4,4\]: window 5×5 is larger than the padded input 4×4/,
  );
  assert.throws(
    () => conv2d(x, uniform([2, 3, 3, 3]), { stride: 0 }),
    /conv2d: stride must be integers >= 1: current value is 0/,
  );
  assert.throws(
    () => conv2d(x, uniform([2, 3, 3, 3]), { padding: "same", stride: 2 }),
    /padding "same" needs stride 1/,
  );
  assert.throws(
    () => conv2d(uniform([3, 4, 4]), uniform([2, 3, 3, 3])),
    /expects an input \[batch, channels, height, width\]/,
  );
});

Deno.test("maxPool2d() and avgPool2d() follow Algorithm 7", () => {
  const x = tensor([[[[1, 5, 2, 0], [3, 4, 8, 1], [0, 0, 1, 1], [9, 2, 1, 3]]]]);
  assert.deepEqual(maxPool2d(x, 2).arraySync(), [[[[5, 8], [9, 3]]]]);
  assert.deepEqual(avgPool2d(x, 2).arraySync(), [[[[3.25, 2.75], [2.75, 1.5]]]]);
  assert.deepEqual(maxPool2d(x, 3, { stride: 1 }).arraySync(), [[[[8, 8], [9, 8]]]]);
  assert.deepEqual(maxPool2d(tensor([[[[-1, -2], [-3, -4]]]]), 2, { padding: 1 }).arraySync(), [[[[
    -1,
    -2,
  ], [-3, -4]]]]);
  assert.deepEqual(avgPool2d(tensor([[[[4]]]]), 2, { padding: 1, stride: 1 }).arraySync(), [[[[
    1,
    1,
  ], [1, 1]]]]);
  assert.deepEqual(lpPool2d(tensor([[[[1, 1], [1, 1]]]]), 3, 2).arraySync(), [[[[1]]]]);
});

Deno.test("maxPool2d() shares tied maxima by the chosen rule (course notes note 4)", () => {
  const gradOf = (tie: "first" | "split" | "random", seed = 0): number[] => {
    const x = tensor([[[[7, 7], [1, 7]]]], { requiresGrad: true });
    backward(sum(maxPool2d(x, 2, { tie, rng: new Rng(seed) })));
    return Array.from(x.grad!.dataSync());
  };
  assert.deepEqual(gradOf("first"), [1, 0, 0, 0]);
  assert.deepEqual(
    gradOf("split").map((v) => Math.round(v * 3) / 3),
    [1 / 3, 1 / 3, 0, 1 / 3].map((v) => Math.round(v * 3) / 3),
  );
  const picks = new Set<string>();
  for (let seed = 0; seed < 20; seed++) {
    const g = gradOf("random", seed);
    assert.equal(g.reduce((a, b) => a + b), 1);
    assert.equal(g[2], 0);
    picks.add(g.join());
  }
  assert.equal(picks.size, 3);
  assert.deepEqual(gradOf("random", 5), gradOf("random", 5));
});

Deno.test("conv2d() with groups convolves each group of channels with its own filters", () => {
  const rng = new Rng(5);
  const x = uniform([2, 6, 5, 4], { dtype: "float64", rng });
  const w = uniform([9, 2, 3, 2], { dtype: "float64", rng });
  const y = conv2d(x, w, { groups: 3, stride: [2, 1], padding: 1 });
  // the same as three separate convolutions over channel slices, joined
  for (let g = 0; g < 3; g++) {
    const part = conv2d(
      slice(x, [null, [2 * g, 2 * g + 2]]),
      slice(w, [[3 * g, 3 * g + 3]]),
      { stride: [2, 1], padding: 1 },
    );
    const mine = slice(y, [null, [3 * g, 3 * g + 3]]);
    Array.from(mine.dataSync()).forEach((v, i) =>
      assert.ok(Math.abs(v - part.dataSync()[i]) < 1e-12)
    );
  }
  // depthwise: one 1×1 filter per channel scales it
  const dw = conv2d(tensor([[[[1, 2]], [[3, 4]]]]), tensor([[[[2]]], [[[-1]]]]), { groups: 2 });
  assert.deepEqual(dw.arraySync(), [[[[2, 4]], [[-3, -4]]]]);
});

Deno.test("conv2d() paddingMode reads the reflected, replicated or wrapped input at the borders", () => {
  const x = tensor([[[[1, 2], [3, 4]]]]);
  const sum3 = ones([1, 1, 3, 3]);
  assert.deepEqual(conv2d(x, sum3, { padding: 1 }).arraySync(), [[[[10, 10], [10, 10]]]]);
  // replicate: 1 1 2 2 / 1 1 2 2 / 3 3 4 4 / 3 3 4 4; circular: 4 3 4 3 / 2 1 2 1 / 4 3 4 3 / …
  const replicate = conv2d(x, sum3, { padding: 1, paddingMode: "replicate" });
  assert.deepEqual(replicate.arraySync(), [[[[18, 21], [24, 27]]]]);
  const circular = conv2d(x, sum3, { padding: 1, paddingMode: "circular" });
  assert.deepEqual(circular.arraySync(), [[[[27, 24], [21, 18]]]]);
  const row = tensor([[[[1, 2, 3]]]]);
  assert.deepEqual(
    conv2d(row, ones([1, 1, 1, 3]), { padding: [0, 1], paddingMode: "reflect" }).arraySync(),
    [[[[5, 6, 7]]]],
  );
});

Deno.test("conv2d() refuses groups that do not fit and unknown options", () => {
  const x = uniform([1, 4, 5, 5]);
  assert.throws(() => conv2d(x, uniform([4, 1, 3, 3]), { groups: 2 }), {
    name: "ShapeError",
    message: "conv2d: [1,4,5,5] × [4,1,3,3]: input has 4 channels, filters expect 1 × groups 2 = 2",
  });
  assert.throws(() => conv2d(x, uniform([3, 2, 3, 3]), { groups: 2 }), {
    message: "conv2d: [1,4,5,5] × [3,2,3,3]: 3 filters do not divide into 2 groups",
  });
  assert.throws(() => conv2d(x, uniform([4, 2, 3, 3]), { groups: 0 }), {
    name: "RangeError",
    message: "conv2d: groups must be a positive integer: current value is 0",
  });
  assert.throws(
    () =>
      conv2d(uniform([1, 4, 2, 5]), uniform([4, 4, 3, 3]), { padding: 2, paddingMode: "reflect" }),
    {
      name: "RangeError",
      message:
        'conv2d: [1,4,2,5]: paddingMode "reflect" needs padding smaller than the size it pads: padding 2, size 2',
    },
  );
  assert.throws(
    () => conv2d(x, uniform([4, 4, 3, 3]), { pad: 1 } as never),
    /conv2d: unknown option "pad"/,
  );
});

Deno.test("conv2d() depthwise through the cpu's fused kernels equals the im2col composition, gradients too", () => {
  const fused = createCpuBackend();
  const {
    depthwiseConv2d: _f,
    depthwiseConv2dBackwardInput: _i,
    depthwiseConv2dBackwardFilter: _w,
    ...composed
  } = createCpuBackend();
  const run = (backend: Backend): number[][] => {
    const previous = getBackend();
    setBackend(backend);
    try {
      const rng = new Rng(12);
      const x = uniform([2, 3, 7, 6], { dtype: "float64", rng, requiresGrad: true });
      const w = uniform([6, 1, 3, 2], { dtype: "float64", rng, requiresGrad: true });
      const y = conv2d(x, w, { groups: 3, stride: [2, 1], padding: 1, dilation: [1, 2] });
      backward(sum(mul(y, uniform(y.shape, { dtype: "float64", rng }))));
      return [y, x.grad!, w.grad!].map((t) => Array.from(t.dataSync()));
    } finally {
      setBackend(previous);
    }
  };
  const [a, b] = [run(fused), run(composed)];
  a.forEach((values, k) => values.forEach((v, i) => assert.ok(Math.abs(v - b[k][i]) < 1e-12)));
});
