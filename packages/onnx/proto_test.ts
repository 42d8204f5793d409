import { decodeModel, encodeModel, type ModelProto } from "@kiso/onnx";
import assert from "node:assert/strict";
import { Reader, Writer } from "./_wire.ts";

/** A model whose one initializer is written by `tensor` (raw protobuf fields). */
function withTensor(tensor: (w: Writer) => void): Uint8Array {
  const w = new Writer();
  w.int(1, 8);
  w.message(7, (g) => {
    g.message(5, tensor);
    g.message(11, (i) => i.string(1, "x"));
    g.string(99, "an unknown field is skipped");
  });
  w.message(8, (o) => o.int(2, 17));
  return w.finish();
}

Deno.test("Writer and Reader round-trip varints, negative int64 (ten bytes) and 2^53 − 1", () => {
  const values = [0, 1, 127, 128, 300, 2 ** 31, 2 ** 53 - 1, -1, -300, -(2 ** 40)];
  const w = new Writer();
  for (const v of values) w.int(1, v);
  const r = new Reader(w.finish());
  assert.deepEqual(values.map(() => r.field().value), values);
  assert.equal(new Writer().finish().length, 0);
  const minusOne = new Writer();
  minusOne.int(1, -1);
  assert.equal(minusOne.finish().length, 11);
});

Deno.test("Reader refuses truncated varints, unknown wire types and field number 0", () => {
  assert.throws(() => new Reader(Uint8Array.of(0x08, 0x80)).field(), {
    name: "WireError",
    message: "byte 2: truncated varint",
  });
  assert.throws(() => new Reader(Uint8Array.of(0x0b)).field(), {
    message: /field 1 has wire type 3, which is not in the format/,
  });
  assert.throws(() => new Reader(Uint8Array.of(0x00, 0x00)).field(), {
    message: /byte 1: field number 0/,
  });
  assert.throws(() => new Reader(Uint8Array.of(0x09, 1, 2)).field(), {
    message: /8 bytes announced, 2 left/,
  });
});

Deno.test("decodeModel() reads float_data, double_data, int64_data and int32_data, packed or not", () => {
  const cases: [(w: Writer) => void, number, number[]][] = [
    [
      (t) => {
        t.packedInts(1, [2]);
        t.int(2, 1);
        t.packedFloats(4, [1.5, -2]);
      },
      1,
      [1.5, -2],
    ],
    [
      (t) => {
        t.packedInts(1, [2]);
        t.int(2, 11);
        t.bytes(10, new Uint8Array(Float64Array.of(0.1, 1e300).buffer));
      },
      11,
      [0.1, 1e300],
    ],
    [
      (t) => {
        t.int(1, 3);
        t.int(2, 7);
        for (const v of [-1, 5, 2 ** 40]) t.int(7, v);
      },
      7,
      [-1, 5, 2 ** 40],
    ],
    [
      (t) => {
        t.packedInts(1, [3]);
        t.int(2, 9);
        t.packedInts(5, [1, 0, 1]);
      },
      9,
      [1, 0, 1],
    ],
  ];
  for (const [write, dataType, values] of cases) {
    const [t] = decodeModel(withTensor((w) => {
      w.string(8, "w");
      write(w);
    })).graph.initializers;
    assert.equal(t.dataType, dataType);
    assert.deepEqual(Array.from(t.values), values);
  }
});

Deno.test("decodeModel() refuses external data and string tensors, and saturates int64 beyond 2^53", () => {
  const external = withTensor((t) => {
    t.string(8, "w");
    t.int(2, 1);
    t.int(14, 1);
  });
  assert.throws(() => decodeModel(external), {
    name: "TypeError",
    message: /tensor "w": its data is stored outside the file/,
  });
  const strings = withTensor((t) => {
    t.string(8, "s");
    t.int(2, 8);
  });
  assert.throws(() => decodeModel(strings), {
    message: /tensor "s": data type string is not supported/,
  });
  // PyTorch's INT64_MAX and INT64_MIN (a slice to either end) saturate at ±(2^53 − 1)
  const big = withTensor((t) => {
    t.string(8, "b");
    t.int(2, 7);
    t.int(1, 3);
    t.bytes(9, new Uint8Array(BigInt64Array.of(2n ** 63n - 1n, -(2n ** 63n) + 1n, 7n).buffer));
  });
  assert.deepEqual(Array.from(decodeModel(big).graph.initializers[0].values), [
    Number.MAX_SAFE_INTEGER,
    Number.MIN_SAFE_INTEGER,
    7,
  ]);
  const count = withTensor((t) => {
    t.string(8, "c");
    t.packedInts(1, [3]);
    t.int(2, 1);
    t.packedFloats(4, [1]);
  });
  assert.throws(() => decodeModel(count), {
    message: /tensor "c": shape \[3\] needs 3 values: the file holds 1/,
  });
});

Deno.test("encodeModel() and decodeModel() keep every attribute kind, float attributes with integral values included", () => {
  const model: ModelProto = {
    irVersion: 8,
    opsets: [{ domain: "", version: 17 }, { domain: "com.example", version: 1 }],
    producerName: "p",
    producerVersion: "1",
    graph: {
      name: "g",
      nodes: [{
        name: "n",
        opType: "Op",
        domain: "",
        inputs: ["x", ""],
        outputs: ["y"],
        attributes: {
          i: 3,
          negative: -2,
          f: 0.25,
          one: { float: 1 },
          s: "text",
          ints: [1, -1],
          floats: [0.5, 1.5],
          integralFloats: { floats: [1, 2] },
          strings: ["a", "b"],
          t: { name: "", dataType: 7, dims: [2], values: Float64Array.of(4, -5) },
        },
      }],
      initializers: [{ name: "w", dataType: 6, dims: [2], values: Int32Array.of(7, -8) }],
      inputs: [{ name: "x", elemType: 1, shape: ["batch", 3, null] }],
      outputs: [{ name: "y", elemType: 1, shape: undefined }],
    },
  };
  const back = decodeModel(encodeModel(model));
  assert.deepEqual(back.graph.nodes[0].attributes, model.graph.nodes[0].attributes);
  assert.deepEqual(back.opsets, model.opsets);
  assert.deepEqual(back.graph.inputs, model.graph.inputs);
  assert.deepEqual(back.graph.outputs, model.graph.outputs);
  assert.deepEqual(back.graph.initializers, model.graph.initializers);
});

Deno.test("decodeModel() reads a file written by PyTorch's exporter", () => {
  const model = decodeModel(Deno.readFileSync(new URL("./testdata/mlp.onnx", import.meta.url)));
  assert.equal(model.producerName, "pytorch");
  assert.deepEqual(model.opsets, [{ domain: "", version: 14 }]);
  assert.deepEqual(model.graph.inputs[0].shape, ["batch", 4]);
  assert.deepEqual(model.graph.nodes.map((n) => n.opType), [
    "Gemm",
    "Relu",
    "BatchNormalization",
    "Gemm",
    "Softmax",
  ]);
});
