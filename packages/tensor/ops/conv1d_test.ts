import assert from "node:assert/strict";
import { conv1d, Rng, tensor, uniform } from "../mod.ts";

/** Direct 1-d cross-correlation with zero padding and groups. */
function reference(
  x: number[][][],
  w: number[][][],
  { stride = 1, padding = 0, dilation = 1, groups = 1 },
): number[][][] {
  const [inC, k, outC] = [x[0].length, w[0][0].length, w.length];
  const length = x[0][0].length;
  const out = Math.floor((length + 2 * padding - dilation * (k - 1) - 1) / stride) + 1;
  return x.map((sample) =>
    w.map((filter, o) => {
      const g = Math.floor(o / (outC / groups));
      return Array.from({ length: out }, (_, i) => {
        let acc = 0;
        filter.forEach((taps, c) => {
          const channel = sample[g * (inC / groups) + c];
          taps.forEach((t, r) => {
            const at = i * stride - padding + r * dilation;
            if (at >= 0 && at < length) acc += channel[at] * t;
          });
        });
        return acc;
      });
    })
  );
}

Deno.test("conv1d() equals direct sums over strides, padding, dilation and groups", async (t) => {
  const rng = new Rng(3);
  for (
    const options of [
      {},
      { stride: 2, padding: 1 },
      { dilation: 3, padding: 2 },
      { groups: 2, stride: 3 },
      { groups: 4, dilation: 2 },
    ]
  ) {
    await t.step(JSON.stringify(options), () => {
      const groups = options.groups ?? 1;
      const x = uniform([2, 4, 11], { dtype: "float64", rng });
      const w = uniform([4, 4 / groups, 3], { dtype: "float64", rng });
      const y = conv1d(x, w, options);
      const expected = reference(
        x.arraySync() as number[][][],
        w.arraySync() as number[][][],
        options,
      );
      assert.deepEqual(y.shape, [2, 4, expected[0][0].length]);
      (y.arraySync() as number[][][]).flat(2).forEach((v, i) =>
        assert.ok(Math.abs(v - expected.flat(2)[i]) < 1e-12)
      );
    });
  }
});

Deno.test("conv1d() pads same (odd element after), valid, or from the input's own values, and adds biases", () => {
  const x = tensor([[[1, 2, 3, 4]]]);
  const w = tensor([[[1, 1]]]);
  assert.deepEqual(conv1d(x, w, { padding: "same" }).arraySync(), [[[3, 5, 7, 4]]]);
  assert.deepEqual(conv1d(x, w, { padding: "valid" }).arraySync(), [[[3, 5, 7]]]);
  assert.deepEqual(conv1d(x, w, { padding: 1, paddingMode: "reflect" }).arraySync(), [[[
    3,
    3,
    5,
    7,
    7,
  ]]]);
  assert.deepEqual(conv1d(x, w, { padding: 1, paddingMode: "replicate" }).arraySync(), [[[
    2,
    3,
    5,
    7,
    8,
  ]]]);
  assert.deepEqual(conv1d(x, w, { padding: 1, paddingMode: "circular" }).arraySync(), [[[
    5,
    3,
    5,
    7,
    5,
  ]]]);
  assert.deepEqual(conv1d(x, w, { bias: tensor([10]) }).arraySync(), [[[13, 15, 17]]]);
});

Deno.test("conv1d() refuses shapes and options it cannot use, naming them", () => {
  const x = uniform([1, 4, 5]);
  assert.throws(() => conv1d(x, uniform([2, 3, 3])), {
    name: "ShapeError",
    message: "conv1d: [1,4,5] × [2,3,3]: input has 4 channels, filters expect 3",
  });
  assert.throws(() => conv1d(x, uniform([3, 2, 3]), { groups: 2 }), {
    message: "conv1d: [1,4,5] × [3,2,3]: 3 filters do not divide into 2 groups",
  });
  assert.throws(() => conv1d(x, uniform([2, 4, 9])), {
    message: "conv1d: [1,4,5] × [2,4,9]: window 9 is larger than the padded input 5",
  });
  assert.throws(() => conv1d(x, uniform([2, 4, 3]), { stride: 0 }), {
    name: "RangeError",
    message: "conv1d: stride must be an integer >= 1: current value is 0",
  });
  assert.throws(() => conv1d(x, uniform([2, 4, 3]), { groups: 1.5 }), {
    message: "conv1d: groups must be a positive integer: current value is 1.5",
  });
  assert.throws(
    () => conv1d(x, uniform([2, 4, 3]), { paddingMode: "mirror" } as never),
    /conv1d: paddingMode must be one of zeros, reflect, replicate, circular: current value is mirror/,
  );
  assert.throws(
    () => conv1d(uniform([4, 5]), uniform([2, 4, 3])),
    /expects an input \[batch, channels, length\]/,
  );
  assert.throws(
    () => conv1d(x, uniform([2, 4])),
    /filters must be \[outChannels, inChannels \/ groups, k\]/,
  );
  assert.throws(
    () => conv1d(x, uniform([2, 4, 3]), { strides: 2 } as never),
    /conv1d: unknown option "strides"/,
  );
});
