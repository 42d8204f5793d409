/**
 * Matrix products in GFLOP/s, side by side in one process: the wasm backend's kernel on 1 and 2
 * threads, native BLAS through the backend (OpenBLAS on 1 and 2 of its own threads, where FFI
 * finds it) and TensorFlow.js 4.22's WebAssembly backend (XNNPACK), on the square products
 * 256³…1024³ and the MLP's first layer 128×784×256 with its two transposed forms. Sides and
 * shapes take turns (ABAB…) for `rounds` rounds and each figure is a median, so that a busy
 * machine's noise falls on every side alike. One-thread sides are timed in CPU time (the time
 * the process ran, what a core gives), two-thread sides in wall-clock time; the speed-up from 1
 * to 2 threads compares wall-clock times (on a busy machine the second core is not all ours).
 *
 * Usage: deno run -A scripts/matmul_bench.ts [rounds]
 */
import process from "node:process";
import { createWasmBackend } from "@kiso/backend-wasm";
import type { Backend, MatmulLayout } from "@kiso/tensor/backend";
import { Rng, setBackend, type Tensor, uniform } from "@kiso/tensor";
import { tf } from "../benches/tfjs_wasm.ts";
import { machine, median } from "./_bench.ts";

const ROUNDS = Number(Deno.args[0] ?? 7);
/** Work per timing: repeat a product until it has done about this many flops. */
const FLOPS_PER_TIMING = 4e8;

/** m, k, n, Aᵀ, Bᵀ: the squares, then the MLP's first layer as itself and its two gradients. */
const SHAPES: [number, number, number, boolean, boolean][] = [
  ...[256, 512, 1024].map((
    s,
  ): [number, number, number, boolean, boolean] => [s, s, s, false, false]),
  ...[[false, false], [false, true], [true, false]].map((
    [ta, tb],
  ): [number, number, number, boolean, boolean] => [128, 784, 256, ta, tb]),
];

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

interface Side {
  name: string;
  /** Whether it is timed in CPU time (one thread) rather than wall-clock time. */
  cpuTime: boolean;
  /** One product of the shape, made ready: runs it once. */
  prepare(m: number, k: number, n: number, ta: boolean, tb: boolean): () => void;
}

function kisoSide(name: string, backend: Backend, cpuTime: boolean): Side {
  return {
    name,
    cpuTime,
    prepare(m, k, n, ta, tb): () => void {
      setBackend(backend);
      const rng = new Rng(1);
      const a: Tensor = uniform(ta ? [k, m] : [m, k], { low: -1, high: 1, rng });
      const b: Tensor = uniform(tb ? [n, k] : [k, n], { low: -1, high: 1, rng });
      const layout: MatmulLayout = {
        batch: 1,
        m,
        n,
        k,
        transA: ta,
        transB: tb,
        aBatchStride: 0,
        bBatchStride: 0,
      };
      return () => backend.dispose(backend.matmul(a.storage, b.storage, layout));
    },
  };
}

const tfjsSide: Side = {
  name: "tfjs-wasm",
  cpuTime: true,
  prepare(m, k, n, ta, tb): () => void {
    const a = tf.randomUniform(ta ? [k, m] : [m, k]);
    const b = tf.randomUniform(tb ? [n, k] : [k, n]);
    return () => {
      const c = tf.matMul(a, b, ta, tb);
      c.dataSync();
      c.dispose();
    };
  },
};

const sides: Side[] = [
  kisoSide("kiso wasm 1 thread", await createWasmBackend({ threads: 1, blas: "off" }), true),
  kisoSide("kiso wasm 2 threads", await createWasmBackend({ threads: 2, blas: "off" }), false),
  tfjsSide,
];
for (const threads of [1, 2]) {
  const backend = await createWasmBackend({ threads, blas: "auto" });
  if (typeof backend.info.blas === "object" && "path" in backend.info.blas) {
    sides.push(
      kisoSide(`OpenBLAS ${threads} thread${threads > 1 ? "s" : ""}`, backend, threads === 1),
    );
  }
}

const label = ([m, k, n, ta, tb]: typeof SHAPES[number]): string =>
  `${m}×${k}×${n}${ta ? " Aᵀ" : ""}${tb ? " Bᵀ" : ""}`;
const rates = new Map<string, number[]>();
const runs = SHAPES.map((shape) => {
  const [m, k, n, ta, tb] = shape;
  return sides.map((side) => ({ side, run: side.prepare(m, k, n, ta, tb) }));
});
for (let round = 0; round < ROUNDS; round++) {
  SHAPES.forEach((shape, s) => {
    const [m, k, n] = shape;
    const flops = 2 * m * k * n;
    const repeats = Math.max(1, Math.round(FLOPS_PER_TIMING / flops));
    // alternate the order of the sides from round to round
    const order = round % 2 === 0 ? runs[s] : runs[s].toReversed();
    for (const { side, run } of order) {
      run();
      const [c0, w0] = [cpuMs(), performance.now()];
      for (let i = 0; i < repeats; i++) run();
      const [cpu, wall] = [cpuMs() - c0, performance.now() - w0];
      const record = (key: string, ms: number): void => {
        if (!rates.has(key)) rates.set(key, []);
        rates.get(key)!.push((flops * repeats) / (ms / 1000) / 1e9);
      };
      record(`${label(shape)}|${side.name}`, side.cpuTime ? cpu : wall);
      record(`${label(shape)}|${side.name}|wall`, wall);
    }
  });
}

console.log(
  `CPU: ${await machine()}; GFLOP/s, medians of ${ROUNDS} rounds (1 thread: CPU time; 2 threads: wall-clock)`,
);
const names = sides.map((s) => s.name);
console.log(
  `\n| product | ${names.join(" | ")} | kiso 1 thread / tfjs-wasm | kiso 2 threads / 1 thread |`,
);
console.log(`| --- | ${names.map(() => "---:").join(" | ")} | ---: | ---: |`);
for (const shape of SHAPES) {
  const value = (side: string): number => median(rates.get(`${label(shape)}|${side}`)!);
  const cells = names.map((s) => value(s).toFixed(1));
  const one = value("kiso wasm 1 thread");
  const speedUp = value("kiso wasm 2 threads") / value("kiso wasm 1 thread|wall");
  console.log(
    `| ${label(shape)} | ${cells.join(" | ")} | ${(one / value("tfjs-wasm")).toFixed(2)}× | ${
      speedUp.toFixed(2)
    }× |`,
  );
}
