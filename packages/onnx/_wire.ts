/**
 * The protobuf wire format, as much of it as ONNX files use: varints (int32, int64, enums),
 * 32- and 64-bit little-endian values (float, double) and length-delimited fields (strings,
 * bytes, sub-messages, packed repeated numbers). The reader checks every length against the
 * bytes left before it slices, so a hostile file cannot make it allocate more than the file.
 *
 * @module
 */

/** Protobuf wire types. */
export const VARINT = 0;
/** A little-endian 64-bit value. */
export const FIXED64 = 1;
/** A length-prefixed value. */
export const LENGTH_DELIMITED = 2;
/** A little-endian 32-bit value. */
export const FIXED32 = 5;

/** A malformed protobuf message: where, and what is wrong. */
export class WireError extends SyntaxError {
  /**
   * Creates the error.
   *
   * @param offset The byte where reading failed.
   * @param detail What is wrong.
   */
  constructor(offset: number, detail: string) {
    super(`byte ${offset}: ${detail}`);
    this.name = "WireError";
  }
}

/** One field as read from the wire. */
export interface Field {
  /** The field number. */
  number: number;
  /** The wire type. */
  wireType: number;
  /** The varint or fixed value as a number (wire types 0, 1, 5); 0 for length-delimited. */
  value: number;
  /** The bytes of a length-delimited field (a view into the message, not a copy). */
  bytes: Uint8Array;
  /** The offset of the field's value. */
  offset: number;
}

/** Reads the fields of one message, in order, checking every bound. */
export class Reader {
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  readonly #base: number;
  #pos = 0;

  /**
   * Reads a message.
   *
   * @param bytes The message's bytes.
   * @param base Their offset in the whole file (for messages).
   */
  constructor(bytes: Uint8Array, base = 0) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#base = base;
  }

  /** Whether bytes are left. */
  get more(): boolean {
    return this.#pos < this.#bytes.length;
  }

  #fail(detail: string): never {
    throw new WireError(this.#base + this.#pos, detail);
  }

  /**
   * Reads a varint as a number: unsigned values up to 2⁵³, and the ten-byte two's complement of
   * negative int64 values down to −2⁵³.
   */
  varint(): number {
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      if (this.#pos >= this.#bytes.length) this.#fail("truncated varint");
      const b = this.#bytes[this.#pos++];
      if (i < 4) lo |= (b & 0x7f) << (7 * i);
      else if (i === 4) {
        lo |= (b & 0x0f) << 28;
        hi |= (b & 0x70) >> 4;
      } else hi |= (b & 0x7f) << (7 * i - 32);
      if ((b & 0x80) === 0) {
        lo >>>= 0;
        hi >>>= 0;
        if (hi < 0x80000000) {
          const value = hi * 2 ** 32 + lo;
          if (value > Number.MAX_SAFE_INTEGER) this.#fail(`varint ${value} is beyond 2^53`);
          return value;
        }
        const value = Number(BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo)));
        if (value < Number.MIN_SAFE_INTEGER) this.#fail(`varint ${value} is beyond -2^53`);
        return value;
      }
    }
    return this.#fail("varint longer than 10 bytes");
  }

  /** Reads the next field. */
  field(): Field {
    const key = this.varint();
    const number = Math.floor(key / 8);
    const wireType = key % 8;
    if (number === 0) this.#fail("field number 0");
    const offset = this.#base + this.#pos;
    const empty = this.#bytes.subarray(0, 0);
    switch (wireType) {
      case VARINT:
        return { number, wireType, value: this.varint(), bytes: empty, offset };
      case FIXED64: {
        this.#need(8);
        const value = this.#view.getFloat64(this.#pos, true);
        this.#pos += 8;
        return {
          number,
          wireType,
          value,
          bytes: this.#bytes.subarray(this.#pos - 8, this.#pos),
          offset,
        };
      }
      case FIXED32: {
        this.#need(4);
        const value = this.#view.getFloat32(this.#pos, true);
        this.#pos += 4;
        return {
          number,
          wireType,
          value,
          bytes: this.#bytes.subarray(this.#pos - 4, this.#pos),
          offset,
        };
      }
      case LENGTH_DELIMITED: {
        const length = this.varint();
        this.#need(length);
        const start = this.#pos;
        this.#pos += length;
        const bytes = this.#bytes.subarray(start, this.#pos);
        return { number, wireType, value: 0, bytes, offset: this.#base + start };
      }
      default:
        return this.#fail(`field ${number} has wire type ${wireType}, which is not in the format`);
    }
  }

  #need(count: number): void {
    if (count > this.#bytes.length - this.#pos) {
      this.#fail(`${count} bytes announced, ${this.#bytes.length - this.#pos} left`);
    }
  }
}

/** Writes a message field by field. */
export class Writer {
  #buffer = new Uint8Array(256);
  #length = 0;

  #reserve(count: number): void {
    if (this.#length + count <= this.#buffer.length) return;
    let size = this.#buffer.length * 2;
    while (size < this.#length + count) size *= 2;
    const bigger = new Uint8Array(size);
    bigger.set(this.#buffer.subarray(0, this.#length));
    this.#buffer = bigger;
  }

  #varint(value: number): void {
    if (!Number.isSafeInteger(value)) {
      throw new RangeError(`protobuf: ${value} is not a safe integer`);
    }
    if (value < 0) {
      // ten-byte two's complement, as protobuf writes negative int64 values
      let v = BigInt.asUintN(64, BigInt(value));
      this.#reserve(10);
      for (let i = 0; i < 10; i++) {
        this.#buffer[this.#length++] = Number(v & 0x7fn) | (i < 9 ? 0x80 : 0);
        v >>= 7n;
      }
      return;
    }
    this.#reserve(8);
    while (value >= 0x80) {
      this.#buffer[this.#length++] = (value % 0x80) | 0x80;
      value = Math.floor(value / 0x80);
    }
    this.#buffer[this.#length++] = value;
  }

  #key(number: number, wireType: number): void {
    this.#varint(number * 8 + wireType);
  }

  /**
   * Writes an integer field (int32, int64, enum, bool).
   *
   * @param number The field number.
   * @param value The value.
   */
  int(number: number, value: number): void {
    this.#key(number, VARINT);
    this.#varint(value);
  }

  /**
   * Writes a float field.
   *
   * @param number The field number.
   * @param value The value.
   */
  float(number: number, value: number): void {
    this.#key(number, FIXED32);
    this.#reserve(4);
    new DataView(this.#buffer.buffer).setFloat32(this.#length, value, true);
    this.#length += 4;
  }

  /**
   * Writes a length-delimited field.
   *
   * @param number The field number.
   * @param bytes Its bytes.
   */
  bytes(number: number, bytes: Uint8Array): void {
    this.#key(number, LENGTH_DELIMITED);
    this.#varint(bytes.length);
    this.#reserve(bytes.length);
    this.#buffer.set(bytes, this.#length);
    this.#length += bytes.length;
  }

  /**
   * Writes a string field (UTF-8).
   *
   * @param number The field number.
   * @param text The string.
   */
  string(number: number, text: string): void {
    this.bytes(number, new TextEncoder().encode(text));
  }

  /**
   * Writes a sub-message field.
   *
   * @param number The field number.
   * @param write Writes the sub-message's fields.
   */
  message(number: number, write: (w: Writer) => void): void {
    const inner = new Writer();
    write(inner);
    this.bytes(number, inner.finish());
  }

  /**
   * Writes a packed repeated integer field.
   *
   * @param number The field number.
   * @param values The values.
   */
  packedInts(number: number, values: readonly number[]): void {
    const inner = new Writer();
    for (const v of values) inner.#varint(v);
    this.bytes(number, inner.finish());
  }

  /**
   * Writes a packed repeated float field.
   *
   * @param number The field number.
   * @param values The values.
   */
  packedFloats(number: number, values: readonly number[]): void {
    this.bytes(number, new Uint8Array(new Float32Array(values).buffer));
  }

  /**
   * The bytes written.
   *
   * @returns A view of them.
   */
  finish(): Uint8Array {
    return this.#buffer.subarray(0, this.#length);
  }
}

/**
 * Reads a packed (or single unpacked) repeated varint field into numbers.
 *
 * @param field The field.
 * @returns Its values.
 */
export function varints(field: Field): number[] {
  if (field.wireType === VARINT) return [field.value];
  if (field.wireType !== LENGTH_DELIMITED) {
    throw new WireError(field.offset, `field ${field.number}: expected varints`);
  }
  const reader = new Reader(field.bytes, field.offset);
  const values: number[] = [];
  while (reader.more) values.push(reader.varint());
  return values;
}

/**
 * Reads a packed (or single unpacked) repeated fixed-width field (float or double).
 *
 * @param field The field.
 * @param width 4 (float) or 8 (double).
 * @returns Its values.
 */
export function fixeds(field: Field, width: 4 | 8): number[] {
  const wire = width === 4 ? FIXED32 : FIXED64;
  if (field.wireType === wire) return [field.value];
  if (field.wireType !== LENGTH_DELIMITED || field.bytes.length % width !== 0) {
    throw new WireError(field.offset, `field ${field.number}: expected ${width}-byte values`);
  }
  const view = new DataView(field.bytes.buffer, field.bytes.byteOffset, field.bytes.byteLength);
  const values: number[] = new Array(field.bytes.length / width);
  for (let i = 0; i < values.length; i++) {
    values[i] = width === 4 ? view.getFloat32(i * 4, true) : view.getFloat64(i * 8, true);
  }
  return values;
}

/**
 * Decodes a length-delimited field as UTF-8.
 *
 * @param field The field.
 * @returns The string.
 */
export function text(field: Field): string {
  if (field.wireType !== LENGTH_DELIMITED) {
    throw new WireError(field.offset, `field ${field.number}: expected a string`);
  }
  return new TextDecoder().decode(field.bytes);
}
