import assert from "node:assert/strict";
import { max, Rng, zeros } from "@kiso/tensor";
import { Conv1d, Conv2d, ConvTranspose1d, ConvTranspose2d } from "./mod.ts";

Deno.test("convolution layers take PyTorch's layouts and initial bounds (fan-in of one group)", () => {
  const rng = new Rng(9);
  const bound = (t: ReturnType<typeof zeros>): number => max(t).item();
  const grouped = new Conv2d(6, 4, 3, { groups: 2, rng });
  assert.deepEqual(grouped.weight.shape, [4, 3, 3, 3]);
  assert.ok(bound(grouped.weight) <= 1 / Math.sqrt(27));
  const up = new ConvTranspose2d(6, 4, [2, 3], { groups: 2, rng });
  // PyTorch's fan-in of a transposed weight [in, out/groups, kH, kW]: out/groups·kH·kW
  assert.deepEqual(up.weight.shape, [6, 2, 2, 3]);
  assert.ok(bound(up.weight) <= 1 / Math.sqrt(12) && bound(up.weight) > 1 / Math.sqrt(12) / 2);
  assert.deepEqual(new ConvTranspose1d(4, 6, 5, { groups: 2 }).weight.shape, [4, 3, 5]);
  assert.deepEqual(new Conv1d(4, 6, 5, { groups: 2 }).weight.shape, [6, 2, 5]);
  assert.equal(new Conv1d(4, 6, 5, { bias: false }).bias, undefined);
});

Deno.test("convolution layers refuse channels that do not divide, bad sizes and unknown options", () => {
  assert.throws(() => new Conv2d(3, 6, 3, { groups: 2 }), {
    name: "RangeError",
    message: "Conv2d: inChannels 3 is not divisible by groups 2",
  });
  assert.throws(() => new Conv1d(4, 6, 3, { groups: 4 }), {
    message: "Conv1d: outChannels 6 is not divisible by groups 4",
  });
  assert.throws(() => new ConvTranspose2d(4, 4, 0), {
    message: "ConvTranspose2d: kernelSize must be positive integers: current value is 0",
  });
  assert.throws(
    () => new Conv2d(0, 4, 3),
    /Conv2d: inChannels must be a positive integer: current value is 0/,
  );
  assert.throws(
    () => new Conv2d(2, 4, 3, { groups: -1 }),
    /Conv2d: groups must be a positive integer/,
  );
  assert.throws(
    () => new Conv2d(2, 4, 3, { paddingMode: "mirror" } as never),
    /Conv2d: paddingMode must be one of zeros, reflect, replicate, circular: current value is mirror/,
  );
  assert.throws(() => new ConvTranspose2d(2, 4, 3, { paddingMode: "zeros" } as never), {
    name: "TypeError",
    message:
      'ConvTranspose2d: unknown option "paddingMode": known options are stride, padding, dilation, groups, bias, rng, dtype, outputPadding',
  });
  assert.throws(
    () => new Conv1d(2, 4, 3, { outputPadding: 1 } as never),
    /Conv1d: unknown option "outputPadding"/,
  );
  // a transposed convolution's output padding is checked against its stride when it runs
  assert.throws(
    () => new ConvTranspose1d(2, 2, 3, { stride: 2, outputPadding: 2 }).forward(zeros([1, 2, 4])),
    /convTranspose1d: outputPadding must be smaller than the stride or the dilation/,
  );
});
