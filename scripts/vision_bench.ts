/**
 * Vision throughput against PyTorch on CPUs, side by side in one run: the mnist-resnet demo's
 * model (Adam, batch 64, synthetic 28×28 digits: forward, backward and step) in samples/s, and a
 * depthwise 3×3 convolution over `[64, 32, 28, 28]` (forward + the gradients of input and filters
 * for a given output gradient, as `torch.autograd.grad` takes it, reading back only the small
 * filter gradient, as PyTorch's side reads nothing) in ms, on kiso's wasm backend
 * with 1 and 2 threads (no BLAS) with its depthwise kernels and without them (the im2col
 * composition: the before of those kernels), the cpu backend with its fused depthwise kernels and
 * without them, and PyTorch with 1 and 2 threads where `/usr/bin/python3` has torch. The
 * configurations take turns: each of ROUNDS rounds runs every one once (each kiso one in its own
 * process: 5 runs after warm-up, their median), so that a change in the machine's load hits them
 * alike; each figure is the median over the rounds. Prints a Markdown table, the ratios and the
 * CPU model.
 *
 * Usage: deno run -A scripts/vision_bench.ts [steps] [rounds]
 */
import { createWasmBackend } from "@kiso/backend-wasm";
import { softmaxCrossEntropy } from "@kiso/losses";
import { Adam } from "@kiso/optimizers";
import {
  type Backend,
  backward,
  conv2d,
  grad,
  Rng,
  setBackend,
  tensor,
  uniform,
  yieldToEventLoop,
} from "@kiso/tensor";
import { createCpuBackend } from "@kiso/tensor/cpu";
import { withoutKernels } from "@kiso/testing";
import { mnistResnet } from "../apps/trainer/demos/vision_models.ts";
import { type Columns, cpuModel, measureColumns, median, runTorch } from "./_bench.ts";

const STEPS = Number(Deno.args[0] ?? 20);
const ROUNDS = Number(Deno.args[1] ?? 3);
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

/** The figures of `backend`: the depthwise step's ms, and mnist-resnet's samples/s unless `resnet` is false. */
async function kisoRates(backend: Backend, resnet: boolean): Promise<Record<string, number>> {
  setBackend(backend);
  const rng = new Rng(0);
  const depthwise = 1000 * await timed(depthwiseStep(rng), 10, 3);
  if (!resnet) return { depthwise };
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
  return { depthwise, resnet: 64 / await timed(trainStep, STEPS, 5) };
}

/** One depthwise step: the 3×3 convolution forward and the gradients of its input and filters. */
function depthwiseStep(rng: Rng): () => Promise<void> {
  const xd = uniform([64, 32, 28, 28], { rng, requiresGrad: true });
  const wd = uniform([32, 1, 3, 3], { rng, requiresGrad: true });
  const g = uniform([64, 32, 28, 28], { rng });
  return async (): Promise<void> => {
    const yd = conv2d(xd, wd, { padding: 1, groups: 32 });
    const [, dw] = grad(yd, [xd, wd], { gradOutputs: g });
    await dw!.data(); // the input's gradient is computed first (a GPU runs them in order)
    await yieldToEventLoop();
  };
}

/** A backend without its optional depthwise kernels (conv2d then composes im2col and products). */
function composed(backend: Backend): Backend {
  return withoutKernels(backend, [
    "depthwiseConv2d",
    "depthwiseConv2dBackwardInput",
    "depthwiseConv2dBackwardFilter",
  ]);
}

/** Each configuration's backend, and whether it runs mnist-resnet (which has no depthwise layer). */
const CONFIGS: Record<string, [() => Promise<Backend>, boolean]> = {
  "kiso wasm 1 thread": [() => createWasmBackend({ threads: 1, blas: "off" }), true],
  "kiso wasm 2 threads": [() => createWasmBackend({ threads: 2, blas: "off" }), true],
  "kiso wasm 1 thread, composed depthwise": [
    async () => composed(await createWasmBackend({ threads: 1, blas: "off" })),
    false,
  ],
  "kiso wasm 2 threads, composed depthwise": [
    async () => composed(await createWasmBackend({ threads: 2, blas: "off" })),
    false,
  ],
  "kiso cpu (fused depthwise)": [() => Promise.resolve(createCpuBackend()), true],
  "kiso cpu (composed depthwise)": [() => Promise.resolve(composed(createCpuBackend())), false],
};

function torchRates(): Promise<Record<string, Record<string, number>> | string> {
  const script = new URL("./vision_bench.py", import.meta.url);
  return runTorch(script, [`${STEPS}`, `${RUNS}`, "1", "2"]) as Promise<
    Record<string, Record<string, number>> | string
  >;
}

const only = Deno.args[2];
if (only !== undefined) {
  // one configuration per process, so that threads of one do not disturb another
  const [create, resnet] = CONFIGS[only];
  console.log(JSON.stringify(await kisoRates(await create(), resnet)));
  Deno.exit(0);
}

const rounds: Columns[] = [];
for (let round = 1; round <= ROUNDS; round++) {
  console.error(`round ${round}/${ROUNDS}`);
  const measured = await measureColumns(
    new URL(import.meta.url).pathname,
    Object.keys(CONFIGS),
    [`${STEPS}`, `${ROUNDS}`],
    torchRates,
  );
  rounds.push(measured.columns);
}
// each configuration's median over the rounds (a round where PyTorch failed has fewer columns)
const columns: Columns = rounds[0].map(([name]) => {
  const runs = rounds.map((r) => r.find(([c]) => c === name)?.[1]).filter((r) => r !== undefined);
  const keys = Object.keys(runs[0]!);
  return [name, Object.fromEntries(keys.map((k) => [k, median(runs.map((r) => r![k]))]))];
});
const torch = columns.some(([c]) => c === "PyTorch 1 thread")
  ? {
    "1": columns.find(([c]) => c === "PyTorch 1 thread")![1],
    "2": columns.find(([c]) => c === "PyTorch 2 threads")![1],
  }
  : undefined;

console.log(
  `CPU: ${await cpuModel()}, ${navigator.hardwareConcurrency} cores, load average ${
    Deno.loadavg().map((l) => l.toFixed(1)).join(" ")
  }; medians of ${ROUNDS} rounds (each the median of ${RUNS} runs)`,
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
  const shown = (r: Record<string, number>): string => (key in r ? cell(r[key]) : "—");
  console.log(`| ${label} | ${columns.map(([, r]) => shown(r)).join(" | ")} |`);
}
const col = (name: string): Record<string, number> => columns.find(([c]) => c === name)![1];
const [cpuFused, cpuPlain] = [
  col("kiso cpu (fused depthwise)"),
  col("kiso cpu (composed depthwise)"),
];
const [w1, w2] = [col("kiso wasm 1 thread"), col("kiso wasm 2 threads")];
const [c1, c2] = [
  col("kiso wasm 1 thread, composed depthwise"),
  col("kiso wasm 2 threads, composed depthwise"),
];
console.log(
  `\nthe depthwise kernels against the composition: wasm 1 thread ${
    (c1.depthwise / w1.depthwise).toFixed(2)
  }× faster, 2 threads ${(c2.depthwise / w2.depthwise).toFixed(2)}×, cpu ${
    (cpuPlain.depthwise / cpuFused.depthwise).toFixed(2)
  }×`,
);
if (torch !== undefined) {
  console.log("ratios to PyTorch at the same thread count (kiso / PyTorch; > 1: kiso is faster):");
  console.log(
    `  mnist-resnet training: 1 thread ${(w1.resnet / torch["1"].resnet).toFixed(2)}, 2 threads ${
      (w2.resnet / torch["2"].resnet).toFixed(2)
    }`,
  );
  const ratio = (kiso: number, threads: "1" | "2"): string =>
    (torch[threads].depthwise / kiso).toFixed(2);
  console.log(
    `  depthwise fwd+bwd: wasm 1 thread ${ratio(w1.depthwise, "1")} (composed ${
      ratio(c1.depthwise, "1")
    }), 2 threads ${ratio(w2.depthwise, "2")} (composed ${ratio(c2.depthwise, "2")}); cpu fused ${
      ratio(cpuFused.depthwise, "1")
    } of PyTorch 1 thread`,
  );
}
