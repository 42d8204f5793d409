import type { Demo } from "../lib/demo.ts";
import { autoencoderDemo } from "./autoencoder.ts";
import { convAutoencoderDemo } from "./conv_autoencoder.ts";
import { iris } from "./iris.ts";
import { linearRegression } from "./linear_regression.ts";
import { mnistCnn, mnistMlp, mnistResnetDemo, mnistRnn } from "./mnist.ts";
import { optimizers } from "./optimizers.ts";
import { perceptronAnd } from "./perceptron_and.ts";
import { regularization } from "./regularization.ts";
import { secondOrder } from "./second_order.ts";
import { sine } from "./sine.ts";
import { xor } from "./xor.ts";
import { seqClassify } from "./seq_classify.ts";
import { tinyGpt } from "./tiny_gpt.ts";

/** Every demo, by name, in the order `--list` shows them. */
export const DEMOS: Record<string, Demo> = Object.fromEntries(
  [
    perceptronAnd,
    xor,
    linearRegression,
    iris,
    mnistMlp,
    mnistCnn,
    mnistRnn,
    mnistResnetDemo,
    autoencoderDemo,
    convAutoencoderDemo,
    sine,
    optimizers,
    regularization,
    secondOrder,
    tinyGpt,
    seqClassify,
  ]
    .map((d) => [d.name, d]),
);

/** The demo `deno task train` runs without a name. */
export const DEFAULT_DEMO = "mnist-mlp";
