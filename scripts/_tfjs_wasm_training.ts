/**
 * TensorFlow.js's WebAssembly backend on the three workloads of scripts/cpu_train_bench.ts (the
 * same models, plain SGD, synthetic data; bench-only). A workload that fails (tfjs-wasm has no
 * gradient kernel for convolution filters) reports 0.
 */
import { tf } from "../benches/tfjs_wasm.ts";

/** Median samples/s of `runs` runs of `steps` steps after `warmup`, per workload. */
export function tfjsWasmRates(steps: number, runs: number, warmup: number): Record<string, number> {
  const models: Record<string, [tf.LayersModel, number[]]> = {
    mlp: [
      tf.sequential({
        layers: [
          tf.layers.dense({ inputShape: [784], units: 256, activation: "relu" }),
          tf.layers.dense({ units: 128, activation: "relu" }),
          tf.layers.dense({ units: 10 }),
        ],
      }),
      [128, 784],
    ],
    cnn: [
      tf.sequential({
        layers: [
          tf.layers.conv2d({
            inputShape: [28, 28, 1],
            filters: 8,
            kernelSize: 5,
            padding: "same",
            activation: "relu",
          }),
          tf.layers.maxPooling2d({ poolSize: 2 }),
          tf.layers.conv2d({ filters: 16, kernelSize: 5, activation: "relu" }),
          tf.layers.maxPooling2d({ poolSize: 2 }),
          tf.layers.flatten(),
          tf.layers.dense({ units: 120, activation: "relu" }),
          tf.layers.dense({ units: 10 }),
        ],
      }),
      [64, 28, 28, 1],
    ],
    lstm: [
      tf.sequential({
        layers: [
          tf.layers.lstm({ inputShape: [28, 28], units: 128 }),
          tf.layers.dense({ units: 10 }),
        ],
      }),
      [64, 28, 28],
    ],
  };
  const rates: Record<string, number> = {};
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
      const samples: number[] = [];
      for (let r = 0; r < runs; r++) {
        const t0 = performance.now();
        for (let i = 0; i < steps; i++) step();
        samples.push((steps * batch) / ((performance.now() - t0) / 1000));
      }
      rates[name] = samples.toSorted((a, b) => a - b)[Math.floor(runs / 2)];
    } catch {
      rates[name] = 0;
    }
  }
  return rates;
}
