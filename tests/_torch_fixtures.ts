/**
 * Reads the PyTorch reference fixtures written by `scripts/torch_fixtures.py` (float64
 * safetensors under `tests/testdata/torch/`) and splits them by key prefix.
 *
 * @module
 */
import { parseSafetensors } from "@kiso/io";
import type { Tensor } from "@kiso/tensor";

/** One fixture: the tensors by role, keyed by the name after the prefix, and the metadata. */
export interface TorchFixture {
  /** `in.<name>`: the forward's inputs. */
  inputs: Record<string, Tensor>;
  /** `param.<key>`: parameters and buffers by their PyTorch state-dict key. */
  params: Record<string, Tensor>;
  /** `out.<name>`: the forward's outputs. */
  outputs: Record<string, Tensor>;
  /** `cot.<name>`: the cotangent of each output (loss = Σ out·cot). */
  cotangents: Record<string, Tensor>;
  /** `grad.in.<name>`: the loss's gradient by input. */
  inputGrads: Record<string, Tensor>;
  /** `grad.param.<key>`: the loss's gradient by parameter. */
  paramGrads: Record<string, Tensor>;
  /** The metadata strings (`options` holds the layer's options as JSON). */
  meta: Record<string, string>;
}

const DIR = new URL("./testdata/torch/", import.meta.url);
const PREFIXES = [
  ["grad.in.", "inputGrads"],
  ["grad.param.", "paramGrads"],
  ["in.", "inputs"],
  ["param.", "params"],
  ["out.", "outputs"],
  ["cot.", "cotangents"],
] as const;

/**
 * Loads `tests/testdata/torch/<name>.safetensors`.
 *
 * @param name The fixture's name (the file name without extension).
 * @returns The fixture's tensors by role and its metadata.
 */
export function loadTorchFixture(name: string): TorchFixture {
  const file = new URL(`${name}.safetensors`, DIR);
  const { tensors, metadata } = parseSafetensors(Deno.readFileSync(file), { file: file.pathname });
  const fixture: TorchFixture = {
    inputs: {},
    params: {},
    outputs: {},
    cotangents: {},
    inputGrads: {},
    paramGrads: {},
    meta: metadata,
  };
  for (const [key, t] of Object.entries(tensors)) {
    const match = PREFIXES.find(([p]) => key.startsWith(p));
    if (match === undefined) throw new TypeError(`${name}: unexpected key "${key}"`);
    fixture[match[1]][key.slice(match[0].length)] = t;
  }
  return fixture;
}

/**
 * The fixture's options metadata, parsed.
 *
 * @param fixture The fixture.
 * @returns The options object (empty when the fixture has none).
 */
export function fixtureOptions(fixture: TorchFixture): Record<string, unknown> {
  return fixture.meta.options === undefined ? {} : JSON.parse(fixture.meta.options);
}
