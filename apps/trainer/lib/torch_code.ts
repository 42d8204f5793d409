/**
 * A kiso model's architecture (the `LayerSpec` that `saveModel` stores) as a self-contained
 * Python file: a PyTorch `nn.Module` whose state dict has kiso's keys and layouts (so kiso's
 * `model.safetensors` loads with `strict=True`), a safetensors reader and writer that need no
 * package beyond torch, and `check`, `predict` and `train` commands — `train` runs under `torchrun`
 * on any number of GPUs (DistributedDataParallel; gloo on CPUs).
 *
 * @module
 */
import type { LayerSpec } from "@kiso/layers";

/** Python for one layer type: its constructor call, and the helper classes it needs. */
interface TorchLayer {
  /** The expression that builds the layer. */
  code: (args: unknown[], spec: LayerSpec) => string;
  /** Helper classes (by name) the expression uses. */
  helpers?: string[];
}

/** Python source of the helper classes. */
const HELPERS: Record<string, string> = {
  Reshape: `class Reshape(nn.Module):
    """kiso's Reshape: every sample to \`shape\`, the batch axis kept."""

    def __init__(self, shape):
        super().__init__()
        self.shape = tuple(shape)

    def forward(self, x):
        return x.reshape(x.shape[0], *self.shape)`,
  Maxout: `class Maxout(nn.Module):
    """kiso's Maxout: the maximum of each group of \`pieces\` features on the last axis."""

    def __init__(self, pieces):
        super().__init__()
        self.pieces = pieces

    def forward(self, x):
        return x.unflatten(-1, (-1, self.pieces)).amax(-1)`,
  Normalization: `class Normalization(nn.Module):
    """kiso's Normalization: (x - mean) / sqrt(variance), by feature (1 where the variance is 0)."""

    def __init__(self, features):
        super().__init__()
        self.register_buffer("mean", torch.zeros(features))
        self.register_buffer("variance", torch.ones(features))

    def forward(self, x):
        sd = self.variance.sqrt()
        return (x - self.mean) / torch.where(sd != 0, sd, torch.ones_like(sd))`,
  LpPool2d: `class LpPool2d(nn.Module):
    """kiso's LpPool2d: ((1/|P|) sum x^p)^(1/p) (form "mean") or PyTorch's sum form."""

    def __init__(self, p, kernel, stride=None, padding=0, form="mean"):
        super().__init__()
        self.p, self.kernel, self.stride, self.padding, self.form = p, kernel, stride, padding, form

    def forward(self, x):
        k = self.kernel if isinstance(self.kernel, (tuple, list)) else (self.kernel, self.kernel)
        y = nn.functional.avg_pool2d(x.pow(self.p), k, self.stride, self.padding)
        if self.form == "sum":
            y = y * (k[0] * k[1])
        return y.pow(1 / self.p)`,
  Recurrent: `def recurrent(base):
    """kiso's batch-first recurrent layers: every step, or the last step's hidden state."""

    class Recurrent(base):
        def __init__(self, input_size, hidden_size, return_sequences=False, **options):
            super().__init__(input_size, hidden_size, batch_first=True, **options)
            self.return_sequences = return_sequences

        def forward(self, x):
            y = super().forward(x)[0]
            return y if self.return_sequences else y[:, -1]

    Recurrent.__name__ = base.__name__
    return Recurrent


RNN, LSTM, GRU = recurrent(nn.RNN), recurrent(nn.LSTM), recurrent(nn.GRU)`,
};

/** The Python literal of a JSON value (numbers, strings, booleans, lists). */
function py(value: unknown): string {
  if (value === undefined || value === null) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : String(value);
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `(${value.map(py).join(", ")}${value.length === 1 ? "," : ""})`;
  throw new TypeError(`export to PyTorch: ${JSON.stringify(value)} has no Python form here`);
}

/** A call with positional arguments and the keyword arguments that are set. */
function call(name: string, positional: unknown[], keywords: Record<string, unknown> = {}): string {
  const kw = Object.entries(keywords).filter(([, v]) => v !== undefined).map(([k, v]) =>
    `${k}=${py(v)}`
  );
  return `${name}(${[...positional.map(py), ...kw].join(", ")})`;
}

/** The options object at `index` of the arguments (or `{}`). */
function opts(args: unknown[], index: number): Record<string, unknown> {
  const v = args[index];
  return typeof v === "object" && v !== null && !Array.isArray(v)
    ? v as Record<string, unknown>
    : {};
}

/** A recurrent layer: PyTorch's class under a batch-first wrapper, PyTorch's parameter names. */
function recurrent(name: "RNN" | "LSTM" | "GRU"): TorchLayer {
  return {
    helpers: ["Recurrent"],
    code: (args) => {
      const o = opts(args, 2);
      if (o.peepholes) {
        throw new TypeError("export to PyTorch: an LSTM with peepholes has no PyTorch layer");
      }
      return call(name, [args[0], args[1]], {
        return_sequences: o.returnSequences === true ? true : undefined,
        bias: o.bias === false ? false : undefined,
        nonlinearity: name === "RNN" && o.nonlinearity === "relu" ? "relu" : undefined,
      });
    },
  };
}

/**
 * The PyTorch form of each layer type, by kiso's type name. An entry reads the layer's recorded
 * constructor arguments and gives PyTorch's constructor with the same state-dict keys.
 */
const TORCH_LAYERS: Record<string, TorchLayer> = {
  Dense: {
    code: (a) =>
      call("nn.Linear", [a[0], a[1]], { bias: opts(a, 2).bias === false ? false : undefined }),
  },
  Conv2d: {
    code: (a) => {
      const o = opts(a, 3);
      return call("nn.Conv2d", [a[0], a[1], a[2]], {
        stride: o.stride,
        padding: o.padding,
        dilation: o.dilation,
        bias: o.bias === false ? false : undefined,
      });
    },
  },
  MaxPool2d: {
    code: (a) =>
      call("nn.MaxPool2d", [a[0]], { stride: opts(a, 1).stride, padding: opts(a, 1).padding }),
  },
  AvgPool2d: {
    code: (a) =>
      call("nn.AvgPool2d", [a[0]], { stride: opts(a, 1).stride, padding: opts(a, 1).padding }),
  },
  LpPool2d: {
    helpers: ["LpPool2d"],
    code: (a) => {
      const o = opts(a, 2);
      return call("LpPool2d", [a[0], a[1]], { stride: o.stride, padding: o.padding, form: o.form });
    },
  },
  Flatten: { code: () => "nn.Flatten()" },
  Reshape: { helpers: ["Reshape"], code: (a) => call("Reshape", [a[0]]) },
  ReLU: { code: () => "nn.ReLU()" },
  Sigmoid: { code: () => "nn.Sigmoid()" },
  Tanh: { code: () => "nn.Tanh()" },
  Softplus: { code: () => "nn.Softplus()" },
  PReLU: { code: (a) => call("nn.PReLU", [a[0] ?? 1], { init: opts(a, 1).init }) },
  Maxout: { helpers: ["Maxout"], code: (a) => call("Maxout", [a[0]]) },
  Normalization: { helpers: ["Normalization"], code: (a) => call("Normalization", [a[0]]) },
  Dropout: { code: (a) => call("nn.Dropout", [a[0] ?? 0.5]) },
  BatchNorm1d: { code: (a) => batchNorm("nn.BatchNorm1d", a) },
  BatchNorm2d: { code: (a) => batchNorm("nn.BatchNorm2d", a) },
  LayerNorm: {
    code: (a) => {
      const o = opts(a, 1);
      return call("nn.LayerNorm", [a[0]], {
        eps: o.eps,
        elementwise_affine: o.elementwiseAffine === false ? false : undefined,
      });
    },
  },
  SimpleRNN: recurrent("RNN"),
  LSTM: recurrent("LSTM"),
  GRU: recurrent("GRU"),
};

function batchNorm(name: string, a: unknown[]): string {
  const o = opts(a, 1);
  return call(name, [a[0]], {
    eps: o.eps,
    momentum: o.momentum,
    affine: o.affine === false ? false : undefined,
  });
}

/**
 * The layer types that have a PyTorch form, sorted.
 *
 * @returns Their names.
 */
export function torchLayers(): string[] {
  return ["Sequential", ...Object.keys(TORCH_LAYERS)].sort();
}

/** The expression that builds `spec`, indented, and the helpers it needs. */
function expression(spec: LayerSpec, indent: string, helpers: Set<string>, path: string): string {
  if (spec.type === "Sequential") {
    const children = (spec.children ?? []).map((child, i) =>
      `${indent}    ${
        expression(child, `${indent}    `, helpers, `${path}${path ? "." : ""}${i}`)
      },`
    );
    return `nn.Sequential(\n${children.join("\n")}\n${indent})`;
  }
  const layer = TORCH_LAYERS[spec.type];
  if (layer === undefined) {
    throw new TypeError(
      `export to PyTorch: ${
        path || "the model"
      } (${spec.type}) has no PyTorch form: supported layers are ${
        torchLayers().join(", ")
      }; an imported ONNX model goes to PyTorch as its ONNX file`,
    );
  }
  for (const h of layer.helpers ?? []) helpers.add(h);
  return layer.code(spec.args, spec);
}

/**
 * The Python file of a model.
 *
 * @param spec The model's architecture.
 * @param title A line saying what the model is.
 * @returns The file's text.
 */
export function torchModule(spec: LayerSpec, title: string): string {
  const helpers = new Set<string>();
  const body = expression(spec, "    ", helpers, "");
  const helperCode = [...helpers].map((h) => `\n\n${HELPERS[h]}`).join("");
  return PYTHON.replace("{{TITLE}}", title)
    .replace("{{HELPERS}}", helperCode)
    .replace("{{MODEL}}", body);
}

const PYTHON = `"""{{TITLE}}

A PyTorch module with kiso's state-dict keys and layouts, so that kiso's model.safetensors loads
with strict=True. Needs only torch. Commands:

    python model.py check --weights model.safetensors --input in.safetensors --output out.safetensors
    python model.py predict --weights model.safetensors --input in.safetensors
    torchrun --nproc_per_node=4 model.py train --weights model.safetensors --data train.safetensors \\
        --epochs 10 --out model.torch.safetensors

\`train\` continues training with DistributedDataParallel (NCCL on GPUs, gloo on CPUs), one
process per GPU, on the tensors "x" and "y" of --data, and writes the weights back as safetensors
(kiso's architecture kept in the metadata, so kiso's loadModel reads them).
"""
import argparse
import json
import os
import struct

import torch
from torch import nn
{{HELPERS}}


def build_model():
    """The model, freshly initialized."""
    return {{MODEL}}


DTYPES = {
    "F64": torch.float64, "F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16,
    "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8, "U8": torch.uint8,
    "BOOL": torch.bool,
}


def read_safetensors(path):
    """The tensors and the metadata of a safetensors file."""
    with open(path, "rb") as f:
        data = f.read()
    (size,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + size])
    metadata = header.pop("__metadata__", {})
    tensors = {}
    for key, info in header.items():
        start, end = info["data_offsets"]
        raw = bytearray(data[8 + size + start:8 + size + end])
        flat = torch.frombuffer(raw, dtype=DTYPES[info["dtype"]]) if raw else torch.empty(0, dtype=DTYPES[info["dtype"]])
        tensors[key] = flat.reshape(info["shape"])
    return tensors, metadata


def write_safetensors(path, tensors, metadata=None):
    """Writes tensors (and string metadata) as a safetensors file."""
    names = {v: k for k, v in DTYPES.items()}
    header, chunks, offset = {}, [], 0
    for key in sorted(tensors):
        t = tensors[key].detach().contiguous().cpu()
        raw = t.numpy().tobytes() if t.dtype != torch.bfloat16 else t.view(torch.int16).numpy().tobytes()
        header[key] = {"dtype": names[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    if metadata:
        header["__metadata__"] = metadata
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(chunks))


def load_model(path):
    """The model with kiso's weights (every key must match), in kiso's dtype."""
    state, _ = read_safetensors(path)
    model = build_model()
    floats = [t.dtype for t in state.values() if t.is_floating_point()]
    if floats:
        model = model.to(floats[0])
    model.load_state_dict(state, strict=True)
    return model


def check(args):
    model = load_model(args.weights).eval()
    x = read_safetensors(args.input)[0]["x"]
    expected = read_safetensors(args.output)[0]["y"]
    with torch.no_grad():
        y = model(x)
    error = (y - expected).abs().max().item()
    print(f"max |PyTorch - kiso| = {error:.3g}")
    if error > args.tolerance:
        raise SystemExit(f"outputs differ by {error} > {args.tolerance}")


def predict(args):
    model = load_model(args.weights).eval()
    with torch.no_grad():
        y = model(read_safetensors(args.input)[0]["x"])
    for row in y.reshape(y.shape[0], -1).tolist():
        print(" ".join(f"{v:.6g}" for v in row))


def train(args):
    """Continues training on every process torchrun started (or alone without torchrun)."""
    distributed = "WORLD_SIZE" in os.environ
    cuda = torch.cuda.is_available() and args.backend != "gloo"
    rank, local_rank, world = 0, 0, 1
    if distributed:
        torch.distributed.init_process_group(args.backend or ("nccl" if cuda else "gloo"))
        rank, world = torch.distributed.get_rank(), torch.distributed.get_world_size()
        local_rank = int(os.environ.get("LOCAL_RANK", 0))
    device = torch.device(f"cuda:{local_rank}" if cuda else "cpu")
    if cuda:
        torch.cuda.set_device(device)
    torch.manual_seed(args.seed)
    model = load_model(args.weights).to(device)
    _, metadata = read_safetensors(args.weights)
    data, _ = read_safetensors(args.data)
    dataset = torch.utils.data.TensorDataset(data["x"].to(next(model.parameters()).dtype), data["y"].long())
    sampler = torch.utils.data.distributed.DistributedSampler(dataset, world, rank, seed=args.seed) if distributed else None
    loader = torch.utils.data.DataLoader(dataset, args.batch_size, shuffle=sampler is None, sampler=sampler)
    net = nn.parallel.DistributedDataParallel(model, [local_rank] if cuda else None) if distributed else model
    optimizer = torch.optim.Adam(net.parameters(), lr=args.lr)
    loss_fn = nn.CrossEntropyLoss() if args.loss == "cross_entropy" else nn.MSELoss()
    for epoch in range(args.epochs):
        if sampler is not None:
            sampler.set_epoch(epoch)
        net.train()
        total, count = torch.zeros((), device=device), torch.zeros((), device=device)
        for x, y in loader:
            x, y = x.to(device), y.to(device)
            optimizer.zero_grad()
            loss = loss_fn(net(x), y if args.loss == "cross_entropy" else y.to(x.dtype))
            loss.backward()
            optimizer.step()
            total += loss.detach() * len(x)
            count += len(x)
        if distributed:
            torch.distributed.all_reduce(total)
            torch.distributed.all_reduce(count)
        if rank == 0:
            print(f"epoch {epoch + 1}/{args.epochs}: loss {(total / count).item():.4f} "
                  f"({int(count.item())} samples on {world} process{'es' if world > 1 else ''})", flush=True)
    if rank == 0:
        write_safetensors(args.out, model.state_dict(), metadata)
        print(f"weights written to {args.out}")
    if distributed:
        torch.distributed.destroy_process_group()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    c = commands.add_parser("check", help="compare with kiso's outputs")
    c.add_argument("--weights", required=True)
    c.add_argument("--input", required=True, help='safetensors holding "x"')
    c.add_argument("--output", required=True, help='safetensors holding kiso\\'s output "y"')
    c.add_argument("--tolerance", type=float, default=1e-5)
    p = commands.add_parser("predict", help="print the outputs for an input")
    p.add_argument("--weights", required=True)
    p.add_argument("--input", required=True, help='safetensors holding "x"')
    t = commands.add_parser("train", help="continue training (under torchrun for several GPUs)")
    t.add_argument("--weights", required=True)
    t.add_argument("--data", required=True, help='safetensors holding "x" and the targets "y"')
    t.add_argument("--epochs", type=int, default=1)
    t.add_argument("--batch-size", type=int, default=64)
    t.add_argument("--lr", type=float, default=1e-3)
    t.add_argument("--loss", choices=["cross_entropy", "mse"], default="cross_entropy")
    t.add_argument("--backend", choices=["nccl", "gloo"], default=None)
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--out", default="model.torch.safetensors")
    args = parser.parse_args()
    {"check": check, "predict": predict, "train": train}[args.command](args)


if __name__ == "__main__":
    main()
`;
