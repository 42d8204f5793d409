/**
 * Models out of the trainer and back: `deno task train … --export onnx,torch`, `deno task export
 * <run> --to torch|onnx` and `deno task predict`; the PyTorch hand-off loads kiso's weights with
 * strict=True, gives kiso's outputs and continues training with torch.distributed (2 gloo
 * processes under torchrun, one epoch), and kiso reads the weights it writes back.
 */
import { saveSafetensors } from "@kiso/io";
import { exportableLayers, importOnnx } from "@kiso/onnx";
import { type LayerSpec, LSTM } from "@kiso/layers";
import { LayerNorm } from "@kiso/regularization";
import { noGrad, randn, Rng, slice, type Tensor, tensor } from "@kiso/tensor";
import { TransformerDecoder, TransformerDecoderLayer } from "@kiso/transformer";
import { assertAllClose } from "@kiso/testing";
import { loadModel, saveModel } from "@kiso/train";
import assert from "node:assert/strict";
import { DEMOS } from "../apps/trainer/demos/mod.ts";
import { exportCommand } from "../apps/trainer/export.ts";
import { parseCommandLine, runDemo } from "../apps/trainer/main.ts";
import { greyPng } from "../apps/trainer/lib/png.ts";
import type { RunOptions } from "../apps/trainer/lib/options.ts";
import { predictCommand } from "../apps/trainer/predict.ts";
import { torchLayers, torchModule } from "../apps/trainer/lib/torch_code.ts";
import { caseInput, exportCases } from "../packages/onnx/testdata/export_cases.ts";
import { PYTHON, pythonHas } from "./_python.ts";

const HAS_TORCH = await pythonHas("torch", "model_exchange_test");

/** Trains a small run of a demo (cpu, one epoch, 200 samples) with `--export onnx,torch`. */
async function smallRun(name: string): Promise<{ out: string; options: RunOptions }> {
  const out = await Deno.makeTempDir({ prefix: `kiso-${name}-` });
  const options: RunOptions = {
    ...DEMOS[name].defaults,
    epochs: 1,
    seed: 0,
    out,
    resume: false,
    quiet: true,
    limit: 200,
    backend: "cpu",
    export: ["onnx", "torch"],
  };
  await runDemo(DEMOS[name], options);
  return { out, options };
}

/** Runs a command and returns its exit code and output, failing the test with it when asked. */
async function run(
  cmd: string,
  args: string[],
  cwd: string,
): Promise<{ code: number; output: string }> {
  const o = await new Deno.Command(cmd, { args, cwd, stdout: "piped", stderr: "piped" }).output();
  const text = new TextDecoder().decode(o.stdout) + new TextDecoder().decode(o.stderr);
  return { code: o.code, output: text };
}

/** The first `n` training samples of a run, as written to train.safetensors. */
function samples(options: RunOptions, name: string, n: number): Tensor {
  const [x] = DEMOS[name].trainingData!(options);
  return slice(x, [[0, n]]);
}

for (const name of ["mnist-cnn", "mnist-rnn", "mnist-resnet"]) {
  Deno.test(`train --export onnx,torch (${name}): model.onnx and model.py give the saved model's outputs; torchrun continues training`, async (t) => {
    const { out, options } = await smallRun(name);
    try {
      const files = [...Deno.readDirSync(out)].map((e) => e.name);
      for (const f of ["model.onnx", "model.py", "train.safetensors", "model.safetensors"]) {
        assert.ok(files.includes(f), `${f} in ${files}`);
      }
      const model = (await loadModel(`${out}/model.safetensors`)).eval();
      const x = samples(options, name, 5);
      const y = noGrad(() => model.forward(x));
      await t.step("model.onnx imports with the same outputs", () => {
        const imported = importOnnx(Deno.readFileSync(`${out}/model.onnx`)).eval();
        assertAllClose(imported.forward(x), y, { rtol: 1e-5, atol: 1e-6 });
      });
      await t.step({
        name: "model.py loads model.safetensors with strict=True and gives kiso's outputs",
        ignore: !HAS_TORCH,
        fn: async () => {
          await saveSafetensors(`${out}/in.safetensors`, { x });
          await saveSafetensors(`${out}/out.safetensors`, { y });
          const { code, output } = await run(PYTHON, [
            "model.py",
            "check",
            "--weights",
            "model.safetensors",
            "--input",
            "in.safetensors",
            "--output",
            "out.safetensors",
          ], out);
          assert.equal(code, 0, output);
          assert.match(output, /max \|PyTorch - kiso\| = /);
        },
      });
      await t.step({
        name: "torchrun: 2 gloo processes train one epoch and write weights kiso loads",
        // once is enough (about 20 s of two processes), on the recurrent model
        ignore: !HAS_TORCH || name !== "mnist-rnn",
        fn: async () => {
          // Debian's torch 1.13 launcher needs --redirects/--tee under Python 3.11 (its Std flag lookup)
          const { code, output } = await run(PYTHON, [
            "-m",
            "torch.distributed.run",
            "--standalone",
            "--nproc_per_node=2",
            "--redirects=1",
            "--tee=1",
            "model.py",
            "train",
            "--weights",
            "model.safetensors",
            "--data",
            "train.safetensors",
            "--epochs",
            "1",
            "--backend",
            "gloo",
            "--out",
            "model.torch.safetensors",
          ], out);
          assert.equal(code, 0, output);
          assert.match(output, /epoch 1\/1: loss [\d.]+ \(200 samples on 2 processes\)/);
          const continued = (await loadModel(`${out}/model.torch.safetensors`)).eval();
          const after = noGrad(() => continued.forward(x));
          assert.deepEqual(after.shape, y.shape);
          assert.ok(
            after.dataSync().some((v, i) => v !== y.dataSync()[i]),
            "training changed the weights",
          );
        },
      });
    } finally {
      await Deno.remove(out, { recursive: true });
    }
  });
}

/** Runs `model.py check` in a run folder on kiso's input and output. */
async function torchCheck(out: string, python: string, x: Tensor, y: Tensor): Promise<string> {
  await saveSafetensors(`${out}/in.safetensors`, { x });
  await saveSafetensors(`${out}/out.safetensors`, { y });
  const weights = python.replace(/\.py$/, ".safetensors");
  const args = [python, "check", "--weights", weights, "--input", "in.safetensors"];
  const { code, output } = await run(PYTHON, [...args, "--output", "out.safetensors"], out);
  assert.equal(code, 0, output);
  return output;
}

for (
  const [name, models] of [["tiny-gpt", [""]], ["seq-classify", [
    "-lstm",
    "-bilstm",
    "-transformer",
  ]]] as const
) {
  Deno.test(`train --export onnx,torch (${name}): each model's .onnx and .py give its outputs; model.py trains on the token ids`, async (t) => {
    const { out, options } = await smallRun(name);
    try {
      // sequences of different lengths (padding 0 at the end, for seq-classify)
      const x = samples(options, name, 4);
      for (const tag of models) {
        const model = (await loadModel(`${out}/model${tag}.safetensors`)).eval();
        const y = noGrad(() => model.forward(x));
        await t.step(
          `model${tag}.onnx imports with the same outputs, on shorter sequences too`,
          () => {
            const imported = importOnnx(Deno.readFileSync(`${out}/model${tag}.onnx`)).eval();
            assertAllClose(imported.forward(x), y, { rtol: 1e-5, atol: 1e-5 });
            const short = slice(x, [null, [0, 5]]);
            assertAllClose(imported.forward(short), model.forward(short), {
              rtol: 1e-5,
              atol: 1e-5,
            });
          },
        );
        await t.step({
          name: `model${tag}.py loads strictly and gives kiso's outputs`,
          ignore: !HAS_TORCH,
          fn: async () => {
            assert.match(
              await torchCheck(out, `model${tag}.py`, x, y),
              /max \|PyTorch - kiso\| = /,
            );
          },
        });
      }
      await t.step(
        "deno task predict reads ids from a CSV (a sequence model's scores: a clear error)",
        async () => {
          const rows = x.arraySync() as number[][];
          await Deno.writeTextFile(
            `${out}/ids.csv`,
            rows.map((r) => r.join(",")).join("\n") + "\n",
          );
          const onnx = `${out}/model${models.at(-1)}.onnx`;
          const kiso = `${out}/model${models.at(-1)}.safetensors`;
          if (name === "tiny-gpt") {
            await assert.rejects(() => predictCommand([onnx, `${out}/ids.csv`]), {
              message:
                /the model's output \[4,32,27\] has scores for every position of a sequence: predict prints one prediction per sample/,
            });
            return;
          }
          // the kiso file names the classes (setClassNames), and so for the ONNX file beside it
          const fromOnnx = await predictCommand([onnx, `${out}/ids.csv`]);
          assert.match(
            fromOnnx,
            /^1: (real|shuffled) \((real|shuffled) 0\.\d{3}, (real|shuffled) 0\.\d{3}\)\n/,
          );
          const classes = (text: string) => text.split("\n").map((l) => l.split(" ")[1]);
          assert.deepEqual(
            classes(fromOnnx),
            classes(await predictCommand([kiso, `${out}/ids.csv`])),
          );
          await Deno.writeFile(`${out}/word.png`, await greyPng(new Uint8Array(12), 12, 1));
          await assert.rejects(() => predictCommand([onnx, `${out}/word.png`]), {
            message:
              /the model takes token ids, not an image: give a CSV of ids, one sequence per row/,
          });
          await Deno.writeTextFile(`${out}/bad.csv`, "1,2,3.5,4,0,0,0,0,0,0,0,0\n");
          await assert.rejects(() => predictCommand([kiso, `${out}/bad.csv`]), {
            message: /the model takes token ids \(integers >= 0\): .*bad.csv holds 3.5/,
          });
        },
      );
      await t.step({
        name: "model.py train continues training on the ids and kiso reads the weights",
        ignore: !HAS_TORCH,
        fn: async () => {
          const python = `model${models[0]}.py`;
          const weights = `model${models[0]}.safetensors`;
          const { code, output } = await run(PYTHON, [
            ...[python, "train", "--weights", weights, "--data", "train.safetensors"],
            ...["--epochs", "1", "--out", "model.torch.safetensors"],
          ], out);
          assert.equal(code, 0, output);
          assert.match(output, /epoch 1\/1: loss [\d.]+ \(\d+ samples on 1 process\)/);
          const continued = (await loadModel(`${out}/model.torch.safetensors`)).eval();
          const before = (await loadModel(`${out}/${weights}`)).eval();
          const [after, earlier] = noGrad(() => [continued.forward(x), before.forward(x)]);
          assert.deepEqual(after.shape, earlier.shape);
          assert.ok(after.dataSync().some((v, i) => v !== earlier.dataSync()[i]), "trained");
        },
      });
    } finally {
      await Deno.remove(out, { recursive: true });
    }
  });
}

Deno.test("deno task export --to onnx|torch writes the files from a run folder, and refuses bad folders", async () => {
  const { out } = await smallRun("iris");
  try {
    for (const f of ["model.onnx", "model.py", "train.safetensors"]) {
      await Deno.remove(`${out}/${f}`);
    }
    assert.match(await exportCommand([out, "--to", "onnx"]), /wrote .*model\.onnx/);
    assert.match(
      await exportCommand([`${out}/`, "--to", "torch"]),
      /wrote .*model\.py, .*train\.safetensors\ncontinue training on 4 GPUs/,
    );
    assert.ok(Deno.statSync(`${out}/model.onnx`).size > 0);
    assert.match(Deno.readTextFileSync(`${out}/model.py`), /nn\.Linear\(4, 16\)/);
    assert.match(
      await exportCommand(["--help"]),
      /^usage: deno task export <run-folder> --to onnx\|torch/,
    );
    await assert.rejects(() => exportCommand([out]), {
      message: /expects one run folder and --to onnx\|torch/,
    });
    await assert.rejects(() => exportCommand([out, "--to", "keras"]), {
      message: /unknown format "keras": choose onnx or torch/,
    });
    await assert.rejects(() => exportCommand(["/nonexistent", "--to", "onnx"]), {
      message: /\/nonexistent is not a run folder: \/nonexistent\/summary.json is missing/,
    });
    await saveSafetensors(`${out}/model.safetensors`, {});
    await assert.rejects(() => exportCommand([out, "--to", "torch"]), {
      message: /model.safetensors holds weights but no architecture/,
    });
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("train --export refuses unknown formats and demos without a model", () => {
  assert.throws(() => parseCommandLine(["mnist-mlp", "--export", "keras"]), {
    message: /unknown export format "keras": choose onnx and\/or torch/,
  });
  assert.throws(() => parseCommandLine(["xor", "--export", "onnx"]), {
    message:
      /the xor demo has no model to export: --export applies to iris, mnist-mlp, mnist-cnn, mnist-rnn, mnist-resnet, tiny-gpt, seq-classify$/,
  });
  const parsed = parseCommandLine(["iris", "--export", "onnx,torch,onnx"]);
  assert.ok(typeof parsed === "object" && parsed.options.export?.join() === "onnx,torch");
});

Deno.test("deno task predict runs model.onnx and model.safetensors on a CSV and a PNG with the same answers", async () => {
  const { out, options } = await smallRun("mnist-mlp");
  try {
    const x = samples(options, "mnist-mlp", 3);
    const rows = Array.from(
      { length: 3 },
      (_, r) => Array.from(x.dataSync().subarray(r * 784, (r + 1) * 784)).join(","),
    );
    await Deno.writeTextFile(`${out}/digits.csv`, rows.join("\n") + "\n");
    const pixels = Uint8Array.from(x.dataSync().subarray(0, 784), (v) => Math.round(v * 255));
    await Deno.writeFile(`${out}/digit.png`, await greyPng(pixels, 28, 28));
    const fromOnnx = await predictCommand([`${out}/model.onnx`, `${out}/digits.csv`]);
    const fromKiso = await predictCommand([
      `${out}/model.safetensors`,
      `${out}/digits.csv`,
      "--top",
      "2",
    ]);
    assert.match(fromOnnx, /^1: \d \(\d 0\.\d{3}, \d 0\.\d{3}, \d 0\.\d{3}\)\n2: .*\n3: .*$/);
    assert.deepEqual(
      fromOnnx.split("\n").map((l) => l.split(" ")[1]),
      fromKiso.split("\n").map((l) => l.split(" ")[1]),
    );
    const image = await predictCommand([`${out}/model.onnx`, `${out}/digit.png`]);
    assert.equal(image.split(" ")[1], fromOnnx.split(" ")[1]);
    await assert.rejects(() => predictCommand([`${out}/model.onnx`, `${out}/summary.json`]), {
      message: /the input must be a \.csv or \.png file/,
    });
    await Deno.writeTextFile(`${out}/short.csv`, "1,2,3\n");
    await assert.rejects(() => predictCommand([`${out}/model.onnx`, `${out}/short.csv`]), {
      message: /the model expects samples of shape \[784\]: the input has 3 values per sample/,
    });
    await Deno.writeFile(`${out}/fake.png`, new TextEncoder().encode("not a png"));
    await assert.rejects(() => predictCommand([`${out}/model.onnx`, `${out}/fake.png`]), {
      name: "SyntaxError",
      message: /decodePng: not a PNG file/,
    });
    await assert.rejects(() => predictCommand([`${out}/model.onnx`]), {
      message: /expects a model file and an input file/,
    });
    await assert.rejects(
      () => predictCommand([`${out}/model.onnx`, `${out}/digits.csv`, "--top", "0"]),
      { message: /--top must be an integer >= 1: got "0"/ },
    );
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

const CHECK_ALL = `
import importlib.util, sys, torch
worst = 0.0
for folder in sys.argv[1:]:
    spec = importlib.util.spec_from_file_location("model", f"{folder}/model.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    model = module.load_model(f"{folder}/model.safetensors").eval()
    x = module.read_safetensors(f"{folder}/in.safetensors")[0]["x"]
    y = module.read_safetensors(f"{folder}/out.safetensors")[0]["y"]
    with torch.no_grad():
        error = (model(x) - y).abs().max().item()
    if error > 1e-10:
        raise SystemExit(f"{folder}: PyTorch and kiso differ by {error}")
    worst = max(worst, error)
print(f"{len(sys.argv) - 1} models, worst difference {worst:.3g}")
`;

Deno.test({
  name:
    "model.py reproduces every layer type kiso hands to PyTorch, strict state dicts, float64 to 1e-10",
  ignore: !HAS_TORCH,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "kiso-torch-layers-" });
    try {
      const folders: string[] = [];
      for (const [i, c] of exportCases({ rng: new Rng(2), dtype: "float64" }).entries()) {
        const [name, layer] = c;
        if (layer.architecture() === undefined) continue;
        const folder = `${dir}/${i}`;
        await Deno.mkdir(folder);
        layer.eval();
        const x = caseInput(c, 2, { rng: new Rng(i), dtype: "float64" });
        await saveModel(`${folder}/model.safetensors`, layer);
        await saveSafetensors(`${folder}/in.safetensors`, { x });
        await saveSafetensors(`${folder}/out.safetensors`, { y: noGrad(() => layer.forward(x)) });
        await Deno.writeTextFile(`${folder}/model.py`, torchModule(layer.architecture()!, name));
        folders.push(folder);
      }
      const { code, output } = await run(PYTHON, ["-c", CHECK_ALL, ...folders], dir);
      assert.equal(code, 0, output);
      assert.match(output, new RegExp(`^${folders.length} models, worst difference`));
      // every type with a PyTorch form ran, but the decoders (they need a memory: next test) and
      // the demos' own models (their runs above)
      const demoModels = ["TinyGpt", "LstmClassifier", "TransformerClassifier"];
      const covered = new Set(
        exportCases({ rng: new Rng(2), dtype: "float64" }).flatMap(([, layer]) =>
          specTypes(layer.architecture())
        ),
      );
      const missing = torchLayers().filter((t) =>
        !covered.has(t) && !/Decoder/.test(t) && !demoModels.includes(t)
      );
      assert.deepEqual(missing, []);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("every layer the packages register has an ONNX exporter and a PyTorch form", async () => {
  const registered = new Set<string>();
  for await (const file of walkTs(new URL("../packages/", import.meta.url))) {
    if (file.endsWith("_test.ts")) continue;
    for (const m of (await Deno.readTextFile(file)).matchAll(/^registerLayer\("(\w+)"/gm)) {
      registered.add(m[1]);
    }
  }
  assert.ok(registered.size >= 45, `${registered.size} layers`);
  const noOnnx = [...registered].filter((t) => !exportableLayers().includes(t));
  // an imported ONNX graph goes to PyTorch as its ONNX file
  const noTorch = [...registered].filter((t) => !torchLayers().includes(t) && t !== "OnnxModule");
  assert.deepEqual({ noOnnx, noTorch }, { noOnnx: [], noTorch: [] });
});

/** The TypeScript files under a folder. */
async function* walkTs(folder: URL): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(folder)) {
    const url = new URL(entry.name + (entry.isDirectory ? "/" : ""), folder);
    if (entry.isDirectory) yield* walkTs(url);
    else if (entry.name.endsWith(".ts")) yield url.pathname;
  }
}

/** The layer types in a spec: its own, its children's and those of specs among its arguments. */
function specTypes(spec: LayerSpec | undefined): string[] {
  if (spec === undefined) return [];
  const nested = (v: unknown): LayerSpec[] =>
    typeof v !== "object" || v === null
      ? []
      : "type" in v && "args" in v
      ? [v as LayerSpec]
      : Object.values(v).flatMap(nested);
  return [
    spec.type,
    ...(spec.children ?? []).flatMap(specTypes),
    ...spec.args.flatMap(nested).flatMap(specTypes),
  ];
}

const CHECK_DECODER = `
import importlib.util, sys, torch
folder = sys.argv[1]
spec = importlib.util.spec_from_file_location("model", f"{folder}/model.py")
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
model = module.load_model(f"{folder}/model.safetensors").eval()
data = module.read_safetensors(f"{folder}/in.safetensors")[0]
t = data["tgt"].shape[1]
causal = torch.triu(torch.full((t, t), float("-inf"), dtype=torch.float64), 1)
with torch.no_grad():
    y = model(data["tgt"], data["memory"], tgt_mask=causal, memory_key_padding_mask=data["padding"].bool())
error = (y - module.read_safetensors(f"{folder}/out.safetensors")[0]["y"]).abs().max().item()
print(f"decoder difference {error:.3g}")
if error > 1e-10:
    raise SystemExit(f"PyTorch and kiso differ by {error}")
`;

Deno.test({
  name:
    "model.py's Transformer decoder loads strictly and gives kiso's outputs with a causal mask and the memory's padding (float64 to 1e-10)",
  ignore: !HAS_TORCH,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "kiso-torch-decoder-" });
    try {
      const rng = new Rng(3);
      const o = { rng, dtype: "float64" as const };
      const decoder = new TransformerDecoder(
        new TransformerDecoderLayer(8, 2, { ...o, dimFeedforward: 16, activation: "gelu" }),
        2,
        { norm: new LayerNorm([8], { dtype: "float64" }) },
      ).eval();
      const tgt = randn([2, 4, 8], o);
      const memory = randn([2, 5, 8], o);
      const padding = tensor([[0, 0, 0, 0, 0], [0, 0, 0, 1, 1]], { dtype: "int32" });
      const y = noGrad(() =>
        decoder.forward(tgt, memory, { tgtIsCausal: true, memoryKeyPaddingMask: padding })
      );
      await saveModel(`${dir}/model.safetensors`, decoder);
      await saveSafetensors(`${dir}/in.safetensors`, { tgt, memory, padding });
      await saveSafetensors(`${dir}/out.safetensors`, { y });
      await Deno.writeTextFile(`${dir}/model.py`, torchModule(decoder.architecture()!, "decoder"));
      const { code, output } = await run(PYTHON, ["-c", CHECK_DECODER, dir], dir);
      assert.equal(code, 0, output);
      assert.match(output, /decoder difference/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("torchModule() refuses layers PyTorch has no form for, naming them and the supported ones", () => {
  assert.throws(() => torchModule(new LSTM(2, 3, { peepholes: true }).architecture()!, "m"), {
    message: /export to PyTorch: an LSTM with peepholes has no PyTorch layer/,
  });
  const spec = {
    type: "Sequential",
    args: [],
    children: [{ type: "Dense", args: [2, 2] }, { type: "OnnxModule", args: [{}] }],
  };
  assert.throws(() => torchModule(spec, "m"), {
    message:
      /export to PyTorch: 1 \(OnnxModule\) has no PyTorch form: supported layers are .*AvgPool2d, .*Sequential.*; /,
  });
});
