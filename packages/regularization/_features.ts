/** Throws a `RangeError` unless a normalisation layer's channel count is a positive integer. */
export function checkFeatures(layer: string, features: number, name = "numFeatures"): void {
  if (!Number.isInteger(features) || features < 1) {
    throw new RangeError(
      `${layer}: ${name} must be a positive integer: current value is ${features}`,
    );
  }
}
