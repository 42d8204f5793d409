/**
 * TensorFlow.js's WebAssembly backend on the three workloads of scripts/cpu_train_bench.ts (the
 * same models, plain SGD, synthetic data; bench-only). A workload that fails (tfjs-wasm has no
 * gradient kernel for convolution filters) reports 0.
 */
import process from "node:process";
import { tf } from "../benches/tfjs_wasm.ts";
import { tfjsMnistModels } from "../benches/tfjs_models.ts";

/**
 * Median samples/s of `runs` runs of `steps` steps after `warmup`, per workload, by wall-clock
 * time and by the process's CPU time.
 */
export function tfjsWasmRates(
  steps: number,
  runs: number,
  warmup: number,
): { wall: Record<string, number>; cpu: Record<string, number> } {
  const model = tfjsMnistModels(128);
  const models: Record<string, [tf.LayersModel, number[]]> = {
    mlp: [model.mlp, [128, 784]],
    cnn: [model.cnn, [64, 28, 28, 1]],
    lstm: [model.lstm, [64, 28, 28]],
  };
  const rates: { wall: Record<string, number>; cpu: Record<string, number> } = {
    wall: {},
    cpu: {},
  };
  const cpuSeconds = (): number => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  for (const [name, [model, shape]] of Object.entries(models)) {
    const batch = shape[0];
    const x = tf.randomUniform(shape);
    const labels = tf.oneHot(
      tf.tensor1d(Array.from({ length: batch }, (_, i) => i % 10), "int32"),
      10,
    );
    const opt = tf.train.sgd(0.01);
    const step = (): void => {
      const loss = opt.minimize(
        () => tf.losses.softmaxCrossEntropy(labels, model.apply(x) as tf.Tensor) as tf.Scalar,
        true,
      );
      loss!.dataSync();
      loss!.dispose();
    };
    try {
      for (let i = 0; i < warmup; i++) step();
      const [wall, cpu]: number[][] = [[], []];
      for (let r = 0; r < runs; r++) {
        const [t0, c0] = [performance.now(), cpuSeconds()];
        for (let i = 0; i < steps; i++) step();
        wall.push((steps * batch) / ((performance.now() - t0) / 1000));
        cpu.push((steps * batch) / (cpuSeconds() - c0));
      }
      rates.wall[name] = wall.toSorted((a, b) => a - b)[Math.floor(runs / 2)];
      rates.cpu[name] = cpu.toSorted((a, b) => a - b)[Math.floor(runs / 2)];
    } catch {
      rates.wall[name] = rates.cpu[name] = 0;
    }
  }
  return rates;
}
