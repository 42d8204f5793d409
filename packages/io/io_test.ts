import assert from "node:assert/strict";
import { Dense } from "@kiso/layers";
import { Adam } from "@kiso/optimizers";
import { backward, mean, Rng, tensor, uniform } from "@kiso/tensor";
import {
  loadCheckpoint,
  loadSafetensors,
  parseSafetensors,
  saveCheckpoint,
  saveSafetensors,
  serializeSafetensors,
  writeFileAtomic,
} from "./mod.ts";

/** A file built by hand from the format's description. */
function handMade(header: string, data: number[]): Uint8Array {
  const h = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

const f32 = (...v: number[]): number[] => Array.from(new Uint8Array(new Float32Array(v).buffer));

Deno.test("safetensors round-trips every dtype and metadata, with an 8-byte aligned header", () => {
  const tensors = {
    a: tensor([[1.5, -2]], { dtype: "float32" }),
    b: tensor([Math.PI], { dtype: "float64" }),
    c: tensor([-7, 2147483647], { dtype: "int32" }),
    empty: tensor([], { shape: [0, 3] }),
  };
  const bytes = serializeSafetensors(tensors, { format: "pt" });
  const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  assert.equal(headerLength % 8, 0);
  const back = parseSafetensors(bytes);
  assert.deepEqual(Object.keys(back.tensors), ["a", "b", "c", "empty"]);
  for (const [k, t] of Object.entries(tensors)) {
    assert.equal(back.tensors[k].dtype, t.dtype);
    assert.deepEqual(back.tensors[k].shape, t.shape);
    assert.deepEqual(back.tensors[k].dataSync(), t.dataSync());
  }
  assert.deepEqual(back.metadata, { format: "pt" });
});

Deno.test("safetensors reads a file written by hand to the spec, including I64 buffers", () => {
  const i64 = Array.from(new Uint8Array(new BigInt64Array([5n]).buffer));
  const file = handMade(
    '{"num_batches_tracked":{"dtype":"I64","shape":[],"data_offsets":[8,16]},"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}',
    [...f32(1, 2), ...i64],
  );
  const { tensors } = parseSafetensors(file);
  assert.deepEqual(tensors.w.arraySync(), [1, 2]);
  assert.equal(tensors.num_batches_tracked.item(), 5);
  assert.equal(tensors.num_batches_tracked.dtype, "int32");
});

Deno.test("safetensors refuses hostile or broken files with a clear error", async (t) => {
  const ok = '{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}';
  const cases: [string, Uint8Array, RegExp][] = [
    ["too short", new Uint8Array(4), /4 bytes is too short/],
    [
      "header past the end",
      handMade(ok, f32(1, 2)).slice(0, 20),
      /header length \d+ runs past the end of the 20-byte file/,
    ],
    [
      "huge header length",
      (() => {
        const b = new Uint8Array(16);
        new DataView(b.buffer).setBigUint64(0, 2n ** 40n, true);
        return b;
      })(),
      /exceeds the limit/,
    ],
    ["not JSON", handMade("{nope", []), /the header is not valid JSON/],
    ["not an object", handMade("[1,2]", []), /the header is not a JSON object/],
    [
      "duplicate keys",
      handMade(
        '{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}',
        f32(1, 2),
      ),
      /names "w" twice/,
    ],
    [
      "unknown dtype",
      handMade('{"w":{"dtype":"F8_E5M2","shape":[1],"data_offsets":[0,1]}}', [0]),
      /unsupported dtype "F8_E5M2"/,
    ],
    [
      "bad shape",
      handMade('{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}', f32(1)),
      /invalid shape \[-1\]/,
    ],
    [
      "size mismatch",
      handMade('{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}', f32(1, 2)),
      /do not hold 3 F32 values/,
    ],
    [
      "out of range",
      handMade('{"w":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}', f32(1, 2)),
      /end 12 is past the 8-byte data section/,
    ],
    [
      "overlap",
      handMade(
        '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}',
        f32(1, 2),
      ),
      /overlaps another at byte 4/,
    ],
    [
      "gap",
      handMade('{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', f32(1, 2)),
      /leaves a gap before it at byte 4/,
    ],
    [
      "trailing bytes",
      handMade(ok, [...f32(1, 2), 0, 0, 0, 0]),
      /4 bytes after the last tensor belong to none/,
    ],
    [
      "metadata not strings",
      handMade('{"__metadata__":{"a":1}}', []),
      /__metadata__ must map names to strings/,
    ],
    [
      "I64 overflow",
      handMade(
        '{"n":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}',
        Array.from(new Uint8Array(new BigInt64Array([2n ** 40n]).buffer)),
      ),
      /does not fit in int32/,
    ],
  ];
  for (const [name, bytes, message] of cases) {
    await t.step(
      name,
      () =>
        assert.throws(() => parseSafetensors(bytes, { file: "bad.safetensors" }), {
          name: "SyntaxError",
          message,
        }),
    );
  }
  assert.throws(
    () => parseSafetensors(new Uint8Array(4), { file: "x.st" }),
    /^SyntaxError: safetensors: x.st: /,
  );
});

Deno.test("files are written atomically: a failed write keeps the previous file and leaves no temporary", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/w.safetensors`;
  await saveSafetensors(path, { w: tensor([1, 2]) });
  assert.deepEqual((await loadSafetensors(path)).tensors.w.arraySync(), [1, 2]);
  await assert.rejects(() => writeFileAtomic(`${dir}/missing/w.safetensors`, new Uint8Array(1)));
  await saveSafetensors(path, { w: tensor([3]) });
  assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["w.safetensors"]);
  assert.deepEqual((await loadSafetensors(path)).tensors.w.arraySync(), [3]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("checkpoints restore model, optimizer, generator state and epoch exactly", async () => {
  const dir = await Deno.makeTempDir();
  const rng = new Rng(3);
  const model = new Dense(3, 2, { rng });
  const opt = new Adam(model.parameters(), { lr: 0.01 });
  const x = uniform([4, 3], { rng });
  opt.zeroGrad();
  backward(mean(model.forward(x)));
  opt.step();
  await saveCheckpoint(`${dir}/ckpt.safetensors`, {
    model: model.stateDict(),
    optimizer: opt.stateDict(),
    rng: { data: rng.getState() },
    epoch: 7,
    extra: { best: 0.5 },
  });
  const back = await loadCheckpoint(`${dir}/ckpt.safetensors`);
  assert.equal(back.epoch, 7);
  assert.deepEqual(back.extra, { best: 0.5 });
  assert.deepEqual(back.rng, { data: rng.getState() });
  assert.deepEqual(back.model.weight.dataSync(), model.weight.dataSync());
  const fresh = new Adam(new Dense(3, 2).parameters(), { lr: 0.01 });
  fresh.loadStateDict(back.optimizer!);
  assert.deepEqual(fresh.stateDict().state[0].step, 1);
  assert.deepEqual(
    (fresh.stateDict().state[0].m as ReturnType<typeof tensor>).dataSync(),
    (opt.stateDict().state[0].m as ReturnType<typeof tensor>).dataSync(),
  );
  await saveSafetensors(`${dir}/plain.safetensors`, { w: tensor([1]) });
  await assert.rejects(() => loadCheckpoint(`${dir}/plain.safetensors`), /not a kiso checkpoint/);
  await Deno.remove(dir, { recursive: true });
});

/** A file whose header is `json` (padded to 8 bytes) followed by `data`. */
function withHeader(json: string, data = new Uint8Array(0)): Uint8Array {
  const header = new TextEncoder().encode(json + " ".repeat((8 - (json.length % 8)) % 8));
  const out = new Uint8Array(8 + header.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(header.length), true);
  out.set(header, 8);
  out.set(data, 8 + header.length);
  return out;
}

Deno.test("parseSafetensors() decodes escaped names itself and keeps __proto__ an ordinary key", () => {
  const names = ["\\", "\n", 'a"b', "é", "😀", "__proto__", "constructor"];
  const tensors = Object.fromEntries(names.map((n, i) => [n, tensor([i])]));
  const back = parseSafetensors(
    serializeSafetensors(tensors, Object.fromEntries([["\\n", "x"], ["__proto__", "y"]])),
  );
  assert.deepEqual(Object.keys(back.tensors), names);
  names.forEach((n, i) => assert.deepEqual(back.tensors[n].arraySync(), [i]));
  assert.deepEqual(Object.entries(back.metadata), [["\\n", "x"], ["__proto__", "y"]]);
  // a file parsed after another whose key was "\\" still reads "\n" (Deno 2.9.6's JSON.parse did not)
  parseSafetensors(withHeader('{"\\\\":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}}'));
  const after = parseSafetensors(
    withHeader('{"\\n":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}}'),
  );
  assert.deepEqual(Object.keys(after.tensors), ["\n"]);
});

Deno.test("parseSafetensors() rejects hostile headers in time linear in their size, naming the file", () => {
  const file = "hostile.safetensors";
  const entries = Array.from(
    { length: 160_000 },
    (_, i) => `"t${i}":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}`,
  );
  const many = parseSafetensors(withHeader(`{${entries.join(",")}}`), { file });
  assert.equal(Object.keys(many.tensors).length, 160_000);
  assert.throws(
    () => parseSafetensors(withHeader(`{${entries.join(",")},${entries[7]}}`), { file }),
    {
      name: "SyntaxError",
      message: 'safetensors: hostile.safetensors: the header names "t7" twice',
    },
  );
  const badUtf8 = withHeader('{"x":1}   ');
  badUtf8[10] = 0xff;
  assert.throws(() => parseSafetensors(badUtf8, { file }), {
    name: "SyntaxError",
    message: "safetensors: hostile.safetensors: the header is not valid UTF-8",
  });
  assert.throws(
    () => parseSafetensors(withHeader('{"__metadata__":["a"]}'), { file }),
    /__metadata__ must map names to strings/,
  );
  assert.throws(
    () => parseSafetensors(withHeader('{"__metadata__":{"a":1}}'), { file }),
    /__metadata__ must map names to strings/,
  );
  assert.throws(
    () =>
      parseSafetensors(
        withHeader('{"w":{"dtype":"constructor","shape":[1],"data_offsets":[0,4]}}'),
        { file },
      ),
    /entry "w" has unsupported dtype "constructor"/,
  );
});

Deno.test("serializeSafetensors() refuses what its reader would reject", () => {
  assert.throws(() => serializeSafetensors({ __metadata__: tensor([1]) }), {
    name: "TypeError",
    message: /a tensor cannot be named "__metadata__"/,
  });
  assert.throws(
    () =>
      serializeSafetensors({ w: tensor([1]) }, { epoch: 3 } as unknown as Record<string, string>),
    {
      name: "TypeError",
      message: 'serializeSafetensors: metadata "epoch" must be a string: got number',
    },
  );
});

Deno.test("loadCheckpoint() names the file and the problem for metadata it cannot use", async (t) => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/bad.safetensors`;
  const cases: [string, RegExp][] = [
    ["not json", /"kiso.checkpoint" metadata is not JSON/],
    ["null", /"kiso.checkpoint" metadata must be a JSON object: got null/],
    ["[]", /"kiso.checkpoint" metadata must be a JSON object: got \[\]/],
    ["{}", /the epoch must be a non-negative integer: got undefined/],
    ['{"epoch":-1}', /the epoch must be a non-negative integer: got -1/],
    ['{"epoch":1,"rng":{"a":"x"}}', /rng must map names to arrays of numbers/],
    ['{"epoch":1,"optimizer":{}}', /optimizer must hold paramGroups/],
  ];
  for (const [meta, message] of cases) {
    await t.step(meta, async () => {
      await saveSafetensors(path, { "model.w": tensor([1]) }, { "kiso.checkpoint": meta });
      await assert.rejects(() => loadCheckpoint(path), (e: Error) => {
        assert.equal(e.name, "SyntaxError");
        assert.match(e.message, new RegExp(`^loadCheckpoint: ${path}: `));
        assert.match(e.message, message);
        return true;
      });
    });
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("loadSafetensors() reads only regular files, and only their stated size", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.symlink("/dev/zero", `${dir}/zero.safetensors`);
  await new Deno.Command("mkfifo", { args: [`${dir}/fifo.safetensors`] }).output();
  for (const path of [`${dir}/zero.safetensors`, `${dir}/fifo.safetensors`, dir]) {
    await assert.rejects(() => loadSafetensors(path), {
      name: "TypeError",
      message: `loadSafetensors: ${path} is not a regular file`,
    });
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("safetensors reads F16, BF16, BOOL, U8, I8, I16 and U16, and writes float32 as F16 or BF16", () => {
  const halves = (bits: number[]): number[] =>
    Array.from(new Uint8Array(Uint16Array.from(bits).buffer));
  // 1, −2, 65504 (largest), 2^−24 (smallest subnormal), −0, ∞, NaN
  const f16 = [0x3c00, 0xc000, 0x7bff, 0x0001, 0x8000, 0x7c00, 0x7e00];
  const bf16 = [0x3f80, 0xc000, 0x3eab, 0x0001, 0x8000, 0xff80, 0x7fc0];
  const read = parseSafetensors(withHeader(
    '{"h":{"dtype":"F16","shape":[7],"data_offsets":[0,14]},"b":{"dtype":"BF16","shape":[7],"data_offsets":[14,28]},' +
      '"o":{"dtype":"BOOL","shape":[2],"data_offsets":[28,30]},"u":{"dtype":"U8","shape":[1],"data_offsets":[30,31]},' +
      '"i":{"dtype":"I8","shape":[1],"data_offsets":[31,32]},"s":{"dtype":"I16","shape":[1],"data_offsets":[32,34]},' +
      '"w":{"dtype":"U16","shape":[1],"data_offsets":[34,36]}}',
    new Uint8Array([...halves(f16), ...halves(bf16), 0, 1, 255, 0x80, 0x00, 0x80, 0xff, 0xff]),
  )).tensors;
  const h = read.h.dataSync();
  assert.deepEqual(Array.from(h.subarray(0, 6)), [1, -2, 65504, 2 ** -24, -0, Infinity]);
  assert.ok(Object.is(h[4], -0) && Number.isNaN(h[6]));
  const b = read.b.dataSync();
  assert.deepEqual(Array.from(b.subarray(0, 2)), [1, -2]);
  assert.equal(b[2], Math.fround(0.333984375));
  assert.ok(
    b[3] > 0 && b[3] < 1e-38 && Object.is(b[4], -0) && b[5] === -Infinity && Number.isNaN(b[6]),
  );
  assert.deepEqual(
    [read.o, read.u, read.i, read.s, read.w].map((t) => [t.dtype, ...t.dataSync()]),
    [["int32", 0, 1], ["int32", 255], ["int32", -128], ["int32", -32768], ["int32", 65535]],
  );
  // writing rounds to nearest even: 65520 → ∞ in F16, 3·2^−25 → 2^−23, 1 + 2^−8 → 1 and
  // 1 + 3·2^−8 → 1 + 2^−6 in BF16
  const x = tensor([65520, 3 * 2 ** -25, 1 / 3, -0, NaN]);
  const asF16 = parseSafetensors(serializeSafetensors({ x }, {}, { float32As: "F16" })).tensors.x;
  const f = asF16.dataSync();
  assert.deepEqual([f[0], f[1], f[2]], [Infinity, 2 ** -23, 0.333251953125]);
  assert.ok(Object.is(f[3], -0) && Number.isNaN(f[4]) && asF16.dtype === "float32");
  const y = tensor([1 + 2 ** -8, 1 + 3 * 2 ** -8]);
  const asBF16 = parseSafetensors(serializeSafetensors({ y }, {}, { float32As: "BF16" })).tensors.y;
  assert.deepEqual(Array.from(asBF16.dataSync()), [1, 1 + 2 ** -6]);
  const ints = parseSafetensors(
    serializeSafetensors({ i: tensor([3], { dtype: "int32" }) }, {}, { float32As: "F16" }),
  );
  assert.equal(ints.tensors.i.dtype, "int32"); // only float32 is halved
});

Deno.test("parseSafetensors() is as strict as the reference reader where it is strict", async (t) => {
  const file = "strict.safetensors";
  const refused = (json: string, message: RegExp, data = f32(1, 2)): void => {
    assert.throws(() => parseSafetensors(handMade(json, data), { file }), {
      name: "SyntaxError",
      message,
    });
  };
  const entry = '"dtype":"F32","shape":[2],"data_offsets":[0,8]';
  await t.step("a byte-order mark or whitespace before the header's opening brace", () => {
    refused(
      `\ufeff{"w":{${entry}}}`,
      /strict.safetensors: the header starts with a byte-order mark: it must begin with "\{"/,
    );
    refused(` {"w":{${entry}}}`, /the header is not a JSON object: it must begin with "\{"/);
  });
  await t.step("a field named twice inside one entry", () => {
    refused(
      `{"w":{"dtype":"F64",${entry}}}`,
      /strict.safetensors: entry "w" names "dtype" twice/,
    );
    refused(
      `{"w":{${entry},"shape":[2]}}`,
      /entry "w" names "shape" twice/,
    );
  });
  await t.step("shapes and offsets written as floats, signed or with exponents", () => {
    for (const shape of ["[2.0]", "[2e0]", "[2E0]", "[-0]", '["2"]', "[[2]]", "2"]) {
      refused(
        `{"w":{"dtype":"F32","shape":${shape},"data_offsets":[0,8]}}`,
        new RegExp(`entry "w" has an invalid shape ${shape.replace(/[[\]+.]/g, "\\$&")}: expected`),
      );
    }
    for (const offsets of ["[0,8.0]", "[0e0,8]", "[0,8,8]", "[0]", "[0,1e30]"]) {
      refused(
        `{"w":{"dtype":"F32","shape":[2],"data_offsets":${offsets}}}`,
        /entry "w" has (an invalid|invalid) data_offsets/,
      );
    }
    refused(
      '{"w":{"dtype":"F32","data_offsets":[0,8]}}',
      /entry "w" has an invalid shape \(none\)/,
    );
    refused('{"w":{"shape":[2],"data_offsets":[0,8]}}', /entry "w" has unsupported dtype \(none\)/);
    refused('{"w":{"dtype":7,"shape":[2],"data_offsets":[0,8]}}', /unsupported dtype 7/);
    refused('{"w":[1]}', /entry "w" is not a JSON object/);
  });
  await t.step(
    "what the reference accepts: unknown entry fields, whitespace, trailing padding",
    () => {
      const back = parseSafetensors(
        handMade(
          `{"w":{ "note" : {"a":[1,2.5]}, "dtype" : "F32", "shape" : [ 2 ] ,` +
            `"data_offsets":[ 0 , 8 ],"extra":null}}\n\t  `,
          f32(1, 2),
        ),
        { file },
      );
      assert.deepEqual(back.tensors.w.arraySync(), [1, 2]);
    },
  );
});

Deno.test("loadSafetensors() reads the header first, then exactly the bytes it names", async (t) => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/w.safetensors`;
  await t.step(
    "a file read from disk equals the same bytes parsed, header order kept",
    async () => {
      const i64 = Array.from(new Uint8Array(new BigInt64Array([5n, -3n]).buffer));
      const bytes = handMade(
        '{"__metadata__":{"k":"v"},"n":{"dtype":"I64","shape":[2],"data_offsets":[12,28]},' +
          '"h":{"dtype":"F16","shape":[2],"data_offsets":[8,12]},' +
          '"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}',
        [...f32(1, 2), 0x00, 0x3c, 0x00, 0xc0, ...i64],
      );
      await Deno.writeFile(path, bytes);
      const loaded = await loadSafetensors(path);
      assert.deepEqual(Object.keys(loaded.tensors), ["n", "h", "w"]);
      assert.deepEqual(loaded.metadata, { k: "v" });
      const parsed = parseSafetensors(bytes);
      for (const name of ["n", "h", "w"]) {
        assert.deepEqual(loaded.tensors[name].dataSync(), parsed.tensors[name].dataSync());
        assert.equal(loaded.tensors[name].dtype, parsed.tensors[name].dtype);
      }
      assert.deepEqual(loaded.tensors.h.arraySync(), [1, -2]);
    },
  );
  await t.step(
    "a valid file extended to 3 GiB and 40 GiB (sparse) is refused, naming it",
    async () => {
      await saveSafetensors(path, { w: tensor([1, 2]) });
      const size = (await Deno.stat(path)).size;
      for (const gib of [3, 40]) {
        await Deno.truncate(path, gib * 2 ** 30);
        await assert.rejects(() => loadSafetensors(path), {
          name: "SyntaxError",
          message: `safetensors: ${path}: ${
            gib * 2 ** 30 - size
          } bytes after the last tensor belong to none`,
        });
      }
      await Deno.truncate(path, size);
      assert.deepEqual((await loadSafetensors(path)).tensors.w.arraySync(), [1, 2]);
    },
  );
  await t.step("every error names the file", async () => {
    const cases: [Uint8Array, RegExp][] = [
      [new Uint8Array(5), /5 bytes is too short/],
      [
        handMade('{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}', f32(1, 2)).slice(0, 30),
        /runs past the end/,
      ],
      [
        handMade('{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}', f32(1, 2)),
        /end 16 is past the 8-byte data section/,
      ],
    ];
    for (const [bytes, message] of cases) {
      await Deno.writeFile(path, bytes);
      await assert.rejects(() => loadSafetensors(path), (e: Error) => {
        assert.equal(e.name, "SyntaxError");
        assert.ok(e.message.startsWith(`safetensors: ${path}: `), e.message);
        assert.match(e.message, message);
        return true;
      });
    }
    await assert.rejects(() => loadSafetensors(`${dir}/missing.safetensors`), (e: Error) => {
      assert.ok(e instanceof Deno.errors.NotFound);
      assert.match(e.message, new RegExp(`${dir}/missing.safetensors`));
      return true;
    });
  });
  await Deno.remove(dir, { recursive: true });
});
