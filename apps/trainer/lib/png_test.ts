import assert from "node:assert/strict";
import { decodePng, greyPng, MAX_PNG_PIXELS, pngFile } from "./png.ts";

Deno.test("decodePng() reads greyPng's files back", async () => {
  const pixels = Uint8Array.from({ length: 12 }, (_, i) => i * 20);
  const { width, height, grey } = await decodePng(await greyPng(pixels, 4, 3));
  assert.deepEqual([width, height], [4, 3]);
  assert.deepEqual(Array.from(grey, (v) => Math.round(v * 255)), Array.from(pixels));
});

Deno.test("decodePng() undoes every filter type (Sub, Up, Average, Paeth) of an RGB image", async () => {
  // 2×5 RGB: row y filtered with type y; values chosen so the predictors differ
  const raw = [[10, 20, 30, 40, 50, 60], [70, 80, 90, 15, 25, 35], [1, 2, 3, 4, 5, 6], [
    200,
    100,
    50,
    25,
    12,
    6,
  ], [9, 8, 7, 6, 5, 4]];
  const rows: number[] = [];
  raw.forEach((line, y) => {
    rows.push(y);
    line.forEach((v, x) => {
      const a = x >= 3 ? line[x - 3] : 0;
      const b = y > 0 ? raw[y - 1][x] : 0;
      const c = x >= 3 && y > 0 ? raw[y - 1][x - 3] : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c)
        ? a
        : Math.abs(p - b) <= Math.abs(p - c)
        ? b
        : c;
      rows.push((v - [0, a, b, (a + b) >> 1, paeth][y] + 256) & 0xff);
    });
  });
  const { grey } = await decodePng(
    await pngFile({ width: 2, height: 5, depth: 8, colorType: 2 }, Uint8Array.from(rows)),
  );
  const expected = raw.flatMap((line) =>
    [0, 3].map((x) => (0.299 * line[x] + 0.587 * line[x + 1] + 0.114 * line[x + 2]) / 255)
  );
  grey.forEach((v, i) =>
    assert.ok(Math.abs(v - expected[i]) < 1e-6, `${i}: ${v} vs ${expected[i]}`)
  );
});

Deno.test("decodePng() reads palettes, 16-bit grey with alpha and 1-bit grey", async () => {
  const palette = Uint8Array.of(0, 0, 0, 255, 255, 255);
  const indexed = await decodePng(
    await pngFile(
      { width: 3, height: 1, depth: 8, colorType: 3, palette },
      Uint8Array.of(0, 1, 0, 1),
    ),
  );
  assert.deepEqual(Array.from(indexed.grey), [1, 0, 1]);
  // grey 0xffff with alpha 0x8000: half covered
  const ga = await decodePng(
    await pngFile(
      { width: 1, height: 1, depth: 16, colorType: 4 },
      Uint8Array.of(0, 0xff, 0xff, 0x80, 0x00),
    ),
  );
  assert.ok(Math.abs(ga.grey[0] - 0x8000 / 0xffff) < 1e-6);
  const bits = await decodePng(
    await pngFile(
      { width: 10, height: 1, depth: 1, colorType: 0 },
      Uint8Array.of(0, 0b10100000, 0b01000000),
    ),
  );
  assert.deepEqual(Array.from(bits.grey), [1, 0, 1, 0, 0, 0, 0, 0, 0, 1]);
});

Deno.test("decodePng() refuses other formats, broken chunks, huge sizes and wrong data sizes", async () => {
  await assert.rejects(() => decodePng(new TextEncoder().encode("GIF89a")), {
    name: "SyntaxError",
    message: /not a PNG file/,
  });
  const good = await greyPng(new Uint8Array(4), 2, 2);
  const corrupt = good.slice();
  corrupt[20] ^= 1;
  await assert.rejects(() => decodePng(corrupt), { message: /chunk IHDR fails its CRC/ });
  await assert.rejects(() => decodePng(good.slice(0, 30)), {
    message: /chunk IHDR is truncated|no IHDR/,
  });
  const huge = await pngFile(
    { width: 100000, height: 100000, depth: 8, colorType: 0 },
    new Uint8Array(1),
  );
  await assert.rejects(() => decodePng(huge), {
    name: "RangeError",
    message: new RegExp(`100000×100000 pixels: at most ${MAX_PNG_PIXELS} are read`),
  });
  const short = await pngFile({ width: 4, height: 4, depth: 8, colorType: 0 }, new Uint8Array(5));
  await assert.rejects(() => decodePng(short), {
    message: /the image data holds 5 bytes: its size needs 20/,
  });
  const bomb = await pngFile(
    { width: 2, height: 2, depth: 8, colorType: 0 },
    new Uint8Array(1 << 20),
  );
  await assert.rejects(() => decodePng(bomb), {
    message: /inflates past the 6 bytes its size needs/,
  });
  const badType = await pngFile(
    { width: 1, height: 1, depth: 8, colorType: 5 },
    Uint8Array.of(0, 0),
  );
  await assert.rejects(() => decodePng(badType), {
    message: /colour type 5 with 8-bit samples is not a PNG format/,
  });
});
