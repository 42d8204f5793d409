import { Parameter } from "@kiso/layers";
import { type DType, ones, zeros } from "@kiso/tensor";

/** Throws a `RangeError` unless a normalisation layer's channel count is a positive integer. */
export function checkFeatures(layer: string, features: number, name = "numFeatures"): void {
  if (!Number.isInteger(features) || features < 1) {
    throw new RangeError(
      `${layer}: ${name} must be a positive integer: current value is ${features}`,
    );
  }
}

/** A normalisation's γ (ones) and β (zeros) of `shape`, or none when it is not affine. */
export function affineParameters(
  shape: readonly number[],
  dtype: DType,
  affine: boolean,
): [Parameter | undefined, Parameter | undefined] {
  if (!affine) return [undefined, undefined];
  return [new Parameter(ones(shape, { dtype })), new Parameter(zeros(shape, { dtype }))];
}
