import type { RandomOptions } from "@kiso/tensor";
import { checkOptions } from "@kiso/tensor/errors";

/**
 * Refuses keys that neither the random draw (`rng`, `dtype`, `requiresGrad`) nor the initializer
 * (`extra`) knows, naming `op`, and returns the random draw's options alone.
 */
export function randomOptions(
  op: string,
  options: RandomOptions,
  extra: readonly string[],
): RandomOptions {
  checkOptions(op, options, ["rng", "dtype", "requiresGrad", ...extra]);
  return { rng: options.rng, dtype: options.dtype, requiresGrad: options.requiresGrad };
}
