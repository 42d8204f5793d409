/**
 * Data for training: datasets (in memory or generated), a `DataLoader` with seeded per-epoch
 * shuffling (a new order every epoch), splits, scalers fitted on training data only, label
 * encoding, an RFC 4180 CSV reader with precise errors, the noises of denoising autoencoders, and
 * image augmentations applied per batch by the loader.
 *
 * @example Usage
 * ```ts
 * import { DataLoader, readCsv, StandardScaler, TensorDataset } from "@kiso/data";
 * import assert from "node:assert/strict";
 *
 * const { features, labels } = readCsv("a,b,y\n1,2,0\n3,4,1\n5,6,0\n", { labelColumn: "y" });
 * const x = new StandardScaler().fit(features).transform(features);
 * const batches = [...new DataLoader(new TensorDataset(x, labels!), { batchSize: 2 })];
 * assert.equal(batches.length, 2);
 * ```
 *
 * @module
 */
export * from "./dataset.ts";
export * from "./data_loader.ts";
export * from "./split.ts";
export * from "./scalers.ts";
export * from "./label_encoder.ts";
export * from "./csv.ts";
export * from "./load_csv.ts";
export * from "./noise.ts";
export * from "./augment.ts";
