import { conv1d, type PaddingMode, type Tensor } from "@kiso/tensor";
import { Convolution, type ConvolutionOptions } from "./convolution.ts";
import { registerLayer } from "./registry.ts";

/** Options of {@linkcode Conv1d}. */
export interface Conv1dLayerOptions extends ConvolutionOptions {
  /**
   * The stride.
   *
   * @default {1}
   */
  stride?: number;
  /**
   * Padding on each side, `"valid"` or `"same"`.
   *
   * @default {0}
   */
  padding?: number | "valid" | "same";
  /**
   * The dilation.
   *
   * @default {1}
   */
  dilation?: number;
  /**
   * What the padding reads: `"zeros"`, `"reflect"`, `"replicate"` or `"circular"`.
   *
   * @default {"zeros"}
   */
  paddingMode?: PaddingMode;
}

/**
 * A 1-D convolution layer over `[N, C, L]` sequences (PyTorch `nn.Conv1d`): `weight`
 * `[outChannels, inChannels / groups, k]`, `bias` `[outChannels]`, both initialised
 * U(±1/√(inChannels/groups·k)). A causal (temporal) convolution pads `dilation·(k − 1)` and keeps
 * the first L outputs.
 *
 * @example Usage
 * ```ts
 * import { Conv1d } from "@kiso/layers";
 * import { zeros } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const conv = new Conv1d(3, 8, 5, { padding: "same", dilation: 2 });
 * assert.deepEqual(conv.forward(zeros([4, 3, 50])).shape, [4, 8, 50]);
 * assert.deepEqual(Object.keys(conv.stateDict()), ["weight", "bias"]);
 * ```
 */
export class Conv1d extends Convolution<Conv1dLayerOptions> {
  /**
   * Creates the layer.
   *
   * @param inChannels Channels of the input.
   * @param outChannels Filters (channels of the output).
   * @param kernelSize The filter length k.
   * @param options `stride`, `padding`, `dilation`, `groups`, `paddingMode`, `bias`, `rng`,
   * `dtype`.
   * @throws {RangeError} When a channel count is not divisible by `groups`, or an option is out of
   * range.
   * @throws {TypeError} For an unknown option.
   */
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number,
    options: Conv1dLayerOptions = {},
  ) {
    super(inChannels, outChannels, kernelSize, options, { dims: 1, transposed: false });
  }

  /**
   * Applies `conv1d` with the layer's weights.
   *
   * @param input `[N, inChannels, L]`.
   * @returns `[N, outChannels, L′]`.
   */
  protected convolve(input: Tensor): Tensor {
    const { rng: _rng, dtype: _dtype, bias: _bias, ...options } = this.options;
    return conv1d(input, this.weight, { ...options, bias: this.bias });
  }
}
registerLayer("Conv1d", Conv1d);
