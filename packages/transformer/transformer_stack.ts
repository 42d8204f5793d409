import { buildLayer, type LayerSpec, Module } from "@kiso/layers";
import type { LayerNorm } from "@kiso/regularization";
import type { Tensor } from "@kiso/tensor";
import { checkOptions, checkPositiveIntegers } from "@kiso/tensor/errors";
import type { TransformerBlock } from "./transformer_block.ts";

/** The numbered copies of a stack's layer (PyTorch's `ModuleList`: keys `layers.0.…`). */
class LayerList<L extends Module> extends Module {
  readonly items: readonly L[];
  constructor(items: L[]) {
    super();
    this.items = items;
    items.forEach((layer, i) => this.registerModule(String(i), layer));
  }
  forward(): Tensor {
    throw new TypeError("layers: a list of layers has no forward: call the stack's forward");
  }
}

/** A module, or the spec it was saved as (what `buildLayer` passes back on load). */
export type ModuleOrSpec<M extends Module> = M | LayerSpec;

function resolve<M extends Module>(m: ModuleOrSpec<M>): M {
  return m instanceof Module ? m : buildLayer(m) as M;
}

/**
 * What the encoder and decoder stacks share: `numLayers` copies of one layer (`layers.0`,
 * `layers.1`, …, each a copy with equal weights, as PyTorch's deep copies) and an optional
 * final `norm`.
 *
 * @example The layers of a stack
 * ```ts
 * import { TransformerEncoder, TransformerEncoderLayer } from "@kiso/transformer";
 * import assert from "node:assert/strict";
 *
 * const encoder = new TransformerEncoder(new TransformerEncoderLayer(8, 2, { dimFeedforward: 16 }), 3);
 * assert.equal(encoder.layers.length, 3);
 * assert.equal(encoder.norm, undefined);
 * ```
 */
export abstract class TransformerStack<L extends TransformerBlock> extends Module {
  /** The layers, in order. */
  readonly layers: readonly L[];
  /** The final layer norm (`norm`), or undefined. */
  readonly norm: LayerNorm | undefined;

  /**
   * Copies the layer.
   *
   * @param layer The layer to copy (or its saved spec).
   * @param numLayers The number of copies.
   * @param options `norm`: a final layer norm (or its saved spec).
   */
  constructor(
    layer: ModuleOrSpec<L>,
    numLayers: number,
    options: { norm?: ModuleOrSpec<LayerNorm> },
  ) {
    super();
    const name = this.typeName;
    checkOptions(name, options, ["norm"]);
    checkPositiveIntegers(name, { numLayers });
    const template = resolve(layer);
    const copies = Array.from({ length: numLayers }, () => template.clone());
    this.layers = this.registerModule("layers", new LayerList(copies)).items;
    this.norm = options.norm === undefined
      ? undefined
      : this.registerModule("norm", resolve(options.norm));
    this.describe(template.architecture(), numLayers, { norm: this.norm?.architecture() });
  }
}
