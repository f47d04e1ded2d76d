"""Watch: which saves rebuild which formats, a failed rebuild keeps the last good files, and
`workshop watch` end to end on the shipped outline."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

import pytest
from click.testing import CliRunner
from pptx import Presentation

from builder import pipeline
from builder.brand import default_kit
from builder.cli import main
from builder.watch import Result, formats_for, rebuild, watch, watched_paths
from tests.conftest import MINIMAL

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "sources" / "therapeutic-crying.yaml"
ALL = list(pipeline.FORMATS)
TIMEOUT = 120.0  # seconds: generous for a slow CI machine; every wait polls


@pytest.fixture
def job(tmp_path: Path) -> pipeline.Job:
    """Return a job with its outline, a kit copied from the default, and a templates folder."""
    outline = tmp_path / "talk.yaml"
    outline.write_text(MINIMAL, encoding="utf-8")
    kit = tmp_path / "kit"
    kit.mkdir()
    for path in default_kit().iterdir():
        (kit / path.name).write_bytes(path.read_bytes())
    (tmp_path / "templates").mkdir()
    return pipeline.Job(outline, kit, tmp_path / "templates")


def _save(path: Path, text: str) -> None:
    """Save as most editors do: write a new file beside it and rename it over the old one."""
    temporary = path.with_name(f".{path.name}.saving")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def test_outline_or_kit_change_rebuilds_every_format(job: pipeline.Job) -> None:
    assert formats_for([job.outline], job, ALL) == ALL
    assert job.kit is not None
    assert formats_for([job.kit / "_brand.yml"], job, ["handout", "deck"]) == ["handout", "deck"]


def test_template_change_rebuilds_only_the_formats_made_from_it(job: pipeline.Job) -> None:
    assert job.templates is not None
    handout, deck = job.templates / "handout.xml.j2", job.templates / "deck.xml.j2"
    assert formats_for([handout], job, ALL) == ["handout"]
    assert formats_for([deck], job, ALL) == ["deck", "deck-pdf", "slides", "guide"]
    assert formats_for([deck], job, ["deck", "handout"]) == ["deck"]
    assert formats_for([job.templates / "guide.xml.j2"], job, ["deck", "handout"]) == []


def test_template_no_format_names_rebuilds_every_format(job: pipeline.Job) -> None:
    assert job.templates is not None
    partial = job.templates / "macros" / "slide.j2"
    assert formats_for([partial], job, ["deck", "handout"]) == ["deck", "handout"]


@pytest.mark.parametrize(
    "name", [".handout.xml.j2.swp", "handout.xml.j2~", "4913", ".#handout.xml.j2", "#x.j2#"]
)
def test_editor_temporary_files_rebuild_nothing(job: pipeline.Job, name: str) -> None:
    assert job.templates is not None and job.kit is not None
    assert formats_for([job.templates / name, job.kit / name], job, ALL) == []


def test_other_files_beside_the_outline_rebuild_nothing(job: pipeline.Job) -> None:
    others = [job.outline.with_name("other.yaml"), job.outline.parent / "out" / "deck.pptx"]
    assert formats_for(others, job, ALL) == []


def test_watched_paths_are_folders_so_a_renamed_save_is_seen(job: pipeline.Job) -> None:
    assert job.kit is not None and job.templates is not None
    (job.kit / "fonts").mkdir()
    paths = watched_paths(job)
    assert job.outline.parent.resolve() in paths and job.outline.resolve() not in paths
    assert {job.kit.resolve(), (job.kit / "fonts").resolve(), job.templates.resolve()} <= set(paths)


def test_rebuild_writes_the_formats_and_times_them(job: pipeline.Job, tmp_path: Path) -> None:
    result = rebuild(job, ["handout"], tmp_path / "out", named=False)
    assert result.problems == [] and result.filenames == ["handout.pdf"]
    assert result.written == [tmp_path / "out" / "talk" / "handout.pdf"]
    assert result.written[0].read_bytes().startswith(b"%PDF") and result.seconds > 0


def test_failed_rebuild_reports_file_and_line_and_keeps_the_old_files(
    job: pipeline.Job, tmp_path: Path
) -> None:
    good = rebuild(job, ["deck", "handout"], tmp_path / "out", named=False)
    before = {path: path.read_bytes() for path in good.written}
    job.outline.write_text(MINIMAL.replace("minutes: 30", "minutes: thirty"), encoding="utf-8")
    bad = rebuild(job, ["deck", "handout"], tmp_path / "out", named=False)
    line = MINIMAL.splitlines().index("    minutes: 30") + 1
    assert [str(p) for p in bad.problems][0].startswith(f"{job.outline}:{line}: agenda.0.minutes")
    folder = tmp_path / "out" / "talk"
    assert bad.written == [] and bad.kept == [folder / "deck.pptx", folder / "handout.pdf"]
    assert {path: path.read_bytes() for path in before} == before


class _Watching:
    """The watch loop run in a thread, its results in a queue."""

    def __init__(self, job: pipeline.Job, formats: list[str], root: Path) -> None:
        self.results: queue.Queue[Result | BaseException] = queue.Queue()
        self.stop = threading.Event()
        builds = watch(job, formats, root, False, self.stop, debounce_ms=400)
        self.thread = threading.Thread(target=self._run, args=(builds,), daemon=True)
        self.thread.start()

    def _run(self, builds: Iterator[Result]) -> None:
        try:
            for result in builds:
                self.results.put(result)
        except BaseException as exc:  # surfaced by next(), not lost in the thread
            self.results.put(exc)

    def next(self) -> Result:
        item = self.results.get(timeout=TIMEOUT)
        if isinstance(item, BaseException):
            raise item
        return item

    def close(self) -> None:
        self.stop.set()
        self.thread.join(TIMEOUT)
        assert not self.thread.is_alive()


def test_watch_rebuilds_what_a_template_save_touches_and_retries_failed_formats(
    job: pipeline.Job, tmp_path: Path
) -> None:
    assert job.templates is not None
    handout, deck = job.templates / "handout.xml.j2", job.templates / "deck.xml.j2"
    watching = _Watching(job, ["deck", "handout"], tmp_path / "out")
    try:
        assert watching.next().formats == ("deck", "handout")
        _save(handout, '{% extends "builtin/handout.xml.j2" %}\n')
        assert watching.next().formats == ("handout",)
        _save(deck, "{% if %}\n")
        broken = watching.next()
        assert broken.formats == ("deck",) and broken.problems
        assert str(broken.problems[0]).startswith(f"{deck}:1")
        _save(handout, '{% extends "builtin/handout.xml.j2" %}\n{# a comment #}\n')
        assert watching.next().formats == ("deck", "handout")  # the deck is still due
        _save(deck, '{% extends "builtin/deck.xml.j2" %}\n')
        fixed = watching.next()
        assert fixed.formats == ("deck", "handout") and not fixed.problems
    finally:
        watching.close()


def _interruptible() -> None:
    """Let the child take SIGINT (Ctrl-C) as a terminal would give it: a suite started in the
    background (`pytest &`) has SIGINT ignored, the child inherits that and Python then
    installs no KeyboardInterrupt, so the watch under test never stopped."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class _Command:
    """`workshop watch` in a subprocess; its stdout and stderr lines, as they come, in a queue."""

    def __init__(self, args: list[str], cwd: Path) -> None:
        command = [sys.executable, "-m", "builder", "watch", *args]
        self.process = subprocess.Popen(
            command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            preexec_fn=_interruptible,
        )  # fmt: skip
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self.readers = [
            threading.Thread(target=self._read, args=(stream,), daemon=True)
            for stream in (self.process.stdout, self.process.stderr)
        ]
        for reader in self.readers:
            reader.start()

    def __enter__(self) -> _Command:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(TIMEOUT)
        for reader in self.readers:
            reader.join(TIMEOUT)
        for stream in (self.process.stdout, self.process.stderr):
            assert stream is not None
            stream.close()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, wanted: Callable[[str], bool]) -> str:
        """Return the first new line wanted, failing with every line seen after TIMEOUT."""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.1)
            except queue.Empty:
                if self.process.poll() is not None and self.lines.empty():
                    break
                continue
            self.seen.append(line)
            if wanted(line):
                return line
        pytest.fail("expected line never came; output:\n" + "\n".join(self.seen))


def test_watch_with_an_unknown_brand_exits_1_before_building(
    outline: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(outline.parent)
    result = CliRunner().invoke(main, ["watch", str(outline), "--brand", "defualt"])
    assert result.exit_code == 1 and "did you mean 'default'?" in result.output
    assert not (outline.parent / "output").exists()


def _slide_text(deck: Path) -> str:
    slides = Presentation(str(deck)).slides
    texts = [shape.text_frame.text for s in slides for shape in s.shapes if shape.has_text_frame]
    return " ".join(" ".join(texts).replace("\u00ad", "").split())


def test_workshop_watch_rebuilds_on_save_and_keeps_the_last_good_files_on_bad_input(
    tmp_path: Path,
) -> None:
    outline = tmp_path / "crying.yaml"
    text = SHIPPED.read_text(encoding="utf-8")
    outline.write_text(text, encoding="utf-8")
    folder = tmp_path / "out" / "crying"
    deck, handout = folder / "deck.pptx", folder / "handout.pdf"
    args = ["crying.yaml", "--out", "out", "--format", "deck", "--format", "handout"]
    with _Command(args, tmp_path) as command:
        command.wait_for(lambda line: line.startswith("built deck.pptx, handout.pdf in "))
        old = "how we respond shapes what follows"
        assert old in _slide_text(deck)
        edited = text.replace(old, "a watched save shows here")
        _save(outline, edited)
        command.wait_for(lambda line: line.startswith("rebuilt deck.pptx, handout.pdf in "))
        assert "a watched save shows here" in _slide_text(deck) and old not in _slide_text(deck)
        good = deck.read_bytes(), handout.read_bytes()
        bad = edited.replace("    minutes: 5\n", "    minutes: five\n", 1)
        _save(outline, bad)
        line = bad.splitlines().index("    minutes: five") + 1
        error = command.wait_for(lambda line: line.startswith("error: "))
        assert error.startswith(f"error: crying.yaml:{line}: agenda.0.minutes: expected a valid")
        command.wait_for(lambda line: line.startswith("kept the last good files: "))
        assert (deck.read_bytes(), handout.read_bytes()) == good
        command.process.send_signal(signal.SIGINT)
        assert command.process.wait(TIMEOUT) == 0
        command.wait_for(lambda line: line == "stopped")


def test_a_figure_or_sources_file_the_outline_names_is_watched_and_rebuilds_all(
    tmp_path: Path,
) -> None:
    outline = tmp_path / "talk.yaml"
    (tmp_path / "images").mkdir()
    outline.write_text(
        "agenda:\n  - blocks:\n      - figure: images/chart.png\n        alt: A chart\n"
        "sources: {file: refs.bib}\n      - figure: ../outside.png\n"
    )
    job = pipeline.Job(outline)
    assert (tmp_path / "images").resolve() in watched_paths(job)
    formats = list(pipeline.FORMATS)
    assert formats_for([tmp_path / "images" / "chart.png"], job, formats) == formats
    assert formats_for([tmp_path / "refs.bib"], job, formats) == formats
    assert formats_for([tmp_path / "images" / "unused.png"], job, formats) == []
    assert tmp_path.parent.resolve() not in watched_paths(job)  # ../outside.png is not followed
