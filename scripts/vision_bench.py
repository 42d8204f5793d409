"""PyTorch's side of scripts/vision_bench.ts: the mnist-resnet model's training throughput (Adam,
batch 64, synthetic 28×28 digits) and a depthwise 3×3 convolution's forward+backward, printed as
JSON {threads: {"resnet": samples/s, "depthwise": ms}}.

Usage: python3 scripts/vision_bench.py STEPS RUNS THREADS...
"""
import json
import statistics
import sys
import time

import torch
from torch import nn

steps, runs = int(sys.argv[1]), int(sys.argv[2])
thread_counts = [int(t) for t in sys.argv[3:]]


class Residual(nn.Module):
    def __init__(self, block, shortcut=None):
        super().__init__()
        self.block = block
        self.shortcut = shortcut

    def forward(self, x):
        return self.block(x) + (self.shortcut(x) if self.shortcut is not None else x)


def basic_block(i, o, stride):
    body = nn.Sequential(
        nn.Conv2d(i, o, 3, stride, 1, bias=False), nn.BatchNorm2d(o), nn.ReLU(),
        nn.Conv2d(o, o, 3, 1, 1, bias=False), nn.BatchNorm2d(o),
    )
    shortcut = None
    if stride != 1 or i != o:
        shortcut = nn.Sequential(nn.Conv2d(i, o, 1, stride, bias=False), nn.BatchNorm2d(o))
    return [Residual(body, shortcut), nn.ReLU()]


def mnist_resnet(width=8):
    return nn.Sequential(
        nn.Conv2d(1, width, 3, 2, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU(),
        *basic_block(width, width, 1), *basic_block(width, 2 * width, 2),
        *basic_block(2 * width, 4 * width, 2),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4 * width, 10),
    )


def timed(step, repeats):
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        for _ in range(repeats):
            step()
        samples.append((time.perf_counter() - t0) / repeats)
    return statistics.median(samples)


result = {}
for threads in thread_counts:
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = mnist_resnet()
    x = torch.rand(64, 1, 28, 28)
    y = torch.arange(64) % 10
    opt = torch.optim.Adam(model.parameters(), lr=0.004)
    loss_fn = nn.CrossEntropyLoss()

    def train_step():
        opt.zero_grad()
        loss_fn(model(x), y).backward()
        opt.step()

    for _ in range(5):
        train_step()
    resnet = 64 / timed(train_step, steps)

    xd = torch.rand(64, 32, 28, 28, requires_grad=True)
    wd = torch.rand(32, 1, 3, 3, requires_grad=True)
    g = torch.rand(64, 32, 28, 28)

    def depthwise_step():
        yd = nn.functional.conv2d(xd, wd, padding=1, groups=32)
        torch.autograd.grad(yd, [xd, wd], g)

    for _ in range(3):
        depthwise_step()
    result[str(threads)] = {"resnet": resnet, "depthwise": 1000 * timed(depthwise_step, 10)}
print(json.dumps(result))
