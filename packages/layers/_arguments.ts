/**
 * Constructor arguments as JSON and back, for layer specs: numbers JSON cannot hold (NaN, ±∞,
 * −0) are written `{"$number": spelling}`, and modules (a container's children) `{"$layer": spec}`.
 */

/** The key under which a module passed to a constructor is recorded (its spec). */
export const LAYER_ARGUMENT = "$layer";

/** The numbers JSON cannot hold, by their spelling in a spec. */
const SPECIAL_NUMBERS: Record<string, number> = {
  NaN: NaN,
  Infinity: Infinity,
  "-Infinity": -Infinity,
  "-0": -0,
};

/**
 * A constructor argument as JSON: generators, tensors and functions become undefined, numbers
 * JSON cannot hold `{"$number": spelling}`, and any object `layer` recognises (a module) what it
 * returns for it.
 */
export function jsonArgument(value: unknown, layer?: (value: object) => unknown): unknown {
  if (typeof value === "number" && (!Number.isFinite(value) || Object.is(value, -0))) {
    return { $number: Object.is(value, -0) ? "-0" : String(value) };
  }
  if (value === null || ["number", "string", "boolean"].includes(typeof value)) return value;
  if (Array.isArray(value)) return value.map((v) => jsonArgument(v, layer));
  if (typeof value !== "object") return undefined;
  const recorded = layer?.(value);
  if (recorded !== undefined) return recorded;
  if (Object.getPrototypeOf(value) === Object.prototype) {
    const entries = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => [k, jsonArgument(v, layer)] as const)
      .filter(([, v]) => v !== undefined);
    return Object.fromEntries(entries);
  }
  return undefined;
}

/**
 * A constructor argument from its JSON in a spec: `{"$number": "NaN"}` and the like become the
 * numbers again, and `{"$layer": spec}` what `layer` builds from the spec, inside arrays and
 * objects too.
 *
 * @param value The argument as JSON.
 * @param layer Builds a module from its spec.
 * @returns The argument.
 */
export function decodeArgument(value: unknown, layer?: (spec: unknown) => unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => decodeArgument(v, layer));
  if (typeof value !== "object" || value === null) return value;
  const entries = Object.entries(value);
  if (layer !== undefined && entries.length === 1 && entries[0][0] === LAYER_ARGUMENT) {
    return layer(entries[0][1]);
  }
  if (entries.length === 1 && entries[0][0] === "$number") {
    const spelling = entries[0][1];
    if (typeof spelling === "string" && Object.hasOwn(SPECIAL_NUMBERS, spelling)) {
      return SPECIAL_NUMBERS[spelling];
    }
  }
  const decoded: Record<string, unknown> = {};
  for (const [k, v] of entries) {
    Object.defineProperty(decoded, k, {
      value: decodeArgument(v, layer),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return decoded;
}
