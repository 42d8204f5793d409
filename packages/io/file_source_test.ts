import assert from "node:assert/strict";
import { tensor } from "@kiso/tensor";
import { withGlobals } from "@kiso/testing";
import {
  downloadBytes,
  fileSourceName,
  loadCheckpoint,
  loadSafetensors,
  parseSafetensors,
  saveCheckpoint,
  saveSafetensors,
  serializeCheckpoint,
  serializeSafetensors,
  serializeSafetensorsAsync,
  writeFileAtomic,
} from "./mod.ts";

const tensors = { w: tensor([[1, 2], [3, 4]]), b: tensor([5], { dtype: "float64" }) };
const bytes = serializeSafetensors(tensors, { note: "kiso" });

/** The file's tensors as plain values, and its metadata. */
function values(file: Awaited<ReturnType<typeof loadSafetensors>>): unknown {
  return [
    Object.entries(file.tensors).map(([k, t]) => [k, t.dtype, t.arraySync()]),
    file.metadata,
  ];
}

Deno.test("loadSafetensors() reads a path, bytes, a Blob, a File and a Response alike", async () => {
  const path = await Deno.makeTempFile({ suffix: ".safetensors" });
  await Deno.writeFile(path, bytes);
  const expected = values(parseSafetensors(bytes));
  const sources = [
    path,
    bytes,
    new Blob([bytes]),
    new File([bytes], "w.safetensors"),
    new Response(bytes),
  ];
  for (const source of sources) assert.deepEqual(values(await loadSafetensors(source)), expected);
  await Deno.remove(path);
});

Deno.test("loadSafetensors() names a File, a Response's URL or the kind of source in its errors", async () => {
  const cut = bytes.subarray(0, 20);
  const cases: [Parameters<typeof loadSafetensors>[0], string][] = [
    [new File([cut], "dropped.safetensors"), "dropped.safetensors"],
    [new Blob([cut]), "<blob>"],
    [cut, "<bytes>"],
    [new Response(cut), "<response>"],
  ];
  for (const [source, name] of cases) {
    assert.equal(fileSourceName(source), name);
    await assert.rejects(() => loadSafetensors(source), (e: Error) => {
      assert.equal(e.name, "SyntaxError");
      assert.match(e.message, new RegExp(`^safetensors: ${name}: header length \\d+ runs past`));
      return true;
    });
  }
  await assert.rejects(
    () => loadSafetensors(new Response("gone", { status: 404, statusText: "Not Found" })),
    { name: "TypeError", message: "loadSafetensors: <response>: the response is 404 Not Found" },
  );
});

Deno.test("loadSafetensors() reads a Blob header first: a header that does not describe it is refused before any data", async () => {
  /** A File that records the bytes sliced from it, and claims `size` bytes. */
  class Recording extends File {
    sliced = 0;
    readonly #size: number;
    constructor(size: number) {
      super([bytes], "big.safetensors");
      this.#size = size;
    }
    override get size(): number {
      return this.#size;
    }
    override slice(start?: number, end?: number): Blob {
      this.sliced += (end ?? 0) - (start ?? 0);
      return super.slice(start, end);
    }
  }
  const big = new Recording(2 ** 40);
  await assert.rejects(
    () => loadSafetensors(big),
    /^SyntaxError: safetensors: big.safetensors: \d+ bytes after the last tensor belong to none$/,
  );
  const header = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  assert.equal(big.sliced, 8 + header, "the length and the header only");
});

Deno.test("serializeSafetensorsAsync() writes what serializeSafetensors writes, and checks its options", async () => {
  assert.deepEqual(await serializeSafetensorsAsync(tensors, { note: "kiso" }), bytes);
  const half = await serializeSafetensorsAsync(tensors, {}, { float32As: "F16" });
  assert.equal(parseSafetensors(half).tensors.w.dtype, "float32");
  await assert.rejects(
    () => serializeSafetensorsAsync(tensors, {}, { float32as: "F16" } as never),
    /serializeSafetensorsAsync: unknown option "float32as"/,
  );
});

Deno.test("serializeCheckpoint() gives the bytes saveCheckpoint writes, and loadCheckpoint reads them back", async () => {
  const checkpoint = {
    model: { "0.weight": tensor([[1, 2]]) },
    optimizer: {
      state: { 0: { step: 2, exp_avg: tensor([[0.5, 0.25]]) } },
      paramGroups: [{ lr: 0.1, params: [0] }],
    },
    rng: { global: [1, 2, 3, 4] },
    epoch: 7,
  };
  const inMemory = await serializeCheckpoint(checkpoint);
  const path = await Deno.makeTempFile({ suffix: ".safetensors" });
  await saveCheckpoint(path, checkpoint);
  assert.deepEqual(await Deno.readFile(path), inMemory);
  const back = await loadCheckpoint(new File([inMemory], "ckpt.safetensors"));
  assert.equal(back.epoch, 7);
  assert.deepEqual(back.rng, { global: [1, 2, 3, 4] });
  assert.deepEqual(back.model["0.weight"].arraySync(), [[1, 2]]);
  assert.equal(back.optimizer!.state[0].step, 2);
  await assert.rejects(
    () => loadCheckpoint(new File([bytes], "weights.safetensors")),
    /loadCheckpoint: weights.safetensors: not a kiso checkpoint/,
  );
  await Deno.remove(path);
});

Deno.test("the file functions name themselves and the bytes forms in a browser (tests/node_runtime_test.ts runs them in Node)", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/w.safetensors`;
  await saveSafetensors(path, tensors, { note: "kiso" });
  // what a browser has: neither Deno nor Node's process
  await withGlobals({ Deno: undefined, process: undefined }, async () => {
    await assert.rejects(() => loadSafetensors(path), {
      name: "TypeError",
      message: `loadSafetensors: ${path}: this runtime has no file system: pass ` +
        "the bytes, a Blob or a Response instead of a path",
    });
    await assert.rejects(() => writeFileAtomic(`${dir}/x`, bytes), {
      name: "TypeError",
      message: `writeFileAtomic: ${dir}/x: this runtime has no file system: keep the bytes, or ` +
        "offer them as a download with downloadBytes",
    });
    await assert.rejects(() => saveCheckpoint(`${dir}/c`, { model: tensors, epoch: 1 }), {
      name: "TypeError",
      message: new RegExp(`^writeFileAtomic: ${dir}/c: this runtime has no file system`),
    });
    // the bytes forms work as they do anywhere
    assert.deepEqual(
      values(await loadSafetensors(new Blob([bytes]))),
      values(parseSafetensors(bytes)),
    );
  });
  await Deno.remove(dir, { recursive: true });
});

Deno.test("downloadBytes() clicks a hidden download link to an object URL in a page, and says what to use elsewhere", async () => {
  assert.throws(() => downloadBytes(bytes, "model.safetensors"), {
    name: "TypeError",
    message: "downloadBytes: model.safetensors: this runtime has no page to download from: " +
      "write the bytes to a file with writeFileAtomic instead",
  });
  const clicked: { href: string; download: string; display: string; inPage: boolean }[] = [];
  const body = new Set<unknown>();
  const link = {
    href: "",
    download: "",
    style: { display: "" },
    click(): void {
      clicked.push({
        href: this.href,
        download: this.download,
        display: this.style.display,
        inPage: body.has(this),
      });
    },
    remove(): void {
      body.delete(this);
    },
  };
  const document = {
    createElement: () => link,
    body: { append: (node: unknown) => body.add(node) },
  };
  const revoked: string[] = [];
  const revoke = URL.revokeObjectURL;
  URL.revokeObjectURL = (url: string) => void revoked.push(url);
  try {
    await withGlobals({ document }, async () => {
      downloadBytes(bytes, "model.safetensors");
      await new Promise((resolve) => setTimeout(resolve, 5));
    });
  } finally {
    URL.revokeObjectURL = revoke;
  }
  assert.equal(clicked.length, 1);
  assert.match(clicked[0].href, /^blob:/);
  assert.deepEqual({ ...clicked[0], href: "" }, {
    href: "",
    download: "model.safetensors",
    display: "none",
    inPage: true,
  });
  assert.equal(body.size, 0, "the link is gone after the click");
  assert.deepEqual(revoked, [clicked[0].href]);
  assert.throws(
    () => downloadBytes(bytes, "x", { mime: "a" } as never),
    /downloadBytes: unknown option "mime"/,
  );
});
