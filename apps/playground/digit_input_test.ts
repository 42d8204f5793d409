import assert from "node:assert/strict";
import { mnistInput } from "./digit_input.ts";
import { decodeDigits, encodeDigits, PIXELS } from "./digits.ts";

/** A `width`×`height` drawing with ink 1 in the rectangle [x0, x1) × [y0, y1). */
function drawing(width: number, height: number, [x0, y0, x1, y1]: number[]): Float32Array {
  const ink = new Float32Array(width * height);
  for (let y = y0; y < y1; y++) ink.fill(1, y * width + x0, y * width + x1);
  return ink;
}

/** The centre of mass (x, y) and the ink's bounding box of a 28×28 image. */
function measure(image: Float32Array): { cx: number; cy: number; box: number[] } {
  let [mass, mx, my] = [0, 0, 0];
  const box = [28, 28, 0, 0];
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      const v = image[y * 28 + x];
      if (v === 0) continue;
      [mass, mx, my] = [mass + v, mx + v * (x + 0.5), my + v * (y + 0.5)];
      box[0] = Math.min(box[0], x);
      box[1] = Math.min(box[1], y);
      box[2] = Math.max(box[2], x + 1);
      box[3] = Math.max(box[3], y + 1);
    }
  }
  return { cx: mx / mass, cy: my / mass, box };
}

Deno.test("mnistInput() scales the ink to a 20-pixel box and centres its mass, as MNIST did", () => {
  // a tall bar in the top-left corner of a 280×280 canvas: 40 wide, 200 high
  const image = mnistInput(drawing(280, 280, [10, 5, 50, 205]), 280, 280);
  const { cx, cy, box } = measure(image);
  assert.deepEqual([box[2] - box[0], box[3] - box[1]], [4, 20]); // 40×200 → 4×20
  assert.ok(Math.abs(cx - 14) <= 0.5 && Math.abs(cy - 14) <= 0.5, `${cx}, ${cy}`);
  assert.ok(image.every((v) => v === 0 || v === 1), "full cells stay full");
});

Deno.test("mnistInput() averages the area each pixel covers, and gives zeros for a blank drawing", () => {
  // a 1-pixel-wide line 40 long on a 40×40 drawing: each of the 20 output pixels covers 2×2 source
  const line = mnistInput(drawing(40, 40, [0, 10, 40, 11]), 40, 40);
  const ink = Array.from(line).filter((v) => v > 0);
  assert.deepEqual(ink, Array(20).fill(1)); // a 40×1 box scales to 20×1 (height rounds up to 1)
  assert.deepEqual(mnistInput(new Float32Array(100), 10, 10), new Float32Array(PIXELS));
  const half = mnistInput(drawing(4, 4, [0, 0, 4, 4]).map((v) => v / 2), 4, 4);
  assert.equal(Math.max(...half), 0.5);
});

Deno.test("the digits asset round-trips, and a file of another size or label is refused", () => {
  const digits = {
    count: 2,
    labels: Uint8Array.of(3, 9),
    pixels: new Uint8Array(2 * PIXELS).fill(7),
  };
  const bytes = encodeDigits(digits);
  assert.equal(bytes.length, 4 + 2 + 2 * PIXELS);
  assert.deepEqual(decodeDigits(bytes), digits);
  assert.throws(() => decodeDigits(bytes.subarray(0, 100)), {
    name: "SyntaxError",
    message: "mnist.bin: 100 bytes is not 4 + n × 785 for the 2 digits it announces",
  });
  const wrong = bytes.slice();
  wrong[5] = 10;
  assert.throws(() => decodeDigits(wrong), /mnist.bin: digit 1 has label 10/);
});
