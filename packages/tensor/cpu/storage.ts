import type { Storage } from "../backend.ts";
import type { DataArray, DType } from "../dtype.ts";
import { dtypeOfArray } from "../dtype.ts";

/** The cpu backend's storage: a plain typed array. */
export class CpuStorage implements Storage {
  /** The values, row-major. */
  readonly data: DataArray;
  /** The element type. */
  readonly dtype: DType;
  /** The number of elements. */
  readonly size: number;

  /**
   * Wraps a typed array (without copying it).
   *
   * @param data The values.
   */
  constructor(data: DataArray) {
    this.data = data;
    this.dtype = dtypeOfArray(data);
    this.size = data.length;
  }
}

/**
 * The typed array behind a storage, checking that the cpu backend made it.
 *
 * @param x A storage.
 * @returns Its typed array.
 */
export function arrayOf(x: Storage): DataArray {
  if (!(x instanceof CpuStorage)) {
    throw new TypeError("cpu: storage belongs to another backend: move the tensor to cpu first");
  }
  return x.data;
}
