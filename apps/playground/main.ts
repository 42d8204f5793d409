/**
 * The playground page: its controls, live charts, drawing canvas and made-up words, talking to
 * the training worker (`worker.ts`) through the messages of `protocol.ts`.
 *
 * @module
 */
import { downloadBytes } from "@kiso/io";
import type { EpochLogs } from "@kiso/train";
import { chartSvg } from "./chart.ts";
import { mnistInput } from "./digit_input.ts";
import { MODELS } from "./models.ts";
import type { BackendName, BackendState, Reply, Request, Task } from "./protocol.ts";

/** The element with id `id`. */
function element<T extends HTMLElement>(id: string): T {
  return document.getElementById(id) as T;
}

const ui = {
  model: element<HTMLSelectElement>("model"),
  backend: element<HTMLSelectElement>("backend"),
  backendNote: element("backend-note"),
  threads: element<HTMLSelectElement>("threads"),
  epochs: element<HTMLInputElement>("epochs"),
  batch: element<HTMLInputElement>("batch"),
  lr: element<HTMLInputElement>("lr"),
  optimizer: element<HTMLSelectElement>("optimizer"),
  samples: element<HTMLInputElement>("samples"),
  seed: element<HTMLInputElement>("seed"),
  train: element<HTMLButtonElement>("train"),
  stop: element<HTMLButtonElement>("stop"),
  backendInfo: element("backend-info"),
  isolation: element("isolation"),
  progress: element<HTMLProgressElement>("progress"),
  progressText: element("progress-text"),
  lossChart: element("loss-chart"),
  accuracyChart: element("accuracy-chart"),
  result: element("result"),
  canvas: element<HTMLCanvasElement>("canvas"),
  clear: element<HTMLButtonElement>("clear"),
  guess: element("guess"),
  probabilities: element<HTMLOListElement>("probabilities"),
  drawPanel: element("draw-panel"),
  wordsPanel: element("words-panel"),
  temperature: element<HTMLInputElement>("temperature"),
  generate: element<HTMLButtonElement>("generate"),
  words: element<HTMLOListElement>("words"),
  save: element<HTMLButtonElement>("save"),
  drop: element("drop"),
  file: element<HTMLInputElement>("file"),
  message: element("message"),
};

const worker = new Worker(new URL("worker.js", import.meta.url), { type: "module" });
let nextId = 1;
const waiting = new Map<number, { resolve(reply: Reply): void; reject(error: Error): void }>();

/** Sends a request and waits for its answer (an error answer rejects). */
function ask(request: Request, transfer: Transferable[] = []): Promise<Reply> {
  const id = nextId++;
  worker.postMessage({ ...request, id }, transfer);
  return new Promise((resolve, reject) => waiting.set(id, { resolve, reject }));
}

/** The page's state, which the controls follow (and tests wait for). */
function setState(state: "loading" | "ready" | "busy" | "training"): void {
  document.body.dataset.state = state;
  const idle = state === "ready";
  for (const control of [ui.train, ui.model, ui.backend, ui.threads]) control.disabled = !idle;
  ui.stop.disabled = state !== "training";
}

function say(text: string, error = false): void {
  ui.message.textContent = text;
  ui.message.classList.toggle("error", error);
}

function showBackend(backend: BackendState): void {
  ui.backendInfo.textContent = `${backend.name}: ${backend.description}`;
  ui.backendInfo.dataset.threads = String(backend.threads);
}

// ---- charts ----
const curves = {
  loss: [] as [number, number][],
  accuracy: [] as [number, number][],
  valLoss: [] as [number, number][],
  valAccuracy: [] as [number, number][],
};
let stepsBefore = 0;

function drawCharts(): void {
  ui.lossChart.innerHTML = chartSvg("loss", [
    { label: "training", color: "#36c", points: curves.loss },
    { label: "validation", color: "#d62", points: curves.valLoss, dots: true },
  ], { xLabel: "step" });
  ui.accuracyChart.innerHTML = chartSvg("accuracy", [
    { label: "training", color: "#36c", points: curves.accuracy },
    { label: "validation", color: "#d62", points: curves.valAccuracy, dots: true },
  ], { yMax: 1, xLabel: "step" });
}

function onProgress(reply: Extract<Reply, { type: "progress" }>): void {
  const step = stepsBefore + reply.batch;
  curves.loss.push([step, reply.loss]);
  if (reply.accuracy !== undefined) curves.accuracy.push([step, reply.accuracy]);
  if (reply.batch === reply.steps) stepsBefore += reply.steps;
  ui.progress.value = (reply.epoch - 1 + reply.batch / reply.steps) / reply.epochs;
  ui.progressText.textContent =
    `epoch ${reply.epoch}/${reply.epochs} · step ${reply.batch}/${reply.steps}` +
    ` · loss ${reply.loss.toFixed(4)}` +
    (reply.accuracy === undefined ? "" : ` · accuracy ${(100 * reply.accuracy).toFixed(1)}%`);
  drawCharts();
}

function onEpoch(logs: EpochLogs, step: number): void {
  if (logs.val_loss === undefined) return;
  curves.valLoss.push([step, logs.val_loss]);
  ui.result.dataset.valLoss = String(logs.val_loss);
  const seconds = `(${logs.seconds.toFixed(1)} s)`;
  if (logs.val_accuracy === undefined) {
    // a words model: its loss in nats per character, and the perplexity it means
    ui.result.textContent = `epoch ${logs.epoch}: validation loss ${logs.val_loss.toFixed(4)} ` +
      `nats per character, perplexity ${Math.exp(logs.val_loss).toFixed(2)} ${seconds}`;
  } else {
    curves.valAccuracy.push([step, logs.val_accuracy]);
    ui.result.dataset.valAccuracy = String(logs.val_accuracy);
    ui.result.textContent = `epoch ${logs.epoch}: validation accuracy ` +
      `${(100 * logs.val_accuracy).toFixed(2)}%, loss ${logs.val_loss.toFixed(4)} ${seconds}`;
  }
  drawCharts();
}

worker.onmessage = (event: MessageEvent<Reply>): void => {
  const reply = event.data;
  if (reply.type === "progress") return onProgress(reply);
  if (reply.type === "epoch") return onEpoch(reply.logs, reply.step);
  const pending = waiting.get(reply.id);
  waiting.delete(reply.id);
  if (reply.type === "error") pending?.reject(new Error(reply.message));
  else pending?.resolve(reply);
};
worker.onerror = (event): void => {
  console.error(`the training worker failed: ${event.message}`);
  say(`The training worker failed: ${event.message}`, true);
};

// ---- settings ----
for (const [key, spec] of Object.entries(MODELS)) ui.model.add(new Option(spec.label, key));

/** Training and validation samples of each task, once the worker has loaded them. */
let counts: Record<Task, { train: number; validation: number }> | undefined;

function fillDefaults(): void {
  const { defaults, samples, task } = MODELS[ui.model.value];
  ui.epochs.value = String(defaults.epochs);
  ui.batch.value = String(defaults.batchSize);
  ui.lr.value = String(defaults.lr);
  ui.optimizer.value = defaults.optimizer;
  ui.samples.value = samples === undefined ? "" : String(samples);
  const total = counts?.[task].train;
  ui.samples.placeholder = total === undefined ? "" : `all ${total}`;
  ui.samples.title = total === undefined ? "" : `${task} to train on, of ${total}`;
  showTask(task);
}
ui.model.onchange = fillDefaults;

/** Shows the panel of a task: drawing for the digits, made-up words for the words. */
function showTask(task: Task): void {
  ui.drawPanel.hidden = task !== "digits";
  ui.wordsPanel.hidden = task !== "words";
  ui.accuracyChart.hidden = task !== "digits";
}
fillDefaults();

/** A positive number from an input, or the error naming it. */
function numberFrom(input: HTMLInputElement, name: string, integer: boolean): number {
  const value = Number(input.value);
  if (!(value > 0) || (integer && !Number.isInteger(value))) {
    throw new RangeError(
      `${name} must be a positive ${integer ? "integer" : "number"}: got "${input.value}"`,
    );
  }
  return value;
}

async function changeBackend(): Promise<void> {
  setState("busy");
  try {
    const threads = ui.threads.value === "auto" ? "auto" : Number(ui.threads.value);
    const reply = await ask({ type: "backend", backend: ui.backend.value as BackendName, threads });
    if (reply.type === "backend") showBackend(reply.backend);
  } catch (e) {
    console.error(e);
    say(`Could not start the ${ui.backend.value} backend: ${(e as Error).message}`, true);
  } finally {
    setState("ready");
  }
}
ui.backend.onchange = changeBackend;
ui.threads.onchange = changeBackend;

ui.train.onclick = async (): Promise<void> => {
  let request: Request;
  try {
    request = {
      type: "train",
      model: ui.model.value,
      hyper: {
        epochs: numberFrom(ui.epochs, "Epochs", true),
        batchSize: numberFrom(ui.batch, "Batch size", true),
        lr: numberFrom(ui.lr, "Learning rate", false),
        optimizer: ui.optimizer.value as "adam" | "sgd",
      },
      samples: ui.samples.value === ""
        ? undefined
        : numberFrom(ui.samples, "Training samples", true),
      seed: Number(ui.seed.value) || 0,
    };
  } catch (e) {
    return say((e as Error).message, true);
  }
  for (const curve of Object.values(curves)) curve.length = 0;
  stepsBefore = 0;
  ui.progress.value = 0;
  ui.result.textContent = "";
  delete ui.result.dataset.valAccuracy;
  delete ui.result.dataset.valLoss;
  delete ui.result.dataset.samplesPerSecond;
  say("");
  drawCharts();
  setState("training");
  try {
    const reply = await ask(request);
    if (reply.type === "trained") {
      ui.result.dataset.samplesPerSecond = String(reply.samplesPerSecond);
      const unit = reply.task === "words"
        ? "training sequences of 32 characters"
        : "training digits";
      ui.progressText.textContent = `${reply.stopped ? "Stopped" : "Done"}: ` +
        `${Math.round(reply.samplesPerSecond)} ${unit}/s`;
      haveModel(reply.task);
    }
  } catch (e) {
    console.error(e);
    say(`Training failed: ${(e as Error).message}`, true);
  } finally {
    setState("ready");
  }
};
ui.stop.onclick = (): void => void ask({ type: "stop" });

// ---- drawing and prediction ----
const pen = ui.canvas.getContext("2d", { willReadFrequently: true })!;
function clearCanvas(): void {
  pen.fillStyle = "#000";
  pen.fillRect(0, 0, ui.canvas.width, ui.canvas.height);
  drawn = false;
  showProbabilities(undefined);
}
let drawn = false;
let last: [number, number] | undefined;
ui.canvas.onpointerdown = (event): void => {
  ui.canvas.setPointerCapture(event.pointerId);
  last = point(event);
  stroke(last, last);
};
ui.canvas.onpointermove = (event): void => {
  if (last === undefined) return;
  const next = point(event);
  stroke(last, next);
  last = next;
};
ui.canvas.onpointerup = (): void => {
  last = undefined;
  predict();
};
ui.clear.onclick = clearCanvas;

function point(event: PointerEvent): [number, number] {
  const box = ui.canvas.getBoundingClientRect();
  return [
    ((event.clientX - box.left) / box.width) * ui.canvas.width,
    ((event.clientY - box.top) / box.height) * ui.canvas.height,
  ];
}

function stroke(from: [number, number], to: [number, number]): void {
  pen.strokeStyle = "#fff";
  pen.lineWidth = 20;
  pen.lineCap = "round";
  pen.beginPath();
  pen.moveTo(...from);
  pen.lineTo(...to);
  pen.stroke();
  drawn = true;
  predict();
}

function showProbabilities(probabilities: number[] | undefined): void {
  ui.probabilities.replaceChildren(
    ...Array.from({ length: 10 }, (_, digit) => {
      const p = probabilities?.[digit] ?? 0;
      const item = document.createElement("li");
      item.dataset.p = String(p);
      item.innerHTML = `<span>${digit}</span><span class="bar"><span style="width:${
        (100 * p).toFixed(1)
      }%"></span></span><span>${(100 * p).toFixed(1)}%</span>`;
      return item;
    }),
  );
  const best = probabilities?.indexOf(Math.max(...probabilities));
  ui.guess.textContent = best === undefined ? "–" : String(best);
  ui.guess.dataset.digit = best === undefined ? "" : String(best);
}

let model: Task | undefined;
/**
 * A model is there (trained or loaded): it can be saved, and it predicts the drawing or makes up
 * words; the list shows a model of its task.
 */
function haveModel(task: Task): void {
  model = task;
  ui.save.disabled = false;
  ui.generate.disabled = task !== "words";
  if (MODELS[ui.model.value].task !== task) {
    ui.model.value = Object.keys(MODELS).find((key) => MODELS[key].task === task)!;
    showTask(task);
  }
  if (task === "digits") predict();
  else generate();
}

let predicting = false;
let again = false;
/** Asks for the drawing's class probabilities; one request at a time, the latest drawing last. */
async function predict(): Promise<void> {
  if (!drawn || model !== "digits") return;
  if (predicting) {
    again = true;
    return;
  }
  predicting = true;
  document.body.dataset.predicting = "true";
  const { data } = pen.getImageData(0, 0, ui.canvas.width, ui.canvas.height);
  const ink = new Float32Array(data.length / 4);
  for (let i = 0; i < ink.length; i++) ink[i] = data[4 * i] / 255;
  const pixels = mnistInput(ink, ui.canvas.width, ui.canvas.height);
  try {
    const reply = await ask({ type: "predict", pixels }, [pixels.buffer]);
    if (reply.type === "prediction") showProbabilities(reply.probabilities);
  } catch (e) {
    say((e as Error).message, true);
  } finally {
    predicting = false;
    delete document.body.dataset.predicting;
    if (again) {
      again = false;
      predict();
    }
  }
}

// ---- made-up words ----
let wordSeed = 0;
/** Asks the words model for a dozen words at the chosen temperature. */
async function generate(): Promise<void> {
  ui.generate.disabled = true;
  document.body.dataset.predicting = "true";
  try {
    const temperature = numberFrom(ui.temperature, "Temperature", false);
    const reply = await ask({ type: "generate", count: 12, temperature, seed: wordSeed++ });
    if (reply.type === "generated") {
      ui.words.replaceChildren(...reply.words.map((word) => {
        const item = document.createElement("li");
        item.textContent = word;
        return item;
      }));
    }
  } catch (e) {
    say((e as Error).message, true);
  } finally {
    ui.generate.disabled = model !== "words";
    delete document.body.dataset.predicting;
  }
}
ui.generate.onclick = generate;

// ---- save and load ----
ui.save.onclick = async (): Promise<void> => {
  try {
    const reply = await ask({ type: "save" });
    if (reply.type === "saved") {
      downloadBytes(reply.bytes, `kiso-${ui.model.value}.safetensors`);
      say(`Saved the model (${reply.bytes.length} bytes).`);
    }
  } catch (e) {
    say(`Could not save: ${(e as Error).message}`, true);
  }
};

async function load(file: File | undefined): Promise<void> {
  if (file === undefined) return say("Nothing was dropped: drop a .safetensors file", true);
  const bytes = new Uint8Array(await file.arrayBuffer());
  try {
    const reply = await ask({ type: "load", bytes, name: file.name }, [bytes.buffer]);
    if (reply.type === "loaded") {
      say(`Loaded ${reply.description}.`);
      haveModel(reply.task);
    }
  } catch (e) {
    say(`Could not load ${file.name}, the model is unchanged: ${(e as Error).message}`, true);
  }
}
ui.drop.ondragover = (event): void => {
  event.preventDefault();
  ui.drop.classList.add("over");
};
ui.drop.ondragleave = (): void => ui.drop.classList.remove("over");
ui.drop.ondrop = (event): void => {
  event.preventDefault();
  ui.drop.classList.remove("over");
  load(event.dataTransfer?.files[0]);
};
// a file dropped anywhere else is not opened in place of the page
document.ondragover = (event): void => event.preventDefault();
document.ondrop = (event): void => event.preventDefault();
ui.file.onchange = (): void => void load(ui.file.files?.[0]);

// ---- start ----
const isolated = globalThis.crossOriginIsolated === true;
ui.isolation.dataset.isolated = String(isolated);
ui.isolation.textContent = isolated
  ? "This page is cross-origin isolated: the wasm backend runs on several threads."
  : "This page is not cross-origin isolated (its server does not send the COOP and COEP " +
    "headers): the wasm backend runs on one thread.";
clearCanvas();
drawCharts();
setState("loading");
ask({
  type: "init",
  digits: new URL("mnist.bin", document.baseURI).href,
  words: new URL("words.json", document.baseURI).href,
})
  .then(async (reply) => {
    if (reply.type !== "ready") return;
    counts = reply.counts;
    fillDefaults();
    const { digits, words } = reply.counts;
    ui.progressText.textContent = `${digits.train} training and ${digits.validation} validation ` +
      `digits, ${words.train} training and ${words.validation} validation words loaded.`;
    for (const option of ui.backend.options) {
      const availability = reply.backends[option.value as BackendName];
      if (availability.ok) continue;
      option.disabled = true;
      option.title = availability.reason;
      ui.backendNote.textContent = `${option.value} is unavailable: ${availability.reason}`;
    }
    await changeBackend();
  })
  .catch((e: Error) => {
    console.error(e);
    say(`The playground could not start: ${e.message}`, true);
  });
