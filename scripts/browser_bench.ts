/**
 * kiso in a browser, measured in headless Chromium (the system's, through the tests' helper):
 *
 * - training samples/s of the MNIST-shaped MLP 784-256-128-10 (batch 128, plain SGD, synthetic
 *   data) on kiso's cpu backend and wasm backend with 1 and 2 threads, and on TensorFlow.js's
 *   WebAssembly backend with 1 and 2 threads, in one cross-origin isolated page on its main
 *   thread; each figure the median over ROUNDS page loads (configurations interleaved) of the
 *   median of 5 runs of STEPS steps after 20 warm-up steps;
 * - the memory of a training loop that frees nothing by hand, in the page (no `gc()`: a large
 *   untouched ArrayBuffer asks V8 to collect) and in Deno (`gc()` through `node:v8`);
 * - the gzipped sizes of minified browser bundles: `@kiso/tensor` (with its cpu backend),
 *   `@kiso/backend-wasm` (with the tensor package it needs) and the playground.
 *
 * TensorFlow.js is bundled into the page by this script only (bench-only: nothing else imports
 * it). Prints Markdown tables and the CPU model.
 *
 * Usage: deno run -A scripts/browser_bench.ts [rounds] [steps]
 *
 * @module
 */
import { gzipSync } from "node:zlib";
import { cpus } from "node:os";
import { bundle } from "../apps/playground/bundle.ts";
import { buildPlayground } from "../apps/playground/build.ts";
import { serveFolder } from "../apps/playground/server.ts";
import { launchChromium } from "../tests/_chromium.ts";

const ROUNDS = Number(Deno.args[0] ?? 3);
const STEPS = Number(Deno.args[1] ?? 20);
const [RUNS, WARMUP] = [5, 20];
const root = new URL("../", import.meta.url).pathname;
const TFJS = "4.22.0";

/** The TensorFlow.js side of the page, written here so that nothing in the repository imports it. */
const TFJS_ENTRY = `
import * as tf from "npm:@tensorflow/tfjs@${TFJS}";
import { getThreadsCount, setThreadsCount, setWasmPaths } from "npm:@tensorflow/tfjs-backend-wasm@${TFJS}";

// threads 0: TensorFlow.js's own choice
async function tfjsRate(threads, steps, runs, warmup) {
  setWasmPaths(new URL("./", location.href).href);
  if (threads > 0) setThreadsCount(threads);
  await tf.setBackend("wasm");
  tf.env().set("PROD", true);
  // the MLP of kiso's workload: 784-256-128-10, ReLU, plain SGD, batch 128
  const model = tf.sequential({ layers: [
    tf.layers.dense({ inputShape: [784], units: 256, activation: "relu" }),
    tf.layers.dense({ units: 128, activation: "relu" }),
    tf.layers.dense({ units: 10 }),
  ] });
  const x = tf.randomUniform([128, 784]);
  const labels = tf.oneHot(tf.tensor1d(Array.from({ length: 128 }, (_, i) => i % 10), "int32"), 10);
  const opt = tf.train.sgd(0.01);
  const step = () => {
    const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(labels, model.apply(x)), true);
    loss.dataSync();
    loss.dispose();
  };
  for (let i = 0; i < warmup; i++) step();
  const rates = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) step();
    rates.push((steps * 128) / ((performance.now() - t0) / 1000));
  }
  return { rate: rates.sort((a, b) => a - b)[Math.floor(runs / 2)], threads: getThreadsCount() };
}
globalThis.tfjsRate = tfjsRate;
`;

function median(xs: readonly number[]): number {
  const s = xs.toSorted((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function gzipped(bytes: Uint8Array): number {
  return gzipSync(bytes, { level: 9 }).length;
}

const kb = (bytes: number): string => `${(bytes / 1000).toFixed(1)} kB`;

/** Builds the page: kiso's and TensorFlow.js's bundles, tfjs's .wasm files, an empty document. */
async function buildPage(dir: string): Promise<void> {
  const generated = `${root}.bench/browser_tfjs_entry.js`;
  await Deno.mkdir(`${root}.bench`, { recursive: true });
  await Deno.writeTextFile(generated, TFJS_ENTRY);
  try {
    await bundle([`${root}benches/browser_kiso.ts`], dir);
    // unminified: tfjs-wasm starts its threads from its factory's own source text
    await bundle([generated], dir, { minify: false });
  } finally {
    await Deno.remove(generated);
  }
  const dist = `${root}node_modules/.deno/@tensorflow+tfjs-backend-wasm@${TFJS}/node_modules/` +
    "@tensorflow/tfjs-backend-wasm/dist";
  for (
    const file of [
      "tfjs-backend-wasm.wasm",
      "tfjs-backend-wasm-simd.wasm",
      "tfjs-backend-wasm-threaded-simd.wasm",
    ]
  ) {
    await Deno.copyFile(`${dist}/${file}`, `${dir}/${file}`);
  }
  await Deno.writeTextFile(
    `${dir}/index.html`,
    '<!doctype html><title>kiso bench</title><link rel="icon" href="data:,">' +
      '<script type="module" src="browser_kiso.js"></script>' +
      '<script type="module" src="browser_tfjs_entry.js"></script>',
  );
}

/** Gzipped sizes of the minified browser bundles. */
async function sizes(): Promise<[string, number, number][]> {
  const dir = await Deno.makeTempDir({ prefix: "kiso-sizes-" });
  const rows: [string, number, number][] = [];
  const measure = async (label: string, entries: string[]): Promise<void> => {
    const out = `${dir}/${rows.length}`;
    await bundle(entries, out);
    let [raw, zipped] = [0, 0];
    for await (const entry of Deno.readDir(out)) {
      if (!entry.name.endsWith(".js")) continue;
      const bytes = await Deno.readFile(`${out}/${entry.name}`);
      raw += bytes.length;
      zipped += gzipped(bytes);
    }
    rows.push([label, raw, zipped]);
  };
  await measure("`@kiso/tensor` (with its cpu backend)", [`${root}packages/tensor/mod.ts`]);
  await measure("`@kiso/backend-wasm` (with the tensor package)", [
    `${root}packages/backend-wasm/mod.ts`,
  ]);
  await buildPlayground(`${dir}/playground`);
  let [raw, zipped] = [0, 0];
  for (const file of ["main.js", "worker.js", "index.html", "style.css"]) {
    const bytes = await Deno.readFile(`${dir}/playground/${file}`);
    raw += bytes.length;
    zipped += gzipped(bytes);
  }
  rows.push(["the playground (page, worker, HTML, CSS; without the digits)", raw, zipped]);
  const digits = await Deno.readFile(`${dir}/playground/mnist.bin`);
  rows.push(["the playground's digits (`mnist.bin`)", digits.length, gzipped(digits)]);
  await Deno.remove(dir, { recursive: true });
  return rows;
}

const CONFIGS = [
  ["kiso cpu", "cpu", 1],
  ["kiso wasm, 1 thread", "wasm", 1],
  ["kiso wasm, 2 threads", "wasm", 2],
  ["TensorFlow.js wasm, setThreadsCount(1)", "tfjs", 1],
  ["TensorFlow.js wasm, setThreadsCount(2)", "tfjs", 2],
  ["TensorFlow.js wasm, its default threads", "tfjs", 0],
] as const;

const dir = await Deno.makeTempDir({ prefix: "kiso-browser-bench-" });
await buildPage(dir);
let url = "";
const server = serveFolder(dir, { port: 0, onListen: (u) => (url = u) });
const rates = new Map<string, number[]>(CONFIGS.map(([label]) => [label, []]));
/** The threads TensorFlow.js says it runs (its getThreadsCount), by configuration. */
const reported = new Map<string, number>();
let memory: [number, number, number][] = [];
let version = "";
try {
  await using chrome = await launchChromium();
  version = await chrome.browser.version();
  for (let round = 0; round < ROUNDS; round++) {
    // a fresh page per configuration (TensorFlow.js sets its threads once per page)
    const order = round % 2 === 0 ? CONFIGS : CONFIGS.toReversed();
    for (const [label, kind, threads] of order) {
      const page = await chrome.browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => void errors.push(String(e)));
      await page.goto(url);
      await page.waitForFunction(() => "kisoRate" in globalThis && "tfjsRate" in globalThis);
      if (
        !(await page.evaluate(() =>
          (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated
        ))
      ) {
        throw new Error("the page is not isolated");
      }
      let rate: number;
      if (kind === "tfjs") {
        const got = await page.evaluate(
          (t, s, r, w) =>
            (globalThis as unknown as Record<string, CallableFunction>).tfjsRate(t, s, r, w),
          threads,
          STEPS,
          RUNS,
          WARMUP,
        ) as { rate: number; threads: number };
        rate = got.rate;
        reported.set(label, got.threads);
      } else {
        rate = await page.evaluate(
          (k, t, s, r, w) =>
            (globalThis as unknown as Record<string, CallableFunction>).kisoRate(k, t, s, r, w),
          kind,
          threads,
          STEPS,
          RUNS,
          WARMUP,
        ) as number;
      }
      if (errors.length > 0) throw new Error(`${label}: ${errors.join("; ")}`);
      rates.get(label)!.push(rate);
      console.error(`round ${round + 1}: ${label}: ${Math.round(rate)} samples/s`);
      await page.close();
    }
  }
  const page = await chrome.browser.newPage();
  await page.goto(url);
  await page.waitForFunction(() => "kisoMemory" in globalThis);
  memory = await page.evaluate(() =>
    (globalThis as unknown as Record<string, CallableFunction>).kisoMemory(400, 100)
  ) as [number, number, number][];
} finally {
  await server.shutdown();
  await Deno.remove(dir, { recursive: true });
}
await import("../benches/browser_kiso.ts");
const denoMemory = await (globalThis as unknown as Record<string, CallableFunction>)
  .kisoMemory(400, 100) as [number, number, number][];

const tfjsBest = Math.max(
  ...CONFIGS.filter(([, kind]) => kind === "tfjs").map(([label]) => median(rates.get(label)!)),
);
console.log(`\n${version}, ${cpus()[0]?.model ?? "unknown CPU"} × ${cpus().length} (shared)\n`);
console.log("| MLP training in Chromium | samples/s | vs TensorFlow.js wasm at its fastest here |");
console.log("|---|---:|---:|");
for (const [label] of CONFIGS) {
  const rate = median(rates.get(label)!);
  const threads = reported.has(label) ? ` (reports ${reported.get(label)} thread(s))` : "";
  console.log(`| ${label}${threads} | ${Math.round(rate)} | ${(rate / tfjsBest).toFixed(2)}× |`);
}
console.log("\n| training step | page (no gc()): live / held MiB | Deno (gc()): live / held MiB |");
console.log("|---:|---:|---:|");
memory.forEach(([step, live, held], i) => {
  const [, dLive, dHeld] = denoMemory[i];
  console.log(
    `| ${step} | ${live.toFixed(1)} / ${held.toFixed(1)} | ${dLive.toFixed(1)} / ${
      dHeld.toFixed(1)
    } |`,
  );
});
console.log("\n| minified browser bundle | size | gzip |");
console.log("|---|---:|---:|");
for (const [label, raw, zipped] of await sizes()) {
  console.log(`| ${label} | ${kb(raw)} | ${kb(zipped)} |`);
}
