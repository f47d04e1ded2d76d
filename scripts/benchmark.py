"""Benchmark: wall time of building one brand against several, and of a `workshop watch` rebuild
after a one-bullet edit against a cold `workshop build`, reported as ratios; then the time and
peak memory of `workshop certificates` for 1,000 and 10,000 attendees.

Run from the repository root after installing: python scripts/benchmark.py [--repeat N]
[--format NAME ...] [--certificates] (that measurement alone). Ratios, not absolute times, are
what to compare between machines; certificates have absolute targets (10 s, 200 MiB).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

OUTLINE = "sources/therapeutic-crying.yaml"
BRANDS = ["default", "harborlight", "northwind"]
# a point of the first section, edited back and forth so that every save changes it
EDITS = ["how we respond shapes what follows", "how we respond shapes what comes next"]


def _build(brands: list[str], jobs: int | None, formats: list[str]) -> float:
    """Return the wall time of one `workshop build` of OUTLINE under brands."""
    with tempfile.TemporaryDirectory() as out:
        args = [sys.executable, "-m", "builder", "build", OUTLINE, "--out", out]
        for brand in brands:
            args += ["--brand", brand]
        if jobs:
            args += ["--jobs", str(jobs)]
        return _timed(args + _format_args(formats))


def _format_args(formats: list[str]) -> list[str]:
    return [arg for name in formats for arg in ("--format", name)]


def _timed(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True)
    return time.perf_counter() - start


def _cold(outline: Path, formats: list[str]) -> float:
    """Return the wall time of a cold `workshop build` of outline: a new process, all stages."""
    with tempfile.TemporaryDirectory() as out:
        args = [sys.executable, "-m", "builder", "build", str(outline), "--out", out]
        return _timed(args + _format_args(formats))


@contextmanager
def _watching(outline: Path, formats: list[str]) -> Iterator[IO[str]]:
    """Run `workshop watch` on outline until its first build; yield its output, line by line."""
    with tempfile.TemporaryDirectory() as out:
        args = [sys.executable, "-m", "builder", "watch", str(outline), "--out", out]
        args += _format_args(formats)
        with subprocess.Popen(
            args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        ) as process:
            assert process.stdout is not None
            try:
                _line_starting(process.stdout, "built ")
                yield process.stdout
            finally:
                process.terminate()


def _line_starting(output: IO[str], start: str) -> str:
    """Return the next line of output that starts with start; raise on an error or an exit."""
    for line in output:
        if line.startswith("error:"):
            raise RuntimeError(f"workshop watch: {line.strip()}")
        if line.startswith(start):
            return line
    raise RuntimeError("workshop watch exited")


def _rebuild(outline: Path, output: IO[str], old: str, new: str) -> float:
    """Return the time from saving a one-bullet edit to `workshop watch` saying it rebuilt."""
    text = outline.read_text(encoding="utf-8")
    if old not in text:
        raise RuntimeError(f"{OUTLINE} has no longer the bullet text {old!r} to edit")
    saving = outline.with_name(f".{outline.name}.saving")
    saving.write_text(text.replace(old, new), encoding="utf-8")
    start = time.perf_counter()
    os.replace(saving, outline)  # as editors save: a new file renamed over the old one
    _line_starting(output, "rebuilt ")
    return time.perf_counter() - start


def _watch_against_cold(repeat: int, formats: list[str]) -> dict[str, list[float]]:
    """Return cold builds and watch rebuilds of a copy of OUTLINE, the two alternated."""
    with tempfile.TemporaryDirectory() as folder:
        outline = Path(folder) / Path(OUTLINE).name
        shutil.copy(OUTLINE, outline)
        cold, rebuilt = [], []
        with _watching(outline, formats) as output:
            for run in range(repeat):
                cold.append(_cold(outline, formats))
                rebuilt.append(_rebuild(outline, output, EDITS[run % 2], EDITS[1 - run % 2]))
    return {"cold build": cold, "watch rebuild, 1 bullet": rebuilt}


def _report(runs: dict[str, list[float]], base_name: str) -> None:
    """Print each measurement's median, min–max and ratio to base_name's median."""
    base = statistics.median(runs[base_name])
    for name, times in runs.items():
        median = statistics.median(times)
        spread = f"{min(times):.2f}–{max(times):.2f}"
        print(
            f"{name:24} median {median:6.2f} s  min–max {spread:>11} s   "
            f"ratio to {base_name} {median / base:5.2f}"
        )


# Runs a command and prints its wall time and the peak resident memory of the largest process
# it started (ru_maxrss of the children: the command and any worker process), in KiB.
_MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, capture_output=True)
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""
FIRST = ["Ana", "José", "Zoë", "Bjørn", "Mia", "Liam", "Noor", "Chidi", "Inés", "Tomás", "Ewa"]
LAST = ["Núñez", "García", "Smith", "Müller", "Okafor", "Dubois", "Kowalski", "Tanaka", "Nguyen"]


def _roster(folder: Path, count: int) -> Path:
    """Write a roster of count eligible attendees, with accented names, and return its path."""
    path = folder / f"roster-{count}.csv"
    lines = ["Name,E-mail,License,Attended minutes,Evaluation completed"]
    for i in range(count):
        name = f"{FIRST[i % len(FIRST)]} {LAST[i // len(FIRST) % len(LAST)]} {i}"
        lines.append(f"{name},a{i}@example.org,LCSW {10000 + i},240,yes")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _certificates(count: int, jobs: int | None) -> tuple[float, float]:
    """Return the wall time (s) and peak memory (MiB) of `workshop certificates` for count."""
    with tempfile.TemporaryDirectory() as folder:
        args = [sys.executable, "-m", "builder", "certificates", OUTLINE,
                str(_roster(Path(folder), count)), "--brand", "northwind",
                "--out", str(Path(folder) / "out")]  # fmt: skip
        args += ["--jobs", str(jobs)] if jobs else []
        done = subprocess.run(
            [sys.executable, "-c", _MEASURE, *args], check=True, capture_output=True, text=True
        )
        seconds, kib = done.stdout.split()
        issued = len(list((Path(folder) / "out").glob("*-*.pdf")))
        if issued != count:
            raise RuntimeError(f"workshop certificates issued {issued} of {count}")
    return float(seconds), int(kib) / 1024


def _report_certificates() -> None:
    """Print time and peak memory for 1,000 and 10,000 certificates against the targets."""
    print(
        f"certificates (targets: 1,000 in 10 s on 2 cores; at most 200 MiB; {os.cpu_count()} cores)"
    )
    for count, jobs, how in ((1000, None, "default"), (10000, 1, "one process"),
                             (10000, None, "default")):  # fmt: skip
        seconds, mib = _certificates(count, jobs)
        print(f"{count:>6,} certificates, {how:11}  {seconds:6.2f} s  "
              f"{1000 * seconds / count:5.2f} ms each  peak {mib:6.1f} MiB (largest process)")  # fmt: skip


def main() -> None:
    """Print median wall times and their ratios."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--format", dest="formats", action="append", default=[])
    parser.add_argument("--certificates", action="store_true", help="measure certificates only")
    options = parser.parse_args()
    repeat, formats = options.repeat, options.formats
    if options.certificates:
        _report_certificates()
        return
    _build(["default"], None, formats)  # warm the font cache once
    _report(
        {
            "1 brand": [_build(["default"], None, formats) for _ in range(repeat)],
            "3 brands, 1 process": [_build(BRANDS, 1, formats) for _ in range(repeat)],
            "3 brands, parallel": [_build(BRANDS, None, formats) for _ in range(repeat)],
        },
        "1 brand",
    )
    _report(_watch_against_cold(repeat, formats), "cold build")
    _report_certificates()


if __name__ == "__main__":
    main()
