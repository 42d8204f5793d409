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


class TokenEncoder(nn.Module):
    """Token ids through an embedding (padding id 0), learned positions and a 2-layer Transformer
    encoder (batch first, a final norm) with a causal mask and a key padding mask; the output at
    padding positions is zeroed (PyTorch's evaluation fast path leaves those rows out)."""

    def __init__(self, norm_first=False, activation="relu"):
        super().__init__()
        self.embed = nn.Embedding(12, 8, padding_idx=0)
        self.positions = nn.Parameter(torch.randn(6, 8))
        layer = nn.TransformerEncoderLayer(
            8, 2, 16, dropout=0.1, activation=activation, batch_first=True, norm_first=norm_first
        )
        self.encoder = nn.TransformerEncoder(layer, 2, norm=nn.LayerNorm(8))

    def forward(self, ids):
        x = self.embed(ids) + self.positions[: ids.shape[1]]
        causal = nn.Transformer.generate_square_subsequent_mask(ids.shape[1])
        padding = ids == 0
        y = self.encoder(x, mask=causal, src_key_padding_mask=padding)
        return y * (~padding).unsqueeze(-1)


def token_ids():
    """Ids in [1, 12) with trailing padding (lengths 5, 4, 3)."""
    ids = torch.randint(1, 12, (3, 5))
    for b in range(3):
        ids[b, 5 - b:] = 0
    return ids


class DeepLstm(nn.Module):
    """Two bidirectional LSTM layers: every step, and the last layer's final states side by side."""

    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(3, 4, num_layers=2, bidirectional=True, batch_first=True)

    def forward(self, x):
        y, (h, _) = self.lstm(x)
        return torch.cat([y[:, -1], h[-2], h[-1]], dim=1)


class Residual(nn.Module):
    """A residual block: conv, batch norm, ReLU, conv, added back to the input."""

    def __init__(self, channels):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(channels, channels, 3, padding=1, bias=False), nn.BatchNorm2d(channels), nn.ReLU(),
            nn.Conv2d(channels, channels, 3, padding=1),
        )

    def forward(self, x):
        return torch.relu(self.body(x) + x)


def conv1d():
    """Conv1d (grouped, reflect and replicate padding, dilated), pooling with ceil mode and without
    the padding in the mean and a transposed convolution."""
    model = nn.Sequential(
        nn.Conv1d(3, 6, 3, stride=2, padding=1, groups=3, padding_mode="reflect"), nn.ReLU(),
        # (not circular: PyTorch 1.13 exports a 1-D circular padding whose slices differ from its own)
        nn.Conv1d(6, 4, 3, padding=2, dilation=2, padding_mode="replicate"),
        nn.MaxPool1d(3, 2, 1, ceil_mode=True),
        nn.ConvTranspose1d(4, 2, 3, stride=2, padding=1, output_padding=1),
        nn.AvgPool1d(2, ceil_mode=True, count_include_pad=False),
    )
    return model, torch.randn(3, 3, 12)


def vision():
    """Depthwise and grouped convolutions with replicate padding, group and instance norms, a
    residual block, pixel (un)shuffles, transposed convolution, nearest and bilinear upsampling,
    pooling options (PyTorch 1.13 exports adaptive pooling only where the input size is fixed)."""
    model = nn.Sequential(
        nn.Conv2d(2, 4, 3, padding=1, groups=2, padding_mode="replicate"), nn.GroupNorm(2, 4),
        Residual(4), nn.InstanceNorm2d(4, affine=True),
        nn.PixelUnshuffle(2), nn.Conv2d(16, 8, 1, groups=4), nn.PixelShuffle(2),
        nn.ConvTranspose2d(2, 4, 3, stride=2, padding=1, output_padding=1, groups=2),
        nn.Upsample(scale_factor=2, mode="nearest"), nn.AvgPool2d(3, 2, 1, ceil_mode=True, count_include_pad=False),
        nn.Upsample(size=(9, 7), mode="bilinear", align_corners=True), nn.MaxPool2d(2, ceil_mode=True),
        nn.Upsample(scale_factor=1.5, mode="bilinear"),
    )
    return model, torch.randn(3, 2, 8, 8)


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
    "lstm_deep": (lambda: (DeepLstm(), torch.randn(3, 6, 3)), {}),
    "conv1d": (conv1d, {}),
    "vision": (vision, {"opset_version": 17}),
    "transformer_encoder": (lambda: (TokenEncoder(), token_ids()), {"opset_version": 17}),
    "transformer_encoder_prenorm": (
        lambda: (TokenEncoder(norm_first=True, activation="gelu"), token_ids()),
        {"opset_version": 17},
    ),
}
# float64 copies of these, compared at 1e-10 (names end in _f64)
FLOAT64 = ["mlp", "cnn", "lstm", "gru_bidirectional", "transformer_encoder", "vision"]


def export(name, build, options, double=False):
    torch.manual_seed(0)
    model, x = build()
    if double:
        model = model.double()
        x = x.double() if x.is_floating_point() else x
    model.eval()
    with torch.no_grad():
        # a few running-statistics updates so batch norm's buffers are not the identity
        if x.is_floating_point():
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
