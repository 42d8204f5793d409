import { type DType, type Tensor, tensor } from "@kiso/tensor";
import { formatShape } from "@kiso/tensor/errors";

/** The most elements a tensor made from sizes in a file may have (2²⁷, 512 MiB of float32). */
export const MAX_ELEMENTS = 2 ** 27;

/**
 * The number of elements of a shape taken from a file or computed by the graph, refusing
 * negative sizes and sizes beyond {@linkcode MAX_ELEMENTS}.
 *
 * @param where The op or tensor, for the message.
 * @param shape The shape.
 * @returns The number of elements.
 * @throws {RangeError} For a negative, fractional or too large size.
 */
export function checkedSize(where: string, shape: readonly number[]): number {
  let size = 1;
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0) {
      throw new RangeError(`${where}: ${formatShape(shape)} is not a shape`);
    }
    size *= d;
  }
  if (size > MAX_ELEMENTS) {
    throw new RangeError(`${where}: ${formatShape(shape)} has ${size} elements, more than 2^27`);
  }
  return size;
}

/** What a host tensor's numbers are. */
export type HostKind = "float" | "int" | "bool";

/**
 * A small tensor kept as plain numbers on the host: shapes, axes, indices and the constants an
 * ONNX graph computes them from (`Shape`, `Gather`, `Concat`, …). It becomes a kiso tensor (in
 * the model's float dtype, or int32) only when a device op needs it, so shape arithmetic never
 * reads from the device.
 *
 * @example Usage
 * ```ts
 * import { HostTensor } from "@kiso/onnx";
 * import assert from "node:assert/strict";
 *
 * const shape = new HostTensor([2], [4, 784], "int");
 * assert.deepEqual(shape.toTensor("float32").dtype, "int32");
 * ```
 */
export class HostTensor {
  /** The shape. */
  readonly shape: number[];
  /** The values, row-major. */
  readonly values: number[];
  /** Float, integer or boolean values. */
  readonly kind: HostKind;

  /**
   * Creates a host tensor.
   *
   * @param shape The shape.
   * @param values The values (as many as the shape holds).
   * @param kind Float, integer or boolean.
   * @throws {RangeError} When the values do not fill the shape.
   */
  constructor(shape: readonly number[], values: readonly number[], kind: HostKind) {
    const size = checkedSize("HostTensor", shape);
    if (values.length !== size) {
      throw new RangeError(
        `HostTensor: ${formatShape(shape)} holds ${size} values: got ${values.length}`,
      );
    }
    this.shape = [...shape];
    this.values = [...values];
    this.kind = kind;
  }

  /**
   * The values as a kiso tensor: floats in `floatDType`, integers and booleans as int32.
   *
   * @param floatDType The model's float dtype.
   * @returns The tensor.
   */
  toTensor(floatDType: DType): Tensor {
    const dtype = this.kind === "float" ? floatDType : "int32";
    return tensor(this.values, { shape: this.shape, dtype });
  }
}
