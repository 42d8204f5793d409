/**
 * What `node_runtime_test.ts` runs in Node (bundled): the file functions through Node's `fs`, the
 * progress bar on Node's stdout, and Ctrl-C through Node's `process`; prints one JSON line.
 * `process.getBuiltinModule` is Node 22.3's: older Nodes get it from `require` first.
 */
import { Dense, ReLU, Sequential } from "@kiso/layers";
import { loadCsv } from "@kiso/data";
import { loadSafetensors, saveSafetensors } from "@kiso/io";
import { Rng, tensor } from "@kiso/tensor";
import { onInterrupt } from "@kiso/tensor/runtime";
import { loadModel, ProgressBar, saveModel } from "@kiso/train";

const dir = process.argv[2];
await saveSafetensors(`${dir}/w.safetensors`, { w: tensor([[1, 2], [3, 4]]) }, { note: "node" });
const read = await loadSafetensors(`${dir}/w.safetensors`);
const rng = new Rng(1);
const model = new Sequential(new Dense(2, 3, { rng }), new ReLU(), new Dense(3, 1, { rng }));
await saveModel(`${dir}/model.safetensors`, model);
const back = await loadModel(`${dir}/model.safetensors`);
const x = tensor([[0.5, -1]]);
let csvError = "";
await loadCsv(`${dir}/missing.csv`).catch((e: Error) => (csvError = e.message));
const bar = new ProgressBar({ terminal: false });
const stop = onInterrupt(() => {});
stop?.();
console.log(JSON.stringify({
  w: read.tensors.w.arraySync(),
  note: read.metadata.note,
  same: back.forward(x).item() === model.forward(x).item(),
  csv: (await loadCsv(`${dir}/data.csv`)).features.arraySync(),
  csvError,
  bar: bar instanceof ProgressBar,
  interrupt: typeof stop,
}));
