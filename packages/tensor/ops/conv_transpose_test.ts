import assert from "node:assert/strict";
import {
  conv1d,
  conv2d,
  convTranspose1d,
  convTranspose2d,
  mul,
  ones,
  Rng,
  sum,
  tensor,
  uniform,
} from "../mod.ts";

const dot = (a: ReturnType<typeof ones>, b: ReturnType<typeof ones>): number =>
  sum(mul(a, b)).item();

Deno.test("convTranspose2d() is the adjoint of conv2d: ⟨conv(x), y⟩ = ⟨x, convT(y)⟩", async (t) => {
  const rng = new Rng(7);
  for (
    const [shape, options] of [
      [[2, 4, 7, 6], { stride: 2, padding: 1 }],
      [[1, 4, 9, 8], { stride: [3, 2], padding: [2, 0], dilation: [1, 2] }],
      [[1, 6, 5, 5], { groups: 3, stride: 2 }],
      [[2, 2, 4, 4], { groups: 2, padding: 1 }],
    ] as const
  ) {
    await t.step(JSON.stringify(options), () => {
      const groups = "groups" in options ? options.groups : 1;
      const x = uniform([...shape], { dtype: "float64", rng });
      // conv filters [O, C/g, k, k] are the transposed convolution's [C_in = O, C_out/g = C/g, k, k]
      const w = uniform([6, shape[1] / groups, 3, 3], { dtype: "float64", rng });
      const y = conv2d(x, w, options);
      const g = uniform(y.shape, { dtype: "float64", rng });
      const back = convTranspose2d(g, w, options);
      assert.deepEqual(back.shape.slice(0, 2), x.shape.slice(0, 2));
      // sizes the floor of the strided convolution lost come back with outputPadding
      const lost = x.shape.slice(2).map((d, i) => d - back.shape[2 + i]);
      const full = lost.some((l) => l > 0)
        ? convTranspose2d(g, w, { ...options, outputPadding: lost as [number, number] })
        : back;
      assert.deepEqual(full.shape, x.shape);
      assert.ok(Math.abs(dot(y, g) - dot(x, full)) < 1e-10);
    });
  }
});

Deno.test("convTranspose2d() spreads each input pixel's patch and adds the overlaps", () => {
  const x = tensor([[[[1, 2], [3, 4]]]]);
  // stride 1: a 2×2 kernel of ones adds each pixel into a 2×2 block: a 3×3 result
  assert.deepEqual(convTranspose2d(x, ones([1, 1, 2, 2])).arraySync(), [[[[1, 3, 2], [4, 10, 6], [
    3,
    7,
    4,
  ]]]]);
  // padding crops, outputPadding adds a row and column after, bias adds per channel
  const y = convTranspose2d(x, ones([1, 1, 2, 2]), {
    stride: 2,
    padding: 1,
    outputPadding: 1,
    bias: tensor([10]),
  });
  assert.deepEqual(y.arraySync(), [[[[11, 12, 12], [13, 14, 14], [13, 14, 14]]]]);
  // dilation 2 spaces the taps
  assert.deepEqual(
    convTranspose2d(tensor([[[[1]]]]), ones([1, 1, 1, 2]), { dilation: 2 }).arraySync(),
    [[[[1, 0, 1]]]],
  );
  // groups: each input channel feeds only its own group of outputs
  const grouped = convTranspose2d(tensor([[[[1]], [[2]]]]), tensor([[[[5]]], [[[7]]]]), {
    groups: 2,
  });
  assert.deepEqual(grouped.arraySync(), [[[[5]], [[14]]]]);
});

Deno.test("convTranspose1d() is the adjoint of conv1d, with outputPadding and groups", () => {
  const rng = new Rng(8);
  const x = uniform([2, 4, 13], { dtype: "float64", rng });
  const w = uniform([6, 2, 3], { dtype: "float64", rng });
  const options = { stride: 3, padding: 1, dilation: 2, groups: 2 };
  const y = conv1d(x, w, options);
  const g = uniform(y.shape, { dtype: "float64", rng });
  const back = convTranspose1d(g, w, { ...options, outputPadding: 1 });
  assert.deepEqual(back.shape, [2, 4, 13]);
  assert.ok(Math.abs(dot(y, g) - dot(x, back)) < 1e-10);
  assert.deepEqual(
    convTranspose1d(tensor([[[1, 2]]]), tensor([[[1, 1]]]), { bias: tensor([1]) }).arraySync(),
    [[[2, 4, 3]]],
  );
});

Deno.test("convTranspose2d() and convTranspose1d() refuse what they cannot compute", () => {
  const x = uniform([1, 4, 3, 3]);
  assert.throws(() => convTranspose2d(x, uniform([3, 2, 3, 3])), {
    name: "ShapeError",
    message: "convTranspose2d: [1,4,3,3] × [3,2,3,3]: input has 4 channels, filters expect 3",
  });
  assert.throws(() => convTranspose2d(x, uniform([4, 2, 3, 3]), { groups: 3 }), {
    message: "convTranspose2d: [1,4,3,3] × [4,2,3,3]: 4 input channels do not divide into 3 groups",
  });
  assert.throws(
    () => convTranspose2d(x, uniform([4, 2, 3, 3]), { stride: 2, outputPadding: [0, 2] }),
    {
      name: "RangeError",
      message:
        "convTranspose2d: outputPadding must be smaller than the stride or the dilation: current value is [0,2] with stride [2,2] and dilation [1,1]",
    },
  );
  assert.throws(() => convTranspose2d(x, uniform([4, 2, 1, 1]), { padding: 2 }), {
    message:
      "convTranspose2d: [1,4,3,3] × [4,2,1,1]: the output size [-1,-1] is not positive: less padding",
  });
  assert.throws(
    () => convTranspose2d(x, uniform([4, 2, 3, 3]), { bias: uniform([3]) }),
    /bias must be \[2\]/,
  );
  assert.throws(
    () => convTranspose2d(x, uniform([4, 2, 3, 3]), { paddingMode: "reflect" } as never),
    /convTranspose2d: unknown option "paddingMode": known options are stride, padding, outputPadding, dilation, groups, bias/,
  );
  assert.throws(
    () => convTranspose1d(uniform([1, 2, 5]), uniform([2, 1, 3]), { stride: 2, outputPadding: 2 }),
    {
      message:
        "convTranspose1d: outputPadding must be smaller than the stride or the dilation: current value is 2 with stride 2 and dilation 1",
    },
  );
  assert.throws(
    () => convTranspose1d(x, uniform([4, 2, 3])),
    /convTranspose1d: \[1,4,3,3\]: expects an input \[batch, channels, length\]/,
  );
});
