#!/usr/bin/env python3
"""Writes the PyTorch reference fixtures that kiso's tests compare against, without PyTorch in CI.

Run with Debian's PyTorch (`apt-get install python3-torch`):

    /usr/bin/python3 scripts/torch_fixtures.py            # every fixture
    /usr/bin/python3 scripts/torch_fixtures.py conv1d     # the fixtures whose name starts so

Each fixture is one small float64 safetensors file under tests/testdata/torch/, written
deterministically (fixed seeds, sorted keys), so running the script again gives the same bytes.
The families live in scripts/fixtures/ (one module each, a FIXTURES dict of name -> function);
see scripts/fixtures/_common.py for the key layout the tests read.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402

from fixtures import FAMILIES  # noqa: E402
from fixtures._common import OUT_DIR, write_fixture  # noqa: E402


def main(argv):
    torch.set_default_dtype(torch.float64)
    torch.use_deterministic_algorithms(True)
    prefixes = argv[1:]
    os.makedirs(OUT_DIR, exist_ok=True)
    written = 0
    for family in FAMILIES:
        for name, build in sorted(family.FIXTURES.items()):
            if prefixes and not any(name.startswith(p) for p in prefixes):
                continue
            torch.manual_seed(0)
            tensors, meta = build()
            write_fixture(name, tensors, meta)
            written += 1
    print(f"wrote {written} fixtures to {os.path.relpath(OUT_DIR)}")


if __name__ == "__main__":
    main(sys.argv)
