import { checkInput } from "./check_input.ts";
import { conv2d, type Padding, type Pair, type Tensor } from "@kiso/tensor";
import { Module } from "./module.ts";
import { Parameter } from "./parameter.ts";
import { type LayerOptions, torchUniform } from "./_init.ts";

/** Options of {@linkcode Conv2d}. */
export interface Conv2dLayerOptions extends LayerOptions {
  /**
   * The stride β.
   *
   * @default {1}
   */
  stride?: Pair;
  /**
   * Zero padding α: a number or pair, `"valid"` or `"same"`.
   *
   * @default {0}
   */
  padding?: Padding;
  /**
   * The dilation.
   *
   * @default {1}
   */
  dilation?: Pair;
  /**
   * Whether to add one bias per filter.
   *
   * @default {true}
   */
  bias?: boolean;
}

/**
 * A 2-D convolution layer over NCHW images (im2col and a matrix product forward, col2im backward), with
 * PyTorch's names and layout: `weight` `[outChannels, inChannels, kH, kW]`, `bias`
 * `[outChannels]`, both initialised U(±1/√(inChannels·kH·kW)).
 *
 * @example Usage
 * ```ts
 * import { Conv2d } from "@kiso/layers";
 * import { zeros } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const conv = new Conv2d(1, 8, 5, { padding: 2 });
 * assert.deepEqual(conv.forward(zeros([64, 1, 28, 28])).shape, [64, 8, 28, 28]);
 * assert.deepEqual(conv.weight.shape, [8, 1, 5, 5]);
 * ```
 */
export class Conv2d extends Module {
  /** Filters `[outChannels, inChannels, kH, kW]`. */
  readonly weight: Parameter;
  /** Biases `[outChannels]`, or undefined. */
  readonly bias: Parameter | undefined;
  readonly #options: Conv2dLayerOptions;

  /**
   * Creates the layer.
   *
   * @param inChannels Channels of the input.
   * @param outChannels Filters (channels of the output).
   * @param kernelSize The filter size H, or `[kH, kW]`.
   * @param options `stride`, `padding`, `dilation`, `bias`, `rng`, `dtype`.
   */
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: Pair,
    options: Conv2dLayerOptions = {},
  ) {
    super();
    this.describe(inChannels, outChannels, kernelSize, options);
    const [kH, kW] = typeof kernelSize === "number" ? [kernelSize, kernelSize] : kernelSize;
    const fanIn = inChannels * kH * kW;
    this.#options = options;
    this.weight = this.registerParameter(
      "weight",
      new Parameter(torchUniform([outChannels, inChannels, kH, kW], fanIn, options)),
    );
    this.bias = options.bias === false
      ? undefined
      : this.registerParameter("bias", new Parameter(torchUniform([outChannels], fanIn, options)));
  }

  /**
   * Convolves.
   *
   * @param input `[N, inChannels, H, W]`.
   * @returns `[N, outChannels, H′, W′]`.
   */
  forward(input: Tensor): Tensor {
    checkInput(this.typeName, input);
    const { stride, padding, dilation } = this.#options;
    return conv2d(input, this.weight, { stride, padding, dilation, bias: this.bias });
  }
}
