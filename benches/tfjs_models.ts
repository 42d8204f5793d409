// The three MNIST-shaped models of kiso's demos in TensorFlow.js (bench-only), for the peers of
// scripts/train_throughput.ts and scripts/cpu_train_bench.ts; layers build on any tfjs backend.
import { tf } from "./_tfjs_module.ts";

/** The MLP 784-256-128-10, the LeNet-like CNN (NHWC) and an LSTM(28→`lstmUnits`)+Dense(10). */
export function tfjsMnistModels(lstmUnits: number): Record<"mlp" | "cnn" | "lstm", tf.LayersModel> {
  return {
    mlp: tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [784], units: 256, activation: "relu" }),
        tf.layers.dense({ units: 128, activation: "relu" }),
        tf.layers.dense({ units: 10 }),
      ],
    }),
    cnn: tf.sequential({
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
    lstm: tf.sequential({
      layers: [
        tf.layers.lstm({ inputShape: [28, 28], units: lstmUnits }),
        tf.layers.dense({ units: 10 }),
      ],
    }),
  };
}
