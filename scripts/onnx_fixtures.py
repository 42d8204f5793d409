#!/usr/bin/env python3
"""Writes the ONNX files that @kiso/onnx's import tests read: small PyTorch models exported by
PyTorch's own `torch.onnx.export`, each with an input and PyTorch's output for it.

Run with Debian's PyTorch (`apt-get install python3-torch`):

    /usr/bin/python3 scripts/onnx_fixtures.py           # every model
    /usr/bin/python3 scripts/onnx_fixtures.py lstm      # the models whose name starts so

For each model it writes packages/onnx/testdata/<name>.onnx (batch axis dynamic, evaluation
mode, the exporter's default opset unless the model says otherwise) and <name>.safetensors with
`in.x` (a batch of 3, not the export's batch of 2) and `out.y` (PyTorch's output in evaluation
mode); the `_f64` ones are float64 copies. Seeds are fixed, so running it again gives the same bytes.
"""
import io
import os
import sys
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402
from torch import nn  # noqa: E402

from fixtures._common import write_fixture  # noqa: E402

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "packages", "onnx", "testdata")


class LastStep(nn.Module):
    """An LSTM read to its last step, then a linear head (many-to-one)."""

    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(3, 5, batch_first=True)
        self.head = nn.Linear(5, 2)

    def forward(self, x):
        y, _ = self.lstm(x)
        return self.head(y[:, -1])


class DeepGru(nn.Module):
    """Two bidirectional GRU layers, every step out."""

    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(3, 4, num_layers=2, bidirectional=True, batch_first=True)

    def forward(self, x):
        return self.gru(x)[0]


class ReluRnn(nn.Module):
    """A ReLU Elman RNN's final state, through tanh."""

    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(3, 4, nonlinearity="relu", batch_first=True)

    def forward(self, x):
        return torch.tanh(self.rnn(x)[1][0])


class Shapes(nn.Module):
    """The shape arithmetic exporters emit: view by size(0), unsqueeze, transpose, cat, slicing, means."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(12, 4)

    def forward(self, x):
        flat = x.view(x.size(0), -1)
        y = self.fc(flat).unsqueeze(1)
        y = torch.cat([y, y * 2], dim=1).transpose(1, 2)
        y = y[:, 1:3, :] - y.mean(dim=2, keepdim=True)[:, 1:3]
        return torch.nn.functional.leaky_relu(y.reshape(-1, 4), 0.1).clamp(-1, 1)


def mlp():
    return nn.Sequential(
        nn.Linear(4, 8), nn.ReLU(), nn.BatchNorm1d(8), nn.Dropout(0.3), nn.Linear(8, 3), nn.Softmax(dim=1)
    ), torch.randn(3, 4)


def cnn():
    model = nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(4, 6, 3), nn.Sigmoid(), nn.AvgPool2d(2, padding=1), nn.Flatten(), nn.Linear(24, 5),
        nn.LogSoftmax(dim=1),
    )
    return model, torch.randn(3, 1, 8, 8)


def transformer_bits():
    """LayerNorm (opset 17's LayerNormalization), GELU, global average pooling."""
    model = nn.Sequential(nn.Conv2d(2, 4, 1), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.LayerNorm(4), nn.GELU())
    return model, torch.randn(3, 2, 5, 5)


# name -> (builder, export options)
MODELS = {
    "mlp": (mlp, {}),
    "cnn": (cnn, {}),
    "lstm": (lambda: (LastStep(), torch.randn(3, 6, 3)), {}),
    "gru_bidirectional": (lambda: (DeepGru(), torch.randn(3, 6, 3)), {}),
    "rnn_relu": (lambda: (ReluRnn(), torch.randn(3, 6, 3)), {}),
    "shapes": (lambda: (Shapes(), torch.randn(3, 3, 4)), {}),
    "norms": (transformer_bits, {"opset_version": 17}),
}
# float64 copies of these, compared at 1e-10 (names end in _f64)
FLOAT64 = ["mlp", "cnn", "lstm", "gru_bidirectional"]


def export(name, build, options, double=False):
    torch.manual_seed(0)
    model, x = build()
    if double:
        model, x = model.double(), x.double()
    model.eval()
    with torch.no_grad():
        # a few running-statistics updates so batch norm's buffers are not the identity
        model.train()
        for _ in range(3):
            model(torch.randn(*x.shape, dtype=x.dtype) * 2 + 1)
        model.eval()
        y = model(x)
    f = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            model, x[:2], f, input_names=["x"], output_names=["y"],
            dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}}, **options,
        )
    with open(os.path.join(OUT_DIR, f"{name}.onnx"), "wb") as out:
        out.write(f.getvalue())
    write_fixture(name, {"in.x": x, "out.y": y}, {"torch": torch.__version__}, out_dir=OUT_DIR)


def main(argv):
    os.makedirs(OUT_DIR, exist_ok=True)
    prefixes = argv[1:]
    written = 0
    jobs = [(name, build, options, False) for name, (build, options) in MODELS.items()]
    jobs += [(f"{name}_f64", *MODELS[name], True) for name in FLOAT64]
    for name, build, options, double in sorted(jobs):
        if prefixes and not any(name.startswith(p) for p in prefixes):
            continue
        export(name, build, options, double)
        written += 1
    print(f"wrote {written} models to {os.path.relpath(OUT_DIR)}")


if __name__ == "__main__":
    main(sys.argv)
