/// <reference lib="dom" />
/**
 * The playground in headless Chromium, as a user drives it: the MLP trained for one epoch on the
 * wasm backend with 2 worker threads in a cross-origin isolated page, a digit drawn with the mouse
 * and recognised, the model saved as a download (which Deno loads and agrees with) and dropped
 * back, bad files refused with the model kept, the same training on 1 and 2 threads and in Deno,
 * the tiny GPT learning words, webgpu through SwiftShader next to wasm, and a page without
 * isolation or WebGPU that says so.
 * Any console error fails it. Needs Chromium (CI installs it).
 */
import assert from "node:assert/strict";
import { Dense } from "@kiso/layers";
import { softmax } from "@kiso/activations";
import { noGrad, Rng, tensor } from "@kiso/tensor";
import { type EpochLogs, loadModel, serializeModel } from "@kiso/train";
import { buildPlayground } from "../apps/playground/build.ts";
import { mnistInput } from "../apps/playground/digit_input.ts";
import { serveFolder } from "../apps/playground/server.ts";
import { Session } from "../apps/playground/session.ts";
import { chromium } from "../scripts/check_reports.ts";
import { consoleOf, errorsIn, launchChromium, type Page } from "./_chromium.ts";

/** A "1" and a "0" as strokes on the 280×280 canvas. */
const ONE = [[[150, 45], [146, 140], [140, 235]]];
const ZERO = Array.from({ length: 1 }, () =>
  Array.from({ length: 33 }, (_, i) => {
    const a = (2 * Math.PI * i) / 32;
    return [140 + 55 * Math.sin(a), 140 - 85 * Math.cos(a)];
  }));

/** Waits until the page is idle (no training, no backend change, no prediction going on). */
async function idle(page: Page): Promise<void> {
  await page.waitForFunction(
    () => document.body.dataset.state === "ready" && !document.body.dataset.predicting,
    { timeout: 120_000 },
  );
}

/** Clears the canvas and draws `strokes` with the mouse; the page's prediction once it settles. */
async function draw(page: Page, strokes: number[][][]): Promise<{ digit: string; p: number[] }> {
  await page.click("#clear");
  const box = (await (await page.$("#canvas"))!.boundingBox())!;
  const scale = box.width / 280;
  for (const stroke of strokes) {
    const at = ([x, y]: number[]): [number, number] => [box.x + x * scale, box.y + y * scale];
    await page.mouse.move(...at(stroke[0]));
    await page.mouse.down();
    for (const point of stroke.slice(1)) await page.mouse.move(...at(point), { steps: 6 });
    await page.mouse.up();
  }
  await page.waitForFunction(() => document.getElementById("guess")!.dataset.digit);
  await idle(page);
  return await page.evaluate(() => ({
    digit: document.getElementById("guess")!.dataset.digit!,
    p: [...document.querySelectorAll<HTMLElement>("#probabilities li")].map((li) =>
      Number(li.dataset.p)
    ),
  }));
}

/** Runs `action` and returns the page's next message (and whether it is an error). */
async function messageAfter(
  page: Page,
  action: () => Promise<unknown>,
): Promise<[string, boolean]> {
  await page.evaluate(() => void (document.getElementById("message")!.textContent = ""));
  await action();
  await page.waitForFunction(() => document.getElementById("message")!.textContent !== "");
  return await page.$eval(
    "#message",
    (m): [string, boolean] => [m.textContent!, m.classList.contains("error")],
  );
}

/** Drops a file named `name` holding `bytes` on the page's drop zone. */
function drop(page: Page, bytes: Uint8Array, name: string): Promise<void> {
  return page.evaluate(
    (base64: string, name: string) => {
      const data = (Uint8Array as unknown as { fromBase64(s: string): Uint8Array<ArrayBuffer> })
        .fromBase64(base64);
      const transfer = new DataTransfer();
      transfer.items.add(new File([data], name));
      const event = new DragEvent("drop", {
        dataTransfer: transfer,
        bubbles: true,
        cancelable: true,
      });
      document.getElementById("drop")!.dispatchEvent(event);
    },
    (bytes as unknown as { toBase64(): string }).toBase64(),
    name,
  );
}

/** Sets the page's inputs, then trains; the last epoch's logs and the samples/s. */
async function train(
  page: Page,
  settings: Record<string, string>,
): Promise<{ valLoss: string; valAccuracy: number; samplesPerSecond: number }> {
  for (const [id, value] of Object.entries(settings)) {
    await page.$eval(`#${id}`, (input, v) => void ((input as HTMLInputElement).value = v), value);
  }
  await page.click("#train");
  await page.waitForFunction(() => document.getElementById("result")!.dataset.samplesPerSecond, {
    timeout: 120_000,
  });
  await idle(page);
  return await page.$eval("#result", (e) => ({
    valLoss: (e as HTMLElement).dataset.valLoss!,
    valAccuracy: Number((e as HTMLElement).dataset.valAccuracy),
    samplesPerSecond: Number((e as HTMLElement).dataset.samplesPerSecond),
  }));
}

/** Chooses a backend (or thread count) and waits until the page has switched. */
async function choose(page: Page, select: "backend" | "threads", value: string): Promise<string> {
  await page.select(`#${select}`, value);
  await idle(page);
  return await page.$eval("#backend-info", (b) => b.textContent!);
}

/** The bytes of the file `name` once it has landed in `dir`. */
async function downloaded(dir: string, name: string): Promise<Uint8Array> {
  for (let i = 0; i < 200; i++) {
    const bytes = await Deno.readFile(`${dir}/${name}`).catch(() => undefined);
    if (bytes !== undefined) return bytes;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${name} was not downloaded`);
}

Deno.test({
  name:
    "the playground trains, draws, saves and loads in headless Chromium, on wasm threads and webgpu",
  ignore: chromium() === undefined,
  async fn(t): Promise<void> {
    const out = await Deno.makeTempDir({ prefix: "kiso-playground-" });
    const downloads = await Deno.makeTempDir({ prefix: "kiso-downloads-" });
    await buildPlayground(out);
    const urls: string[] = [];
    const isolated = serveFolder(out, { port: 0, onListen: (url) => urls.push(url) });
    const plain = serveFolder(out, { port: 0, isolated: false, onListen: (url) => urls.push(url) });
    try {
      await using chrome = await launchChromium(["--enable-unsafe-webgpu"]);
      const browserSession = await chrome.browser.target().createCDPSession();
      await browserSession.send("Browser.setDownloadBehavior", {
        behavior: "allow",
        downloadPath: downloads,
      });
      const page = await chrome.browser.newPage();
      await page.setViewport({ width: 1200, height: 900 });
      const messages = consoleOf(page);
      await page.goto(urls[0]);
      await idle(page);
      let trained: Awaited<ReturnType<typeof train>> | undefined;
      let one: Awaited<ReturnType<typeof draw>> | undefined;

      await t.step("the MLP learns the digits in one epoch on 2 wasm threads", async () => {
        assert.equal(await page.evaluate(() => crossOriginIsolated), true);
        assert.equal(
          await page.$eval("#isolation", (e) => (e as HTMLElement).dataset.isolated),
          "true",
        );
        assert.equal(await choose(page, "threads", "2"), "wasm: relaxed SIMD, 2 threads");
        assert.equal(
          await page.$eval("#backend-info", (e) => (e as HTMLElement).dataset.threads),
          "2",
        );
        trained = await train(page, { model: "mlp", epochs: "1", samples: "" });
        assert.ok(trained.valAccuracy > 0.85, `validation accuracy ${trained.valAccuracy}`);
      });

      await t.step("a digit drawn with the mouse is recognised as it is drawn", async () => {
        one = await draw(page, ONE);
        assert.equal(one.digit, "1", JSON.stringify(one.p));
        assert.ok(Math.abs(one.p.reduce((a, b) => a + b) - 1) < 1e-5);
        assert.equal((await draw(page, ZERO)).digit, "0");
        await draw(page, ONE);
      });

      let saved: Uint8Array | undefined;
      await t.step(
        "Save downloads a .safetensors file that Deno loads and agrees with",
        async () => {
          const [message] = await messageAfter(page, () => page.click("#save"));
          assert.match(message, /^Saved the model \(\d+ bytes\)\.$/);
          saved = await downloaded(downloads, "kiso-mlp.safetensors");
          const model = await loadModel(saved);
          const ink = await page.evaluate(() => {
            const canvas = document.getElementById("canvas") as HTMLCanvasElement;
            const { data } = canvas.getContext("2d")!.getImageData(0, 0, 280, 280);
            return Array.from({ length: data.length / 4 }, (_, i) => data[4 * i] / 255);
          });
          const x = tensor(mnistInput(ink, 280, 280), { shape: [1, 784] });
          const p = Array.from(noGrad(() => softmax(model.forward(x))).dataSync());
          p.forEach((v, i) => assert.ok(Math.abs(v - one!.p[i]) < 1e-5, `${v} vs ${one!.p[i]}`));
        },
      );

      await t.step("the saved file dropped back gives the same predictions", async () => {
        const [message, error] = await messageAfter(
          page,
          () => drop(page, saved!, "mine.safetensors"),
        );
        assert.equal(error, false);
        assert.equal(message, "Loaded mine.safetensors: Sequential, 235146 parameters.");
        assert.deepEqual(await draw(page, ONE), one);
      });

      await t.step(
        "a file that is not a model, or not one for digits, is refused: the model stays",
        async () => {
          const png = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13);
          const [notModel, error] = await messageAfter(page, () => drop(page, png, "digit.png"));
          assert.equal(error, true);
          assert.match(
            notModel,
            /^Could not load digit\.png, the model is unchanged: SyntaxError: safetensors: digit\.png: header length \d+ exceeds the limit/,
          );
          const other = await serializeModel(new Dense(3, 2, { rng: new Rng(0) }));
          const [wrong] = await messageAfter(page, () => drop(page, other, "iris.safetensors"));
          assert.equal(
            wrong,
            "Could not load iris.safetensors, the model is unchanged: TypeError: iris.safetensors: " +
              "the Dense in it does not read a 28×28 digit into 10 class scores (as a flat vector, " +
              "a 1×28×28 image or 28 rows), nor is it the tiny GPT of words",
          );
          assert.deepEqual(await draw(page, ONE), one);
        },
      );

      const small = { model: "mlp", epochs: "1", samples: "512" };
      let wasmRun: Awaited<ReturnType<typeof train>> | undefined;
      await t.step("1 and 2 threads train bit for bit alike, and as Deno does", async () => {
        const two = await train(page, small);
        assert.equal(await choose(page, "threads", "1"), "wasm: relaxed SIMD, 1 thread");
        wasmRun = await train(page, small);
        assert.equal(wasmRun.valLoss, two.valLoss);
        const session = new Session(await Deno.readFile(`${out}/mnist.bin`));
        await session.useBackend("wasm", 1);
        const logs: EpochLogs[] = [];
        await session.train(
          {
            model: "mlp",
            hyper: { epochs: 1, batchSize: 32, lr: 0.001, optimizer: "adam" },
            samples: 512,
            seed: 0,
          },
          { progress: () => {}, epoch: (l) => void logs.push(l) },
        );
        await session.useBackend("cpu", 1);
        assert.equal(String(logs[0].val_loss), wasmRun.valLoss);
      });

      await t.step(
        "the tiny GPT learns English words and makes up new ones; its file loads back",
        async () => {
          await page.select("#model", "gpt");
          const run = await train(page, { samples: "300", epochs: "1" });
          // better than guessing each of the 27 characters alike (ln 27 = 3.30 nats)
          assert.ok(Number(run.valLoss) < Math.log(27), `validation loss ${run.valLoss}`);
          const panels = await page.evaluate(() => [
            document.getElementById("words-panel")!.hidden,
            document.getElementById("draw-panel")!.hidden,
          ]);
          assert.deepEqual(panels, [false, true]);
          const made = await page.$$eval("#words li", (items) => items.map((i) => i.textContent!));
          assert.equal(made.length, 12);
          assert.ok(made.every((w) => /^[a-z]*$/.test(w)), made.join(", "));
          await messageAfter(page, () => page.click("#save"));
          const gpt = await downloaded(downloads, "kiso-gpt.safetensors");
          const [loaded] = await messageAfter(page, () => drop(page, gpt, "words.safetensors"));
          assert.equal(loaded, "Loaded words.safetensors: WordGpt, 103872 parameters.");
          await page.select("#model", "mlp"); // back to the digits, with the MLP's defaults
        },
      );

      await t.step(
        "webgpu (SwiftShader) trains the same run as wasm, to float32 rounding",
        async () => {
          assert.match(await choose(page, "backend", "webgpu"), /^webgpu: /);
          const gpu = await train(page, small);
          const [a, b] = [Number(gpu.valLoss), Number(wasmRun!.valLoss)];
          assert.ok(Math.abs(a - b) < 1e-3 * b, `webgpu ${a}, wasm ${b}`);
          assert.ok(Math.abs(gpu.valAccuracy - wasmRun!.valAccuracy) <= 0.01);
        },
      );
      assert.deepEqual(errorsIn(messages), []);
    } finally {
      await isolated.shutdown();
    }

    await t.step(
      "a page without isolation runs wasm on one thread with a notice, and greys out webgpu where there is none",
      async () => {
        await using chrome = await launchChromium();
        const page = await chrome.browser.newPage();
        const messages = consoleOf(page);
        await page.goto(urls[1]);
        await idle(page);
        assert.equal(await page.evaluate(() => crossOriginIsolated), false);
        assert.equal(
          await page.$eval("#isolation", (e) => (e as HTMLElement).dataset.isolated),
          "false",
        );
        assert.equal(
          await page.$eval("#backend-info", (b) => b.textContent),
          "wasm: relaxed SIMD, 1 thread (workers cannot share memory here)",
        );
        assert.ok(
          messages.some((m) =>
            m.startsWith(
              "worker warn: kiso: wasm backend on one thread: the page is not cross-origin isolated",
            )
          ),
          messages.join("\n"),
        );
        const webgpu = await page.$eval('#backend option[value="webgpu"]', (o) => ({
          disabled: (o as HTMLOptionElement).disabled,
          title: (o as HTMLOptionElement).title,
        }));
        // Chromium has navigator.gpu but, without --enable-unsafe-webgpu here, no adapter
        const reason = "createWebGpuBackend: no WebGPU adapter: this machine has no GPU that the " +
          "runtime can use (a browser may block its GPU or need WebGPU turned on; for Deno on " +
          "Linux without a GPU, install Mesa's software Vulkan driver: apt-get install " +
          "mesa-vulkan-drivers)";
        assert.deepEqual(webgpu, { disabled: true, title: reason });
        assert.equal(
          await page.$eval("#backend-note", (n) => n.textContent),
          `webgpu is unavailable: ${reason}`,
        );
        assert.deepEqual(errorsIn(messages), []);
      },
    );
    await plain.shutdown();
    await Deno.remove(out, { recursive: true });
    await Deno.remove(downloads, { recursive: true });
  },
});
