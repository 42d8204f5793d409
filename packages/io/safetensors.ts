import { type DataArray, type DType, type Tensor, tensor } from "@kiso/tensor";
import { checkOptions } from "@kiso/tensor/errors";
import { requireFileSystem } from "@kiso/tensor/runtime";
import { HeaderError, objectMembers, readString } from "./_header.ts";
import { fromBF16, fromF16, toBF16, toF16 } from "./_half.ts";

/** The largest header accepted, as the reference implementation (100 MB). */
const MAX_HEADER = 100_000_000;

/** Bytes per element of each dtype read (F16/BF16 into float32; the integers into int32). */
const BYTES: Record<string, number> = {
  F32: 4,
  F64: 8,
  I32: 4,
  I64: 8,
  F16: 2,
  BF16: 2,
  BOOL: 1,
  U8: 1,
  I8: 1,
  I16: 2,
  U16: 2,
};
const CODE: Record<DType, string> = { float32: "F32", float64: "F64", int32: "I32" };

/** Options of {@linkcode serializeSafetensors} and {@linkcode saveSafetensors}. */
export interface SafetensorsWriteOptions {
  /**
   * How float32 tensors are stored: as they are, or rounded (to nearest even) to half precision
   * `F16` or bfloat16 `BF16`, half the size; both are read back into float32.
   *
   * @default {"F32"}
   */
  float32As?: "F32" | "F16" | "BF16";
}

/** What {@linkcode parseSafetensors} returns. */
export interface Safetensors {
  /** The tensors by name, in file order. */
  tensors: Record<string, Tensor>;
  /** The `__metadata__` strings. */
  metadata: Record<string, string>;
}

/**
 * Writes tensors in the safetensors format: an 8-byte little-endian header length, a JSON
 * header (`dtype`, `shape`, `data_offsets` per tensor, optional `__metadata__`) padded with
 * spaces to 8 bytes, then the raw little-endian data in header order.
 *
 * @param tensors Tensors by name (float32 → F32, float64 → F64, int32 → I32).
 * @param metadata Optional string metadata.
 * @param options `float32As`: store float32 tensors as F16 or BF16 instead.
 * @returns The file's bytes.
 *
 * @example Usage
 * ```ts
 * import { parseSafetensors, serializeSafetensors } from "@kiso/io";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const bytes = serializeSafetensors({ w: tensor([[1, 2]]) }, { note: "hi" });
 * const back = parseSafetensors(bytes);
 * assert.deepEqual(back.tensors.w.arraySync(), [[1, 2]]);
 * assert.equal(back.metadata.note, "hi");
 * ```
 */
export function serializeSafetensors(
  tensors: Record<string, Tensor>,
  metadata: Record<string, string> = {},
  options: SafetensorsWriteOptions = {},
): Uint8Array<ArrayBuffer> {
  checkOptions("serializeSafetensors", options, ["float32As"]);
  const values = Object.entries(tensors).map(([name, t]) => [name, t.dataSync()] as const);
  return encodeSafetensors(tensors, new Map(values), metadata, options);
}

/** The file's bytes from the tensors' values (read beforehand, synchronously or not). */
function encodeSafetensors(
  tensors: Record<string, Tensor>,
  values: ReadonlyMap<string, DataArray>,
  metadata: Record<string, string>,
  options: SafetensorsWriteOptions,
): Uint8Array<ArrayBuffer> {
  if (Object.hasOwn(tensors, "__metadata__")) {
    throw new TypeError(
      'serializeSafetensors: a tensor cannot be named "__metadata__": the format reserves it',
    );
  }
  for (const [k, v] of Object.entries(metadata)) {
    if (typeof v !== "string") {
      throw new TypeError(
        `serializeSafetensors: metadata "${k}" must be a string: got ${typeof v}`,
      );
    }
  }
  const half32 = options.float32As ?? "F32";
  if (!["F32", "F16", "BF16"].includes(half32)) {
    throw new RangeError(
      `serializeSafetensors: float32As must be F32, F16 or BF16: current value is "${half32}"`,
    );
  }
  // a null prototype keeps names such as "__proto__" ordinary keys
  const header: Record<string, unknown> = Object.create(null);
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    const data = values.get(name)!;
    const half = t.dtype === "float32" ? half32 : "F32";
    let bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if (half !== "F32") {
      const convert = half === "F16" ? toF16 : toBF16;
      const halves = new DataView(new ArrayBuffer(2 * data.length));
      for (let i = 0; i < data.length; i++) halves.setUint16(2 * i, convert(data[i]), true);
      bytes = new Uint8Array(halves.buffer);
    }
    header[name] = {
      dtype: half === "F32" ? CODE[t.dtype] : half,
      shape: t.shape,
      data_offsets: [offset, offset + bytes.length],
    };
    chunks.push(bytes);
    offset += bytes.length;
  }
  let json = JSON.stringify(header);
  json += " ".repeat((8 - ((new TextEncoder().encode(json).length) % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** One tensor of a header: its dtype, shape and where its bytes lie in the data section. */
interface Entry {
  name: string;
  dtype: string;
  shape: number[];
  begin: number;
  end: number;
}

/** Throws the reader's error for a file. */
type Fail = (what: string) => never;

/** The reader's error for `file`: a SyntaxError naming it. */
function failFor(file: string): Fail {
  return (what) => {
    throw new SyntaxError(`safetensors: ${file}: ${what}`);
  };
}

/**
 * A JSON array of non-negative integers written in digits only: no sign, fraction or exponent,
 * as the reference implementation (the Rust `safetensors` crate) reads shapes and offsets.
 */
const INTEGERS = /^\[\s*(?:\d+\s*(?:,\s*\d+\s*)*)?\]$/;

/** The header's length, from the file's first 8 bytes, checked against the file's size. */
function headerLength(prefix: Uint8Array, fileSize: number, fail: Fail): number {
  if (fileSize < 8) fail(`${fileSize} bytes is too short for the 8-byte header length`);
  const n = Number(new DataView(prefix.buffer, prefix.byteOffset, 8).getBigUint64(0, true));
  if (n > MAX_HEADER) fail(`header length ${n} exceeds the limit of ${MAX_HEADER}`);
  if (8 + n > fileSize) fail(`header length ${n} runs past the end of the ${fileSize}-byte file`);
  return n;
}

/** An entry's shape or offsets: digits-only integers, each safe, or the error. */
function integers(entry: string, field: string, text: string | undefined, fail: Fail): number[] {
  const values = text !== undefined && INTEGERS.test(text)
    ? (JSON.parse(text) as number[])
    : undefined;
  if (values === undefined || !values.every(Number.isSafeInteger)) {
    fail(
      `entry "${entry}" has an invalid ${field} ${
        text ?? "(none)"
      }: expected an array of non-negative integers written in digits`,
    );
  }
  return values!;
}

/**
 * One entry of the header, checked: an object naming each field once, with a known `dtype`,
 * a `shape` and `data_offsets` of digits-only integers, offsets that hold the shape's size
 * and end inside the data section. Other fields are ignored, as the reference does.
 */
function readEntry(name: string, text: string, dataLength: number, fail: Fail): Entry {
  const fields = new Map(objectMembers(text, `entry "${name}"`).map(([k, v]) => [k, v.trim()]));
  const dtypeText = fields.get("dtype");
  const dtype = dtypeText === undefined ? undefined : JSON.parse(dtypeText) as unknown;
  if (typeof dtype !== "string" || !Object.hasOwn(BYTES, dtype)) {
    fail(
      `entry "${name}" has unsupported dtype ${dtypeText ?? "(none)"}: expected one of ${
        Object.keys(BYTES).join(", ")
      }`,
    );
  }
  const shape = integers(name, "shape", fields.get("shape"), fail);
  const offsets = integers(name, "data_offsets", fields.get("data_offsets"), fail);
  if (offsets.length !== 2) {
    fail(`entry "${name}" has invalid data_offsets ${fields.get("data_offsets")}: expected two`);
  }
  const [begin, end] = offsets;
  const size = shape.reduce((a, b) => a * b, 1);
  if (end < begin || end - begin !== size * BYTES[dtype as string]) {
    fail(`entry "${name}": data_offsets [${begin}, ${end}] do not hold ${size} ${dtype} values`);
  }
  if (end > dataLength) {
    fail(`entry "${name}": data_offsets end ${end} is past the ${dataLength}-byte data section`);
  }
  return { name, dtype: dtype as string, shape, begin, end };
}

/**
 * The header's entries (in file order) and metadata, checked against a data section of
 * `dataLength` bytes, which the entries must cover exactly, without overlap.
 */
function readHeader(
  bytes: Uint8Array,
  dataLength: number,
  fail: Fail,
): { entries: Entry[]; metadata: Record<string, string> } {
  // the format says the header begins with "{": a byte-order mark (which the reference's JSON
  // parser refuses too) or leading whitespace (which it would skip) is not a header
  if (bytes[0] !== 0x7b) {
    const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    fail(
      `the header ${
        bom ? "starts with a byte-order mark" : "is not a JSON object"
      }: it must begin with "{"`,
    );
  }
  let json = "";
  try {
    json = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    fail("the header is not valid UTF-8");
  }
  try {
    JSON.parse(json); // the syntax check, with JSON.parse's message; the structure is read below
  } catch (e) {
    fail(`the header is not valid JSON: ${(e as Error).message}`);
  }
  const metadata: Record<string, string> = {};
  let entries: Entry[] = [];
  try {
    const members = objectMembers(json);
    const meta = members.find(([k]) => k === "__metadata__")?.[1];
    if (meta !== undefined) {
      if (!meta.trimStart().startsWith("{")) fail("__metadata__ must map names to strings");
      for (const [k, v] of objectMembers(meta, "__metadata__")) {
        const text = v.trim();
        const [value, end] = text.startsWith('"') ? readString(text, 0) : [undefined, 0];
        if (value === undefined || end !== text.length) {
          fail("__metadata__ must map names to strings");
        }
        Object.defineProperty(metadata, k, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
    }
    entries = members.filter(([k]) => k !== "__metadata__").map(([name, text]) =>
      readEntry(name, text, dataLength, fail)
    );
  } catch (e) {
    if (e instanceof HeaderError) fail(e.message);
    throw e;
  }
  let covered = 0;
  for (const s of entries.toSorted((a, b) => a.begin - b.begin)) {
    if (s.begin !== covered) {
      fail(
        `entry "${s.name}" ${
          s.begin < covered ? "overlaps another" : "leaves a gap before it"
        } at byte ${s.begin}`,
      );
    }
    covered = s.end;
  }
  if (covered !== dataLength) {
    fail(`${dataLength - covered} bytes after the last tensor belong to none`);
  }
  return { entries, metadata };
}

/** An entry's tensor from exactly its bytes (`raw` is owned: F32, F64 and I32 keep it). */
function decodeEntry(s: Entry, raw: ArrayBuffer, fail: Fail): Tensor {
  let values: Float32Array | Float64Array | Int32Array;
  const bytes = new DataView(raw);
  const n = raw.byteLength / BYTES[s.dtype];
  if (s.dtype === "F32") values = new Float32Array(raw);
  else if (s.dtype === "F64") values = new Float64Array(raw);
  else if (s.dtype === "I32") values = new Int32Array(raw);
  else if (s.dtype === "F16" || s.dtype === "BF16") {
    const convert = s.dtype === "F16" ? fromF16 : fromBF16;
    values = new Float32Array(n);
    for (let i = 0; i < n; i++) values[i] = convert(bytes.getUint16(2 * i, true));
  } else if (s.dtype === "I64") {
    const wide = new BigInt64Array(raw);
    values = new Int32Array(wide.length);
    for (let i = 0; i < wide.length; i++) {
      if (wide[i] > 2147483647n || wide[i] < -2147483648n) {
        fail(`entry "${s.name}": I64 value ${wide[i]} does not fit in int32`);
      }
      values[i] = Number(wide[i]);
    }
  } else {
    const read: Record<string, (i: number) => number> = {
      BOOL: (i) => (bytes.getUint8(i) !== 0 ? 1 : 0),
      U8: (i) => bytes.getUint8(i),
      I8: (i) => bytes.getInt8(i),
      I16: (i) => bytes.getInt16(2 * i, true),
      U16: (i) => bytes.getUint16(2 * i, true),
    };
    values = Int32Array.from({ length: n }, (_, i) => read[s.dtype](i));
  }
  return tensor(values, { shape: s.shape });
}

/**
 * Reads safetensors bytes, validating them as untrusted input, as strictly as the reference
 * implementation (the Rust `safetensors` crate) or more: the header length must fit the file
 * and stay under 100 MB; the header must be UTF-8 JSON beginning with `{` (as the format
 * says: no byte-order mark, no leading whitespace; trailing whitespace pads it), an object
 * naming no key twice (the reference keeps the last; this reader refuses); every entry names
 * each field once and needs a known dtype (F32, F64 and I32 as they are; F16 and BF16 into
 * float32; I64 — whose values must fit — BOOL, U8, I8, I16 and U16 into int32), a shape and
 * offsets of integers written in digits (`2.0` and `4e0` are refused, as the reference
 * refuses them) that hold its size; the data blocks must not overlap and must cover the data
 * section exactly. Fields of an entry other than `dtype`, `shape` and `data_offsets` are
 * ignored, as the reference ignores them. Nothing in the file is executed.
 *
 * @param bytes The file's bytes.
 * @param options `file`, the name used in errors.
 * @returns The tensors and the metadata.
 * @throws {SyntaxError} Naming the file and what is wrong.
 *
 * @example Usage
 * ```ts
 * import { parseSafetensors, serializeSafetensors } from "@kiso/io";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const bytes = serializeSafetensors({ w: tensor([1, 2]) });
 * assert.deepEqual(parseSafetensors(bytes).tensors.w.arraySync(), [1, 2]);
 * assert.throws(() => parseSafetensors(bytes.subarray(0, 20), { file: "cut.safetensors" }), SyntaxError);
 * ```
 */
export function parseSafetensors(bytes: Uint8Array, options: { file?: string } = {}): Safetensors {
  checkOptions("parseSafetensors", options, ["file"]);
  const fail = failFor(options.file ?? "<safetensors>");
  const n = headerLength(bytes, bytes.length, fail);
  const { entries, metadata } = readHeader(bytes.subarray(8, 8 + n), bytes.length - 8 - n, fail);
  const data = bytes.subarray(8 + n);
  // own properties even for names like "__proto__"
  const tensors: Record<string, Tensor> = Object.create(null);
  for (const s of entries) {
    tensors[s.name] = decodeEntry(s, data.slice(s.begin, s.end).buffer, fail);
  }
  return { tensors, metadata };
}

/**
 * Where a file's bytes come from: a path (Deno and Node), the bytes themselves, a `Blob` (a
 * `File` of an `<input type="file">` or a drop) or a `Response` (of `fetch`).
 */
export type FileSource = string | Uint8Array | Blob | Response;

/**
 * The name a source goes by in messages: the path, the file's name, the response's URL, or
 * `<bytes>`, `<blob>` and `<response>` for the nameless ones.
 *
 * @param source A path, bytes, a `Blob` or a `Response`.
 * @returns Its name.
 *
 * @example Usage
 * ```ts
 * import { fileSourceName } from "@kiso/io";
 * import assert from "node:assert/strict";
 *
 * assert.equal(fileSourceName("run/model.safetensors"), "run/model.safetensors");
 * assert.equal(fileSourceName(new File([], "drop.safetensors")), "drop.safetensors");
 * assert.equal(fileSourceName(new Uint8Array(8)), "<bytes>");
 * ```
 */
export function fileSourceName(source: FileSource): string {
  if (typeof source === "string") return source;
  if (source instanceof Uint8Array) return "<bytes>";
  if (source instanceof Response) return source.url || "<response>";
  return (source as Partial<File>).name || "<blob>";
}

/** What a file API says instead of a path where the runtime has no file system. */
const BYTES_INSTEAD = "pass the bytes, a Blob or a Response instead of a path";

/**
 * Writes bytes atomically: to a temporary file beside the target, then renamed over it, so a
 * crash never leaves a half-written file in its place.
 *
 * @param path The target file.
 * @param bytes The content.
 * @throws {TypeError} Where the runtime has no file system (a browser: use `downloadBytes`).
 *
 * @example Usage
 * ```ts ignore
 * import { writeFileAtomic } from "@kiso/io";
 *
 * await writeFileAtomic("model.safetensors", new Uint8Array([1, 2, 3]));
 * ```
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const files = requireFileSystem(
    "writeFileAtomic",
    path,
    "keep the bytes, or offer them as a download with downloadBytes",
  );
  const temporary = `${path}.tmp-${crypto.randomUUID()}`;
  try {
    await files.writeFile(temporary, bytes);
    await files.rename(temporary, path);
  } catch (e) {
    await files.remove(temporary).catch(() => {});
    throw e;
  }
}

/**
 * The safetensors bytes of tensors on any backend (a GPU's included: their values are read
 * asynchronously), as {@linkcode serializeSafetensors} writes them.
 *
 * @param tensors Tensors by name (float32 → F32, float64 → F64, int32 → I32).
 * @param metadata Optional string metadata.
 * @param options `float32As`: store float32 tensors as F16 or BF16 instead.
 * @returns The file's bytes.
 *
 * @example Usage
 * ```ts
 * import { parseSafetensors, serializeSafetensorsAsync } from "@kiso/io";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const bytes = await serializeSafetensorsAsync({ w: tensor([1, 2]) });
 * assert.deepEqual(parseSafetensors(bytes).tensors.w.arraySync(), [1, 2]);
 * ```
 */
export async function serializeSafetensorsAsync(
  tensors: Record<string, Tensor>,
  metadata: Record<string, string> = {},
  options: SafetensorsWriteOptions = {},
): Promise<Uint8Array<ArrayBuffer>> {
  checkOptions("serializeSafetensorsAsync", options, ["float32As"]);
  const values = await Promise.all(
    Object.entries(tensors).map(async ([name, t]) => [name, await t.data()] as const),
  );
  return encodeSafetensors(tensors, new Map(values), metadata, options);
}

/**
 * Saves tensors to a `.safetensors` file, atomically.
 *
 * @param path The file.
 * @param tensors Tensors by name.
 * @param metadata Optional string metadata.
 * @param options `float32As`: store float32 tensors as F16 or BF16 instead.
 * @throws {TypeError} Where the runtime has no file system (a browser: use
 * {@linkcode serializeSafetensorsAsync} and `downloadBytes`).
 *
 * @example Usage
 * ```ts ignore
 * import { saveSafetensors } from "@kiso/io";
 * import { zeros } from "@kiso/tensor";
 *
 * await saveSafetensors("weights.safetensors", { w: zeros([2, 2]) });
 * ```
 */
export async function saveSafetensors(
  path: string,
  tensors: Record<string, Tensor>,
  metadata?: Record<string, string>,
  options: SafetensorsWriteOptions = {},
): Promise<void> {
  checkOptions("saveSafetensors", options, ["float32As"]);
  // read asynchronously, so that tensors on any backend (a GPU's included) can be saved
  await writeFileAtomic(path, await serializeSafetensorsAsync(tensors, metadata, options));
}

/** A file read in order: its size, and its next bytes in memory of their own. */
interface SequentialReader {
  readonly size: number;
  next(length: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** A path's reader, through the runtime's file system; a regular file only. */
async function pathReader(path: string): Promise<SequentialReader> {
  const files = requireFileSystem("loadSafetensors", path, BYTES_INSTEAD);
  // a regular file only (not /dev/zero, a FIFO or a folder), and no more than its stated size
  const info = await files.stat(path);
  if (!info.isFile) {
    throw new TypeError(`loadSafetensors: ${path} is not a regular file`);
  }
  const file = await files.open(path);
  return {
    size: info.size,
    async next(length): Promise<Uint8Array> {
      const bytes = new Uint8Array(length);
      let read = 0;
      while (read < length) {
        const n = await file.read(bytes.subarray(read));
        if (n === null) return bytes.subarray(0, read);
        read += n;
      }
      return bytes;
    },
    close: () => file.close(),
  };
}

/** A `Blob`'s reader: slices, in order. */
function blobReader(blob: Blob): SequentialReader {
  let at = 0;
  return {
    size: blob.size,
    async next(length): Promise<Uint8Array> {
      const bytes = new Uint8Array(await blob.slice(at, at + length).arrayBuffer());
      at += bytes.length;
      return bytes;
    },
    close: () => Promise.resolve(),
  };
}

/**
 * Loads and validates safetensors (see {@linkcode parseSafetensors}) from a file, bytes, a
 * `Blob` or a `Response`. A file or a `Blob` is read header first: a header that does not
 * describe it exactly (its size included) is refused before any tensor byte is read, and then
 * each tensor's bytes, exactly, are read into memory of their own, so a huge or padded file costs
 * no more memory than the tensors it holds.
 *
 * @param source A path (Deno and Node), the bytes, a `Blob` (a dropped `File`) or a `Response`.
 * @returns The tensors and the metadata.
 * @throws {TypeError} When the path is not a regular file, or where the runtime has no file
 * system (a browser), or for a response that is not OK.
 * @throws {SyntaxError} For a malformed file, naming it and what is wrong.
 * @throws {RangeError} When its tensors do not fit in memory, naming the file.
 *
 * @example Usage
 * ```ts
 * import { loadSafetensors, serializeSafetensors } from "@kiso/io";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const file = new File([serializeSafetensors({ w: tensor([1, 2]) })], "w.safetensors");
 * const { tensors } = await loadSafetensors(file);
 * assert.deepEqual(tensors.w.arraySync(), [1, 2]);
 * ```
 */
export async function loadSafetensors(source: FileSource): Promise<Safetensors> {
  const name = fileSourceName(source);
  if (source instanceof Uint8Array) return parseSafetensors(source, { file: name });
  if (source instanceof Response) {
    if (!source.ok) {
      throw new TypeError(
        `loadSafetensors: ${name}: the response is ${source.status} ${source.statusText}`,
      );
    }
    return parseSafetensors(new Uint8Array(await source.arrayBuffer()), { file: name });
  }
  const reader = typeof source === "string" ? await pathReader(source) : blobReader(source);
  try {
    return await readSequentially(reader, name);
  } finally {
    await reader.close();
  }
}

/** Reads header first, then each tensor's bytes exactly (see {@linkcode loadSafetensors}). */
async function readSequentially(reader: SequentialReader, name: string): Promise<Safetensors> {
  const fail = failFor(name);
  const size = reader.size;
  /** The next `length` bytes, in memory of their own. */
  const next = async (length: number, what: string): Promise<Uint8Array> => {
    let bytes: Uint8Array;
    try {
      bytes = await reader.next(length);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      throw new RangeError(
        `loadSafetensors: ${name}: cannot allocate ${length} bytes for ${what}: ${e.message}`,
      );
    }
    if (bytes.length < length) {
      fail(`the file ended ${bytes.length} bytes into the ${length} bytes of ${what}`);
    }
    return bytes;
  };
  const n = headerLength(await next(Math.min(8, size), "the header length"), size, fail);
  const { entries, metadata } = readHeader(await next(n, "the header"), size - 8 - n, fail);
  // the entries cover the data section exactly, so reading them in offset order reads it all
  const read = new Map<Entry, Tensor>();
  for (const s of entries.toSorted((a, b) => a.begin - b.begin)) {
    const raw = await next(s.end - s.begin, `entry "${s.name}"`);
    read.set(s, decodeEntry(s, raw.buffer as ArrayBuffer, fail));
  }
  const tensors: Record<string, Tensor> = Object.create(null);
  for (const s of entries) tensors[s.name] = read.get(s)!;
  return { tensors, metadata };
}
