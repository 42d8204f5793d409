"""PyTorch's side of scripts/cpu_train_bench.ts: the same three workloads (plain SGD, synthetic
MNIST-shaped data), printed as JSON {threads: {workload: samples/s}}, and for one thread also
samples per second of CPU time as {"cpu1": {workload: samples/s}}.

Usage: python3 scripts/cpu_train_bench.py STEPS RUNS THREADS...
"""
import json
import statistics
import sys
import time

import torch
from torch import nn

steps, runs = int(sys.argv[1]), int(sys.argv[2])
thread_counts = [int(t) for t in sys.argv[3:]]


class RowReader(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(28, 128, batch_first=True)
        self.head = nn.Linear(128, 10)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.head(out[:, -1])


def workloads():
    mlp = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
    cnn = nn.Sequential(
        nn.Conv2d(1, 8, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 10),
    )
    return {
        "mlp": (mlp, torch.rand(128, 784)),
        "cnn": (cnn, torch.rand(64, 1, 28, 28)),
        "lstm": (RowReader(), torch.rand(64, 28, 28)),
    }


result = {}
for threads in thread_counts:
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    rates, cpu_rates = {}, {}
    for name, (model, x) in workloads().items():
        y = torch.arange(x.shape[0]) % 10
        opt = torch.optim.SGD(model.parameters(), lr=0.01)
        loss_fn = nn.CrossEntropyLoss()

        def step():
            opt.zero_grad()
            loss_fn(model(x), y).backward()
            opt.step()

        for _ in range(20):
            step()
        samples, cpu_samples = [], []
        for _ in range(runs):
            t0, c0 = time.perf_counter(), time.process_time()
            for _ in range(steps):
                step()
            samples.append(steps * x.shape[0] / (time.perf_counter() - t0))
            cpu_samples.append(steps * x.shape[0] / (time.process_time() - c0))
        rates[name] = statistics.median(samples)
        cpu_rates[name] = statistics.median(cpu_samples)
    result[str(threads)] = rates
    if threads == 1:
        result["cpu1"] = cpu_rates
print(json.dumps(result))
