"""PyTorch's side of scripts/attention_bench.ts: multi-head self-attention (batch 32, 8 heads,
sequence 128, model 256) and the attention core alone, forward + backward, float32, printed as
JSON {threads: {workload: steps/s}}. PyTorch 1.13 has no F.scaled_dot_product_attention, so the
core is its math path written out (q·kᵀ·scale, softmax, ·v), as nn.MultiheadAttention computes it.

Usage: python3 scripts/attention_bench.py STEPS RUNS THREADS...
"""
import json
import math
import statistics
import sys
import time

import torch

steps, runs = int(sys.argv[1]), int(sys.argv[2])
thread_counts = [int(t) for t in sys.argv[3:]]
B, H, T, E = 32, 8, 128, 256


def core(q, k, v):
    scores = (q * (1 / math.sqrt(q.shape[-1]))) @ k.transpose(-2, -1)
    return torch.softmax(scores, dim=-1) @ v


def workloads():
    torch.manual_seed(0)
    mha = torch.nn.MultiheadAttention(E, H, batch_first=True)
    x = torch.randn(B, T, E, requires_grad=True)
    cot = torch.randn(B, T, E)
    q, k, v = (torch.randn(B, H, T, E // H, requires_grad=True) for _ in range(3))
    cot_core = torch.randn(B, H, T, E // H)
    return {
        "mha": lambda: (mha(x, x, x, need_weights=False)[0] * cot).sum().backward(),
        "core": lambda: (core(q, k, v) * cot_core).sum().backward(),
    }


result = {}
for threads in thread_counts:
    torch.set_num_threads(threads)
    rates = {}
    for name, step in workloads().items():
        for _ in range(3):
            step()
        samples = []
        for _ in range(runs):
            t0 = time.perf_counter()
            for _ in range(steps):
                step()
            samples.append(steps / (time.perf_counter() - t0))
        rates[name] = statistics.median(samples)
    result[str(threads)] = rates
print(json.dumps(result))
