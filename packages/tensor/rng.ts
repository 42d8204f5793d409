/**
 * Seeded pseudo-random numbers: xoshiro128** (Blackman & Vigna, 2018), a 128-bit-state
 * generator with 32-bit outputs, seeded through the splitmix32 mixer. Every random function in
 * kiso takes an explicit {@linkcode Rng} or falls back to the global one set by
 * {@linkcode setSeed}; the same seed gives bit-identical results.
 *
 * @module
 */

function splitmix32(state: { x: number }): number {
  state.x = (state.x + 0x9e3779b9) | 0;
  let z = state.x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * A seeded xoshiro128** generator.
 *
 * @example Usage
 * ```ts
 * import { Rng } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const a = new Rng(42);
 * const b = new Rng(42);
 * assert.equal(a.nextUint32(), b.nextUint32());
 * assert.ok(a.random() < 1);
 * ```
 */
export class Rng {
  #s: Uint32Array = new Uint32Array(4);

  /**
   * Creates a generator.
   *
   * @param seed Any integer (taken modulo 2³²).
   */
  constructor(seed: number) {
    if (!Number.isFinite(seed)) {
      throw new RangeError(`Rng: seed must be a finite number: current value is ${seed}`);
    }
    const state = { x: Math.trunc(seed) | 0 };
    for (let i = 0; i < 4; i++) this.#s[i] = splitmix32(state);
  }

  /**
   * The next 32 random bits.
   *
   * @returns An integer in `[0, 2³²)`.
   */
  nextUint32(): number {
    const s = this.#s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /**
   * A uniform number in `[0, 1)` with 32 random bits.
   *
   * @returns The number.
   */
  random(): number {
    return this.nextUint32() / 4294967296;
  }

  /**
   * A standard normal number (Box–Muller on two uniforms).
   *
   * @returns The number.
   */
  normal(): number {
    const u = 1 - this.random();
    const v = this.random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /**
   * A uniform integer in `[0, n)`.
   *
   * @param n The number of choices.
   * @returns The integer.
   */
  int(n: number): number {
    return Math.floor(this.random() * n);
  }

  /**
   * The generator's state, to save in a checkpoint.
   *
   * @returns Four 32-bit words.
   */
  getState(): number[] {
    return Array.from(this.#s);
  }

  /**
   * Restores a state from {@linkcode Rng.getState}.
   *
   * @param state Four unsigned 32-bit words (0 … 2³² − 1), not all zero.
   * @throws {RangeError} When the state is malformed.
   */
  setState(state: readonly number[]): void {
    // what getState gives: four unsigned 32-bit words (2^40 would wrap silently)
    if (
      !Array.isArray(state) || state.length !== 4 || state.every((w) => w === 0) ||
      state.some((w) => !Number.isInteger(w) || w < 0 || w > 0xffffffff)
    ) {
      throw new RangeError(
        `Rng.setState: expected four unsigned 32-bit integers, not all zero: current value is ${
          JSON.stringify(state)
        }`,
      );
    }
    this.#s.set(state);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

let global = new Rng(0);

/**
 * Re-seeds the global generator used when no explicit {@linkcode Rng} is passed.
 *
 * @param seed Any integer.
 *
 * @example Usage
 * ```ts
 * import { randn, setSeed } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * setSeed(7);
 * const a = randn([3]).dataSync();
 * setSeed(7);
 * assert.deepEqual(randn([3]).dataSync(), a);
 * ```
 */
export function setSeed(seed: number): void {
  global = new Rng(seed);
}

/**
 * The global generator (seed 0 until {@linkcode setSeed} is called).
 *
 * @returns The generator.
 *
 * @example Usage
 * ```ts
 * import { globalRng } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.ok(globalRng().random() < 1);
 * ```
 */
export function globalRng(): Rng {
  return global;
}
