"""Benchmark: wall time of building one brand against several, reported as ratios.

Run from the repository root after installing: python scripts/benchmark.py [--repeat N]
Ratios, not absolute times, are what to compare between machines.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

OUTLINE = "sources/therapeutic-crying.yaml"
BRANDS = ["default", "harborlight", "northwind"]


def _build(brands: list[str], jobs: int | None) -> float:
    """Return the wall time of one `workshop build` of OUTLINE under brands."""
    with tempfile.TemporaryDirectory() as out:
        args = [sys.executable, "-m", "builder", "build", OUTLINE, "--out", out]
        for brand in brands:
            args += ["--brand", brand]
        if jobs:
            args += ["--jobs", str(jobs)]
        start = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True)
        return time.perf_counter() - start


def main() -> None:
    """Print median wall times and their ratios."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat
    _build(["default"], None)  # warm the font cache once
    runs = {
        "1 brand": [_build(["default"], None) for _ in range(repeat)],
        "3 brands, 1 process": [_build(BRANDS, 1) for _ in range(repeat)],
        "3 brands, parallel": [_build(BRANDS, None) for _ in range(repeat)],
    }
    base = statistics.median(runs["1 brand"])
    for name, times in runs.items():
        median = statistics.median(times)
        print(f"{name:22} median {median:6.2f} s   ratio to 1 brand {median / base:5.2f}")


if __name__ == "__main__":
    main()
