/**
 * Models out of the trainer and back: `deno task train … --export onnx,torch`, `deno task export
 * <run> --to torch|onnx` and `deno task predict`; the PyTorch hand-off loads kiso's weights with
 * strict=True, gives kiso's outputs and continues training with torch.distributed (2 gloo
 * processes under torchrun, one epoch), and kiso reads the weights it writes back.
 */
import { saveSafetensors } from "@kiso/io";
import { importOnnx } from "@kiso/onnx";
import { LSTM } from "@kiso/layers";
import { noGrad, randn, Rng, slice, type Tensor } from "@kiso/tensor";
import { assertAllClose } from "@kiso/testing";
import { loadModel, saveModel } from "@kiso/train";
import assert from "node:assert/strict";
import { DEMOS } from "../apps/trainer/demos/mod.ts";
import { exportCommand } from "../apps/trainer/export.ts";
import { parseCommandLine, runDemo } from "../apps/trainer/main.ts";
import { greyPng } from "../apps/trainer/lib/png.ts";
import type { RunOptions } from "../apps/trainer/lib/options.ts";
import { predictCommand } from "../apps/trainer/predict.ts";
import { torchModule } from "../apps/trainer/lib/torch_code.ts";
import { exportCases } from "../packages/onnx/testdata/export_cases.ts";
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

for (const name of ["mnist-cnn", "mnist-rnn"]) {
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

Deno.test("train --export refuses unknown formats and demos without one model", () => {
  assert.throws(() => parseCommandLine(["mnist-mlp", "--export", "keras"]), {
    message: /unknown export format "keras": choose onnx and\/or torch/,
  });
  assert.throws(() => parseCommandLine(["xor", "--export", "onnx"]), {
    message:
      /the xor demo has no single model to export: --export applies to iris, mnist-mlp, mnist-cnn, mnist-rnn/,
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
      for (
        const [i, [name, layer, shape]] of exportCases({ rng: new Rng(2), dtype: "float64" })
          .entries()
      ) {
        if (layer.architecture() === undefined) continue;
        const folder = `${dir}/${i}`;
        await Deno.mkdir(folder);
        layer.eval();
        const x = randn(shape, { rng: new Rng(i), dtype: "float64" });
        await saveModel(`${folder}/model.safetensors`, layer);
        await saveSafetensors(`${folder}/in.safetensors`, { x });
        await saveSafetensors(`${folder}/out.safetensors`, { y: noGrad(() => layer.forward(x)) });
        await Deno.writeTextFile(`${folder}/model.py`, torchModule(layer.architecture()!, name));
        folders.push(folder);
      }
      const { code, output } = await run(PYTHON, ["-c", CHECK_ALL, ...folders], dir);
      assert.equal(code, 0, output);
      assert.match(output, new RegExp(`^${folders.length} models, worst difference`));
      assert.ok(folders.length >= 25, `${folders.length} models`);
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
      /export to PyTorch: 1 \(OnnxModule\) has no PyTorch form: supported layers are AvgPool2d, .*Sequential.*; /,
  });
});
