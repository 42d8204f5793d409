import { formatShape } from "@kiso/tensor/errors";
import { keep, type Tensor } from "@kiso/tensor";
import type { Parameter } from "./parameter.ts";
import { jsonArgument, LAYER_ARGUMENT } from "./_arguments.ts";
import { LAYER_NAMES } from "./_layer_names.ts";

/** What {@linkcode Module.loadStateDict} found missing or unexpected (non-strict loads). */
export interface LoadResult {
  /** Keys of the model that the state did not have. */
  missingKeys: string[];
  /** Keys of the state that the model does not have. */
  unexpectedKeys: string[];
}

/**
 * A module's type and constructor arguments (see `Module.architecture`), as JSON. Numbers that
 * JSON cannot hold are written `{"$number": "NaN"}` (also `"Infinity"`, `"-Infinity"` and
 * `"-0"`), so that they survive a file.
 */
export interface LayerSpec {
  /** The registered layer type, e.g. `Dense`. */
  type: string;
  /** The constructor's arguments, as JSON. */
  args: unknown[];
  /** A container's children, in order. */
  children?: LayerSpec[];
}

/** Thrown inside `describe` when a module argument cannot describe itself. */
const UNDESCRIBED = Symbol("undescribed");

/** A module argument as `{ $layer: spec }` (other objects: undefined). */
function moduleSpec(value: object): unknown {
  if (!(value instanceof Module)) return undefined;
  const spec = value.architecture();
  if (spec === undefined) throw UNDESCRIBED;
  return { [LAYER_ARGUMENT]: spec };
}

/**
 * The base of every layer and model (PyTorch `nn.Module`): it holds parameters, buffers
 * (state that is saved but not trained, e.g. BatchNorm's running mean) and sub-modules, all
 * registered explicitly under names; dotted names (`"0.weight"`) reach into sub-modules.
 *
 * @example Usage
 * ```ts
 * import { Dense, Module } from "@kiso/layers";
 * import { relu, type Tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * class Mlp extends Module {
 *   hidden = this.registerModule("hidden", new Dense(4, 8));
 *   out = this.registerModule("out", new Dense(8, 2));
 *   forward(x: Tensor): Tensor {
 *     return this.out.forward(relu(this.hidden.forward(x)));
 *   }
 * }
 * const model = new Mlp();
 * assert.deepEqual(model.namedParameters().map(([name]) => name), ["hidden.weight", "hidden.bias", "out.weight", "out.bias"]);
 * ```
 */
export abstract class Module {
  /** True in training mode (the default), false in evaluation mode. */
  training = true;
  #parameters = new Map<string, Parameter>();
  #buffers = new Map<string, Tensor>();
  #modules = new Map<string, Module>();
  #spec: LayerSpec | undefined;

  /**
   * Records the constructor arguments that rebuild this module (see {@linkcode architecture}):
   * numbers, strings, booleans, arrays, plain option objects and modules (by their own
   * architecture, so containers such as `Residual` describe themselves the same way); generators
   * and functions are left out (weights are loaded afterwards). Built-in layers call it; so can
   * custom ones, which are then rebuilt through `registerLayer`. A module argument that cannot
   * describe itself leaves this module without an architecture.
   *
   * @param args The constructor's arguments.
   */
  protected describe(...args: unknown[]): void {
    try {
      this.#spec = { type: this.typeName, args: args.map((a) => jsonArgument(a, moduleSpec)) };
    } catch (e) {
      if (e !== UNDESCRIBED) throw e;
      this.#spec = undefined;
    }
  }

  /**
   * How to rebuild this module without its code: its type and constructor arguments (children
   * for containers), or undefined when it needs code that only its author has.
   *
   * @returns The spec, or undefined.
   */
  architecture(): LayerSpec | undefined {
    return this.#spec;
  }

  /**
   * Computes the module's output.
   *
   * @param input The input.
   * @returns The output.
   */
  abstract forward(input: Tensor): Tensor;

  /**
   * Registers a trainable parameter under a name.
   *
   * @param name The name (no dots).
   * @param parameter The parameter.
   * @returns The parameter.
   */
  protected registerParameter(name: string, parameter: Parameter): Parameter {
    this.#checkName(name);
    this.#parameters.set(name, parameter);
    return parameter;
  }

  /**
   * Registers a buffer: saved in the state dict, not trained, and never freed by a `tidy` scope.
   *
   * @param name The name (no dots).
   * @param buffer The tensor.
   * @returns The tensor.
   */
  protected registerBuffer(name: string, buffer: Tensor): Tensor {
    this.#checkName(name);
    keep(buffer); // a module built inside a tidy scope keeps its state
    this.#buffers.set(name, buffer);
    return buffer;
  }

  /**
   * Registers a sub-module.
   *
   * @typeParam M The module's type.
   * @param name The name (no dots).
   * @param module The sub-module.
   * @returns The sub-module.
   */
  protected registerModule<M extends Module>(name: string, module: M): M {
    this.#checkName(name);
    this.#modules.set(name, module);
    return module;
  }

  #checkName(name: string): void {
    if (name === "" || name.includes(".")) {
      throw new RangeError(`Module: "${name}" is not a valid name: use no dots`);
    }
    if (this.#parameters.has(name) || this.#buffers.has(name) || this.#modules.has(name)) {
      throw new RangeError(`Module: "${name}" is already registered`);
    }
  }

  /**
   * The direct sub-modules with their names.
   *
   * @returns `[name, module]` pairs in registration order.
   */
  namedChildren(): [string, Module][] {
    return [...this.#modules];
  }

  /**
   * Every parameter of this module and its sub-modules, with dotted names. A parameter shared
   * by several modules (weight tying) is listed once, under the first name that reaches it, as
   * PyTorch's `named_parameters()`; {@linkcode stateDict} still writes every name.
   *
   * @returns `[name, parameter]` pairs in registration order.
   */
  namedParameters(): [string, Parameter][] {
    const seen = new Set<Parameter>();
    return this.#named((m) => m.#parameters).filter(([, p]) => {
      if (seen.has(p)) return false;
      seen.add(p);
      return true;
    });
  }

  /**
   * Every parameter, without names (what an optimizer takes): each once, even when several
   * modules share it (weight tying), so an optimizer steps it once.
   *
   * @returns The parameters.
   *
   * @example A tied parameter is listed once
   * ```ts
   * import { Module, Parameter } from "@kiso/layers";
   * import { ones, type Tensor } from "@kiso/tensor";
   * import assert from "node:assert/strict";
   *
   * class Tied extends Module {
   *   shared = new Parameter(ones([2]));
   *   constructor() {
   *     super();
   *     this.registerParameter("a", this.shared);
   *     this.registerParameter("b", this.shared);
   *   }
   *   forward(x: Tensor): Tensor {
   *     return x;
   *   }
   * }
   * const m = new Tied();
   * assert.equal(m.parameters().length, 1);
   * assert.deepEqual(Object.keys(m.stateDict()), ["a", "b"]);
   * ```
   */
  parameters(): Parameter[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /**
   * Every buffer of this module and its sub-modules, with dotted names.
   *
   * @returns `[name, buffer]` pairs.
   */
  namedBuffers(): [string, Tensor][] {
    return this.#named((m) => m.#buffers);
  }

  /** This module's own entries, then each sub-module's under `<child>.`, recursively. */
  #named<T>(own: (m: Module) => Map<string, T>): [string, T][] {
    const entries: [string, T][] = [...own(this)];
    for (const [prefix, child] of this.#modules) {
      for (const [name, value] of child.#named(own)) entries.push([`${prefix}.${name}`, value]);
    }
    return entries;
  }

  /**
   * The number of trainable values.
   *
   * @returns The sum of the parameters' sizes.
   */
  numParameters(): number {
    return this.parameters().reduce((n, p) => n + p.size, 0);
  }

  /**
   * Parameters and buffers by dotted name, as PyTorch's `state_dict()` (same keys and layouts).
   * A parameter shared by several modules (weight tying) appears under every name.
   *
   * @returns The state; its tensors share the model's values.
   */
  stateDict(): Record<string, Tensor> {
    return Object.fromEntries([...this.#named((m) => m.#parameters), ...this.namedBuffers()]);
  }

  /**
   * Copies values from a state dict into the parameters and buffers, checking every shape and
   * dtype first, so a failed load changes nothing. A parameter shared by several modules stays
   * shared (the value under its last name is the one kept, as in PyTorch).
   *
   * @param state Tensors by dotted name.
   * @param options `strict` (default true): fail on missing or unexpected keys.
   * @returns The missing and unexpected keys (empty when strict).
   * @throws {TypeError} On a shape or dtype mismatch, or on missing/unexpected keys when strict.
   */
  loadStateDict(state: Record<string, Tensor>, options: { strict?: boolean } = {}): LoadResult {
    const own = this.stateDict();
    // own keys only: names such as "toString" or "__proto__" that Object.prototype has are
    // keys like any other, never found through the prototype
    const missingKeys = Object.keys(own).filter((k) => !Object.hasOwn(state, k));
    const unexpectedKeys = Object.keys(state).filter((k) => !Object.hasOwn(own, k));
    if ((options.strict ?? true) && (missingKeys.length > 0 || unexpectedKeys.length > 0)) {
      throw new TypeError(
        `loadStateDict: keys do not match: missing [${missingKeys.join(", ")}], unexpected [${
          unexpectedKeys.join(", ")
        }]`,
      );
    }
    const pairs = Object.entries(own).filter(([k]) => Object.hasOwn(state, k)).map(([k, target]) =>
      [k, target, state[k]] as const
    );
    for (const [key, target, source] of pairs) {
      const same = source.rank === target.rank &&
        source.shape.every((d, i) => d === target.shape[i]);
      if (!same || source.dtype !== target.dtype) {
        throw new TypeError(
          `loadStateDict: ${key}: ${formatShape(source.shape)} ${source.dtype} in the state, ${
            formatShape(target.shape)
          } ${target.dtype} in the model`,
        );
      }
    }
    for (const [, target, source] of pairs) target.assign(source.detach());
    return { missingKeys, unexpectedKeys };
  }

  /**
   * Sets training mode here and in every sub-module (dropout and batch norm behave
   * differently in training and evaluation).
   *
   * @param mode True for training, false for evaluation.
   * @returns This module.
   */
  train(mode = true): this {
    this.training = mode;
    for (const [, m] of this.namedChildren()) m.train(mode);
    return this;
  }

  /**
   * Sets evaluation mode (`train(false)`).
   *
   * @returns This module.
   */
  eval(): this {
    return this.train(false);
  }

  /** Clears every parameter's gradient. */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /**
   * The layer type's name, shown by `summary` and recorded by `describe`: the name its class was
   * registered under with `registerLayer` (which survives a minifier's renaming), else the class's
   * own name (override for a friendlier name).
   *
   * @returns The name.
   */
  get typeName(): string {
    return LAYER_NAMES.get(this.constructor) ?? this.constructor.name;
  }
}
