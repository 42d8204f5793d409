import {
  AdaDelta,
  AdaGrad,
  Adam,
  AdamW,
  Momentum,
  Nesterov,
  type Optimizer,
  RMSProp,
  SGD,
} from "@kiso/optimizers";
import type { BaseHyper } from "@kiso/optimizers";
import type { Tensor } from "@kiso/tensor";

/** What a demo run is asked to do (command-line options after defaults). */
export interface RunOptions {
  epochs: number;
  batchSize: number;
  lr: number;
  optimizer: string;
  seed: number;
  out: string;
  resume: boolean;
  quiet: boolean;
  /** Use at most this many training samples (small runs for tests). */
  limit: number | undefined;
  /** The backend to train on (`wasm` or `cpu`; default `wasm`). */
  backend?: string;
  /** Formats to export the trained model to (`onnx`, `torch`). */
  export?: ("onnx" | "torch")[];
}

/** The optimizers the trainer can build by name. */
export const OPTIMIZERS: Record<string, (params: Tensor[], lr: number) => Optimizer<BaseHyper>> = {
  sgd: (p, lr) => new SGD(p, { lr }),
  momentum: (p, lr) => new Momentum(p, { lr }),
  nesterov: (p, lr) => new Nesterov(p, { lr }),
  adagrad: (p, lr) => new AdaGrad(p, { lr }),
  rmsprop: (p, lr) => new RMSProp(p, { lr }),
  adadelta: (p, lr) => new AdaDelta(p, { lr }),
  adam: (p, lr) => new Adam(p, { lr }),
  adamw: (p, lr) => new AdamW(p, { lr }),
};

/**
 * The entry named `name` of a table of choices (demos, optimizers, backends): the one check of a
 * name, made when the command line is parsed and again by whatever builds from a name.
 *
 * @throws {RangeError} `unknown <what> "<name>": choose one of …`.
 */
export function choose<T>(what: string, name: string, table: Readonly<Record<string, T>>): T {
  if (!Object.hasOwn(table, name)) {
    throw new RangeError(
      `unknown ${what} "${name}": choose one of ${Object.keys(table).join(", ")}`,
    );
  }
  return table[name];
}

/** Builds the optimizer named in the options. */
export function makeOptimizer(options: RunOptions, params: Tensor[]): Optimizer<BaseHyper> {
  return choose("optimizer", options.optimizer, OPTIMIZERS)(params, options.lr);
}
