/**
 * Vision throughput against PyTorch on CPUs, side by side in one run: the mnist-resnet demo's
 * model (Adam, batch 64, synthetic 28×28 digits: forward, backward and step) in samples/s, and a
 * depthwise 3×3 convolution over `[64, 32, 28, 28]` (forward + backward of input and filters) in
 * ms, on kiso's wasm backend with 1 and 2 threads (no BLAS), the cpu backend with its fused
 * depthwise kernels and without them (the im2col composition every other backend runs), and
 * PyTorch with 1 and 2 threads where `/usr/bin/python3` has torch. Each figure is the median of 5
 * runs after warm-up. Prints a Markdown table, the ratios and the CPU model.
 *
 * Usage: deno run -A scripts/vision_bench.ts [steps]   (each configuration in its own process)
 */
import { createWasmBackend } from "@kiso/backend-wasm";
import { softmaxCrossEntropy } from "@kiso/losses";
import { Adam } from "@kiso/optimizers";
import {
  type Backend,
  backward,
  conv2d,
  grad,
  mul,
  Rng,
  setBackend,
  sum,
  tensor,
  uniform,
  yieldToEventLoop,
} from "@kiso/tensor";
import { createCpuBackend } from "@kiso/tensor/cpu";
import { mnistResnet } from "../apps/trainer/demos/vision_models.ts";
import { cpuModel, measureColumns, median, runTorch } from "./_bench.ts";

const STEPS = Number(Deno.args[0] ?? 20);
const RUNS = 5;

/** The median over RUNS of the seconds per call of `step`, after `warmup` calls. */
async function timed(step: () => Promise<void>, repeats: number, warmup: number): Promise<number> {
  for (let i = 0; i < warmup; i++) await step();
  const samples: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    for (let i = 0; i < repeats; i++) await step();
    samples.push((performance.now() - t0) / 1000 / repeats);
  }
  return median(samples);
}

async function kisoRates(backend: Backend): Promise<Record<string, number>> {
  setBackend(backend);
  const rng = new Rng(0);
  const model = mnistResnet(rng);
  const x = uniform([64, 1, 28, 28], { rng });
  const y = tensor(Int32Array.from({ length: 64 }, (_, i) => i % 10));
  const opt = new Adam(model.parameters(), { lr: 0.004 });
  const trainStep = async (): Promise<void> => {
    opt.zeroGrad();
    const loss = softmaxCrossEntropy(model.forward(x), y);
    backward(loss);
    opt.step();
    await loss.data();
    await yieldToEventLoop();
  };
  const resnet = 64 / await timed(trainStep, STEPS, 5);
  const xd = uniform([64, 32, 28, 28], { rng, requiresGrad: true });
  const wd = uniform([32, 1, 3, 3], { rng, requiresGrad: true });
  const g = uniform([64, 32, 28, 28], { rng });
  const depthwiseStep = async (): Promise<void> => {
    const yd = conv2d(xd, wd, { padding: 1, groups: 32 });
    const [dx, dw] = grad(sum(mul(yd, g)), [xd, wd]);
    await Promise.all([dx!.data(), dw!.data()]);
    await yieldToEventLoop();
  };
  return { resnet, depthwise: 1000 * await timed(depthwiseStep, 10, 3) };
}

/** The cpu backend without its optional depthwise kernels (the composition other backends run). */
function cpuComposed(): Backend {
  const {
    depthwiseConv2d: _f,
    depthwiseConv2dBackwardInput: _i,
    depthwiseConv2dBackwardFilter: _w,
    ...rest
  } = createCpuBackend();
  return rest;
}

const CONFIGS: Record<string, () => Promise<Backend>> = {
  "kiso wasm 1 thread": () => createWasmBackend({ threads: 1, blas: "off" }),
  "kiso wasm 2 threads": () => createWasmBackend({ threads: 2, blas: "off" }),
  "kiso cpu (fused depthwise)": () => Promise.resolve(createCpuBackend()),
  "kiso cpu (composed depthwise)": () => Promise.resolve(cpuComposed()),
};

function torchRates(): Promise<Record<string, Record<string, number>> | string> {
  const script = new URL("./vision_bench.py", import.meta.url);
  return runTorch(script, [`${STEPS}`, `${RUNS}`, "1", "2"]) as Promise<
    Record<string, Record<string, number>> | string
  >;
}

const only = Deno.args[1];
if (only !== undefined) {
  // one configuration per process, so that threads of one do not disturb another
  console.log(JSON.stringify(await kisoRates(await CONFIGS[only]())));
  Deno.exit(0);
}

const { columns, torch } = await measureColumns(
  new URL(import.meta.url).pathname,
  Object.keys(CONFIGS),
  [`${STEPS}`],
  torchRates,
);

console.log(
  `CPU: ${await cpuModel()}, ${navigator.hardwareConcurrency} cores; ${RUNS} runs, medians`,
);
console.log(`\n| workload | ${columns.map(([c]) => c).join(" | ")} |`);
console.log(`| --- | ${columns.map(() => "---:").join(" | ")} |`);
const rows: [string, string, (v: number) => string][] = [
  [
    "resnet",
    "mnist-resnet training, batch 64 (samples/s)",
    (v) => Math.round(v).toLocaleString("en-US"),
  ],
  ["depthwise", "depthwise 3×3 fwd+bwd, [64,32,28,28] (ms)", (v) => v.toFixed(1)],
];
for (const [key, label, cell] of rows) {
  console.log(`| ${label} | ${columns.map(([, r]) => cell(r[key])).join(" | ")} |`);
}
const col = (name: string): Record<string, number> => columns.find(([c]) => c === name)![1];
const [cpuFused, cpuPlain] = [
  col("kiso cpu (fused depthwise)"),
  col("kiso cpu (composed depthwise)"),
];
console.log(
  `\nthe cpu's fused depthwise kernels against the composition: ${
    (cpuPlain.depthwise / cpuFused.depthwise).toFixed(2)
  }× faster`,
);
if (torch !== undefined) {
  const [w1, w2] = [col("kiso wasm 1 thread"), col("kiso wasm 2 threads")];
  console.log("ratios to PyTorch at the same thread count (kiso / PyTorch; > 1: kiso is faster):");
  console.log(
    `  mnist-resnet training: 1 thread ${(w1.resnet / torch["1"].resnet).toFixed(2)}, 2 threads ${
      (w2.resnet / torch["2"].resnet).toFixed(2)
    }`,
  );
  console.log(
    `  depthwise fwd+bwd: 1 thread ${(torch["1"].depthwise / w1.depthwise).toFixed(2)}, 2 threads ${
      (torch["2"].depthwise / w2.depthwise).toFixed(2)
    } (wasm, composed); cpu fused ${
      (torch["1"].depthwise / cpuFused.depthwise).toFixed(2)
    } of PyTorch 1 thread`,
  );
}
