import { checkOptions } from "@kiso/tensor/errors";
import { PADDING_MODES, type PaddingMode } from "@kiso/tensor";

/** The option keys every convolution layer takes. */
export const CONV_LAYER_OPTIONS: readonly string[] = [
  "stride",
  "padding",
  "dilation",
  "groups",
  "bias",
  "rng",
  "dtype",
];

/**
 * Checks a convolution layer's sizes and options before any weight is made: unknown keys, a
 * kernel of positive integers, channel counts that are positive integers divisible by `groups`,
 * and a known `paddingMode`.
 *
 * @returns The number of groups.
 */
export function checkConvLayer(
  layer: string,
  inChannels: number,
  outChannels: number,
  kernelSize: number | readonly number[],
  options: { groups?: number; paddingMode?: PaddingMode },
  known: readonly string[],
): number {
  checkOptions(layer, options, known);
  const kernel = typeof kernelSize === "number" ? [kernelSize] : kernelSize;
  if (!Array.isArray(kernel) || kernel.some((k) => !Number.isInteger(k) || k < 1)) {
    throw new RangeError(
      `${layer}: kernelSize must be positive integers: current value is ${
        JSON.stringify(kernelSize)
      }`,
    );
  }
  for (const [name, value] of [["inChannels", inChannels], ["outChannels", outChannels]] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(
        `${layer}: ${name} must be a positive integer: current value is ${value}`,
      );
    }
  }
  const groups = options.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1) {
    throw new RangeError(`${layer}: groups must be a positive integer: current value is ${groups}`);
  }
  for (const [name, value] of [["inChannels", inChannels], ["outChannels", outChannels]] as const) {
    if (value % groups !== 0) {
      throw new RangeError(`${layer}: ${name} ${value} is not divisible by groups ${groups}`);
    }
  }
  const mode = options.paddingMode ?? "zeros";
  if (!PADDING_MODES.includes(mode)) {
    throw new RangeError(
      `${layer}: paddingMode must be one of ${PADDING_MODES.join(", ")}: current value is ${mode}`,
    );
  }
  return groups;
}
