/**
 * The trainer end to end: small versions of every demo learn, a resumed run equals an
 * uninterrupted one bit for bit, and bad input fails clearly without losing work.
 */
import "../packages/backend-webgpu/_test_env.ts"; // before WebGPU starts: quiets Mesa
import assert from "node:assert/strict";
import { DEMOS } from "../apps/trainer/demos/mod.ts";
import type { RunOptions } from "../apps/trainer/lib/options.ts";
import { runDemo } from "../apps/trainer/main.ts";
import { fit, interrupt, InterruptedError } from "../apps/trainer/lib/fit.ts";
import { Progress } from "../apps/trainer/lib/progress.ts";
import { Dense } from "@kiso/layers";
import { mse } from "@kiso/losses";
import { SGD } from "@kiso/optimizers";
import { Rng, tensor } from "@kiso/tensor";
import { loadSafetensors, saveCheckpoint, saveSafetensors } from "@kiso/io";
import { TrainingDivergedError } from "@kiso/train";

const MAIN = new URL("../apps/trainer/main.ts", import.meta.url).pathname;

async function small(
  name: string,
  overrides: Partial<RunOptions>,
  backend: string,
): Promise<Record<string, unknown>> {
  const demo = DEMOS[name];
  const out = await Deno.makeTempDir();
  const options: RunOptions = {
    ...demo.defaults,
    seed: 0,
    out,
    resume: false,
    quiet: true,
    limit: undefined,
    backend,
    ...overrides,
  };
  await runDemo(demo, options);
  const summary = JSON.parse(await Deno.readTextFile(`${out}/summary.json`));
  const files = [...Deno.readDirSync(out)].map((e) => e.name);
  assert.ok(files.includes("report.html") && files.includes("summary.json"), `${name}: ${files}`);
  assert.match(await Deno.readTextFile(`${out}/report.html`), /<svg/);
  await Deno.remove(out, { recursive: true });
  return summary;
}

for (const backend of ["wasm", "cpu", "webgpu"]) {
  // On webgpu each demo runs on the smallest data that still shows learning (WebGPU runs on
  // Mesa's software Vulkan where there is no GPU, and every step costs dispatches), with bounds to
  // match: well above chance, or well below what an untrained network scores.
  const gpu = backend === "webgpu";
  Deno.test(`small runs of every demo learn on the ${backend} backend`, async (t) => {
    await t.step("perceptron-and", async () => {
      const s = await small("perceptron-and", {}, backend);
      assert.deepEqual(s.epochErrors, [1, 1, 2, 0, 0]);
    });
    await t.step("xor", async () => {
      const s = await small("xor", gpu ? { epochs: 150 } : {}, backend);
      assert.deepEqual(s.learned, [0, 1, 1, 0]);
    });
    await t.step("second-order", async () => {
      const s = await small("second-order", {}, backend);
      // one Newton step solves least squares exactly: the normal equations' solution
      assert.ok((s.leastSquaresGap as number) < 1e-10, `${s.leastSquaresGap}`);
      // quadratic convergence: machine precision within 10 Newton steps, Newton-CG alike
      const norms = s.newtonGradientNorms as number[];
      assert.ok(norms.length <= 11 && norms.at(-1)! < 1e-12, `${norms}`);
      assert.ok((s.newtonCgGap as number) < 1e-10, `${s.newtonCgGap}`);
      assert.ok((s.gradientDescentFinalNorm as number) > 1e-6);
      // at a zero-loss minimum H = 2/N·JᵀJ has rank ≤ 4 (one per XOR example): 9 flat directions
      assert.ok((s.xorLoss as number) < 1e-20, `${s.xorLoss}`);
      assert.equal(s.xorFlatEigenvalues, 9);
      const top = Math.max(...(s.xorEigenvalues as number[]));
      assert.ok(Math.abs((s.xorPowerIteration as number) - top) < 1e-6 * top);
    });
    await t.step("linear-regression", async () => {
      const s = await small("linear-regression", { limit: 400, epochs: 30 }, backend);
      assert.ok((s.maxDifference as number) < 0.02, `${s.maxDifference}`);
    });
    await t.step(
      "iris",
      async () =>
        assert.ok(
          ((await small("iris", { epochs: gpu ? 30 : 60 }, backend)).testAccuracy as number) >=
            0.85,
        ),
    );
    await t.step(
      "mnist-mlp",
      async () =>
        assert.ok(
          ((await small(
            "mnist-mlp",
            gpu ? { limit: 400, epochs: 2 } : { limit: 1500, epochs: 3 },
            backend,
          ))
            .testAccuracy as number) >= (gpu ? 0.5 : 0.8),
        ),
    );
    await t.step(
      "mnist-cnn",
      async () =>
        assert.ok(
          ((await small(
            "mnist-cnn",
            gpu ? { limit: 200, epochs: 1 } : { limit: 600, epochs: 2 },
            backend,
          )).testAccuracy as number) >=
            (gpu ? 0.2 : 0.5),
        ),
    );
    await t.step(
      "mnist-rnn",
      async () =>
        assert.ok(
          ((await small(
            "mnist-rnn",
            gpu ? { limit: 500, epochs: 2 } : { limit: 1000, epochs: 3 },
            backend,
          ))
            .testAccuracy as number) >= (gpu ? 0.15 : 0.4),
        ),
    );
    await t.step("mnist-resnet", async () => {
      // batch norm's running statistics lag behind the first steps' weights, so a run this short
      // is judged by its training accuracy (llvmpipe, the software GPU, gets a shorter one)
      const s = await small(
        "mnist-resnet",
        { limit: gpu ? 128 : 600, epochs: gpu ? 1 : 2 },
        backend,
      );
      const last = (s.history as { trainMetric: number; trainLoss: number }[]).at(-1)!;
      assert.ok(Number.isFinite(last.trainLoss));
      if (!gpu) assert.ok(last.trainMetric > 0.25, `${last.trainMetric}`);
    });
    if (backend === "wasm") {
      // five epochs of convolutions are what learning takes here: on the fast backend only (the
      // layers run on every backend in backend_training_test.ts)
      await t.step("conv-autoencoder", async () => {
        const errors = (await small("conv-autoencoder", { limit: 1000, epochs: 5 }, backend))
          .reconstructionMse as Record<string, number>;
        assert.ok(errors.convolutional < 0.065 && errors.dense < 0.065, JSON.stringify(errors));
      });
    }
    // predicting the mean digit scores about 0.067, so below 0.065 the autoencoders have learned;
    // an untrained one (outputs about 0.5) scores about 0.22
    await t.step("autoencoder", async () => {
      const errors = (await small(
        "autoencoder",
        gpu ? { limit: 400, epochs: 2 } : { limit: 1500, epochs: 3 },
        backend,
      ))
        .reconstructionMse as Record<string, number>;
      const learned = gpu ? 0.12 : 0.065;
      assert.ok(
        errors.autoencoder < learned && errors.denoising < learned && errors.pca < 0.03,
        JSON.stringify(errors),
      );
    });
    await t.step("sine", async () => {
      const s = await small("sine", { limit: gpu ? 100 : 200, epochs: gpu ? 4 : 8 }, backend);
      assert.ok((s.testR2 as number) > 0.5 && (s.tcn as { testR2: number }).testR2 > 0.5);
    });
    await t.step("optimizers", async () => {
      const results = (await small("optimizers", { limit: 400, epochs: 1 }, backend))
        .optimizers as Record<
          string,
          { valAccuracy: number }
        >;
      assert.equal(Object.keys(results).length, 7);
      assert.ok(Object.values(results).every((r) => r.valAccuracy > 0.2), JSON.stringify(results));
    });
    await t.step("tiny-gpt", async () => {
      const s = await small("tiny-gpt", { limit: 120, epochs: 1 }, backend);
      // below a uniform guess over 27 characters (ln 27 = 3.30) after 2 steps of 64 windows
      assert.ok((s.validationLoss as number) < 3.2, `${s.validationLoss}`);
      assert.ok((s.bigramValidationLoss as number) < 3, `${s.bigramValidationLoss}`);
      assert.equal(Object.keys(s.samples as object).length, 4);
    });
    await t.step("seq-classify", async () => {
      const s = await small("seq-classify", { limit: 600, epochs: 2 }, backend);
      const accuracy = (tag: string): number => (s[tag] as { testAccuracy: number }).testAccuracy;
      // chance is 0.5: the recurrent readers learn fastest; the Transformer needs more data, so
      // here only its training loss must fall
      assert.ok(accuracy("lstm") > 0.6 && accuracy("bilstm") > 0.6, JSON.stringify(s));
      const losses = (s.histories as Record<string, { trainLoss: number }[]>).transformer;
      assert.ok(losses[1].trainLoss < losses[0].trainLoss, JSON.stringify(losses));
    });
    await t.step("regularization", async () => {
      const variants = (await small(
        "regularization",
        gpu ? { limit: 100, epochs: 1 } : { limit: 300, epochs: 2 },
        backend,
      ))
        .variants as Record<
          string,
          { valAccuracy: number }
        >;
      assert.deepEqual(Object.keys(variants), ["plain", "l2", "dropout", "batchnorm"]);
    });
  });
}

Deno.test("a resumed run equals the uninterrupted one bit for bit, on wasm, cpu and webgpu", async () => {
  for (
    const [name, backend] of [
      ["mnist-mlp", "wasm"],
      ["regularization", "wasm"],
      ["mnist-mlp", "cpu"],
      ["autoencoder", "cpu"],
      ["mnist-mlp", "webgpu"],
      ["sine", "cpu"],
    ]
  ) {
    const base = {
      ...DEMOS[name].defaults,
      seed: 3,
      resume: false,
      quiet: true,
      limit: 200,
      backend,
    };
    const whole = await Deno.makeTempDir();
    await runDemo(DEMOS[name], { ...base, epochs: 2, out: whole });
    const split = await Deno.makeTempDir();
    await runDemo(DEMOS[name], { ...base, epochs: 1, out: split });
    await runDemo(DEMOS[name], { ...base, epochs: 2, out: split, resume: true });
    for (
      const file of [...Deno.readDirSync(whole)].map((e) => e.name).filter((f) =>
        f.startsWith("model") || f.startsWith("metrics")
      )
    ) {
      const a = await Deno.readFile(`${whole}/${file}`);
      const b = await Deno.readFile(`${split}/${file}`);
      if (file.startsWith("metrics")) {
        // identical losses and metrics; only the seconds column may differ
        const strip = (bytes: Uint8Array): string[] => {
          const rows = new TextDecoder().decode(bytes).trim().split("\n").map((l) => l.split(","));
          const seconds = rows[0].indexOf("seconds");
          return rows.map((r) => r.filter((_, i) => i !== seconds).join(","));
        };
        assert.deepEqual(strip(b), strip(a), `${name} ${file}`);
      } else assert.ok(sameBytes(a, b), `${name} on ${backend}: ${file} differs`);
    }
    await Deno.remove(whole, { recursive: true });
    await Deno.remove(split, { recursive: true });
  }
});

/** A demo's default options for a quiet cpu run in `out`, with `overrides`. */
function runOptions(name: string, out: string, overrides: Partial<RunOptions> = {}): RunOptions {
  return {
    ...DEMOS[name].defaults,
    seed: 0,
    out,
    resume: false,
    quiet: true,
    limit: undefined,
    backend: "cpu",
    ...overrides,
  };
}

/** Byte equality without node's diff of two large arrays (which takes gigabytes). */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (b: Uint8Array): string => new TextDecoder().decode(b);
  return { code: output.code, stdout: text(output.stdout), stderr: text(output.stderr) };
}

Deno.test("the command line refuses unknown demos and options with a clear message", async () => {
  const demo = await cli("nope");
  assert.equal(demo.code, 2);
  assert.match(demo.stderr, /error: unknown demo "nope": choose one of perceptron-and, xor,/);
  const option = await cli("xor", "--epoch", "3");
  assert.equal(option.code, 2);
  assert.match(option.stderr, /error: Unknown option '--epoch'/);
  const value = await cli("xor", "--lr", "fast");
  assert.match(value.stderr, /--lr must be a non-negative number: got "fast"/);
  const list = await cli("--list");
  assert.equal(list.code, 0);
  assert.equal(list.stdout.trim().split("\n").length, Object.keys(DEMOS).length);
});

Deno.test("a diverging run stops with a clear message and keeps its last good checkpoint", async () => {
  const out = await Deno.makeTempDir();
  const run = await cli(
    "linear-regression",
    "--lr",
    "2",
    "--optimizer",
    "sgd",
    "--epochs",
    "20",
    "--limit",
    "200",
    "--out",
    out,
    "--quiet",
  );
  assert.equal(run.code, 1);
  assert.match(
    run.stderr,
    /TrainingDivergedError: epoch \d+, batch \d+: the loss is (NaN|Infinity): the run diverged; the last good checkpoint \(epoch \d+\) is kept at/,
  );
  const resumed = await cli("xor", "--out", out, "--resume", "--quiet");
  assert.notEqual(resumed.code, 0);
  assert.match(
    resumed.stderr,
    /loadStateDict: keys do not match: missing \[0.weight, 0.bias, 2.weight, 2.bias\], unexpected \[weight, bias\]/,
  );
  await Deno.remove(out, { recursive: true });
});

// mnist-resnet: augmentation, batch norm and a cosine schedule over the run's epochs
for (
  const [name, backend] of [
    ["mnist-mlp", "cpu"],
    ["mnist-rnn", "cpu"],
    ["mnist-rnn", "wasm"],
    ["mnist-resnet", "wasm"],
  ]
) {
  Deno.test(`Ctrl-C stops after the epoch with a checkpoint, and --resume finishes the run (${name} on ${backend})`, async () => {
    const demo = DEMOS[name];
    const base: RunOptions = {
      ...demo.defaults,
      epochs: 3,
      seed: 1,
      resume: false,
      quiet: true,
      limit: 200,
      out: "",
      backend,
    };
    const whole = await Deno.makeTempDir();
    await runDemo(demo, { ...base, out: whole });
    const out = await Deno.makeTempDir();
    interrupt.request(); // what Ctrl-C does
    await assert.rejects(
      () => runDemo(demo, { ...base, out }),
      InterruptedError,
      "checkpoint after epoch 1",
    );
    assert.ok([...Deno.readDirSync(out)].some((e) => e.name === "checkpoint.safetensors"));
    await runDemo(demo, { ...base, out, resume: true });
    assert.ok(
      sameBytes(
        await Deno.readFile(`${out}/model.safetensors`),
        await Deno.readFile(`${whole}/model.safetensors`),
      ),
      `${name} on ${backend}: the resumed model differs`,
    );
    await Deno.remove(whole, { recursive: true });
    await Deno.remove(out, { recursive: true });
  });
}

Deno.test("--resume refuses a checkpoint without optimizer or generator state, naming it", async () => {
  const demo = DEMOS["xor"];
  const out = await Deno.makeTempDir();
  const path = `${out}/checkpoint.safetensors`;
  await saveCheckpoint(path, { model: {}, epoch: 1 });
  await assert.rejects(
    () => runDemo(demo, runOptions("xor", out, { resume: true })),
    new RegExp(`--resume: ${path} lacks the optimizer or generator state`),
  );
  await Deno.remove(out, { recursive: true });
});

Deno.test("--resume checks the restored optimizer state as the constructor does, naming the file", async () => {
  const out = await Deno.makeTempDir();
  const path = `${out}/checkpoint.safetensors`;
  await runDemo(DEMOS["xor"], runOptions("xor", out, { epochs: 1 }));
  const { tensors, metadata } = await loadSafetensors(path);
  const meta = JSON.parse(metadata["kiso.checkpoint"]);
  meta.optimizer.paramGroups[0].lr = -1;
  await saveSafetensors(path, tensors, { "kiso.checkpoint": JSON.stringify(meta) });
  await assert.rejects(
    () => runDemo(DEMOS["xor"], runOptions("xor", out, { epochs: 2, resume: true })),
    new RegExp(
      `--resume: ${path}: \\w+\\.loadStateDict: group 0: lr must be in \\[0, Infinity\\]: current value is -1$`,
    ),
  );
  await Deno.remove(out, { recursive: true });
});

Deno.test("the command line parses numbers strictly and names only its own demos and optimizers", async () => {
  for (
    const [args, message] of [
      [["xor", "--lr", ""], /--lr must be a non-negative number: got ""/],
      [["xor", "--epochs", "0x10"], /--epochs must be an integer of at least 1: got "0x10"/],
      [["xor", "--epochs", "0"], /--epochs must be an integer of at least 1: got "0"/],
      [["xor", "--seed="], /--seed must be a non-negative integer: got ""/],
      [["mnist-mlp", "--limit", "0"], /--limit must be an integer of at least 1: got "0"/],
      [["iris", "--limit", "10"], /--limit does not apply to the iris demo/],
      [["optimizers", "--lr", "0.1"], /--lr does not apply to the optimizers demo/],
      [
        ["perceptron-and", "--optimizer", "sgd"],
        /--optimizer does not apply to the perceptron-and demo/,
      ],
      [["toString"], /unknown demo "toString"/],
      [["xor", "--optimizer", "constructor"], /unknown optimizer "constructor"/],
    ] as const
  ) {
    const run = await cli(...args);
    assert.equal(run.code, 2, args.join(" "));
    assert.match(run.stderr, message);
  }
});

Deno.test("the divergence guard also watches the validation loss and keeps the last good checkpoint", async () => {
  const out = await Deno.makeTempDir();
  const rng = new Rng(0);
  const model = new Dense(2, 1, { rng });
  const x = tensor([[0, 1], [1, 0]]);
  const y = tensor([[1], [0]]);
  await assert.rejects(
    () =>
      fit({
        model,
        optimizer: new SGD(model.parameters(), { lr: 0.1 }),
        loss: mse,
        train: [x, y],
        validation: [tensor([[NaN, 1]]), tensor([[1]])],
        rng,
        options: runOptions("xor", out),
        progress: new Progress(true),
      }),
    (e: Error) =>
      e instanceof TrainingDivergedError &&
      e.message.startsWith(
        "epoch 1: the validation loss is NaN: the run diverged; no checkpoint was written yet",
      ),
  );
  assert.ok(![...Deno.readDirSync(out)].some((e) => e.name.startsWith("checkpoint")));
  await Deno.remove(out, { recursive: true });
});

Deno.test("a second Ctrl-C quits at once, mid-epoch", async () => {
  /** Reads a stream until `text` has appeared (true) or the stream ends (false). */
  const until = async (reader: ReadableStreamDefaultReader<Uint8Array>, text: string) => {
    let seen = "";
    while (!seen.includes(text)) {
      const chunk = await reader.read();
      if (chunk.done) return false;
      seen += new TextDecoder().decode(chunk.value);
    }
    return true;
  };
  // a press before training begins (while the digits load) ends the run at once, so the first
  // press waits a little after the demo's first line, longer on each try of a busy machine
  for (const wait of [1000, 3000, 9000, 27000]) {
    const out = await Deno.makeTempDir();
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", MAIN, "mnist-cnn", "--backend", "cpu", "--epochs", "3", "--out", out],
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const [stdout, stderr] = [child.stdout.getReader(), child.stderr.getReader()];
    await until(stdout, "mnist-cnn:");
    await new Promise((resolve) => setTimeout(resolve, wait));
    child.kill("SIGINT");
    // the second press only once the first was heard (two signals sent while the process is
    // busy reach it as one)
    const heard = await until(stderr, "stopping after this epoch");
    if (heard) child.kill("SIGINT");
    await stdout.cancel();
    await stderr.cancel();
    const status = await child.status;
    assert.equal(status.code, 130);
    // it did not wait for the epoch to end: no epoch was logged or checkpointed (a wall-clock
    // bound would fail on a busy machine, where the epoch itself is slow)
    const files = [...Deno.readDirSync(out)].map((e) => e.name);
    await Deno.remove(out, { recursive: true });
    if (!heard) continue;
    assert.ok(
      !files.includes("checkpoint.safetensors") && !files.includes("metrics.csv"),
      `${files}`,
    );
    return;
  }
  assert.fail("the first Ctrl-C never reached a training run");
});

Deno.test("a run removes the partial files that killed atomic writes left in its folder", async () => {
  const out = await Deno.makeTempDir();
  const partial = `${out}/checkpoint.safetensors.tmp-${crypto.randomUUID()}`;
  await Deno.writeTextFile(partial, "half a file");
  await Deno.writeTextFile(`${out}/notes.tmp-mine`, "kept");
  const demo = DEMOS["perceptron-and"];
  await runDemo(demo, runOptions("perceptron-and", out));
  const names = [...Deno.readDirSync(out)].map((e) => e.name);
  assert.ok(!names.some((n) => n.includes(".tmp-") && n !== "notes.tmp-mine"), names.join(", "));
  assert.ok(names.includes("notes.tmp-mine"));
  await Deno.remove(out, { recursive: true });
});

Deno.test("a new run in a folder that holds one keeps the old run aside and says so", async () => {
  const parent = await Deno.makeTempDir();
  const out = `${parent}/run`;
  const run = await cli("perceptron-and", "--out", out, "--backend", "cpu");
  assert.equal(run.code, 0);
  const again = await cli("perceptron-and", "--out", out, "--backend", "cpu");
  assert.equal(again.code, 0);
  const kept = [...Deno.readDirSync(parent)].map((e) => e.name).filter((n) => n.startsWith("run-"));
  assert.equal(kept.length, 1);
  assert.match(again.stdout, new RegExp(`the run that was in ${out} is kept in ${out}-`));
  assert.match(
    again.stdout,
    new RegExp(`\\(1 run kept aside so far: rm -r ${out}-20\\* removes them\\)`),
  );
  assert.ok(Deno.statSync(`${parent}/${kept[0]}/summary.json`).isFile);
  await Deno.remove(parent, { recursive: true });
});

Deno.test("runtime failures print one line naming the path, with a non-zero exit", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/afile`, "");
  await Deno.mkdir(`${dir}/run`);
  await Deno.writeFile(`${dir}/run/checkpoint.safetensors`, new Uint8Array(3));
  const cases: [string[], string][] = [
    [["--out", `${dir}/afile`], `${dir}/afile`],
    [["--out", `${dir}/afile/sub`], `${dir}/afile/sub`],
    [["--resume", "--out", `${dir}/run`], `${dir}/run/checkpoint.safetensors`],
  ];
  for (const [args, path] of cases) {
    const run = await cli("xor", "--backend", "cpu", "--quiet", ...args);
    assert.equal(run.code, 1, args.join(" "));
    const lines = run.stderr.trim().split("\n");
    assert.equal(lines.length, 1, run.stderr);
    assert.ok(lines[0].startsWith("error: ") && lines[0].includes(path), lines[0]);
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("--resume refuses a changed optimizer, learning rate or batch size, naming both", async () => {
  const out = await Deno.makeTempDir();
  const xor = ["xor", "--backend", "cpu", "--quiet", "--out", out];
  const first = await cli(...xor, "--epochs", "2");
  assert.equal(first.code, 0);
  const changed = await cli(
    ...xor,
    "--epochs",
    "4",
    "--resume",
    "--optimizer",
    "sgd",
    "--lr",
    "0.1",
  );
  assert.equal(changed.code, 1);
  assert.match(
    changed.stderr,
    /--resume: .*checkpoint.safetensors was trained with --optimizer adam --lr 0\.\d+; this run asks for --optimizer sgd --lr 0\.1: resume with the same options, or start a new run/,
  );
  const same = await cli(...xor, "--epochs", "4", "--resume");
  assert.equal(same.code, 0, same.stderr);
  await Deno.remove(out, { recursive: true });
});

Deno.test("a multi-model demo stopped by Ctrl-C resumes each model where it stopped, bit for bit", async () => {
  const demo = DEMOS["optimizers"];
  const base: RunOptions = {
    ...demo.defaults,
    epochs: 2,
    seed: 5,
    resume: false,
    quiet: true,
    limit: 300,
    out: "",
    backend: "cpu",
  };
  const whole = await Deno.makeTempDir();
  await runDemo(demo, { ...base, out: whole });
  const out = await Deno.makeTempDir();
  interrupt.request(); // Ctrl-C during the first model's first epoch
  await assert.rejects(() => runDemo(demo, { ...base, out }), InterruptedError);
  await runDemo(demo, { ...base, out, resume: true });
  const models = [...Deno.readDirSync(whole)].map((e) => e.name).filter((n) =>
    n.startsWith("model")
  );
  assert.equal(models.length, 7);
  for (const name of models) {
    assert.ok(
      sameBytes(await Deno.readFile(`${out}/${name}`), await Deno.readFile(`${whole}/${name}`)),
      `${name} differs`,
    );
  }
  await Deno.remove(whole, { recursive: true });
  await Deno.remove(out, { recursive: true });
});
