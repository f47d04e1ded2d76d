"""Benchmark: the speed targets of issue 14 as ratios measured in one alternating run, then
one brand against several, a `workshop watch` rebuild against a cold build, and certificates.

Run from the repository root after installing: python scripts/benchmark.py [--repeat N]
[--format NAME ...] [--targets] (the targets' table alone) [--certificates] (that alone).
Each comparison runs its two commands in turn (A B A B ... after one warm-up each) and prints
their medians, min–max and the ratio of the medians with the spread of the pairs' ratios:
these machines are shared and absolute times drift. The last column is the same ratio of
processor times (user + system of every process a command starts), which the load of other
programs disturbs much less than wall times (it is no target: parallel work adds up in it). The peers are pandoc (its pptx, and its
PDF through WeasyPrint) and the bare scripts in ../shared/bench/; pandoc comes from PATH or
`pip install pypandoc_binary`, WeasyPrint from `pip install weasyprint`, for the benchmark
only. Every command runs with its bytecode cached (as after `pip install`) in a temporary
folder; the user cache is the user's, warm, except where a row says otherwise: the empty
font cache row copies it without its fonts, the every-cache row starts from nothing.
"""

from __future__ import annotations

import argparse
import copy
import io
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

OUTLINE = "sources/therapeutic-crying.yaml"
BRANDS = ["default", "harborlight", "northwind"]
# a point of the first section, edited back and forth so that every save changes it
EDITS = ["how we respond shapes what follows", "how we respond shapes what comes next"]
PEERS = Path(__file__).resolve().parents[2] / "shared" / "bench"
COLD = ["--format", "deck", "--format", "handout"]  # the cold build of the targets
WORK = Path(tempfile.mkdtemp(prefix="workshop-bench-"))
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ENV["PYTHONPYCACHEPREFIX"] = str(WORK / "pycache")  # compiled once, as pip install does


@dataclass(frozen=True)
class Run:
    """One command's wall time (s), peak resident memory of its largest process (KiB) and
    processor time of its processes (s): on a shared machine the wall time drifts with the
    load, the processor time much less."""

    seconds: float
    kib: int
    cpu: float = 0.0


def _run(args: list[str], env: dict[str, str] | None = None) -> Run:
    """Run args to the end and return its wall time and peak memory; raise if it fails."""
    start = time.perf_counter()
    process = subprocess.Popen(
        args, env=env or ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    assert process.stderr is not None
    errors = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise RuntimeError(f"{' '.join(args)} failed: {errors.decode(errors='replace')[-600:]}")
    return Run(seconds, usage.ru_maxrss, usage.ru_utime + usage.ru_stime)


def _workshop(*args: str) -> list[str]:
    return [sys.executable, "-m", "builder", *args]


def _build(outline: str | Path, *args: str, env: dict[str, str] | None = None) -> Run:
    """Return one `workshop build` of outline with args, into a new folder."""
    out = Path(tempfile.mkdtemp(dir=WORK))
    try:
        return _run(_workshop("build", str(outline), "--out", str(out), *args), env)
    finally:
        shutil.rmtree(out)


def _sequence(*commands: list[str]) -> Run:
    """Run commands one after the other; return the total time and the largest peak."""
    runs = [_run(command) for command in commands]
    total = sum(r.seconds for r in runs)
    return Run(total, max(r.kib for r in runs), sum(r.cpu for r in runs))


@dataclass(frozen=True)
class Row:
    """A comparison of the table: A against B, per unit of each, and the target ratio."""

    name: str
    a: Callable[[], Run]
    b: Callable[[], Run]
    limit: float
    units: tuple[float, float] = (1, 1)  # A's and B's times are divided by these


def _alternate(row: Row, repeat: int) -> tuple[list[Run], list[Run]]:
    """Run A and B in turn repeat times after one warm-up of each."""
    row.a(), row.b()
    pairs = [(row.a(), row.b()) for _ in range(repeat)]
    return [a for a, _ in pairs], [b for _, b in pairs]


def _spread(times: list[float]) -> str:
    return f"{statistics.median(times):6.2f} ({min(times):.2f}–{max(times):.2f})"


def _report_row(row: Row, a: list[Run], b: list[Run]) -> float:
    """Print a row: A's and B's medians and spreads, the ratio per unit, the target; return
    the ratio of the medians."""
    ua, ub = row.units
    ratios = [(x.seconds / ua) / (y.seconds / ub) for x, y in zip(a, b, strict=True)]
    ratio = (statistics.median(r.seconds for r in a) / ua) / (
        statistics.median(r.seconds for r in b) / ub
    )
    cpu = (statistics.median(r.cpu for r in a) / ua) / (statistics.median(r.cpu for r in b) / ub)
    met = "yes" if ratio <= row.limit else "NO"
    limit = f"≤ {row.limit:<4}  {met:3}" if row.limit != float("inf") else f"{'':11}"
    print(
        f"{row.name:52} {_spread([r.seconds for r in a]):>19} s {_spread([r.seconds for r in b]):>19} s"
        f"  {ratio:5.2f} ({min(ratios):.2f}–{max(ratios):.2f})  {limit}  {cpu:5.2f}"
    )
    return ratio


def _header(title: str) -> None:
    print(f"\n{title}")
    print(
        f"{'A against B':52} {'A median (min–max)':>21} {'B median (min–max)':>21}"
        f"  {'ratio A/B (pairs)':17}  {'target':6}  met  CPU ratio"
    )


# --- what the rows compare ---------------------------------------------------------------


def _pandoc() -> list[str] | None:
    """Return the pandoc binary (PATH, else pypandoc_binary's) and WeasyPrint, or None."""
    pandoc = shutil.which("pandoc")
    if pandoc is None:
        try:
            import pypandoc  # type: ignore[import-not-found]

            pandoc = pypandoc.get_pandoc_path()
        except (ImportError, OSError):
            return None
    weasyprint = shutil.which("weasyprint") or str(Path(sys.executable).with_name("weasyprint"))
    return [pandoc, weasyprint] if Path(weasyprint).exists() else None


def _pandoc_pair(pandoc: str, weasyprint: str) -> Run:
    """Return pandoc's pptx plus its PDF through WeasyPrint, of the same content."""
    source = PEERS / "crying.md"
    pptx, pdf = WORK / "pandoc.pptx", WORK / "pandoc.pdf"
    return _sequence(
        [pandoc, "--slide-level=2", str(source), "-o", str(pptx)],
        [pandoc, str(source), f"--pdf-engine={weasyprint}", "-o", str(pdf)],
    )


def _slides(outline: str | Path) -> int:
    """Return the slides of outline's deck (built once)."""
    out = WORK / "count"
    subprocess.run(_workshop("build", str(outline), "--out", str(out), *COLD), env=ENV, check=True, capture_output=True)  # fmt: skip
    with zipfile.ZipFile(out / Path(outline).stem / "deck.pptx") as deck:
        names = deck.namelist()
    return sum(bool(re.fullmatch(r"ppt/slides/slide\d+\.xml", n)) for n in names)


def _pages(outline: str | Path) -> int:
    """Return the pages of outline's handout (built by _slides)."""
    data = (WORK / "count" / Path(outline).stem / "handout.pdf").read_bytes()
    return len(re.findall(rb"/Type /Page\b", data))


def _sixteen_times(outline: Path) -> Path:
    """Write a 16x outline beside WORK: the agenda 4 times (the copies earn no credit, so
    the objectives asked for stay 3) and each section's blocks up to 8 times (40 at most)."""
    from ruamel.yaml import YAML

    yaml = YAML()
    data = yaml.load(outline)
    agenda: list[Any] = []
    for copy_number in range(4):
        for section in data["agenda"]:
            section = copy.deepcopy(section)
            section["credit"] = section.get("credit", True) and copy_number == 0
            blocks = section.get("blocks") or []
            times = max(1, min(8, 40 // max(1, len(blocks))))
            section["blocks"] = [copy.deepcopy(b) for _ in range(times) for b in blocks]
            agenda.append(section)
    data["agenda"] = agenda
    target = WORK / f"{outline.stem}-x16.yaml"
    text = io.StringIO()
    yaml.dump(data, text)
    target.write_text(text.getvalue(), encoding="utf-8")
    return target


_DARK = ["#1F3A5F", "#7A1F3D", "#2F4F2F", "#4B2E83", "#8B3A0F", "#0B5563", "#5C2A5E"]
_LIGHT = ["#E0A526", "#E8C547", "#F0B86E"]
_PRIMARY = {"default": "#1F3A5F", "northwind": "#12355B", "harborlight": "#E0A526"}


def _ten_kits() -> list[str]:
    """Make 10 kits (copies of the three example kits in other colors); return their folders."""
    from builder.brand import default_kit

    sources = {"default": default_kit(), "northwind": Path("sources/brands/northwind"),
               "harborlight": Path("sources/brands/harborlight")}  # fmt: skip
    kits, dark, light = [], iter(_DARK), iter(_LIGHT)
    for i in range(10):
        base = ("default", "northwind", "harborlight")[i % 3]
        kit = WORK / "kits" / f"kit{i:02d}-{base}"
        shutil.copytree(sources[base], kit)
        color = next(light) if base == "harborlight" else next(dark)
        brand = kit / "_brand.yml"
        brand.write_text(brand.read_text(encoding="utf-8").replace(_PRIMARY[base], color), "utf-8")
        kits.append(str(kit))
    return kits


def _brand_args(kits: list[str]) -> list[str]:
    return [arg for kit in kits for arg in ("--brand", kit)]


def _empty_cache() -> dict[str, str]:
    """Return the environment of a first build: a new, empty user cache (fonts, templates)."""
    return ENV | {"XDG_CACHE_HOME": tempfile.mkdtemp(dir=WORK, prefix="cache-")}


def _empty_font_cache() -> dict[str, str]:
    """Return the environment of a first build with fonts: a copy of the user's cache without
    its fonts (compiled templates, brand specs and the rest as a warm build finds them)."""
    home = Path(ENV.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "workshop-builder"
    copy = Path(tempfile.mkdtemp(dir=WORK, prefix="cache-"))
    if home.is_dir():
        shutil.copytree(home, copy / "workshop-builder", ignore=shutil.ignore_patterns("fonts"))
    return ENV | {"XDG_CACHE_HOME": str(copy)}


def _check() -> Run:
    return _run(_workshop("check", OUTLINE))


def _rows() -> list[Row]:
    """Return the comparisons of issue 14's targets."""
    slides, pages = _slides(OUTLINE), _pages(OUTLINE)
    big = _sixteen_times(Path(OUTLINE))
    rows = [
        Row(f"deck alone ({slides} slides) / python-pptx (25), per slide",
            lambda: _build(OUTLINE, "--format", "deck"),
            lambda: _run([sys.executable, str(PEERS / "min_pptx.py"), str(WORK / "m.pptx")]),
            2.0, (slides, 25)),
        Row(f"handout alone ({pages} pages) / reportlab (6), per page",
            lambda: _build(OUTLINE, "--format", "handout"),
            lambda: _run([sys.executable, str(PEERS / "min_reportlab.py"), str(WORK / "m.pdf")]),
            2.5, (pages, 6)),
        Row(f"16x outline ({_slides(big)} slides) / 1x ({slides})",
            lambda: _build(big, *COLD), lambda: _build(OUTLINE, *COLD), 10.0),
        Row("first build, empty font cache / warm",
            lambda: _build(OUTLINE, *COLD, env=_empty_font_cache()),
            lambda: _build(OUTLINE, *COLD), 1.5),
        Row("first build, every cache empty / warm (no target)",
            lambda: _build(OUTLINE, *COLD, env=_empty_cache()),
            lambda: _build(OUTLINE, *COLD), float("inf")),
        Row("workshop check / workshop build (all formats)", _check,
            lambda: _build(OUTLINE), 0.3),
    ]  # fmt: skip
    peer = _pandoc()
    if peer is not None:
        row = Row("cold build (deck, handout) / pandoc pptx+PDF",
                  lambda: _build(OUTLINE, *COLD), lambda: _pandoc_pair(*peer), 0.5)  # fmt: skip
        rows.insert(0, row)
    else:
        print("pandoc or WeasyPrint not found: pip install pypandoc_binary weasyprint")
    return rows


def _report_targets(repeat: int) -> None:
    """Print issue 14's table: every target's ratio, its spread and whether it is met."""
    _header(f"issue 14 targets ({os.cpu_count()} cores, {repeat} pairs a row, medians)")
    for row in _rows():
        a, b = _alternate(row, repeat)
        _report_row(row, a, b)
        if row.name.startswith("16x"):
            _report_memory(row, a, b)
    _report_brands(repeat)


def _report_memory(row: Row, a: list[Run], b: list[Run]) -> None:
    """Print the peak memory of the 16x and 1x builds and its growth per slide."""
    slides = [int(n) for n in re.findall(r"\((\d+)", row.name)]
    per_slide = [(x.kib - y.kib) / (slides[0] - slides[1]) for x, y in zip(a, b, strict=True)]
    big, small = statistics.median(r.kib for r in a), statistics.median(r.kib for r in b)
    met = "yes" if statistics.median(per_slide) <= 60 else "NO"
    print(
        f"{'  peak memory: 16x / 1x, growth per slide':52} {big / 1024:13.1f} MiB {small / 1024:15.1f} MiB"
        f"  {statistics.median(per_slide):5.1f} KiB a slide ({min(per_slide):.1f}–{max(per_slide):.1f})"
        f"  ≤ 60  {met}"
    )


def _report_brands(repeat: int) -> None:
    """Print 10 brands built by default (in parallel) against --jobs 1, and the 2.5 s target."""
    kits = _ten_kits()
    row = Row("10 brands (deck, handout): default / --jobs 1",
              lambda: _build(OUTLINE, *COLD, *_brand_args(kits)),
              lambda: _build(OUTLINE, *COLD, *_brand_args(kits), "--jobs", "1"), 1.0)  # fmt: skip
    a, b = _alternate(row, repeat)
    _report_row(row, a, b)
    median = statistics.median(r.seconds for r in a)
    print(f"{'  10 brands, default':52} {_spread([r.seconds for r in a]):>19} s"
          f"{'':>45}≤ 2.5 s  {'yes' if median <= 2.5 else 'NO'}")  # fmt: skip


# --- the earlier measurements: brands, watch, certificates ----------------------------------


def _build_brands(brands: list[str], jobs: int | None, formats: list[str]) -> float:
    """Return the wall time of one `workshop build` of OUTLINE under brands."""
    args = [arg for brand in brands for arg in ("--brand", brand)]
    args += ["--jobs", str(jobs)] if jobs else []
    return _build(OUTLINE, *args, *_format_args(formats)).seconds


def _format_args(formats: list[str]) -> list[str]:
    return [arg for name in formats for arg in ("--format", name)]


@contextmanager
def _watching(outline: Path, formats: list[str]) -> Iterator[IO[str]]:
    """Run `workshop watch` on outline until its first build; yield its output, line by line."""
    with tempfile.TemporaryDirectory() as out:
        args = _workshop("watch", str(outline), "--out", out, *_format_args(formats))
        with subprocess.Popen(
            args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=ENV
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
                cold.append(_build(outline, *_format_args(formats)).seconds)
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
        args = _workshop("certificates", OUTLINE, str(_roster(Path(folder), count)),
                         "--brand", "northwind", "--out", str(Path(folder) / "out"))  # fmt: skip
        args += ["--jobs", str(jobs)] if jobs else []
        run = _run(args)
        issued = len(list((Path(folder) / "out").glob("*-*.pdf")))
        if issued != count:
            raise RuntimeError(f"workshop certificates issued {issued} of {count}")
    return run.seconds, run.kib / 1024


def _report_certificates() -> None:
    """Print time and peak memory for 1,000 and 10,000 certificates against the targets."""
    print(
        f"\ncertificates (targets: 1,000 in 10 s on 2 cores; at most 200 MiB; {os.cpu_count()} cores)"
    )
    for count, jobs, how in ((1000, None, "default"), (10000, 1, "one process"),
                             (10000, None, "default")):  # fmt: skip
        seconds, mib = _certificates(count, jobs)
        print(f"{count:>6,} certificates, {how:11}  {seconds:6.2f} s  "
              f"{1000 * seconds / count:5.2f} ms each  peak {mib:6.1f} MiB (largest process)")  # fmt: skip


def _report_builds(repeat: int, formats: list[str]) -> None:
    """Print one brand against three (one process, parallel), and watch against cold."""
    print("\nbrands and watch")
    _build_brands(["default"], None, formats)  # warm the font cache once
    _report(
        {
            "1 brand": [_build_brands(["default"], None, formats) for _ in range(repeat)],
            "3 brands, 1 process": [_build_brands(BRANDS, 1, formats) for _ in range(repeat)],
            "3 brands, parallel": [_build_brands(BRANDS, None, formats) for _ in range(repeat)],
        },
        "1 brand",
    )
    _report(_watch_against_cold(repeat, formats), "cold build")


def main() -> None:
    """Print the targets' table, then the other measurements."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--format", dest="formats", action="append", default=[])
    parser.add_argument("--targets", action="store_true", help="issue 14's table only")
    parser.add_argument("--certificates", action="store_true", help="certificates only")
    options = parser.parse_args()
    try:
        if not options.certificates:
            _report_targets(options.repeat)
        if not (options.targets or options.certificates):
            _report_builds(options.repeat, options.formats)
        if not options.targets:
            _report_certificates()
    finally:
        shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
