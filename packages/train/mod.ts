/**
 * The training loop as a library: {@linkcode fit} (mini-batches from tensors or any iterable of
 * batches, metrics accumulated over the batches, validation, gradient accumulation and clipping,
 * per-step schedules, callbacks), {@linkcode evaluate}, {@linkcode predict} and
 * {@linkcode predictClasses}; the callbacks
 * {@linkcode ProgressBar}, {@linkcode EarlyStopping}, {@linkcode ReduceLROnPlateau},
 * {@linkcode ModelCheckpoint} (with {@linkcode resumeFrom}, bit for bit), {@linkcode CSVLogger},
 * {@linkcode LearningRateScheduler} and {@linkcode StopOnInterrupt}; and one-call
 * {@linkcode saveModel} / {@linkcode loadModel} with the architecture (and the class names of
 * {@linkcode setClassNames}) in the file.
 *
 * @example Usage
 * ```ts
 * import { Dense, ReLU, Sequential } from "@kiso/layers";
 * import { softmaxCrossEntropy } from "@kiso/losses";
 * import { Adam } from "@kiso/optimizers";
 * import { Rng, tensor } from "@kiso/tensor";
 * import { EarlyStopping, fit, predict } from "@kiso/train";
 * import assert from "node:assert/strict";
 *
 * const rng = new Rng(1);
 * const model = new Sequential(new Dense(2, 16, { rng }), new ReLU(), new Dense(16, 2, { rng }));
 * const x = tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
 * const y = tensor([0, 1, 1, 0], { dtype: "int32" });
 * const history = await fit(model, {
 *   x, y, validation: [x, y], loss: softmaxCrossEntropy, epochs: 300, batchSize: 4, rng,
 *   optimizer: new Adam(model.parameters(), { lr: 0.03 }), metrics: ["accuracy"], verbose: false,
 *   callbacks: [new EarlyStopping({ monitor: "val_accuracy", patience: 20 })],
 * });
 * assert.equal(history.epochs.at(-1)!.val_accuracy, 1);
 * assert.deepEqual(predict(model, x).shape, [4, 2]);
 * ```
 *
 * @module
 */
export * from "./callback.ts";
export * from "./metrics.ts";
export * from "./fit.ts";
export * from "./evaluate.ts";
export * from "./predict_classes.ts";
export * from "./progress_bar.ts";
export * from "./early_stopping.ts";
export * from "./reduce_lr_on_plateau.ts";
export * from "./model_checkpoint.ts";
export * from "./csv_logger.ts";
export * from "./lr_scheduler.ts";
export * from "./stop_on_interrupt.ts";
export * from "./save_model.ts";
export { classNames, setClassNames } from "./class_names.ts";
