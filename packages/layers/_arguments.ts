/**
 * Constructor arguments as JSON and back, for layer specs: numbers JSON cannot hold (NaN, ±∞,
 * −0) are written `{"$number": spelling}`.
 */

/** The numbers JSON cannot hold, by their spelling in a spec. */
const SPECIAL_NUMBERS: Record<string, number> = {
  NaN: NaN,
  Infinity: Infinity,
  "-Infinity": -Infinity,
  "-0": -0,
};

/**
 * A constructor argument as JSON: generators, tensors and functions become undefined, and
 * numbers JSON cannot hold `{"$number": spelling}`.
 */
export function jsonArgument(value: unknown): unknown {
  if (typeof value === "number" && (!Number.isFinite(value) || Object.is(value, -0))) {
    return { $number: Object.is(value, -0) ? "-0" : String(value) };
  }
  if (value === null || ["number", "string", "boolean"].includes(typeof value)) return value;
  if (Array.isArray(value)) return value.map(jsonArgument);
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const entries = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => [k, jsonArgument(v)] as const)
      .filter(([, v]) => v !== undefined);
    return Object.fromEntries(entries);
  }
  return undefined;
}

/**
 * A constructor argument from its JSON in a spec: `{"$number": "NaN"}` and the like become the
 * numbers again, inside arrays and objects too.
 *
 * @param value The argument as JSON.
 * @returns The argument.
 */
export function decodeArgument(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeArgument);
  if (typeof value !== "object" || value === null) return value;
  const entries = Object.entries(value);
  if (entries.length === 1 && entries[0][0] === "$number") {
    const spelling = entries[0][1];
    if (typeof spelling === "string" && Object.hasOwn(SPECIAL_NUMBERS, spelling)) {
      return SPECIAL_NUMBERS[spelling];
    }
  }
  const decoded: Record<string, unknown> = {};
  for (const [k, v] of entries) {
    Object.defineProperty(decoded, k, {
      value: decodeArgument(v),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return decoded;
}
