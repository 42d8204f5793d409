/**
 * Hostile model and safetensors files cost no more memory than their size: each is loaded in a
 * child process whose peak resident memory (Linux's VmHWM) is compared with a child that loads
 * a tiny valid model. Before the header was read first and architectures were checked against
 * the weights without allocating, these files took 3 to 8 GB each.
 */
import assert from "node:assert/strict";
import { saveSafetensors } from "@kiso/io";
import { Dense, Sequential } from "@kiso/layers";
import { tensor } from "@kiso/tensor";
import { saveModel } from "@kiso/train";

const ROOT = new URL("..", import.meta.url).pathname;
/** Memory a hostile file may cost beyond the baseline child's: far below the gigabytes at stake. */
const ALLOWANCE = 96 * 2 ** 20;

/** Runs `load` (an expression awaited in a child process) and returns its error and peak memory. */
async function peakOf(load: string): Promise<{ peak: number; error: string }> {
  const code = `
import { loadSafetensors } from "@kiso/io";
import { loadModel } from "@kiso/train";
let error = "none";
try {
  await ${load};
} catch (e) {
  error = e.name + ": " + e.message;
}
const status = await Deno.readTextFile("/proc/self/status");
console.log(JSON.stringify({ error, peak: 1024 * Number(/VmHWM:\\s+(\\d+) kB/.exec(status)[1]) }));
`;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--quiet", "--ext=ts", code],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout).trim();
  assert.ok(out.success, `${text}\n${new TextDecoder().decode(out.stderr)}`);
  return JSON.parse(text.split("\n").at(-1)!);
}

Deno.test({
  name: "hostile model and safetensors files are refused within a small bound on memory",
  ignore: Deno.build.os !== "linux",
  fn: async (t) => {
    const dir = await Deno.makeTempDir();
    const small = {
      weight: tensor([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]),
      bias: tensor([1, 2, 3]),
    };
    const hostile = async (name: string, architecture: unknown): Promise<string> => {
      const path = `${dir}/${name}.safetensors`;
      await saveSafetensors(path, small, { "kiso.architecture": JSON.stringify(architecture) });
      return path;
    };
    await saveModel(`${dir}/tiny.safetensors`, new Sequential(new Dense(4, 3)));
    const baseline = await peakOf(`loadModel(${JSON.stringify(`${dir}/tiny.safetensors`)})`);
    assert.equal(baseline.error, "none");
    const cases: [string, string, RegExp][] = [
      [
        "a 300-byte file asking for Dense(40000, 40000), 6.4 GB",
        `loadModel(${
          JSON.stringify(await hostile("dense", { type: "Dense", args: [40000, 40000] }))
        })`,
        /^TypeError: loadModel: .*dense.safetensors: the weights do not fit the architecture/,
      ],
      [
        "200 × Dense(3000, 3000), 7.2 GB",
        `loadModel(${
          JSON.stringify(
            await hostile("deep", {
              type: "Sequential",
              args: [],
              children: Array.from({ length: 200 }, () => ({ type: "Dense", args: [3000, 3000] })),
            }),
          )
        })`,
        /^TypeError: loadModel: .*deep.safetensors: the weights do not fit the architecture/,
      ],
      [
        "LSTM(1e4, 1e4), 3.2 GB",
        `loadModel(${
          JSON.stringify(await hostile("lstm", { type: "LSTM", args: [1e4, 1e4, {}] }))
        })`,
        /^TypeError: loadModel: .*lstm.safetensors: the weights do not fit the architecture/,
      ],
      [
        "a valid file extended to 3 GiB (sparse)",
        `loadSafetensors(${
          JSON.stringify(
            await (async () => {
              const path = `${dir}/padded.safetensors`;
              await saveSafetensors(path, small);
              await Deno.truncate(path, 3 * 2 ** 30);
              return path;
            })(),
          )
        })`,
        /^SyntaxError: safetensors: .*padded.safetensors: \d+ bytes after the last tensor belong to none$/,
      ],
    ];
    for (const [name, load, message] of cases) {
      await t.step(name, async () => {
        const { peak, error } = await peakOf(load);
        assert.match(error, message);
        assert.ok(
          peak < baseline.peak + ALLOWANCE,
          `peak ${(peak / 2 ** 20).toFixed(0)} MiB against ${
            (baseline.peak / 2 ** 20).toFixed(0)
          } MiB`,
        );
      });
    }
    await Deno.remove(dir, { recursive: true });
  },
});
