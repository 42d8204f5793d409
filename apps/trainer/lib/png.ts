/** CRC-32 (ISO 3309) of the bytes, as PNG chunks carry it. */
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

async function zlib(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
    new CompressionStream("deflate"),
  );
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * A PNG file from its scanlines as stored (each row: its filter type byte, then its filtered
 * bytes), e.g. to write colour types and filters other than {@linkcode greyPng}'s.
 */
export async function pngFile(
  header: { width: number; height: number; depth: number; colorType: number; palette?: Uint8Array },
  rows: Uint8Array,
): Promise<Uint8Array> {
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, header.width);
  view.setUint32(4, header.height);
  ihdr.set([header.depth, header.colorType, 0, 0, 0], 8); // deflate, no filter method, no interlace
  const parts = [
    SIGNATURE,
    chunk("IHDR", ihdr),
    ...(header.palette ? [chunk("PLTE", header.palette)] : []),
    chunk("IDAT", await zlib(rows)),
    chunk("IEND", new Uint8Array()),
  ];
  const png = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    png.set(p, at);
    at += p.length;
  }
  return png;
}

/**
 * An 8-bit greyscale PNG file of `width × height` pixels (row-major, 0 black … 255 white).
 */
export function greyPng(pixels: Uint8Array, width: number, height: number): Promise<Uint8Array> {
  const rows = new Uint8Array(height * (width + 1)); // each row: filter type 0, then its pixels
  for (let y = 0; y < height; y++) {
    rows.set(pixels.subarray(y * width, (y + 1) * width), y * (width + 1) + 1);
  }
  return pngFile({ width, height, depth: 8, colorType: 0 }, rows);
}

/**
 * The same PNG as a data URL that a page can embed and that opens offline.
 */
export async function greyPngDataUrl(
  pixels: Uint8Array,
  width: number,
  height: number,
): Promise<string> {
  let binary = "";
  for (const b of await greyPng(pixels, width, height)) binary += String.fromCharCode(b);
  return `data:image/png;base64,${btoa(binary)}`;
}

const SIGNATURE = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The most pixels `decodePng` accepts (4096 × 4096). */
export const MAX_PNG_PIXELS = 4096 * 4096;

/** Inflates zlib data, refusing more than `limit` bytes (a compression bomb stops early). */
async function inflate(bytes: Uint8Array, limit: number): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
    new DecompressionStream("deflate"),
  );
  const out = new Uint8Array(limit);
  let at = 0;
  for await (const part of stream) {
    if (at + part.length > limit) {
      throw new RangeError(
        `decodePng: the image data inflates past the ${limit} bytes its size needs`,
      );
    }
    out.set(part, at);
    at += part.length;
  }
  if (at !== limit) {
    throw new RangeError(`decodePng: the image data holds ${at} bytes: its size needs ${limit}`);
  }
  return out;
}

/** The Paeth predictor of PNG's filter type 4. */
function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/**
 * Decodes a PNG file (any colour type, bit depths 1–16, not interlaced) to grey levels in
 * [0, 1], `height × width` row-major: colour as luminance (0.299 R + 0.587 G + 0.114 B), alpha
 * as coverage over black.
 *
 * @param bytes The file.
 * @returns Its size and grey levels.
 * @throws {SyntaxError} For bytes that are not a PNG file.
 * @throws {RangeError} For more than {@linkcode MAX_PNG_PIXELS} pixels or data of the wrong size.
 */
export async function decodePng(
  bytes: Uint8Array,
): Promise<{ width: number; height: number; grey: Float32Array }> {
  if (bytes.length < 8 || SIGNATURE.some((b, i) => bytes[i] !== b)) {
    throw new SyntaxError(
      "decodePng: not a PNG file (its first 8 bytes are not the PNG signature)",
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let header: { width: number; height: number; depth: number; type: number } | undefined;
  let palette: Uint8Array = new Uint8Array(0);
  const data: Uint8Array[] = [];
  for (let at = 8; at + 12 <= bytes.length;) {
    const length = view.getUint32(at);
    const type = new TextDecoder().decode(bytes.subarray(at + 4, at + 8));
    if (at + 12 + length > bytes.length) {
      throw new SyntaxError(`decodePng: chunk ${type} is truncated`);
    }
    const body = bytes.subarray(at + 8, at + 8 + length);
    if (crc32(bytes.subarray(at + 4, at + 8 + length)) !== view.getUint32(at + 8 + length)) {
      throw new SyntaxError(`decodePng: chunk ${type} fails its CRC`);
    }
    if (type === "IHDR") {
      const h = new DataView(body.buffer, body.byteOffset, body.byteLength);
      header = { width: h.getUint32(0), height: h.getUint32(4), depth: body[8], type: body[9] };
      if (body[12] !== 0) throw new RangeError("decodePng: interlaced PNG files are not supported");
    } else if (type === "PLTE") palette = body;
    else if (type === "IDAT") data.push(body);
    else if (type === "IEND") break;
    at += 12 + length;
  }
  if (header === undefined) throw new SyntaxError("decodePng: no IHDR chunk");
  const { width, height, depth, type } = header;
  const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[type];
  if (channels === undefined || ![1, 2, 4, 8, 16].includes(depth)) {
    throw new RangeError(
      `decodePng: colour type ${type} with ${depth}-bit samples is not a PNG format`,
    );
  }
  if (width * height > MAX_PNG_PIXELS || width === 0 || height === 0) {
    throw new RangeError(
      `decodePng: ${width}×${height} pixels: at most ${MAX_PNG_PIXELS} are read`,
    );
  }
  const rowBytes = Math.ceil((width * channels * depth) / 8);
  const joined = new Uint8Array(data.reduce((n, d) => n + d.length, 0));
  data.reduce((at, d) => (joined.set(d, at), at + d.length), 0);
  const raw = await inflate(joined, height * (rowBytes + 1));
  const bpp = Math.max(1, (channels * depth) / 8);
  const rows = new Uint8Array(height * rowBytes);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (rowBytes + 1)];
    const line = raw.subarray(y * (rowBytes + 1) + 1, (y + 1) * (rowBytes + 1));
    for (let x = 0; x < rowBytes; x++) {
      const a = x >= bpp ? rows[y * rowBytes + x - bpp] : 0;
      const b = y > 0 ? rows[(y - 1) * rowBytes + x] : 0;
      const c = x >= bpp && y > 0 ? rows[(y - 1) * rowBytes + x - bpp] : 0;
      const predictor = [0, a, b, (a + b) >> 1, paeth(a, b, c)][filter];
      if (predictor === undefined) {
        throw new SyntaxError(`decodePng: row ${y} has filter type ${filter}`);
      }
      rows[y * rowBytes + x] = (line[x] + predictor) & 0xff;
    }
  }
  const max = 2 ** depth - 1;
  const sample = (y: number, i: number): number => {
    if (depth === 16) {
      return (rows[y * rowBytes + 2 * i] << 8 | rows[y * rowBytes + 2 * i + 1]) / max;
    }
    if (depth === 8) return rows[y * rowBytes + i] / max;
    const bit = i * depth;
    return ((rows[y * rowBytes + (bit >> 3)] >> (8 - depth - (bit & 7))) & max) / max;
  };
  const grey = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const s = (k: number): number => sample(y, x * channels + k);
      let v: number;
      if (type === 3) {
        const index = Math.round(s(0) * max) * 3;
        v = (0.299 * palette[index] + 0.587 * palette[index + 1] + 0.114 * palette[index + 2]) /
          255;
      } else if (channels >= 3) v = 0.299 * s(0) + 0.587 * s(1) + 0.114 * s(2);
      else v = s(0);
      if (channels === 2 || channels === 4) v *= s(channels - 1);
      grey[y * width + x] = v;
    }
  }
  return { width, height, grey };
}
