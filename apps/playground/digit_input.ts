/**
 * A drawn digit as MNIST's preprocessing made its digits: the strokes' bounding box scaled (by
 * area averaging) to fit a 20×20 box, keeping its aspect ratio, then placed in a 28×28 image so
 * that its centre of mass sits at the centre.
 *
 * @module
 */
import { PIXELS } from "./digits.ts";

/** Ink below this (of 1) is background. */
const INK = 0.05;

/** The bounding box of the ink: [left, top, right, bottom), or undefined for a blank image. */
function inkBox(
  ink: ArrayLike<number>,
  width: number,
  height: number,
): [number, number, number, number] | undefined {
  let [left, top, right, bottom] = [width, height, 0, 0];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[y * width + x] > INK) {
        left = Math.min(left, x);
        right = Math.max(right, x + 1);
        top = Math.min(top, y);
        bottom = Math.max(bottom, y + 1);
      }
    }
  }
  return right > left ? [left, top, right, bottom] : undefined;
}

/** How much of source cell `i` (of size 1) falls in [from, to). */
function overlap(i: number, from: number, to: number): number {
  return Math.max(0, Math.min(i + 1, to) - Math.max(i, from));
}

/**
 * The 28×28 MNIST input of a drawing.
 *
 * @param ink Ink per pixel in [0, 1] (white strokes on black: a canvas's red channel / 255),
 * row-major.
 * @param width The drawing's width in pixels.
 * @param height Its height.
 * @returns 784 values in [0, 1]; all zeros for a blank drawing.
 */
export function mnistInput(ink: ArrayLike<number>, width: number, height: number): Float32Array {
  const out = new Float32Array(PIXELS);
  const box = inkBox(ink, width, height);
  if (box === undefined) return out;
  const [left, top, right, bottom] = box;
  const scale = 20 / Math.max(right - left, bottom - top);
  const w = Math.max(1, Math.round((right - left) * scale));
  const h = Math.max(1, Math.round((bottom - top) * scale));
  // area averaging: each small pixel is the mean of the source area it covers
  const small = new Float32Array(w * h);
  const [sx, sy] = [(right - left) / w, (bottom - top) / h];
  for (let y = 0; y < h; y++) {
    const [y0, y1] = [top + y * sy, top + (y + 1) * sy];
    for (let x = 0; x < w; x++) {
      const [x0, x1] = [left + x * sx, left + (x + 1) * sx];
      let sum = 0;
      for (let j = Math.floor(y0); j < Math.ceil(y1); j++) {
        const wy = overlap(j, y0, y1);
        for (let i = Math.floor(x0); i < Math.ceil(x1); i++) {
          sum += wy * overlap(i, x0, x1) * ink[j * width + i];
        }
      }
      small[y * w + x] = sum / (sx * sy);
    }
  }
  let [mass, mx, my] = [0, 0, 0];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = small[y * w + x];
      mass += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  }
  // the offset that puts the centre of mass at (14, 14), kept inside the image
  const dx = Math.min(28 - w, Math.max(0, Math.round(14 - mx / mass)));
  const dy = Math.min(28 - h, Math.max(0, Math.round(14 - my / mass)));
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) out[(y + dy) * 28 + x + dx] = Math.min(1, small[y * w + x]);
  }
  return out;
}
