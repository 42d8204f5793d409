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

/** Renders a nested layer spec (a stack's layer, its norm) as a Python expression. */
export type TorchBuild = (spec: LayerSpec, name: string) => string;

/** Python for one layer type: its constructor call, and the helper classes it needs. */
export interface TorchLayer {
  /**
   * The expression that builds the layer from its recorded arguments.
   *
   * @param args The layer's constructor arguments, as recorded.
   * @param spec The layer's spec.
   * @param build Renders a nested spec found among the arguments.
   * @returns The Python expression.
   */
  code: (args: unknown[], spec: LayerSpec, build: TorchBuild) => string;
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

    def __init__(self, p, kernel, stride=None, padding=0, ceil_mode=False, form="mean"):
        super().__init__()
        self.p, self.kernel, self.stride, self.padding, self.form = p, kernel, stride, padding, form
        self.ceil_mode = ceil_mode

    def forward(self, x):
        k = self.kernel if isinstance(self.kernel, (tuple, list)) else (self.kernel, self.kernel)
        y = nn.functional.avg_pool2d(x.pow(self.p), k, self.stride, self.padding, self.ceil_mode)
        if self.form == "sum":
            y = y * (k[0] * k[1])
        return y.pow(1 / self.p)`,
  Recurrent: `def recurrent(base):
    """kiso's batch-first recurrent layers: every step, or the last layer's final hidden state
    (both directions side by side); with lengths, each sequence is read to its own end (packed)."""

    class Recurrent(base):
        def __init__(self, input_size, hidden_size, return_sequences=False, **options):
            super().__init__(input_size, hidden_size, batch_first=True, **options)
            self.return_sequences = return_sequences

        def forward(self, x, lengths=None):
            steps = x.shape[1]
            if lengths is not None:
                x = nn.utils.rnn.pack_padded_sequence(x, lengths.cpu().long(), batch_first=True, enforce_sorted=False)
            y, state = super().forward(x)
            if self.return_sequences:
                if lengths is not None:
                    y = nn.utils.rnn.pad_packed_sequence(y, batch_first=True, total_length=steps)[0]
                return y
            h = state[0] if isinstance(state, tuple) else state
            return torch.cat(tuple(h[-(2 if self.bidirectional else 1):]), dim=-1)

    Recurrent.__name__ = base.__name__
    return Recurrent


RNN, LSTM, GRU = recurrent(nn.RNN), recurrent(nn.LSTM), recurrent(nn.GRU)`,
  GlobalAvgPool: `class GlobalAvgPool(nn.Module):
    """kiso's GlobalAvgPool: the mean over every axis after the channels, [N, C]."""

    def forward(self, x):
        return x.flatten(2).mean(-1)`,
  Residual: `class Residual(nn.Module):
    """kiso's Residual: block(x) + shortcut(x), the input itself without a shortcut."""

    def __init__(self, block, shortcut=None):
        super().__init__()
        self.block = block
        self.shortcut = shortcut

    def forward(self, x):
        return self.block(x) + (x if self.shortcut is None else self.shortcut(x))`,
  Concat: `class Concat(nn.Module):
    """kiso's Concat: every branch on the input, joined on an axis (default the channels)."""

    def __init__(self, branches, axis=1):
        super().__init__()
        for i, branch in enumerate(branches):
            self.add_module(str(i), branch)
        self.axis = axis

    def forward(self, x):
        return torch.cat([branch(x) for branch in self.children()], dim=self.axis)`,
  MultiheadAttention: `class MultiheadAttention(nn.MultiheadAttention):
    """kiso's MultiheadAttention: batch first; self-attention when called with one input."""

    def __init__(self, embed_dim, num_heads, **options):
        super().__init__(embed_dim, num_heads, batch_first=True, **options)

    def forward(self, query, key=None, value=None, **masks):
        key = query if key is None else key
        value = key if value is None else value
        if self.in_proj_bias is None and query is key is value:
            # PyTorch 1.13's fast self-attention fails without biases: take the standard path
            key = value = query.clone()
        return super().forward(query, key, value, need_weights=False, **masks)[0]`,
  LearnedPositionalEncoding: `class LearnedPositionalEncoding(nn.Module):
    """kiso's LearnedPositionalEncoding: the first L rows of a trained table added."""

    def __init__(self, max_len, d_model):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(max_len, d_model))

    def forward(self, x):
        return x + self.weight[: x.shape[1]]`,
  SinusoidalPositionalEncoding: `class SinusoidalPositionalEncoding(nn.Module):
    """kiso's SinusoidalPositionalEncoding: sin/cos of position / 10000^(2i/d) added (no weights)."""

    def __init__(self, d_model, max_len=5000):
        super().__init__()
        position = torch.arange(max_len, dtype=torch.float64).unsqueeze(1)
        angle = position * torch.exp(torch.arange(0, d_model, 2, dtype=torch.float64) * (-math.log(10000.0) / d_model))
        pe = torch.zeros(max_len, d_model, dtype=torch.float64)
        pe[:, 0::2] = torch.sin(angle)
        pe[:, 1::2] = torch.cos(angle[:, : d_model // 2])
        self.register_buffer("pe", pe, persistent=False)

    def forward(self, x):
        return x + self.pe[: x.shape[1]].to(x.dtype)`,
};

/**
 * The causal mask of PyTorch 1.13's Transformer layers for `t` steps (−∞ above the diagonal), as
 * a Python expression in `x`'s dtype and device.
 */
export const TORCH_CAUSAL_MASK =
  'torch.triu(torch.full((t, t), float("-inf"), dtype=x.dtype, device=x.device), 1)';

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
        num_layers: o.numLayers,
        bidirectional: o.bidirectional === true ? true : undefined,
        dropout: o.dropout,
      });
    },
  };
}

/**
 * PyTorch's class `name` called with the layer's first `positional` arguments and its options
 * (the argument after them) under PyTorch's keyword names (`keywords`: kiso's name → PyTorch's).
 */
function renamed(name: string, positional: number, keywords: Record<string, string>): TorchLayer {
  return {
    code: (a) => {
      const o = opts(a, positional);
      const values = Object.entries(keywords).map(([kiso, torch]) => [torch, o[kiso]]);
      return call(name, a.slice(0, positional), Object.fromEntries(values));
    },
  };
}

/** The options of the convolutions, PyTorch's names. */
const CONVOLUTION = {
  stride: "stride",
  padding: "padding",
  outputPadding: "output_padding",
  dilation: "dilation",
  groups: "groups",
  bias: "bias",
  paddingMode: "padding_mode",
};

/** The options of the instance norms, PyTorch's names. */
const INSTANCE_NORM = {
  eps: "eps",
  momentum: "momentum",
  affine: "affine",
  trackRunningStats: "track_running_stats",
};

/** The options of the pooling layers, PyTorch's names. */
const POOLING = {
  stride: "stride",
  padding: "padding",
  ceilMode: "ceil_mode",
  countIncludePad: "count_include_pad",
  divisorOverride: "divisor_override",
};

/** A module argument as recorded (`{"$layer": spec}`), or a spec itself. */
function layerArgument(value: unknown): LayerSpec {
  const v = value as Record<string, unknown>;
  return (v.$layer ?? v) as LayerSpec;
}

/** A Transformer encoder or decoder layer: PyTorch's, batch first, with kiso's options. */
function transformerLayer(name: string): TorchLayer {
  return {
    code: (a) => {
      const o = opts(a, 2);
      return call(name, [a[0], a[1]], {
        dim_feedforward: o.dimFeedforward,
        dropout: o.dropout,
        activation: o.activation,
        layer_norm_eps: o.layerNormEps,
        batch_first: true,
        norm_first: o.normFirst === true ? true : undefined,
      });
    },
  };
}

/** A stack of Transformer layers: PyTorch's, built from the recorded layer and final norm. */
function transformerStack(name: string): TorchLayer {
  return {
    code: (a, _spec, build) => {
      const norm = opts(a, 2).norm;
      return `${name}(${build(layerArgument(a[0]), "layers")}, ${py(a[1])}${
        norm === undefined ? "" : `, norm=${build(layerArgument(norm), "norm")}`
      })`;
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
  Conv1d: renamed("nn.Conv1d", 3, CONVOLUTION),
  Conv2d: renamed("nn.Conv2d", 3, CONVOLUTION),
  ConvTranspose1d: renamed("nn.ConvTranspose1d", 3, CONVOLUTION),
  ConvTranspose2d: renamed("nn.ConvTranspose2d", 3, CONVOLUTION),
  MaxPool1d: renamed("nn.MaxPool1d", 1, POOLING),
  MaxPool2d: renamed("nn.MaxPool2d", 1, POOLING),
  AvgPool1d: renamed("nn.AvgPool1d", 1, POOLING),
  AvgPool2d: renamed("nn.AvgPool2d", 1, POOLING),
  LpPool2d: {
    helpers: ["LpPool2d"],
    code: (a) => {
      const o = opts(a, 2);
      return call("LpPool2d", [a[0], a[1]], {
        stride: o.stride,
        padding: o.padding,
        ceil_mode: o.ceilMode,
        form: o.form,
      });
    },
  },
  AdaptiveAvgPool1d: { code: (a) => call("nn.AdaptiveAvgPool1d", [a[0]]) },
  AdaptiveAvgPool2d: { code: (a) => call("nn.AdaptiveAvgPool2d", [a[0]]) },
  AdaptiveMaxPool1d: { code: (a) => call("nn.AdaptiveMaxPool1d", [a[0]]) },
  AdaptiveMaxPool2d: { code: (a) => call("nn.AdaptiveMaxPool2d", [a[0]]) },
  GlobalAvgPool: { helpers: ["GlobalAvgPool"], code: () => "GlobalAvgPool()" },
  Upsample: renamed("nn.Upsample", 0, {
    size: "size",
    scaleFactor: "scale_factor",
    mode: "mode",
    alignCorners: "align_corners",
  }),
  PixelShuffle: { code: (a) => call("nn.PixelShuffle", [a[0]]) },
  PixelUnshuffle: { code: (a) => call("nn.PixelUnshuffle", [a[0]]) },
  GroupNorm: renamed("nn.GroupNorm", 2, { eps: "eps", affine: "affine" }),
  InstanceNorm1d: renamed("nn.InstanceNorm1d", 1, INSTANCE_NORM),
  InstanceNorm2d: renamed("nn.InstanceNorm2d", 1, INSTANCE_NORM),
  Residual: {
    helpers: ["Residual"],
    code: (a, _spec, build) => {
      const shortcut = opts(a, 1).shortcut;
      const block = build(layerArgument(a[0]), "block");
      return shortcut === undefined
        ? `Residual(${block})`
        : `Residual(${block}, ${build(layerArgument(shortcut), "shortcut")})`;
    },
  },
  Concat: {
    helpers: ["Concat"],
    code: (a, _spec, build) => {
      const branches = (a[0] as unknown[]).map((b, i) => build(layerArgument(b), String(i)));
      const axis = opts(a, 1).axis;
      return `Concat([${branches.join(", ")}]${axis === undefined ? "" : `, axis=${py(axis)}`})`;
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
  Embedding: {
    code: (a) => {
      const o = opts(a, 2);
      return call("nn.Embedding", [a[0], a[1]], {
        padding_idx: o.paddingIdx,
        max_norm: o.maxNorm,
        norm_type: o.normType,
      });
    },
  },
  LearnedPositionalEncoding: {
    helpers: ["LearnedPositionalEncoding"],
    code: (a) => call("LearnedPositionalEncoding", [a[0], a[1]]),
  },
  SinusoidalPositionalEncoding: {
    helpers: ["SinusoidalPositionalEncoding"],
    code: (a) => call("SinusoidalPositionalEncoding", [a[0]], { max_len: opts(a, 1).maxLen }),
  },
  MultiheadAttention: {
    helpers: ["MultiheadAttention"],
    code: (a) => {
      const o = opts(a, 2);
      return call("MultiheadAttention", [a[0], a[1]], {
        dropout: o.dropout,
        bias: o.bias === false ? false : undefined,
        kdim: o.kdim,
        vdim: o.vdim,
      });
    },
  },
  TransformerEncoderLayer: transformerLayer("nn.TransformerEncoderLayer"),
  TransformerDecoderLayer: transformerLayer("nn.TransformerDecoderLayer"),
  TransformerEncoder: transformerStack("nn.TransformerEncoder"),
  TransformerDecoder: transformerStack("nn.TransformerDecoder"),
};

/**
 * Teaches the PyTorch hand-off a layer type (a demo's own model, say): its Python constructor
 * call and the helper classes it needs.
 *
 * @param type The layer's type name (`typeName`, as registered with `registerLayer`).
 * @param layer Its constructor call and helpers.
 * @param helpers Python source of helper classes it brings, by name.
 */
export function registerTorchLayer(
  type: string,
  layer: TorchLayer,
  helpers: Record<string, string> = {},
): void {
  TORCH_LAYERS[type] = layer;
  Object.assign(HELPERS, helpers);
}

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
  const build: TorchBuild = (nested, name) =>
    expression(nested, indent, helpers, `${path}${path ? "." : ""}${name}`);
  return layer.code(spec.args, spec, build);
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
import math
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
    x_all = data["x"]
    # features in the model's dtype; token ids stay integers
    x_all = x_all.to(next(model.parameters()).dtype) if x_all.is_floating_point() else x_all.long()
    dataset = torch.utils.data.TensorDataset(x_all, data["y"].long())
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
            out = net(x)
            if args.loss == "cross_entropy":
                # one class per sample, or per position of a sequence (scores [batch, T, classes])
                loss = loss_fn(out.reshape(-1, out.shape[-1]), y.reshape(-1))
            else:
                loss = loss_fn(out, y.to(out.dtype))
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
