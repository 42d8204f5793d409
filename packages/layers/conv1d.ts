import { checkInput } from "./check_input.ts";
import { conv1d, type PaddingMode, type Tensor } from "@kiso/tensor";
import { Module } from "./module.ts";
import { Parameter } from "./parameter.ts";
import { type LayerOptions, torchUniform } from "./_init.ts";
import { checkConvLayer, CONV_LAYER_OPTIONS } from "./_conv.ts";

/** Options of {@linkcode Conv1d}. */
export interface Conv1dLayerOptions extends LayerOptions {
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
   * Channel groups, each with its own filters; both channel counts must be divisible by it.
   *
   * @default {1}
   */
  groups?: number;
  /**
   * What the padding reads: `"zeros"`, `"reflect"`, `"replicate"` or `"circular"`.
   *
   * @default {"zeros"}
   */
  paddingMode?: PaddingMode;
  /**
   * Whether to add one bias per filter.
   *
   * @default {true}
   */
  bias?: boolean;
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
export class Conv1d extends Module {
  /** Filters `[outChannels, inChannels / groups, k]`. */
  readonly weight: Parameter;
  /** Biases `[outChannels]`, or undefined. */
  readonly bias: Parameter | undefined;
  readonly #options: Conv1dLayerOptions;

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
    super();
    const groups = checkConvLayer("Conv1d", inChannels, outChannels, kernelSize, options, [
      ...CONV_LAYER_OPTIONS,
      "paddingMode",
    ]);
    this.describe(inChannels, outChannels, kernelSize, options);
    const fanIn = (inChannels / groups) * kernelSize;
    this.#options = options;
    this.weight = this.registerParameter(
      "weight",
      new Parameter(torchUniform([outChannels, inChannels / groups, kernelSize], fanIn, options)),
    );
    this.bias = options.bias === false
      ? undefined
      : this.registerParameter("bias", new Parameter(torchUniform([outChannels], fanIn, options)));
  }

  /**
   * Convolves.
   *
   * @param input `[N, inChannels, L]`.
   * @returns `[N, outChannels, L′]`.
   */
  forward(input: Tensor): Tensor {
    checkInput(this.typeName, input);
    const { stride, padding, dilation, groups, paddingMode } = this.#options;
    return conv1d(input, this.weight, {
      stride,
      padding,
      dilation,
      groups,
      paddingMode,
      bias: this.bias,
    });
  }
}
