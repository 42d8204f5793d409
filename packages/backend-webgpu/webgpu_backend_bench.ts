/**
 * @kiso/backend-webgpu side by side with the cpu backend in one run: matrix products, element-wise
 * ops and a reduction on 1M elements, softmax-cross-entropy, Conv2d and LSTM forward and
 * backward, and an embedding table's gradient (a scatter-add of many rows into a large table). Every run ends by reading one element of its result, so GPU time is counted. Bench
 * names start with the side: `cpu` or `webgpu` (the adapter is printed first; on a machine
 * without a GPU it is Mesa's llvmpipe, which is slow: measure on a GPU).
 */
import { Conv2d, LSTM } from "@kiso/layers";
import { softmaxCrossEntropy } from "@kiso/losses";
import {
  add,
  type Backend,
  backward,
  exp,
  matmul,
  reshape,
  Rng,
  scatterAdd,
  setBackend,
  slice,
  sum,
  type Tensor,
  tensor,
  uniform,
} from "@kiso/tensor";
import { createCpuBackend } from "@kiso/tensor/cpu";
import { createWebGpuBackend } from "./mod.ts";

const gpu = await createWebGpuBackend();
console.log(`webgpu adapter: ${gpu.info.adapter}`);
const SIDES: [string, Backend][] = [["cpu", createCpuBackend()], ["webgpu", gpu]];

/** Reads one element, so that the GPU has finished the work behind `t`. */
async function settle(t: Tensor): Promise<void> {
  await slice(reshape(t, [-1]), [[0, 1]]).data();
}

/** One bench per side, with inputs made on that side by `setup`. */
function bench(group: string, setup: () => () => Tensor): void {
  for (const [side, backend] of SIDES) {
    setBackend(backend);
    const run = setup();
    Deno.bench({ group, name: `${side} ${group}`, baseline: side === "cpu" }, async () => {
      setBackend(backend);
      await settle(run());
    });
  }
}

const rng = new Rng(1);
for (const n of [256, 1024]) {
  bench(`matmul ${n}×${n}`, () => {
    const a = uniform([n, n], { rng });
    const b = uniform([n, n], { rng });
    return () => matmul(a, b);
  });
}
bench("add 1M", () => {
  const a = uniform([1000, 1000], { rng });
  const b = uniform([1000, 1000], { rng });
  return () => add(a, b);
});
bench("exp 1M", () => {
  const a = uniform([1000, 1000], { rng });
  return () => exp(a);
});
bench("sum over axis 0 of 1000×1000", () => {
  const a = uniform([1000, 1000], { rng });
  return () => sum(a, { axis: 0 });
});
bench("softmax-cross-entropy 1024×1000 forward+backward", () => {
  const logits = uniform([1024, 1000], { rng, requiresGrad: true });
  const labels = tensor(Int32Array.from({ length: 1024 }, (_, i) => i % 1000));
  return () => {
    backward(softmaxCrossEntropy(logits, labels));
    return logits.grad!;
  };
});
bench("Conv2d 6→16 5×5 on 64×6×14×14 forward+backward", () => {
  const conv = new Conv2d(6, 16, 5, { rng });
  const x = uniform([64, 6, 14, 14], { rng });
  return () => {
    conv.weight.grad = null;
    backward(sum(conv.forward(x)));
    return conv.weight.grad!;
  };
});
bench("LSTM 28→128 on 64×28×28 forward+backward", () => {
  const lstm = new LSTM(28, 128, { rng });
  const x = uniform([64, 28, 28], { rng });
  return () => {
    lstm.parameters().forEach((p) => (p.grad = null));
    backward(sum(lstm.forward(x)));
    return lstm.parameters()[0].grad!;
  };
});
bench("scatter-add of 4096 rows into an embedding table 8192×128", () => {
  const rows = uniform([4096, 128], { rng });
  const tokens = tensor(Int32Array.from({ length: 4096 }, (_, i) => (i * 7919) % 8192));
  return () => scatterAdd(rows, tokens, [8192, 128]);
});
